//! The plain-text case export: decoded text of one export file in, one `Message` per
//! `====第N封邮件====` / `====Message N====` block out.
//!
//! The layout, as the support CRM writes it:
//!
//! ```text
//! 邮件主题：<subject of the case>            (or `Subject: …`)
//! ====第1封邮件====                          (or `====Message 1====`)
//! 发件人：Name  |  Name <addr>               (or `From:`)
//! 发送时间：2022-07-11 17:12:56.495000+00:00  (or `Sent:`)
//! 邮件内容:                                   (or `Body:`), then the body lines
//! ```
//!
//! Labels end with a full-width `：` or an ASCII `:` (the CRM mixes them), the body runs to the
//! next block marker, and the file's subject applies to every message. Lines the CRM indents
//! with a stray tab (`\t-----原始邮件-----`) are body text and kept as they are; the cleaner
//! decides what they mean.

use std::sync::LazyLock;

use regex::Regex;

use super::date::parse_date;
use super::headers::{parse_loose_address, split_loose_addresses};
use crate::model::{Format, Message, Source};

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*={2,}\s*(?:第\s*(\d+)\s*封(?:邮件|郵件)|Message\s+(\d+))\s*={2,}\s*$")
        .expect("static regex")
});

/// Which header field a label line sets inside a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Subject,
    From,
    To,
    Cc,
    Date,
    Body,
}

/// Block field labels, Simplified and Traditional Chinese and English. Matched at the start of a
/// trimmed line and followed by `：` or `:`.
const FIELDS: &[(&str, Field)] = &[
    ("邮件主题", Field::Subject),
    ("郵件主題", Field::Subject),
    ("主题", Field::Subject),
    ("主題", Field::Subject),
    ("主旨", Field::Subject),
    ("Subject", Field::Subject),
    ("发件人", Field::From),
    ("發件人", Field::From),
    ("寄件者", Field::From),
    ("寄件人", Field::From),
    ("From", Field::From),
    ("收件人", Field::To),
    ("收件者", Field::To),
    ("To", Field::To),
    ("抄送", Field::Cc),
    ("副本", Field::Cc),
    ("Cc", Field::Cc),
    ("CC", Field::Cc),
    ("发送时间", Field::Date),
    ("發送時間", Field::Date),
    ("寄件日期", Field::Date),
    ("时间", Field::Date),
    ("時間", Field::Date),
    ("Sent", Field::Date),
    ("Date", Field::Date),
    ("邮件内容", Field::Body),
    ("郵件內容", Field::Body),
    ("郵件内容", Field::Body),
    ("Body", Field::Body),
];

/// The value of a subject line (`邮件主题：`, `郵件主題：`, `Subject:`).
fn subject_of(line: &str) -> Option<&str> {
    field_of(line).and_then(|(f, v)| (f == Field::Subject).then_some(v))
}

/// `label：value` / `label: value` → the value, when `line` starts with `label`.
fn labelled<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.trim_start().strip_prefix(label)?.trim_start();
    rest.strip_prefix('：')
        .or_else(|| rest.strip_prefix(':'))
        .map(str::trim)
}

fn field_of(line: &str) -> Option<(Field, &str)> {
    FIELDS
        .iter()
        .find_map(|(label, f)| labelled(line, label).map(|v| (*f, v)))
}

/// Whether decoded text is a case export: a subject line first, then at least one block marker.
pub fn looks_like_export(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let first_is_subject = lines.next().is_some_and(|l| subject_of(l).is_some());
    first_is_subject && lines.take(50).any(|l| MARKER.is_match(l))
}

/// Splits an export into its messages. `charset` and `had_errors` describe how the file was
/// decoded; a message's `decode_errors` counts the U+FFFD its own block received.
pub fn parse_export(text: &str, path: &str, charset: &str, had_errors: bool) -> Vec<Message> {
    let mut subject = String::new();
    let mut out: Vec<Message> = Vec::new();
    let mut current: Option<Block> = None;
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(c) = MARKER.captures(line) {
            if let Some(b) = current.take() {
                out.push(b.finish(&subject, path, charset, had_errors));
            }
            let n = c
                .get(1)
                .or_else(|| c.get(2))
                .and_then(|m| m.as_str().parse().ok())
                .unwrap_or(out.len() + 1);
            current = Some(Block::new(n));
            continue;
        }
        match current.as_mut() {
            None => {
                if subject.is_empty() {
                    if let Some(v) = subject_of(line) {
                        subject = v.to_string();
                    }
                }
            }
            Some(b) => b.line(line),
        }
    }
    if let Some(b) = current.take() {
        out.push(b.finish(&subject, path, charset, had_errors));
    }
    out
}

/// One `====第N封邮件====` block being read.
struct Block<'a> {
    index: usize,
    subject: Option<&'a str>,
    from: Option<&'a str>,
    to: Option<&'a str>,
    cc: Option<&'a str>,
    date: Option<&'a str>,
    in_body: bool,
    body: Vec<&'a str>,
}

impl<'a> Block<'a> {
    fn new(index: usize) -> Self {
        Block {
            index,
            subject: None,
            from: None,
            to: None,
            cc: None,
            date: None,
            in_body: false,
            body: Vec::new(),
        }
    }

    fn line(&mut self, line: &'a str) {
        if self.in_body {
            self.body.push(line);
            return;
        }
        match field_of(line) {
            Some((Field::Subject, v)) => self.subject = Some(v),
            Some((Field::From, v)) => self.from = Some(v),
            Some((Field::To, v)) => self.to = Some(v),
            Some((Field::Cc, v)) => self.cc = Some(v),
            Some((Field::Date, v)) => self.date = Some(v),
            Some((Field::Body, v)) => {
                self.in_body = true;
                if !v.is_empty() {
                    self.body.push(v);
                }
            }
            // Blank lines between the marker and the fields, or lines the CRM added that we do
            // not know: neither is body text, since the body only starts at its label.
            None => {}
        }
    }

    fn finish(mut self, subject: &str, path: &str, charset: &str, had_errors: bool) -> Message {
        while self.body.last().is_some_and(|l| l.trim().is_empty()) {
            self.body.pop();
        }
        let mut m = Message::new(
            Source {
                path: path.to_string(),
                index: self.index,
            },
            Format::TextExport,
        );
        m.subject = self.subject.unwrap_or(subject).to_string();
        m.from = self.from.map(parse_loose_address).unwrap_or_default();
        m.to = self.to.map(split_loose_addresses).unwrap_or_default();
        m.cc = self.cc.map(split_loose_addresses).unwrap_or_default();
        match self.date {
            Some(d) => {
                m.date = parse_date(d);
                if m.date.is_none() {
                    m.warnings.push(format!("unparseable date {d:?}"));
                }
            }
            None => m.warnings.push("no date line".to_string()),
        }
        m.body = self.body.join("\n");
        m.charset = charset.to_string();
        if had_errors {
            let in_fields = [self.subject, self.from, self.to, self.cc, self.date]
                .iter()
                .flatten()
                .map(|s| s.matches('\u{FFFD}').count())
                .sum::<usize>();
            m.decode_errors = in_fields + m.body.matches('\u{FFFD}').count();
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "Subject: [Case: CAS-10001-ABC123] Backup fails\r\n\r\n====Message 1====\r\nFrom: Li Na <lina@customer.example>\r\nSent: 2023-03-01 09:15:00+00:00\r\nBody:\r\nHi team,\r\nThe job fails.\r\n\r\n====Message 2====\r\nFrom: Anna\r\nSent: someday\r\nBody:\r\n\r\n";

    #[test]
    fn traditional_chinese_labels() {
        let text = "郵件主題：印表機無法列印\n\n====第1封郵件====\n\n寄件者：陳小明 <chen@a.example>\n發送時間：2024-03-01 09:15:00+08:00\n郵件內容:\n印表機一直顯示離線。\n";
        assert!(looks_like_export(text));
        let m = parse_export(text, "tw.txt", "Big5", false);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].subject, "印表機無法列印");
        assert_eq!(m[0].from.name.as_deref(), Some("陳小明"));
        assert_eq!(m[0].body.trim(), "印表機一直顯示離線。");
    }

    #[test]
    fn english_variant() {
        assert!(looks_like_export(EN));
        let msgs = parse_export(EN, "en.txt", "UTF-8", false);
        assert_eq!(msgs.len(), 2);
        let m = &msgs[0];
        assert_eq!(m.source.index, 1);
        assert_eq!(m.subject, "[Case: CAS-10001-ABC123] Backup fails");
        assert_eq!(m.from.name.as_deref(), Some("Li Na"));
        assert_eq!(m.from.address.as_deref(), Some("lina@customer.example"));
        assert_eq!(
            m.date.map(|d| crate::model::format_date(&d)).as_deref(),
            Some("2023-03-01T09:15:00Z")
        );
        assert_eq!(m.body, "Hi team,\nThe job fails.");
        let m2 = &msgs[1];
        assert_eq!(m2.subject, "[Case: CAS-10001-ABC123] Backup fails");
        assert_eq!(m2.from.name.as_deref(), Some("Anna"));
        assert_eq!(m2.date, None);
        assert_eq!(
            m2.warnings,
            vec!["unparseable date \"someday\"".to_string()]
        );
        assert_eq!(m2.body, "");
    }

    #[test]
    fn chinese_labels_with_both_colons_and_stray_tabs() {
        let text = "邮件主题：回复: 测试\n\n====第3封邮件====\n\n发件人:许翔\n发送时间：2022-08-15 10:16:12.056000+00:00\n邮件内容:\n问题已解决，请关单。\n\t-----原始邮件-----\n\t\n";
        let msgs = parse_export(text, "zh.txt", "UTF-8", false);
        assert_eq!(msgs.len(), 1);
        assert_eq!(msgs[0].source.index, 3);
        assert_eq!(msgs[0].subject, "回复: 测试");
        assert_eq!(msgs[0].from.name.as_deref(), Some("许翔"));
        assert_eq!(msgs[0].body, "问题已解决，请关单。\n\t-----原始邮件-----");
    }

    #[test]
    fn an_eml_is_not_an_export() {
        assert!(!looks_like_export(
            "Subject: hi\nFrom: a@b.example\n\nbody\n"
        ));
    }
}
