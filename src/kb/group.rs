//! Recurring problems: which cases share a root cause and become one article.
//!
//! Takes cases and the `[kb]` thresholds, gives groups of case indexes and the decision made for
//! every pair that was compared. Two cases are compared only when they share a *key entity* (an
//! error code, a file, a KB number): a root cause without one cannot be recognised across wordings
//! and languages. A compared pair scores
//! `entity_weight × J(entities) + (1 − entity_weight) × J(fix text)`, where `J` is the Jaccard
//! index, the entities are error codes, files, KB numbers and versions, and the fix text is the
//! cause, resolution and steps cut into tokens (ASCII words, Chinese character bigrams). Pairs at
//! or above `merge_threshold` are merged, and merging is transitive (union–find).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::KbConfig;
use crate::model::Case;

/// What was decided for one compared pair of cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeDecision {
    /// The two case ids, in id order.
    pub cases: [String; 2],
    pub merged: bool,
    /// The weighted score compared with `merge_threshold`.
    pub score: f32,
    pub entity_similarity: f32,
    pub text_similarity: f32,
    /// The key entities both cases mention (the reason they were compared).
    pub shared: Vec<String>,
}

/// The evidence one case brings to the comparison.
struct Signature {
    /// Error codes, files and KB numbers, lower-cased and prefixed with their kind.
    keys: BTreeSet<String>,
    /// `keys` plus versions.
    entities: BTreeSet<String>,
    tokens: BTreeSet<String>,
}

fn signature(case: &Case) -> Signature {
    let e = &case.entities;
    let kinds: [(&str, &Vec<String>); 3] =
        [("code", &e.error_codes), ("file", &e.files), ("kb", &e.kb)];
    let keys: BTreeSet<String> = kinds
        .iter()
        .flat_map(|(kind, values)| {
            values
                .iter()
                .map(move |v| format!("{kind}:{}", v.to_lowercase()))
        })
        .collect();
    let mut entities = keys.clone();
    entities.extend(
        e.versions
            .iter()
            .map(|v| format!("version:{}", v.to_lowercase())),
    );
    let mut text = format!("{}\n{}", case.cause, case.resolution);
    for s in &case.steps {
        text.push('\n');
        text.push_str(s);
    }
    Signature {
        keys,
        entities,
        tokens: tokens(&text),
    }
}

/// Cuts text into comparison tokens: lower-cased ASCII words of two or more characters, and each
/// pair of adjacent CJK characters (bigrams match Chinese wording without a dictionary, and are
/// what search engines fall back on for the same reason).
pub fn tokens(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut word = String::new();
    let mut prev_cjk: Option<char> = None;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || (c == '_' && !word.is_empty()) {
            word.push(c.to_ascii_lowercase());
        } else if word.len() >= 2 {
            out.insert(std::mem::take(&mut word));
        } else {
            word.clear();
        }
        if is_cjk(c) {
            if let Some(p) = prev_cjk {
                out.insert(format!("{p}{c}"));
            }
            prev_cjk = Some(c);
        } else {
            prev_cjk = None;
        }
    }
    if word.len() >= 2 {
        out.insert(word);
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 0.0;
    }
    let shared = a.intersection(b).count();
    shared as f32 / (a.len() + b.len() - shared) as f32
}

/// Groups `cases` (indexes into the slice) by shared root cause. Groups are ordered by their
/// first member and members by index, so sorting the cases first makes the result stable.
pub fn group(cases: &[&Case], config: &KbConfig) -> (Vec<Vec<usize>>, Vec<MergeDecision>) {
    let sigs: Vec<Signature> = cases.iter().map(|c| signature(c)).collect();
    // Inverted index key → cases. A key shared by very many cases is a common component, not a
    // root cause, and comparing all of them would be quadratic: such keys are not used to pair.
    let mut postings: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in sigs.iter().enumerate() {
        for k in &s.keys {
            postings.entry(k.as_str()).or_default().push(i);
        }
    }
    let mut parent: Vec<usize> = (0..cases.len()).collect();
    let mut decisions = Vec::new();
    // `compared_with[j] == i` once pair (i, j) is scored, so a pair sharing several keys is
    // scored once.
    let mut compared_with = vec![usize::MAX; cases.len()];
    for i in 0..cases.len() {
        for k in &sigs[i].keys {
            let Some(list) = postings.get(k.as_str()) else {
                continue;
            };
            if list.len() > config.max_key_cases {
                continue;
            }
            for &j in list.iter().filter(|&&j| j > i) {
                if compared_with[j] == i {
                    continue;
                }
                compared_with[j] = i;
                let d = decide(cases, &sigs, i, j, config);
                if d.merged {
                    union(&mut parent, i, j);
                }
                if d.merged || d.score >= config.report_floor {
                    decisions.push(d);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..cases.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
    groups.sort_by_key(|g| g[0]);
    decisions.sort_by(|a, b| a.cases.cmp(&b.cases));
    (groups, decisions)
}

fn decide(
    cases: &[&Case],
    sigs: &[Signature],
    i: usize,
    j: usize,
    config: &KbConfig,
) -> MergeDecision {
    let (a, b) = (&sigs[i], &sigs[j]);
    let entity_similarity = jaccard(&a.entities, &b.entities);
    let text_similarity = jaccard(&a.tokens, &b.tokens);
    let w = config.entity_weight.clamp(0.0, 1.0);
    let score = w * entity_similarity + (1.0 - w) * text_similarity;
    let mut ids = [cases[i].id.clone(), cases[j].id.clone()];
    ids.sort();
    MergeDecision {
        cases: ids,
        merged: score >= config.merge_threshold,
        score: round3(score),
        entity_similarity: round3(entity_similarity),
        text_similarity: round3(text_similarity),
        shared: a.keys.intersection(&b.keys).cloned().collect(),
    }
}

/// Scores are reported with three decimals so the JSON is stable and readable.
fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Joins two sets, keeping the smaller index as the root so roots are stable.
fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[hi] = lo;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::case;

    #[test]
    fn tokens_are_ascii_words_and_cjk_bigrams() {
        let t: Vec<String> = tokens("禁用zkcloud服务, run zk_hook.dll 1 a")
            .into_iter()
            .collect();
        assert_eq!(t, ["dll", "run", "zk_hook", "zkcloud", "服务", "禁用"]);
    }

    #[test]
    fn pairs_without_a_shared_key_entity_are_not_compared() {
        let mut a = case("A", 1, "x", "same cause", "same fix", &["same step"]);
        let mut b = case("B", 2, "x", "same cause", "same fix", &["same step"]);
        a.entities.versions = vec!["1.0".into()];
        b.entities.versions = vec!["1.0".into()];
        let (groups, decisions) = group(&[&a, &b], &KbConfig::default());
        assert_eq!(groups, vec![vec![0], vec![1]]);
        assert!(decisions.is_empty());
    }

    #[test]
    fn merging_is_transitive_and_keys_shared_too_widely_are_ignored() {
        let mut cases: Vec<_> = (0..3)
            .map(|i| {
                case(
                    &format!("C{i}"),
                    1 + i,
                    "t",
                    "driver defect",
                    "upgrade the driver",
                    &[],
                )
            })
            .collect();
        cases[0].entities.files = vec!["a.sys".into()];
        cases[1].entities.files = vec!["a.sys".into(), "b.sys".into()];
        cases[2].entities.files = vec!["b.sys".into()];
        let refs: Vec<&Case> = cases.iter().collect();
        let (groups, decisions) = group(&refs, &KbConfig::default());
        assert_eq!(groups, vec![vec![0, 1, 2]]);
        let pairs: Vec<[String; 2]> = decisions.iter().map(|d| d.cases.clone()).collect();
        assert_eq!(pairs, [["C0", "C1"], ["C1", "C2"]]);
        assert_eq!(decisions[0].score, 0.75);

        let config = KbConfig {
            max_key_cases: 1,
            ..KbConfig::default()
        };
        let (groups, decisions) = group(&refs, &config);
        assert_eq!(groups.len(), 3);
        assert!(decisions.is_empty());
    }
}
