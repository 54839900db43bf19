//! Retrieval scores for `suggest`: Recall@1, Recall@5 and MRR over the gold tickets in
//! `corpus/gold/tickets-*.json`, for casebook's pipeline and for a baseline of plain BM25 over the
//! raw, uncleaned thread text, so the gain of cleaning and segmentation shows.

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

/// Runs every gold ticket through `suggest` on `retriever` and through the raw baseline, and
/// scores both: `[casebook, baseline]`.
pub fn evaluate(
    tickets: &[GoldTicket],
    retriever: &dyn Retriever,
    baseline: &RawIndex,
    config: &Config,
) -> Result<[Scores; 2]> {
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    for t in tickets {
        let label = Path::new(&t.id);
        let ticket = ticket::from_messages(vec![ticket::text_message(&t.text, label)], config);
        let found = suggest::suggest(&ticket, retriever, suggest::Options { top: DEPTH })?;
        ours.push((t.clone(), found.matches.into_iter().map(|m| m.id).collect()));
        raw.push((t.clone(), baseline.search(&t.text, DEPTH)?));
    }
    Ok([
        score("casebook suggest", &ours),
        score("raw BM25 baseline", &raw),
    ])
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
