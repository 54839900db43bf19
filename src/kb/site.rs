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

use super::render::Templates;
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

/// Renders every article and the index files. Articles are expected sorted by id.
pub fn render_site(
    articles: &[Article],
    templates: &Templates,
    format: Format,
) -> Result<Vec<SiteFile>> {
    let ext = match format {
        Format::Markdown => "md",
        Format::Html => "html",
    };
    let mut files = Vec::with_capacity(articles.len() + 3);
    for a in articles {
        let md = templates.article(a)?;
        let content = match format {
            Format::Markdown => md,
            Format::Html => page(templates, &a.title, &a.language, &md, "index.html")?,
        };
        files.push(SiteFile {
            path: format!("{}.{ext}", a.id),
            content,
        });
    }
    let index = templates.render("index.md.j2", IndexView::new(articles, ext))?;
    match format {
        Format::Markdown => {
            let summary = templates.render("SUMMARY.md.j2", IndexView::new(articles, ext))?;
            files.push(SiteFile {
                path: "README.md".into(),
                content: index,
            });
            files.push(SiteFile {
                path: "SUMMARY.md".into(),
                content: summary,
            });
        }
        Format::Html => {
            let title = "Knowledge base · 知识库";
            files.push(SiteFile {
                path: "index.html".into(),
                content: page(templates, title, "en", &index, "index.html")?,
            });
            files.push(SiteFile {
                path: "style.css".into(),
                content: templates.style().to_string(),
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Markdown → HTML with raw HTML turned into text, wrapped in the page template.
fn page(
    templates: &Templates,
    title: &str,
    lang: &str,
    markdown: &str,
    home: &str,
) -> Result<String> {
    let body = markdown_to_html(markdown);
    templates.render(
        "page.html.j2",
        minijinja::context! {
            title => title,
            lang => lang,
            css => "style.css",
            home => home,
            body => minijinja::Value::from_safe_string(body),
        },
    )
}

/// Renders Markdown (GFM tables, YAML front matter skipped) to HTML. Any raw HTML the parser
/// finds is emitted as escaped text instead of markup.
pub fn markdown_to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let events = Parser::new_ext(markdown, options).map(|e| match e {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(CowStr::from(raw.into_string())),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Marks a file casebook generated: article pages start with front matter whose first key is
/// `id`, HTML pages carry a generator meta tag.
const MD_MARK: &str = "---\nid: ";
const HTML_MARK: &str = "<meta name=\"generator\" content=\"casebook\">";

/// Writes the files under `dir` (creating it when missing) and removes the article pages a
/// previous run generated that this one did not, so the directory is exactly this KB. Only
/// files casebook marked as its own are removed; returns their names.
pub fn write_site(dir: &Path, files: &[SiteFile]) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut stale = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.ends_with(".md") || name.ends_with(".html");
        if !ours || files.iter().any(|f| f.path == name) || !entry.path().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if text.starts_with(MD_MARK) || text.contains(HTML_MARK) {
            stale.push(name);
        }
    }
    stale.sort();
    for name in &stale {
        let path = dir.join(name);
        std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
    }
    for f in files {
        let path = dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, &f.content).map_err(|e| Error::io(&path, e))?;
    }
    Ok(stale)
}

/// What the index and SUMMARY templates see.
#[derive(Serialize)]
struct IndexView<'a> {
    articles: Vec<Entry<'a>>,
    total_cases: usize,
    by_product: Vec<Group<'a>>,
    by_tag: Vec<Group<'a>>,
    summary: Vec<Part<'a>>,
}

#[derive(Serialize, Clone)]
struct Entry<'a> {
    id: &'a str,
    title: &'a str,
    link: String,
    language: &'a str,
    status: &'static str,
    reuse: usize,
}

/// A heading and its articles; `name` is none for the "other" bucket, which sorts last.
#[derive(Serialize)]
struct Group<'a> {
    name: Option<&'a str>,
    articles: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Part<'a> {
    name: Option<&'a str>,
    tags: Vec<Group<'a>>,
}

impl<'a> IndexView<'a> {
    fn new(articles: &'a [Article], ext: &str) -> Self {
        let entries: Vec<Entry<'a>> = articles
            .iter()
            .map(|a| Entry {
                id: &a.id,
                title: &a.title,
                link: format!("{}.{ext}", a.id),
                language: &a.language,
                status: match a.status {
                    Status::Resolved => "resolved",
                    Status::Unresolved => "unresolved",
                },
                reuse: a.cases.len(),
            })
            .collect();
        let by = |key: fn(&'a Article) -> &'a [String]| -> Vec<Group<'a>> {
            let mut groups: BTreeMap<Option<&'a str>, Vec<Entry<'a>>> = BTreeMap::new();
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
        let mut parts: BTreeMap<Option<&'a str>, BTreeMap<Option<&'a str>, Vec<Entry<'a>>>> =
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
            by_product: by(|a| &a.products),
            by_tag: by(|a| &a.tags),
            summary,
            articles: entries,
        }
    }
}

/// Named groups in name order, the unnamed one last.
fn sorted_groups<'a>(groups: BTreeMap<Option<&'a str>, Vec<Entry<'a>>>) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = groups
        .into_iter()
        .map(|(name, articles)| Group { name, articles })
        .collect();
    out.sort_by_key(|g| (g.name.is_none(), g.name));
    out
}
