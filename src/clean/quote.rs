//! Quoted history: where the earlier mails a reply carries begin.
//!
//! Takes the body's trimmed lines and the rules; gives the first line of the quoted history (with
//! the rule that found it), and the runs of `>`-prefixed lines. A header line alone is not enough
//! for an Outlook block: `From:` must be followed by `Sent:`/`To:`/`Subject:` (or `发件人:` by
//! `发送时间:`…) within a few lines, so a sentence starting with "From:" in the author's text stays.

use super::rules::{first_match, Rule, Rules};

/// How far below `From:` the next header fields may stand (Outlook puts them on consecutive
/// lines; some clients leave a blank or wrap a long address).
const HEADER_REACH: usize = 3;

/// The index where quoted history starts and the rule that matched, if any.
pub fn quote_start<'r>(lines: &[String], rules: &'r Rules) -> Option<(usize, &'r Rule)> {
    for i in 0..lines.len() {
        let line = lines[i].as_str();
        if line.is_empty() {
            continue;
        }
        if let Some(rule) = first_match(&rules.quote_headers, line) {
            return Some((i, rule));
        }
        // `On <date>, <name> <address>` wrapped before `wrote:` by a 78-column client.
        let wrapped = lines
            .get(i + 1)
            .filter(|next| next.ends_with(':') || next.ends_with('：'));
        if let Some(next) = wrapped {
            let joined = format!("{line} {next}");
            if let Some(rule) = first_match(&rules.quote_headers, &joined) {
                if rule.name == "on-wrote" || rule.name == "zh-wrote" {
                    return Some((i, rule));
                }
            }
        }
        if rules.header_from.regex.is_match(line) && header_block_follows(lines, i, rules) {
            return Some((extend_over_bar(lines, i, rules), &rules.header_from));
        }
    }
    None
}

/// `From:` opens a header block when an address stands on it and one more header field
/// follows, or when two more fields follow ("From: nas01 / To: nas02" in a plan is content).
fn header_block_follows(lines: &[String], from: usize, rules: &Rules) -> bool {
    let fields = lines
        .iter()
        .skip(from + 1)
        .take(HEADER_REACH + 1)
        .filter(|l| rules.header_fields.regex.is_match(l))
        .count();
    fields >= 2 || (fields == 1 && lines[from].contains('@'))
}

/// Outlook draws a `____` bar right above the header block; it belongs to the quote.
fn extend_over_bar(lines: &[String], start: usize, rules: &Rules) -> usize {
    let above = (0..start).rev().find(|&j| !lines[j].is_empty());
    match above {
        Some(j) if first_match(&rules.bars, &lines[j]).is_some() => j,
        _ => start,
    }
}

/// Runs of lines starting with `>` (each run as a start..end range), wherever they stand.
pub fn marker_runs(lines: &[String], keep: &[bool]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if keep[i] && lines[i].starts_with('>') {
            let start = i;
            while i < lines.len() && keep[i] && lines[i].starts_with('>') {
                i += 1;
            }
            runs.push(start..i);
        } else {
            i += 1;
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.lines().map(|l| l.trim().to_string()).collect()
    }

    #[test]
    fn finds_each_kind_of_header() {
        let r = Rules::default();
        let cases = [
            ("a\n\t-----原始邮件-----\nb", 1, "original-message"),
            ("a\n-----Original Message-----", 1, "original-message"),
            (
                "a\n\nOn Fri, 4 Aug 2023 at 11:15, Kenji <k@x.example> wrote:\n> hi",
                2,
                "on-wrote",
            ),
            (
                "a\nOn Wed, Jun 14, 2023 at 8:15 AM Tom Becker <\ntom@x.example> wrote:",
                1,
                "on-wrote",
            ),
            (
                "a\n在 2023年4月12日 15:20，刘镕 <l@x.example> 写道：",
                1,
                "zh-wrote",
            ),
            (
                "a\n发件人: 王 <w@x>\n发送时间: 2023年2月13日\n收件人: 林",
                1,
                "outlook-header",
            ),
            (
                "a\n\n________________________________\n发件人: 刘镕 <l@x.example>\n发送时间: x",
                2,
                "outlook-header",
            ),
            (
                "a\nFrom: Claire <c@x>\nSent: Monday\nTo: J",
                1,
                "outlook-header",
            ),
            (
                "a\n---------- Forwarded message ---------\nFrom: x",
                1,
                "forwarded-message",
            ),
        ];
        for (text, at, name) in cases {
            let (i, rule) = quote_start(&lines(text), &r).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((i, rule.name()), (at, name), "{text}");
        }
    }

    #[test]
    fn a_lone_from_line_is_content() {
        let r = Rules::default();
        assert!(
            quote_start(&lines("Migration plan:\nFrom: nas01\nTo: nas02\nDone."), &r).is_none()
        );
        assert!(quote_start(&lines("From: the nginx log on the proxy\nit fails"), &r).is_none());
        assert!(quote_start(&lines("On Monday we restarted it."), &r).is_none());
    }

    #[test]
    fn marker_runs_group_consecutive_quoted_lines() {
        let l = lines("a\n> b\n> c\nd\n>e");
        assert_eq!(marker_runs(&l, &[true; 5]), vec![1..3, 4..5]);
    }
}
