//! Replays every input kept under `tests/regressions/TARGET/` through the same entry point as the
//! fuzz target of that name (`tests/fuzz/fuzz_targets/TARGET.rs`) and compares a one-line summary
//! of the outcome with `NAME.expected` beside it: no panic, and the exact result or error.
//!
//! A crash found by `tests/fuzz/run.sh` is kept by copying the artifact here and writing its
//! `.expected` line (run this test once with `CASEBOOK_BLESS=1` to write missing ones).

use std::fs;
use std::path::{Path, PathBuf};

use casebook::config::Config;
use casebook::ingest::parse_bytes;
use casebook::model::{Format, Message, Source};
use casebook::pipeline::{cases, clean_threads, Publish};

use crate::support::fixtures::{walk, Mismatch};

fn read_summary(bytes: &[u8], name: &str) -> String {
    match parse_bytes(bytes, Path::new(name)) {
        Ok(msgs) => {
            let bodies: usize = msgs.iter().map(|m| m.body.chars().count()).sum();
            format!("messages {} body-chars {bodies}", msgs.len())
        }
        Err(e) => format!("error {e}"),
    }
}

fn with_prefix(prefix: &[u8], data: &[u8]) -> Vec<u8> {
    let mut v = prefix.to_vec();
    v.extend_from_slice(data);
    v
}

/// The fuzz targets' bodies, returning what happened instead of discarding it.
fn run(target: &str, data: &[u8]) -> String {
    match target {
        "eml" => read_summary(&with_prefix(b"X-Fuzz: eml\n", data), "fuzz.eml"),
        "mbox" => read_summary(
            &with_prefix(b"From fuzz@x.example Mon Mar  6 09:00:00 2023\n", data),
            "fuzz.mbox",
        ),
        "export" => {
            let (english, rest) = match data.split_first() {
                Some((&b, rest)) => (b & 1 == 1, rest),
                None => (false, data),
            };
            let prefix: &[u8] = if english {
                b"Subject: fuzz\n====Message 1====\n"
            } else {
                "邮件主题：fuzz\n====第1封邮件====\n".as_bytes()
            };
            read_summary(&with_prefix(prefix, rest), "fuzz.txt")
        }
        "clean" => {
            let text = String::from_utf8_lossy(data);
            let messages: Vec<Message> = text
                .split('\u{1}')
                .take(16)
                .enumerate()
                .map(|(i, body)| {
                    let mut m = Message::new(
                        Source {
                            path: "fuzz.txt".into(),
                            index: i + 1,
                        },
                        Format::TextExport,
                    );
                    m.subject = "fuzz".into();
                    m.body = body.to_string();
                    m
                })
                .collect();
            let cleaned = clean_threads(messages, &Config::default());
            let chars: usize = cleaned
                .iter()
                .flat_map(|ct| &ct.cleaned)
                .map(|c| c.text.chars().count())
                .sum();
            format!("threads {} cleaned-chars {chars}", cleaned.len())
        }
        "segment" => {
            let bytes = with_prefix("邮件主题：fuzz\n====第1封邮件====\n".as_bytes(), data);
            match parse_bytes(&bytes, Path::new("fuzz.txt")) {
                Ok(messages) => {
                    let published = cases(messages, &Config::default(), Publish::default());
                    let msgs: usize = published.iter().map(|c| c.messages.len()).sum();
                    format!("cases {} messages {msgs}", published.len())
                }
                Err(e) => format!("error {e}"),
            }
        }
        other => panic!("no fuzz target named {other}"),
    }
}

fn inputs() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut out = Vec::new();
    for target in ["eml", "mbox", "export", "clean", "segment"] {
        let Ok(dir) = fs::read_dir(root.join(target)) else {
            continue;
        };
        let mut files: Vec<PathBuf> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_none_or(|e| e != "expected"))
            .collect();
        files.sort();
        out.extend(files.into_iter().map(|p| (target.to_string(), p)));
    }
    out
}

#[test]
fn every_kept_input_gives_its_expected_outcome() {
    let bless = std::env::var_os("CASEBOOK_BLESS").is_some();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let pairs: Vec<(PathBuf, PathBuf)> = inputs()
        .into_iter()
        .map(|(_, p)| {
            let expected = PathBuf::from(format!("{}.expected", p.display()));
            (p, expected)
        })
        .collect();
    walk("regressions", &root, &pairs, 5, |input, expected| {
        let target = input
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let got = run(target, &fs::read(input).unwrap());
        let problem = match fs::read_to_string(expected) {
            Ok(want) if want.trim_end() == got => return Ok(()),
            Ok(want) => format!("want {:?}, got {got:?}", want.trim_end()),
            Err(_) if bless => {
                fs::write(expected, format!("{got}\n")).unwrap();
                return Ok(());
            }
            Err(_) => "no .expected yet (CASEBOOK_BLESS=1 writes it)".to_string(),
        };
        Err(Mismatch {
            problems: vec![problem],
            actual: format!("{got}\n"),
        })
    });
}
