//! Header values: raw header bytes in, decoded text, mailboxes and message ids out.
//!
//! mailparse folds lines and decodes RFC 2047 words, but it reads 8-bit header bytes that are
//! not UTF-8 as Latin-1, which turns the raw GBK subjects of Chinese mailers into mojibake. So
//! non-UTF-8 values are first decoded here (with the message's charset, else a sniffed one) and
//! only then handed to mailparse.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use mailparse::{MailAddr, MailHeader};
use regex::Regex;

use super::charset;
use crate::model::Address;

/// Decodes a header value (folding, RFC 2047, 8-bit bytes) into one line of text.
pub fn header_text(header: &MailHeader, fallback: Option<&'static Encoding>) -> String {
    let raw = header.get_value_raw();
    let value = if std::str::from_utf8(raw).is_ok() {
        header.get_value()
    } else {
        reparse(raw, fallback, |h| h.get_value())
            .unwrap_or_else(|| charset::text_lossy(raw, fallback).into_owned())
    };
    value.trim().to_string()
}

/// Parses an address-list header (`From`, `To`, `Cc`) into mailboxes, groups flattened.
pub fn header_addresses(header: &MailHeader, fallback: Option<&'static Encoding>) -> Vec<Address> {
    let raw = header.get_value_raw();
    let parsed = if std::str::from_utf8(raw).is_ok() {
        mailparse::addrparse_header(header).ok()
    } else {
        reparse(raw, fallback, |h| mailparse::addrparse_header(h).ok()).flatten()
    };
    match parsed {
        Some(list) if list.count_addrs() > 0 => list
            .iter()
            .flat_map(|a| match a {
                MailAddr::Single(s) => vec![mailbox(s.display_name.as_deref(), Some(&s.addr))],
                MailAddr::Group(g) => g
                    .addrs
                    .iter()
                    .map(|s| mailbox(s.display_name.as_deref(), Some(&s.addr)))
                    .collect(),
            })
            .collect(),
        // mailparse refuses mailboxes without `@` (`Wei Liang`, `undisclosed-recipients`);
        // keep what a person would read rather than dropping the sender.
        _ => {
            let text = header_text(header, fallback);
            split_loose_addresses(&text)
        }
    }
}

/// Decodes non-UTF-8 header bytes, then lets mailparse fold and decode the result.
fn reparse<T>(
    raw: &[u8],
    fallback: Option<&'static Encoding>,
    f: impl FnOnce(&MailHeader) -> T,
) -> Option<T> {
    let text = charset::text_lossy(raw, fallback);
    let line = format!("X: {text}");
    mailparse::parse_header(line.as_bytes())
        .ok()
        .map(|(h, _)| f(&h))
}

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static ANGLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(.*?)\s*<([^<>]*)>\s*$").expect("static regex"));

/// `Name <addr>`, `"Name" <addr>`, `addr`, or just `Name` (the text export's From line).
pub fn parse_loose_address(s: &str) -> Address {
    let s = s.trim();
    if let Some(c) = ANGLE.captures(s) {
        let name = c[1].trim().trim_matches('"').trim();
        return mailbox(Some(name), Some(c[2].trim()));
    }
    if s.contains('@') && !s.contains(char::is_whitespace) {
        return mailbox(None, Some(s));
    }
    mailbox(Some(s), None)
}

/// Splits a list on commas and semicolons outside quotes and angle brackets.
pub fn split_loose_addresses(s: &str) -> Vec<Address> {
    let mut out = Vec::new();
    let (mut quoted, mut angle, mut start) = (false, false, 0);
    for (i, ch) in s.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                push_nonempty(&mut out, &s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_nonempty(&mut out, &s[start..]);
    out
}

fn push_nonempty(out: &mut Vec<Address>, part: &str) {
    if !part.trim().is_empty() {
        out.push(parse_loose_address(part));
    }
}

fn mailbox(name: Option<&str>, addr: Option<&str>) -> Address {
    let nonempty = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    Address {
        name: nonempty(name),
        address: nonempty(addr),
    }
}

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static MSGID: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^<>\s]+>").expect("static regex"));

/// Message ids in a `Message-ID` / `In-Reply-To` / `References` value, brackets kept. A bare id
/// without brackets (some ticket systems write them) is taken whole.
pub fn message_ids(value: &str) -> Vec<String> {
    let ids: Vec<String> = MSGID
        .find_iter(value)
        .map(|m| m.as_str().to_string())
        .collect();
    if ids.is_empty() {
        let bare = value.trim();
        if !bare.is_empty() && !bare.contains(char::is_whitespace) {
            return vec![bare.to_string()];
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(name: Option<&str>, address: Option<&str>) -> Address {
        Address {
            name: name.map(String::from),
            address: address.map(String::from),
        }
    }

    #[test]
    fn loose_addresses() {
        assert_eq!(
            parse_loose_address("Wei Liang"),
            addr(Some("Wei Liang"), None)
        );
        assert_eq!(
            parse_loose_address("\"Li, Na\" <lina@customer.example>"),
            addr(Some("Li, Na"), Some("lina@customer.example"))
        );
        assert_eq!(
            parse_loose_address("<a@b.example>"),
            addr(None, Some("a@b.example"))
        );
        assert_eq!(
            split_loose_addresses("\"Li, Na\" <l@c.example>; Bob"),
            vec![
                addr(Some("Li, Na"), Some("l@c.example")),
                addr(Some("Bob"), None)
            ]
        );
    }

    #[test]
    fn raw_gbk_subject_is_not_latin1_mojibake() {
        let mut raw = b"Subject: ".to_vec();
        raw.extend_from_slice(&encoding_rs::GBK.encode("回复：升级失败").0);
        let (h, _) = mailparse::parse_header(&raw).unwrap();
        assert_eq!(
            header_text(&h, Some(encoding_rs::GB18030)),
            "回复：升级失败"
        );
    }

    #[test]
    fn encoded_word_names_and_plain_addresses() {
        let (h, _) = mailparse::parse_header(
            b"To: =?UTF-8?B?5p2O5aic?= <lina@customer.example>, support@northwind.example",
        )
        .unwrap();
        assert_eq!(
            header_addresses(&h, None),
            vec![
                addr(Some("李娜"), Some("lina@customer.example")),
                addr(None, Some("support@northwind.example"))
            ]
        );
    }

    #[test]
    fn encoded_word_inside_quotes_and_gb2312_superset() {
        // Outlook quotes encoded words, which RFC 2047 forbids but every reader accepts.
        let (h, _) =
            mailparse::parse_header(b"From: \"=?utf-8?B?5p2O5aic?=\" <l@x.example>").unwrap();
        assert_eq!(
            header_addresses(&h, None),
            vec![addr(Some("李娜"), Some("l@x.example"))]
        );
        // 镕 is GBK-only; the word is labelled GB2312.
        let (h, _) = mailparse::parse_header(b"Subject: =?gb2312?B?1uzpRrv5?=").unwrap();
        assert_eq!(header_text(&h, None), "朱镕基");
    }

    #[test]
    fn ids_keep_brackets() {
        assert_eq!(
            message_ids(" <a@x.example>\r\n\t<b@y.example>"),
            vec!["<a@x.example>", "<b@y.example>"]
        );
        assert_eq!(message_ids("bare-id@x.example"), vec!["bare-id@x.example"]);
        assert!(message_ids("").is_empty());
    }
}
