//! The bounded ingest (messages staged on disk, threads cleaned, segmented and indexed a small
//! batch at a time) gives the same store as the in-memory ingest: the same cases, byte for byte,
//! and the same search results, on `corpus/` and on a generated corpus of a few thousand mails.

use crate::support::store::assert_same_results;

use std::path::PathBuf;

use casebook::config::Config;
use casebook::index::{IngestReport, SearchRequest, Store};
use casebook::ingest::{read_paths, read_paths_with, NoProgress};
use casebook::pipeline::Publish;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn in_memory(dir: &std::path::Path, paths: &[PathBuf]) -> (Store, IngestReport) {
    let mut store = Store::open(dir).unwrap();
    let read = read_paths(paths, &mut NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let mut writer = store.writer().unwrap();
    let report = store
        .ingest(
            &mut writer,
            read.messages,
            &Config::default(),
            Publish::default(),
        )
        .unwrap();
    (store, report)
}

fn bounded(dir: &std::path::Path, paths: &[PathBuf], batch: usize) -> (Store, IngestReport) {
    let mut store = Store::open(dir).unwrap();
    let config = Config::default();
    let mut writer = store.writer().unwrap();
    let mut staged = store.stage(&config, batch).unwrap();
    let read = read_paths_with(paths, &mut NoProgress, &Default::default(), &mut |chunk| {
        staged.push(chunk)
    });
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let (report, _) = store
        .ingest_staged(
            &mut writer,
            staged,
            read.states,
            &config,
            Publish::default(),
        )
        .unwrap();
    // The spill file is gone with the ingest.
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".spill-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    (store, report)
}

fn same_store(a: &Store, b: &Store, queries: &[&str]) {
    let (ca, cb) = (a.cases().unwrap(), b.cases().unwrap());
    assert_eq!(ca.len(), cb.len());
    for (x, y) in ca.iter().zip(&cb) {
        assert_eq!(
            serde_json::to_string(x).unwrap(),
            serde_json::to_string(y).unwrap()
        );
    }
    for q in queries {
        let req = SearchRequest {
            query: q.to_string(),
            limit: 20,
            ..SearchRequest::default()
        };
        let (ha, hb) = (a.search(&req).unwrap(), b.search(&req).unwrap());
        assert_same_results(
            &serde_json::to_value(&ha).unwrap(),
            &serde_json::to_value(&hb).unwrap(),
        );
    }
}

#[test]
fn batches_of_three_messages_give_the_in_memory_store_on_the_corpus() {
    let (d1, d2) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let paths = [PathBuf::from(CORPUS)];
    let (a, ra) = in_memory(d1.path(), &paths);
    let (b, rb) = bounded(d2.path(), &paths, 3);
    assert_eq!(ra, rb);
    assert!(ra.added > 20, "{ra:?}");
    same_store(
        &a,
        &b,
        &[
            "升级失败",
            "backup job fails",
            "0x80070005",
            "status:resolved",
        ],
    );
}

#[test]
fn small_batches_give_the_in_memory_store_on_a_generated_corpus() {
    let scratch = tempfile::tempdir().unwrap();
    let mbox = scratch.path().join("gen.mbox");
    let gen = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench/gen_corpus.py");
    let status = std::process::Command::new("python3")
        .args([gen, "--threads", "300", "--seed", "11", "--mbox"])
        .arg(&mbox)
        .status()
        .unwrap();
    assert!(status.success());
    let paths = [mbox];
    let (d1, d2) = (scratch.path().join("a"), scratch.path().join("b"));
    let (a, ra) = in_memory(&d1, &paths);
    let (b, rb) = bounded(&d2, &paths, 97);
    assert_eq!(ra, rb);
    assert_eq!(ra.added, 300);
    let messages: u64 = b.stats().unwrap().messages;
    assert!(messages > 2000, "{messages}");
    same_store(
        &a,
        &b,
        &[
            "升级失败",
            "backup job fails",
            "zk_hook.dll",
            "0x80070005 status:resolved",
        ],
    );
}
