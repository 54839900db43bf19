//! The last PII check before an article is published: any email address or phone number that
//! survived redaction (a number pasted into a step, an address in a log line) is replaced by a
//! placeholder, and the rule that fired is reported.
//!
//! Takes the text of an article field, gives the cleaned text and the names of the rules that
//! fired. The patterns are a table so a user reading `--json` can see which one removed what.

use std::sync::LazyLock;

use crate::rule::Rule;

/// The guard patterns: `(name, pattern, placeholder)`; the name is reported when one fires.
/// Phone matches count only when they stand alone (see [`standalone`]), so that digit runs
/// inside hashes, versions, error codes and case numbers are left alone; Chinese characters count
/// as a boundary because a number often follows one directly (`热线4008180055`).
const RULES: &[(&str, &str, &str)] = &[
    (
        "email",
        r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
        "[email]",
    ),
    // +86 138 1234 5678, 0086-13812345678, 13812345678
    (
        "phone-cn-mobile",
        r"(?:(?:\+|00)86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}",
        "[phone]",
    ),
    // 400-818-0055, 4008180055, 800 123 4567: service hotlines
    (
        "phone-cn-hotline",
        r"[48]00[ \-]?\d{3}[ \-]?\d{4}",
        "[phone]",
    ),
    // 020-12345678, (0756) 1234567
    (
        "phone-cn-landline",
        r"(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?\d{7,8}",
        "[phone]",
    ),
    // +1 (425) 555-0100, +44 20 7946 0958
    (
        "phone-international",
        r"\+\d{1,3}[ \-]?(?:\(\d{1,4}\)[ \-]?)?\d{1,4}(?:[ \-]\d{2,4}){1,4}",
        "[phone]",
    ),
    // (425) 555-0100, 425-555-0100
    (
        "phone-nanp",
        r"(?:\(\d{3}\) ?|\d{3}[\-.])\d{3}[\-.]\d{4}",
        "[phone]",
    ),
];

/// Characters that, placed right before or after a match, show it is part of a longer token.
const JOINERS: &[char] = &['.', '-', '_', '/', '+', '\\', ':', '@'];

static COMPILED: LazyLock<Vec<(Rule, &'static str)>> = LazyLock::new(|| {
    RULES
        .iter()
        .map(|&(name, pattern, placeholder)| (Rule::builtin(name, pattern), placeholder))
        .collect()
});

/// Replaces every email address and phone number in `text`; returns the new text and the names
/// of the rules that fired (one entry per replacement).
pub fn scrub(text: &str) -> (String, Vec<&'static str>) {
    let mut out = text.to_string();
    let mut fired = Vec::new();
    for (rule, placeholder) in COMPILED.iter() {
        if !rule.regex.is_match(&out) {
            continue;
        }
        let mut next = String::with_capacity(out.len());
        let mut last = 0;
        for m in rule.regex.find_iter(&out) {
            if rule.name() != "email" && !standalone(&out, m.start(), m.end()) {
                continue;
            }
            next.push_str(&out[last..m.start()]);
            next.push_str(placeholder);
            fired.push(rule.name());
            last = m.end();
        }
        next.push_str(&out[last..]);
        out = next;
    }
    (out, fired)
}

/// A number is a phone number only when it is not glued to letters, digits or joiners on either
/// side (`0x80070005`, `V2020-L`, a SHA-256 digest, `CAS-06616-G5Z4X1` are not).
fn standalone(text: &str, start: usize, end: usize) -> bool {
    let glued = |c: char| c.is_ascii_alphanumeric() || JOINERS.contains(&c);
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(glued) && !after.is_some_and(glued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phones_are_replaced_with_the_rule_named() {
        let (text, fired) = scrub("电子邮箱： weiliang@cmgos.com 电话：17606669571");
        assert_eq!(text, "电子邮箱： [email] 电话：[phone]");
        assert_eq!(fired, vec!["email", "phone-cn-mobile"]);
        let (text, fired) =
            scrub("致电技术支持热线4008180055。Call +1 (425) 555-0100 or 020-12345678");
        assert_eq!(text, "致电技术支持热线[phone]。Call [phone] or [phone]");
        assert_eq!(
            fired,
            vec![
                "phone-cn-hotline",
                "phone-cn-landline",
                "phone-international"
            ]
        );
    }

    #[test]
    fn codes_hashes_versions_and_dates_are_not_phones() {
        let text = "0x80070005 CAS-06616-G5Z4X1 V2020-L 2022-07-06 16:28 \
                    sha256: C6989F6BB1DDB66023776F00EBB120B2258DD5F7FB891C18C9D172BB9C8CFAB7 \
                    KB5005565 build 19041.1415 10.0.17763.2114";
        assert_eq!(scrub(text), (text.to_string(), vec![]));
    }
}
