//! Byte-level repairs of broken MIME structure, made before mailparse sees a message: the bytes
//! of one message in, the same bytes (borrowed, the common case) or a repaired copy out, with a
//! note per repair for the message's warnings.
//!
//! mailparse is strict where real mail is sloppy, and a few of its choices lose whole parts.
//! Each repair below rewrites the one construct mailparse misreads into the form a careful mail
//! client reads it as, so the MIME parsing itself stays mailparse's:
//! - **A boundary that is a prefix of another line's boundary** (`==_` and `==_.REL`, Eudora):
//!   mailparse matches delimiter lines by prefix, so the outer multipart is cut at the inner
//!   one's delimiters and the HTML body inside `multipart/related` is lost. RFC 2046 §5.1.1
//!   says a delimiter line is the boundary and nothing else but blanks; the shorter boundary is
//!   renamed so the prefix match finds only its own lines. A line that is exactly another
//!   boundary's delimiter (`--a----` with boundaries `a--` and `a----`) is that boundary's, not
//!   the shorter one's closing delimiter: a line equal to `--` + a declared boundary opens a part.
//! - **No `;` before `boundary=`** (`multipart/mixed` and the parameter on the next line): the
//!   parameter is not seen and the multipart has no parts; the `;` is put back.
//! - **No blank line between a part's headers and its body**: mailparse reads the body lines as
//!   header names and the body is empty; the blank line is put back before the first line that
//!   is neither a header nor a folded continuation.
//! - **No blank line after the message's own header block** (RFC 2822 requires one; Python's
//!   `email` test suite has the message): the body starts at the first line that is not a header.
//! - **An RFC 2231 `boundary*=` parameter**: written back as a plain `boundary="…"`.
//! - **A part's header block starting with a blank** (a stray folded line): mailparse refuses
//!   the whole message; the leading blanks are dropped.

use std::borrow::Cow;

/// Appended to a boundary that is renamed. In a multipart too broken for its delimiters to be
/// used, a renamed delimiter line can end up in the text; readers strip the suffix there.
pub const RENAMED: &str = "=_casebook";

/// A message's bytes after repair, and what was repaired.
pub struct Repaired<'a> {
    pub bytes: Cow<'a, [u8]>,
    pub notes: Vec<String>,
}

/// One edit: at `at`, remove `remove` bytes and insert `insert`.
struct Edit {
    at: usize,
    remove: usize,
    insert: Vec<u8>,
}

/// A `boundary=` parameter found in the bytes: its value and where the value sits.
struct Declared {
    value: Vec<u8>,
    start: usize,
    end: usize,
}

/// Repairs the constructs listed in the module doc; borrows when there is nothing to repair.
pub fn repair(bytes: &[u8]) -> Repaired<'_> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    if let Some(first) = bytes.first() {
        if *first == b' ' || *first == b'\t' {
            let mut n = bytes
                .iter()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
            // A line of blanks alone before the headers goes with its line break; left, it
            // would end the header section before it began.
            for eol in [&b"\r\n"[..], b"\n"] {
                if bytes[n..].starts_with(eol) && is_header_line(&bytes[n + eol.len()..]) {
                    n += eol.len();
                    break;
                }
            }
            edits.push(Edit {
                at: 0,
                remove: n,
                insert: Vec::new(),
            });
            notes.push("header section started with blanks; dropped them".into());
        }
    }
    if !matches!(bytes.first(), Some(b' ' | b'\t')) {
        // The message's own header block; an mbox `From ` line is not a header but no body.
        let start = if bytes.starts_with(b"From ") || bytes.starts_with(b">From ") {
            memchr::memchr(b'\n', bytes).map_or(bytes.len(), |p| p + 1)
        } else {
            0
        };
        header_block_edits(bytes, start, true, &mut edits, &mut notes);
    }
    extended_boundaries(bytes, &mut edits, &mut notes);
    let declared = declarations(bytes);
    for d in &declared {
        if let Some(at) = missing_semicolon(bytes, d.start) {
            edits.push(Edit {
                at,
                remove: 0,
                insert: b";".to_vec(),
            });
            notes.push(format!(
                "no ';' before boundary {:?}; put it back",
                String::from_utf8_lossy(&d.value)
            ));
        }
    }
    let mut seen: Vec<&[u8]> = Vec::new();
    for d in &declared {
        if seen.contains(&d.value.as_slice()) {
            continue;
        }
        seen.push(&d.value);
        let lines = delimiter_lines(bytes, &d.value);
        let prefixed = lines.iter().any(|l| !l.exact);
        if prefixed {
            let mut renamed = d.value.clone();
            renamed.extend_from_slice(RENAMED.as_bytes());
            for other in declared.iter().filter(|o| o.value == d.value) {
                edits.push(Edit {
                    at: other.start,
                    remove: other.end - other.start,
                    insert: renamed.clone(),
                });
            }
            let own = |l: &&Delimiter| l.exact && !owned_by_longer(bytes, l, &d.value, &declared);
            for l in lines.iter().filter(own) {
                edits.push(Edit {
                    at: l.start + 2,
                    remove: d.value.len(),
                    insert: renamed.clone(),
                });
            }
            notes.push(format!(
                "boundary {:?} is a prefix of another boundary; read only its own delimiter lines",
                String::from_utf8_lossy(&d.value)
            ));
        }
        for l in lines.iter().filter(|l| l.exact && !l.closing) {
            header_block_edits(bytes, l.end, false, &mut edits, &mut notes);
        }
    }
    if edits.is_empty() {
        return Repaired {
            bytes: Cow::Borrowed(bytes),
            notes,
        };
    }
    edits.sort_by_key(|e| e.at);
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut pos = 0;
    for e in edits {
        if e.at < pos {
            continue; // overlapping edits: the first one wins
        }
        out.extend_from_slice(&bytes[pos..e.at]);
        out.extend_from_slice(&e.insert);
        pos = e.at + e.remove;
    }
    out.extend_from_slice(&bytes[pos.min(bytes.len())..]);
    Repaired {
        bytes: Cow::Owned(out),
        notes,
    }
}

/// Every `boundary=` parameter in the bytes (any case), with its value's position.
fn declarations(bytes: &[u8]) -> Vec<Declared> {
    let mut out = Vec::new();
    for needle in [&b"oundary="[..], b"OUNDARY="] {
        for hit in memchr::memmem::find_iter(bytes, needle) {
            if hit == 0 || !bytes[hit - 1].eq_ignore_ascii_case(&b'b') {
                continue;
            }
            let mut start = hit + needle.len();
            let quoted = bytes.get(start) == Some(&b'"');
            if quoted {
                start += 1;
            }
            let end = bytes[start..]
                .iter()
                .position(|&b| {
                    if quoted {
                        b == b'"' || b == b'\n'
                    } else {
                        b == b';' || b.is_ascii_whitespace()
                    }
                })
                .map_or(bytes.len(), |p| start + p);
            // A quoted value folded over two lines is left to mailparse, which unfolds it.
            let folded = quoted && bytes.get(end) != Some(&b'"');
            if end > start && !folded {
                out.push(Declared {
                    value: bytes[start..end].to_vec(),
                    start,
                    end,
                });
            }
        }
    }
    out.sort_by_key(|d| d.start);
    out
}

/// `boundary*=us-ascii''abc` (RFC 2231 form, sent by mutt): mailparse does not find the boundary
/// behind a charset it does not know; the value is written back as a plain `boundary="abc"`.
fn extended_boundaries(bytes: &[u8], edits: &mut Vec<Edit>, notes: &mut Vec<String>) {
    for needle in [&b"oundary*="[..], b"OUNDARY*="] {
        for hit in memchr::memmem::find_iter(bytes, needle) {
            if hit == 0 || !bytes[hit - 1].eq_ignore_ascii_case(&b'b') {
                continue;
            }
            let star = hit + needle.len() - 2;
            let mut start = hit + needle.len();
            let quoted = bytes.get(start) == Some(&b'"');
            start += usize::from(quoted);
            let len = bytes[start..]
                .iter()
                .position(|&b| b == b'"' || b == b';' || b.is_ascii_whitespace())
                .unwrap_or(bytes.len() - start);
            let value = &bytes[start..start + len];
            let value = memchr::memmem::find(value, b"''").map_or(value, |p| &value[p + 2..]);
            let mut plain = b"=\"".to_vec();
            plain.extend(percent_decoded(value));
            plain.push(b'"');
            let end = start + len + usize::from(quoted && bytes.get(start + len) == Some(&b'"'));
            edits.push(Edit {
                at: star,
                remove: end - star,
                insert: plain,
            });
            notes.push("RFC 2231 boundary parameter written as a plain one".into());
        }
    }
}

fn percent_decoded(value: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while i < value.len() {
        let pair = value.get(i + 1).zip(value.get(i + 2));
        match pair.and_then(|(h, l)| Some((hex(*h)?, hex(*l)?))) {
            Some((h, l)) if value[i] == b'%' => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            _ => {
                out.push(value[i]);
                i += 1;
            }
        }
    }
    out
}

/// Where a `;` belongs when `boundary=` (its value at `value_start`) follows a Content-Type's
/// media type with only blanks (and perhaps one fold) between them.
fn missing_semicolon(bytes: &[u8], value_start: usize) -> Option<usize> {
    let key = bytes[..value_start]
        .iter()
        .rposition(|b| b.eq_ignore_ascii_case(&b'b'))?;
    let before = &bytes[..key];
    let last = before.iter().rposition(|b| !b.is_ascii_whitespace())?;
    if before[last] == b';' || !(before[last].is_ascii_alphanumeric() || before[last] == b'-') {
        return None;
    }
    // The blanks in between may hold one line break (a fold), no more.
    if before[last + 1..].iter().filter(|&&b| b == b'\n').count() > 1 {
        return None;
    }
    let line_start = before[..=last]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = &before[line_start..=last];
    let lower = line.to_ascii_lowercase();
    let ct = lower.strip_prefix(b"content-type:")?;
    let value: Vec<u8> = ct
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    // Only a bare media type: with parameters of its own the line has its `;`s already.
    (value.starts_with(b"multipart/") && !value.contains(&b';') && !value.contains(&b'='))
        .then_some(last + 1)
}

/// A line starting `--` + a boundary.
struct Delimiter {
    start: usize,
    /// Just past the line's `\n`.
    end: usize,
    /// Only the boundary (and `--`, blanks) on the line: a delimiter by RFC 2046.
    exact: bool,
    closing: bool,
}

fn delimiter_lines(bytes: &[u8], boundary: &[u8]) -> Vec<Delimiter> {
    let mut needle = b"--".to_vec();
    needle.extend_from_slice(boundary);
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, &needle) {
        if at != 0 && bytes[at - 1] != b'\n' {
            continue;
        }
        let rest_start = at + needle.len();
        let end =
            memchr::memchr(b'\n', &bytes[rest_start..]).map_or(bytes.len(), |p| rest_start + p + 1);
        let rest = &bytes[rest_start..end];
        let closing = rest.starts_with(b"--");
        let tail = if closing { &rest[2..] } else { rest };
        let exact = tail.iter().all(u8::is_ascii_whitespace);
        out.push(Delimiter {
            start: at,
            end,
            exact,
            closing,
        });
    }
    out
}

/// Whether delimiter line `l` of `boundary` is exactly the delimiter (opening or closing) of
/// another, longer declared boundary.
fn owned_by_longer(bytes: &[u8], l: &Delimiter, boundary: &[u8], declared: &[Declared]) -> bool {
    let line = bytes[l.start + 2..l.end].trim_ascii_end();
    declared.iter().any(|o| {
        o.value.len() > boundary.len()
            && o.value.starts_with(boundary)
            && (line == o.value.as_slice() || line.strip_suffix(b"--") == Some(o.value.as_slice()))
    })
}

/// Repairs of the header block that starts at `start` (just after a delimiter line): leading
/// blanks on its first line, and a missing blank line before the body.
/// `top` is the message's own header block: there a line is taken for the first body line only
/// when it holds no `:` at all, since a mangled header name (`X Mailer: …`) is likelier than a
/// body with no blank line before it.
fn header_block_edits(
    bytes: &[u8],
    start: usize,
    top: bool,
    edits: &mut Vec<Edit>,
    notes: &mut Vec<String>,
) {
    let mut pos = start;
    let mut first = true;
    while pos < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |p| pos + p + 1);
        let line = &bytes[pos..end];
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if content.is_empty() || content.starts_with(b"--") {
            return;
        }
        let folded = content[0] == b' ' || content[0] == b'\t';
        if first && folded {
            let n = content
                .iter()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
            edits.push(Edit {
                at: pos,
                remove: n,
                insert: Vec::new(),
            });
            notes.push("part headers started with a folded line; unfolded it".into());
        } else if !(folded || is_header_line(content) || top && content.contains(&b':')) {
            let crlf = line.ends_with(b"\r\n");
            edits.push(Edit {
                at: pos,
                remove: 0,
                insert: if crlf {
                    b"\r\n".to_vec()
                } else {
                    b"\n".to_vec()
                },
            });
            notes.push(if top {
                "no blank line between the message headers and body; put it back".into()
            } else {
                "no blank line between part headers and body; put it back".into()
            });
            return;
        }
        first = false;
        pos = end;
    }
}

/// `Name:` with a printable ASCII name (RFC 5322 §2.2), blanks allowed before the colon.
fn is_header_line(line: &[u8]) -> bool {
    let name_len = line
        .iter()
        .take_while(|&&b| (b'!'..=b'~').contains(&b) && b != b':')
        .count();
    name_len > 0
        && line[name_len..]
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t'))
            .is_some_and(|&b| b == b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(s: &str) -> String {
        String::from_utf8(repair(s.as_bytes()).bytes.into_owned()).unwrap()
    }

    #[test]
    fn untouched_mail_is_borrowed() {
        let mail = b"Content-Type: multipart/mixed; boundary=a\n\n--a\nContent-Type: text/plain\n\nhi\n--a--\n";
        let r = repair(mail);
        assert!(matches!(r.bytes, Cow::Borrowed(_)));
        assert!(r.notes.is_empty());
    }

    #[test]
    fn prefix_boundary_is_renamed() {
        let mail = "Content-Type: multipart/mixed; boundary=\"X\"\n\n--X\nContent-Type: multipart/related; boundary=\"X.R\"\n\n--X.R\nContent-Type: text/html\n\n<p>hi</p>\n--X.R--\n\n--X\nContent-Type: image/png\n\npng\n--X--\n";
        assert_eq!(
            fixed(mail),
            "Content-Type: multipart/mixed; boundary=\"X=_casebook\"\n\n--X=_casebook\nContent-Type: multipart/related; boundary=\"X.R\"\n\n--X.R\nContent-Type: text/html\n\n<p>hi</p>\n--X.R--\n\n--X=_casebook\nContent-Type: image/png\n\npng\n--X=_casebook--\n"
        );
    }

    #[test]
    fn semicolon_blank_line_and_leading_blank() {
        assert_eq!(
            fixed("Content-Type: multipart/mixed\n\tboundary=\"b\"\n\n--b\nContent-Type: text/plain\nbody\n--b\n  stray: x\nContent-Type: text/plain\n\ntwo\n--b--\n"),
            "Content-Type: multipart/mixed;\n\tboundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nbody\n--b\nstray: x\nContent-Type: text/plain\n\ntwo\n--b--\n"
        );
    }

    #[test]
    fn exact_delimiter_of_a_longer_boundary_is_that_boundary_s() {
        assert_eq!(
            fixed("Content-Type: multipart/mixed; boundary=\"a--\"\n\n--a--\nContent-Type: multipart/mixed; boundary=\"a----\"\n\n--a----\nContent-Type: text/plain\n\nbody\n--a------\n"),
            "Content-Type: multipart/mixed; boundary=\"a--=_casebook\"\n\n--a--=_casebook\nContent-Type: multipart/mixed; boundary=\"a----\"\n\n--a----\nContent-Type: text/plain\n\nbody\n--a------\n"
        );
        assert_eq!(
            fixed(" \nFrom: a@b.example\n\nx\n"),
            "From: a@b.example\n\nx\n"
        );
    }

    #[test]
    fn parameters_already_separated_are_left_alone() {
        assert_eq!(
            missing_semicolon(b"Content-Type: multipart/mixed; type=x\n boundary=b", 49),
            None
        );
    }
}
