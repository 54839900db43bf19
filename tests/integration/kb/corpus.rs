//! `casebook build corpus` end to end: the gold pairs of `corpus/gold/kb-*.json` become merged
//! articles, running it twice gives byte-identical trees, and no sender's address or name reaches
//! an article.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use casebook::config::Config;
use casebook::ingest::{self, NoProgress};
use casebook::kb::{self, KbConfig};
use casebook::pipeline::{self, Publish};

use crate::support::kb::read_tree;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn gold_pairs() -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for lang in ["en", "zh"] {
        let text = std::fs::read_to_string(format!("{CORPUS}/gold/kb-{lang}.json")).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for pair in v["merged"].as_array().unwrap() {
            let mut ids: Vec<String> = pair
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            ids.sort();
            out.insert(ids);
        }
    }
    out
}

#[test]
fn corpus_cases_sharing_a_root_cause_become_one_article() {
    let ingested = ingest::read_paths(&[CORPUS.into()], &mut NoProgress);
    let cases = pipeline::cases(ingested.messages, &Config::default(), Publish::default());
    let (articles, decisions) = kb::articles(&cases, &KbConfig::default());
    let merged: BTreeSet<Vec<String>> = articles
        .iter()
        .filter(|a| a.cases.len() > 1)
        .map(|a| a.cases.iter().map(|c| c.id.clone()).collect())
        .collect();
    assert_eq!(merged, gold_pairs(), "{decisions:#?}");
    let bsod = articles
        .iter()
        .find(|a| a.id == "cas-31007-j6w1n3")
        .unwrap();
    assert_eq!(bsod.cases[1].id, "CAS-31010-F8K4T2");
    assert!(
        bsod.cause.iter().any(|s| s.text.contains("nwflt.sys")),
        "{:?}",
        bsod.cause
    );
    assert!(bsod.steps[0]
        .text
        .starts_with("Upgrade the Endpoint Agent to 8.4.3"));
    // Every merge decision is on a pair that shares a key entity.
    assert!(decisions.iter().all(|d| !d.shared.is_empty()));
}

fn casebook(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(args)
        .env_remove("CASEBOOK_STORE")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Sender addresses and display names from the corpus headers (`From:` lines of the mail files,
/// `发件人：`/`From:` lines of the text exports).
fn sender_names_and_addresses() -> BTreeSet<String> {
    let ingested = ingest::read_paths(&[CORPUS.into()], &mut NoProgress);
    let mut out = BTreeSet::new();
    for m in &ingested.messages {
        for a in std::iter::once(&m.from).chain(&m.to).chain(&m.cc) {
            out.extend(a.address.clone());
            // Only personal names: team mailboxes ("Northwind Support") are not personal data.
            if let Some(name) = &a.name {
                let lower = name.to_lowercase();
                let team = [
                    "support",
                    "team",
                    "技术支持",
                    "服务",
                    "helpdesk",
                    "noreply",
                    "运维",
                ]
                .iter()
                .any(|w| lower.contains(w));
                if !team && name.chars().count() >= 2 {
                    out.insert(name.clone());
                }
            }
        }
    }
    out
}

#[test]
fn build_then_kb_give_identical_trees_without_addresses() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    let store = store.to_str().unwrap();
    let out = casebook(&[
        "build",
        CORPUS,
        "--store",
        store,
        "--out",
        one.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "kb: 20 articles from 25 cases (2 merged articles, 3 unresolved cases skipped"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "kb: link rate 100.0% (22/22 resolved cases); KCS: WIP 0, Not Validated 12, Validated 8, Archived 0\n"
        ),
        "{stderr}"
    );
    let stats = casebook(&["stats", "--store", store]);
    let stats = String::from_utf8_lossy(&stats.stdout);
    assert!(stats.contains("\narticles   20 (2 merged)\n"), "{stats}");
    assert!(
        stats.contains("\nlink rate  100.0% (22/22 resolved cases)\n"),
        "{stats}"
    );
    assert!(
        stats.contains("\nkcs        WIP 0, Not Validated 12, Validated 8, Archived 0\n"),
        "{stats}"
    );
    casebook(&["kb", "--store", store, "--out", two.to_str().unwrap()]);
    let tree = read_tree(&one);
    assert_eq!(tree, read_tree(&two));
    assert_eq!(tree.len(), 23);

    let json = casebook(&[
        "kb",
        "--store",
        store,
        "--out",
        two.to_str().unwrap(),
        "--json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let merged: BTreeSet<Vec<String>> = report["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["merged"] == true)
        .map(|d| {
            d["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect()
        })
        .collect();
    assert_eq!(merged, gold_pairs());
    assert_eq!(tree, read_tree(&two));
    for (path, bytes) in &tree {
        assert!(!bytes.contains(&b'@'), "an address in {path}");
    }
}

#[test]
fn no_sender_name_or_address_reaches_an_article() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let out = tmp.path().join("kb");
    casebook(&[
        "build",
        CORPUS,
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--include-unresolved",
    ]);
    let pii = sender_names_and_addresses();
    assert!(pii.len() > 20, "{pii:?}");
    for (path, bytes) in &read_tree(&out) {
        let text = String::from_utf8_lossy(bytes);
        for p in &pii {
            assert!(!text.contains(p.as_str()), "{p:?} in {path}");
        }
    }
}

/// `kb/` in the repository is exactly what the README's main command makes of `corpus/`: a
/// pipeline change that alters an article must come with the regenerated `kb/`
/// (`rm -rf .casebook && cargo run --release -- build corpus --out kb`).
#[test]
fn the_committed_kb_is_what_build_generates() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let out = tmp.path().join("kb");
    casebook(&[
        "build",
        CORPUS,
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let committed = read_tree(&Path::new(env!("CARGO_MANIFEST_DIR")).join("kb"));
    let generated = read_tree(&out);
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        generated.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &generated {
        assert!(
            committed[path] == *bytes,
            "kb/{path} differs: regenerate kb/"
        );
    }
}

/// The acceptance run for incremental `kb`: the corpus without the earlier case of a gold pair,
/// then that case ingested: the pair's article keeps its id, and only it (plus the redirect its
/// new title leaves), the indexes and the manifest are written; every other page is untouched.
#[test]
fn ingesting_a_case_into_an_existing_group_rewrites_only_that_article() {
    let tmp = tempfile::tempdir().unwrap();
    let (first, later) = (tmp.path().join("first"), tmp.path().join("later"));
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    };
    for entry in walkdir::WalkDir::new(CORPUS) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(CORPUS).unwrap();
        let held_back = rel.to_string_lossy().contains("en-bsod-nwflt-");
        copy(
            entry.path(),
            &if held_back { &later } else { &first }.join(rel),
        );
    }
    let store = tmp.path().join("store");
    let out = tmp.path().join("kb");
    let (store, out_dir) = (store.to_str().unwrap(), out.to_str().unwrap());
    casebook(&[
        "build",
        first.to_str().unwrap(),
        "--store",
        store,
        "--out",
        out_dir,
    ]);
    let before = read_tree(&out);
    assert!(before.contains_key("cas-31010-f8k4t2-laptops-crash-with-stop-code-0x000000d1-when.md"));

    casebook(&["ingest", later.to_str().unwrap(), "--store", store]);
    let json = casebook(&["kb", "--store", store, "--out", out_dir, "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let written: Vec<&str> = report["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    let new = "cas-31010-f8k4t2-blue-screen-driver-irql-not-less-or-equal-in.md";
    let old = "cas-31010-f8k4t2-laptops-crash-with-stop-code-0x000000d1-when.md";
    assert_eq!(
        written,
        ["README.md", "SUMMARY.md", new, old, "manifest.json"]
    );
    let after = read_tree(&out);
    for (path, bytes) in &before {
        if !written.contains(&path.as_str()) {
            assert!(after[path] == *bytes, "{path} changed");
        }
    }
    let redirect = String::from_utf8_lossy(&after[old]).into_owned();
    assert!(
        redirect.starts_with(&format!("---\nredirect: \"{new}\"\n")),
        "{redirect}"
    );
}
