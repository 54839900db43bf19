//! What counts as Chinese: one answer for every stage.
//!
//! - [`is_han`]: a Han ideograph (CJK Unified Ideographs, Extensions A–H, Compatibility
//!   Ideographs, and `〇`).
//! - [`is_cjk_letter`]: Han, kana or Hangul: a character that is a unit of text by itself.
//! - [`is_cjk`]: those, and the CJK and full-width punctuation that runs with them
//!   (`，。：「」（）`), where a Latin run inside Chinese prose ends.
//! - [`language`]: `zh` when Han characters are at least a third as many as Latin letters, else
//!   `en`.
//!
//! ```
//! use casebook::script::{is_cjk, is_han, language};
//! assert!(is_han('證') && !is_han('，') && is_cjk('，'));
//! assert_eq!(language("打印机 Epson LQ-630K 乱码"), "zh");
//! assert_eq!(language("Printer prints garbage"), "en");
//! ```

/// A Han ideograph.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

/// A letter of CJK writing: Han, kana (hiragana, katakana) or a Hangul syllable.
pub fn is_cjk_letter(c: char) -> bool {
    is_han(c) || matches!(c as u32, 0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// A character of CJK writing: Han, kana, Hangul, CJK symbols and punctuation, full-width forms.
pub fn is_cjk(c: char) -> bool {
    is_cjk_letter(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

/// `zh` or `en`: the language a text is mostly written in.
pub fn language(text: &str) -> &'static str {
    let han = text.chars().filter(|c| is_han(*c)).count();
    let latin = text.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if han > 0 && han * 3 >= latin {
        "zh"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boundaries_are_pinned() {
        for (c, han, cjk) in [
            ('\u{3006}', false, true),
            ('〇', true, true),
            ('\u{33FF}', false, false),
            ('\u{3400}', true, true),
            ('\u{4DBF}', true, true),
            ('\u{4DC0}', false, false),
            ('一', true, true),
            ('\u{9FFF}', true, true),
            ('\u{A000}', false, false),
            ('\u{F900}', true, true),
            ('\u{FAFF}', true, true),
            ('\u{20000}', true, true),
            ('\u{323AF}', true, true),
            ('\u{323B0}', false, false),
            ('あ', false, true),
            ('한', false, true),
            ('，', false, true),
            ('\u{FFEF}', false, true),
            ('a', false, false),
            ('é', false, false),
        ] {
            assert_eq!(
                (is_han(c), is_cjk(c)),
                (han, cjk),
                "{c:?} U+{:04X}",
                c as u32
            );
            let letter = han || c == 'あ' || c == '한';
            assert_eq!(is_cjk_letter(c), letter, "{c:?} U+{:04X}", c as u32);
        }
    }
}
