//! Every `corpus/**/NAME.expected.json` against what the readers make of `NAME.*` (or the maildir
//! folder `NAME/`): each key present in an expected message is compared exactly with the
//! message's JSON. Keys that belong to later stages (`clean`, `greeting`, `status_ping`,
//! `threads`) are left to their tests.

use std::path::{Path, PathBuf};

use casebook::eval::clean::fixtures;
use casebook::ingest::{read_paths, NoProgress};
use casebook::model::Message;
use serde_json::Value;

use crate::support::fixtures::{walk, Mismatch};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

/// Keys compared verbatim with the message's JSON (`index` is `source.index`).
const EXACT_KEYS: [&str; 14] = [
    "index",
    "format",
    "subject",
    "from",
    "to",
    "cc",
    "date",
    "message_id",
    "in_reply_to",
    "references",
    "html",
    "charset",
    "decode_errors",
    "attachments",
];

/// The keys of `want` (one expected message per entry) that `got` does not match.
fn problems(got: &[Message], want: &[Value]) -> Vec<String> {
    let mut problems = Vec::new();
    if got.len() != want.len() {
        problems.push(format!("{} messages, expected {}", got.len(), want.len()));
    }
    for (i, (w, m)) in want.iter().zip(got).enumerate() {
        let json = serde_json::to_value(m).unwrap();
        let w = w.as_object().expect("message object");
        for key in EXACT_KEYS {
            let Some(wv) = w.get(key) else { continue };
            let gv = if key == "index" {
                &json["source"]["index"]
            } else {
                &json[key]
            };
            if gv != wv {
                problems.push(format!("#{}: {key}: got {gv}, expected {wv}", i + 1));
            }
        }
        if let Some(prefix) = w.get("body_starts_with").and_then(Value::as_str) {
            if !m.body.starts_with(prefix) {
                let head: String = m.body.chars().take(prefix.chars().count() + 20).collect();
                problems.push(format!(
                    "#{}: body starts {head:?}, expected {prefix:?}",
                    i + 1
                ));
            }
        }
    }
    problems
}

#[test]
fn corpus_matches_expected_outputs() {
    let root = Path::new(CORPUS);
    let mut total = 0;
    walk(
        "parse-corpus",
        root,
        &fixtures(root),
        20,
        |input, expected| {
            let expected: Value =
                serde_json::from_str(&std::fs::read_to_string(expected).unwrap()).unwrap();
            let want = expected["messages"].as_array().expect("messages array");
            let got = read_paths(&[input.to_path_buf()], &mut NoProgress);
            total += got.messages.len();
            let mut problems: Vec<String> = got
                .errors
                .iter()
                .map(|e| format!("reader error: {e}"))
                .collect();
            problems.extend(self::problems(&got.messages, want));
            if problems.is_empty() {
                return Ok(());
            }
            Err(Mismatch {
                problems,
                actual: serde_json::to_string_pretty(&got.messages).unwrap(),
            })
        },
    );
    assert!(total >= 60, "corpus has at least 60 messages, got {total}");
}

#[test]
fn whole_corpus_reads_without_errors_or_undecodable_bytes() {
    let got = read_paths(&[PathBuf::from(CORPUS)], &mut NoProgress);
    let errors: Vec<String> = got.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors, Vec::<String>::new());
    let bad: Vec<String> = got
        .messages
        .iter()
        .filter(|m| m.decode_errors > 0 || m.body.contains('\u{FFFD}'))
        .map(|m| format!("{}#{}", m.source.path, m.source.index))
        .collect();
    assert_eq!(bad, Vec::<String>::new());
    // Every expected file's messages, and only those: gold/ and the expectations are skipped.
    assert!(got.skipped.iter().all(|p| {
        let s = p.to_string_lossy();
        s.ends_with(".json")
            || s.ends_with(".md")
            || s.ends_with(".toml")
            || s.ends_with(".gitkeep")
    }));
}
