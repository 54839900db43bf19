//! Scores the cleaner against the corpus: every `clean`, `greeting` and `status_ping` expectation
//! in `corpus/**/NAME.expected.json`.
//!
//! Takes the corpus root (reading it is the only I/O here, done by the real readers) and the
//! config; gives a [`CleanScore`]: per-file counts, the exact-match rates and every miss with the
//! expected and actual value. All inputs are threaded and cleaned together, as `casebook build`
//! does, because status pings are judged against the whole corpus.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::config::Config;
use crate::model::{Cleaned, Message, Source};
use crate::{ingest, pipeline};

/// Counts for one expected-output file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileScore {
    /// The expected-output file, relative to the corpus root.
    pub file: String,
    pub clean_total: usize,
    pub clean_exact: usize,
    pub greeting_total: usize,
    pub greeting_exact: usize,
    pub ping_total: usize,
    pub ping_correct: usize,
}

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub file: String,
    pub index: usize,
    /// `clean`, `greeting`, `status_ping`, or `message` when the reader gave no such message.
    pub field: &'static str,
    pub expected: String,
    pub got: String,
}

/// The whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct CleanScore {
    pub files: Vec<FileScore>,
    pub misses: Vec<Miss>,
    /// Inputs that could not be found or read.
    pub errors: Vec<String>,
}

fn rate(hit: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        hit as f64 / total as f64
    }
}

impl CleanScore {
    fn sum(&self, f: impl Fn(&FileScore) -> (usize, usize)) -> (usize, usize) {
        self.files
            .iter()
            .map(f)
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    }

    /// (exact, total) over all `clean` expectations.
    pub fn clean(&self) -> (usize, usize) {
        self.sum(|f| (f.clean_exact, f.clean_total))
    }

    /// (correct, total) over all `status_ping` expectations.
    pub fn pings(&self) -> (usize, usize) {
        self.sum(|f| (f.ping_correct, f.ping_total))
    }

    /// (exact, total) over all `greeting` expectations.
    pub fn greetings(&self) -> (usize, usize) {
        self.sum(|f| (f.greeting_exact, f.greeting_total))
    }

    pub fn clean_rate(&self) -> f64 {
        let (hit, total) = self.clean();
        rate(hit, total)
    }

    /// A plain-text table: one row per file, then the totals.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<52} {:>9} {:>9} {:>9}",
            "file", "clean", "greeting", "ping"
        );
        let cell = |hit: usize, total: usize| format!("{hit}/{total}");
        for f in &self.files {
            let _ = writeln!(
                out,
                "{:<52} {:>9} {:>9} {:>9}",
                f.file,
                cell(f.clean_exact, f.clean_total),
                cell(f.greeting_exact, f.greeting_total),
                cell(f.ping_correct, f.ping_total)
            );
        }
        let (c, ct) = self.clean();
        let (g, gt) = self.greetings();
        let (p, pt) = self.pings();
        let _ = writeln!(
            out,
            "{:<52} {:>9} {:>9} {:>9}",
            "total",
            cell(c, ct),
            cell(g, gt),
            cell(p, pt)
        );
        let _ = writeln!(
            out,
            "exact clean {:.1}%, greeting {:.1}%, status_ping {:.1}%",
            100.0 * rate(c, ct),
            100.0 * rate(g, gt),
            100.0 * rate(p, pt)
        );
        out
    }
}

/// The input an expected-output file describes: `x.expected.json` → the sibling `x.<ext>` that
/// is not metadata, or the maildir folder `x/`.
pub fn input_for(expected: &Path) -> Option<PathBuf> {
    let name = expected.file_name()?.to_str()?;
    let base = name.strip_suffix(".expected.json")?;
    let dir = expected.parent()?;
    let folder = dir.join(base);
    if folder.is_dir() {
        return Some(folder);
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('.'))
                && ![".json", ".toml", ".md"].iter().any(|ext| n.ends_with(ext))
        })
        .collect();
    candidates.sort();
    candidates.into_iter().next()
}

/// Every expected-output file below `root`, sorted.
pub fn expected_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".expected.json")))
        .collect();
    out.sort();
    out
}

/// Every fixture below `root`: `(input, expected)` for each expected-output file that has an
/// input beside it ([`input_for`]), sorted by expected file. The one pairing the tests' fixture
/// walker and this scorer share.
pub fn fixtures(root: &Path) -> Vec<(PathBuf, PathBuf)> {
    expected_files(root)
        .into_iter()
        .filter_map(|e| Some((input_for(&e)?, e)))
        .collect()
}

/// Reads the corpus below `root`, threads and cleans it with `config`, and scores every
/// `clean` / `greeting` / `status_ping` expectation.
pub fn score_corpus(root: &Path, config: &Config) -> CleanScore {
    let mut score = CleanScore::default();
    let mut all: Vec<Message> = Vec::new();
    // For each expected file: its name, its expectations, and its messages' sources in order.
    let mut plans: Vec<(String, Vec<Value>, Vec<Source>)> = Vec::new();
    for expected in expected_files(root) {
        let rel = expected
            .strip_prefix(root)
            .unwrap_or(&expected)
            .display()
            .to_string();
        let doc: Value = match std::fs::read_to_string(&expected)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(v) => v,
            Err(e) => {
                score.errors.push(format!("{rel}: {e}"));
                continue;
            }
        };
        let wanted: Vec<Value> = doc["messages"].as_array().cloned().unwrap_or_default();
        if !wanted.iter().any(|m| {
            m.get("clean").is_some()
                || m.get("status_ping").is_some()
                || m.get("greeting").is_some()
        }) {
            continue;
        }
        let Some(input) = input_for(&expected) else {
            score.errors.push(format!("{rel}: no input file beside it"));
            continue;
        };
        let ingested = ingest::read_paths(&[input], &mut ingest::NoProgress);
        score
            .errors
            .extend(ingested.errors.iter().map(|e| e.to_string()));
        plans.push((
            rel,
            wanted,
            ingested.messages.iter().map(|m| m.source.clone()).collect(),
        ));
        all.extend(ingested.messages);
    }

    let cleaned: HashMap<Source, Cleaned> = pipeline::clean_threads(all, config)
        .into_iter()
        .flat_map(|ct| {
            let sources: Vec<Source> = ct
                .thread
                .messages
                .iter()
                .map(|m| m.source.clone())
                .collect();
            sources.into_iter().zip(ct.cleaned)
        })
        .collect();

    for (file, wanted, sources) in plans {
        let mut fs = FileScore {
            file: file.clone(),
            ..FileScore::default()
        };
        // Readers number messages inside a file; a maildir's files may each be number 1, and
        // then reading order is the number.
        let unique = {
            let mut idx: Vec<usize> = sources.iter().map(|s| s.index).collect();
            idx.sort_unstable();
            idx.dedup();
            idx.len() == sources.len()
        };
        for w in &wanted {
            let index = w["index"].as_u64().unwrap_or(0) as usize;
            let source = if unique {
                sources.iter().find(|s| s.index == index)
            } else {
                index.checked_sub(1).and_then(|i| sources.get(i))
            };
            let got = source.and_then(|s| cleaned.get(s));
            check(&mut fs, &mut score.misses, &file, index, w, got);
        }
        score.files.push(fs);
    }
    score
}

/// Compares one message's expectations with what the cleaner gave.
fn check(
    fs: &mut FileScore,
    misses: &mut Vec<Miss>,
    file: &str,
    index: usize,
    want: &Value,
    got: Option<&Cleaned>,
) {
    let mut miss = |field: &'static str, expected: String, got: String| {
        misses.push(Miss {
            file: file.to_string(),
            index,
            field,
            expected,
            got,
        })
    };
    if let Some(expected) = want.get("clean") {
        fs.clean_total += 1;
        let expected = expected.as_str().unwrap_or("").to_string();
        match got {
            Some(c) if c.text == expected => fs.clean_exact += 1,
            Some(c) => miss("clean", expected, c.text.clone()),
            None => miss("message", expected, "(no such message)".into()),
        }
    }
    if let Some(expected) = want.get("greeting") {
        fs.greeting_total += 1;
        let expected = expected.as_str().map(String::from);
        let actual = got.and_then(|c| c.greeting.clone());
        if got.is_some() && actual == expected {
            fs.greeting_exact += 1;
        } else {
            miss("greeting", format!("{expected:?}"), format!("{actual:?}"));
        }
    }
    if let Some(expected) = want.get("status_ping").and_then(Value::as_bool) {
        fs.ping_total += 1;
        match got {
            Some(c) if c.status_ping == expected => fs.ping_correct += 1,
            Some(c) => miss(
                "status_ping",
                expected.to_string(),
                format!("{} (boilerplate {:.2})", c.status_ping, c.boilerplate),
            ),
            None => miss(
                "status_ping",
                expected.to_string(),
                "(no such message)".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_counts_and_reports_each_field() {
        let want: Value = serde_json::json!({
            "index": 2, "clean": "b", "greeting": "Hi,", "status_ping": true
        });
        let got = Cleaned {
            text: "a".into(),
            greeting: Some("Hi,".into()),
            status_ping: true,
            ..Cleaned::default()
        };
        let mut fs = FileScore::default();
        let mut misses = Vec::new();
        check(&mut fs, &mut misses, "f", 2, &want, Some(&got));
        assert_eq!(
            (
                fs.clean_total,
                fs.clean_exact,
                fs.greeting_exact,
                fs.ping_correct
            ),
            (1, 0, 1, 1)
        );
        assert_eq!(
            misses,
            vec![Miss {
                file: "f".into(),
                index: 2,
                field: "clean",
                expected: "b".into(),
                got: "a".into()
            }]
        );
    }

    #[test]
    fn finds_the_input_beside_an_expected_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("a.expected.json"), "{}").unwrap();
        std::fs::write(p.join("a.eml"), "").unwrap();
        std::fs::write(p.join("ab.eml"), "").unwrap();
        std::fs::create_dir(p.join("box")).unwrap();
        std::fs::write(p.join("box.expected.json"), "{}").unwrap();
        assert_eq!(input_for(&p.join("a.expected.json")), Some(p.join("a.eml")));
        assert_eq!(input_for(&p.join("box.expected.json")), Some(p.join("box")));
        assert_eq!(
            expected_files(p),
            vec![p.join("a.expected.json"), p.join("box.expected.json")]
        );
        std::fs::write(p.join("lost.expected.json"), "{}").unwrap();
        assert_eq!(
            fixtures(p),
            vec![
                (p.join("a.eml"), p.join("a.expected.json")),
                (p.join("box"), p.join("box.expected.json"))
            ]
        );
    }
}
