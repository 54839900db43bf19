//! Segmentation: a cleaned thread in, a `Case` out (roles, kinds, problem, analysis, cause,
//! resolution, steps, status, entities).
//!
//! STUB: filled in by issue #4.

use serde::Deserialize;

use crate::model::{Case, CaseMessage, CleanThread, Confidence, Entities, Kind, Role, Status};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentConfig {
    /// Email domains of the support organisation (authors from them are engineers).
    pub support_domains: Vec<String>,
    /// Names of support engineers or teams.
    pub engineers: Vec<String>,
}

/// Turns a cleaned thread into an (unredacted) case.
pub fn segment(ct: &CleanThread, _config: &SegmentConfig) -> Case {
    let t = &ct.thread;
    let messages = t
        .messages
        .iter()
        .zip(&ct.cleaned)
        .enumerate()
        .map(|(i, (m, c))| CaseMessage {
            index: i + 1,
            from: m.from.label().to_string(),
            role: Role::Customer,
            kind: Kind::CustomerUpdate,
            date: m.date,
            text: c.text.clone(),
            greeting: c.greeting.clone(),
            status_ping: c.status_ping,
            removed: c.removed.clone(),
            source: m.source.clone(),
        })
        .collect();
    Case {
        id: t.id.clone(),
        title: t.subject.clone(),
        language: "en".into(),
        customer: None,
        priority: None,
        status: Status::Unresolved,
        opened: t.messages.first().and_then(|m| m.date),
        closed: None,
        messages,
        problem: String::new(),
        analysis: String::new(),
        cause: String::new(),
        resolution: String::new(),
        steps: Vec::new(),
        diagnostics: Vec::new(),
        entities: Entities::default(),
        confidence: Confidence::default(),
        fingerprint: String::new(),
    }
}
