//! Property: cleaning never empties a message that has text of its own.
//!
//! "Text of its own" is defined by construction, not by the cleaner's rules (that would be
//! circular): a body is built from an optional banner and greeting, one or more *own lines*,
//! an optional sign-off (closing, name, contact lines) and optional quoted history (an
//! `-----Original Message-----` / `On … wrote:` / Outlook header block followed by anything, or
//! `>` lines). An own line is a sentence of four or more words from a vocabulary of technical
//! words that no rule table names (no greeting, closing, contact, banner or disclaimer word),
//! so a line that the cleaner removes is a line it should have kept. The property: every own
//! line survives, in order, in `Cleaned.text`.

use casebook::clean::{clean_body, Rules};
use std::sync::LazyLock;

use proptest::prelude::*;

/// Compiled once: building the tables per case would dominate the run.
static RULES: LazyLock<Rules> = LazyLock::new(Rules::default);

const WORDS_EN: &[&str] = &[
    "backup",
    "job",
    "fails",
    "after",
    "upgrade",
    "service",
    "restarts",
    "every",
    "night",
    "the",
    "agent",
    "log",
    "shows",
    "error",
    "0x80070005",
    "disk",
    "volume",
    "snapshot",
    "timeout",
    "policy",
    "server",
    "v12.3",
    "cannot",
    "mount",
    "share",
    "retry",
    "queue",
];
const WORDS_ZH: &[&str] = &[
    "备份",
    "任务",
    "失败",
    "升级",
    "之后",
    "服务",
    "每晚",
    "重启",
    "代理",
    "日志",
    "显示",
    "错误",
    "磁盘",
    "快照",
    "超时",
    "策略",
    "服务器",
    "无法",
    "挂载",
];

fn own_line() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(WORDS_EN), 4..12)
            .prop_map(|w| format!("{}.", w.join(" "))),
        proptest::collection::vec(proptest::sample::select(WORDS_ZH), 4..12)
            .prop_map(|w| format!("{}。", w.concat())),
    ]
}

fn any_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,60}",
        "\\PC{0,30}",
        Just("From: Li Na".to_string()),
        Just("Sent: Monday".to_string()),
        Just("Best regards,".to_string()),
    ]
}

fn quoted() -> impl Strategy<Value = Vec<String>> {
    let header = prop_oneof![
        Just(vec!["-----Original Message-----".to_string()]),
        Just(vec!["-----原始邮件-----".to_string()]),
        Just(vec![
            "On Fri, 4 Aug 2023 at 11:15, Kenji <k@x.example> wrote:".to_string()
        ]),
        Just(vec![
            "From: Kenji <k@x.example>".to_string(),
            "Sent: Friday, August 4, 2023 11:15".to_string(),
            "To: support@x.example".to_string(),
        ]),
    ];
    (header, proptest::collection::vec(any_line(), 0..8)).prop_map(|(mut h, rest)| {
        h.extend(rest);
        h
    })
}

fn gt_quoted() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec("[ -~]{0,40}".prop_map(|l| format!("> {l}")), 1..5)
}

fn signoff() -> impl Strategy<Value = Vec<String>> {
    let closing = prop_oneof![
        Just("Best regards,"),
        Just("Thanks,"),
        Just("此致"),
        Just("谢谢"),
    ];
    let contact = prop_oneof![
        Just("Tel: +86 10 1234 5678"),
        Just("电话：010-12345678"),
        Just("www.northwind.example"),
    ];
    (closing, "[A-Z][a-z]{2,8} [A-Z][a-z]{2,8}", contact)
        .prop_map(|(c, name, t)| vec![c.to_string(), name, t.to_string()])
}

/// (body, own lines in order)
fn body() -> impl Strategy<Value = (String, Vec<String>)> {
    (
        proptest::option::of(prop_oneof![
            Just("[EXTERNAL] "),
            Just("【外来邮件，注意核实】")
        ]),
        proptest::option::of(prop_oneof![Just("Hi team,"), Just("王工 您好：")]),
        proptest::collection::vec((own_line(), proptest::option::of(gt_quoted())), 1..5),
        proptest::option::of(signoff()),
        proptest::option::of(quoted()),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(banner, greeting, own, sign, quote, nl)| {
            let mut lines: Vec<String> = Vec::new();
            if let Some(b) = banner {
                lines.push(b.trim().to_string());
            }
            if let Some(g) = greeting {
                lines.push(g.to_string());
                lines.push(String::new());
            }
            let mut mine = Vec::new();
            for (line, interleaved) in own {
                lines.push(line.clone());
                mine.push(line);
                if let Some(q) = interleaved {
                    lines.extend(q);
                }
            }
            if let Some(s) = sign {
                lines.push(String::new());
                lines.extend(s);
            }
            if let Some(q) = quote {
                lines.push(String::new());
                lines.extend(q);
            }
            (lines.join(nl), mine)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn own_text_survives_cleaning((body, mine) in body()) {
        let cleaned = clean_body(&body, &RULES);
        prop_assert!(!cleaned.text.is_empty(), "emptied:\n{body}");
        let kept: Vec<&str> = cleaned.text.lines().collect();
        let mut at = 0;
        for line in &mine {
            let found = kept[at..].iter().position(|k| k == line);
            prop_assert!(found.is_some(), "lost {line:?} from:\n{body}\n=> {:?}", cleaned.text);
            at += found.unwrap_or(0) + 1;
        }
    }

    #[test]
    fn arbitrary_text_never_panics(body in "\\PC{0,400}") {
        let _ = clean_body(&body, &RULES);
    }
}
