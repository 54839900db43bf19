//! Hand-built cases shared by the `kb_*` integration tests.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use casebook::model::{Case, CaseMessage, Confidence, Entities, Kind, Role, Source, Status};

/// Midnight UTC of a `YYYY-MM-DD` day.
pub fn day(s: &str) -> Option<DateTime<Utc>> {
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Utc.from_local_datetime(&d.and_hms_opt(9, 0, 0)?).single()
}

/// A resolved English case with three messages, opened and closed on the given days.
pub fn case(id: &str, opened: &str, closed: &str, title: &str) -> Case {
    let opened = day(opened);
    let message = |index: usize| CaseMessage {
        index,
        from: if index % 2 == 1 {
            "[customer-1]".to_string()
        } else {
            "[engineer-1]".to_string()
        },
        role: if index % 2 == 1 {
            Role::Customer
        } else {
            Role::Engineer
        },
        kind: Kind::Report,
        date: opened,
        text: String::new(),
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
        closed: day(closed),
        messages: (1..=3).map(message).collect(),
        problem: String::new(),
        analysis: String::new(),
        cause: String::new(),
        resolution: String::new(),
        steps: Vec::new(),
        diagnostics: Vec::new(),
        entities: Entities::default(),
        confidence: Confidence::default(),
        fingerprint: format!("fp-{id}"),
    }
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Every file below `dir` as `relative path → bytes`, in name order: a written KB site to compare.
pub fn read_tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}
