//! The limits every reader enforces before it hands bytes to a parser, so one hostile or broken
//! file costs an error for that file (or that mbox entry) and never the whole run, the stack or
//! the machine's memory.
//!
//! Takes raw bytes (a file's size, one message's bytes) and gives `Ok(())` or the text of the
//! limit that was crossed; `mod.rs` and `eml.rs` turn that text into an `Error` naming the file.
//! The numbers are documented in README.md (`## Limits`); a test in `tests/integration/parse/limits.rs`
//! pins each one.
//!
//! The MIME check exists because mailparse walks nested multiparts by plain recursion with no
//! depth bound: a few thousand nested `multipart/mixed` parts overflow the stack, which aborts
//! the process (no panic to catch). So the nesting is measured here first, without recursion.

/// A file bigger than this is not read: readers hold a whole file in memory, so this bounds
/// the memory one file can take. Split bigger mboxes (e.g. by year) before ingesting.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// One message (an `.eml`, one mbox entry, one forwarded part) bigger than this is an error.
pub const MAX_MESSAGE_BYTES: usize = 128 * 1024 * 1024;
/// The header section of one message (everything before the first blank line).
pub const MAX_HEADER_BYTES: usize = 256 * 1024;
/// MIME parts in one message (delimiter lines of all its multiparts); real mail has a handful.
pub const MAX_PARTS: usize = 1_000;
/// Nested multiparts in one message; real mail nests 3–4 deep.
pub const MAX_DEPTH: usize = 64;

/// A file's size against `MAX_FILE_BYTES`.
pub fn check_file_size(size: u64) -> Result<(), String> {
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes per file; split it"
        ));
    }
    Ok(())
}

/// One message's bytes against the size, header, part and depth limits.
pub fn check_message(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(format!(
            "message is {} bytes, over the limit of {MAX_MESSAGE_BYTES} bytes per message",
            bytes.len()
        ));
    }
    let header_len = header_section_len(bytes);
    if header_len > MAX_HEADER_BYTES {
        return Err(format!(
            "header section is {header_len} bytes, over the limit of {MAX_HEADER_BYTES} bytes"
        ));
    }
    let shape = mime_shape(bytes);
    if shape.depth > MAX_DEPTH {
        return Err(format!(
            "multipart nesting is more than {MAX_DEPTH} deep (the limit)"
        ));
    }
    if shape.parts > MAX_PARTS {
        return Err(format!(
            "message has more than {MAX_PARTS} MIME parts (the limit)"
        ));
    }
    Ok(())
}

/// Bytes before the first empty line (the whole message when there is none).
fn header_section_len(bytes: &[u8]) -> usize {
    let mut start = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        if line == b"\n" || line == b"\r\n" {
            return start;
        }
        start += line.len();
    }
    start
}

/// An upper bound of a message's multipart nesting and part count.
#[derive(Debug, PartialEq, Eq)]
struct Shape {
    depth: usize,
    parts: usize,
}

/// Measures the MIME tree in one pass over the lines, with a stack of the boundaries declared so
/// far: a `boundary=` parameter opens a level, a delimiter line (`--B`) of an open boundary
/// closes the levels opened inside it and counts a part. The result never undercounts what
/// mailparse would recurse into (a declared boundary that never shows still counts a level), and
/// costs one scan plus a short search per line that starts with `--`: the scan stops as soon as
/// a limit is crossed, so the boundary stack stays short.
fn mime_shape(bytes: &[u8]) -> Shape {
    let mut open: Vec<Vec<u8>> = Vec::new();
    let mut shape = Shape { depth: 0, parts: 0 };
    for line in bytes.split(|&b| b == b'\n') {
        if let Some(rest) = line.strip_prefix(b"--") {
            // The innermost open boundary this line is a delimiter of (prefix match, as mailparse
            // does); closing less than possible keeps the depth an upper bound.
            if let Some(level) = open.iter().rposition(|b| rest.starts_with(b)) {
                // `--B--` closes the multipart; only the other delimiters open a part.
                let closing = rest[open[level].len()..].starts_with(b"--");
                shape.parts += usize::from(!closing);
                open.truncate(level + 1);
                if shape.parts > MAX_PARTS {
                    break;
                }
                continue;
            }
        }
        if let Some(boundary) = declared_boundary(line) {
            open.push(boundary);
            shape.depth = shape.depth.max(open.len());
            if shape.depth > MAX_DEPTH {
                break;
            }
        }
    }
    shape
}

/// The value of a `boundary=` parameter on this line, quotes removed.
fn declared_boundary(line: &[u8]) -> Option<Vec<u8>> {
    const KEY: &[u8] = b"boundary=";
    let at = line
        .windows(KEY.len())
        .position(|w| w.eq_ignore_ascii_case(KEY))?;
    let value = &line[at + KEY.len()..];
    let value = match value.strip_prefix(b"\"") {
        Some(quoted) => quoted.split(|&b| b == b'"').next().unwrap_or(quoted),
        None => value
            .split(|&b| b == b';' || b.is_ascii_whitespace())
            .next()
            .unwrap_or(value),
    };
    (!value.is_empty()).then(|| value.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_multipart_has_depth_two_and_four_parts() {
        let mail = b"Content-Type: multipart/mixed; boundary=\"out\"\n\n--out\n\
Content-Type: multipart/alternative;\n boundary=in\n\n--in\nContent-Type: text/plain\n\nhi\n\
--in\nContent-Type: text/html\n\n<p>hi</p>\n--in--\n--out\nContent-Type: application/pdf\n\n%PDF\n--out--\n";
        assert_eq!(mime_shape(mail), Shape { depth: 2, parts: 4 });
        assert_eq!(check_message(mail), Ok(()));
    }

    #[test]
    fn header_section_ends_at_the_first_blank_line() {
        assert_eq!(header_section_len(b"A: b\r\nC: d\r\n\r\nbody\n\nmore"), 12);
        assert_eq!(header_section_len(b"A: b\nno body"), 12);
    }

    #[test]
    fn boundary_values_quoted_and_bare() {
        assert_eq!(
            declared_boundary(b"Content-Type: multipart/mixed; BOUNDARY=\"a b\"; x=1"),
            Some(b"a b".to_vec())
        );
        assert_eq!(
            declared_boundary(b"  boundary=zz; charset=x"),
            Some(b"zz".to_vec())
        );
        assert_eq!(declared_boundary(b"boundary="), None);
        assert_eq!(declared_boundary(b"Subject: no"), None);
    }

    #[test]
    fn file_size_limit_names_the_numbers() {
        assert_eq!(check_file_size(MAX_FILE_BYTES), Ok(()));
        assert_eq!(
            check_file_size(MAX_FILE_BYTES + 1),
            Err(
                "file is 536870913 bytes, over the limit of 536870912 bytes per file; split it"
                    .to_string()
            )
        );
    }
}
