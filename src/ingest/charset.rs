//! Charset decoding: bytes plus an optional declared label in, text plus the encoding used and
//! a count of undecodable sequences out.
//!
//! Real mail lies about its charset in a few well-known ways, so a declared label goes through
//! the supersets mail clients actually write with (a "GB2312" part is full of GBK-only
//! characters, an "ISO-8859-1" part is really windows-1252, a "US-ASCII" part is UTF-8). A BOM
//! wins over any label; a missing, unknown or wrong label (one that produces replacement
//! characters) falls back to chardetng's guess.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8, WINDOWS_1252};

/// Text decoded from bytes, with the evidence of how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used (`UTF-8`, `GBK`, `gb18030`, `windows-1252`…).
    pub charset: &'static str,
    /// Byte sequences that could not be decoded and became U+FFFD.
    pub errors: usize,
    /// Why the declared label was not used, when it was not.
    pub warning: Option<String>,
}

/// Maps a declared charset label to the encoding that decodes what senders really wrote.
///
/// encoding_rs already follows the WHATWG label table (ISO-8859-1 and US-ASCII are
/// windows-1252, Big5 is Big5-HKSCS, GB2312 is GBK); on top of that a GB2312 label is reported as
/// gb18030, because mail labelled GB2312 routinely carries GBK/GB18030-only characters and the
/// corpus contract names the superset. Returns `None` for labels encoding_rs does not know.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let label = clean_label(label);
    let lower = label.to_ascii_lowercase();
    match lower.as_str() {
        "gb2312" | "gb_2312" | "gb_2312-80" | "csgb2312" | "euc-cn" | "x-euc-cn" | "cn-gb"
        | "x-gbk" | "hz-gb-2312" | "gb18030" => return Some(GB18030),
        // Common misspellings seen in the wild (Foxmail, old webmail).
        "utf8" | "utf-8" | "unicode-1-1-utf-8" => return Some(UTF_8),
        "cp936" | "ms936" | "windows-936" => return Some(encoding_rs::GBK),
        _ => {}
    }
    Encoding::for_label(lower.as_bytes())
}

/// A label without quotes, blanks and a trailing comment (`us-ascii (Plain text)`, RFC 2045).
fn clean_label(label: &str) -> &str {
    let label = label.split('(').next().unwrap_or(label);
    label.trim().trim_matches('"').trim()
}

/// Decodes `bytes`, trusting a BOM first, then `label`, then content sniffing.
pub fn decode(bytes: &[u8], label: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(&bytes[bom_len..], enc, None);
    }
    let declared = label.filter(|l| !l.trim().is_empty());
    let Some(label) = declared else {
        return decode_sniffed(bytes, None);
    };
    if is_utf7_label(label) {
        return decode_utf7(bytes);
    }
    let Some(enc) = encoding_for_label(label) else {
        return decode_sniffed(bytes, Some(format!("unknown charset label {label:?}")));
    };
    // A 7-bit or Latin-1 label on bytes that are valid multi-byte UTF-8 is a mislabel: a Latin-1
    // reading of UTF-8 is always mojibake and never contains undecodable bytes, so the error
    // count alone would not catch it.
    if enc == WINDOWS_1252 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        return decode_with(
            bytes,
            UTF_8,
            Some(format!("charset label {label:?} but the text is UTF-8")),
        );
    }
    let first = decode_with(bytes, enc, None);
    if first.errors == 0 {
        return first;
    }
    let guess = guess_encoding(bytes);
    if guess != enc {
        let second = decode_with(bytes, guess, None);
        if second.errors < first.errors {
            let warning = format!(
                "charset label {label:?} gave {} undecodable sequences; decoded as {}",
                first.errors,
                guess.name()
            );
            return Decoded {
                warning: Some(warning),
                ..second
            };
        }
    }
    first
}

/// UTF-7 (RFC 2152), which the WHATWG set behind encoding_rs leaves out on purpose but old
/// Netscape and Outlook Express mail was sent in.
fn is_utf7_label(label: &str) -> bool {
    let l = clean_label(label).to_ascii_lowercase();
    matches!(
        l.as_str(),
        "utf-7" | "utf7" | "unicode-1-1-utf-7" | "csunicode11utf7" | "x-unicode-2-0-utf-7"
    )
}

/// Decodes UTF-7 with the `charset` crate (mailparse's own), counting each U+FFFD it wrote:
/// UTF-7 is 7-bit, so every replacement character is an undecodable sequence.
fn decode_utf7(bytes: &[u8]) -> Decoded {
    let (text, _) = ::charset::UTF_7.decode_without_bom_handling(bytes);
    let errors = text.matches('\u{FFFD}').count();
    Decoded {
        text: text.into_owned(),
        charset: "UTF-7",
        errors,
        warning: None,
    }
}

/// Decodes with no usable label: UTF-8 when valid, else chardetng's guess.
fn decode_sniffed(bytes: &[u8], warning: Option<String>) -> Decoded {
    let enc = if std::str::from_utf8(bytes).is_ok() {
        UTF_8
    } else {
        guess_encoding(bytes)
    };
    decode_with(bytes, enc, warning)
}

/// chardetng's guess for `bytes` (UTF-8 allowed, no TLD hint: mail has no trustworthy one).
///
/// chardetng answers GBK for all GB-family text; the GBK and gb18030 decoders are the same in
/// encoding_rs, but text with GB18030 four-byte sequences is reported as gb18030 since GBK
/// cannot hold it.
pub fn guess_encoding(bytes: &[u8]) -> &'static Encoding {
    let mut det = EncodingDetector::new(Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let guess = det.guess(None, Utf8Detection::Allow);
    if guess == encoding_rs::GBK && has_gb18030_four_byte(bytes) {
        GB18030
    } else {
        guess
    }
}

/// Whether GB-family bytes contain a four-byte sequence (lead, digit, lead, digit).
fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
        } else if bytes[i + 1].is_ascii_digit() {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// Decodes `bytes` (no BOM handling) with `enc`, counting malformed sequences.
pub fn decode_with(bytes: &[u8], enc: &'static Encoding, warning: Option<String>) -> Decoded {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let (text, errors) = if had_errors {
        count_errors(bytes, enc)
    } else {
        (text.into_owned(), 0)
    };
    Decoded {
        text,
        charset: enc.name(),
        errors,
        warning,
    }
}

/// The slow path, taken only when decoding met malformed input: decode without replacement so
/// each malformed sequence can be counted, inserting U+FFFD for it ourselves.
fn count_errors(bytes: &[u8], enc: &'static Encoding) -> (String, usize) {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(cap + 16);
    let mut errors = 0;
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::Malformed(_, _) => {
                errors += 1;
                out.push('\u{FFFD}');
            }
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(rest.len())
                    .unwrap_or(rest.len().saturating_mul(3));
                out.reserve(more + 16);
            }
        }
    }
    (out, errors)
}

/// Borrows `bytes` as text when they are UTF-8 (the common case), else decodes them with the
/// sniffed encoding. For header values, where no count is reported.
pub fn text_lossy<'a>(bytes: &'a [u8], fallback: Option<&'static Encoding>) -> Cow<'a, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => {
            // A fallback guessed over more text can still be dragged off by one header of junk;
            // a value with enough 8-bit bytes of its own is better judged alone, unless its own
            // guess cannot decode it and the fallback can.
            let own = guess_encoding(bytes);
            let enc = match fallback {
                Some(f) if f != own && bytes.iter().filter(|b| !b.is_ascii()).count() >= 8 => {
                    let (_, own_errors) = own.decode_without_bom_handling(bytes);
                    let (_, fallback_errors) = f.decode_without_bom_handling(bytes);
                    if own_errors && !fallback_errors {
                        f
                    } else {
                        own
                    }
                }
                Some(f) => f,
                None => own,
            };
            Cow::Owned(enc.decode_without_bom_handling(bytes).0.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn gb2312_label_decodes_gbk_only_characters_as_gb18030() {
        // 镕 and 堃 are outside GB2312 but inside GBK.
        let bytes = gbk("朱镕基与王堃");
        let d = decode(&bytes, Some("gb2312"));
        assert_eq!(d.text, "朱镕基与王堃");
        assert_eq!(d.charset, "gb18030");
        assert_eq!(d.errors, 0);
        assert_eq!(d.warning, None);
    }

    #[test]
    fn gbk_label_keeps_its_name() {
        let d = decode(&gbk("问题已解决"), Some("GBK"));
        assert_eq!(
            (d.text.as_str(), d.charset, d.errors),
            ("问题已解决", "GBK", 0)
        );
    }

    #[test]
    fn latin1_label_is_windows_1252() {
        let d = decode(b"caf\xe9 \x80", Some("iso-8859-1"));
        assert_eq!(d.text, "café €");
        assert_eq!(d.charset, "windows-1252");
    }

    #[test]
    fn ascii_label_on_utf8_text_is_utf8_with_a_warning() {
        let d = decode("日志已收到".as_bytes(), Some("us-ascii"));
        assert_eq!(d.text, "日志已收到");
        assert_eq!(d.charset, "UTF-8");
        assert_eq!(
            d.warning.as_deref(),
            Some("charset label \"us-ascii\" but the text is UTF-8")
        );
    }

    #[test]
    fn bom_wins_over_label() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "您好".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes, Some("gbk"));
        assert_eq!((d.text.as_str(), d.charset), ("您好", "UTF-16LE"));
    }

    #[test]
    fn missing_label_sniffs_gbk() {
        let bytes = gbk("请您收集系统日志并提供给我们进一步分析，谢谢您的配合。");
        let d = decode(&bytes, None);
        assert_eq!(
            d.text,
            "请您收集系统日志并提供给我们进一步分析，谢谢您的配合。"
        );
        assert_eq!(d.charset, "GBK");
        assert_eq!(d.errors, 0);
    }

    #[test]
    fn wrong_label_falls_back_to_the_guess() {
        let bytes = gbk("请您收集系统日志并提供给我们进一步分析，谢谢您的配合。");
        let d = decode(&bytes, Some("utf-8"));
        assert_eq!(
            d.text,
            "请您收集系统日志并提供给我们进一步分析，谢谢您的配合。"
        );
        assert_eq!(d.charset, "GBK");
        assert!(d.warning.is_some());
    }

    #[test]
    fn unknown_label_is_sniffed_and_reported() {
        let d = decode(b"plain", Some("x-unknown-thing"));
        assert_eq!((d.text.as_str(), d.charset), ("plain", "UTF-8"));
        assert_eq!(
            d.warning.as_deref(),
            Some("unknown charset label \"x-unknown-thing\"")
        );
    }

    #[test]
    fn utf7_is_decoded_and_its_damage_counted() {
        let d = decode(b"Fr+APY-sche +- mehr", Some("UTF-7"));
        assert_eq!(
            (d.text.as_str(), d.charset, d.errors),
            ("Frösche + mehr", "UTF-7", 0)
        );
        let d = decode(b"x \xff y", Some("utf-7"));
        assert_eq!((d.text.as_str(), d.errors), ("x \u{FFFD} y", 1));
    }

    #[test]
    fn a_comment_after_the_label_is_ignored() {
        let d = decode(b"caf\xe9", Some("iso-8859-1 (Plain text)"));
        assert_eq!((d.text.as_str(), d.warning), ("café", None));
    }

    #[test]
    fn malformed_sequences_are_counted() {
        let d = decode_with(b"ok \xff\xfe end \xc3", UTF_8, None);
        assert_eq!(d.text, "ok \u{FFFD}\u{FFFD} end \u{FFFD}");
        assert_eq!(d.errors, 3);
    }
}
