//! Retrieval scores for `suggest` and `search`: Recall@1, Recall@5 and MRR over the gold tickets
//! in `corpus/gold/tickets-*.json`, for casebook's pipeline and for a baseline of plain BM25 over
//! the raw, uncleaned thread text, so the gain of cleaning and segmentation shows.
//!
//! The blind gold in `corpus/gold/blind/` (written by someone who never read the code) adds, per
//! split (`dev` for tuning, `test` only scored): out-of-scope tickets (`tickets-oos-*`, which
//! `suggest` should abstain on), in-scope paraphrases (`tickets-blind-*`) and keyword queries
//! (`queries-*`). A ticket `suggest` abstains on has no matches, so it counts as a miss.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::baseline::RawIndex;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::suggest::{self, ticket, Retriever};

/// A new ticket with the cases it must retrieve.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldTicket {
    pub id: String,
    pub language: String,
    pub text: String,
    pub expect: Vec<String>,
}

/// A keyword query with the cases it must find.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldQuery {
    pub id: String,
    pub query: String,
    pub expect: Vec<String>,
}

/// One split of the gold: what a session may tune on (`dev`) or only score (`test`).
#[derive(Debug, Clone)]
pub struct Split {
    pub name: String,
    pub in_scope: Vec<GoldTicket>,
    pub out_of_scope: Vec<GoldTicket>,
    pub queries: Vec<GoldQuery>,
}

/// The dev and test splits. The original `tickets-*.json` were seen while the rules were
/// written, so they belong to `dev`, with the blind dev halves; `test` is the blind test halves.
pub fn load_splits(gold_dir: &Path) -> Result<Vec<Split>> {
    let blind = gold_dir.join("blind");
    let mut out = Vec::new();
    for name in ["dev", "test"] {
        let read = |stem: &str| -> Result<String> {
            let f = blind.join(format!("{stem}-{name}.json"));
            std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))
        };
        let parse_err = |stem: &str, e: serde_json::Error| {
            Error::parse(blind.join(format!("{stem}-{name}.json")), e.to_string())
        };
        let mut in_scope = if name == "dev" {
            load_tickets(gold_dir)?
        } else {
            Vec::new()
        };
        let mut blind_in: Vec<GoldTicket> = serde_json::from_str(&read("tickets-blind")?)
            .map_err(|e| parse_err("tickets-blind", e))?;
        in_scope.append(&mut blind_in);
        let out_of_scope =
            serde_json::from_str(&read("tickets-oos")?).map_err(|e| parse_err("tickets-oos", e))?;
        let queries =
            serde_json::from_str(&read("queries")?).map_err(|e| parse_err("queries", e))?;
        out.push(Split {
            name: name.to_string(),
            in_scope,
            out_of_scope,
            queries,
        });
    }
    Ok(out)
}

/// Reads every `tickets-*.json` array in `gold_dir`, in file-name order.
pub fn load_tickets(gold_dir: &Path) -> Result<Vec<GoldTicket>> {
    let mut files: Vec<_> = std::fs::read_dir(gold_dir)
        .map_err(|e| Error::io(gold_dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("tickets-") && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| Error::io(&f, e))?;
        let mut tickets: Vec<GoldTicket> =
            serde_json::from_str(&text).map_err(|e| Error::parse(&f, e.to_string()))?;
        out.append(&mut tickets);
    }
    Ok(out)
}

/// How many results each system returns per ticket (enough for Recall@5 and a useful MRR).
const DEPTH: usize = 10;

/// Runs every gold ticket through `suggest` on `retriever` (abstaining below the threshold of
/// `config`) and through the raw baseline, and scores both: `[casebook, baseline]`.
pub fn evaluate(
    tickets: &[GoldTicket],
    retriever: &dyn Retriever,
    baseline: &RawIndex,
    config: &Config,
) -> Result<[Scores; 2]> {
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    for t in tickets {
        ours.push((t.clone(), suggested(t, retriever, config)?));
        raw.push((t.clone(), baseline.search(&t.text, DEPTH)?));
    }
    Ok([
        score("casebook suggest", &ours),
        score("raw BM25 baseline", &raw),
    ])
}

/// The case ids `suggest` gives for a gold ticket, best first; none when it abstains.
fn suggested(t: &GoldTicket, retriever: &dyn Retriever, config: &Config) -> Result<Vec<String>> {
    let label = Path::new(&t.id);
    let ticket = ticket::from_messages(vec![ticket::text_message(&t.text, label)], config);
    let options = suggest::Options {
        top: DEPTH,
        abstain_below: config.suggest.abstain_below,
    };
    let found = suggest::suggest(&ticket, retriever, options)?;
    Ok(found.matches.into_iter().map(|m| m.id).collect())
}

/// Scores of casebook and the baseline on one split.
#[derive(Debug, Clone, Serialize)]
pub struct SplitScores {
    pub split: String,
    /// Share of out-of-scope tickets `suggest` abstains on, and how many there are.
    pub out_of_scope: usize,
    pub abstain_rate: f64,
    /// The raw baseline has no notion of "nothing matches": it always answers.
    pub baseline_abstain_rate: f64,
    /// Share of in-scope tickets `suggest` wrongly abstains on.
    pub in_scope_abstain_rate: f64,
    /// `[casebook suggest, raw BM25]` on the in-scope tickets.
    pub in_scope: [Scores; 2],
    /// `[casebook search, raw BM25]` on the keyword queries.
    pub queries: [Scores; 2],
}

/// Scores one split: `search` runs a keyword query the way `casebook search` does.
pub fn evaluate_split(
    split: &Split,
    retriever: &dyn Retriever,
    search: &dyn Fn(&str) -> Result<Vec<String>>,
    baseline: &RawIndex,
    config: &Config,
) -> Result<SplitScores> {
    let in_scope = evaluate(&split.in_scope, retriever, baseline, config)?;
    let mut abstained = 0;
    for t in &split.out_of_scope {
        if suggested(t, retriever, config)?.is_empty() {
            abstained += 1;
        }
    }
    let mut wrongly = 0;
    for t in &split.in_scope {
        if suggested(t, retriever, config)?.is_empty() {
            wrongly += 1;
        }
    }
    let as_ticket = |q: &GoldQuery| GoldTicket {
        id: q.id.clone(),
        language: String::new(),
        text: q.query.clone(),
        expect: q.expect.clone(),
    };
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    for q in &split.queries {
        ours.push((as_ticket(q), search(&q.query)?));
        raw.push((as_ticket(q), baseline.search(&q.query, DEPTH)?));
    }
    let share = |n: usize, of: usize| round3(n as f64 / of.max(1) as f64);
    let mut queries = [
        score("casebook search", &ours),
        score("raw BM25 baseline", &raw),
    ];
    let mut in_scope = in_scope;
    // The test split is only scored: its individual misses are dropped so no one tunes on them.
    if split.name == "test" {
        for s in in_scope.iter_mut().chain(queries.iter_mut()) {
            s.misses.clear();
        }
    }
    Ok(SplitScores {
        split: split.name.clone(),
        out_of_scope: split.out_of_scope.len(),
        abstain_rate: share(abstained, split.out_of_scope.len()),
        baseline_abstain_rate: 0.0,
        in_scope_abstain_rate: share(wrongly, split.in_scope.len()),
        in_scope,
        queries,
    })
}

/// The splits side by side: each row a figure, each column a split and system.
pub fn split_table(splits: &[SplitScores]) -> String {
    let mut out = format!("{:<28}", "");
    for s in splits {
        out.push_str(&format!(" {:>19}", s.split));
    }
    out.push('\n');
    out.push_str(&format!("{:<28}", "figure"));
    for _ in splits {
        out.push_str(&format!(" {:>9} {:>9}", "casebook", "raw BM25"));
    }
    out.push('\n');
    type Row = (&'static str, fn(&SplitScores) -> (f64, f64));
    let rows: [Row; 7] = [
        ("out-of-scope abstain rate", |s| {
            (s.abstain_rate, s.baseline_abstain_rate)
        }),
        ("in-scope wrongly abstained", |s| {
            (s.in_scope_abstain_rate, 0.0)
        }),
        ("in-scope Recall@1", |s| {
            (s.in_scope[0].recall_at_1, s.in_scope[1].recall_at_1)
        }),
        ("in-scope Recall@5", |s| {
            (s.in_scope[0].recall_at_5, s.in_scope[1].recall_at_5)
        }),
        ("in-scope MRR", |s| (s.in_scope[0].mrr, s.in_scope[1].mrr)),
        ("keyword Recall@1", |s| {
            (s.queries[0].recall_at_1, s.queries[1].recall_at_1)
        }),
        ("keyword Recall@5", |s| {
            (s.queries[0].recall_at_5, s.queries[1].recall_at_5)
        }),
    ];
    for (label, get) in rows {
        out.push_str(&format!("{label:<28}"));
        for s in splits {
            let (a, b) = get(s);
            out.push_str(&format!(" {a:>9.3} {b:>9.3}"));
        }
        out.push('\n');
    }
    out.push_str(&format!("{:<28}", "(tickets / oos / queries)"));
    for s in splits {
        let n = format!(
            "{} / {} / {}",
            s.in_scope[0].tickets, s.out_of_scope, s.queries[0].tickets
        );
        out.push_str(&format!(" {n:>19}"));
    }
    out.push('\n');
    out
}

/// Scores of one system over the gold tickets.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scores {
    pub system: String,
    pub tickets: usize,
    pub recall_at_1: f64,
    pub recall_at_5: f64,
    pub mrr: f64,
    /// Tickets whose first expected case was not in the top 5, with the ids returned.
    pub misses: Vec<Miss>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    pub ticket: String,
    pub expect: Vec<String>,
    pub got: Vec<String>,
}

/// Recall@k counts the expected cases among the first k results, out of `min(k, expected)` (so a
/// ticket that expects two cases is not capped at 0.5 for Recall@1); MRR is the reciprocal rank of
/// the first expected case.
pub fn score(system: &str, runs: &[(GoldTicket, Vec<String>)]) -> Scores {
    let n = runs.len().max(1) as f64;
    let mut s = Scores {
        system: system.to_string(),
        tickets: runs.len(),
        ..Scores::default()
    };
    for (ticket, got) in runs {
        s.recall_at_1 += recall_at(ticket, got, 1);
        s.recall_at_5 += recall_at(ticket, got, 5);
        let first = got.iter().position(|id| ticket.expect.contains(id));
        s.mrr += first.map_or(0.0, |r| 1.0 / (r + 1) as f64);
        if first.is_none_or(|r| r >= 5) {
            s.misses.push(Miss {
                ticket: ticket.id.clone(),
                expect: ticket.expect.clone(),
                got: got.iter().take(5).cloned().collect(),
            });
        }
    }
    s.recall_at_1 = round3(s.recall_at_1 / n);
    s.recall_at_5 = round3(s.recall_at_5 / n);
    s.mrr = round3(s.mrr / n);
    s
}

fn recall_at(ticket: &GoldTicket, got: &[String], k: usize) -> f64 {
    let want = ticket.expect.len().min(k);
    if want == 0 {
        return 0.0;
    }
    let found = got
        .iter()
        .take(k)
        .filter(|id| ticket.expect.contains(id))
        .count();
    found as f64 / want as f64
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The scores as an aligned text table.
pub fn table(scores: &[Scores]) -> String {
    let mut out = format!(
        "{:<24} {:>7} {:>9} {:>9} {:>7}\n",
        "system", "tickets", "Recall@1", "Recall@5", "MRR"
    );
    for s in scores {
        out.push_str(&format!(
            "{:<24} {:>7} {:>9.3} {:>9.3} {:>7.3}\n",
            s.system, s.tickets, s.recall_at_1, s.recall_at_5, s.mrr
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(expect: &[&str]) -> GoldTicket {
        GoldTicket {
            id: "t".into(),
            language: "en".into(),
            text: String::new(),
            expect: expect.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn recall_and_mrr_follow_their_definitions() {
        let runs = vec![
            (ticket(&["A"]), ids(&["A", "B"])),
            (ticket(&["C"]), ids(&["B", "C"])),
            (ticket(&["D", "E"]), ids(&["E", "X", "D"])),
            (ticket(&["F"]), ids(&["B", "C", "D", "E", "G", "F"])),
        ];
        let s = score("test", &runs);
        // R@1: 1 + 0 + 1 (one of min(1,2)) + 0 = 2 / 4.
        assert_eq!(s.recall_at_1, 0.5);
        // R@5: 1 + 1 + 1 + 0 = 3 / 4.
        assert_eq!(s.recall_at_5, 0.75);
        // MRR: (1 + 1/2 + 1 + 1/6) / 4.
        assert_eq!(s.mrr, 0.667);
        assert_eq!(s.misses.len(), 1);
        assert_eq!(s.misses[0].expect, ids(&["F"]));
    }

    #[test]
    fn the_corpus_gold_has_thirty_tickets_in_both_languages() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/gold");
        let t = load_tickets(&dir).unwrap();
        assert!(t.len() >= 30, "{} tickets", t.len());
        assert!(t.iter().any(|t| t.language == "zh"));
        assert!(t.iter().any(|t| t.language == "en"));
        assert!(t.iter().all(|t| !t.expect.is_empty()));
    }
}
