//! How far a past case explains a new ticket, as a calibrated confidence in [0, 1].
//!
//! Three measures, each in [0, 1]:
//! - **coverage**: the share of the ticket's distinctive words (whole words, weighted by IDF so
//!   `hxusbflt` counts far more than `server`) that the case contains;
//! - **entities**: the share of the ticket's entities (error codes, files, versions, commands,
//!   KB numbers, products) the case names too;
//! - **problem**: the share of the ticket's distinctive words found in the case's title and
//!   problem statement, which says the case is *about* the same thing.
//!
//! A logistic function of the three gives the confidence. Its coefficients were fitted on the dev
//! halves of `corpus/gold/` (in-scope tickets against their expected case, out-of-scope tickets
//! and wrong candidates against everything), so a confidence of 0.8 means about eight such
//! matches in ten were right there; `[suggest] abstain_below` sets where `suggest` stops
//! trusting it.

use serde::Serialize;

/// The measures behind a confidence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Measures {
    pub coverage: f32,
    pub entities: f32,
    pub problem: f32,
}

/// Logistic coefficients: intercept, coverage, entities, problem.
const COEF: [f32; 4] = [-5.4, 4.1, 4.4, 3.4];

/// The calibrated confidence of `m`, rounded to two decimals.
pub fn confidence(m: &Measures) -> f32 {
    let z = COEF[0] + COEF[1] * m.coverage + COEF[2] * m.entities + COEF[3] * m.problem;
    let p = 1.0 / (1.0 + (-z).exp());
    (p * 100.0).round() / 100.0
}

/// IDF as BM25 computes it, from `(documents with the token, documents)`.
pub fn idf(df: u64, n: u64) -> f32 {
    let (df, n) = (df as f32, n.max(1) as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_explained_is_more_confident() {
        let none = confidence(&Measures::default());
        let half = confidence(&Measures {
            coverage: 0.5,
            entities: 0.5,
            problem: 0.3,
        });
        let all = confidence(&Measures {
            coverage: 1.0,
            entities: 1.0,
            problem: 1.0,
        });
        assert!(none < 0.05 && none < half && half < all && all > 0.95);
        assert!(idf(1, 100) > idf(50, 100));
    }
}
