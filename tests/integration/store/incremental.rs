//! Re-ingesting: files with the same size and content are skipped without parsing, a grown mbox
//! is read from its old end, and only the case whose thread grew changes.

use std::path::Path;
use std::process::Command;

use casebook::index::Store;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

fn ingest(corpus: &Path, store: &Path) -> serde_json::Value {
    ingest_with(corpus, store, &[])
}

fn ingest_with(corpus: &Path, store: &Path, flags: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .arg("ingest")
        .arg("--json")
        .args(flags)
        .arg("--store")
        .arg(store)
        .arg(corpus)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const REPLY: &str = "From hannah.cole@support.northwind.example Wed May 10 09:00:00 2023
From: Hannah Cole <hannah.cole@support.northwind.example>
To: Li Wei <liwei@meridianhealth.example>
Subject: RE: [Case: CAS-31003-T2Z6K8] |P2|MERIDIAN| Customer portal returns 502 Bad Gateway after upgrade to 5.2
Date: Wed, 10 May 2023 09:00:00 +0000
Message-ID: <CAS-31003-T2Z6K8.1683709200.hc@support.northwind.example>
In-Reply-To: <20230509140219.5893@meridianhealth.example>

Hi Li Wei,

Thank you for confirming. We are closing this case now; the 5.2 upgrade notes have been
updated with the proxy change.

Best regards,
Hannah Cole

";

#[test]
fn unchanged_files_are_skipped_and_an_appended_mbox_changes_only_its_case() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = scratch.path().join("corpus");
    copy_dir(Path::new(CORPUS), &corpus);
    let store = scratch.path().join("store");

    let first = ingest(&corpus, &store);
    let files = first["files"].as_u64().unwrap();
    assert!(files > 50, "{first}");
    assert_eq!(first["unchanged_files"], 0);
    let before = Store::open(&store).unwrap().cases().unwrap();

    let again = ingest(&corpus, &store);
    assert_eq!(again["files"], files);
    assert_eq!(again["unchanged_files"], files, "{again}");
    assert_eq!(again["messages"], 0);
    assert_eq!(again["bytes"], 0);
    assert_eq!(
        again["cases"],
        serde_json::json!({"added": 0, "replaced": 0, "unchanged": 0, "removed": 0})
    );

    let mbox = corpus.join("mbox/en-portal-502.mbox");
    let old_len = std::fs::metadata(&mbox).unwrap().len();
    let mut text = std::fs::read_to_string(&mbox).unwrap();
    text.push_str(REPLY);
    std::fs::write(&mbox, text).unwrap();
    let grown = ingest(&corpus, &store);
    assert_eq!(grown["unchanged_files"], files - 1, "{grown}");
    assert_eq!(grown["appended_files"], 1);
    assert_eq!(grown["messages"], 1);
    assert_eq!(
        grown["bytes"].as_u64().unwrap(),
        std::fs::metadata(&mbox).unwrap().len() - old_len
    );
    assert_eq!(
        grown["cases"],
        serde_json::json!({"added": 0, "replaced": 1, "unchanged": 0, "removed": 0})
    );
    let after = Store::open(&store).unwrap().cases().unwrap();
    assert_eq!(after.len(), before.len());
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.id.as_str())
        .collect();
    assert_eq!(changed, ["CAS-31003-T2Z6K8"]);
    let case = after.iter().find(|c| c.id == "CAS-31003-T2Z6K8").unwrap();
    let old = before.iter().find(|c| c.id == "CAS-31003-T2Z6K8").unwrap();
    assert_eq!(case.messages.len(), old.messages.len() + 1);
    let last = case.messages.last().unwrap();
    assert_eq!(last.source.index, 6);
    assert!(last.text.contains("closing this case"), "{}", last.text);

    // The appended entry got the number a whole read gives it.
    let whole = scratch.path().join("whole");
    ingest(&corpus, &whole);
    let fresh = Store::open(&whole)
        .unwrap()
        .get("CAS-31003-T2Z6K8")
        .unwrap()
        .unwrap();
    assert_eq!(
        fresh.messages.iter().map(|m| &m.source).collect::<Vec<_>>(),
        case.messages.iter().map(|m| &m.source).collect::<Vec<_>>()
    );

    // Other publishing rules make other cases: nothing is skipped.
    let redo = ingest_with(&corpus, &store, &["--keep-pii"]);
    assert_eq!(redo["unchanged_files"], 0, "{redo}");
    assert_eq!(redo["files"], files);
    let forced = ingest_with(&corpus, &store, &["--keep-pii", "--reread"]);
    assert_eq!(forced["unchanged_files"], 0, "{forced}");
    let skipped = ingest_with(&corpus, &store, &["--keep-pii"]);
    assert_eq!(skipped["unchanged_files"], files, "{skipped}");
}
