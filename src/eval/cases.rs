//! Scoring of extracted cases against the gold labels of `corpus/gold/cases-*.json` (format in
//! corpus/README.md).
//!
//! Takes the gold cases and the pipeline's published cases; gives a [`CaseScores`] table: per
//! field, the share of gold cases that pass, and for each failure the case, the field and why.
//! Text fields pass when they contain every gold phrase and none of the gold non-answers
//! (case-insensitive, whitespace runs folded); steps pass when there are as many as the gold's
//! and each begins with the gold's beginning; entities pass when every gold value is among the
//! extracted ones of its list.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{Case, Entities, Status};

/// `contains` / `not` phrases for one text field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Phrases {
    pub contains: Vec<String>,
    pub not: Vec<String>,
}

/// The entity lists a gold case names (values that must be among the extracted ones).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct GoldEntities {
    pub error_codes: Vec<String>,
    pub files: Vec<String>,
    pub commands: Vec<String>,
    pub versions: Vec<String>,
    pub products: Vec<String>,
    pub kb: Vec<String>,
}

/// What a gold thread says of one of its messages (1-based `n`, in date order).
#[derive(Debug, Clone, Deserialize)]
pub struct GoldMessage {
    pub n: usize,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
}

/// One gold case.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldCase {
    pub id: String,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub opened: Option<String>,
    #[serde(default)]
    pub closed: Option<String>,
    #[serde(default)]
    pub problem: Phrases,
    #[serde(default)]
    pub analysis: Phrases,
    #[serde(default)]
    pub cause: Phrases,
    #[serde(default)]
    pub resolution: Phrases,
    #[serde(default)]
    pub steps: Vec<String>,
    #[serde(default)]
    pub entities: GoldEntities,
    #[serde(default)]
    pub traits: Vec<String>,
    /// The thread's mail, relative to the gold directory (a file, or a folder of `.eml`s).
    #[serde(default)]
    pub source: Option<String>,
    /// Per-message role and kind labels.
    #[serde(default)]
    pub messages: Vec<GoldMessage>,
    /// Names, addresses and phone numbers of the thread that no published field may contain.
    #[serde(default)]
    pub pii: Vec<String>,
}

/// The fields scored, in table order.
pub const FIELDS: &[&str] = &[
    "problem",
    "analysis",
    "cause",
    "resolution",
    "steps",
    "entities",
    "status",
    "title",
    "customer",
    "priority",
    "dates",
    "language",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldScore {
    pub field: String,
    pub passed: usize,
    pub total: usize,
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub case: String,
    pub field: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseScores {
    pub cases: usize,
    pub fields: Vec<FieldScore>,
    pub failures: Vec<Failure>,
}

/// Reads every `cases-*.json` of `gold_dir`, in file-name order.
pub fn load_gold(gold_dir: &Path) -> Result<Vec<GoldCase>> {
    let entries = std::fs::read_dir(gold_dir).map_err(|e| Error::io(gold_dir, e))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("cases-") && n.ends_with(".json"))
        })
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
        let mut cases: Vec<GoldCase> =
            serde_json::from_str(&text).map_err(|e| Error::parse(&p, e.to_string()))?;
        out.append(&mut cases);
    }
    Ok(out)
}

pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub(crate) fn check_phrases(text: &str, p: &Phrases) -> std::result::Result<(), String> {
    let t = fold(text);
    if let Some(missing) = p.contains.iter().find(|c| !t.contains(&fold(c))) {
        return Err(format!("lacks {missing:?}"));
    }
    if let Some(bad) = p.not.iter().find(|n| t.contains(&fold(n))) {
        return Err(format!("contains {bad:?}"));
    }
    Ok(())
}

pub(crate) fn check_steps(steps: &[String], gold: &[String]) -> std::result::Result<(), String> {
    if steps.len() != gold.len() {
        return Err(format!(
            "{} steps, gold has {}: {steps:?}",
            steps.len(),
            gold.len()
        ));
    }
    for (i, (s, g)) in steps.iter().zip(gold).enumerate() {
        if !fold(s).starts_with(&fold(g)) {
            return Err(format!("step {} is {s:?}, gold begins {g:?}", i + 1));
        }
    }
    Ok(())
}

/// A gold value is found when an extracted value equals it (ignoring case), or is it followed
/// by more arguments (`dism /online /cleanup-image /restorehealth /source:…`).
pub(crate) fn found(values: &[String], gold: &str) -> bool {
    let g = fold(gold);
    values
        .iter()
        .map(|v| fold(v))
        .any(|v| v == g || v.starts_with(&format!("{g} ")))
}

fn check_entities(e: &Entities, g: &GoldEntities) -> std::result::Result<(), String> {
    let lists = [
        ("error_codes", &e.error_codes, &g.error_codes),
        ("files", &e.files, &g.files),
        ("commands", &e.commands, &g.commands),
        ("versions", &e.versions, &g.versions),
        ("products", &e.products, &g.products),
        ("kb", &e.kb, &g.kb),
    ];
    let missing: Vec<String> = lists
        .iter()
        .flat_map(|(name, got, want)| {
            want.iter()
                .filter(|w| !found(got, w))
                .map(move |w| format!("{name}:{w}"))
        })
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("missing {}", missing.join(", ")))
    }
}

fn check_eq(got: Option<&str>, want: Option<&str>) -> std::result::Result<(), String> {
    if got.map(str::trim) == want.map(str::trim) {
        Ok(())
    } else {
        Err(format!("got {got:?}, gold {want:?}"))
    }
}

fn day(d: &Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// Checks one field of one case.
fn check(field: &str, case: &Case, gold: &GoldCase) -> std::result::Result<(), String> {
    match field {
        "problem" => check_phrases(&case.problem, &gold.problem),
        "analysis" => check_phrases(&case.analysis, &gold.analysis),
        "cause" => check_phrases(&case.cause, &gold.cause),
        "resolution" => check_phrases(&case.resolution, &gold.resolution),
        "steps" => check_steps(&case.steps, &gold.steps),
        "entities" => check_entities(&case.entities, &gold.entities),
        "status" => {
            let got = match case.status {
                Status::Resolved => "resolved",
                Status::Unresolved => "unresolved",
            };
            check_eq(Some(got), gold.status.as_deref().or(Some(got)))
        }
        "title" => check_eq(
            Some(&case.title),
            gold.title.as_deref().or(Some(&case.title)),
        ),
        "customer" => check_eq(case.customer.as_deref(), gold.customer.as_deref()),
        "priority" => check_eq(case.priority.as_deref(), gold.priority.as_deref()),
        "dates" => {
            let got = (day(&case.opened), day(&case.closed));
            let want = (gold.opened.clone(), gold.closed.clone());
            if got == want {
                Ok(())
            } else {
                Err(format!("got {got:?}, gold {want:?}"))
            }
        }
        "language" => check_eq(
            Some(&case.language),
            gold.language.as_deref().or(Some(&case.language)),
        ),
        _ => Err(format!("unknown field {field}")),
    }
}

/// Scores `cases` against `gold`. A gold case with no case of its id fails every field; when a
/// thread was split, the part with the most messages is scored.
pub fn score(gold: &[GoldCase], cases: &[Case]) -> CaseScores {
    let mut passed = vec![0usize; FIELDS.len()];
    let mut failures = Vec::new();
    for g in gold {
        let case = cases
            .iter()
            .filter(|c| c.id == g.id)
            .max_by_key(|c| c.messages.len());
        for (i, field) in FIELDS.iter().enumerate() {
            let result = match case {
                Some(c) => check(field, c, g),
                None => Err("no case with this id".to_string()),
            };
            match result {
                Ok(()) => passed[i] += 1,
                Err(why) => failures.push(Failure {
                    case: g.id.clone(),
                    field: field.to_string(),
                    why,
                }),
            }
        }
    }
    let total = gold.len();
    let fields = FIELDS
        .iter()
        .zip(passed)
        .map(|(f, p)| FieldScore {
            field: f.to_string(),
            passed: p,
            total,
            share: if total == 0 {
                0.0
            } else {
                p as f64 / total as f64
            },
        })
        .collect();
    CaseScores {
        cases: total,
        fields,
        failures,
    }
}

/// The table as aligned text: `field  passed/total  share`.
pub fn table(scores: &CaseScores) -> String {
    let width = FIELDS.iter().map(|f| f.len()).max().unwrap_or(5).max(5);
    let mut out = format!("{:<width$}  {:>7}  {:>5}\n", "field", "passed", "share");
    for f in &scores.fields {
        let frac = format!("{}/{}", f.passed, f.total);
        out.push_str(&format!(
            "{:<width$}  {:>7}  {:>5.2}\n",
            f.field, frac, f.share
        ));
    }
    out
}

#[cfg(test)]
mod tests;
