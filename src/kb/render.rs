//! Templates: the built-in set (one article template per language, the index, mdBook's SUMMARY,
//! the HTML page and its stylesheet), optionally overridden file by file by the user's
//! `--templates DIR`, and the minijinja environment that renders them.
//!
//! Takes articles (or the index's view of them), gives strings. Escaping is not left to the
//! template author: every value printed into a `.md.j2` template goes through a formatter that
//! Markdown-escapes it (see `escape`), `.html.j2` templates get minijinja's HTML escaping, and
//! only `|safe` values (links and HTML that casebook built itself) pass as they are.

use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::escape;
use crate::error::{Error, Result};
use crate::model::{format_date, Article, Cited, RelatedCase};

/// The built-in templates, by the name a user's `--templates` directory overrides them with.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "en/article.md.j2",
        include_str!("../../templates/en/article.md.j2"),
    ),
    (
        "zh/article.md.j2",
        include_str!("../../templates/zh/article.md.j2"),
    ),
    ("index.md.j2", include_str!("../../templates/index.md.j2")),
    (
        "SUMMARY.md.j2",
        include_str!("../../templates/SUMMARY.md.j2"),
    ),
    ("page.html.j2", include_str!("../../templates/page.html.j2")),
    ("style.css", include_str!("../../templates/style.css")),
];

/// The auto-escape mode of Markdown templates, handled by [`format_value`].
const MARKDOWN: AutoEscape = AutoEscape::Custom("markdown");

/// A loaded template set.
pub struct Templates {
    env: Environment<'static>,
    style: String,
    /// A digest of every template source: a page rendered by another set is not the same page.
    fingerprint: String,
}

impl Templates {
    /// The built-in set.
    pub fn builtin() -> Result<Templates> {
        Templates::with_overrides(Vec::new())
    }

    /// The built-in set with some files replaced: `(name, source)` pairs such as
    /// `("zh/article.md.j2", "...")`. Names that are not built-in templates are added too, so a
    /// user can add a language (`ja/article.md.j2`).
    pub fn with_overrides(overrides: Vec<(String, String)>) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| {
            let name = name.strip_suffix(".j2").unwrap_or(name);
            if name.ends_with(".md") {
                MARKDOWN
            } else if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(format_value);
        env.add_filter("inline", |v: Value| {
            Value::from_safe_string(escape::markdown_inline(&text_of(&v)))
        });
        env.add_filter("code", |v: Value| {
            Value::from_safe_string(escape::code_span(&text_of(&v)))
        });
        env.add_filter("yaml", |v: Value| Value::from_safe_string(escape::yaml(&v)));

        let mut style = None;
        let mut sources: Vec<(String, String)> = BUILTIN
            .iter()
            .filter(|(name, _)| !overrides.iter().any(|(n, _)| n == name))
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        sources.extend(overrides);
        let mut digest = Sha256::new();
        for (name, source) in &sources {
            digest.update(name.as_bytes());
            digest.update([0]);
            digest.update(source.as_bytes());
            digest.update([0]);
        }
        let fingerprint = hex(&digest.finalize());
        for (name, source) in sources {
            if name == "style.css" {
                style = Some(source);
                continue;
            }
            env.add_template_owned(name.clone(), source)
                .map_err(|e| template_error(&name, e))?;
        }
        Ok(Templates {
            env,
            style: style.unwrap_or_default(),
            fingerprint,
        })
    }

    /// The article as Markdown for the external audience with plain footnotes.
    pub fn article(&self, article: &Article) -> Result<String> {
        self.article_page(article, &PageOptions::default())
    }

    /// The article as Markdown, in its language's template (English when there is none).
    pub fn article_page(&self, article: &Article, options: &PageOptions) -> Result<String> {
        let name = format!("{}/article.md.j2", article.language);
        let name = if self.env.get_template(&name).is_ok() {
            name
        } else {
            "en/article.md.j2".to_string()
        };
        self.render(&name, ArticleView::new(article, options))
    }

    /// Renders the named template with `ctx`.
    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String> {
        let tmpl = self
            .env
            .get_template(name)
            .map_err(|e| template_error(name, e))?;
        tmpl.render(ctx).map_err(|e| template_error(name, e))
    }

    pub fn style(&self) -> &str {
        &self.style
    }

    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// How a page is written: for whom, and where citations link to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// Internal pages add the related-case table and the customer codes.
    pub internal: bool,
    /// How a citation of `case`, message `n` links: `None` for plain footnotes (Markdown), or a
    /// URL prefix: `{prefix}/cases/{case}#m{n}` for `casebook serve`, or the per-case appendix
    /// pages (`cases/{case}.html#m{n}`) when the prefix is empty.
    pub links: Option<String>,
}

impl PageOptions {
    /// The link of one citation, when citations link.
    pub fn href(&self, case: &str, message: usize) -> Option<String> {
        match self.links.as_deref() {
            None => None,
            Some("") => Some(format!(
                "cases/{}.html#m{message}",
                super::slug(case, usize::MAX)
            )),
            Some(prefix) => Some(format!(
                "{}/cases/{case}#m{message}",
                prefix.trim_end_matches('/')
            )),
        }
    }
}

/// What an article template sees: the article, plus what templates should not have to compute
/// (dates as `YYYY-MM-DD`, the reuse count, the case ids, sentences with their footnote marks).
#[derive(Serialize)]
struct ArticleView<'a> {
    article: &'a Article,
    state: &'static str,
    reuse: usize,
    internal: bool,
    case_ids: Vec<&'a str>,
    created: Option<String>,
    updated: Option<String>,
    cases: Vec<CaseRow<'a>>,
    issue: Vec<Line<'a>>,
    cause: Vec<Line<'a>>,
    resolution: Vec<Line<'a>>,
    steps: Vec<Line<'a>>,
    notes: Vec<Note<'a>>,
}

/// A cited sentence and its footnote mark (`[^2]`).
#[derive(Serialize)]
struct Line<'a> {
    text: &'a str,
    mark: Value,
}

/// One footnote: a case and a message number, with its link when citations link.
#[derive(Serialize)]
struct Note<'a> {
    label: usize,
    case: &'a str,
    message: usize,
    href: Option<Value>,
}

#[derive(Serialize)]
struct CaseRow<'a> {
    id: &'a str,
    title: &'a str,
    opened: Option<String>,
    closed: Option<String>,
    emails: usize,
    days_to_resolve: Option<i64>,
}

impl<'a> ArticleView<'a> {
    fn new(article: &'a Article, options: &PageOptions) -> Self {
        let mut notes: Vec<Note<'a>> = Vec::new();
        let mut lines = |cited: &'a [Cited]| -> Vec<Line<'a>> {
            cited
                .iter()
                .map(|c| {
                    let label = match notes
                        .iter()
                        .find(|n| n.case == c.case && n.message == c.message)
                    {
                        Some(n) => n.label,
                        None => {
                            let label = notes.len() + 1;
                            notes.push(Note {
                                label,
                                case: &c.case,
                                message: c.message,
                                href: options
                                    .href(&c.case, c.message)
                                    .map(Value::from_safe_string),
                            });
                            label
                        }
                    };
                    Line {
                        text: &c.text,
                        mark: Value::from_safe_string(format!("[^{label}]")),
                    }
                })
                .collect()
        };
        let issue = lines(&article.symptoms);
        let cause = lines(&article.cause);
        let resolution = lines(&article.resolution);
        let steps = lines(&article.steps);
        ArticleView {
            article,
            state: article.state.label(),
            reuse: article.cases.len(),
            internal: options.internal,
            case_ids: article.cases.iter().map(|c| c.id.as_str()).collect(),
            created: article.created.as_ref().map(day),
            updated: article.updated.as_ref().map(day),
            cases: article.cases.iter().map(CaseRow::new).collect(),
            issue,
            cause,
            resolution,
            steps,
            notes,
        }
    }
}

impl<'a> CaseRow<'a> {
    fn new(c: &'a RelatedCase) -> Self {
        CaseRow {
            id: &c.id,
            title: &c.title,
            opened: c.opened.as_ref().map(day),
            closed: c.closed.as_ref().map(day),
            emails: c.emails,
            days_to_resolve: c.days_to_resolve,
        }
    }
}

/// A date as the articles show it: the UTC day.
pub fn day(d: &chrono::DateTime<chrono::Utc>) -> String {
    format_date(d).chars().take(10).collect()
}

/// Prints a value: Markdown-escaped in Markdown templates unless marked safe, otherwise as
/// minijinja would (HTML-escaped in HTML templates). `none` prints as nothing.
fn format_value(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &Value,
) -> std::result::Result<(), minijinja::Error> {
    if state.auto_escape() == MARKDOWN {
        if value.is_none() || value.is_undefined() {
            return Ok(());
        }
        let text = text_of(value);
        if value.is_safe() {
            out.write_str(&text)?;
        } else if text.contains('\n') {
            out.write_str(&escape::markdown_block(&text))?;
        } else {
            out.write_str(&escape::escape_line(&text))?;
        }
        Ok(())
    } else {
        minijinja::escape_formatter(out, state, value)
    }
}

/// A value's text: the string itself for strings, the display form otherwise, nothing for none.
fn text_of(v: &Value) -> String {
    if v.is_none() || v.is_undefined() {
        String::new()
    } else if let Some(s) = v.as_str() {
        s.to_string()
    } else {
        v.to_string()
    }
}

fn template_error(name: &str, e: minijinja::Error) -> Error {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::Parse {
        path: format!("templates/{name}").into(),
        message,
    }
}

/// Lower-case hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
