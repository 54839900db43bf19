//! The page templates (`templates/web/`, built into the binary) and their minijinja environment.
//! Every template HTML-escapes every value it prints; the only `|safe` value is the KB article
//! body, which `kb::markdown_to_html` made from escaped Markdown with raw HTML turned to text.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use super::ServeError;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html.j2",
        include_str!("../../templates/web/base.html.j2"),
    ),
    (
        "search.html.j2",
        include_str!("../../templates/web/search.html.j2"),
    ),
    (
        "case.html.j2",
        include_str!("../../templates/web/case.html.j2"),
    ),
    (
        "suggest.html.j2",
        include_str!("../../templates/web/suggest.html.j2"),
    ),
    ("kb.html.j2", include_str!("../../templates/web/kb.html.j2")),
    (
        "article.html.j2",
        include_str!("../../templates/web/article.html.j2"),
    ),
    (
        "login.html.j2",
        include_str!("../../templates/web/login.html.j2"),
    ),
    (
        "error.html.j2",
        include_str!("../../templates/web/error.html.j2"),
    ),
];

/// Static files: `(name, content type, content)`.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "web.css",
        "text/css; charset=utf-8",
        include_str!("../../templates/web/web.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../templates/web/app.js"),
    ),
];

pub struct Web {
    env: Environment<'static>,
}

impl Web {
    pub fn new() -> Result<Web, ServeError> {
        let mut env = Environment::new();
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .map_err(|e| ServeError::Template(format!("{name}: {e}")))?;
        }
        Ok(Web { env })
    }

    pub fn render<S: Serialize>(&self, name: &str, ctx: S) -> Result<String, String> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("{name}: {e:#}"))
    }
}
