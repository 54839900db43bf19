//! Suggestions for a new ticket: the past cases that match it, the remedies that worked there and
//! the diagnostics engineers asked for, each with the evidence behind it.
//!
//! Takes a [`Ticket`] (see [`ticket`]) and a [`Retriever`] (the case store, or any index that can
//! run a weighted term query); gives a [`Suggestion`]. Retrieval is BM25 over the ticket's key
//! terms with entities weighted highest, then a re-ranking that rewards shared entities and
//! resolved cases — technical entities are what let a Chinese ticket find an English case.
//!
//! Each match carries a calibrated confidence (see [`confidence`]); when the best one is below
//! the threshold, the suggestion *abstains*: no matches and no remedies, only the closest
//! candidates as `near_misses` and the diagnostics they needed. Evidence is whole words only
//! (see [`evidence`]).

pub mod confidence;
pub mod draft;
pub mod evidence;
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
    /// `(cases containing token, cases)`; an index without statistics weighs words alike.
    fn doc_freq(&self, _token: &str) -> Result<(u64, u64)> {
        Ok((0, 1))
    }
    /// Other forms of `word` (thesaurus), as index token sequences; none by default.
    fn synonyms(&self, _word: &str) -> Vec<Vec<String>> {
        Vec::new()
    }
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
pub const ABSTAIN_BELOW: f32 = 0.08;

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// How many matches to return.
    pub top: usize,
    /// Abstain when the best match's confidence is below this.
    pub abstain_below: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            top: 5,
            abstain_below: ABSTAIN_BELOW,
        }
    }
}

/// A past case that matches the ticket, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub id: String,
    pub title: String,
    pub score: f32,
    /// 0–1: how likely this case is the ticket's problem (calibrated on the dev gold).
    pub confidence: f32,
    pub status: Status,
    pub why: Why,
}

/// The evidence for a match: what the ticket and the case share.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Why {
    pub entities: Vec<String>,
    /// Whole words of the ticket that the case contains (or a thesaurus form of them), as the
    /// ticket wrote them, rarest first.
    pub terms: Vec<String>,
    pub measures: confidence::Measures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub language: String,
    pub entities: Entities,
    /// True when no case matches well enough: `matches` and `remedies` are then empty.
    pub abstain: bool,
    /// The confidence below which the suggestion abstains.
    pub threshold: f32,
    pub matches: Vec<Match>,
    /// When abstaining: the best candidates, for a person to look at.
    pub near_misses: Vec<Match>,
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
/// Weight of a thesaurus form of a ticket word (`certificate` for `证书`) in the query and in
/// coverage.
const SYNONYM_WEIGHT: f32 = 0.5;
/// Near misses shown when abstaining.
const NEAR_MISSES: usize = 3;
/// Share of the threshold a near miss needs for its diagnostics to be asked for.
const NEAR_MISS_SHARE: f32 = 0.5;
/// How many candidates the first BM25 pass fetches for re-ranking.
const CANDIDATES: usize = 50;

/// The ticket's query: entity tokens, subject and text words, quoted history lightly, thesaurus
/// forms of its words at a lower weight.
pub fn query_terms(ticket: &Ticket, retriever: &dyn Retriever) -> Vec<(String, f32)> {
    let analyze = |t: &str| retriever.analyze(t);
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
    for w in evidence::words(&ticket_text(ticket)) {
        for seq in retriever.synonyms(&w.surface) {
            for t in seq {
                weights.entry(t).or_insert(SYNONYM_WEIGHT);
            }
        }
    }
    weights.into_iter().collect()
}

/// Everything the ticket says: subject, its own words, quoted history.
fn ticket_text(ticket: &Ticket) -> String {
    format!("{}\n{}\n{}", ticket.subject, ticket.text, ticket.quoted)
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

/// Runs retrieval and re-ranking, then gathers remedies and diagnostics from the matches; or,
/// when the best match's confidence is below `options.abstain_below`, abstains.
pub fn suggest(ticket: &Ticket, retriever: &dyn Retriever, options: Options) -> Result<Suggestion> {
    let analyze = |t: &str| retriever.analyze(t);
    let terms = query_terms(ticket, retriever);
    let candidates = retriever.search_terms(&terms, CANDIDATES.max(options.top))?;
    let words = weighed_words(ticket, retriever)?;
    let ranked = rerank(ticket, candidates, &words, &analyze);
    let top: Vec<(Case, Match)> = ranked.into_iter().take(options.top).collect();
    let abstain = top
        .first()
        .is_none_or(|(_, m)| m.confidence < options.abstain_below);
    let best = top
        .first()
        .map(|(_, m)| m.score)
        .unwrap_or(1.0)
        .max(f32::EPSILON);

    let mut remedies = Vec::new();
    let mut diagnostics = Vec::new();
    let advising: Vec<&(Case, Match)> = if abstain {
        // Only candidates that came close are "similar cases" whose questions are worth asking.
        top.iter()
            .take(NEAR_MISSES)
            .filter(|(_, m)| m.confidence >= options.abstain_below * NEAR_MISS_SHARE)
            .collect()
    } else {
        top.iter().collect()
    };
    for (case, m) in advising {
        let support = m.score / best;
        // A case that matched far worse than the best one is shown, but its fix is not advice.
        if support < MIN_SUPPORT {
            continue;
        }
        // Abstaining: no fix is proposed, only what similar cases needed to know.
        if !abstain
            && case.status == Status::Resolved
            && !(case.resolution.is_empty() && case.steps.is_empty())
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
    let shown: Vec<Match> = top.into_iter().map(|(_, m)| m).collect();
    let (matches, near_misses) = if abstain {
        (Vec::new(), shown.into_iter().take(NEAR_MISSES).collect())
    } else {
        (shown, Vec::new())
    };
    Ok(Suggestion {
        language: ticket.language.clone(),
        entities: ticket.entities.clone(),
        abstain,
        threshold: options.abstain_below,
        remedies: merge::merge(remedies, &analyze, 0.5),
        diagnostics: merge::merge(diagnostics, &analyze, 0.5),
        matches,
        near_misses,
    })
}

/// A whole word of the ticket with its IDF and the token sequences of its thesaurus forms.
pub struct Weighed {
    pub word: evidence::Word,
    pub idf: f32,
    pub synonyms: Vec<Vec<String>>,
}

/// The ticket's whole words, weighed by how rare they are in the store.
pub fn weighed_words(ticket: &Ticket, retriever: &dyn Retriever) -> Result<Vec<Weighed>> {
    let mut out = Vec::new();
    for word in evidence::words(&ticket_text(ticket)) {
        let (df, n) = retriever.doc_freq(&word.token)?;
        out.push(Weighed {
            idf: confidence::idf(df, n),
            synonyms: retriever.synonyms(&word.surface),
            word,
        });
    }
    Ok(out)
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

/// Re-scores BM25 candidates: shared entities and a resolved status move a case up. Each match
/// gets its evidence and its confidence.
pub fn rerank(
    ticket: &Ticket,
    candidates: Vec<(Case, f32)>,
    words: &[Weighed],
    analyze: &dyn Fn(&str) -> Vec<String>,
) -> Vec<(Case, Match)> {
    let ticket_entities = lower_set(entity_values(&ticket.entities));
    let top_bm25 = candidates
        .iter()
        .map(|(_, s)| *s)
        .fold(f32::EPSILON, f32::max);
    let total_idf: f32 = words.iter().map(|w| w.idf).sum::<f32>().max(f32::EPSILON);
    let mut out: Vec<(Case, Match)> = candidates
        .into_iter()
        .map(|(case, bm25)| {
            let shared: Vec<String> = lower_set(entity_values(&case.entities))
                .intersection(&ticket_entities)
                .cloned()
                .collect();
            let case_tokens: BTreeSet<String> =
                analyze(&searchable_text(&case)).into_iter().collect();
            let problem_tokens: BTreeSet<String> =
                analyze(&format!("{}\n{}", case.title, case.problem))
                    .into_iter()
                    .collect();
            // How much of a word `tokens` hold: 1 for the word itself, less for a thesaurus form.
            let held = |w: &Weighed, tokens: &BTreeSet<String>| -> f32 {
                if tokens.contains(&w.word.token) {
                    1.0
                } else if w
                    .synonyms
                    .iter()
                    .any(|seq| seq.iter().all(|t| tokens.contains(t)))
                {
                    SYNONYM_WEIGHT
                } else {
                    0.0
                }
            };
            let mut evidence: Vec<(f32, &str)> = Vec::new();
            let (mut covered, mut in_problem) = (0.0, 0.0);
            for w in words {
                let h = held(w, &case_tokens);
                if h > 0.0 {
                    covered += h * w.idf;
                    let entity = shared.contains(&w.word.surface.to_lowercase());
                    if !entity {
                        evidence.push((h * w.idf, &w.word.surface));
                    }
                }
                in_problem += held(w, &problem_tokens) * w.idf;
            }
            evidence.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
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
            let measures = confidence::Measures {
                coverage: round3(covered / total_idf),
                entities: round3(entity_share),
                problem: round3(in_problem / total_idf),
            };
            let score = bm25 / top_bm25 + 0.5 * entity_share + resolved;
            let m = Match {
                id: case.id.clone(),
                title: case.title.clone(),
                score: round3(score),
                confidence: confidence::confidence(&measures),
                status: case.status,
                why: Why {
                    entities: shared,
                    terms: evidence
                        .into_iter()
                        .take(8)
                        .map(|(_, t)| t.to_string())
                        .collect(),
                    measures,
                },
            };
            (case, m)
        })
        .collect();
    out.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.1.id.cmp(&b.1.id)));
    out
}

fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// The text of a case that a ticket can share words with.
fn searchable_text(case: &Case) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        case.title, case.problem, case.cause, case.resolution, case.analysis
    )
}
