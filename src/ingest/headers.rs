//! Header values: raw header bytes in, decoded text, mailboxes and message ids out.
//!
//! mailparse folds lines and decodes RFC 2047 words, but it reads 8-bit header bytes that are
//! not UTF-8 as Latin-1, which turns the raw GBK subjects of Chinese mailers into mojibake. So
//! non-UTF-8 values are first decoded here (with the message's charset, else a sniffed one) and
//! only then handed to mailparse. The encoded words mailparse misreads (raw 8-bit bytes inside a
//! `Q` word, which it would delete; RFC 2231 language tags, folded or glued words, which it would
//! leave encoded) are mended first (`encoded_words`).
//! Address lists lose their comments first (`comments`), which mailparse can misread.
//! Every replacement character a value gains on the way is counted in `HeaderNotes`.

use std::sync::LazyLock;

use encoding_rs::Encoding;
use mailparse::{MailAddr, MailHeader};
use regex::Regex;

use super::charset;
use super::comments::uncomment;
use super::encoded_words::mend_encoded_words;
use crate::model::Address;

/// What decoding a message's header values met, for its `decode_errors` and `warnings`.
#[derive(Debug, Default)]
pub struct HeaderNotes {
    /// Undecodable byte sequences (each became U+FFFD).
    pub errors: usize,
    pub warnings: Vec<String>,
}

/// Decodes a header value (folding, RFC 2047, 8-bit bytes) into one line of text.
pub fn header_text(
    header: &MailHeader,
    fallback: Option<&'static Encoding>,
    notes: &mut HeaderNotes,
) -> String {
    let raw = header.get_value_raw();
    let mended = mend_encoded_words(raw);
    let value = match &mended {
        Some((bytes, eight_bit)) => {
            note_eight_bit(&header.get_key(), *eight_bit, notes);
            reparse(bytes, fallback, |h| h.get_value())
                .unwrap_or_else(|| charset::text_lossy(bytes, fallback).into_owned())
        }
        None if std::str::from_utf8(raw).is_ok() => header.get_value(),
        None => reparse(raw, fallback, |h| h.get_value())
            .unwrap_or_else(|| charset::text_lossy(raw, fallback).into_owned()),
    };
    count_replacements(&header.get_key(), raw, &value, notes);
    value.trim().to_string()
}

/// Parses an address-list header (`From`, `To`, `Cc`) into mailboxes, groups flattened.
pub fn header_addresses(
    header: &MailHeader,
    fallback: Option<&'static Encoding>,
    notes: &mut HeaderNotes,
) -> Vec<Address> {
    let raw = header.get_value_raw();
    let mended = mend_encoded_words(raw);
    let bytes = mended.as_ref().map_or(raw, |(b, _)| b.as_slice());
    let uncommented =
        memchr::memchr(b'(', bytes).and_then(|_| uncomment(&charset::text_lossy(bytes, fallback)));
    let parsed = match (&uncommented, &mended) {
        (Some(u), _) => {
            reparse(u.as_bytes(), None, |h| mailparse::addrparse_header(h).ok()).flatten()
        }
        (None, Some((bytes, _))) => {
            reparse(bytes, fallback, |h| mailparse::addrparse_header(h).ok()).flatten()
        }
        (None, None) if std::str::from_utf8(raw).is_ok() => {
            mailparse::addrparse_header(header).ok()
        }
        (None, None) => reparse(raw, fallback, |h| mailparse::addrparse_header(h).ok()).flatten(),
    };
    match parsed {
        Some(list) if list.count_addrs() > 0 => {
            let out: Vec<Address> = list
                .iter()
                .flat_map(|a| match a {
                    MailAddr::Single(s) => vec![mailbox(s.display_name.as_deref(), Some(&s.addr))],
                    MailAddr::Group(g) => g
                        .addrs
                        .iter()
                        .map(|s| mailbox(s.display_name.as_deref(), Some(&s.addr)))
                        .collect(),
                })
                .collect();
            let mut seen = String::new();
            for a in &out {
                seen.push_str(a.name.as_deref().unwrap_or(""));
                seen.push_str(a.address.as_deref().unwrap_or(""));
            }
            if let Some((_, n)) = &mended {
                note_eight_bit(&header.get_key(), *n, notes);
            }
            count_replacements(&header.get_key(), raw, &seen, notes);
            out
        }
        // mailparse refuses mailboxes without `@` (`Wei Liang`, `undisclosed-recipients`) and
        // a name after the address (`<a@b.example> Doe`); keep what a person would read rather
        // than dropping the sender.
        _ => {
            let text = header_text(header, fallback, notes);
            split_loose_addresses(&text)
        }
    }
}

/// Decodes an unstructured header value given as text (folded or not).
pub fn unstructured(value: &str) -> String {
    let line = format!("X:{value}");
    match mailparse::parse_header(line.as_bytes()) {
        Ok((h, _)) => header_text(&h, None, &mut HeaderNotes::default()),
        Err(_) => value.trim().to_string(),
    }
}

/// Parses an address-list header value given as text (folded or not).
pub fn address_list(value: &str) -> Vec<Address> {
    let line = format!("X:{value}");
    match mailparse::parse_header(line.as_bytes()) {
        Ok((h, _)) => header_addresses(&h, None, &mut HeaderNotes::default()),
        Err(_) => split_loose_addresses(value),
    }
}

fn note_eight_bit(name: &str, count: usize, notes: &mut HeaderNotes) {
    if count > 0 {
        notes.warnings.push(format!(
            "{name}: {count} raw 8-bit byte(s) inside an encoded word, read with the word's charset"
        ));
    }
}

/// Counts the U+FFFD a decoded value has beyond those its raw bytes already spelled.
fn count_replacements(name: &str, raw: &[u8], decoded: &str, notes: &mut HeaderNotes) {
    let had = memchr::memmem::find_iter(raw, "\u{FFFD}".as_bytes()).count();
    let now = decoded.matches('\u{FFFD}').count();
    if now > had {
        notes.errors += now - had;
        notes.warnings.push(format!(
            "{name}: {} undecodable byte sequence(s) replaced by U+FFFD",
            now - had
        ));
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
    LazyLock::new(|| Regex::new(r"^\s*(.*?)\s*<([^<>]*)>\s*(.*?)\s*$").expect("static regex"));

/// `Name <addr>`, `"Name" <addr>`, `addr`, or just `Name` (the text export's From line).
pub fn parse_loose_address(s: &str) -> Address {
    let s = s.trim();
    // `Foo Bar <foo@bar.example` (a cut-off line): the address is there all the same.
    if s.contains('<') && !s.contains('>') {
        return parse_loose_address(&format!("{s}>"));
    }
    if let Some(c) = ANGLE.captures(s) {
        // `<a@b.example> Doe`: some clients write the name after the address.
        let name = if c[1].trim().is_empty() { &c[3] } else { &c[1] };
        let name = name.trim().trim_matches('"').trim();
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
    // `Undisclosed recipients:;` is a group with no members (RFC 5322 §3.4), not a name.
    let t = s.trim();
    if t.ends_with(":;") || (t.ends_with(':') && !t.contains(['<', '@', '"'])) {
        return out;
    }
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
        address: nonempty(addr.map(strip_comments).as_deref()),
    }
}

/// An addr-spec without its comments: `pete(his account)@silly.test(his host)` is
/// `pete@silly.test` (RFC 5322 appendix A.5). mailparse keeps them in the address.
fn strip_comments(addr: &str) -> String {
    if !addr.contains('(') {
        return addr.to_string();
    }
    let (mut out, mut depth, mut escaped) = (String::with_capacity(addr.len()), 0usize, false);
    for ch in addr.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' if depth > 0 => escaped = true,
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
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
            parse_loose_address("<a@b.example> Doe"),
            addr(Some("Doe"), Some("a@b.example"))
        );
        assert_eq!(
            strip_comments("pete(his account)@silly.test(his host)"),
            "pete@silly.test"
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
            header_text(&h, Some(encoding_rs::GB18030), &mut HeaderNotes::default()),
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
            header_addresses(&h, None, &mut HeaderNotes::default()),
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
            header_addresses(&h, None, &mut HeaderNotes::default()),
            vec![addr(Some("李娜"), Some("l@x.example"))]
        );
        // 镕 is GBK-only; the word is labelled GB2312.
        let (h, _) = mailparse::parse_header(b"Subject: =?gb2312?B?1uzpRrv5?=").unwrap();
        assert_eq!(header_text(&h, None, &mut HeaderNotes::default()), "朱镕基");
    }

    #[test]
    fn glued_folded_and_adjacent_encoded_words() {
        let u = |s: &str| unstructured(s);
        assert_eq!(
            u("[SPAM]=?utf-8?B?VGhpcyBpcyB0aGUgb\r\n 3JpZ2luYWwgc3ViamVjdA==?="),
            "[SPAM] This is the original subject"
        );
        assert_eq!(
            u("=?ISO-8859-1?Q?a?==?ISO-8859-1?Q?b?= =?ISO-8859-1?Q?c?="),
            "abc"
        );
        assert_eq!(u("=?utf-8?Q?Hello\r\n   \t  _there!?="), "Hello there!");
        assert_eq!(u(" Fwd: \n\tSaying \n Hello"), "Fwd: Saying Hello");
        assert_eq!(
            address_list("Mary Smith\n    \n\t<mary@example.net>"),
            vec![addr(Some("Mary Smith"), Some("mary@example.net"))]
        );
        assert_eq!(u("Re:=?utf-8?B?5Y2H57qn?="), "Re: 升级");
        // Not encoded words: left as they are.
        assert_eq!(u("a =?iso-8859-1? b\n =? c"), "a =?iso-8859-1? b =? c");
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
