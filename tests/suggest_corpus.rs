//! `suggest` over a store built from `corpus/` and the user's sample: the accepted ticket, the
//! gold tickets' retrieval scores against the raw-BM25 baseline, and the command's output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use casebook::config::Config;
use casebook::eval::{baseline::RawIndex, retrieval};
use casebook::index::Store;
use casebook::ingest::{self, NoProgress};
use casebook::pipeline::Publish;
use casebook::suggest::{self, ticket};
use casebook::thread;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn inputs() -> Vec<PathBuf> {
    vec![
        root().join("corpus"),
        root().join("../shared/samples/case-export-zh.txt"),
    ]
}

fn store_with_corpus(dir: &Path) -> Store {
    let config = Config::default();
    let read = ingest::read_paths(&inputs(), &mut NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let mut store = Store::open(dir).unwrap();
    let mut writer = store.writer().unwrap();
    store
        .ingest(&mut writer, read.messages, &config, Publish::default())
        .unwrap();
    store
}

const ACCEPTED_TICKET: &str =
    "某分行设备离线升级到V2020-L失败，日志显示无法初始化DISM，怀疑有第三方软件干扰";

#[test]
fn the_accepted_ticket_finds_the_sample_case_and_its_zkcloud_remedy() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    let t = ticket::from_messages(
        vec![ticket::text_message(
            ACCEPTED_TICKET,
            Path::new("ticket.txt"),
        )],
        &Config::default(),
    );
    assert_eq!(t.language, "zh");
    assert_eq!(t.entities.versions, vec!["V2020-L"]);
    let s = suggest::suggest(&t, &store, suggest::Options { top: 5 }).unwrap();
    assert_eq!(s.matches[0].id, "CAS-06616-G5Z4X1");
    assert!(s.matches[0].why.entities.contains(&"v2020-l".to_string()));
    let first = &s.remedies[0];
    assert_eq!(first.cases[0], "CAS-06616-G5Z4X1");
    assert!(
        first.text.contains("禁用zkcloud") || first.steps[0].contains("禁用zkcloud"),
        "{first:?}"
    );
    assert!(first.steps[0].starts_with("禁用zkcloud相关应用和服务"));
    assert!(!s.diagnostics.is_empty());
}

#[test]
fn gold_tickets_beat_the_raw_baseline_and_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    let config = Config::default();
    let read = ingest::read_paths(&inputs(), &mut NoProgress);
    let raw = RawIndex::build(&thread::thread(read.messages, &config.thread)).unwrap();
    let tickets = retrieval::load_tickets(&root().join("corpus/gold")).unwrap();
    let [ours, base] = retrieval::evaluate(&tickets, &store, &raw, &config).unwrap();
    let table = retrieval::table(&[ours.clone(), base.clone()]);
    assert_eq!(ours.tickets, tickets.len());
    assert!(ours.recall_at_5 >= 0.9, "{table}{:#?}", ours.misses);
    assert!(ours.mrr >= 0.75, "{table}{:#?}", ours.misses);
    assert!(ours.mrr > base.mrr, "{table}");
    assert!(ours.recall_at_1 >= base.recall_at_1, "{table}");
}

#[test]
fn the_command_reads_stdin_and_prints_json_or_text() {
    let dir = tempfile::tempdir().unwrap();
    drop(store_with_corpus(dir.path()));
    let run = |extra: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
            .args(["suggest", "-", "--store"])
            .arg(dir.path())
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(ACCEPTED_TICKET.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run(&["--json", "--top", "3"])).unwrap();
    assert_eq!(json["language"], "zh");
    assert_eq!(json["matches"][0]["id"], "CAS-06616-G5Z4X1");
    assert_eq!(json["matches"].as_array().unwrap().len(), 3);
    assert_eq!(json["remedies"][0]["cases"][0], "CAS-06616-G5Z4X1");
    let text = run(&[]);
    assert!(
        text.starts_with("相似案例:\n  1. CAS-06616-G5Z4X1  工行广东分行升级失败"),
        "{text}"
    );
    assert!(text.contains("建议的解决方法:"), "{text}");
    let english = run(&["--lang", "en"]);
    assert!(english.starts_with("Similar cases:"), "{english}");
}
