//! The corpus through the real pipeline, scored against `corpus/gold/cases-*.json`: every field
//! must pass on at least 90% of the gold cases.

use std::path::PathBuf;

use casebook::config::Config;
use casebook::eval::cases::{load_gold, score, table};
use casebook::ingest::{read_paths, NoProgress};
use casebook::pipeline::{cases, Publish};

#[test]
fn every_field_passes_on_nine_tenths_of_the_gold() {
    let corpus = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let gold = load_gold(&corpus.join("gold")).unwrap();
    assert!(gold.len() >= 24, "{} gold cases", gold.len());
    let read = read_paths(&[corpus], &mut NoProgress);
    let published = cases(
        read.messages,
        &Config::default(),
        Publish { keep_pii: false },
    );
    let s = score(&gold, &published);
    let report = format!("{}{:#?}", table(&s), s.failures);
    for f in &s.fields {
        assert!(f.share >= 0.9, "{} at {:.2}\n{report}", f.field, f.share);
    }
}

/// `kind` and `status_ping` are one answer: over the corpus and both blind halves, a message is
/// a ping exactly when its kind is `status_ping`.
#[test]
fn kind_and_status_ping_never_disagree() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dirs = [
        root.join("corpus"),
        root.join("tests/blind/dev"),
        root.join("tests/blind/test"),
    ];
    let read = read_paths(&dirs, &mut NoProgress);
    let published = cases(read.messages, &Config::default(), Publish::default());
    let mut messages = 0;
    for c in &published {
        for m in &c.messages {
            messages += 1;
            assert_eq!(
                m.status_ping,
                m.kind == casebook::model::Kind::StatusPing,
                "{} #{}: kind {:?}, status_ping {}",
                c.id,
                m.index,
                m.kind,
                m.status_ping
            );
        }
    }
    assert!(messages > 800, "{messages} messages");
}

/// The blind gold's dev half (`tests/blind`, written by sessions that never read the code) does
/// not fall below where this commit left it: case ids, status and the entity groups.
#[test]
fn the_blind_dev_half_holds_its_scores() {
    use casebook::eval::tally::tally;
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/blind/dev"));
    let gold = load_gold(&dir.join("gold")).unwrap();
    assert_eq!(gold.len(), 146);
    let read = read_paths(&[dir], &mut NoProgress);
    let published = cases(read.messages, &Config::default(), Publish::default());
    let report = tally(&gold, &published);
    let share = |name: &str| {
        report
            .rows
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.share())
            .unwrap()
    };
    for (name, floor) in [
        ("case id", 0.97),
        ("status", 0.95),
        ("problem", 0.85),
        ("resolution phrases", 0.84),
        ("steps", 0.88),
        ("commands", 0.9),
        ("versions", 0.88),
        ("products", 0.85),
        ("error codes", 0.88),
        ("files", 0.85),
        ("ping set exact", 0.84),
        ("message kinds", 0.87),
        ("message roles", 0.97),
    ] {
        assert!(share(name) >= floor, "{name} at {:.2}", share(name));
    }
    let leaks = report.rows.iter().find(|r| r.name == "pii leaks").unwrap();
    assert!(
        leaks.total == leaks.hit,
        "{} PII leaks",
        leaks.total - leaks.hit
    );
}
