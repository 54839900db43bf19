//! mbox files: the bytes of one mbox in, the bytes of each entry (unescaped) out; `mod.rs` parses
//! each entry as a MIME message.
//!
//! An entry starts at a `From ` separator line. Writers escape body lines that would look like
//! one: mboxo turns `From ` into `>From `, mboxrd also adds a `>` to lines that already start
//! with `>…>From `. Un-escaping one `>` from every `>+From ` line is right for mboxrd and the
//! best that can be done for mboxo (which cannot tell an escaped line from a quoted one). A
//! `From ` line counts as a separator only when it has the separator's shape (sender, then a
//! time of day), so a sloppy writer's unescaped `From my side…` does not cut a message in two.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::bytes::Regex;

/// A separator line: `From `, the envelope sender, then a date with a time of day. Checked on
/// single candidate lines that memchr found, so the big file is scanned by memchr alone.
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^From [^\s]+[^\r\n]*\d{1,2}:\d{2}").expect("static regex"));
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static ESCAPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^>+From ").expect("static regex"));

/// Whether a file's first line is an mbox separator.
pub fn looks_like_mbox(first_line: &[u8]) -> bool {
    first_line.starts_with(b"From ")
}

/// The entries of an mbox, separator lines removed, in file order.
pub fn split_mbox(bytes: &[u8]) -> Vec<Cow<'_, [u8]>> {
    // Entry starts: just after each separator line. The first line is a separator even when it
    // lacks a time (detection already decided this file is an mbox).
    let mut bounds: Vec<(usize, usize)> = Vec::new(); // (separator start, content start)
    if bytes.starts_with(b"From ") {
        bounds.push((0, line_end(bytes, 0)));
    }
    for nl in memchr::memmem::find_iter(bytes, b"\nFrom ") {
        let start = nl + 1;
        let end = line_end(bytes, start);
        if SEPARATOR.is_match(&bytes[start..end]) {
            bounds.push((start, end));
        }
    }
    let mut out = Vec::with_capacity(bounds.len());
    for (i, &(_, content)) in bounds.iter().enumerate() {
        let end = bounds.get(i + 1).map_or(bytes.len(), |&(sep, _)| sep);
        let entry = strip_one_blank_line(&bytes[content.min(end)..end]);
        out.push(unescape(entry));
    }
    out
}

/// Where the last complete separator line of `bytes` starts (never 0): everything before it is
/// whole entries, so a large mbox can be parsed a block at a time.
pub fn last_separator(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::rfind_iter(bytes, b"\nFrom ")
        .map(|nl| nl + 1)
        .find(|&start| {
            let end = line_end(bytes, start);
            end <= bytes.len()
                && bytes[..end].ends_with(b"\n")
                && SEPARATOR.is_match(&bytes[start..end])
        })
}

/// Index just past the line starting at `start` (past its `\n`).
fn line_end(bytes: &[u8], start: usize) -> usize {
    memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |p| start + p + 1)
}

/// The blank line before the next separator belongs to the mbox framing, not to the message.
fn strip_one_blank_line(entry: &[u8]) -> &[u8] {
    entry
        .strip_suffix(b"\r\n\r\n")
        .map(|e| &entry[..e.len() + 2])
        .or_else(|| entry.strip_suffix(b"\n\n").map(|e| &entry[..e.len() + 1]))
        .unwrap_or(entry)
}

fn unescape(entry: &[u8]) -> Cow<'_, [u8]> {
    if !ESCAPED.is_match(entry) {
        return Cow::Borrowed(entry);
    }
    let mut out = Vec::with_capacity(entry.len());
    let mut last = 0;
    for m in ESCAPED.find_iter(entry) {
        out.extend_from_slice(&entry[last..m.start()]);
        // Drop the first `>` of the run, keep the rest.
        out.extend_from_slice(&entry[m.start() + 1..m.end()]);
        last = m.end();
    }
    out.extend_from_slice(&entry[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_separator_is_the_start_of_the_last_whole_separator_line() {
        let mbox = b"From a@x Mon Mar  6 09:00:00 2023\nSubject: one\n\nbody\nFrom the team: hi\n\nFrom b@x Tue Mar  7 10:00:00 2023\nSubject: two\n";
        let cut = last_separator(mbox).unwrap();
        assert!(mbox[cut..].starts_with(b"From b@x"));
        // A body line starting `From ` without a date is no separator; a cut-off line is not used.
        assert_eq!(last_separator(&mbox[..cut + 10]), None);
        assert_eq!(
            last_separator(b"From a@x Mon Mar  6 09:00:00 2023\nbody\n"),
            None
        );
    }

    #[test]
    fn splits_and_unescapes_mboxrd() {
        let mbox = b"From a@x.example Mon Mar  6 09:00:00 2023\nSubject: one\n\n>From here\n>>From there\nFrom my side, fine\n\nFrom b@x.example Mon Mar  6 10:00:00 2023\r\nSubject: two\r\n\r\nbody\r\n";
        let entries = split_mbox(mbox);
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].as_ref(),
            b"Subject: one\n\nFrom here\n>From there\nFrom my side, fine\n"
        );
        assert_eq!(entries[1].as_ref(), b"Subject: two\r\n\r\nbody\r\n");
    }

    #[test]
    fn first_line_separator_without_time() {
        let entries = split_mbox(b"From someone\nSubject: x\n\nhi\n");
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].as_ref(), b"Subject: x\n\nhi\n");
    }
}
