//! The reply an engineer would send, drafted from a [`Suggestion`] with a template in
//! `templates/reply/` (one per language, picked by the suggestion's language).
//!
//! Nothing in a draft is invented: every sentence is the template's, the ticket's own words
//! (the symptom it acknowledges), or a step or diagnostic copied from a cited case. A step written
//! in the other language is kept as written and marked, never machine-translated. When the
//! suggestion abstains, the draft proposes no fix: it asks for what the closest cases needed.

use minijinja::{context, Environment};
use serde::Serialize;

use super::ticket::Ticket;
use super::Suggestion;
use crate::error::{Error, Result};

/// The built-in reply templates, by language.
const TEMPLATES: &[(&str, &str)] = &[
    ("zh", include_str!("../../templates/reply/zh.txt.j2")),
    ("en", include_str!("../../templates/reply/en.txt.j2")),
];

/// Diagnostics a draft asks for, at most.
const MAX_DIAGNOSTICS: usize = 3;
/// Characters of the ticket quoted as its symptom.
const SYMPTOM_CHARS: usize = 80;

/// One line of a draft copied from a case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited {
    pub text: String,
    pub case: String,
    /// Written in the other language than the reply's.
    pub other_language: bool,
}

/// The fix a draft proposes: the steps of the best confirmed case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fix {
    pub case: String,
    pub title: String,
    pub steps: Vec<Cited>,
}

/// What a reply template sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub language: String,
    /// The ticket's own words: its subject, else its first sentence.
    pub symptom: String,
    pub abstain: bool,
    pub fix: Option<Fix>,
    pub diagnostics: Vec<Cited>,
}

/// What goes into the reply for `s` on `ticket`.
pub fn plan(s: &Suggestion, ticket: &Ticket) -> Draft {
    let lang = if s.language == "zh" { "zh" } else { "en" };
    let cite = |text: &str, case: &str| Cited {
        text: one_line(text),
        case: case.to_string(),
        other_language: crate::script::language(text) != lang,
    };
    // The best confirmed case: the strongest remedy comes from resolved cases only.
    let fix = if s.abstain {
        None
    } else {
        s.remedies.first().map(|r| {
            let case = r.cases.first().cloned().unwrap_or_default();
            let title = s
                .matches
                .iter()
                .find(|m| m.id == case)
                .map(|m| m.title.clone())
                .unwrap_or_default();
            let lines: Vec<&str> = if r.steps.is_empty() {
                vec![r.text.as_str()]
            } else {
                r.steps.iter().map(String::as_str).collect()
            };
            Fix {
                steps: lines.into_iter().map(|l| cite(l, &case)).collect(),
                case,
                title,
            }
        })
    };
    let diagnostics = s
        .diagnostics
        .iter()
        .take(MAX_DIAGNOSTICS)
        .filter_map(|d| d.cases.first().map(|c| cite(&d.text, c)))
        .collect();
    Draft {
        language: lang.to_string(),
        symptom: symptom(ticket),
        abstain: s.abstain,
        fix,
        diagnostics,
    }
}

/// The draft as text, rendered with the built-in template of its language.
pub fn render(d: &Draft) -> Result<String> {
    let source = TEMPLATES
        .iter()
        .find(|(l, _)| *l == d.language)
        .map_or(TEMPLATES[1].1, |(_, t)| t);
    let name = format!("reply/{}.txt.j2", d.language);
    let err = |e: minijinja::Error| Error::parse(format!("templates/{name}"), e.to_string());
    let mut env = Environment::new();
    env.add_template(&name, source).map_err(err)?;
    let text = env
        .get_template(&name)
        .and_then(|t| {
            t.render(context! {
                symptom => d.symptom,
                abstain => d.abstain,
                fix => d.fix,
                diagnostics => d.diagnostics,
            })
        })
        .map_err(err)?;
    Ok(text.trim_end().to_string() + "\n")
}

/// The ticket's subject, else the first sentence of its text, shortened.
fn symptom(ticket: &Ticket) -> String {
    let source = if ticket.subject.trim().is_empty() {
        let text = ticket.text.trim();
        // A Latin full stop ends a sentence only before a space (`6.2.1`, `setup.exe` do not).
        let end = text
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, '。' | '！' | '？' | '\n')
                    || (matches!(c, '.' | '!' | '?')
                        && text[i + 1..].starts_with(char::is_whitespace))
            })
            .map_or(text.len(), |(i, _)| i);
        text[..end].to_string()
    } else {
        ticket.subject.clone()
    };
    let line = one_line(&source);
    if line.chars().count() > SYMPTOM_CHARS {
        line.chars().take(SYMPTOM_CHARS).collect::<String>() + "…"
    } else {
        line
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
