//! The evidence a case brings to grouping, and how much each piece weighs.
//!
//! Takes cases, gives one [`Features`] per case over a shared vocabulary with a weight per
//! feature. A case's features are
//! - its *key entities* (error codes, files, KB numbers) that its own summary text names (title,
//!   problem, cause, resolution, steps): a file met only in a log listing is not the root cause;
//! - its *fix tokens*: the words (ASCII words, CJK bigrams) of cause, resolution and steps, with
//!   every extracted entity masked out and every word of its title and problem removed, so what is
//!   left says what was done about it, not what the customer runs (products, versions, symptoms).
//!
//! A feature's weight is its inverse document frequency minus a floor: `ln(1/f) − ln(1/common)`,
//! where `f` is the largest share of one language's cases that carry it and `common` is
//! `[kb] common_fraction`: a fix word found in more than that share of a language's cases (the
//! words of a reply template) weighs nothing. Key entities are weighed `ln(1/f)` with no floor
//! and at least [`KEY_MIN_WEIGHT`], so common entities weigh little instead of blocking grouping. Shares are counted over at least
//! [`MIN_CASES`] cases per language so that a small KB still merges.

use std::collections::{BTreeSet, HashMap};

use crate::model::Case;
use crate::script::is_han;

/// The least a key entity weighs: one that every case names still counts a little, so common
/// entities weigh less instead of blocking grouping.
pub const KEY_MIN_WEIGHT: f32 = 0.01;

/// Below this many cases of a language, shares are counted as if there were this many.
pub const MIN_CASES: usize = 20;

/// The kind of a key entity; two cases that both name entities of one kind and share none of
/// them conflict (two different error codes are two different problems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Code,
    File,
    Kb,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Code => "code",
            Kind::File => "file",
            Kind::Kb => "kb",
        }
    }
}

/// One case's features as sorted ids into [`Vocabulary::names`].
#[derive(Debug, Default)]
pub struct Features {
    /// Every key entity of the case.
    pub keys: Vec<u32>,
    /// The key entities its summary text names: the ones conflicts and buckets are decided on.
    pub named: Vec<u32>,
    pub tokens: Vec<u32>,
}

/// How much a key entity the summary does not name (one met only in a log listing or a later
/// mail) counts against one it names.
pub const UNNAMED_KEY: f32 = 0.5;

/// Every feature seen, its printable name (`code:0x80070005`, `tok:zkcloud`), its key kind and
/// its weight.
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub names: Vec<String>,
    pub kinds: Vec<Option<Kind>>,
    pub weights: Vec<f32>,
}

/// Features and weights for `cases`.
pub fn extract(cases: &[&Case], common_fraction: f32) -> (Vec<Features>, Vocabulary) {
    let mut vocab = Vocabulary::default();
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut intern = |vocab: &mut Vocabulary, name: String, kind: Option<Kind>| -> u32 {
        if let Some(&id) = ids.get(&name) {
            return id;
        }
        let id = vocab.names.len() as u32;
        ids.insert(name.clone(), id);
        vocab.names.push(name);
        vocab.kinds.push(kind);
        id
    };
    let mut features = Vec::with_capacity(cases.len());
    // What each case counts towards document frequencies: its fix words before its own symptom
    // words are taken out, so a word is common or not whatever one case's problem says.
    let mut counted: Vec<Vec<u32>> = Vec::with_capacity(cases.len());
    for case in cases {
        let (keys, tokens, all) = raw(case);
        let mut all: Vec<u32> = all
            .into_iter()
            .map(|t| intern(&mut vocab, format!("tok:{t}"), None))
            .collect();
        let mut f = Features {
            keys: Vec::with_capacity(keys.len()),
            named: Vec::new(),
            tokens: tokens
                .into_iter()
                .map(|t| intern(&mut vocab, format!("tok:{t}"), None))
                .collect(),
        };
        for (kind, name, named) in keys {
            let id = intern(&mut vocab, name, Some(kind));
            f.keys.push(id);
            if named {
                f.named.push(id);
            }
        }
        f.keys.sort_unstable();
        f.named.sort_unstable();
        f.tokens.sort_unstable();
        all.extend(&f.keys);
        counted.push(all);
        features.push(f);
    }
    vocab.weights = weights(cases, &counted, &vocab.kinds, common_fraction);
    (features, vocab)
}

/// Inverse document frequency per feature, floored at `common_fraction` (see the module doc).
fn weights(
    cases: &[&Case],
    counted: &[Vec<u32>],
    vocab_kinds: &[Option<Kind>],
    common_fraction: f32,
) -> Vec<f32> {
    let n = vocab_kinds.len();
    let mut languages: Vec<&str> = cases.iter().map(|c| c.language.as_str()).collect();
    languages.sort_unstable();
    languages.dedup();
    let lang_of: Vec<usize> = cases
        .iter()
        .map(|c| languages.binary_search(&c.language.as_str()).unwrap_or(0))
        .collect();
    let mut size = vec![0usize; languages.len()];
    for &l in &lang_of {
        size[l] += 1;
    }
    let mut df = vec![0u32; n * languages.len()];
    for (f, &l) in counted.iter().zip(&lang_of) {
        for &id in f {
            df[id as usize * languages.len() + l] += 1;
        }
    }
    let floor = (1.0 / common_fraction.clamp(1e-6, 1.0)).ln();
    (0..n)
        .map(|id| {
            let share = (0..languages.len())
                .map(|l| df[id * languages.len() + l] as f32 / size[l].max(MIN_CASES) as f32)
                .fold(0.0f32, f32::max);
            let idf = if share > 0.0 { (1.0 / share).ln() } else { 0.0 };
            if vocab_kinds[id].is_some() {
                idf.max(KEY_MIN_WEIGHT)
            } else {
                (idf - floor).max(0.0)
            }
        })
        .collect()
}

/// A case's key entities (kind, `kind:value`, named by the summary), its fix tokens, and its fix
/// tokens before the symptom words were taken out; before interning.
type Raw = (
    BTreeSet<(Kind, String, bool)>,
    BTreeSet<String>,
    BTreeSet<String>,
);

fn raw(case: &Case) -> Raw {
    let e = &case.entities;
    let mut summary = format!(
        "{}\n{}\n{}\n{}",
        case.title, case.problem, case.cause, case.resolution
    );
    for s in &case.steps {
        summary.push('\n');
        summary.push_str(s);
    }
    let summary = summary.to_lowercase();
    let kinds = [
        (Kind::Code, &e.error_codes),
        (Kind::File, &e.files),
        (Kind::Kb, &e.kb),
    ];
    let mut keys = BTreeSet::new();
    for (kind, values) in kinds {
        for v in values {
            let v = v.to_lowercase();
            if !v.is_empty() {
                let named = summary.contains(&v);
                keys.insert((kind, format!("{}:{v}", kind.name()), named));
            }
        }
    }
    // Masking longest first keeps `setup.exe` from eating into `setuphost.exe`.
    let mut masks: Vec<String> = [&e.error_codes, &e.files, &e.kb, &e.versions, &e.products]
        .iter()
        .flat_map(|v| v.iter().map(|s| s.to_lowercase()))
        .filter(|s| !s.is_empty())
        .collect();
    masks.sort_by_key(|m| std::cmp::Reverse(m.len()));
    let mask = |text: String| -> String {
        masks
            .iter()
            .fold(text.to_lowercase(), |t, m| t.replace(m.as_str(), " "))
    };
    let mut fix = format!("{}\n{}", case.cause, case.resolution);
    for s in &case.steps {
        fix.push('\n');
        fix.push_str(s);
    }
    let symptoms = tokens(&mask(format!("{}\n{}", case.title, case.problem)));
    let all = tokens(&mask(fix));
    let tokens = all
        .iter()
        .filter(|t| !symptoms.contains(*t))
        .cloned()
        .collect();
    (keys, tokens, all)
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
        if is_han(c) {
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
    fn keys_are_the_entities_the_summary_names_and_tokens_leave_out_symptoms() {
        let mut c = case(
            "A",
            1,
            "Upgrade of NetEdge 3.1 fails",
            "The SafeGuard agent hooks setuphost.exe.",
            "Disable SafeGuard, then retry the NetEdge 3.1 upgrade.",
            &[],
        );
        c.entities.files = vec!["setuphost.exe".into(), "CBS.log".into()];
        c.entities.versions = vec!["3.1".into()];
        let (keys, toks, _) = raw(&c);
        let keys: Vec<(String, bool)> = keys.into_iter().map(|k| (k.1, k.2)).collect();
        assert_eq!(
            keys,
            [
                ("file:cbs.log".to_string(), false),
                ("file:setuphost.exe".to_string(), true)
            ]
        );
        let toks: Vec<String> = toks.into_iter().collect();
        assert_eq!(
            toks,
            ["agent", "disable", "hooks", "retry", "safeguard", "then"]
        );
    }
}
