//! Pairwise precision and recall of the grouping against ground-truth labels (the NDJSON that
//! `shared/bench/gen_corpus.py --labels FILE` writes: one `{"case": …, "root": …, "resolved": …}`
//! per case).
//!
//! Takes articles and the labels, gives the counts: a pair of labelled cases in one article is
//! a true positive when their roots are equal; recall counts every pair of article-eligible
//! labelled cases sharing a root. Also the number of distinct roots among the confirmed
//! (`resolved`) cases, the number the article count should be close to.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::model::Article;

/// One label line.
#[derive(Debug, Clone, Deserialize)]
pub struct Label {
    pub case: String,
    pub root: String,
    #[serde(default)]
    pub resolved: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Pairwise {
    /// Labelled cases found in the articles.
    pub cases: usize,
    pub precision: f64,
    pub recall: f64,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub gold_pairs: u64,
    /// Distinct roots among the labelled, confirmed cases that have an article.
    pub roots: usize,
    /// Articles holding at least one labelled case.
    pub articles: usize,
}

/// Parses the labels file; lines that are not labels are skipped and counted.
pub fn parse_labels(text: &str) -> (Vec<Label>, usize) {
    let mut bad = 0;
    let labels = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| match serde_json::from_str::<Label>(l) {
            Ok(x) => Some(x),
            Err(_) => {
                bad += 1;
                None
            }
        })
        .collect();
    (labels, bad)
}

/// Scores `articles` against `labels`.
pub fn score(articles: &[Article], labels: &[Label]) -> Pairwise {
    let root: HashMap<&str, &Label> = labels.iter().map(|l| (l.case.as_str(), l)).collect();
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut out = Pairwise::default();
    let mut by_root: HashMap<&str, u64> = HashMap::new();
    let mut roots: BTreeSet<&str> = BTreeSet::new();
    for a in articles {
        let mut in_article: HashMap<&str, u64> = HashMap::new();
        let mut n = 0;
        for c in &a.cases {
            if let Some(l) = root.get(c.id.as_str()) {
                n += 1;
                *in_article.entry(l.root.as_str()).or_default() += 1;
                *by_root.entry(l.root.as_str()).or_default() += 1;
                if l.resolved {
                    roots.insert(l.root.as_str());
                }
            }
        }
        if n > 0 {
            out.articles += 1;
        }
        out.cases += n as usize;
        out.predicted_pairs += pairs(n);
        out.true_pairs += in_article.values().map(|&k| pairs(k)).sum::<u64>();
    }
    out.gold_pairs = by_root.values().map(|&k| pairs(k)).sum();
    out.roots = roots.len();
    out.precision = ratio(out.true_pairs, out.predicted_pairs);
    out.recall = ratio(out.true_pairs, out.gold_pairs);
    out
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::case;
    use crate::kb::{self, KbConfig};

    #[test]
    fn pairs_are_counted_against_the_roots() {
        let cases: Vec<_> = ["A", "B", "C"]
            .iter()
            .map(|id| {
                let mut c = case(
                    id,
                    1,
                    "Backup fails with 0x80070005",
                    "c",
                    "Grant rights",
                    &[],
                );
                c.entities.error_codes = vec!["0x80070005".into()];
                c
            })
            .collect();
        let (articles, _) = kb::articles(&cases, &KbConfig::default());
        assert_eq!(articles.len(), 1);
        let (labels, bad) = parse_labels(
            "{\"case\":\"A\",\"root\":\"x\",\"resolved\":true}\n\
             {\"case\":\"B\",\"root\":\"x\",\"resolved\":true}\n\
             {\"case\":\"C\",\"root\":\"y\",\"resolved\":false}\nnot json\n",
        );
        assert_eq!(bad, 1);
        let p = score(&articles, &labels);
        assert_eq!((p.true_pairs, p.predicted_pairs, p.gold_pairs), (1, 3, 1));
        assert_eq!((p.precision, p.recall), (1.0 / 3.0, 1.0));
        assert_eq!((p.roots, p.articles, p.cases), (1, 1, 3));
    }
}
