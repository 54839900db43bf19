//! Concurrency on one store, with the built binary: `search` and `stats` while an `ingest` runs
//! answer from the last commit (the old set or, once committed, the new one, never a part), and
//! a second `ingest` started while another writer holds the lock fails at once with a clear message naming the
//! lock, leaving the store whole.

use std::path::Path;
use std::process::{Child, Stdio};

use crate::support::bin::{casebook, expected_cases, ingest_cmd, stats_cases, write_exports};

/// `casebook search 备份 --json` → total hits (every generated case mentions 备份).
fn search_total(store: &Path) -> usize {
    let out = casebook()
        .args(["search", "备份", "-n", "1", "--json", "--store"])
        .arg(store)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["total"].as_u64().unwrap() as usize
}

fn spawn_quiet(mut cmd: std::process::Command) -> Child {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn search_during_ingest_answers_from_the_last_commit() {
    let work = tempfile::tempdir().unwrap();
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    write_exports(&a, 40, 0);
    write_exports(&b, 300, 40);
    let store = work.path().join("store");
    let out = ingest_cmd(&a, &store).output().unwrap();
    assert!(out.status.success());
    let old = expected_cases(&a);
    assert_eq!((old, stats_cases(&store)), (40, Some(40)));
    let new = old + expected_cases(&b);
    assert_eq!(new, 340);

    let mut cmd = ingest_cmd(&a, &store);
    cmd.arg(&b);
    let mut child = spawn_quiet(cmd);
    let mut during = 0;
    while child.try_wait().unwrap().is_none() {
        let n = stats_cases(&store).unwrap();
        let total = search_total(&store);
        assert!(n == old || n == new, "stats saw {n} cases mid-ingest");
        assert!(
            total == old || total == new,
            "search saw {total} mid-ingest"
        );
        during += 1;
    }
    let status = child.wait().unwrap();
    assert!(status.success());
    // The reads above overlapped the ingest (a debug build takes seconds for 300 exports).
    assert!(during >= 1, "no read happened while ingest ran");
    assert_eq!(stats_cases(&store), Some(new));
    assert_eq!(search_total(&store), new);
}

#[test]
fn second_ingest_fails_clearly_on_the_lock_and_the_store_stays_whole() {
    let work = tempfile::tempdir().unwrap();
    let (a, b) = (work.path().join("a"), work.path().join("b"));
    write_exports(&a, 40, 0);
    write_exports(&b, 20, 40);
    let store = work.path().join("store");
    assert!(ingest_cmd(&a, &store).output().unwrap().status.success());
    let old = expected_cases(&a);

    // Another writer holds tantivy's lock (taken here in-process, so the test does not depend on
    // how fast a first ingest runs): a second ingest fails at once and changes nothing.
    let held = casebook::index::Store::open(&store).unwrap();
    let lock = held.writer().unwrap();
    let mut cmd = ingest_cmd(&a, &store);
    cmd.arg(&b);
    let second = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("another casebook ingest is writing to this store"),
        "{stderr}"
    );
    assert_eq!(stats_cases(&store), Some(old));
    assert_eq!(search_total(&store), old);

    // The lock goes with its holder: a new ingest runs and adds the new cases.
    drop(lock);
    let mut cmd = ingest_cmd(&a, &store);
    cmd.arg(&b);
    assert!(cmd.output().unwrap().status.success());
    let new = old + expected_cases(&b);
    assert_eq!(stats_cases(&store), Some(new));
    assert_eq!(search_total(&store), new);
}
