//! Merging near-duplicate advice from several cases: two remedies (or two diagnostics) whose
//! analysed tokens overlap enough are one piece of advice backed by both cases.

use std::collections::BTreeSet;

/// One piece of advice as found in one case.
#[derive(Debug, Clone)]
pub struct Found {
    /// The text compared for similarity and shown first.
    pub text: String,
    /// Numbered steps, when the advice has them.
    pub steps: Vec<String>,
    pub case: String,
    /// How much this case's match supports the advice (its normalized match score times the
    /// segmenter's confidence in the field).
    pub weight: f32,
}

/// Advice merged across cases.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Merged {
    pub text: String,
    pub steps: Vec<String>,
    /// The cases it came from, strongest first.
    pub cases: Vec<String>,
    /// 0.0–1.0: grows with the support of each case and with the number of cases.
    pub confidence: f32,
}

/// Merges `found` (strongest first) into advice; items whose token sets have a Jaccard similarity
/// of at least `threshold` with an earlier item join it.
pub fn merge(
    found: Vec<Found>,
    analyze: &dyn Fn(&str) -> Vec<String>,
    threshold: f32,
) -> Vec<Merged> {
    let mut groups: Vec<(BTreeSet<String>, Merged, Vec<f32>)> = Vec::new();
    for f in found {
        let tokens: BTreeSet<String> = analyze(&format!("{}\n{}", f.text, f.steps.join("\n")))
            .into_iter()
            .collect();
        let home = groups
            .iter_mut()
            .find(|(t, _, _)| jaccard(t, &tokens) >= threshold);
        match home {
            Some((t, merged, weights)) => {
                if !merged.cases.contains(&f.case) {
                    merged.cases.push(f.case);
                    weights.push(f.weight);
                }
                t.extend(tokens);
            }
            None => groups.push((
                tokens,
                Merged {
                    text: f.text,
                    steps: f.steps,
                    cases: vec![f.case],
                    confidence: 0.0,
                },
                vec![f.weight],
            )),
        }
    }
    let mut out: Vec<Merged> = groups
        .into_iter()
        .map(|(_, mut m, weights)| {
            // Independent support: the chance that at least one supporting case is right.
            let miss: f32 = weights.iter().map(|w| 1.0 - w.clamp(0.0, 1.0)).product();
            m.confidence = ((1.0 - miss) * 100.0).round() / 100.0;
            m
        })
        .collect();
    out.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    out
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let inter = a.intersection(b).count() as f32;
    let union = (a.len() + b.len()) as f32 - inter;
    inter / union
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_lowercase).collect()
    }

    fn found(text: &str, case: &str, weight: f32) -> Found {
        Found {
            text: text.into(),
            steps: vec![],
            case: case.into(),
            weight,
        }
    }

    #[test]
    fn near_duplicates_merge_and_gain_confidence() {
        let merged = merge(
            vec![
                found("disable the zk agent service and retry", "A", 0.6),
                found("reinstall the printer driver", "B", 0.5),
                found("Disable the zk agent service then retry", "C", 0.5),
            ],
            &words,
            0.5,
        );
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].cases, vec!["A", "C"]);
        assert_eq!(merged[0].confidence, 0.8);
        assert_eq!(merged[1].cases, vec!["B"]);
        assert_eq!(merged[1].confidence, 0.5);
    }
}
