//! Threading against the corpus gold: every `threads` grouping in `corpus/**/*.expected.json`
//! (the mbox of two interleaved threads, one with a broken References chain, among them), and
//! the user's sample export as one thread.

use std::path::Path;

use casebook::eval::clean::fixtures;
use casebook::ingest;
use casebook::model::ThreadKey;
use casebook::thread::{thread, ThreadConfig};

/// Message indexes of each thread, in thread order.
fn groups(path: &Path) -> Vec<Vec<usize>> {
    let read = ingest::read_paths(&[path.to_path_buf()], &mut ingest::NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    thread(read.messages, &ThreadConfig::default())
        .iter()
        .map(|t| t.messages.iter().map(|m| m.source.index).collect())
        .collect()
}

#[test]
fn interleaved_mbox_splits_into_its_two_threads() {
    let mbox = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/mbox/en-interleaved.mbox");
    assert_eq!(groups(&mbox), vec![vec![1, 3, 5, 7], vec![2, 4, 6]]);
}

#[test]
fn every_threads_expectation_in_the_corpus_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut checked = 0;
    for (input, expected) in fixtures(&root) {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&expected).unwrap()).unwrap();
        let Some(want) = doc.get("threads") else {
            continue;
        };
        let want: Vec<Vec<usize>> = serde_json::from_value(want.clone()).unwrap();
        let mut got = groups(&input);
        let mut want_sorted = want.clone();
        for g in got.iter_mut().chain(want_sorted.iter_mut()) {
            g.sort_unstable();
        }
        got.sort();
        want_sorted.sort();
        assert_eq!(got, want_sorted, "{}", expected.display());
        checked += 1;
    }
    assert!(checked >= 1);
}

#[test]
fn the_sample_export_is_one_case_thread() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/case-export-zh.txt"
    );
    let messages = ingest::read_file(Path::new(sample)).unwrap();
    assert_eq!(messages.len(), 16);
    let threads = thread(messages, &ThreadConfig::default());
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].id, "CAS-06616-G5Z4X1");
    assert_eq!(threads[0].key, ThreadKey::CaseNumber);
    assert_eq!(
        threads[0].subject,
        "[案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应 CMIT:0001374"
    );
    let order: Vec<usize> = threads[0].messages.iter().map(|m| m.source.index).collect();
    assert_eq!(order, (1..=16).collect::<Vec<_>>());
}
