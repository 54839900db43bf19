//! Query syntax: what an engineer types, cut into the parts the query builder needs.
//!
//! - free words: `DISM 升级`;
//! - `"quoted phrases"` (an unclosed quote runs to the end);
//! - `-word` or `-"a phrase"`: cases containing it are left out;
//! - `field:value` (or `field:"two words"`) for the keyed fields in [`FIELDS`]: `status:resolved`,
//!   `customer:ICBC`, `code:0x800F081F`, `file:zk_hook.dll`, `lang:zh`, `product:HXDM`.
//!
//! A `name:value` whose name is not a known field is ordinary text (`C:\Windows`, `http://…`),
//! and a `-` inside a word (`CAS-06616`, `V2020-L`) is part of the word.

/// The keyed fields a query can name, with the names it may use for each.
pub const FIELDS: &[(Key, &[&str])] = &[
    (Key::Status, &["status"]),
    (Key::Customer, &["customer"]),
    (Key::ErrorCode, &["code", "error"]),
    (Key::File, &["file"]),
    (Key::Lang, &["lang", "language"]),
    (Key::Product, &["product"]),
];

/// A keyed field of the index (values matched whole, case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Status,
    Customer,
    ErrorCode,
    File,
    Lang,
    Product,
}

/// Text to match: free words or one phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Words(String),
    Phrase(String),
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// What the cases should contain, in order.
    pub include: Vec<Part>,
    /// What they must not contain.
    pub exclude: Vec<Part>,
    /// `field:value` filters.
    pub keyed: Vec<(Key, String)>,
}

/// Cuts `query` into its parts. Never fails: anything it cannot read is text.
pub fn parse(query: &str) -> Parsed {
    let mut out = Parsed::default();
    let mut words = String::new();
    let chars: Vec<char> = query.chars().collect();
    let mut i = 0;
    let flush = |words: &mut String, out: &mut Parsed| {
        if !words.trim().is_empty() {
            out.include.push(Part::Words(std::mem::take(words)));
        }
        words.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        let at_word_start = i == 0 || chars[i - 1].is_whitespace();
        if c == '"' {
            let (text, next) = quoted(&chars, i + 1);
            flush(&mut words, &mut out);
            out.include.push(Part::Phrase(text));
            i = next;
            continue;
        }
        if at_word_start && !c.is_whitespace() {
            let end = word_end(&chars, i);
            let word: String = chars[i..end].iter().collect();
            if c == '-' && word.len() > 1 {
                let (part, next) = if chars[i + 1] == '"' {
                    let (text, next) = quoted(&chars, i + 2);
                    (Part::Phrase(text), next)
                } else {
                    (Part::Words(chars[i + 1..end].iter().collect()), end)
                };
                out.exclude.push(part);
                i = next;
                continue;
            }
            if let Some((key, value_start)) = keyed(&word) {
                let start = i + value_start;
                let (value, next) = if chars.get(start) == Some(&'"') {
                    quoted(&chars, start + 1)
                } else {
                    (chars[start..end].iter().collect(), end)
                };
                if !value.trim().is_empty() {
                    out.keyed.push((key, value.trim().to_string()));
                }
                i = next;
                continue;
            }
        }
        words.push(c);
        i += 1;
    }
    flush(&mut words, &mut out);
    out
}

/// The text up to the closing quote (or the end) from `start`, and the index after the quote.
fn quoted(chars: &[char], start: usize) -> (String, usize) {
    let end = chars[start.min(chars.len())..]
        .iter()
        .position(|&c| c == '"')
        .map_or(chars.len(), |n| start + n);
    let text = chars[start.min(end)..end].iter().collect();
    (text, (end + 1).min(chars.len()))
}

fn word_end(chars: &[char], start: usize) -> usize {
    chars[start..]
        .iter()
        .position(|c| c.is_whitespace())
        .map_or(chars.len(), |n| start + n)
}

/// `Some((key, chars before the value))` when `word` starts with a known `name:`.
fn keyed(word: &str) -> Option<(Key, usize)> {
    let (name, _) = word.split_once(':')?;
    let lower = name.to_lowercase();
    FIELDS
        .iter()
        .find(|(_, names)| names.contains(&lower.as_str()))
        .map(|&(key, _)| (key, name.chars().count() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_exclusions_and_fields() {
        let p = parse("升级 \"DISM 初始化\" -zkcloud status:resolved code:0x800F081F");
        assert_eq!(
            p.include,
            vec![
                Part::Words("升级 ".into()),
                Part::Phrase("DISM 初始化".into())
            ]
        );
        assert_eq!(p.exclude, vec![Part::Words("zkcloud".into())]);
        assert_eq!(
            p.keyed,
            vec![
                (Key::Status, "resolved".into()),
                (Key::ErrorCode, "0x800F081F".into())
            ]
        );
    }

    #[test]
    fn quoted_values_and_excluded_phrases() {
        let p = parse("customer:\"Tidewater Bank\" -\"access denied\" backup");
        assert_eq!(p.keyed, vec![(Key::Customer, "Tidewater Bank".into())]);
        assert_eq!(p.exclude, vec![Part::Phrase("access denied".into())]);
        assert_eq!(p.include, vec![Part::Words("  backup".into())]);
    }

    #[test]
    fn dashes_and_colons_inside_words_are_text() {
        let p = parse("CAS-06616 V2020-L C:\\Windows http://x.example -");
        assert!(p.exclude.is_empty() && p.keyed.is_empty());
        assert_eq!(
            p.include,
            vec![Part::Words(
                "CAS-06616 V2020-L C:\\Windows http://x.example -".into()
            )]
        );
        assert_eq!(parse("LANG:en").keyed, vec![(Key::Lang, "en".into())]);
    }
}
