//! Ingest through the real pipeline: running it twice changes nothing, and a thread that grows
//! between runs (its last mail exported later) replaces its case instead of adding one.

use std::path::{Path, PathBuf};

use casebook::config::Config;
use casebook::index::{IngestReport, Store};
use casebook::ingest::{read_paths, NoProgress};
use casebook::pipeline::Publish;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn ingest(store: &mut Store, paths: &[PathBuf]) -> IngestReport {
    let read = read_paths(paths, &mut NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let mut writer = store.writer().unwrap();
    store
        .ingest(
            &mut writer,
            read.messages,
            &Config::default(),
            Publish::default(),
        )
        .unwrap()
}

fn copy_dir(from: &Path, to: &Path, skip: &str) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if !entry.path().ends_with(skip) {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

#[test]
fn ingesting_the_same_paths_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = ingest(&mut store, &[PathBuf::from(CORPUS)]);
    let stats = store.stats().unwrap();
    assert_eq!(first.added as u64, stats.cases);
    let again = ingest(&mut store, &[PathBuf::from(CORPUS)]);
    assert_eq!(
        again,
        IngestReport {
            added: 0,
            replaced: 0,
            unchanged: first.added,
            removed: 0
        }
    );
    assert_eq!(store.stats().unwrap(), stats);
}

#[test]
fn a_grown_thread_replaces_its_case() {
    let dir = tempfile::tempdir().unwrap();
    let early = tempfile::tempdir().unwrap();
    copy_dir(Path::new(CORPUS), early.path(), "en-backup-nas-5.eml");
    let mut store = Store::open(dir.path()).unwrap();
    let first = ingest(&mut store, &[early.path().to_path_buf()]);
    let before = store.get("CAS-31008-P3G7Y5").unwrap().unwrap();
    assert_eq!(before.messages.len(), 4);
    let cases = store.stats().unwrap().cases;

    let late = PathBuf::from(CORPUS).join("eml/en-backup-nas-5.eml");
    let report = ingest(&mut store, &[late]);
    assert_eq!(
        report,
        IngestReport {
            added: 0,
            replaced: 1,
            unchanged: 0,
            removed: 0
        }
    );
    let after = store.get("CAS-31008-P3G7Y5").unwrap().unwrap();
    assert_eq!(after.messages.len(), 5);
    assert_eq!(store.stats().unwrap().cases, cases);
    assert_eq!(first.added as u64, cases);
}
