//! Status pings: templated follow-ups that carry no new information, found by near-duplicate
//! similarity, not by a list of sentences.
//!
//! Takes the cleaned texts of all messages (with the thread each belongs to, in thread order);
//! gives each a boilerplate score and a ping decision. Texts are fingerprinted by
//! [`super::shingle`] (shingles of CJK characters and Latin words, numbers folded to `#` so dates
//! do not make a template look new). Two kinds of evidence say "template":
//! - *template share*: the part of its shingles that recur in at least two other messages,
//!   anywhere in the corpus, counted only in runs long enough to be a clause (a phrase the team
//!   keeps sending, not a stock phrase). One hash map of shingle → number of messages: linear.
//! - *near-duplicate*: the Jaccard similarity to its closest other message, candidates found by
//!   MinHash with banded locality-sensitive hashing, so no pair of messages is compared unless
//!   their signatures collide in a band (near-linear, bucket scans capped).
//!
//! Against that stands *new information*: more than a couple of sentences outside the template,
//! or a technical term (a file, an error code, a command, a path…) not seen in any earlier
//! message of the same thread. A follow-up that asks for a new log with a named tool is an
//! information request, not a ping, however formulaic its wording. Copying a long analysis into
//! a summary only raises the similarity of a pair of messages, and the first of the two brought
//! its terms first, so it stays content.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

use super::par_map;
use super::rules::Rule;
use super::shingle::{jaccard, mix, shingle_sequence, shingles, signature, HashMap64, ROWS};

/// Consecutive template shingles needed before they count (a run of 3 is 6 units: a clause).
const MIN_RUN: usize = 3;

/// Members kept per LSH bucket, and compared per bucket and in all with one message: a huge
/// bucket is a template sent thousands of times, and its first members are as good a witness
/// as any. These caps keep the comparison linear in the number of messages.
const BUCKET_KEEP: usize = 16;
const BUCKET_SCAN: usize = 6;
const MAX_CANDIDATES: usize = 24;

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
    /// A ping says little beyond its template: at most this many shingles (about two
    /// sentences) outside it. A long closing summary framed by a template stays content however
    /// common its framing becomes in a large corpus.
    pub max_new_shingles: usize,
}

impl Default for PingConfig {
    fn default() -> Self {
        PingConfig {
            template_share: 0.30,
            near_duplicate: 0.65,
            min_shingles: 8,
            max_new_shingles: 80,
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
    let sets: Vec<Vec<u64>> = par_map(docs, |d| shingles(d.text));
    let mut df: HashMap64<u32> = HashMap64::default();
    for s in &sets {
        for h in s {
            *df.entry(*h).or_insert(0) += 1;
        }
    }
    let near = nearest(&sets, config.min_shingles);
    let new_terms = new_terms(docs);
    let index: Vec<usize> = (0..docs.len()).collect();
    par_map(&index, |&i| {
        let d = &docs[i];
        let s = &sets[i];
        let declared: HashSet<u64> = if boilerplate.is_empty() {
            HashSet::new()
        } else {
            d.text
                .lines()
                .filter(|l| boilerplate.iter().any(|r| r.regex.is_match(l.trim())))
                .flat_map(shingles)
                .collect()
        };
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
        let boilerplate = share.max(near[i]);
        let new_content = (s.len() as f32 * (1.0 - boilerplate)).round() as usize;
        let ping = s.len() >= config.min_shingles
            && terms.is_empty()
            && !has_numbered_steps(d.text)
            && new_content <= config.max_new_shingles
            && (share >= config.template_share || near[i] >= config.near_duplicate);
        PingScore {
            boilerplate,
            template_share: share,
            near_duplicate: near[i],
            new_terms: terms,
            ping,
        }
    })
}

/// The distinct shingles of `text` that lie in a run of at least [`MIN_RUN`] consecutive
/// template shingles: a template is whole clauses sent again, while two unrelated mails share
/// only short stock phrases ("please send us the output").
fn template_shingles(text: &str, is_template: impl Fn(u64) -> bool) -> Vec<u64> {
    let seq = shingle_sequence(text);
    let mut out = Vec::new();
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
    out.sort_unstable();
    out.dedup();
    out
}

/// For each document, the Jaccard similarity to its most similar other document among the
/// LSH candidates (0.0 for documents shorter than `min_len` shingles).
fn nearest(shingles: &[Vec<u64>], min_len: usize) -> Vec<f32> {
    // Band keys per document, computed in parallel; the buckets are filled in document order so
    // the witnesses kept in a full bucket do not depend on scheduling.
    let keys: Vec<Vec<u64>> = par_map(shingles, |s| {
        if s.len() < min_len.max(1) {
            return Vec::new();
        }
        signature(s)
            .chunks(ROWS)
            .enumerate()
            .map(|(b, rows)| rows.iter().fold(mix(b as u64), |h, r| mix(h ^ r)))
            .collect()
    });
    let mut buckets: HashMap64<Vec<usize>> = HashMap64::default();
    for (d, ks) in keys.iter().enumerate() {
        for key in ks {
            let members = buckets.entry(*key).or_default();
            // A bucket's first members witness for all later ones.
            if members.len() < BUCKET_KEEP {
                members.push(d);
            }
        }
    }
    let index: Vec<usize> = (0..shingles.len()).collect();
    par_map(&index, |&d| {
        let mut best = 0.0f32;
        let mut tried: Vec<usize> = Vec::new();
        'bands: for key in &keys[d] {
            let members = buckets.get(key).map(Vec::as_slice).unwrap_or(&[]);
            for &o in members.iter().filter(|&&o| o != d).take(BUCKET_SCAN) {
                if tried.contains(&o) {
                    continue;
                }
                tried.push(o);
                best = best.max(jaccard(&shingles[d], &shingles[o]));
                if best >= 1.0 || tried.len() >= MAX_CANDIDATES {
                    break 'bands;
                }
            }
        }
        best
    })
}

/// Named patterns of technical terms: things a message can ask for or report that are facts,
/// not phrasing. `(?-u:\b)` is an ASCII word boundary, so `工具CMGELogCollector.exe工具` still
/// yields the file name (to Unicode, the Han characters around it are word characters too).
const TERM_PATTERNS: &[(&str, &str)] = &[
    (
        "file",
        r"(?i)[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.(?:exe|dll|sys|log|zip|7z|msi|msu|cab|inf|ini|ps1|bat|cmd|sh|iso|dmp|trc|cer|crt|pfx|xml|json|conf|cfg|evtx|etl|vhdx|csv)(?-u:\b)",
    ),
    ("hex-code", r"0x[0-9A-Fa-f]{4,}"),
    // A Latin word set in Chinese prose names a thing (`禁用zkcloud的服务`, `初始化DISM操作`);
    // only the form followed by a Han character, so a file name before it wins the match.
    ("latin-in-han", r"[A-Za-z][A-Za-z0-9_]{2,}\p{Han}"),
    ("error-code", r"[A-Z][A-Z0-9]{1,9}-\d{3,}"),
    ("kb-article", r"KB\d{6,8}"),
    (
        "cmdlet",
        r"(?:Get|Set|New|Remove|Restart|Start|Stop|Enable|Disable|Invoke|Test|Import|Export|Add|Clear)-[A-Z][A-Za-z]+",
    ),
    ("windows-path", r"[A-Za-z]:\\[^\s，。；、（）()]+"),
];

/// All term patterns as one alternation: one pass over the text instead of one per pattern.
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
fn term_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let alternation: Vec<String> = TERM_PATTERNS
            .iter()
            .map(|(_, p)| format!("(?:{p})"))
            .collect();
        Regex::new(&alternation.join("|")).expect("built-in term patterns compile")
    })
}

/// The technical terms in a text, lowercased, in order of appearance.
pub fn terms(text: &str) -> Vec<String> {
    term_regex()
        .find_iter(text)
        .map(|m| {
            m.as_str()
                .trim_matches(|c: char| !c.is_ascii())
                .to_lowercase()
        })
        .collect()
}

/// Numbered items (`1）`, `2.`, `(3)`, `④`, `Step 2`, `第二步`) on two or more lines: a plan or a
/// list of things to collect is work to do, never a follow-up ping, however templated its words.
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
fn has_numbered_steps(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"^(?:\(?\d{1,2}[)）.、]|（\d{1,2}）|[①-⑩]|(?i:step)\s*\d+|第[一二三四五六七八九十]步)",
        )
        .expect("built-in step pattern compiles")
    });
    text.lines().filter(|l| re.is_match(l.trim_start())).count() >= 2
}

/// For each document, the terms no earlier document of its thread mentioned.
fn new_terms(docs: &[Doc]) -> Vec<Vec<String>> {
    let mut seen: HashMap<usize, HashSet<String>> = HashMap::new();
    let found = par_map(docs, |d| terms(d.text));
    docs.iter()
        .zip(found)
        .map(|(d, found)| {
            let seen = seen.entry(d.thread).or_default();
            let mut fresh = Vec::new();
            for t in found {
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
