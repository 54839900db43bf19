//! Recurring problems: which cases share a root cause and become one article.
//!
//! Takes cases and the `[kb]` thresholds, gives groups of case indexes and the decision made for
//! every pair that was compared. The evidence and its weights come from `features`.
//!
//! **Candidates** (which pairs are scored at all) are found without comparing all pairs:
//! - every pair inside the posting list of a key entity held by at most `max_key_cases` cases;
//! - every pair inside a MinHash/LSH bucket: each case's weighted features are hashed
//!   [`BANDS`] × [`ROWS`] times and cases that agree on all rows of a band share a bucket, so
//!   cases with (nearly) the same evidence meet even when each of their entities is common. A
//!   bucket larger than `max_key_cases` compares each member with the next `max_key_cases` only.
//!
//! **Score.** A candidate pair must share a key entity and must not *conflict* (both name error
//! codes, or files, or KB numbers, and share none of that kind). It scores
//! `E^entity_weight × T^(1 − entity_weight)`, where `E` and `T` are the weighted Jaccard indexes
//! of the key entities and of the fix tokens: both must agree, so the same error fixed two
//! different ways, or two errors fixed the same way, stay apart. When neither fix holds a weighted
//! token, the score is `E`. Pairs at or above
//! `merge_threshold` merge, transitively (union–find); a pair already joined through others is not
//! scored again. Reported: every merge, and each case's closest miss at or above `report_floor`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::features::{self, Features, Kind, Vocabulary, UNNAMED_KEY};
use super::KbConfig;
use crate::model::Case;

/// MinHash bands and rows per band: two cases with weighted-feature Jaccard `s` share a bucket
/// with probability `1 − (1 − s^ROWS)^BANDS` (0.99 at s = 0.8, 0.04 at s = 0.3).
pub const BANDS: usize = 12;
pub const ROWS: usize = 3;

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
    /// The key entities both cases name (the reason they were compared).
    pub shared: Vec<String>,
    /// The entity kind on which the two cases disagree (`code`, `file`, `kb`), which keeps them
    /// apart whatever they score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conflict: Option<&'static str>,
}

/// What grouping decided: the groups, the merges and closest misses, and how many candidate
/// pairs were looked at.
pub struct Grouping {
    /// Case indexes per group; groups ordered by their first member, members by index.
    pub groups: Vec<Vec<usize>>,
    /// Every merge, and for each case its closest miss scoring at least `report_floor`.
    pub decisions: Vec<MergeDecision>,
    /// Candidate pairs found (before skipping those already joined).
    pub candidates: usize,
}

/// Groups `cases` (indexes into the slice) by shared root cause. Sorting the cases first makes
/// the result stable.
pub fn group(cases: &[&Case], config: &KbConfig) -> Grouping {
    let (feats, vocab) = features::extract(cases, config.common_fraction);
    let pairs = candidates(&feats, &vocab, config.max_key_cases.max(1));
    let mut parent: Vec<usize> = (0..cases.len()).collect();
    let mut decisions = Vec::new();
    // Each case's closest miss: (score, other case). Keeping one per case bounds the report
    // (a library of 20,000 cases has millions of compared pairs).
    let mut best_miss: Vec<Option<(f32, usize)>> = vec![None; cases.len()];
    for &(i, j) in &pairs {
        // A pair already joined through others needs no score of its own.
        if find(&mut parent, i) == find(&mut parent, j) {
            continue;
        }
        let Some(s) = score(&feats[i], &feats[j], &vocab, config) else {
            continue;
        };
        if s.merged {
            union(&mut parent, i, j);
            decisions.push(decision(cases, &feats, &vocab, i, j, &s));
        } else if s.score >= config.report_floor {
            for (a, b) in [(i, j), (j, i)] {
                if best_miss[a].is_none_or(|(best, _)| s.score > best) {
                    best_miss[a] = Some((s.score, b));
                }
            }
        }
    }
    let mut misses: Vec<(usize, usize)> = best_miss
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|(_, j)| (i.min(j), i.max(j))))
        .collect();
    misses.sort_unstable();
    misses.dedup();
    for (i, j) in misses {
        if find(&mut parent, i) == find(&mut parent, j) {
            continue;
        }
        if let Some(s) = score(&feats[i], &feats[j], &vocab, config) {
            decisions.push(decision(cases, &feats, &vocab, i, j, &s));
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
    Grouping {
        groups,
        decisions,
        candidates: pairs.len(),
    }
}

/// Candidate pairs `(i, j)`, `i < j`, sorted, each once.
fn candidates(feats: &[Features], vocab: &Vocabulary, cap: usize) -> Vec<(usize, usize)> {
    // Pairs packed in a u64 and deduplicated by sorting: 8 bytes a pair, no hash table.
    let mut seen: Vec<u64> = Vec::new();
    let add_list = |list: &[u32], seen: &mut Vec<u64>| {
        for (n, &i) in list.iter().enumerate() {
            for &j in list[n + 1..].iter().take(cap) {
                seen.push(((i.min(j) as u64) << 32) | i.max(j) as u64);
            }
        }
    };
    let mut postings: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, f) in feats.iter().enumerate() {
        for &k in &f.named {
            postings.entry(k).or_default().push(i as u32);
        }
    }
    for list in postings.values().filter(|l| l.len() <= cap) {
        add_list(list, &mut seen);
    }
    let mut buckets: HashMap<(usize, [u64; ROWS]), Vec<u32>> = HashMap::new();
    for (i, f) in feats.iter().enumerate() {
        // Only cases with a key entity can merge; only weighted features say anything.
        if f.named.is_empty() {
            continue;
        }
        let set: Vec<u32> = f
            .named
            .iter()
            .chain(&f.tokens)
            .copied()
            .filter(|&id| vocab.weights[id as usize] > 0.0 || vocab.kinds[id as usize].is_some())
            .collect();
        if set.is_empty() {
            continue;
        }
        for band in 0..BANDS {
            let mut rows = [0u64; ROWS];
            for (r, row) in rows.iter_mut().enumerate() {
                let seed = (band * ROWS + r) as u64;
                *row = set
                    .iter()
                    .map(|&id| mix(id as u64, seed))
                    .min()
                    .unwrap_or(0);
            }
            buckets.entry((band, rows)).or_default().push(i as u32);
        }
    }
    for list in buckets.values().filter(|l| l.len() > 1) {
        add_list(list, &mut seen);
    }
    seen.sort_unstable();
    seen.dedup();
    seen.into_iter()
        .map(|p| ((p >> 32) as usize, (p & 0xFFFF_FFFF) as usize))
        .collect()
}

/// A 64-bit hash of `x` under `seed` (splitmix64's finaliser): one MinHash permutation per seed.
fn mix(x: u64, seed: u64) -> u64 {
    let mut z = x
        .wrapping_add(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Weighted Jaccard index of the key entities: a key neither case's summary names counts
/// [`UNNAMED_KEY`] of its weight.
fn key_similarity(a: &Features, b: &Features, w: &[f32]) -> f32 {
    let weight = |id: u32, named: bool| w[id as usize] * if named { 1.0 } else { UNNAMED_KEY };
    let named = |f: &Features, id: u32| f.named.binary_search(&id).is_ok();
    let (mut shared, mut union) = (0.0f32, 0.0f32);
    for &id in &a.keys {
        if b.keys.binary_search(&id).is_ok() {
            let x = weight(id, named(a, id) || named(b, id));
            shared += x;
            union += x;
        } else {
            union += weight(id, named(a, id));
        }
    }
    for &id in b.keys.iter().filter(|id| a.keys.binary_search(id).is_err()) {
        union += weight(id, named(b, id));
    }
    if union > 0.0 {
        shared / union
    } else {
        0.0
    }
}

/// Weighted Jaccard index of two sorted id lists: shared weight over union weight; `None` when
/// nothing in either weighs anything.
fn weighted_jaccard(a: &[u32], b: &[u32], w: &[f32]) -> Option<f32> {
    let (mut shared, mut union) = (0.0f32, 0.0f32);
    let (mut x, mut y) = (0, 0);
    while x < a.len() || y < b.len() {
        let (ida, idb) = (a.get(x), b.get(y));
        match (ida, idb) {
            (Some(&p), Some(&q)) if p == q => {
                shared += w[p as usize];
                union += w[p as usize];
                x += 1;
                y += 1;
            }
            (Some(&p), Some(&q)) if p < q => {
                union += w[p as usize];
                x += 1;
            }
            (Some(&p), None) => {
                union += w[p as usize];
                x += 1;
            }
            (_, Some(&q)) => {
                union += w[q as usize];
                y += 1;
            }
            (None, None) => break,
        }
    }
    (union > 0.0).then(|| shared / union)
}

/// The kind on which `a` and `b` conflict: both name entities of it and share none.
fn conflict(a: &[u32], b: &[u32], vocab: &Vocabulary) -> Option<Kind> {
    [Kind::Code, Kind::File, Kind::Kb]
        .into_iter()
        .find(|&kind| {
            let of = |id: &u32| vocab.kinds[*id as usize] == Some(kind);
            let mut x = a.iter().filter(|id| of(id)).peekable();
            let has_b = b.iter().any(of);
            x.peek().is_some() && has_b && !x.any(|id| b.binary_search(id).is_ok())
        })
}

/// The scores of one pair.
struct Scored {
    entity: f32,
    text: f32,
    score: f32,
    conflict: Option<Kind>,
    merged: bool,
}

/// Scores one candidate pair; `None` when they share no key entity.
fn score(a: &Features, b: &Features, vocab: &Vocabulary, config: &KbConfig) -> Option<Scored> {
    if !a.keys.iter().any(|k| b.keys.binary_search(k).is_ok()) {
        return None;
    }
    let conflict = conflict(&a.named, &b.named, vocab);
    let entity = key_similarity(a, b, &vocab.weights);
    let w = config.entity_weight.clamp(0.0, 1.0);
    // When neither fix says anything weighted (template words and masked entities only), the
    // entities are all the evidence there is.
    let (text, score) = match weighted_jaccard(&a.tokens, &b.tokens, &vocab.weights) {
        Some(t) => (t, entity.powf(w) * t.powf(1.0 - w)),
        None => (0.0, entity),
    };
    Some(Scored {
        entity,
        text,
        score,
        conflict,
        merged: conflict.is_none() && score >= config.merge_threshold,
    })
}

/// The reported form of a scored pair.
fn decision(
    cases: &[&Case],
    feats: &[Features],
    vocab: &Vocabulary,
    i: usize,
    j: usize,
    s: &Scored,
) -> MergeDecision {
    let (a, b) = (&feats[i], &feats[j]);
    let shared: Vec<String> = a
        .keys
        .iter()
        .filter(|k| b.keys.binary_search(k).is_ok())
        .map(|&k| vocab.names[k as usize].clone())
        .collect();
    let mut ids = [cases[i].id.clone(), cases[j].id.clone()];
    ids.sort();
    MergeDecision {
        cases: ids,
        merged: s.merged,
        score: round3(s.score),
        entity_similarity: round3(s.entity),
        text_similarity: round3(s.text),
        shared,
        conflict: s.conflict.map(Kind::name),
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

    fn agent_case(id: &str, file: &str, code: &str, agent: &str) -> Case {
        let mut c = case(
            id,
            1,
            &format!("Upgrade fails with {code}"),
            &format!("The {agent} agent hooks {file}."),
            &format!("Disable the {agent} services."),
            &[],
        );
        c.entities.files = vec![file.into()];
        c.entities.error_codes = vec![code.into()];
        c
    }

    #[test]
    fn pairs_without_a_shared_key_entity_are_not_compared() {
        let mut a = case("A", 1, "x", "same cause", "same fix", &["same step"]);
        let mut b = case("B", 2, "x", "same cause", "same fix", &["same step"]);
        a.entities.versions = vec!["1.0".into()];
        b.entities.versions = vec!["1.0".into()];
        let Grouping {
            groups, decisions, ..
        } = group(&[&a, &b], &KbConfig::default());
        assert_eq!(groups, vec![vec![0], vec![1]]);
        assert!(decisions.is_empty());
    }

    #[test]
    fn merging_is_transitive() {
        let mut cases: Vec<_> = (0..3)
            .map(|i| {
                case(
                    &format!("C{i}"),
                    1 + i,
                    "t",
                    "driver defect in the filter",
                    "upgrade the driver",
                    &[],
                )
            })
            .collect();
        cases[0].cause.push_str(" a.sys");
        cases[1].cause.push_str(" a.sys b.sys");
        cases[2].cause.push_str(" b.sys");
        cases[0].entities.files = vec!["a.sys".into()];
        cases[1].entities.files = vec!["a.sys".into(), "b.sys".into()];
        cases[2].entities.files = vec!["b.sys".into()];
        let refs: Vec<&Case> = cases.iter().collect();
        let Grouping {
            groups, decisions, ..
        } = group(&refs, &KbConfig::default());
        assert_eq!(groups, vec![vec![0, 1, 2]]);
        let pairs: Vec<[String; 2]> = decisions.iter().map(|d| d.cases.clone()).collect();
        assert_eq!(pairs, [["C0", "C1"], ["C1", "C2"]]);
        assert_eq!(decisions[0].entity_similarity, 0.5);
        assert_eq!(decisions[0].text_similarity, 1.0);
        assert_eq!(decisions[0].score, 0.707);
    }

    /// 40 cases on one component and one code, fixed by four different agents' removal.
    fn library() -> Vec<Case> {
        (0..40)
            .map(|i| {
                let agent = ["SafeGuard", "zkcloud", "EndpointX", "NetShield"][i % 4];
                agent_case(&format!("C{i:02}"), "setuphost.exe", "0x80070005", agent)
            })
            .collect()
    }

    #[test]
    fn a_different_fix_or_a_conflicting_code_keeps_cases_apart() {
        let mut cases = library();
        cases[4] = agent_case("C04", "setuphost.exe", "0xC1900101", "SafeGuard");
        let refs: Vec<&Case> = cases.iter().collect();
        let config = KbConfig {
            report_floor: 0.0,
            ..KbConfig::default()
        };
        let Grouping {
            groups, decisions, ..
        } = group(&refs, &config);
        assert_eq!(groups.len(), 5);
        assert_eq!(groups[0], [0, 8, 12, 16, 20, 24, 28, 32, 36]);
        assert_eq!(groups[4], [4]);
        let d = |a: &str, b: &str| decisions.iter().find(|d| d.cases == [a, b]);
        let same = d("C00", "C08").unwrap();
        assert!(same.merged);
        assert_eq!((same.entity_similarity, same.text_similarity), (1.0, 1.0));
        // C01 is fixed by removing another agent: it was compared (same keys) and kept apart.
        let other_fix = d("C00", "C01").unwrap();
        assert_eq!(other_fix.text_similarity, 0.0);
        assert!(!other_fix.merged);
        let code = d("C00", "C04").unwrap();
        assert_eq!(code.conflict, Some("code"));
        assert!(!code.merged);
    }

    #[test]
    fn fixes_with_nothing_weighted_leave_the_decision_to_the_entities() {
        // 40 cases whose fixes are one template: only the masked module names differ.
        let cases: Vec<Case> = (0..40)
            .map(|i| {
                let m = format!("module{}.dll", i / 2);
                let mut c = case(
                    &format!("C{i:02}"),
                    1,
                    &format!("Upgrade fails, {m} in the log"),
                    &format!("A filter in {m} hooks setup."),
                    &format!("Disable the service that loads {m}."),
                    &[],
                );
                c.entities.files = vec![m];
                c
            })
            .collect();
        let refs: Vec<&Case> = cases.iter().collect();
        let Grouping {
            groups, decisions, ..
        } = group(&refs, &KbConfig::default());
        assert_eq!(groups.len(), 20);
        assert_eq!(groups[0], [0, 1]);
        assert_eq!(decisions[0].text_similarity, 0.0);
        assert_eq!(decisions[0].score, 1.0);
    }

    #[test]
    fn common_keys_are_paired_through_minhash_buckets() {
        // Every key is in all 40 cases, more than the cap: only LSH buckets can pair them.
        let cases = library();
        let refs: Vec<&Case> = cases.iter().collect();
        let config = KbConfig {
            max_key_cases: 5,
            ..KbConfig::default()
        };
        let groups = group(&refs, &config).groups;
        assert_eq!(groups.len(), 4);
        assert_eq!(groups[1], (1..40).step_by(4).collect::<Vec<_>>());
    }
}
