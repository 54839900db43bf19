//! Per-value scores of any gold directory (`casebook eval --gold DIR`): the counts an outside
//! evaluator gives (case ids, statuses, resolution key phrases, each entity value, exact
//! status-ping sets, message kinds and roles, PII leaks), so a team can score casebook on its own
//! labelled threads and a blind test half can be set beside the dev half.
//!
//! Takes the gold cases (schema in README, "Scoring your own threads") and the published cases
//! made from the directory's mail; gives a [`Report`]: one [`Row`] per measure with hits and
//! totals, and every miss with its thread and reason. A gold thread is found by the mail it came
//! from (`source`), so a thread that got the wrong id is still scored on its other fields; without
//! a `source` it is found by id.

use serde::Serialize;

use super::cases::{check_phrases, check_steps, fold, found, GoldCase, Phrases};
use crate::model::{Case, Kind, Role, Status};

/// One measure: `hit` of `total` items passed (`leaks` rows count failures, lower is better).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub name: &'static str,
    pub hit: usize,
    pub total: usize,
}

impl Row {
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.hit as f64 / self.total as f64
        }
    }
}

/// One failed item: the gold thread, the measure and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub case: String,
    pub measure: &'static str,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub threads: usize,
    pub rows: Vec<Row>,
    pub misses: Vec<Miss>,
}

/// The measures, in table order.
pub const MEASURES: &[&str] = &[
    "case id",
    "status",
    "problem",
    "analysis",
    "cause",
    "resolution phrases",
    "resolution clean",
    "steps",
    "commands",
    "versions",
    "products",
    "error codes",
    "files",
    "kb ids",
    "ping set exact",
    "message kinds",
    "message roles",
    "pii leaks",
];

struct Tallies {
    rows: Vec<Row>,
    misses: Vec<Miss>,
}

impl Tallies {
    fn add(&mut self, case: &str, measure: &'static str, result: Result<(), String>) {
        let Some(row) = self.rows.iter_mut().find(|r| r.name == measure) else {
            return;
        };
        row.total += 1;
        match result {
            Ok(()) => row.hit += 1,
            Err(why) => self.misses.push(Miss {
                case: case.to_string(),
                measure,
                why,
            }),
        }
    }
}

/// The case made from the gold thread's mail: the one with most messages from `source`, else the
/// one with the gold id.
pub fn find_case<'a>(gold: &GoldCase, cases: &'a [Case]) -> Option<&'a Case> {
    let from_source = gold.source.as_deref().and_then(|src| {
        let src = src.trim_end_matches('/').replace('\\', "/");
        cases
            .iter()
            .map(|c| {
                let n = c
                    .messages
                    .iter()
                    .filter(|m| {
                        let p = m.source.path.replace('\\', "/");
                        p.ends_with(&src) || p.contains(&format!("{src}/"))
                    })
                    .count();
                (n, c)
            })
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, c)| (*n, std::cmp::Reverse(c.id.clone())))
            .map(|(_, c)| c)
    });
    from_source.or_else(|| {
        cases
            .iter()
            .filter(|c| c.id == gold.id)
            .max_by_key(|c| c.messages.len())
    })
}

/// Scores `cases` (as published) against `gold`.
pub fn tally(gold: &[GoldCase], cases: &[Case]) -> Report {
    let mut t = Tallies {
        rows: MEASURES
            .iter()
            .map(|name| Row {
                name,
                hit: 0,
                total: 0,
            })
            .collect(),
        misses: Vec::new(),
    };
    for g in gold {
        let Some(case) = find_case(g, cases) else {
            t.add(&g.id, "case id", Err("no case from this thread".into()));
            continue;
        };
        score_case(&mut t, g, case);
    }
    Report {
        threads: gold.len(),
        rows: t.rows,
        misses: t.misses,
    }
}

fn score_case(t: &mut Tallies, g: &GoldCase, case: &Case) {
    let id = g.id.as_str();
    let same = |a: &str, b: &str| {
        if a == b {
            Ok(())
        } else {
            Err(format!("got {a:?}"))
        }
    };
    t.add(id, "case id", same(&case.id, id));
    if let Some(status) = &g.status {
        let got = match case.status {
            Status::Resolved => "resolved",
            Status::Unresolved => "unresolved",
        };
        t.add(id, "status", same(got, status));
    }
    for (measure, text, phrases) in [
        ("problem", &case.problem, &g.problem),
        ("analysis", &case.analysis, &g.analysis),
        ("cause", &case.cause, &g.cause),
    ] {
        if !phrases.contains.is_empty() || !phrases.not.is_empty() {
            t.add(id, measure, check_phrases(text, phrases));
        }
    }
    for phrase in &g.resolution.contains {
        let one = Phrases {
            contains: vec![phrase.clone()],
            not: Vec::new(),
        };
        t.add(
            id,
            "resolution phrases",
            check_phrases(&case.resolution, &one),
        );
    }
    let clean = Phrases {
        contains: Vec::new(),
        not: g.resolution.not.clone(),
    };
    t.add(
        id,
        "resolution clean",
        check_phrases(&case.resolution, &clean),
    );
    t.add(id, "steps", check_steps(&case.steps, &g.steps));
    let e = &case.entities;
    let ge = &g.entities;
    for (measure, got, want) in [
        ("commands", &e.commands, &ge.commands),
        ("versions", &e.versions, &ge.versions),
        ("products", &e.products, &ge.products),
        ("error codes", &e.error_codes, &ge.error_codes),
        ("files", &e.files, &ge.files),
        ("kb ids", &e.kb, &ge.kb),
    ] {
        for w in want {
            let r = if found(got, w) {
                Ok(())
            } else {
                Err(format!("{w:?} not among {got:?}"))
            };
            t.add(id, measure, r);
        }
    }
    score_messages(t, g, case);
    score_pii(t, g, case);
}

fn kind_name(k: Kind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn score_messages(t: &mut Tallies, g: &GoldCase, case: &Case) {
    let id = g.id.as_str();
    if g.messages.is_empty() {
        return;
    }
    let gold_pings: Vec<usize> = g
        .messages
        .iter()
        .filter(|m| m.kind.as_deref() == Some("status_ping"))
        .map(|m| m.n)
        .collect();
    let got_pings: Vec<usize> = case
        .messages
        .iter()
        .filter(|m| m.kind == Kind::StatusPing)
        .map(|m| m.index)
        .collect();
    let r = if gold_pings == got_pings {
        Ok(())
    } else {
        Err(format!("pings {got_pings:?}, gold {gold_pings:?}"))
    };
    t.add(id, "ping set exact", r);
    for gm in &g.messages {
        let got = case.messages.get(gm.n.wrapping_sub(1));
        if let Some(kind) = &gm.kind {
            let r = match got {
                // A receipt that says nothing of the problem is support's `analysis` kind.
                Some(m) if kind_name(m.kind) == *kind => Ok(()),
                Some(m) if kind == "acknowledgement" && m.kind == Kind::Analysis => Ok(()),
                Some(m) => Err(format!("#{} is {}, gold {kind}", gm.n, kind_name(m.kind))),
                None => Err(format!("#{} missing", gm.n)),
            };
            t.add(id, "message kinds", r);
        }
        if let Some(role) = &gm.role {
            let r = match got.map(|m| m.role) {
                Some(Role::Customer) if role == "customer" => Ok(()),
                Some(Role::Engineer) if role == "engineer" => Ok(()),
                Some(r) => Err(format!("#{} is {r:?}, gold {role}", gm.n)),
                None => Err(format!("#{} missing", gm.n)),
            };
            t.add(id, "message roles", r);
        }
    }
}

/// Each PII string of the gold thread is one item; it passes when no published field holds it.
fn score_pii(t: &mut Tallies, g: &GoldCase, case: &Case) {
    let mut published = case.clone();
    for m in &mut published.messages {
        // Where a message was read from is the user's own file path, not published text.
        m.source.path.clear();
    }
    let text = fold(&serde_json::to_string(&published).unwrap_or_default());
    for p in &g.pii {
        let r = if contains_word(&text, &fold(p)) {
            Err(format!("{p:?} published"))
        } else {
            Ok(())
        };
        t.add(&g.id, "pii leaks", r);
    }
}

/// Whether `text` holds `needle` as a whole word: a name inside a word (`Tom` in
/// `[customer-1]`) is not that name.
fn contains_word(text: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let edge_sensitive = needle.starts_with(|c: char| c.is_ascii_alphanumeric())
        || needle.ends_with(|c: char| c.is_ascii_alphanumeric());
    text.match_indices(needle).any(|(i, _)| {
        !edge_sensitive
            || (!word(text[..i].chars().next_back())
                && !word(text[i + needle.len()..].chars().next()))
    })
}

/// Reports side by side: one column per directory, `hit/total share` per measure.
pub fn table(columns: &[(String, &Report)]) -> String {
    let width = MEASURES.iter().map(|m| m.len()).max().unwrap_or(8);
    let mut out = format!("{:<width$}", "measure");
    for (name, r) in columns {
        out.push_str(&format!("  {:>20}", format!("{name} ({})", r.threads)));
    }
    out.push('\n');
    for (i, measure) in MEASURES.iter().enumerate() {
        out.push_str(&format!("{measure:<width$}"));
        for (_, r) in columns {
            let row = &r.rows[i];
            let cell = if *measure == "pii leaks" {
                format!("{} leaked", row.total - row.hit)
            } else {
                format!("{}/{} {:.2}", row.hit, row.total, row.share())
            };
            out.push_str(&format!("  {cell:>20}"));
        }
        out.push('\n');
    }
    out
}
