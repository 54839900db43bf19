//! The commands as a user runs them: `ingest`, `search --json`, `show`, `stats --json` on the
//! corpus and the user's sample, through the real binary.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_casebook");
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/samples");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn run(args: &[&str], store: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("CASEBOOK_STORE", store)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn ingest_search_show_stats() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");

    let (ok, _, err) = run(&["search", "升级失败"], &store);
    assert!(!ok);
    assert!(err.contains("no case store at"), "{err}");

    let (ok, out, _) = run(&["ingest", CORPUS, SAMPLE, "--json"], &store);
    assert!(ok);
    let first = json(&out);
    assert_eq!(first["files"], 59);
    assert_eq!(first["messages"], 134);
    assert_eq!(first["errors"], 0);
    assert_eq!(
        first["cases"],
        serde_json::json!({"added": 26, "replaced": 0, "unchanged": 0, "removed": 0})
    );

    let (ok, out, _) = run(&["stats", "--json"], &store);
    assert!(ok);
    let stats = json(&out);
    assert_eq!(stats["cases"], 26);
    assert_eq!(stats["messages"], 134);
    assert_eq!(
        stats["by_language"],
        serde_json::json!({"en": 13, "zh": 13})
    );
    assert_eq!(
        stats["by_status"],
        serde_json::json!({"resolved": 23, "unresolved": 3})
    );

    // Again: every file is unchanged and skipped; read anyway, every case is unchanged.
    let (ok, out, _) = run(&["ingest", CORPUS, SAMPLE, "--json"], &store);
    assert!(ok);
    assert_eq!(json(&out)["unchanged_files"], 59);
    assert_eq!(
        json(&out)["cases"],
        serde_json::json!({"added": 0, "replaced": 0, "unchanged": 0, "removed": 0})
    );
    let (ok, out, _) = run(&["ingest", CORPUS, SAMPLE, "--json", "--reread"], &store);
    assert!(ok);
    assert_eq!(json(&out)["unchanged_files"], 0);
    assert_eq!(
        json(&out)["cases"],
        serde_json::json!({"added": 0, "replaced": 0, "unchanged": 26, "removed": 0})
    );
    let (_, again, _) = run(&["stats", "--json"], &store);
    assert_eq!(json(&again), stats);

    let (ok, out, _) = run(&["search", "\"DISM 初始化\"", "--json"], &store);
    assert!(ok);
    let res = json(&out);
    assert_eq!(res["query"], "\"DISM 初始化\"");
    assert_eq!(res["total"], 1);
    assert_eq!(res["hits"][0]["id"], "CAS-06616-G5Z4X1");
    assert_eq!(res["hits"][0]["title"], "工行广东分行升级失败");
    assert_eq!(res["hits"][0]["status"], "resolved");
    assert_eq!(res["facets"]["customer"], serde_json::json!({"ICBC": 1}));
    let snippet = res["hits"][0]["snippet"].as_str().unwrap();
    let (a, b) = (
        res["hits"][0]["highlights"][0][0].as_u64().unwrap() as usize,
        res["hits"][0]["highlights"][0][1].as_u64().unwrap() as usize,
    );
    assert_eq!(&snippet[a..b], "初始化DISM");

    // Not a terminal: no colour codes in the text output.
    let (ok, out, _) = run(&["search", "zk_hook", "--limit", "1"], &store);
    assert!(ok);
    assert!(out.starts_with("CAS-06616-G5Z4X1  [resolved]"), "{out}");
    assert!(!out.contains('\x1b'));

    let (ok, out, _) = run(&["show", "CAS-06616-G5Z4X1", "--json"], &store);
    assert!(ok);
    let case = json(&out);
    assert_eq!(case["id"], "CAS-06616-G5Z4X1");
    assert_eq!(case["messages"].as_array().map(Vec::len), Some(16));
    let (ok, out, _) = run(&["show", "CAS-06616-G5Z4X1", "--md"], &store);
    assert!(ok);
    assert!(
        out.starts_with("# CAS-06616-G5Z4X1 — 工行广东分行升级失败\n"),
        "{out}"
    );
    let (ok, _, err) = run(&["show", "CAS-00000-NOPE"], &store);
    assert!(!ok);
    assert!(err.contains("no case CAS-00000-NOPE"), "{err}");
}
