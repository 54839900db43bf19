//! Every `corpus/**/NAME.expected.json` against what the readers make of `NAME.*` (or the maildir
//! folder `NAME/`): each key present in an expected message is compared exactly with the
//! message's JSON. Keys that belong to later stages (`clean`, `greeting`, `status_ping`,
//! `threads`) are left to their tests.

use std::path::{Path, PathBuf};

use casebook::ingest::{read_paths, NoProgress};
use serde_json::Value;

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

fn expected_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(CORPUS)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".expected.json"))
        .collect();
    files.sort();
    files
}

/// `x.expected.json` → the folder `x/`, or the one other file named `x.<ext>`.
fn input_for(expected: &Path) -> PathBuf {
    let name = expected.file_name().unwrap().to_string_lossy();
    let stem = name.trim_end_matches(".expected.json");
    let dir = expected.parent().unwrap();
    if dir.join(stem).is_dir() {
        return dir.join(stem);
    }
    let inputs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.starts_with(&format!("{stem}.")) && !n.ends_with(".json")
        })
        .collect();
    assert_eq!(inputs.len(), 1, "one input beside {}", expected.display());
    inputs[0].clone()
}

fn check_one(expected_path: &Path, problems: &mut Vec<String>) -> usize {
    let input = input_for(expected_path);
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(expected_path).unwrap()).unwrap();
    let want = expected["messages"].as_array().expect("messages array");
    let got = read_paths(std::slice::from_ref(&input), &mut NoProgress);
    let rel = input.strip_prefix(CORPUS).unwrap().display().to_string();
    for e in &got.errors {
        problems.push(format!("{rel}: reader error: {e}"));
    }
    if got.messages.len() != want.len() {
        problems.push(format!(
            "{rel}: {} messages, expected {}",
            got.messages.len(),
            want.len()
        ));
    }
    for (i, (w, m)) in want.iter().zip(&got.messages).enumerate() {
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
                problems.push(format!("{rel} #{}: {key}: got {gv}, expected {wv}", i + 1));
            }
        }
        if let Some(prefix) = w.get("body_starts_with").and_then(Value::as_str) {
            if !m.body.starts_with(prefix) {
                let head: String = m.body.chars().take(prefix.chars().count() + 20).collect();
                problems.push(format!(
                    "{rel} #{}: body starts {head:?}, expected {prefix:?}",
                    i + 1
                ));
            }
        }
    }
    got.messages.len()
}

#[test]
fn corpus_matches_expected_outputs() {
    let files = expected_files();
    assert!(files.len() >= 20, "corpus has its expected files");
    let mut problems = Vec::new();
    let mut total = 0;
    for f in &files {
        total += check_one(f, &mut problems);
    }
    assert!(total >= 60, "corpus has at least 60 messages, got {total}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
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
