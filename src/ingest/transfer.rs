//! Content-Transfer-Encoding undone, forgivingly: one MIME part in, its content bytes out, with
//! a warning for each encoding that would not decode and a count of the bytes left out.
//!
//! mailparse decodes the well-formed cases. Real mail also carries base64 cut off mid-stream,
//! junk after the padding and encoding names with trailing blanks; those are decoded here as
//! far as they go rather than thrown away, and the bytes that could not be used are counted
//! (the message's `decode_errors`) and named in a warning, never dropped silently.

use mailparse::{MailHeaderMap, ParsedMail};

/// The part's bytes with the transfer encoding undone. Damaged base64 (a truncated download, a
/// stray character) is decoded as far as it goes instead of being thrown away; anything else
/// that will not decode is kept as it is. Either way a warning says so.
pub fn transfer_decoded(
    part: &ParsedMail,
    warnings: &mut Vec<String>,
    errors: &mut usize,
) -> Vec<u8> {
    use mailparse::body::Body;
    // mailparse compares the encoding name exactly, so `quoted-printable   ` (trailing blanks,
    // seen from list software) would be left encoded; the trimmed name is decoded here.
    if let Some(cte) = part.headers.get_first_value("Content-Transfer-Encoding") {
        let trimmed = cte.trim().to_ascii_lowercase();
        if trimmed != cte.to_ascii_lowercase() {
            let raw = match part.get_body_encoded() {
                Body::Base64(b) | Body::QuotedPrintable(b) => b.get_raw().to_vec(),
                Body::SevenBit(b) | Body::EightBit(b) => b.get_raw().to_vec(),
                Body::Binary(b) => b.get_raw().to_vec(),
            };
            match trimmed.as_str() {
                "quoted-printable" => {
                    return quoted_printable::decode(&raw, quoted_printable::ParseMode::Robust)
                        .unwrap_or(raw)
                }
                "base64" => return lenient_base64(&raw, warnings, errors),
                _ => {}
            }
        }
    }
    match part.get_body_raw() {
        Ok(b) => b,
        Err(e) => match part.get_body_encoded() {
            // Only base64 characters: a cut-off or mis-padded stream, worth decoding. Anything
            // else means the header lied about the encoding and the bytes are the content.
            Body::Base64(b) if looks_like_base64(b.get_raw()) => {
                warnings.push(format!("damaged base64 ({e}); decoded what was readable"));
                lenient_base64(b.get_raw(), warnings, errors)
            }
            other => {
                warnings.push(format!("transfer encoding not decodable ({e}); kept as is"));
                match other {
                    Body::Base64(b) | Body::QuotedPrintable(b) => b.get_raw().to_vec(),
                    Body::SevenBit(b) | Body::EightBit(b) => b.get_raw().to_vec(),
                    Body::Binary(b) => b.get_raw().to_vec(),
                }
            }
        },
    }
}

fn looks_like_base64(raw: &[u8]) -> bool {
    raw.iter()
        .all(|b| b.is_ascii_alphanumeric() || b"+/=\r\n\t ".contains(b))
}

/// Forgiving base64: characters outside the alphabet are dropped, padding is optional, and a
/// dangling last character (a cut-off quad) is ignored. What is dropped (blanks aside) is
/// counted in `errors` and named in a warning: nothing goes silently.
fn lenient_base64(raw: &[u8], warnings: &mut Vec<String>, errors: &mut usize) -> Vec<u8> {
    use base64::engine::{
        general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig,
    };
    use base64::Engine;
    const FORGIVING: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    // Padding ends the data: whatever follows it (a signature, `ignored`) is not base64.
    let (data, tail) = match memchr::memchr(b'=', raw) {
        Some(p) => raw.split_at(p),
        None => (raw, &[][..]),
    };
    let in_alphabet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
    let mut clean: Vec<u8> = data.iter().copied().filter(in_alphabet).collect();
    let mut dropped = data
        .iter()
        .filter(|b| !in_alphabet(b) && !b.is_ascii_whitespace())
        .count()
        + tail
            .iter()
            .filter(|b| **b != b'=' && !b.is_ascii_whitespace())
            .count();
    if clean.len() % 4 == 1 {
        clean.pop();
        dropped += 1;
    }
    if dropped > 0 {
        *errors += dropped;
        warnings.push(format!(
            "base64: {dropped} byte(s) outside the data (junk after the padding, characters \
             outside the alphabet, a cut-off last character) not decoded"
        ));
    }
    FORGIVING.decode(&clean).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_junk_is_counted_not_dropped_silently() {
        let (mut warnings, mut errors) = (Vec::new(), 0);
        let bytes = lenient_base64(b"aGk=\r\n ignored", &mut warnings, &mut errors);
        assert_eq!((bytes.as_slice(), errors), (&b"hi"[..], 7));
        assert_eq!(warnings.len(), 1);
        let bytes = lenient_base64(b"aGk*hp", &mut warnings, &mut errors);
        assert_eq!((bytes.as_slice(), errors), (&b"hi!"[..], 9));
        let bytes = lenient_base64(b"aGkh\nx", &mut warnings, &mut errors);
        assert_eq!((bytes.as_slice(), errors), (&b"hi!"[..], 10));
    }
}
