//! The bilingual technical thesaurus: sets of equivalent terms (`证书 | certificate | cert`) that
//! query expansion adds, at a lower weight than the words typed, so a Chinese symptom word finds
//! an English case and the other way round.
//!
//! The built-in sets are data (`thesaurus.txt` beside this file); `[search] synonyms` in
//! `casebook.toml` adds more through the same [`Thesaurus::add`]. Every term is analysed like a
//! document (folded, zh-Hant to simplified, English stemmed), so it matches whatever form the
//! query uses.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use super::analyzer::{pieces, Piece};

const BUILTIN: &str = include_str!("thesaurus.txt");

/// `[search]` in `casebook.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// More sets of equivalent terms, each a list: `[["工单", "ticket"], ["证书", "cert"]]`.
    pub synonyms: Vec<Vec<String>>,
}

/// A term as analysed tokens with their positions relative to its first token.
pub type Sequence = Vec<(usize, String)>;

#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    sets: Vec<Vec<Sequence>>,
    /// First token of a term → (set, term) for every term that starts with it.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// Where a thesaurus term stands in analysed text, and what it may be replaced with.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Positions `[from, to)` of the text the term covers.
    pub from: usize,
    pub to: usize,
    /// The other terms of its set(s), as token sequences.
    pub alternatives: Vec<Sequence>,
}

static BUILT_IN: LazyLock<Arc<Thesaurus>> = LazyLock::new(|| {
    let mut t = Thesaurus::default();
    for line in BUILTIN.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let terms: Vec<String> = line.split('|').map(|s| s.trim().to_string()).collect();
        t.add(&terms);
    }
    Arc::new(t)
});

impl Thesaurus {
    /// The built-in sets (shared; cheap to clone).
    pub fn builtin() -> Arc<Thesaurus> {
        BUILT_IN.clone()
    }

    /// The built-in sets plus the user's.
    pub fn with_config(config: &SearchConfig) -> Arc<Thesaurus> {
        if config.synonyms.is_empty() {
            return Thesaurus::builtin();
        }
        let mut t = (*Thesaurus::builtin()).clone();
        for set in &config.synonyms {
            t.add(set);
        }
        Arc::new(t)
    }

    /// Adds one set of equivalent terms (terms that analyse to nothing are dropped).
    pub fn add(&mut self, terms: &[String]) {
        let seqs: Vec<Sequence> = terms
            .iter()
            .map(|t| sequence(t))
            .filter(|s| !s.is_empty())
            .collect();
        if seqs.len() < 2 {
            return;
        }
        let set = self.sets.len();
        for (i, s) in seqs.iter().enumerate() {
            self.by_first
                .entry(s[0].1.clone())
                .or_default()
                .push((set, i));
        }
        self.sets.push(seqs);
    }

    /// The thesaurus terms in `ps` (pieces of analysed text), longest first at each position,
    /// never overlapping. A term's token may match a piece's inner word too (`登录` inside
    /// `登录失败`), so Chinese compounds are expanded as well.
    pub fn find(&self, ps: &[Piece]) -> Vec<Found> {
        let mut at: HashMap<usize, Vec<&str>> = HashMap::new();
        for p in ps {
            at.entry(p.position).or_default().push(&p.text);
        }
        let mut positions: Vec<usize> = at.keys().copied().collect();
        positions.sort_unstable();
        let has = |pos: usize, t: &str| at.get(&pos).is_some_and(|v| v.contains(&t));
        let mut out: Vec<Found> = Vec::new();
        let mut covered_to = 0;
        for &pos in &positions {
            if pos < covered_to && !out.is_empty() {
                continue;
            }
            let mut best: Option<(usize, Vec<usize>)> = None;
            for tok in &at[&pos] {
                for &(set, term) in self.by_first.get(*tok).into_iter().flatten() {
                    let seq = &self.sets[set][term];
                    if !seq.iter().all(|(rel, t)| has(pos + rel, t)) {
                        continue;
                    }
                    let len = seq.last().map_or(1, |(rel, _)| rel + 1);
                    match &mut best {
                        Some((l, sets)) if *l == len => {
                            if !sets.contains(&set) {
                                sets.push(set);
                            }
                        }
                        Some((l, _)) if *l > len => {}
                        _ => best = Some((len, vec![set])),
                    }
                }
            }
            if let Some((len, sets)) = best {
                let mut alternatives: Vec<Sequence> = Vec::new();
                for set in sets {
                    for seq in &self.sets[set] {
                        let len_of = seq.last().map_or(1, |(rel, _)| rel + 1);
                        let same = len_of == len && seq.iter().all(|(rel, t)| has(pos + rel, t));
                        if !same && !alternatives.contains(seq) {
                            alternatives.push(seq.clone());
                        }
                    }
                }
                out.push(Found {
                    from: pos,
                    to: pos + len,
                    alternatives,
                });
                covered_to = pos + len;
            }
        }
        out
    }

    /// The tokens of every alternative for the terms in `text` (for weighted term queries).
    pub fn expansion_tokens(&self, text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in self.find(&pieces(text)) {
            for seq in f.alternatives {
                for (_, t) in seq {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }
}

/// The primary tokens of `term` with positions relative to the first.
fn sequence(term: &str) -> Sequence {
    let ps: Vec<Piece> = pieces(term).into_iter().filter(|p| p.primary).collect();
    let first = ps.first().map_or(0, |p| p.position);
    ps.into_iter()
        .map(|p| (p.position - first, p.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alts(text: &str) -> Vec<(usize, usize, Vec<String>)> {
        Thesaurus::builtin()
            .find(&pieces(text))
            .into_iter()
            .map(|f| {
                let words = f
                    .alternatives
                    .iter()
                    .map(|s| {
                        s.iter()
                            .map(|(_, t)| t.as_str())
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                (f.from, f.to, words)
            })
            .collect()
    }

    #[test]
    fn chinese_finds_english_and_back() {
        assert_eq!(
            alts("证书过期"),
            vec![
                (0, 1, vec!["凭证".into(), "certif".into(), "cert".into()]),
                (
                    1,
                    2,
                    vec![
                        "到期".into(),
                        "失效".into(),
                        "expir".into(),
                        "expiri".into(),
                    ]
                ),
            ]
        );
        let spooler = alts("print spooler crash");
        assert_eq!(spooler[0].0..spooler[0].1, 0..2);
        // jieba cuts the Chinese term in three words, kept as a phrase.
        assert_eq!(spooler[0].2[0], "打印 后台 处理程序");
    }

    #[test]
    fn traditional_terms_fold() {
        // 憑證 folds to 凭证, which is in the certificate set.
        assert!(alts("憑證")[0].2.contains(&"certif".to_string()));
    }

    #[test]
    fn user_sets_extend_the_builtin_ones() {
        let config = SearchConfig {
            synonyms: vec![vec!["工单".into(), "ticket".into()]],
        };
        let t = Thesaurus::with_config(&config);
        assert_eq!(t.expansion_tokens("工单"), vec!["ticket".to_string()]);
        assert!(Thesaurus::builtin().expansion_tokens("工单").is_empty());
    }
}
