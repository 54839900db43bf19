//! Encoded words (RFC 2047) as real mail writes them: a raw header value in, the same value
//! rewritten so mailparse decodes every word in it out, with the count of raw 8-bit bytes found
//! inside words (for the message's warnings).
//!
//! mailparse decodes well-formed words. The rewrites here cover what it misreads: raw 8-bit
//! bytes inside a `Q` word (Eudora, Outlook 2000), RFC 2231 language tags (`=?utf-8*en?q?…?=`),
//! a fold inside a word, a word glued to the text or to the next word (spam filters' `[SPAM]`
//! prefixes), and blanks before a fold that would read as two.

/// Rewrites the encoded words mailparse misreads: raw 8-bit bytes inside a `Q` word become
/// `=XX` (so they are read in the word's own charset, as mail clients do, instead of being
/// deleted); an RFC 2231 language tag (`*en`) is dropped from the charset; a fold inside a word
/// (`=?utf-8?Q?Hello\n _there!?=`) is closed up; and a word glued to the text around it
/// (`[SPAM]=?utf-8?B?…?=`, `?==?`) gets a blank on that side, which RFC 2047 §6.2 drops again
/// between two words. Blanks before a fold are dropped, so a fold reads as one blank. Gives the
/// new bytes and how many 8-bit bytes were inside words, or `None` when there was nothing to
/// mend.
pub fn mend_encoded_words(raw: &[u8]) -> Option<(Vec<u8>, usize)> {
    let blank_before_fold = memchr::memchr_iter(b'\n', raw).any(|p| {
        let line = raw[..p].strip_suffix(b"\r").unwrap_or(&raw[..p]);
        line.ends_with(b" ") || line.ends_with(b"\t")
    });
    if memchr::memmem::find(raw, b"=?").is_none() && !blank_before_fold {
        return None;
    }
    let mut out = Vec::with_capacity(raw.len() + 16);
    let (mut changed, mut eight_bit, mut i) = (blank_before_fold, 0, 0);
    while let Some(p) = memchr::memmem::find(&raw[i..], b"=?") {
        let start = i + p;
        out.extend_from_slice(&raw[i..start]);
        let Some(w) = encoded_word(&raw[start..]) else {
            out.extend_from_slice(b"=?");
            i = start + 2;
            continue;
        };
        if out.last().is_some_and(|&b| !is_word_boundary(b)) {
            out.push(b' ');
            changed = true;
        }
        let charset = &raw[start + 2..start + 2 + w.charset_len];
        let cs = charset
            .iter()
            .position(|&b| b == b'*')
            .map_or(charset, |star| &charset[..star]);
        changed |= cs.len() != charset.len();
        out.extend_from_slice(b"=?");
        out.extend_from_slice(cs);
        out.push(b'?');
        out.push(w.encoding);
        out.push(b'?');
        let text = &raw[start + w.text.0..start + w.text.1];
        for &b in text {
            if b.is_ascii_whitespace() {
                changed = true; // a fold inside the word
            } else if b >= 0x80 && w.encoding.eq_ignore_ascii_case(&b'q') {
                out.extend_from_slice(format!("={b:02X}").as_bytes());
                eight_bit += 1;
                changed = true;
            } else {
                out.push(b);
            }
        }
        out.extend_from_slice(b"?=");
        i = start + w.len;
        if raw.get(i).is_some_and(|&b| !is_word_boundary(b)) {
            out.push(b' ');
            changed = true;
        }
    }
    out.extend_from_slice(&raw[i..]);
    if blank_before_fold {
        out = drop_blanks_before_folds(&out);
    }
    changed.then_some((out, eight_bit))
}

/// Characters mailparse accepts beside an encoded word.
fn is_word_boundary(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"()<>,".contains(&b)
}

fn drop_blanks_before_folds(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let (body, cr) = match line.strip_suffix(b"\r") {
            Some(l) => (l, true),
            None => (line, false),
        };
        // A line of blanks alone inside a folded value is part of the fold, not an empty line
        // that would end the header.
        if n > 0 && !body.is_empty() && body.trim_ascii().is_empty() {
            continue;
        }
        if n > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(body.trim_ascii_end());
        if cr {
            out.push(b'\r');
        }
    }
    out
}

/// The shape of an encoded word at the start of `b`: `=?charset?e?text?=`, the text possibly
/// folded (a line break and blanks inside it).
struct Word {
    charset_len: usize,
    encoding: u8,
    /// Start and end of the encoded text, from the start of `b`.
    text: (usize, usize),
    len: usize,
}

fn encoded_word(b: &[u8]) -> Option<Word> {
    let body = b.strip_prefix(b"=?")?;
    let charset_len = body
        .iter()
        .position(|&c| c == b'?' || c.is_ascii_whitespace())
        .filter(|&n| n > 0 && body[n] == b'?')?;
    let encoding = *body.get(charset_len + 1)?;
    if !matches!(encoding, b'q' | b'Q' | b'b' | b'B') || body.get(charset_len + 2) != Some(&b'?') {
        return None;
    }
    let text_start = 2 + charset_len + 3;
    let rest = &b[text_start..];
    let mut end = 0;
    loop {
        match rest.get(end)? {
            b'?' => break,
            b' ' | b'\t' => return None,
            b'\r' | b'\n' => {
                // Only a fold: a line break followed by blanks.
                let after = end + if rest[end] == b'\r' { 2 } else { 1 };
                if rest[end] == b'\r' && rest.get(end + 1) != Some(&b'\n') {
                    return None;
                }
                let blanks = rest[after.min(rest.len())..]
                    .iter()
                    .take_while(|c| matches!(c, b' ' | b'\t'))
                    .count();
                if blanks == 0 {
                    return None;
                }
                end = after + blanks;
            }
            _ => end += 1,
        }
    }
    if rest.get(end..end + 2) != Some(b"?=") {
        return None;
    }
    Some(Word {
        charset_len,
        encoding,
        text: (text_start, text_start + end),
        len: text_start + end + 2,
    })
}
