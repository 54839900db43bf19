//! `suggest` over a store built from `corpus/` and the user's sample: the accepted ticket, the
//! gold tickets' retrieval scores against the raw-BM25 baseline, abstention on the dev half of the
//! blind gold, whole-word evidence, reply drafts, and the command's output.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use casebook::config::Config;
use casebook::eval::{baseline::RawIndex, retrieval};
use casebook::index::Store;
use casebook::ingest::{self, NoProgress};
use casebook::pipeline::Publish;
use casebook::suggest::{self, draft, ticket};
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

/// `casebook suggest - --store DIR EXTRA…` with `ticket` on stdin; its stdout (it must succeed).
fn suggest_stdin(store: &Path, ticket: &str, extra: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["suggest", "-", "--store"])
        .arg(store)
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
        .write_all(ticket.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
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
    let s = suggest::suggest(
        &t,
        &store,
        suggest::Options {
            top: 5,
            ..Default::default()
        },
    )
    .unwrap();
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
    let run = |extra: &[&str]| suggest_stdin(dir.path(), ACCEPTED_TICKET, extra);
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

/// A problem the corpus has never seen (the example; not in any gold file).
const OUT_OF_SCOPE: &str =
    "Teams meeting screen sharing shows a black screen for attendees on macOS";

fn suggest_text(store: &Store, text: &str) -> (ticket::Ticket, suggest::Suggestion) {
    let t = ticket::from_messages(
        vec![ticket::text_message(text, Path::new("ticket.txt"))],
        &Config::default(),
    );
    let s = suggest::suggest(&t, store, suggest::Options::default()).unwrap();
    (t, s)
}

#[test]
fn the_draft_for_the_sample_ticket_cites_the_case_and_lists_both_zkcloud_steps() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    let (t, s) = suggest_text(&store, ACCEPTED_TICKET);
    let plan = draft::plan(&s, &t);
    assert_eq!(plan.language, "zh");
    assert!(!plan.abstain);
    let fix = plan.fix.clone().unwrap();
    assert_eq!(fix.case, "CAS-06616-G5Z4X1");
    let steps: Vec<&str> = fix.steps.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        steps,
        [
            "禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。",
            "使用升级镜像验证离线升级。"
        ]
    );
    assert!(fix.steps.iter().all(|c| !c.other_language));
    let text = draft::render(&plan).unwrap();
    assert!(
        text.starts_with(
            "您好，\n\n感谢您的来信。我们已收到您反馈的问题：“某分行设备离线升级到V2020-L失败，"
        ),
        "{text}"
    );
    assert!(text.contains("\n1. 禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。 [CAS-06616-G5Z4X1]\n2. 使用升级镜像验证离线升级。 [CAS-06616-G5Z4X1]\n"), "{text}");
    assert!(text.contains("相符"), "{text}");
}

#[test]
fn an_english_step_in_a_chinese_reply_is_kept_as_written_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    // A Chinese ticket about the English-only NwAgent case (Event ID 7031, msvcp140.dll).
    let (t, s) = suggest_text(
        &store,
        "多台服务器上的 NwAgent 服务反复停止，系统日志里是 Event ID 7031，应用程序错误指向 nwagent.exe 和 msvcp140.dll。",
    );
    assert_eq!(s.matches[0].id, "CAS-31002-H4N8P1");
    let plan = draft::plan(&s, &t);
    let fix = plan.fix.clone().unwrap();
    assert_eq!(fix.case, "CAS-31002-H4N8P1");
    assert!(fix.steps.iter().all(|c| c.other_language), "{fix:?}");
    let text = draft::render(&plan).unwrap();
    let first = &fix.steps[0].text;
    assert!(
        text.contains(&format!(
            "1. {first}（原文为英文，未翻译） [CAS-31002-H4N8P1]"
        )),
        "{text}"
    );
}

#[test]
fn an_out_of_scope_ticket_abstains_and_its_draft_proposes_no_fix() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    let (t, s) = suggest_text(&store, OUT_OF_SCOPE);
    assert!(s.abstain);
    assert!(s.matches.is_empty() && s.remedies.is_empty());
    assert_eq!(s.near_misses.len(), 3);
    assert!(s.near_misses[0].confidence < s.threshold);
    let plan = draft::plan(&s, &t);
    assert!(plan.fix.is_none());
    let text = draft::render(&plan).unwrap();
    assert!(text.starts_with("Hello,\n\nThank you for your message. We have received your report: \"Teams meeting screen sharing shows a black screen for attendees on macOS\"."), "{text}");
    assert!(text.contains("so we are not proposing a fix yet"), "{text}");
    assert!(!text.contains("please try these steps"), "{text}");
    // Every numbered line is the template's own request or a cited diagnostic.
    for line in text.lines().filter(|l| l.starts_with(char::is_numeric)) {
        assert!(
            line.ends_with(']')
                || line.contains("When the problem first appeared")
                || line.contains("The full error message"),
            "{line}"
        );
    }
}

#[test]
fn the_dev_half_of_the_blind_gold_meets_the_acceptance() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    let config = Config::default();
    let read = ingest::read_paths(&inputs(), &mut NoProgress);
    let raw = RawIndex::build(&thread::thread(read.messages, &config.thread)).unwrap();
    let splits = retrieval::load_splits(&root().join("corpus/gold")).unwrap();
    let dev = &splits[0];
    assert_eq!(dev.name, "dev");
    let search = |q: &str| -> casebook::Result<Vec<String>> {
        let req = casebook::index::SearchRequest {
            query: q.to_string(),
            limit: 10,
            ..Default::default()
        };
        Ok(store.search(&req)?.hits.into_iter().map(|h| h.id).collect())
    };
    let s = retrieval::evaluate_split(dev, &store, &search, &raw, &config).unwrap();
    let table = retrieval::split_table(std::slice::from_ref(&s));
    assert_eq!(s.out_of_scope, 22);
    assert!(s.abstain_rate >= 0.9, "{table}");
    assert!(
        s.in_scope[0].recall_at_5 >= 0.92,
        "{table}{:#?}",
        s.in_scope[0].misses
    );
    assert!(
        s.in_scope[0].recall_at_1 >= 0.89,
        "{table}{:#?}",
        s.in_scope[0].misses
    );
    assert!(
        s.queries[0].recall_at_1 >= 0.9,
        "{table}{:#?}",
        s.queries[0].misses
    );
    assert!(
        s.queries[0].recall_at_1 > s.queries[1].recall_at_1,
        "{table}"
    );
}

/// Every evidence term `suggest` shows is a whole word: a word of jieba's default cut of the
/// ticket, a Latin word or technical token as the ticket wrote it, or an entity.
#[test]
fn evidence_terms_are_whole_words_on_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_corpus(dir.path());
    let jieba = jieba_rs::Jieba::new();
    let gold = root().join("corpus/gold");
    let mut texts: Vec<String> = retrieval::load_tickets(&gold)
        .unwrap()
        .into_iter()
        .map(|t| t.text)
        .collect();
    let dev = &retrieval::load_splits(&gold).unwrap()[0];
    texts.extend(
        dev.in_scope
            .iter()
            .chain(&dev.out_of_scope)
            .map(|t| t.text.clone()),
    );
    texts.push(ACCEPTED_TICKET.to_string());
    texts.push("服务器无法处理请求，打印后台处理程序服务反复停止".to_string());
    let mut shown = 0;
    for text in &texts {
        let (t, s) = suggest_text(&store, text);
        // The analyzer folds traditional characters before jieba cuts; so does the check.
        let simple = |s: &str| -> String { s.chars().map(casebook::index::simplified).collect() };
        let folded = simple(text);
        let han_words: Vec<&str> = jieba
            .cut(&folded, false)
            .into_iter()
            .map(|t| t.word)
            .collect();
        let entities: Vec<String> = [
            &t.entities.error_codes,
            &t.entities.files,
            &t.entities.versions,
            &t.entities.commands,
            &t.entities.kb,
            &t.entities.products,
        ]
        .into_iter()
        .flatten()
        .map(|e| e.to_lowercase())
        .collect();
        let latin = |w: &str| {
            w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-./\\:@+#".contains(c))
                && text
                    .split(|c: char| !(c.is_ascii_alphanumeric() || "_-./\\:@+#".contains(c)))
                    .any(|tok| tok.trim_end_matches(['.', ':', '-', '_']) == w)
        };
        for m in s.matches.iter().chain(&s.near_misses) {
            for e in &m.why.entities {
                assert!(entities.contains(e), "{e} is not an entity of {text}");
            }
            for w in &m.why.terms {
                shown += 1;
                assert!(
                    (text.contains(w.as_str()) && han_words.contains(&simple(w).as_str()))
                        || latin(w)
                        || entities.contains(&w.to_lowercase()),
                    "{w:?} (for {}) is not a whole word of: {text}",
                    m.id
                );
            }
        }
    }
    assert!(shown > 300, "{shown} terms shown");
}

#[test]
fn the_command_says_in_one_line_that_nothing_matches_and_json_carries_near_misses() {
    let dir = tempfile::tempdir().unwrap();
    drop(store_with_corpus(dir.path()));
    let run = |extra: &[&str]| suggest_stdin(dir.path(), OUT_OF_SCOPE, extra);
    let json: serde_json::Value = serde_json::from_str(&run(&["--json"])).unwrap();
    assert_eq!(json["abstain"], true);
    assert_eq!(json["threshold"], 0.08);
    assert_eq!(json["matches"], serde_json::json!([]));
    assert_eq!(json["remedies"], serde_json::json!([]));
    assert_eq!(json["near_misses"].as_array().unwrap().len(), 3);
    let text = run(&[]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("No past case matches this ticket well (best confidence 0.0")
            && first.ends_with(", below 0.08); no remedy is suggested."),
        "{text}"
    );
    assert!(text.contains("\nClosest cases:\n  1. "), "{text}");
    let config = dir.path().join("casebook.toml");
    std::fs::write(&config, "[suggest]\nabstain_below = 0.0\n").unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&run(&["--json", "--config", config.to_str().unwrap()])).unwrap();
    assert_eq!(json["abstain"], false);
    assert_eq!(json["matches"].as_array().unwrap().len(), 5);
}
