//! `casebook.toml` extends the built-in rules: `[thread]` case-number patterns and the subject
//! window, `[clean]` quote/banner/disclaimer/signature/closing/boilerplate patterns and the
//! status-ping thresholds. Each added rule reports its own name when it fires.

use std::path::Path;

use casebook::config::Config;
use casebook::model::{Format, Message, RemovalReason, Source};
use casebook::pipeline;

const TOML: &str = r#"
[thread]
case_patterns = ['INC\d{7}']
subject_window_days = 7

[clean]
banners = ['^\*\*\* EXTERNAL SENDER \*\*\*']
signatures = ['^Contoso IT Service Desk$']
disclaimers = ['^Please consider the environment before printing']
closings = ['^Mit freundlichen Grüßen$']
quotes = ['^=+ Reply above this line =+$']
boilerplate = ['^Kindly share an update on INC\d{7}']

[clean.pings]
template_share = 0.5
near_duplicate = 0.9
min_shingles = 4
"#;

fn message(index: usize, subject: &str, body: &str) -> Message {
    let mut m = Message::new(
        Source {
            path: "inbox.mbox".into(),
            index,
        },
        Format::Mbox,
    );
    m.subject = subject.into();
    m.body = body.into();
    m
}

#[test]
fn config_patterns_thread_and_clean() {
    let config = Config::from_toml(TOML, Path::new("casebook.toml")).unwrap();
    assert_eq!(config.thread.subject_window_days, 7);
    assert_eq!(config.clean.pings.min_shingles, 4);
    let messages = vec![
        message(
            1,
            "INC0012345 printer offline",
            "*** EXTERNAL SENDER ***\nThe printer on floor 3 is offline since 9:00.\nMit freundlichen Grüßen\nAnna",
        ),
        message(
            2,
            "RE: INC0012345 printer offline",
            "Kindly share an update on INC0012345 at your earliest convenience.\nContoso IT Service Desk\n=== Reply above this line ===\nold text",
        ),
        message(
            3,
            "other",
            "Restarted the spooler, it prints again.\n\nPlease consider the environment before printing this e-mail.",
        ),
    ];
    let threads = pipeline::clean_threads(messages, &config);
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0].thread.id, "INC0012345");
    let first = &threads[0].cleaned[0];
    assert_eq!(first.text, "The printer on floor 3 is offline since 9:00.");
    let rules: Vec<(RemovalReason, &str)> = first
        .removed
        .iter()
        .map(|r| (r.reason, r.rule.as_str()))
        .collect();
    assert_eq!(
        rules,
        vec![
            (RemovalReason::Banner, "config.banner.0"),
            (RemovalReason::Signature, "config.closing.0")
        ]
    );
    let second = &threads[0].cleaned[1];
    assert_eq!(
        second.text,
        "Kindly share an update on INC0012345 at your earliest convenience."
    );
    let rules: Vec<&str> = second.removed.iter().map(|r| r.rule.as_str()).collect();
    assert_eq!(rules, vec!["config.quote.0", "config.signature.0"]);
    // Declared boilerplate makes the whole text template (the ticket number is no new term:
    // the first message named it).
    assert!(second.status_ping);
    assert_eq!(second.boilerplate, 1.0);
    let third = &threads[1].cleaned[0];
    assert_eq!(third.text, "Restarted the spooler, it prints again.");
    assert_eq!(third.removed[0].rule, "config.disclaimer.0");
}

#[test]
fn a_bad_pattern_is_a_config_error_naming_it() {
    let err = Config::from_toml("[clean]\nsignatures = ['(unclosed']", Path::new("c.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("c.toml: [clean] signature pattern \"(unclosed\""),
        "{err}"
    );
    let err = Config::from_toml("[thread]\ncase_patterns = ['[']", Path::new("c.toml"))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("c.toml: case pattern \"[\""), "{err}");
}
