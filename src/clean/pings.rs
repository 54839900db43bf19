//! Status pings: templated follow-ups that carry no new information, found by near-duplicate
//! similarity, not by a list of sentences.
//!
//! Takes the cleaned texts of all messages (with the thread each belongs to, in thread order);
//! gives each a boilerplate score and a ping decision. A message's text is cut into shingles
//! (runs of [`SHINGLE`] units: a CJK character or a Latin word, numbers folded to `#` so dates do
//! not make a template look new). Two kinds of evidence say "template":
//! - *template share*: the part of its shingles that recur in at least two other messages,
//!   anywhere in the corpus (a phrase the team keeps sending). Counting needs one hash map of
//!   shingle → number of messages: linear.
//! - *near-duplicate*: the Jaccard similarity to its closest other message, candidates found by
//!   MinHash with banded locality-sensitive hashing, so no pair of messages is compared unless
//!   their signatures collide in a band (near-linear, bucket scans capped).
//!
//! Against that stands *new information*: a technical term (a file, an error code, a command, a
//! path…) not seen in any earlier message of the same thread. A follow-up that asks for a new
//! log with a named tool is an information request, not a ping, however formulaic its wording.
//! Copying a long analysis into a summary only raises the similarity of a pair of messages, and
//! the first of the two brought its terms first, so it stays content.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::rules::Rule;

/// Units per shingle.
pub const SHINGLE: usize = 4;
/// Consecutive template shingles needed before they count (a run of 3 is 6 units: a clause).
const MIN_RUN: usize = 3;
/// MinHash signature: BANDS bands of ROWS rows.
const BANDS: usize = 16;
const ROWS: usize = 3;
/// Members of one LSH bucket compared with a message: a huge bucket is a template sent
/// thousands of times, and its first members are as good a witness as any.
const BUCKET_SCAN: usize = 48;

/// The `[clean.pings]` thresholds.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PingConfig {
    /// Template share at or above which a message is a ping.
    pub template_share: f32,
    /// Jaccard similarity to one other message at or above which a message is a ping.
    pub near_duplicate: f32,
    /// Messages with fewer shingles are too short to judge (`问题已解决，请关单。`).
    pub min_shingles: usize,
}

impl Default for PingConfig {
    fn default() -> Self {
        PingConfig {
            template_share: 0.30,
            near_duplicate: 0.65,
            min_shingles: 8,
        }
    }
}

/// One cleaned message: the thread it belongs to and its text.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub thread: usize,
    pub text: &'a str,
}

/// The evidence for one message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PingScore {
    /// max(template share, near-duplicate similarity), 0.0–1.0.
    pub boilerplate: f32,
    pub template_share: f32,
    pub near_duplicate: f32,
    /// Technical terms this message is the first in its thread to mention.
    pub new_terms: Vec<String>,
    pub ping: bool,
}

/// Scores every document; `docs` of one thread must be in thread order.
pub fn score(docs: &[Doc], boilerplate: &[Rule], config: &PingConfig) -> Vec<PingScore> {
    let sets: Vec<Vec<u64>> = docs.iter().map(|d| shingles(d.text)).collect();
    let mut df: HashMap<u64, u32> = HashMap::new();
    for s in &sets {
        for h in s {
            *df.entry(*h).or_insert(0) += 1;
        }
    }
    let near = nearest(&sets, config.min_shingles);
    let new_terms = new_terms(docs);
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let s = &sets[i];
            let declared: HashSet<u64> = d
                .text
                .lines()
                .filter(|l| boilerplate.iter().any(|r| r.re.is_match(l.trim())))
                .flat_map(shingles)
                .collect();
            let template = template_shingles(d.text, |h| {
                df.get(&h).copied().unwrap_or(0) >= 3 || declared.contains(&h)
            })
            .len();
            let share = if s.is_empty() {
                0.0
            } else {
                template as f32 / s.len() as f32
            };
            let terms = new_terms[i].clone();
            let ping = s.len() >= config.min_shingles
                && terms.is_empty()
                && (share >= config.template_share || near[i] >= config.near_duplicate);
            PingScore {
                boilerplate: share.max(near[i]),
                template_share: share,
                near_duplicate: near[i],
                new_terms: terms,
                ping,
            }
        })
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// FNV-1a, enough to spread units; collisions only blur a score.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

/// SplitMix64's finalizer: a cheap, well-mixed permutation of u64.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}

/// The text's units: CJK characters one by one, Latin words lowercased, numbers as `#`.
pub fn units(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<u64>| {
        if !word.is_empty() {
            if word.chars().all(|c| c.is_ascii_digit()) {
                out.push(fnv(b"#"));
            } else {
                out.push(fnv(word.as_bytes()));
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if is_cjk(c) {
            flush(&mut word, &mut out);
            let mut buf = [0u8; 4];
            out.push(fnv(c.encode_utf8(&mut buf).as_bytes()));
        } else if c.is_alphanumeric() || c == '_' {
            word.extend(c.to_lowercase());
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The shingle hashes of a text in order, repeats included (one shingle of everything when the
/// text is shorter than a shingle).
pub fn shingle_sequence(text: &str) -> Vec<u64> {
    let u = units(text);
    let width = SHINGLE.min(u.len());
    if width == 0 {
        return Vec::new();
    }
    u.windows(width)
        .map(|w| w.iter().fold(0u64, |h, x| mix(h.rotate_left(21) ^ x)))
        .collect()
}

/// The sorted, distinct shingle hashes of a text.
pub fn shingles(text: &str) -> Vec<u64> {
    let mut out = shingle_sequence(text);
    out.sort_unstable();
    out.dedup();
    out
}

/// The distinct shingles of `text` that lie in a run of at least [`MIN_RUN`] consecutive
/// template shingles: a template is whole clauses sent again, while two unrelated mails share
/// only short stock phrases ("please send us the output").
fn template_shingles(text: &str, is_template: impl Fn(u64) -> bool) -> HashSet<u64> {
    let seq = shingle_sequence(text);
    let mut out = HashSet::new();
    let mut start = 0;
    for k in 0..=seq.len() {
        if k < seq.len() && is_template(seq[k]) {
            continue;
        }
        if k - start >= MIN_RUN.min(seq.len()) && k > start {
            out.extend(seq[start..k].iter().copied());
        }
        start = k + 1;
    }
    out
}

fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - common;
    if union == 0 {
        0.0
    } else {
        common as f32 / union as f32
    }
}

/// For each document, the Jaccard similarity to its most similar other document among the
/// LSH candidates (0.0 for documents shorter than `min_len` shingles).
fn nearest(shingles: &[Vec<u64>], min_len: usize) -> Vec<f32> {
    let seeds: Vec<u64> = (0..(BANDS * ROWS) as u64)
        .map(|s| mix(s.wrapping_add(0x9e37)))
        .collect();
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut keys: Vec<Vec<u64>> = vec![Vec::new(); shingles.len()];
    for (d, s) in shingles.iter().enumerate() {
        if s.len() < min_len.max(1) {
            continue;
        }
        let sig: Vec<u64> = seeds
            .iter()
            .map(|seed| s.iter().map(|h| mix(h ^ seed)).min().unwrap_or(0))
            .collect();
        for (b, rows) in sig.chunks(ROWS).enumerate() {
            let key = rows.iter().fold(mix(b as u64), |h, r| mix(h ^ r));
            buckets.entry(key).or_default().push(d);
            keys[d].push(key);
        }
    }
    (0..shingles.len())
        .map(|d| {
            let mut best = 0.0f32;
            let mut seen: HashSet<usize> = HashSet::new();
            for key in &keys[d] {
                let members = buckets.get(key).map(Vec::as_slice).unwrap_or(&[]);
                for &o in members.iter().filter(|&&o| o != d).take(BUCKET_SCAN) {
                    if seen.insert(o) {
                        best = best.max(jaccard(&shingles[d], &shingles[o]));
                    }
                }
            }
            best
        })
        .collect()
}

/// Named patterns of technical terms: things a message can ask for or report that are facts,
/// not phrasing.
fn term_patterns() -> &'static [(&'static str, Regex)] {
    static TABLE: OnceLock<Vec<(&'static str, Regex)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        [
            ("file", r"(?i)([a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.(?:exe|dll|sys|log|zip|7z|msi|msu|cab|inf|ini|ps1|bat|cmd|sh|iso|dmp|trc|cer|crt|pfx|xml|json|conf|cfg|evtx|etl|vhdx|csv))(?:[^a-z0-9_]|$)"),
            ("hex-code", r"(0x[0-9A-Fa-f]{4,})"),
            ("error-code", r"([A-Z][A-Z0-9]{1,9}-\d{3,})"),
            ("kb-article", r"(KB\d{6,8})"),
            ("cmdlet", r"((?:Get|Set|New|Remove|Restart|Start|Stop|Enable|Disable|Invoke|Test|Import|Export|Add|Clear)-[A-Z][A-Za-z]+)"),
            ("windows-path", r"([A-Za-z]:\\[^\s，。；、（）()]+)"),
        ]
        .into_iter()
        .map(|(name, p)| (name, Regex::new(p).expect("built-in term pattern")))
        .collect()
    })
}

/// The technical terms in a text, lowercased, in order of appearance.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (_, re) in term_patterns() {
        for c in re.captures_iter(text) {
            if let Some(m) = c.get(1) {
                out.push(m.as_str().to_lowercase());
            }
        }
    }
    out
}

/// For each document, the terms no earlier document of its thread mentioned.
fn new_terms(docs: &[Doc]) -> Vec<Vec<String>> {
    let mut seen: HashMap<usize, HashSet<String>> = HashMap::new();
    docs.iter()
        .map(|d| {
            let seen = seen.entry(d.thread).or_default();
            let mut fresh = Vec::new();
            for t in terms(d.text) {
                if !seen.contains(&t) && !fresh.contains(&t) {
                    fresh.push(t);
                }
            }
            seen.extend(fresh.iter().cloned());
            fresh
        })
        .collect()
}

#[cfg(test)]
mod tests;
