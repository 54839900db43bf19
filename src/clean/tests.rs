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
