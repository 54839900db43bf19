//! A learned second opinion: does a customer's message say the fix worked?
//!
//! Customers report success in their own words ("the queue drained overnight", "CRC 一直是 0"),
//! which no phrase table keeps up with. This is a logistic regression over the words and Han
//! character pairs of a message, trained on the labelled customer messages of the blind gold's
//! dev half (`tests/blind/dev`), never on its test half. The rules of [`super::kinds`] still
//! decide first (a failure cue always wins); the model is consulted only where no rule fired.
//!
//! - Features ([`features`]): Latin words and word pairs, lower-cased, digits folded to `0`;
//!   Han characters and character pairs; placeholders (`[name]`) dropped.
//! - Training ([`train`]): full-batch gradient descent from zero weights, a fixed number of
//!   rounds, in a fixed order; features seen in fewer than two messages are dropped. The same
//!   examples always give the same model, byte for byte ([`Model::to_text`]).
//! - The shipped model is `confirm.model` beside this file, written by
//!   `CASEBOOK_WRITE_MODEL=1 cargo test --release --test integration learned_model -- --nocapture`;
//!   that test fails when the file is not what training on the current dev half gives.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use crate::script::is_han;

/// Rounds of gradient descent, learning rate and L2 penalty.
const ROUNDS: usize = 400;
const RATE: f64 = 0.5;
const L2: f64 = 0.002;

/// A linear model over named features.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    pub bias: f64,
    pub weights: BTreeMap<String, f64>,
}

/// The probability above which a customer message counts as a confirmation: chosen for a
/// precision of about 0.9 in five-fold cross-validation on the dev half (0.5 gave 0.88, 0.6
/// gave 0.92 with a fifth fewer found), since a false confirmation resolves a case.
pub const CONFIRMS_ABOVE: f64 = 0.6;

/// The model shipped with casebook: customer messages, "the fix worked" or not.
pub static CONFIRMS: LazyLock<Model> =
    LazyLock::new(|| Model::from_text(include_str!("confirm.model")));

/// The features of `text`, each once, in order.
pub fn features(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let lower = text.to_lowercase();
    let mut words: Vec<String> = Vec::new();
    let mut hans: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    let mut in_placeholder = false;
    for c in lower.chars() {
        if c == '[' {
            in_placeholder = true;
        }
        if in_placeholder {
            if c == ']' {
                in_placeholder = false;
            }
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '\'' {
            word.push(if c.is_ascii_digit() { '0' } else { c });
            continue;
        }
        flush_word(&mut word, &mut words);
        if is_han(c) {
            hans.push(c);
        } else if !hans.is_empty() && !c.is_whitespace() {
            // Punctuation ends a Han run: no pair across it.
            hans.push(' ');
        }
    }
    flush_word(&mut word, &mut words);
    for w in &words {
        out.insert(format!("w:{w}"));
    }
    for pair in words.windows(2) {
        out.insert(format!("b:{}_{}", pair[0], pair[1]));
    }
    for (i, c) in hans.iter().enumerate() {
        if *c != ' ' {
            out.insert(format!("h:{c}"));
            if let Some(next) = hans.get(i + 1).filter(|n| **n != ' ') {
                out.insert(format!("h:{c}{next}"));
            }
        }
    }
    out
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl Model {
    /// The probability that `text` is a positive example.
    pub fn probability(&self, text: &str) -> f64 {
        let z: f64 = self.bias
            + features(text)
                .iter()
                .filter_map(|f| self.weights.get(f))
                .sum::<f64>();
        sigmoid(z)
    }

    /// One `feature<TAB>weight` line per feature, the bias first, weights to four decimals.
    pub fn to_text(&self) -> String {
        let mut s = format!("bias\t{:.4}\n", self.bias);
        for (f, w) in &self.weights {
            s.push_str(&format!("{f}\t{w:.4}\n"));
        }
        s
    }

    /// Reads [`Model::to_text`]'s form; lines that do not parse are skipped.
    pub fn from_text(text: &str) -> Model {
        let mut m = Model::default();
        for line in text.lines() {
            let Some((f, w)) = line.rsplit_once('\t') else {
                continue;
            };
            let Ok(w) = w.parse::<f64>() else { continue };
            if f == "bias" {
                m.bias = w;
            } else {
                m.weights.insert(f.to_string(), w);
            }
        }
        m
    }
}

/// Trains a model on `(text, positive)` examples; the result depends only on the examples and
/// their order. Weights are rounded as [`Model::to_text`] writes them, so a trained model and
/// the one read back from its text are the same.
pub fn train(examples: &[(String, bool)]) -> Model {
    let rows: Vec<(BTreeSet<String>, f64)> = examples
        .iter()
        .map(|(t, y)| (features(t), if *y { 1.0 } else { 0.0 }))
        .collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (fs, _) in &rows {
        for f in fs {
            *seen.entry(f.as_str()).or_default() += 1;
        }
    }
    let kept: Vec<&str> = seen
        .iter()
        .filter(|(_, n)| **n >= 2)
        .map(|(f, _)| *f)
        .collect();
    let index: BTreeMap<&str, usize> = kept.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let rows: Vec<(Vec<usize>, f64)> = rows
        .iter()
        .map(|(fs, y)| {
            (
                fs.iter()
                    .filter_map(|f| index.get(f.as_str()).copied())
                    .collect(),
                *y,
            )
        })
        .collect();
    let n = rows.len().max(1) as f64;
    let mut w = vec![0.0f64; kept.len()];
    let mut bias = 0.0f64;
    for _ in 0..ROUNDS {
        let mut grad = vec![0.0f64; kept.len()];
        let mut grad_bias = 0.0f64;
        for (fs, y) in &rows {
            let z = bias + fs.iter().map(|i| w[*i]).sum::<f64>();
            let err = sigmoid(z) - y;
            grad_bias += err;
            for i in fs {
                grad[*i] += err;
            }
        }
        bias -= RATE * grad_bias / n;
        for (wi, gi) in w.iter_mut().zip(&grad) {
            *wi -= RATE * (gi / n + L2 * *wi);
        }
    }
    let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
    Model {
        bias: round(bias),
        weights: kept
            .iter()
            .zip(&w)
            .map(|(f, wi)| (f.to_string(), round(*wi)))
            .filter(|(_, wi)| *wi != 0.0)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_are_words_pairs_and_han_pairs() {
        let f = features("[name]，CRC 一直是 0。Works again!");
        let want = [
            "b:0_works",
            "b:crc_0",
            "b:works_again",
            "h:一",
            "h:一直",
            "h:是",
            "h:直",
            "h:直是",
            "w:0",
            "w:again",
            "w:crc",
            "w:works",
        ];
        assert_eq!(f.iter().map(String::as_str).collect::<Vec<_>>(), want);
    }

    #[test]
    fn training_separates_and_round_trips() {
        let ex: Vec<(String, bool)> = [
            ("it works now, thanks", true),
            ("works again after the change", true),
            ("still fails with the same error", false),
            ("it still fails", false),
        ]
        .iter()
        .map(|(t, y)| (t.to_string(), *y))
        .collect();
        let m = train(&ex);
        assert!(m.probability("works now") > 0.5);
        assert!(m.probability("still fails") < 0.5);
        assert_eq!(Model::from_text(&m.to_text()), m);
        assert_eq!(train(&ex), m);
    }
}
