//! A sharded run gives the same store as one run: the corpus is cut into two halves along its
//! threads, `casebook cases --json` runs on each half, and `ingest --from-cases` loads both
//! outputs into one store. Its cases and search results must equal those of `ingest corpus/`.

use crate::support::store::assert_same_results;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use casebook::index::{SearchRequest, Store};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn casebook(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// The unit a message's file belongs to: the entry right below `corpus/<kind>/` (a file, or a
/// maildir folder, which must be read whole to keep its numbering).
fn unit_of(path: &str) -> PathBuf {
    let rel = Path::new(path).strip_prefix(CORPUS).unwrap();
    let mut parts = rel.components();
    let kind = parts.next().unwrap();
    let name = parts.next().unwrap();
    Path::new(CORPUS).join(kind).join(name)
}

/// Units grouped so that no case spans two groups (files joined by the cases they share).
fn components(cases_ndjson: &str) -> Vec<BTreeSet<PathBuf>> {
    let mut groups: Vec<BTreeSet<PathBuf>> = Vec::new();
    for line in cases_ndjson.lines() {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let units: BTreeSet<PathBuf> = case["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| unit_of(m["source"]["path"].as_str().unwrap()))
            .collect();
        let (mut joined, rest): (Vec<_>, Vec<_>) =
            groups.into_iter().partition(|g| !g.is_disjoint(&units));
        let mut merged = units;
        for g in joined.drain(..) {
            merged.extend(g);
        }
        groups = rest;
        groups.push(merged);
    }
    groups.sort();
    groups
}

fn search_all(store: &Store, queries: &[&str]) -> Vec<serde_json::Value> {
    queries
        .iter()
        .map(|q| {
            let req = SearchRequest {
                query: q.to_string(),
                limit: 50,
                ..SearchRequest::default()
            };
            serde_json::to_value(store.search(&req).unwrap()).unwrap()
        })
        .collect()
}

#[test]
fn cases_of_two_halves_loaded_together_equal_one_ingest() {
    let scratch = tempfile::tempdir().unwrap();
    let all = casebook(&["cases".as_ref(), "--json".as_ref(), CORPUS.as_ref()]);
    let groups = components(&all);
    assert!(groups.len() > 10, "{} groups", groups.len());
    let mut halves: BTreeMap<usize, Vec<PathBuf>> = BTreeMap::new();
    for (i, g) in groups.into_iter().enumerate() {
        halves.entry(i % 2).or_default().extend(g);
    }
    let mut shard_files = Vec::new();
    for (n, units) in &halves {
        let mut args: Vec<&std::ffi::OsStr> = vec!["cases".as_ref(), "--json".as_ref()];
        args.extend(units.iter().map(|u| u.as_os_str()));
        let out = casebook(&args);
        assert!(!out.is_empty());
        let file = scratch.path().join(format!("shard-{n}.ndjson"));
        std::fs::write(&file, out).unwrap();
        shard_files.push(file);
    }

    let sharded = scratch.path().join("sharded");
    let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref(), "--json".as_ref()];
    args.extend([
        "--store".as_ref(),
        sharded.as_os_str(),
        "--from-cases".as_ref(),
    ]);
    args.extend(shard_files.iter().map(|f| f.as_os_str()));
    let loaded: serde_json::Value = serde_json::from_str(&casebook(&args)).unwrap();

    let whole = scratch.path().join("whole");
    casebook(&[
        "ingest".as_ref(),
        "--store".as_ref(),
        whole.as_os_str(),
        CORPUS.as_ref(),
    ]);
    let (a, b) = (Store::open(&sharded).unwrap(), Store::open(&whole).unwrap());
    let (cases_a, cases_b) = (a.cases().unwrap(), b.cases().unwrap());
    assert_eq!(loaded["cases"]["added"], cases_b.len());
    assert_eq!(loaded["errors"], 0);
    assert_eq!(cases_a, cases_b);
    let queries = [
        "升级失败",
        "backup job fails",
        "0x80070005",
        "status:resolved certificate",
        "customer:ICBC",
        "蓝屏 nwflt",
        "\"access denied\"",
    ];
    let (hits_a, hits_b) = (search_all(&a, &queries), search_all(&b, &queries));
    let found = hits_b
        .iter()
        .filter(|h| !h["hits"].as_array().unwrap().is_empty());
    assert!(found.count() >= 5);
    assert_eq!(hits_a.len(), hits_b.len());
    for (a, b) in hits_a.iter().zip(&hits_b) {
        assert_same_results(a, b);
    }
}

#[test]
fn a_bad_case_line_is_reported_and_the_rest_load() {
    let scratch = tempfile::tempdir().unwrap();
    let one = casebook(&[
        "cases".as_ref(),
        "--json".as_ref(),
        Path::new(CORPUS)
            .join("mbox/en-portal-502.mbox")
            .as_os_str(),
    ]);
    let file = scratch.path().join("cases.ndjson");
    std::fs::write(&file, format!("{{\"id\": 3}}\n\n{one}")).unwrap();
    let store = scratch.path().join("s");
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("ingest")
        .arg("--json")
        .arg("--store")
        .arg(&store)
        .arg("--from-cases")
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cases.ndjson:1: not a case"), "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["errors"], 1);
    assert_eq!(summary["cases"]["added"], one.lines().count());
}
