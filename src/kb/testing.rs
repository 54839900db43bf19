//! Hand-built cases for the kb unit tests.

use chrono::{TimeZone, Utc};

use crate::model::{Case, CaseMessage, Confidence, Entities, Kind, Role, Source, Status};

/// A resolved case opened on 2023-03-`day` and closed eight days later, with `emails` messages.
pub fn case(
    id: &str,
    day: u32,
    title: &str,
    cause: &str,
    resolution: &str,
    steps: &[&str],
) -> Case {
    let opened = Utc.with_ymd_and_hms(2023, 3, day, 9, 0, 0).single();
    let closed = opened.map(|d| d + chrono::Duration::days(8));
    let message = |index: usize| CaseMessage {
        index,
        from: format!("[customer-{index}]"),
        role: Role::Customer,
        kind: Kind::Report,
        date: opened,
        text: title.to_string(),
        greeting: None,
        status_ping: false,
        removed: Vec::new(),
        source: Source {
            path: format!("{id}.eml"),
            index,
        },
    };
    Case {
        id: id.to_string(),
        title: title.to_string(),
        language: "en".to_string(),
        customer: None,
        priority: None,
        status: Status::Resolved,
        opened,
        closed,
        messages: vec![message(1), message(2), message(3)],
        problem: format!("{title}. It started after the weekend."),
        analysis: String::new(),
        cause: cause.to_string(),
        resolution: resolution.to_string(),
        steps: steps.iter().map(|s| s.to_string()).collect(),
        diagnostics: vec!["Collect the setup logs".to_string()],
        entities: Entities::default(),
        confidence: Confidence::default(),
        fingerprint: format!("fp-{id}"),
    }
}
