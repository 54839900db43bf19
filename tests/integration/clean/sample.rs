//! The acceptance points on the user's sample export (16 mails of one Chinese case).

use std::path::Path;

use casebook::config::Config;
use casebook::ingest;
use casebook::model::RemovalReason;
use casebook::pipeline;

#[test]
fn sample_cleaning_and_status_pings() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/case-export-zh.txt"
    );
    let messages = ingest::read_file(Path::new(sample)).unwrap();
    let threads = pipeline::clean_threads(messages, &Config::default());
    assert_eq!(threads.len(), 1);
    let ct = &threads[0];
    let by_index = |i: usize| {
        let pos = ct
            .thread
            .messages
            .iter()
            .position(|m| m.source.index == i)
            .unwrap();
        &ct.cleaned[pos]
    };

    let m12 = by_index(12);
    assert_eq!(m12.text, "请您查看回复的邮件，其中是关于您收集的日志分析和后续测试建议。\n请您关闭并禁用zkcloud相关的应用和服务后，再次测试升级情况。");
    assert_eq!(m12.greeting.as_deref(), Some("苏老师 您好:"));
    assert!(!m12.text.contains("电子邮箱") && !m12.text.contains("官方网站"));

    let m15 = by_index(15);
    assert_eq!(m15.text, "问题已解决，请关单。");
    assert_eq!(m15.greeting, None);
    let reasons: Vec<(RemovalReason, &str)> = m15
        .removed
        .iter()
        .map(|r| (r.reason, r.rule.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (RemovalReason::Quote, "original-message"),
            (RemovalReason::Signature, "between-bars")
        ]
    );

    let pings: Vec<usize> = (1..=16).filter(|&i| by_index(i).status_ping).collect();
    // 5 ("您上传的日志已经收到…") shares no template clause with the others: not a ping.
    assert_eq!(pings, vec![1, 2, 3, 8, 9, 10, 11, 13, 14]);
    assert_eq!(by_index(1).greeting.as_deref(), Some("许先生 您好："));
    assert!(by_index(16)
        .text
        .starts_with("感谢您的回复，确认您的问题已经解决，我将归档此案例。"));
}
