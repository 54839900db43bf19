//! RFC 5322 / MIME messages: the bytes of one message in, the message plus each forwarded
//! `message/rfc822` part it carries (right after it, numbered on) out. Used for `.eml` files, mbox
//! entries and maildir files alike.
//!
//! mailparse splits the MIME tree (after `repair`) and undoes the transfer encodings (damaged
//! ones through `transfer`); the charset decoding is ours (see `charset`), so the superset rules
//! and the undecodable-sequence count apply to every part. The body is the inline text/plain
//! parts, else the first HTML part turned into text by html2text. Every other leaf is described
//! as an attachment and never written anywhere.

use std::borrow::Cow;

use encoding_rs::Encoding;
use mailparse::{DispositionType, MailHeader, MailHeaderMap, ParsedMail};

use super::charset::{self, Decoded};
use super::date::parse_date;
use super::headers::{header_addresses, header_text, message_ids, HeaderNotes};
use super::transfer::transfer_decoded;
use crate::model::{Attachment, Format, Message, Source};

/// Forwarded mail inside forwarded mail is followed this deep, no deeper: the limit keeps a
/// hostile file from recursing without end.
const MAX_FORWARD_DEPTH: usize = 8;
/// MIME nesting is walked this deep, no deeper: `limits` has already refused deeper messages,
/// so everything that reaches the walk is seen whole; the bound is a second guard.
const MAX_PART_DEPTH: usize = super::limits::MAX_DEPTH;
/// html2text wraps at this width; wide enough that paragraphs stay one line.
const HTML_WIDTH: usize = 10_000;

/// Parses one message; `index` is the carrier's `source.index`, forwarded parts get the next ones.
pub fn parse_eml(
    bytes: &[u8],
    path: &str,
    index: usize,
    format: Format,
) -> Result<Vec<Message>, String> {
    let mut out = Vec::new();
    parse_into(bytes, path, index, format, 0, &mut out)?;
    Ok(out)
}

fn parse_into(
    bytes: &[u8],
    path: &str,
    index: usize,
    format: Format,
    depth: usize,
    out: &mut Vec<Message>,
) -> Result<(), String> {
    // Checked before mailparse sees the bytes: it recurses into nested multiparts unbounded.
    super::limits::check_message(bytes)?;
    let repaired = super::repair::repair(bytes);
    let mail =
        mailparse::parse_mail(&repaired.bytes).map_err(|e| format!("not a MIME message: {e}"))?;
    let mut parts = Parts {
        warnings: repaired.notes,
        ..Parts::default()
    };
    walk(&mail, &mut parts, 0);

    let mut m = Message::new(
        Source {
            path: path.to_string(),
            index,
        },
        format,
    );
    let body_label = parts
        .plain
        .first()
        .or(parts.html.as_ref())
        .and_then(|p| p.ctype.params.get("charset"))
        .map(String::as_str);
    // Raw 8-bit headers are in the sender's charset: the body's label says which. Without one,
    // the body's own bytes (longer, so a better guess) are sniffed when they are 8-bit too;
    // otherwise each header value is sniffed on its own.
    let header_bytes = mail.get_headers().get_raw_bytes();
    let fallback: Option<&'static Encoding> = body_label
        .and_then(charset::encoding_for_label)
        .or_else(|| {
            if std::str::from_utf8(header_bytes).is_ok() {
                return None;
            }
            let part = parts.plain.first().copied().or(parts.html)?;
            let body = part.get_body_raw().ok()?;
            (!body.is_ascii()).then(|| charset::guess_encoding(&body))
        });
    read_headers(&mail.headers, fallback, &mut m);
    name_eight_bit_attachments(&mut parts, fallback, &mut m);
    read_body(&parts, &mut m);
    m.warnings.append(&mut parts.warnings);
    m.decode_errors += parts.errors;
    m.attachments = parts.attachments;

    out.push(m);
    for fwd in parts.forwards {
        if depth >= MAX_FORWARD_DEPTH {
            break;
        }
        let next_index = out.last().map_or(index, |l| l.source.index) + 1;
        if let Err(e) = parse_into(&fwd, path, next_index, format, depth + 1, out) {
            if let Some(carrier) = out.iter_mut().find(|x| x.source.index == index) {
                carrier
                    .warnings
                    .push(format!("forwarded message unreadable: {e}"));
            }
        }
    }
    Ok(())
}

fn read_headers(headers: &[MailHeader], fallback: Option<&'static Encoding>, m: &mut Message) {
    let first = |name: &str| headers.get_first_header(name);
    let mut notes = HeaderNotes::default();
    let n = &mut notes;
    if let Some(h) = first("Subject") {
        m.subject = header_text(h, fallback, n);
    }
    if let Some(h) = first("From").or_else(|| first("Sender")) {
        m.from = header_addresses(h, fallback, n)
            .into_iter()
            .next()
            .unwrap_or_default();
    }
    for h in headers.get_all_headers("To") {
        m.to.extend(header_addresses(h, fallback, n));
    }
    for h in headers.get_all_headers("Cc") {
        m.cc.extend(header_addresses(h, fallback, n));
    }
    match first("Date") {
        Some(h) => {
            let v = header_text(h, fallback, n);
            m.date = parse_date(&v);
            if m.date.is_none() {
                m.warnings.push(format!("unparseable date {v:?}"));
            }
        }
        None => m.warnings.push("no Date header".to_string()),
    }
    let ids = |name: &str| {
        first(name)
            .map(|h| message_ids(&header_text(h, None, &mut HeaderNotes::default())))
            .unwrap_or_default()
    };
    m.message_id = ids("Message-ID").into_iter().next();
    m.in_reply_to = ids("In-Reply-To").into_iter().next();
    m.references = ids("References");
    m.decode_errors += notes.errors;
    m.warnings.append(&mut notes.warnings);
}

/// The leaves of a MIME tree sorted by what they are to us.
#[derive(Default)]
struct Parts<'a> {
    plain: Vec<&'a ParsedMail<'a>>,
    html: Option<&'a ParsedMail<'a>>,
    attachments: Vec<Attachment>,
    /// Attachments whose naming headers hold raw 8-bit bytes that are not UTF-8 (mailparse
    /// reads those as Latin-1): named again once the message's charset is known.
    eight_bit_names: Vec<(usize, &'a ParsedMail<'a>)>,
    forwards: Vec<Vec<u8>>,
    warnings: Vec<String>,
    /// Bytes of attachments that could not be transfer-decoded (see `transfer`).
    errors: usize,
}

impl<'a> Parts<'a> {
    fn push_attachment(
        &mut self,
        part: &'a ParsedMail<'a>,
        name: Option<String>,
        mime: &str,
        size: usize,
    ) {
        if name.is_some() && eight_bit_naming(part) {
            self.eight_bit_names.push((self.attachments.len(), part));
        }
        self.attachments.push(Attachment {
            name,
            content_type: mime.to_string(),
            size,
        });
    }
}

fn walk<'a>(part: &'a ParsedMail<'a>, parts: &mut Parts<'a>, depth: usize) {
    if depth > MAX_PART_DEPTH {
        return;
    }
    let mime = media_type(&part.ctype.mimetype);
    // A multipart whose boundary never shows (truncated or broken) has no subparts; its bytes
    // are then the best text there is.
    if mime.starts_with("multipart/") && !part.subparts.is_empty() {
        for sub in &part.subparts {
            walk(sub, parts, depth + 1);
        }
        return;
    }
    let disposition = part.get_content_disposition();
    let name = disposition
        .params
        .get("filename")
        .or_else(|| part.ctype.params.get("name"))
        .map(|n| quoted_pairs_undone(part, n));
    // A named text part is still the body when it is not marked as an attachment and no body
    // came before it (a note saved as `note.txt` and sent inline, or named only in its
    // Content-Type): mail clients show it as the message.
    let first_inline = disposition.disposition == DispositionType::Inline
        && parts.plain.is_empty()
        && parts.html.is_none();
    let attached =
        disposition.disposition == DispositionType::Attachment || (name.is_some() && !first_inline);
    if mime == "message/rfc822" || mime == "message/global" {
        let bytes = transfer_decoded(part, &mut parts.warnings, &mut parts.errors);
        let size = bytes.len();
        parts.push_attachment(part, name, &mime, size);
        parts.forwards.push(bytes);
        return;
    }
    let textual = mime == "text/plain" || mime.starts_with("multipart/");
    if !attached && textual {
        parts.plain.push(part);
    } else if !attached && mime == "text/html" && parts.html.is_none() {
        parts.html = Some(part);
    } else {
        let size = transfer_decoded(part, &mut parts.warnings, &mut parts.errors).len();
        parts.push_attachment(part, name, &mime, size);
    }
}

/// A quoted parameter value with its quoted-pairs read (`\x` is `x`, RFC 2045 §5.1 and RFC 5322
/// §3.2.4); mailparse keeps the backslashes. Netscape wrote Windows paths unescaped
/// (`"C:\TEMP\a.png"`): mail-parser, Python's `email` and Thunderbird all read `C:TEMPa.png`.
fn quoted_pairs_undone(part: &ParsedMail, name: &str) -> String {
    if !name.contains('\\') {
        return name.to_string();
    }
    let quoted = format!("\"{name}\"");
    let was_quoted = ["Content-Disposition", "Content-Type"].iter().any(|h| {
        part.headers
            .get_first_header(h)
            .is_some_and(|h| memchr::memmem::find(h.get_value_raw(), quoted.as_bytes()).is_some())
    });
    if !was_quoted {
        return name.to_string();
    }
    let (mut out, mut escaped) = (String::with_capacity(name.len()), false);
    for c in name.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

/// Whether a part's Content-Disposition or Content-Type holds 8-bit bytes that are not UTF-8.
fn eight_bit_naming(part: &ParsedMail) -> bool {
    ["Content-Disposition", "Content-Type"].iter().any(|name| {
        part.headers
            .get_first_header(name)
            .is_some_and(|h| std::str::from_utf8(h.get_value_raw()).is_err())
    })
}

/// Names the attachments whose file name was written in raw 8-bit bytes (Foxmail and old
/// Outlook write GBK or Latin-1 file names unencoded) by decoding the header the way the
/// subject is decoded, with the message's charset, then reading its parameters; undecodable
/// bytes are counted like any header's.
fn name_eight_bit_attachments(
    parts: &mut Parts,
    fallback: Option<&'static Encoding>,
    m: &mut Message,
) {
    let mut notes = HeaderNotes::default();
    for (i, part) in std::mem::take(&mut parts.eight_bit_names) {
        let param = |header: &str, key: &str, notes: &mut HeaderNotes| {
            let h = part.headers.get_first_header(header)?;
            let value = header_text(h, fallback, notes);
            mailparse::parse_content_disposition(&value)
                .params
                .get(key)
                .cloned()
        };
        let name = param("Content-Disposition", "filename", &mut notes)
            .or_else(|| param("Content-Type", "name", &mut notes));
        if let (Some(name), Some(a)) = (name, parts.attachments.get_mut(i)) {
            a.name = Some(quoted_pairs_undone(part, &name));
        }
    }
    m.decode_errors += notes.errors;
    m.warnings.append(&mut notes.warnings);
}

/// A Content-Type value as the readers see it: the media type (after `media_type`) and the
/// parameters, RFC 2231 continuations joined (mailparse). For the conformance tables.
pub fn content_type(value: &str) -> (String, std::collections::BTreeMap<String, String>) {
    let ct = mailparse::parse_content_type(value);
    (
        media_type(&ct.mimetype).to_string(),
        ct.params.into_iter().collect(),
    )
}

/// The media type casebook acts on. `text` with no subtype (old mailers) is `text/plain`: RFC
/// 2045 §5.2 makes text/plain the default, and the part is plainly text. Blanks and comments
/// inside the type (`text /plain`, `(hello) text / plain`; RFC 2045 allows both) are dropped.
pub fn media_type(mimetype: &str) -> Cow<'_, str> {
    let mut mime = Cow::Borrowed(mimetype);
    if mimetype.contains(|c: char| c.is_whitespace() || c == '(') {
        let mut depth = 0usize;
        let mut tight = String::with_capacity(mimetype.len());
        for c in mimetype.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                c if depth == 0 && !c.is_whitespace() => tight.push(c),
                _ => {}
            }
        }
        mime = Cow::Owned(tight);
    }
    if mime == "text" {
        Cow::Borrowed("text/plain")
    } else {
        mime
    }
}

fn read_body(parts: &Parts, m: &mut Message) {
    // An empty text/plain part (an empty alternative, a blank epilogue read as a part) does not
    // hide an HTML part that has the text.
    let blank_plain = parts.html.is_some()
        && parts.plain.iter().all(|p| {
            p.get_body_raw()
                .map(|b| b.iter().all(u8::is_ascii_whitespace))
                .unwrap_or(false)
        });
    if !parts.plain.is_empty() && !blank_plain {
        let mut texts = Vec::with_capacity(parts.plain.len());
        for p in &parts.plain {
            let d = decode_part(p, m);
            // A blank part among several (an empty nested multipart, a blank epilogue read as
            // a part) adds nothing but a stray line break.
            if parts.plain.len() == 1 || !d.text.trim().is_empty() {
                texts.push(normalize_newlines(d.text));
            }
        }
        m.body = texts.join("\n");
    } else if let Some(p) = parts.html {
        let d = decode_part(p, m);
        m.html = true;
        m.body = html_to_text(&d.text);
    } else {
        m.body = String::new();
    }
    if m.body.contains(super::repair::RENAMED) {
        m.body = m.body.replace(super::repair::RENAMED, "");
    }
}

/// Decodes one text part with its declared charset, recording charset, errors and warnings.
fn decode_part(part: &ParsedMail, m: &mut Message) -> Decoded {
    let raw = transfer_decoded(part, &mut m.warnings, &mut m.decode_errors);
    let label = part.ctype.params.get("charset").map(String::as_str);
    let d = charset::decode(&raw, label);
    m.charset = d.charset.to_string();
    m.decode_errors += d.errors;
    if let Some(w) = &d.warning {
        m.warnings.push(w.clone());
    }
    d
}

fn normalize_newlines(s: String) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// HTML → readable text (html2text), trailing spaces trimmed from each line.
pub fn html_to_text(html: &str) -> String {
    let rendered = html2text::config::plain_no_decorate()
        .no_table_borders()
        .allow_width_overflow()
        .string_from_read(html.as_bytes(), HTML_WIDTH)
        .unwrap_or_else(|_| html.to_string());
    let lines: Vec<&str> = rendered.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string()
}
