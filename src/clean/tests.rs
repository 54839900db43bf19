//! Unit tests of `clean_body` on invented mails, one per convention point.

use super::*;

fn clean(body: &str) -> Cleaned {
    clean_body(body, &Rules::default())
}

fn reasons(c: &Cleaned) -> Vec<(RemovalReason, &str)> {
    c.removed
        .iter()
        .map(|r| (r.reason, r.rule.as_str()))
        .collect()
}

#[test]
fn english_reply_with_signature_and_outlook_quote() {
    let c = clean(
        "Hello Claire,\n\nwe rolled out 8.4.3 and the crashes stopped.\nYou can close the case.\n\nBest regards,\nJürgen Müller\n\nFrom: Claire Dubois <c@x.example>\nSent: Monday, October 16, 2023 4:40 PM\nTo: Jürgen\nSubject: RE: crash\n\nHi Jürgen,\nold text\n",
    );
    assert_eq!(c.greeting.as_deref(), Some("Hello Claire,"));
    assert_eq!(
        c.text,
        "we rolled out 8.4.3 and the crashes stopped.\nYou can close the case."
    );
    assert_eq!(
        reasons(&c),
        vec![
            (RemovalReason::Quote, "outlook-header"),
            (RemovalReason::Signature, "closing-en")
        ]
    );
    assert_eq!(c.removed[1].text, "Best regards,\nJürgen Müller");
}

#[test]
fn chinese_reply_with_bars_contacts_and_empty_original_message() {
    let c = clean(
        "问题已解决，请关单。\n☆☆☆☆☆☆☆☆☆☆\n某某银行软件开发中心\n许  翔\n电话：17600000000\n☆☆☆☆☆☆☆☆☆☆ \n\t-----原始邮件-----\n\t\n",
    );
    assert_eq!(c.text, "问题已解决，请关单。");
    assert_eq!(c.greeting, None);
    assert_eq!(
        reasons(&c),
        vec![
            (RemovalReason::Quote, "original-message"),
            (RemovalReason::Signature, "between-bars")
        ]
    );
}

#[test]
fn trailing_contact_lines_go_and_the_body_stays() {
    let c = clean("苏老师 您好:\n请您查看回复的邮件。\n请再次测试升级情况。\n电子邮箱： w@x.example\n官方网站： www.x.example\n________________________________\n");
    assert_eq!(c.greeting.as_deref(), Some("苏老师 您好:"));
    assert_eq!(c.text, "请您查看回复的邮件。\n请再次测试升级情况。");
    assert_eq!(
        c.removed[0].text,
        "电子邮箱： w@x.example\n官方网站： www.x.example\n________________________________"
    );
}

#[test]
fn banners_disclaimers_and_quote_markers() {
    let c = clean(
        "CAUTION: This email originated from outside of the organization. Do not click links\nunless you recognize the sender.\n\nHi Samuel,\n\nThe rebuild worked.\n> old line\n> older line\n\nThanks,\nRachel\n________________________________\nThis email and any attachments are confidential and intended solely for the addressee.\nIf you have received it in error, please notify the sender.",
    );
    assert_eq!(c.greeting.as_deref(), Some("Hi Samuel,"));
    assert_eq!(c.text, "The rebuild worked.");
    assert_eq!(
        reasons(&c),
        vec![
            (RemovalReason::Quote, "quote-marker"),
            (RemovalReason::Banner, "caution-banner"),
            (RemovalReason::Disclaimer, "disclaimer-en"),
            (RemovalReason::Signature, "closing-en"),
        ]
    );
    assert_eq!(
        c.removed[3].text,
        "Thanks,\nRachel\n________________________________"
    );
}

#[test]
fn banner_glued_to_the_greeting_is_cut_off() {
    let c = clean("【外来邮件，注意核实】王工 您好：\n日志已上传。\n谢谢！\n林志强");
    assert_eq!(c.greeting.as_deref(), Some("王工 您好："));
    assert_eq!(c.text, "日志已上传。");
    assert_eq!(c.removed[0].text, "【外来邮件，注意核实】");
    assert_eq!(c.removed[0].reason, RemovalReason::Banner);
}

#[test]
fn thanks_inside_the_text_and_whitespace_convention() {
    let c = clean("\n\n  Hi Ethan,\n\nThanks for the logs, they show the spooler loops.\n\n\n\n   Please run nwprintdiag.exe /trace.   \n\n");
    assert_eq!(
        c.text,
        "Thanks for the logs, they show the spooler loops.\n\nPlease run nwprintdiag.exe /trace."
    );
    assert!(c.removed.is_empty());
}

#[test]
fn config_patterns_extend_the_tables() {
    let config = CleanConfig {
        signatures: vec!["^Northwind Systems Support$".into()],
        banners: vec![r"^\*\*\* EXTERNAL \*\*\*$".into()],
        ..CleanConfig::default()
    };
    let rules = Rules::from_config(&config).unwrap();
    let c = clean_body("*** EXTERNAL ***\nThe job runs again.\nNorthwind Systems Support\nsupport.northwind.example", &rules);
    assert_eq!(c.text, "The job runs again.");
    assert_eq!(
        reasons(&c),
        vec![
            (RemovalReason::Banner, "config.banner.0"),
            (RemovalReason::Signature, "config.signature.0")
        ]
    );
    let bad = CleanConfig {
        quotes: vec!["(".into()],
        ..CleanConfig::default()
    };
    assert!(bad.check().unwrap_err().contains("[clean] quote pattern"));
}

#[test]
fn clean_threads_marks_pings_across_threads_and_keeps_order() {
    use crate::model::{Format, Message, Source, ThreadKey};
    let msg = |path: &str, body: &str| {
        let mut m = Message::new(
            Source {
                path: path.into(),
                index: 1,
            },
            Format::Eml,
        );
        m.body = body.into();
        m
    };
    let follow_up = |what: &str| {
        format!("Hi Dana,\nWe are following up on the status of this case. Could you please let us know whether {what}?\nIf you need any further assistance on this case, please feel free to contact us.\nBest regards,\nSam")
    };
    let thread = |id: &str, bodies: Vec<Message>| Thread {
        id: id.into(),
        case_number: None,
        subject: String::new(),
        key: ThreadKey::Single,
        messages: bodies,
    };
    let threads = vec![
        thread(
            "A",
            vec![
                msg("a1", "Hi Sam,\nThe export job fails with 0x80070005 since the update.\nThanks,\nDana"),
                msg("a2", &follow_up("the permissions were changed")),
            ],
        ),
        thread(
            "B",
            vec![
                msg("b1", &follow_up("the new certificate was imported")),
                msg("b2", &follow_up("the agent was upgraded")),
            ],
        ),
    ];
    let out = clean_threads(threads, &CleanConfig::default());
    let flags: Vec<(String, bool)> = out
        .iter()
        .flat_map(|ct| ct.thread.messages.iter().zip(&ct.cleaned))
        .map(|(m, c)| (m.source.path.clone(), c.status_ping))
        .collect();
    assert_eq!(
        flags,
        vec![
            ("a1".to_string(), false),
            ("a2".to_string(), true),
            ("b1".to_string(), true),
            ("b2".to_string(), true)
        ]
    );
    assert_eq!(
        out[0].cleaned[0].text,
        "The export job fails with 0x80070005 since the update."
    );
    assert_eq!(out[0].cleaned[0].boilerplate, 0.0);
    assert!(out[1].cleaned[0].boilerplate >= 0.30);
}

#[test]
fn greeting_forms_in_both_languages() {
    let cases = [
        ("王工，您好！\n日志已上传。", Some("王工，您好！")),
        ("李经理：\n日志已上传。", Some("李经理：")),
        ("尊敬的客户：\n日志已上传。", Some("尊敬的客户：")),
        (
            "Dear Mr. Chen,\nThe logs are uploaded.",
            Some("Dear Mr. Chen,"),
        ),
        ("Good day,\nThe logs are uploaded.", Some("Good day,")),
        ("Hi team\nThe logs are uploaded.", Some("Hi team")),
        ("Hi Anna, the logs are uploaded.", None),
        ("问题描述：\n日志已上传。", None),
        ("您好，请问日志在哪里？", None),
    ];
    for (body, want) in cases {
        assert_eq!(clean(body).greeting.as_deref(), want, "{body}");
    }
}

#[test]
fn client_variants_of_quotes_and_signatures() {
    // Gmail in Chinese, and a phone's sign-off.
    let c = clean("已经恢复正常。\n\n发自我的iPhone\n\n张三 <z@x.example> 于2023年4月12日周三 15:20写道：\n> 请重启服务。");
    assert_eq!(c.text, "已经恢复正常。");
    assert_eq!(
        reasons(&c),
        vec![
            (RemovalReason::Quote, "zh-wrote-gmail"),
            (RemovalReason::Signature, "sent-from-device")
        ]
    );
    // Foxmail's separator and an inline answer between quoted lines.
    let c = clean("> Which version?\n8.4.3 on all laptops.\n> Any errors?\nNone since Tuesday.\n\n------------------ Original ------------------\nFrom: x");
    assert_eq!(c.text, "8.4.3 on all laptops.\nNone since Tuesday.");
    // A plan with From/To lines is content, and a legal notice with a company prefix goes.
    let c = clean("Migration plan:\nFrom: nas01\nTo: nas02\nStart Friday.\n\nACME | The information contained in this e-mail is confidential and intended only for the addressee.");
    assert_eq!(
        c.text,
        "Migration plan:\nFrom: nas01\nTo: nas02\nStart Friday."
    );
    assert_eq!(
        reasons(&c),
        vec![(RemovalReason::Disclaimer, "disclaimer-en")]
    );
}

#[test]
fn closing_with_name_and_bold_or_traditional_headers() {
    let c = clean("Hi Kenji,\nThe job ran fine last night.\nThanks, Olivia\n\n**From:** Kenji <k@x.example>\n**Sent:** Friday\n**To:** Olivia");
    assert_eq!(c.text, "The job ran fine last night.");
    assert_eq!(
        reasons(&c),
        vec![
            (RemovalReason::Quote, "outlook-header"),
            (RemovalReason::Signature, "closing-en-name")
        ]
    );
    let c = clean("Thanks, that helps a lot.\nWe will test tonight.");
    assert_eq!(c.text, "Thanks, that helps a lot.\nWe will test tonight.");
    let c = clean("已完成註冊。\n\n寄件者: 陳思遠 <c@x.example>\n寄件日期: 2023年10月10日\n收件者: 林怡君\n主旨: 回覆: 問題");
    assert_eq!(c.text, "已完成註冊。");
}
