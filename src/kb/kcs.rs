//! KCS states and the link rate: how far an article's fix has been proven, and how much of the
//! solved work the KB captures.
//!
//! Takes the cases of an article, the `[kb]` thresholds and the reference day (the latest
//! activity in the whole library, never the clock, so the same cases give the same states);
//! gives a [`KcsState`]. The rules, first match wins:
//! 1. `WIP`: no case of the article is resolved, or the best resolution confidence among its
//!    resolved cases is below `wip_confidence`;
//! 2. `Archived`: no case has joined for `archive_after_days` before the reference day (an
//!    article merged into another one is not kept at all: its page redirects to the survivor);
//! 3. `Validated`: at least `validated_cases` resolved cases, or a resolved case whose fix was
//!    written up in a case summary block (a field the segmenter took from a summary, confidence
//!    1.0);
//! 4. `Not Validated`: a fix confirmed in one case.
//!
//! The link rate is the share of resolved cases that are linked to a published article, one
//! that is not `WIP`.

use chrono::{DateTime, Utc};

use super::KbConfig;
use crate::model::{Article, Case, KcsState, Status};

/// The state of an article built from `group`, last touched on `updated`.
pub fn state(
    group: &[&Case],
    updated: Option<DateTime<Utc>>,
    reference: Option<DateTime<Utc>>,
    config: &KbConfig,
) -> KcsState {
    let resolved: Vec<&&Case> = group
        .iter()
        .filter(|c| c.status == Status::Resolved)
        .collect();
    let best = resolved
        .iter()
        .map(|c| c.confidence.resolution.max(c.confidence.steps))
        .fold(0.0f32, f32::max);
    if resolved.is_empty() || best < config.wip_confidence {
        return KcsState::Wip;
    }
    if let (Some(u), Some(r)) = (updated, reference) {
        if (r - u).num_days() > config.archive_after_days {
            return KcsState::Archived;
        }
    }
    let written_up = resolved.iter().any(|c| {
        let f = &c.confidence;
        [f.problem, f.analysis, f.cause, f.resolution, f.steps]
            .iter()
            .any(|&x| x >= 1.0)
    });
    if resolved.len() >= config.validated_cases.max(1) || written_up {
        KcsState::Validated
    } else {
        KcsState::NotValidated
    }
}

/// Counts behind the link rate and the state table.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Kcs {
    pub resolved_cases: usize,
    pub linked_cases: usize,
    /// `linked_cases / resolved_cases`, 0 when there are none.
    pub link_rate: f64,
    /// Articles per state, in [`KcsState::ALL`] order.
    pub states: Vec<(KcsState, usize)>,
}

/// The link rate and state counts of a KB built from `cases`.
pub fn summary(cases: &[Case], articles: &[Article]) -> Kcs {
    let resolved: std::collections::HashSet<&str> = cases
        .iter()
        .filter(|c| c.status == Status::Resolved)
        .map(|c| c.id.as_str())
        .collect();
    let linked = articles
        .iter()
        .filter(|a| a.state != KcsState::Wip)
        .flat_map(|a| a.cases.iter())
        .filter(|c| resolved.contains(c.id.as_str()))
        .count();
    Kcs {
        resolved_cases: resolved.len(),
        linked_cases: linked,
        link_rate: if resolved.is_empty() {
            0.0
        } else {
            linked as f64 / resolved.len() as f64
        },
        states: KcsState::ALL
            .iter()
            .map(|&s| (s, articles.iter().filter(|a| a.state == s).count()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::case;

    #[test]
    fn states_follow_the_documented_rules() {
        let config = KbConfig::default();
        let mut a = case("A", 1, "t", "c", "r", &[]);
        a.confidence.resolution = 0.8;
        let mut b = case("B", 2, "t", "c", "r", &[]);
        b.confidence.resolution = 0.8;
        let day = a.closed;
        assert_eq!(state(&[&a], day, day, &config), KcsState::NotValidated);
        assert_eq!(state(&[&a, &b], day, day, &config), KcsState::Validated);
        let mut summary = a.clone();
        summary.confidence.analysis = 1.0;
        assert_eq!(state(&[&summary], day, day, &config), KcsState::Validated);
        let mut weak = a.clone();
        weak.confidence.resolution = 0.2;
        assert_eq!(state(&[&weak], day, day, &config), KcsState::Wip);
        let mut open = a.clone();
        open.status = Status::Unresolved;
        assert_eq!(state(&[&open], day, day, &config), KcsState::Wip);
        let later = day.map(|d| d + chrono::Duration::days(config.archive_after_days + 1));
        assert_eq!(state(&[&a], day, later, &config), KcsState::Archived);
    }
}
