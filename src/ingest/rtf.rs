//! RTF to text, for Outlook `.msg` files whose only body is RTF: the compressed RTF stream in
//! (MS-OXRTFCP, undone by the `compressed-rtf` crate), readable text out.
//!
//! Not an RTF renderer: it keeps the characters a reader sees and drops the rest. Groups that
//! are destinations (`{\*\…}`, font and colour tables, pictures, document info) are skipped;
//! `\par`/`\line` end lines; `\'hh` bytes are decoded in the document's code page (`\ansicpgN`);
//! `\uN` is the Unicode character, its `\ucN` fallback characters skipped. Outlook's HTML
//! encapsulated in RTF (`\fromhtml1`) keeps its text and drops the `\htmltag` groups.

use encoding_rs::Encoding;

/// Decompresses an RTF stream (`PR_RTF_COMPRESSED`); `None` when it is not valid.
pub fn decompress(data: &[u8]) -> Option<String> {
    // The crate slices its 16-byte header without checking the length.
    if data.len() < 16 {
        return None;
    }
    std::panic::catch_unwind(|| compressed_rtf::decompress_rtf(data).ok())
        .ok()
        .flatten()
}

/// Destinations whose text is not part of the message.
const SKIPPED: [&str; 12] = [
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "object",
    "header",
    "footer",
    "listtable",
    "listoverridetable",
    "themedata",
    "htmltag",
];

/// The text of an RTF document.
pub fn to_text(rtf: &str) -> String {
    let b = rtf.as_bytes();
    let mut out = String::new();
    let mut pending: Vec<u8> = Vec::new(); // `\'hh` bytes waiting for decoding
    let mut enc: &'static Encoding = encoding_rs::WINDOWS_1252;
    // Per group: (skipping, unicode fallback count)
    let mut stack: Vec<(bool, usize)> = vec![(false, 1)];
    let mut skip_fallback = 0usize;
    let mut i = 0;
    let flush = |pending: &mut Vec<u8>, out: &mut String, enc: &'static Encoding| {
        if !pending.is_empty() {
            out.push_str(&enc.decode_without_bom_handling(pending).0);
            pending.clear();
        }
    };
    while i < b.len() {
        let (skipping, uc) = stack.last().copied().unwrap_or((false, 1));
        match b[i] {
            b'{' => {
                flush(&mut pending, &mut out, enc);
                let star = b[i + 1..].starts_with(b"\\*");
                stack.push((skipping || star, uc));
                i += 1;
            }
            b'}' => {
                flush(&mut pending, &mut out, enc);
                if stack.len() > 1 {
                    stack.pop();
                }
                i += 1;
            }
            b'\\' => {
                let (word, param, next) = control(b, i + 1);
                i = next;
                if word == "'" {
                    if skip_fallback > 0 {
                        skip_fallback -= 1;
                    } else if !skipping {
                        if let Some(v) = param {
                            pending.push(v as u8);
                        }
                    }
                    continue;
                }
                flush(&mut pending, &mut out, enc);
                match word.as_str() {
                    w if SKIPPED.contains(&w) => {
                        if let Some(top) = stack.last_mut() {
                            top.0 = true;
                        }
                    }
                    "ansicpg" => {
                        if let Some(e) = param.and_then(|n| super::msg::code_page(n as u32)) {
                            enc = e;
                        }
                    }
                    "uc" => {
                        if let Some(top) = stack.last_mut() {
                            top.1 = param.unwrap_or(1).max(0) as usize;
                        }
                    }
                    "u" if !skipping => {
                        let n = param.unwrap_or(0);
                        let n = if n < 0 { n + 65536 } else { n } as u32;
                        out.push(char::from_u32(n).unwrap_or('\u{FFFD}'));
                        skip_fallback = uc;
                    }
                    "par" | "line" | "row" if !skipping => out.push('\n'),
                    "tab" | "cell" if !skipping => out.push('\t'),
                    "\\" | "{" | "}" if !skipping => out.push_str(&word),
                    "~" if !skipping => out.push('\u{A0}'),
                    _ => {}
                }
            }
            b'\r' | b'\n' => i += 1,
            c => {
                if skip_fallback > 0 {
                    skip_fallback -= 1;
                } else if !skipping {
                    flush(&mut pending, &mut out, enc);
                    out.push(c as char);
                }
                i += 1;
            }
        }
    }
    flush(&mut pending, &mut out, enc);
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim().to_string()
}

/// A control word or symbol starting at `i` (just after the backslash): its name, numeric
/// parameter, and where the next token starts.
fn control(b: &[u8], i: usize) -> (String, Option<i32>, usize) {
    let Some(&c) = b.get(i) else {
        return (String::new(), None, i);
    };
    if c == b'\'' {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        let v = hex.and_then(|h| i32::from_str_radix(h, 16).ok());
        return ("'".into(), v, (i + 3).min(b.len()));
    }
    if !c.is_ascii_alphabetic() {
        return ((c as char).to_string(), None, i + 1);
    }
    let mut j = i;
    while j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    let word = String::from_utf8_lossy(&b[i..j]).into_owned();
    let start = j;
    if j < b.len() && b[j] == b'-' {
        j += 1;
    }
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    let param = std::str::from_utf8(&b[start..j])
        .ok()
        .and_then(|s| s.parse().ok());
    // One space after a control word belongs to it.
    if j < b.len() && b[j] == b' ' {
        j += 1;
    }
    (word, param, j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_code_page_unicode_and_skipped_groups() {
        let rtf = r"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}{\*\generator x;}\f0 Hello\par \'c9\'fd\'bc\'b6 \u22833?\par}";
        assert_eq!(to_text(rtf), "Hello\n升级 失");
    }

    #[test]
    fn short_or_bad_streams_are_none() {
        assert_eq!(decompress(b"abc"), None);
        assert_eq!(decompress(&[0u8; 40]), None);
    }
}
