//! Text fingerprints for near-duplicate detection: units, shingles, MinHash signatures and
//! Jaccard similarity.
//!
//! Takes text; gives sorted shingle hashes and fixed-length signatures that [`super::pings`]
//! compares. A unit is a CJK character or a lowercased Latin word (numbers folded to `#`), so the
//! same fingerprint works for Chinese, where words are not separated, and English.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Units per shingle.
pub const SHINGLE: usize = 4;
/// MinHash signature: BANDS bands of ROWS rows.
pub const BANDS: usize = 16;
pub const ROWS: usize = 3;

/// Keys here are already mixed 64-bit hashes: hashing them again (SipHash) would only cost time.
#[derive(Default)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0 ^ FNV_OFFSET, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME)
        });
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type HashMap64<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// FNV-1a, enough to spread units; collisions only blur a score.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME)
    })
}

/// SplitMix64's finalizer: a cheap, well-mixed permutation of u64.
pub fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}

const FNV_OFFSET: u64 = 0xcbf29ce484222325;
const FNV_PRIME: u64 = 0x100000001b3;

/// The text's units: CJK characters one by one, Latin words lowercased, numbers as `#`.
/// Hashes are built while scanning, without allocating a word.
pub fn units(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 3);
    let number = fnv(b"#");
    // The running hash of the current word, and whether it is digits only.
    let mut word: Option<(u64, bool)> = None;
    let mut buf = [0u8; 4];
    for c in text.chars() {
        if crate::script::is_cjk_letter(c) {
            if let Some((h, digits)) = word.take() {
                out.push(if digits { number } else { h });
            }
            out.push(fnv(c.encode_utf8(&mut buf).as_bytes()));
        } else if c.is_alphanumeric() || c == '_' {
            let (mut h, digits) = word.unwrap_or((FNV_OFFSET, true));
            for l in c.to_lowercase() {
                for b in l.encode_utf8(&mut buf).bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
                }
            }
            word = Some((h, digits && c.is_ascii_digit()));
        } else if let Some((h, digits)) = word.take() {
            out.push(if digits { number } else { h });
        }
    }
    if let Some((h, digits)) = word {
        out.push(if digits { number } else { h });
    }
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

pub fn jaccard(a: &[u64], b: &[u64]) -> f32 {
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

/// The MinHash signature by one-permutation hashing: each shingle is hashed once and falls in
/// one of `BANDS * ROWS` bins, each bin keeps its minimum; an empty bin borrows from the next
/// non-empty one (rotation densification), so short texts still get a full signature.
pub fn signature(s: &[u64]) -> Vec<u64> {
    let bins = BANDS * ROWS;
    let mut sig = vec![u64::MAX; bins];
    for h in s {
        let x = mix(*h);
        let bin = (x % bins as u64) as usize;
        sig[bin] = sig[bin].min(x / bins as u64);
    }
    let filled: Vec<usize> = (0..bins).filter(|&b| sig[b] != u64::MAX).collect();
    if filled.is_empty() {
        return sig;
    }
    for b in 0..bins {
        if sig[b] == u64::MAX {
            // The next filled bin to the right, wrapping; the distance keeps bins distinct.
            let next = filled
                .iter()
                .find(|&&f| f > b)
                .copied()
                .unwrap_or(filled[0]);
            let distance = (next + bins - b) % bins;
            sig[b] = mix(sig[next] ^ distance as u64);
        }
    }
    sig
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_fold_numbers_and_split_scripts() {
        assert_eq!(units("可以按照2022年7月6日").len(), 10);
        assert_eq!(units("Run nwdiag.exe 42"), units("run NWDIAG.exe 7"));
        assert_eq!(shingles("").len(), 0);
        assert_eq!(shingles("hi there").len(), 1);
        assert_eq!(shingle_sequence("a b c d e").len(), 2);
    }

    #[test]
    fn similar_texts_have_similar_signatures() {
        let a = shingles(
            "we are following up on the status of this case, could you please let us know",
        );
        let b =
            shingles("we are following up on the status of this case, could you please tell us");
        let c = shingles(
            "the index was rebuilt online and the nightly sync completed in fourteen minutes",
        );
        assert!(jaccard(&a, &b) > 0.6);
        assert_eq!(jaccard(&a, &c), 0.0);
        let agree = |x: &[u64], y: &[u64]| {
            let (sx, sy) = (signature(x), signature(y));
            sx.iter().zip(&sy).filter(|(p, q)| p == q).count()
        };
        assert!(agree(&a, &b) > agree(&a, &c));
        assert_eq!(signature(&a).len(), BANDS * ROWS);
    }
}
