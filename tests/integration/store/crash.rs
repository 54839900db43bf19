//! Crash safety: `casebook ingest` (the built binary) killed with SIGKILL at seeded random
//! moments, again and again, into one store. After every kill the store must open, count and
//! search, holding either nothing (no commit yet) or exactly the full set of cases (an ingest is
//! one commit), never a part; once full it stays full. A last ingest run to the end leaves
//! exactly the number of cases the pipeline makes from the same input in-process.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::bin::{casebook, expected_cases, ingest_cmd, stats_cases, write_exports, Rng};

/// How many times ingest is killed.
const KILLS: usize = 8;

#[test]
fn sigkill_during_ingest_never_corrupts_the_store() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("input");
    write_exports(&input, 120, 0);
    let store = work.path().join("store");
    let expected = expected_cases(&input);
    assert_eq!(expected, 120);

    // One full run into a scratch store tells how long an ingest takes here.
    let scratch = work.path().join("scratch");
    let t = Instant::now();
    let out = ingest_cmd(&input, &scratch).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let full = t.elapsed();
    assert_eq!(stats_cases(&scratch), Some(expected));
    // Once the store is full, an ingest skips the unchanged files: a much shorter run, so the
    // kills after that are drawn over its length.
    let t = Instant::now();
    assert!(ingest_cmd(&input, &scratch)
        .output()
        .unwrap()
        .status
        .success());
    let again = t.elapsed();

    let mut rng = Rng(0x5eed_cafe);
    let mut full_seen = false;
    let mut killed_running = 0;
    for kill in 0..KILLS {
        let run = if full_seen { again } else { full };
        let delay = Duration::from_micros(rng.below(run.as_micros() as u64 + 1));
        let mut child = ingest_cmd(&input, &store)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        // `Child::kill` is SIGKILL on Unix: no destructor, no flush, no lock release but the
        // kernel's.
        if child.try_wait().unwrap().is_none() {
            killed_running += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();

        match stats_cases(&store) {
            // Killed before the store's first commit was written: nothing to open yet.
            None => assert!(!full_seen, "kill {kill}: the store vanished"),
            Some(n) => {
                assert!(n == 0 || n == expected, "kill {kill}: {n} cases");
                assert!(!(full_seen && n == 0), "kill {kill}: committed cases lost");
                full_seen |= n == expected;
                let out = casebook()
                    .args(["search", "备份", "--json", "--store"])
                    .arg(&store)
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "kill {kill}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                let total = v["total"].as_u64().unwrap() as usize;
                assert_eq!(total, n, "kill {kill}: every case mentions 备份");
            }
        }
    }
    // The seeded delays must have hit running processes, or the test proved nothing.
    assert!(
        killed_running >= KILLS / 2,
        "{killed_running} kills hit a running ingest"
    );

    let out = ingest_cmd(&input, &store).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stats_cases(&store), Some(expected));
    // And again: nothing is added twice.
    let out = ingest_cmd(&input, &store).output().unwrap();
    assert!(out.status.success());
    assert_eq!(stats_cases(&store), Some(expected));
}
