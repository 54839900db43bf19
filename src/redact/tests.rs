//! Redaction on hand-built threads: names from headers, greetings, signatures and quotes,
//! contacts, and technical tokens left alone.

use super::*;
use crate::model::Removal;
use crate::segment::tests::{ct, msg};
use crate::segment::{segment, SegmentConfig};

fn removal(reason: RemovalReason, text: &str) -> Removal {
    Removal {
        reason,
        rule: "test".into(),
        text: text.into(),
    }
}

#[test]
fn sample_people_and_contacts_become_placeholders() {
    let mut t = ct(vec![
        msg("Wei Liang", "请您关闭并禁用zkcloud相关的应用和服务后，再次测试升级情况。\n电子邮箱： weiliang@cmgos.com", false),
        msg("Windows Server技术支持", "问题已解决，请关单。", false),
        msg("Wei Liang", "确认您的问题已经解决，热线4008180055。\nsha256: C6989F6BB1DDB66023776F00EBB120B2258DD5F7FB891C18C9D172BB9C8CFAB7", false),
    ]);
    t.cleaned[0].greeting = Some("许先生 您好：".into());
    t.cleaned[1].removed = vec![removal(
        RemovalReason::Signature,
        "☆☆☆☆\n中国工商银行软件开发中心（珠海）\n许  翔\n系统一部\n电话：17606669571\n☆☆☆☆",
    )];
    let case = redact(segment(&t, &SegmentConfig::default()), &t);
    let froms: Vec<&str> = case.messages.iter().map(|m| m.from.as_str()).collect();
    assert_eq!(froms, ["[engineer-1]", "[customer-1]", "[engineer-1]"]);
    assert_eq!(case.messages[0].greeting.as_deref(), Some("[name] 您好："));
    assert_eq!(
        case.messages[0].text,
        "请您关闭并禁用zkcloud相关的应用和服务后，再次测试升级情况。\n电子邮箱： [email]"
    );
    assert_eq!(
        case.messages[1].removed[0].text,
        "☆☆☆☆\n中国工商银行软件开发中心（珠海）\n[name]\n系统一部\n电话：[phone]\n☆☆☆☆"
    );
    assert_eq!(
        case.messages[2].text,
        "确认您的问题已经解决，热线[phone]。\nsha256: C6989F6BB1DDB66023776F00EBB120B2258DD5F7FB891C18C9D172BB9C8CFAB7"
    );
}

#[test]
fn english_names_from_headers_greetings_and_quotes() {
    let mut t = ct(vec![
        msg(
            "Aisha Bello",
            "Hi Marcus,\nThe agent on srv114 crashes. Call me on +1 555 0187.",
            false,
        ),
        msg(
            "Marcus Lindqvist",
            "Thanks Aisha, please send the logs.",
            false,
        ),
    ]);
    t.cleaned[1].removed = vec![removal(
        RemovalReason::Quote,
        "-----Original Message-----\nFrom: Ravi Kumar <ravi.kumar@kestrel.example>\nSubject: x",
    )];
    t.cleaned[1].text.push_str("\nRavi agrees.");
    let case = redact(segment(&t, &SegmentConfig::default()), &t);
    assert_eq!(
        case.messages[0].text,
        "Hi [engineer-1],\nThe agent on srv114 crashes. Call me on [phone]."
    );
    assert_eq!(
        case.messages[1].text,
        "Thanks [customer-1], please send the logs.\n[name] agrees."
    );
    assert_eq!(
        case.messages[1].removed[0].text,
        "-----Original Message-----\nFrom: [name] <[email]>\nSubject: x"
    );
}

#[test]
fn technical_tokens_survive() {
    let t = ct(vec![msg(
        "Li Na",
        "Case CAS-31002-H4N8P1, build 14.0.24215.1, code 0x80070005, KB5025221, Event ID 24583, \
         md5 9e107d9d372bb6826bd81d3542a419d6, date 2023-04-11 10:04, Oracle 19.3.0.0.",
        false,
    )]);
    let case = redact(segment(&t, &SegmentConfig::default()), &t);
    assert_eq!(case.messages[0].text, t.cleaned[0].text);
}

#[test]
fn accented_and_rare_character_names_and_step_words() {
    let t = ct(vec![
        msg("Jürgen Müller", "Jürgen here, the backup fails.", false),
        msg(
            "Olivia Grant",
            "Please:\n1. Grant the service account Modify\n2. Re-run",
            false,
        ),
        msg(
            "𠮷振宇",
            "问题已解决。如需远程请直接联系我（𠮷振宇）。",
            false,
        ),
    ]);
    let case = redact(segment(&t, &SegmentConfig::default()), &t);
    let texts: Vec<&str> = case.messages.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "[customer-1] here, the backup fails.",
            "Please:\n1. Grant the service account Modify\n2. Re-run",
            "问题已解决。如需远程请直接联系我（[customer-2]）。"
        ]
    );
}

#[test]
fn surname_and_honorific_in_running_text() {
    let t = ct(vec![msg(
        "Li Na",
        "已与王经理确认，完成工作后联系许先生。",
        false,
    )]);
    let case = redact(segment(&t, &SegmentConfig::default()), &t);
    assert_eq!(
        case.messages[0].text,
        "已与[name]确认，完成工作后联系[name]。"
    );
}

#[test]
fn name_detectors() {
    assert_eq!(
        signature_names("系统一部\n许  翔"),
        [
            "许翔",
            "许先生",
            "许女士",
            "许小姐",
            "许老师",
            "许老師",
            "许经理",
            "许經理"
        ]
    );
    assert_eq!(greeting_names("Dear Mr. Chen,"), ["Chen"]);
    assert!(greeting_names("Hello Northwind Support,").is_empty());
    assert_eq!(
        quoted_header_names("发件人: 王小明 <wxm@a.example>"),
        [
            "王小明",
            "王先生",
            "王女士",
            "王小姐",
            "王老师",
            "王老師",
            "王经理",
            "王經理",
            "小明"
        ]
    );
}

#[test]
fn helpdesk_headers_signature_lines_and_taiwan_phones() {
    use super::names::{helpdesk_header_names, signature_line_names};
    assert_eq!(
        helpdesk_header_names("Alice Wong commented:\nPlease restart it.")[0],
        "Alice Wong"
    );
    assert_eq!(
        helpdesk_header_names("高远 解决了此请求：\n已完成")[0],
        "高远"
    );
    assert_eq!(
        helpdesk_header_names("Assigned to: Kevin Tan")[0],
        "Kevin Tan"
    );
    assert_eq!(
        helpdesk_header_names("INC1 - comments added by Farah Idris:\nHi")[0],
        "Farah Idris"
    );
    assert_eq!(
        helpdesk_header_names("Priya Sandhu (Harbourline IT Services)\n\nJan 20, 2025")[0],
        "Priya Sandhu"
    );
    assert!(helpdesk_header_names("The VPN (site to site) dropped\nagain").is_empty());
    assert_eq!(
        signature_line_names("[engineer-1] Amber Huang | 宏碩精密｜資訊部")[0],
        "Amber Huang"
    );
    assert_eq!(signature_line_names("刘明  正大信息 技术支持")[0], "刘明");
    assert!(signature_line_names("Restart the spooler").is_empty());
    assert_eq!(
        super::replace_phones("TEL：(07)345-6789#123，手機 0912-345-678，02-2345-6789 分機 12"),
        "TEL：[phone]，手機 [phone]，[phone]"
    );
}
