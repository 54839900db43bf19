//! People a text names without a header, greeting or signature to point at them.
//!
//! - **Given names** in running English (`Ask Ben Carter's team`, `(Jenny Alvarez, Rob Kim, and
//!   two temps)`, `Tom can help`): a common given name, with the capitalised surname after it.
//!   The names are a gazetteer (data); ones that are also everyday words (`Will`, `May`, `Mark`)
//!   are left out, since a missed first name costs less than a sentence with holes.
//! - **Display names** before an address (`NetCare 技術支援 <support@…>`): whoever a mailbox
//!   belongs to, a person or a team, is identity.
//! - **Titled names** at the end of a line (`运维工程师 彭宇`, `INC0060455 - 工程师 黄伟 添加了备注`):
//!   a Han name after a job title.
//! - **Journal headers** (`2026-06-08 12:01:33 PDT - Marisol Vega`): the author of a helpdesk
//!   comment.

use std::sync::LazyLock;

use regex::Regex;

use super::names::{is_han_name, is_latin_name, variants};
use super::re;

/// Common given names of many languages, one per line in `given_names.txt`.
static GIVEN_NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    include_str!("given_names.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

static GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    // Longest first, so `Tomas` is not read as `Tom` glued to `as`; the boundaries are tested
    // by hand, since `Sebastián` ends in a letter ASCII does not know.
    let mut names = GIVEN_NAMES.clone();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let names = names.join("|");
    re(&format!(
        r"(?:^|[^\p{{L}}\p{{N}}_])((?:{names}))(?:[ \t]+(\p{{Lu}}\p{{Ll}}+(?:-\p{{Lu}}\p{{Ll}}+)?))?"
    ))
});

/// A signature line of a placeholder and the rest of a name (`[customer-1] Wanqing`).
static AFTER_PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)^\s*\[(?:customer|engineer)-\d+\]\s+(\p{Lu}[\p{Ll}]+(?:\s+\p{Lu}[\p{Ll}]+)?)\s*$")
});

/// Names left on a signature line beside an author's placeholder, in redacted `text`.
pub fn beside_placeholder(text: &str) -> Vec<String> {
    AFTER_PLACEHOLDER
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().to_string())
        .filter(|n| is_latin_name(n))
        .collect()
}

/// A given name written in lower case where only a name stands: alone on a line (a sign-off),
/// or after thanks or a salutation (`thanks britt,`).
static LOWER_GIVEN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?im)(?:^[ \t]*|(?-u:\b)(?:thanks|thank you|thx|cheers|hi|hey|hello|dear)[ \t]+)([a-z]{2,12})[ \t]*(?:[,!.]|$)",
    )
});

/// Given names in `text`, each with the surname written after it.
pub fn given_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in LOWER_GIVEN.captures_iter(text) {
        if let Some(m) = c.get(1) {
            let word = m.as_str();
            if GIVEN_NAMES.iter().any(|g| g.eq_ignore_ascii_case(word)) {
                out.push(word.to_string());
            }
        }
    }
    for c in GIVEN.captures_iter(text) {
        let Some(first) = c.get(1) else { continue };
        // `Kim`: a given name glued to a word is part of a token (`KimCo`, `Tom's` is fine).
        let glued = text[first.end()..]
            .chars()
            .next()
            .is_some_and(|ch| ch.is_alphanumeric());
        if glued {
            continue;
        }
        out.extend(variants(first.as_str()));
        if let Some(last) = c.get(2) {
            let full = format!("{} {}", first.as_str(), last.as_str());
            if is_latin_name(&full) {
                out.extend(variants(&full));
            }
        }
    }
    out
}

static DISPLAY_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(?m)(?:^|[:：,;，；]\s*)"?([^\n<>:：,;，；"\[\]]{2,40}?)"?\s*<[^<>\s@]+@[^<>\s]+>"#)
});

/// The display names written before addresses in `text`.
pub fn display_names(text: &str) -> Vec<String> {
    DISPLAY_NAME
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().trim().to_string())
        .filter(|n| n.chars().any(char::is_alphabetic) && !n.starts_with('['))
        .collect()
}

/// A job title, then a Han name at the end of a line or before a helpdesk verb.
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)(?:工程师|工程師|客服|顾问|顧問|经理|經理|专员|專員|主管|助理|技术员|技術員|支持|支援|服务台|服務台|值班)\s*([\p{Han}]{2,3})(?:\s*$|\s+(?:添加|新增|评论|評論|回复|回覆|关闭|關閉|解决|解決|更新|留言))",
    )
});

static JOURNAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)^\s*\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[A-Z]{2,5})?\s+-\s+([^\n()（）]{2,40}?)\s*(?:[(（][^\n]*[)）])?\s*$",
    )
});

/// Names after job titles and in helpdesk journal headers.
pub fn titled_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = TITLED
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().to_string())
        .filter(|n| is_han_name(n))
        .flat_map(|n| variants(&n))
        .collect();
    out.extend(
        JOURNAL
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().trim().to_string())
            .filter(|n| is_latin_name(n) || is_han_name(n))
            .flat_map(|n| variants(&n)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_named_in_running_text() {
        let got = given_names("Ask Ben Carter's team; affected: (Jenny Alvarez, Rob Kim, and two temps). Will it work?");
        for want in ["Ben Carter", "Ben", "Jenny Alvarez", "Rob Kim", "Rob"] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        assert!(!got.iter().any(|g| g == "Will"));
        assert_eq!(
            display_names("收件者: NetCare 技術支援 <help@netcare.example>"),
            ["NetCare 技術支援"]
        );
        assert_eq!(
            titled_names("运维工程师 彭宇\nINC0060455 - 工程师 黄伟 添加了备注：\n2026-06-08 12:01:33 PDT - Marisol Vega\n"),
            [
                "彭宇", "彭先生", "彭女士", "彭小姐", "彭老师", "彭老師", "彭经理", "彭經理", "黄伟",
                "黄先生", "黄女士", "黄小姐", "黄老师", "黄老師", "黄经理", "黄經理", "Marisol Vega",
                "Marisol", "Vega"
            ]
        );
    }
}
