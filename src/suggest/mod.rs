//! Suggestions for a new ticket: the past cases that match it, the remedies that worked there and
//! the diagnostics engineers asked for, each with the evidence behind it.
//!
//! Takes a [`Ticket`] (see [`ticket`]) and a [`Retriever`] (the case store, or any index that can
//! run a weighted term query); gives a [`Suggestion`]. Retrieval is BM25 over the ticket's key
//! terms with entities weighted highest, then a re-ranking that rewards shared entities and
//! resolved cases — technical entities are what let a Chinese ticket find an English case.

pub mod merge;
pub mod render;
mod store;
pub mod ticket;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{Case, Entities, Status};
pub use ticket::Ticket;

/// Anything that can run a weighted term query over cases: the store, or an index in a test.
pub trait Retriever {
    /// The tokens the index would make of `text` (so query terms match indexed terms).
    fn analyze(&self, text: &str) -> Vec<String>;
    /// The best `limit` cases for a disjunction of weighted terms, with their BM25 scores.
    fn search_terms(&self, terms: &[(String, f32)], limit: usize) -> Result<Vec<(Case, f32)>>;
}

/// `[suggest]` in `casebook.toml`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SuggestConfig {
    /// Confidence (0–1) below which the best match is not trusted and `suggest` abstains.
    pub abstain_below: f32,
}

impl Default for SuggestConfig {
    fn default() -> Self {
        SuggestConfig {
            abstain_below: ABSTAIN_BELOW,
        }
    }
}

/// The default abstention threshold, chosen on the dev halves of the gold (see `casebook eval`).
pub const ABSTAIN_BELOW: f32 = 0.5;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many matches to return.
    pub top: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { top: 5 }
    }
}

/// A past case that matches the ticket, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub id: String,
    pub title: String,
    pub score: f32,
    pub status: Status,
    pub why: Why,
}

/// The evidence for a match: what the ticket and the case share.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Why {
    pub entities: Vec<String>,
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub language: String,
    pub entities: Entities,
    pub matches: Vec<Match>,
    pub remedies: Vec<merge::Merged>,
    pub diagnostics: Vec<merge::Merged>,
}

/// Weight of an entity term against a plain word: an error code or a file name says more about
/// the problem than any sentence around it.
const ENTITY_WEIGHT: f32 = 4.0;
const SUBJECT_WEIGHT: f32 = 1.5;
const QUOTED_WEIGHT: f32 = 0.5;
/// Share of the best match's score below which a case's remedies and diagnostics are left out.
const MIN_SUPPORT: f32 = 0.35;
/// Words too common to be evidence of a match.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "for", "from", "has", "have",
    "in", "is", "it", "its", "last", "new", "not", "of", "on", "or", "our", "since", "that", "the",
    "this", "to", "was", "we", "were", "when", "with", "you", "your", "有", "是", "的", "了", "在",
    "我们", "无法", "问题", "显示", "出现", "现在", "一直", "需要", "请", "日志",
];
/// How many candidates the first BM25 pass fetches for re-ranking.
const CANDIDATES: usize = 50;

/// The ticket's query: entity tokens, subject and text words, quoted history lightly.
pub fn query_terms(ticket: &Ticket, analyze: &dyn Fn(&str) -> Vec<String>) -> Vec<(String, f32)> {
    let mut weights: BTreeMap<String, f32> = BTreeMap::new();
    let mut add = |text: &str, w: f32| {
        for t in analyze(text) {
            if is_noise(&t) {
                continue;
            }
            let e = weights.entry(t).or_insert(0.0);
            *e = e.max(w);
        }
    };
    add(&ticket.quoted, QUOTED_WEIGHT);
    add(&ticket.text, 1.0);
    add(&ticket.subject, SUBJECT_WEIGHT);
    for e in entity_values(&ticket.entities) {
        add(&e, ENTITY_WEIGHT);
    }
    weights.into_iter().collect()
}

/// Tokens that match everything: one-character Latin or punctuation pieces.
fn is_noise(token: &str) -> bool {
    let mut chars = token.chars();
    match (chars.next(), chars.next()) {
        (None, _) => true,
        (Some(c), None) => c.is_ascii() || !c.is_alphanumeric(),
        _ => false,
    }
}

/// The entity values that identify a problem (not URLs or case ids of other threads).
fn entity_values(e: &Entities) -> Vec<String> {
    [
        &e.error_codes,
        &e.files,
        &e.versions,
        &e.commands,
        &e.kb,
        &e.products,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect()
}

fn lower_set(values: Vec<String>) -> BTreeSet<String> {
    values.into_iter().map(|v| v.to_lowercase()).collect()
}

/// Runs retrieval and re-ranking, then gathers remedies and diagnostics from the matches.
pub fn suggest(ticket: &Ticket, retriever: &dyn Retriever, options: Options) -> Result<Suggestion> {
    let analyze = |t: &str| retriever.analyze(t);
    let terms = query_terms(ticket, &analyze);
    let candidates = retriever.search_terms(&terms, CANDIDATES.max(options.top))?;
    let ranked = rerank(ticket, &terms, candidates, &analyze);
    let top: Vec<(Case, Match)> = ranked.into_iter().take(options.top).collect();
    let best = top
        .first()
        .map(|(_, m)| m.score)
        .unwrap_or(1.0)
        .max(f32::EPSILON);

    let mut remedies = Vec::new();
    let mut diagnostics = Vec::new();
    for (case, m) in &top {
        let support = m.score / best;
        // A case that matched far worse than the best one is shown, but its fix is not advice.
        if support < MIN_SUPPORT {
            continue;
        }
        if case.status == Status::Resolved && !(case.resolution.is_empty() && case.steps.is_empty())
        {
            remedies.push(merge::Found {
                text: first_line(&case.resolution, &case.steps),
                steps: case.steps.clone(),
                case: case.id.clone(),
                weight: support * case.confidence.resolution.max(0.3),
            });
        }
        for d in &case.diagnostics {
            diagnostics.push(merge::Found {
                text: d.clone(),
                steps: Vec::new(),
                case: case.id.clone(),
                weight: support * 0.8,
            });
        }
    }
    Ok(Suggestion {
        language: ticket.language.clone(),
        entities: ticket.entities.clone(),
        remedies: merge::merge(remedies, &analyze, 0.5),
        diagnostics: merge::merge(diagnostics, &analyze, 0.5),
        matches: top.into_iter().map(|(_, m)| m).collect(),
    })
}

fn first_line(resolution: &str, steps: &[String]) -> String {
    resolution
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .or(steps.first().map(String::as_str))
        .unwrap_or("")
        .to_string()
}

/// Re-scores BM25 candidates: shared entities and a resolved status move a case up.
pub fn rerank(
    ticket: &Ticket,
    terms: &[(String, f32)],
    candidates: Vec<(Case, f32)>,
    analyze: &dyn Fn(&str) -> Vec<String>,
) -> Vec<(Case, Match)> {
    let ticket_entities = lower_set(entity_values(&ticket.entities));
    let top_bm25 = candidates
        .iter()
        .map(|(_, s)| *s)
        .fold(f32::EPSILON, f32::max);
    let mut out: Vec<(Case, Match)> = candidates
        .into_iter()
        .map(|(case, bm25)| {
            let shared: Vec<String> = lower_set(entity_values(&case.entities))
                .intersection(&ticket_entities)
                .cloned()
                .collect();
            let case_tokens: BTreeSet<String> =
                analyze(&searchable_text(&case)).into_iter().collect();
            let mut shared_terms: Vec<(String, f32)> = terms
                .iter()
                .filter(|(t, _)| case_tokens.contains(t) && !shared.contains(t) && is_evidence(t))
                .cloned()
                .collect();
            shared_terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let resolved = if case.status == Status::Resolved {
                0.1
            } else {
                0.0
            };
            let entity_share = if ticket_entities.is_empty() {
                0.0
            } else {
                shared.len() as f32 / ticket_entities.len() as f32
            };
            let score = bm25 / top_bm25 + 0.5 * entity_share + resolved;
            let m = Match {
                id: case.id.clone(),
                title: case.title.clone(),
                score: (score * 1000.0).round() / 1000.0,
                status: case.status,
                why: Why {
                    entities: shared,
                    terms: shared_terms.into_iter().take(8).map(|(t, _)| t).collect(),
                },
            };
            (case, m)
        })
        .collect();
    out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.1.id.cmp(&b.1.id)));
    out
}

/// A shared term worth showing as evidence: not a stopword, not a lone Han character or a
/// two-letter Latin fragment.
fn is_evidence(term: &str) -> bool {
    let n = term.chars().count();
    let latin = term.is_ascii();
    !STOPWORDS.contains(&term) && (if latin { n >= 3 } else { n >= 2 })
}

/// The text of a case that a ticket can share words with.
fn searchable_text(case: &Case) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        case.title, case.problem, case.cause, case.resolution, case.analysis
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_leaves_out_stopwords_and_fragments() {
        let kept: Vec<&str> = [
            "dism",
            "v2020-l",
            "初始化",
            "is",
            "our",
            "有",
            "失",
            "nw",
            "失败",
        ]
        .into_iter()
        .filter(|t| is_evidence(t))
        .collect();
        assert_eq!(kept, vec!["dism", "v2020-l", "初始化", "失败"]);
    }
}
