//! The plain-text case export reader on the user's real sample, in every encoding the CRM
//! writes it in, and on the English variant.

use std::path::Path;

use casebook::ingest::parse_bytes;
use casebook::model::{format_date, Format, Message};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/samples/case-export-zh.txt"
);

fn sample_bytes() -> Vec<u8> {
    std::fs::read(SAMPLE).expect("the user's sample beside the clone")
}

fn parse(bytes: &[u8]) -> Vec<Message> {
    parse_bytes(bytes, Path::new("case-export-zh.txt")).expect("export parses")
}

#[test]
fn sample_has_sixteen_messages_with_exact_fields() {
    let msgs = parse(&sample_bytes());
    assert_eq!(msgs.len(), 16);
    let indexes: Vec<usize> = msgs.iter().map(|m| m.source.index).collect();
    assert_eq!(indexes, (1..=16).collect::<Vec<_>>());

    let m1 = &msgs[0];
    assert_eq!(m1.format, Format::TextExport);
    assert_eq!(m1.source.path, "case-export-zh.txt");
    assert_eq!(m1.from.name.as_deref(), Some("Wei Liang"));
    assert_eq!(m1.from.address, None);
    assert_eq!(
        m1.date.map(|d| format_date(&d)).as_deref(),
        Some("2022-07-11T17:12:56.495Z")
    );
    assert!(m1
        .body
        .starts_with("许先生 您好：\n来信是想了解最终用户升级测试情况如何？"));
    assert_eq!(m1.charset, "UTF-8");
    assert_eq!(m1.decode_errors, 0);
    assert!(m1.warnings.is_empty());

    let m15 = &msgs[14];
    assert_eq!(m15.from.name.as_deref(), Some("Windows Server技术支持"));
    assert!(m15.body.starts_with("问题已解决，请关单。"));
    // The stray tab-indented quote header is body text; the trailing blank tab line is not.
    assert!(m15
        .body
        .ends_with("☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆☆ \n\t-----原始邮件-----"));
    assert_eq!(
        m15.date.map(|d| format_date(&d)).as_deref(),
        Some("2022-08-15T10:16:12.056Z")
    );

    let last = &msgs[15];
    assert!(last
        .body
        .ends_with("以上，如您后续有任何问题，可随时与我们联系，谢谢。"));

    for m in &msgs {
        assert!(m.subject.contains("CAS-06616-G5Z4X1"), "{}", m.subject);
        assert_eq!(m.subject, msgs[0].subject);
        assert!(m.date.is_some());
        assert!(m.to.is_empty() && m.cc.is_empty() && m.message_id.is_none());
        assert!(!m.html && m.attachments.is_empty());
    }
    assert!(msgs[0]
        .subject
        .starts_with("回复: 回复:【外来邮件，注意核实】回复: [案例号:"));
}

/// Everything but the charset, for comparing encodings.
fn without_charset(mut msgs: Vec<Message>) -> Vec<Message> {
    for m in &mut msgs {
        m.charset.clear();
    }
    msgs
}

#[test]
fn reencoded_sample_parses_identically() {
    let bytes = sample_bytes();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let reference = without_charset(parse(&bytes));

    // GBK has no THIN SPACE (the sample's subject has four): a GBK export of it cannot exist,
    // so the GBK variant is checked against the same text with plain spaces instead.
    let text_gbk = text.replace('\u{2009}', " ");
    let gbk = encoding_rs::GBK.encode(&text_gbk).0.into_owned();
    assert!(
        !gbk.windows(2).any(|w| w == b"&#"),
        "GBK encoding lost characters"
    );
    assert_eq!(
        without_charset(parse(&gbk)),
        without_charset(parse(text_gbk.as_bytes()))
    );
    assert!(parse(&gbk)
        .iter()
        .all(|m| m.charset == "GBK" && m.decode_errors == 0));
    let gb18030 = encoding_rs::GB18030.encode(&text).0.into_owned();
    let mut utf16le = vec![0xFF, 0xFE];
    let mut utf16be = vec![0xFE, 0xFF];
    for u in text.encode_utf16() {
        utf16le.extend_from_slice(&u.to_le_bytes());
        utf16be.extend_from_slice(&u.to_be_bytes());
    }
    let mut utf8_bom = b"\xEF\xBB\xBF".to_vec();
    utf8_bom.extend_from_slice(&bytes);
    let crlf = text.replace('\n', "\r\n").into_bytes();

    for (name, variant, charset) in [
        ("GB18030", gb18030, "gb18030"),
        ("UTF-16LE", utf16le, "UTF-16LE"),
        ("UTF-16BE", utf16be, "UTF-16BE"),
        ("UTF-8 BOM", utf8_bom, "UTF-8"),
        ("CRLF", crlf, "UTF-8"),
    ] {
        let msgs = parse(&variant);
        assert!(
            msgs.iter()
                .all(|m| m.charset == charset && m.decode_errors == 0),
            "{name}: {:?}",
            msgs.iter()
                .map(|m| (&m.charset, m.decode_errors))
                .collect::<Vec<_>>()
        );
        assert_eq!(without_charset(msgs), reference, "{name}");
    }
}

const ENGLISH: &str = "Subject: [Case: CAS-10001-ABC123] Backup job fails with 0x80070005

====Message 1====
From: Li Na <lina@customer.example>
Sent: 2023-03-01 09:15:00+00:00
Body:
Hi team,
Our nightly backup job fails with 0x80070005.

====Message 2====
From: Anna Berg
Sent: Wed, 1 Mar 2023 18:02 +0800
Body:
Hello Li Na,
\t-----Original Message-----
\t

====Message 3====
From: Anna Berg
Sent: not a date
Body:
";

#[test]
fn english_variant_exact_fields() {
    let msgs = parse(ENGLISH.as_bytes());
    assert_eq!(msgs.len(), 3);
    let subject = "[Case: CAS-10001-ABC123] Backup job fails with 0x80070005";
    assert!(msgs.iter().all(|m| m.subject == subject));

    assert_eq!(msgs[0].from.name.as_deref(), Some("Li Na"));
    assert_eq!(
        msgs[0].from.address.as_deref(),
        Some("lina@customer.example")
    );
    assert_eq!(
        msgs[0].date.map(|d| format_date(&d)).as_deref(),
        Some("2023-03-01T09:15:00Z")
    );
    assert_eq!(
        msgs[0].body,
        "Hi team,\nOur nightly backup job fails with 0x80070005."
    );

    assert_eq!(msgs[1].from.name.as_deref(), Some("Anna Berg"));
    assert_eq!(
        msgs[1].date.map(|d| format_date(&d)).as_deref(),
        Some("2023-03-01T10:02:00Z")
    );
    assert_eq!(msgs[1].body, "Hello Li Na,\n\t-----Original Message-----");

    assert_eq!(msgs[2].date, None);
    assert_eq!(msgs[2].warnings, vec!["unparseable date \"not a date\""]);
    assert_eq!(msgs[2].body, "");
}
