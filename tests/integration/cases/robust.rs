//! Arbitrary text never panics the segmenter, the extractor or the redactor, and redaction
//! never lets a phone number or an address through.

use casebook::extract::{customer, entities, priority, title};
use casebook::model::{
    Address, CleanThread, Cleaned, Format, Message, Removal, RemovalReason, Source, Thread,
    ThreadKey,
};
use casebook::redact::redact;
use casebook::segment::{segment, SegmentConfig};
use proptest::prelude::*;

/// Text drawn from the pieces support mails are made of, in any order, space-separated (a
/// number glued to letters, like `0x80070005…`, is part of a token and not a phone).
fn mail_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "许先生 您好：",
        "Hi Anna,",
        "问题已解决",
        "still fails",
        "1）",
        "(2) ",
        "①",
        "Step 3:",
        "第一步",
        "请进行以下测试：",
        "Action plan:",
        "案例总结：",
        "问题定义：",
        "Root Cause:",
        "0x80070005",
        "事件ID：7031",
        "Event ID 1001",
        "ORA-00600",
        "CAS-06616-G5Z4X1",
        "zk_hook.dll",
        "V2020-L",
        "11.2.3",
        "sfc /scannow",
        "Get-FileHash",
        "KB5005565",
        "https://a.example/x",
        "：",
        "。",
        "\n",
        " ",
        "％",
        "%",
        "|P2|ICBC|",
        "回复:",
        "【外来邮件】",
        "𠮷",
        "ü",
        "\u{feff}",
        "📎",
        "许  翔",
        "17606669571",
        "a@b.example",
        "+1 555 0187",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.join(" "))
}

fn thread(texts: &[String], subject: &str) -> CleanThread {
    let messages: Vec<Message> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut m = Message::new(
                Source {
                    path: "p.txt".into(),
                    index: i + 1,
                },
                Format::TextExport,
            );
            m.subject = subject.to_string();
            m.from = Address {
                name: Some(if i % 2 == 0 { "许翔" } else { "Wei Liang" }.into()),
                address: None,
            };
            m.body = t.clone();
            m
        })
        .collect();
    let cleaned = texts
        .iter()
        .map(|t| Cleaned {
            text: t.clone(),
            greeting: Some(t.chars().take(6).collect()),
            removed: vec![Removal {
                reason: RemovalReason::Signature,
                rule: "p".into(),
                text: t.clone(),
            }],
            ..Cleaned::default()
        })
        .collect();
    CleanThread {
        thread: Thread {
            id: "p".into(),
            case_number: None,
            subject: subject.to_string(),
            key: ThreadKey::ExportFile,
            messages,
        },
        cleaned,
    }
}

proptest! {
    #[test]
    fn arbitrary_mails_segment_and_redact(
        texts in prop::collection::vec(mail_text(), 1..5),
        subject in mail_text(),
    ) {
        let _ = (entities(&subject), title(&subject), priority(&subject), customer(&subject));
        let ct = thread(&texts, &subject);
        let case = redact(segment(&ct, &SegmentConfig::default()), &ct);
        let json = serde_json::to_string(&case).unwrap();
        prop_assert!(!json.contains("17606669571"));
        prop_assert!(!json.contains("a@b.example"));
        prop_assert!(!json.contains("许翔"));
    }
}
