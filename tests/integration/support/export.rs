//! One export file through the whole pipeline: written to a temporary folder under `name`, read
//! back as a user's file would be, and turned into published (redacted) cases.

use casebook::config::Config;
use casebook::ingest::{read_paths, NoProgress};
use casebook::model::Case;
use casebook::pipeline::{cases, Publish};

/// The published cases of `text` saved as `name`; the file must read without errors.
pub fn published_cases(name: &str, text: &str) -> Vec<Case> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let read = read_paths(&[path], &mut NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    cases(
        read.messages,
        &Config::default(),
        Publish { keep_pii: false },
    )
}
