//! The KB as a set of files: one page per article, the index (`README.md`) and mdBook's
//! `SUMMARY.md`; for `--format html` the pages rendered through pulldown-cmark, `index.html` and
//! a stylesheet.
//!
//! Takes articles and a template set, gives `(path, content)` pairs in a fixed order; only
//! [`write_site`] touches the disk. Markdown reaching the HTML renderer was escaped when it was
//! templated, and raw HTML events are escaped once more here, so neither a mail nor a user's
//! template can put an element into a page.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{html, CowStr, Event, Options, Parser};
use serde::Serialize;

use sha2::{Digest, Sha256};

use super::article::{file_stem, slug};
use super::escape;
use super::ids::{Entry, Manifest};
use super::kcs::Kcs;
use super::render::{PageOptions, Templates};
use crate::error::{Error, Result};
use crate::model::{Article, Status};

/// Output format of `casebook kb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Markdown,
    Html,
}

/// One file of the site, its path relative to the output directory (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteFile {
    pub path: String,
    pub content: String,
}

/// How the site is rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteOptions {
    pub format: Format,
    /// `--audience internal`: the related-case table and customer codes are shown.
    pub internal: bool,
    /// `--case-url URL`: HTML citations link to `URL/cases/{id}#m{n}` (`casebook serve`);
    /// without it they link to per-case appendix pages written beside the articles.
    pub case_url: Option<String>,
}

/// A rendered site: the files to write, the article pages left as they are because nothing they
/// are made from changed since the run recorded in the previous manifest, and the new manifest
/// (also among `files`, as `manifest.json`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Site {
    pub files: Vec<SiteFile>,
    pub kept: Vec<String>,
    pub manifest: Manifest,
}

/// The manifest file in the output directory.
pub const MANIFEST: &str = "manifest.json";

/// Renders every article whose inputs changed since `previous`, the redirect pages, the index
/// files and the manifest, and says which pages it did not re-render. Articles are expected
/// sorted by id.
pub fn render(
    articles: &[Article],
    templates: &Templates,
    options: &SiteOptions,
    previous: &Manifest,
    redirects: &BTreeMap<String, String>,
    kcs: &Kcs,
) -> Result<Site> {
    let ext = options.format.ext();
    let page_options = PageOptions {
        internal: options.internal,
        links: match options.format {
            Format::Markdown => None,
            Format::Html => Some(options.case_url.clone().unwrap_or_default()),
        },
    };
    let setting = format!(
        "{ext}\n{}\n{:?}\n{}",
        options.internal,
        options.case_url,
        templates.fingerprint()
    );
    let mut site = Site::default();
    for a in articles {
        let stem = file_stem(&a.id, &a.title);
        let digest = digest(a, &setting)?;
        let path = format!("{stem}.{ext}");
        let unchanged = previous
            .articles
            .get(&a.id)
            .is_some_and(|e| e.file == stem && e.digest == digest);
        site.manifest.articles.insert(
            a.id.clone(),
            Entry {
                file: stem,
                cases: a.cases.iter().map(|c| c.id.clone()).collect(),
                digest,
            },
        );
        if unchanged {
            site.kept.push(path);
            continue;
        }
        let md = templates.article_page(a, &page_options)?;
        let content = match options.format {
            Format::Markdown => md,
            Format::Html => page(templates, &a.title, &a.language, &md, "index.html")?,
        };
        site.files.push(SiteFile { path, content });
    }
    site.manifest.redirects = redirects.clone();
    let by_id: BTreeMap<&str, &Article> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    for (stem, id) in redirects {
        let Some(a) = by_id.get(id.as_str()) else {
            continue;
        };
        let target = format!("{}.{ext}", file_stem(&a.id, &a.title));
        site.files.push(SiteFile {
            path: format!("{stem}.{ext}"),
            content: redirect_page(templates, options.format, &a.title, &target)?,
        });
    }
    if options.format == Format::Html && options.case_url.is_none() {
        site.files.extend(appendix(articles, templates)?);
    }
    let view = IndexView::new(articles, ext, kcs);
    let index = templates.render("index.md.j2", &view)?;
    match options.format {
        Format::Markdown => {
            let summary = templates.render("SUMMARY.md.j2", &view)?;
            site.files.push(SiteFile {
                path: "README.md".into(),
                content: index,
            });
            site.files.push(SiteFile {
                path: "SUMMARY.md".into(),
                content: summary,
            });
        }
        Format::Html => {
            let title = "Knowledge base · 知识库";
            site.files.push(SiteFile {
                path: "index.html".into(),
                content: page(templates, title, "en", &index, "index.html")?,
            });
            site.files.push(SiteFile {
                path: "style.css".into(),
                content: templates.style().to_string(),
            });
        }
    }
    let mut manifest = serde_json::to_string_pretty(&site.manifest).map_err(|e| Error::Parse {
        path: MANIFEST.into(),
        message: e.to_string(),
    })?;
    manifest.push('\n');
    site.files.push(SiteFile {
        path: MANIFEST.into(),
        content: manifest,
    });
    site.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(site)
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }
}

/// A digest of everything an article page is made from.
fn digest(article: &Article, setting: &str) -> Result<String> {
    let json = serde_json::to_string(article).map_err(|e| Error::Parse {
        path: format!("{}.json", article.id).into(),
        message: e.to_string(),
    })?;
    let mut h = Sha256::new();
    h.update(setting.as_bytes());
    h.update([0]);
    h.update(json.as_bytes());
    Ok(super::render::hex(&h.finalize()))
}

/// The page left at a renamed or merged article's old file name.
fn redirect_page(
    templates: &Templates,
    format: Format,
    title: &str,
    target: &str,
) -> Result<String> {
    let md = format!(
        "{REDIRECT_MARK}{}\n---\n\n# Moved · 已移动\n\nThis article is now [{}]({target}).\n",
        escape::yaml(target),
        escape::markdown_inline(title)
    );
    match format {
        Format::Markdown => Ok(md),
        Format::Html => {
            let body = markdown_to_html(&md);
            let html = page(templates, title, "en", &body, "index.html")?;
            Ok(html.replacen(
                "<head>",
                &format!(
                    "<head>\n<meta http-equiv=\"refresh\" content=\"0; url={}\">",
                    html_attr(target)
                ),
                1,
            ))
        }
    }
}

fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// For one case: message number → (article, sentence) pairs citing it.
type Cited<'a> = BTreeMap<usize, Vec<(&'a Article, &'a str)>>;

/// One HTML page per cited case (`cases/{case}.html`): for each message an article cites, an
/// anchor `m{n}` and the sentences taken from it, with a link back to the article.
fn appendix(articles: &[Article], templates: &Templates) -> Result<Vec<SiteFile>> {
    let mut cited: BTreeMap<&str, Cited<'_>> = BTreeMap::new();
    for a in articles {
        for c in a
            .symptoms
            .iter()
            .chain(&a.cause)
            .chain(&a.resolution)
            .chain(&a.steps)
        {
            cited
                .entry(c.case.as_str())
                .or_default()
                .entry(c.message)
                .or_default()
                .push((a, c.text.as_str()));
        }
    }
    let mut out = Vec::with_capacity(cited.len());
    for (case, messages) in cited {
        let mut md = format!("# {}\n\n", escape::markdown_inline(case));
        for (n, lines) in messages {
            md.push_str(&format!("## Message {n} {{#m{n}}}\n\n"));
            for (a, text) in lines {
                md.push_str(&format!(
                    "- {} ([{}](../{}.html))\n",
                    escape::markdown_inline(text),
                    escape::markdown_inline(&a.title),
                    file_stem(&a.id, &a.title)
                ));
            }
            md.push('\n');
        }
        let html = page_at(templates, case, "en", &md, "../index.html", "../style.css")?;
        out.push(SiteFile {
            path: format!("cases/{}.html", slug(case, usize::MAX)),
            content: html,
        });
    }
    Ok(out)
}

/// Markdown → HTML with raw HTML turned into text, wrapped in the page template.
fn page(
    templates: &Templates,
    title: &str,
    lang: &str,
    markdown: &str,
    home: &str,
) -> Result<String> {
    page_at(templates, title, lang, markdown, home, "style.css")
}

fn page_at(
    templates: &Templates,
    title: &str,
    lang: &str,
    markdown: &str,
    home: &str,
    css: &str,
) -> Result<String> {
    let body = markdown_to_html(markdown);
    templates.render(
        "page.html.j2",
        minijinja::context! {
            title => title,
            lang => lang,
            css => css,
            home => home,
            body => minijinja::Value::from_safe_string(body),
        },
    )
}

/// Renders Markdown (GFM tables, YAML front matter skipped) to HTML. Any raw HTML the parser
/// finds is emitted as escaped text instead of markup.
pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events = Parser::new_ext(markdown, options).map(|e| match e {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(CowStr::from(raw.into_string())),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Marks a file casebook generated: article pages start with front matter whose first key is
/// `id`, redirect pages with `redirect`, HTML pages carry a generator meta tag.
const MD_MARK: &str = "---\nid: ";
const REDIRECT_MARK: &str = "---\nredirect: ";
const HTML_MARK: &str = "<meta name=\"generator\" content=\"casebook\">";

/// What [`write_site`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files created or changed.
    pub written: Vec<String>,
    /// Files already holding the same bytes, and article pages not re-rendered.
    pub unchanged: usize,
    /// Generated files of an earlier run that this one no longer makes.
    pub removed: Vec<String>,
}

/// The manifest of the last run into `dir`, with the entries whose page is missing dropped (so
/// they are rendered again); the empty manifest when there is none or it cannot be read.
pub fn load_manifest(dir: &Path, format: Format) -> Manifest {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        return Manifest::default();
    };
    let mut m: Manifest = serde_json::from_str(&text).unwrap_or_default();
    m.articles
        .retain(|_, e| dir.join(format!("{}.{}", e.file, format.ext())).is_file());
    m
}

/// Writes the files under `dir` (creating it when missing), leaving alone a file that already
/// holds the same bytes and the pages in `site.kept`; removes the pages a previous run generated
/// that this one did not, so the directory is exactly this KB. Only files casebook marked as its
/// own are removed.
pub fn write_site(dir: &Path, site: &Site) -> Result<Written> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut done = Written {
        unchanged: site.kept.len(),
        ..Written::default()
    };
    let wanted: std::collections::HashSet<&str> = site
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(site.kept.iter().map(String::as_str))
        .collect();
    for sub in [dir.to_path_buf(), dir.join("cases")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&sub, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = match sub == dir {
                true => name.clone(),
                false => format!("cases/{name}"),
            };
            let ours = name.ends_with(".md") || name.ends_with(".html");
            if !ours || wanted.contains(rel.as_str()) || !entry.path().is_file() {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if text.starts_with(MD_MARK)
                || text.starts_with(REDIRECT_MARK)
                || text.contains(HTML_MARK)
            {
                done.removed.push(rel);
            }
        }
    }
    done.removed.sort();
    for name in &done.removed {
        let path = dir.join(name);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    }
    for f in &site.files {
        let path = dir.join(&f.path);
        if std::fs::read(&path).is_ok_and(|old| old == f.content.as_bytes()) {
            done.unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, &f.content).map_err(|e| Error::io(&path, e))?;
        done.written.push(f.path.clone());
    }
    Ok(done)
}

/// What the index and SUMMARY templates see.
#[derive(Serialize)]
struct IndexView<'a> {
    articles: Vec<IndexEntry<'a>>,
    total_cases: usize,
    link_rate: String,
    resolved_cases: usize,
    linked_cases: usize,
    states: Vec<(&'static str, usize)>,
    by_product: Vec<Group<'a>>,
    by_tag: Vec<Group<'a>>,
    summary: Vec<Part<'a>>,
}

#[derive(Serialize, Clone)]
struct IndexEntry<'a> {
    id: &'a str,
    title: &'a str,
    link: String,
    language: &'a str,
    status: &'static str,
    state: &'static str,
    reuse: usize,
}

/// A heading and its articles; `name` is none for the "other" bucket, which sorts last.
#[derive(Serialize)]
struct Group<'a> {
    name: Option<&'a str>,
    articles: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
struct Part<'a> {
    name: Option<&'a str>,
    tags: Vec<Group<'a>>,
}

impl<'a> IndexView<'a> {
    fn new(articles: &'a [Article], ext: &str, kcs: &Kcs) -> Self {
        let entries: Vec<IndexEntry<'a>> = articles
            .iter()
            .map(|a| IndexEntry {
                id: &a.id,
                title: &a.title,
                link: format!("{}.{ext}", file_stem(&a.id, &a.title)),
                language: &a.language,
                status: match a.status {
                    Status::Resolved => "resolved",
                    Status::Unresolved => "unresolved",
                },
                state: a.state.label(),
                reuse: a.cases.len(),
            })
            .collect();
        let by = |key: fn(&'a Article) -> &'a [String]| -> Vec<Group<'a>> {
            let mut groups: BTreeMap<Option<&'a str>, Vec<IndexEntry<'a>>> = BTreeMap::new();
            for (a, e) in articles.iter().zip(&entries) {
                let names = key(a);
                if names.is_empty() {
                    groups.entry(None).or_default().push(e.clone());
                }
                for n in names {
                    groups.entry(Some(n.as_str())).or_default().push(e.clone());
                }
            }
            sorted_groups(groups)
        };
        // mdBook lists a file once: each article goes under its first product and first tag.
        let mut parts: BTreeMap<Option<&'a str>, BTreeMap<Option<&'a str>, Vec<IndexEntry<'a>>>> =
            BTreeMap::new();
        for (a, e) in articles.iter().zip(&entries) {
            let product = a.products.first().map(String::as_str);
            let tag = a.tags.first().map(String::as_str);
            parts
                .entry(product)
                .or_default()
                .entry(tag)
                .or_default()
                .push(e.clone());
        }
        let mut summary: Vec<Part<'a>> = parts
            .into_iter()
            .map(|(name, tags)| Part {
                name,
                tags: sorted_groups(tags),
            })
            .collect();
        summary.sort_by_key(|p| (p.name.is_none(), p.name));
        IndexView {
            total_cases: articles.iter().map(|a| a.cases.len()).sum(),
            link_rate: format!("{:.1}%", kcs.link_rate * 100.0),
            resolved_cases: kcs.resolved_cases,
            linked_cases: kcs.linked_cases,
            states: kcs.states.iter().map(|(s, n)| (s.label(), *n)).collect(),
            by_product: by(|a| &a.products),
            by_tag: by(|a| &a.tags),
            summary,
            articles: entries,
        }
    }
}

/// Named groups in name order, the unnamed one last.
fn sorted_groups<'a>(groups: BTreeMap<Option<&'a str>, Vec<IndexEntry<'a>>>) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = groups
        .into_iter()
        .map(|(name, articles)| Group { name, articles })
        .collect();
    out.sort_by_key(|g| (g.name.is_none(), g.name));
    out
}
