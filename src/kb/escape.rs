//! Escaping for what the templates interpolate: mail text made literal in Markdown, values made
//! safe as YAML scalars in the front matter.
//!
//! Takes raw field text (a subject, a cause, a step) and gives text that renders as exactly those
//! characters: no emphasis, no heading, no list, no HTML, no link. Escaping is by backslash, which
//! CommonMark allows before any ASCII punctuation; URLs become code spans, because GitHub-flavoured
//! renderers turn a bare `http://…` or `www.…` into a link whatever we escape around it.

use std::sync::LazyLock;

use regex::Regex;

/// A URL as GFM's autolink extension would see it (ASCII URL characters only, so the Chinese
/// text that often follows one without a space stays outside).
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
        .expect("static regex")
});

/// Characters that start or end inline markup anywhere in a line.
const INLINE_SPECIALS: &[char] = &['\\', '`', '*', '[', ']', '<', '>', '|', '~', '&'];

/// Characters that start a block (heading, list, quote, setext underline) at a line's start.
const LINE_START_SPECIALS: &[char] = &['#', '-', '+', '=', '>', '*'];

/// Escapes multi-line text as Markdown blocks: each line keeps its place (joined by hard breaks),
/// blank lines separate paragraphs. Lines are trimmed so leading spaces cannot make a code block
/// and trailing ones cannot make a break of their own.
pub fn markdown_block(text: &str) -> String {
    let mut paragraphs: Vec<Vec<String>> = vec![Vec::new()];
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if paragraphs.last().is_some_and(|p| !p.is_empty()) {
                paragraphs.push(Vec::new());
            }
        } else if let Some(p) = paragraphs.last_mut() {
            p.push(escape_line(line));
        }
    }
    paragraphs
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.join("\\\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Escapes text for one line of Markdown (a heading, a list item, a table cell): whitespace runs,
/// newlines included, become one space.
pub fn markdown_inline(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_line(&line)
}

/// Escapes one line as it is (no trimming, so a `", "` joiner keeps its space): URLs become code
/// spans, the rest is escaped character by character.
pub fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut last = 0;
    for m in URL.find_iter(line) {
        let url = trim_url(m.as_str());
        escape_text(&line[last..m.start()], last == 0, &mut out);
        out.push_str(&code_span(url));
        last = m.start() + url.len();
    }
    escape_text(&line[last..], last == 0, &mut out);
    out
}

/// Trailing sentence punctuation and an unbalanced `)` belong to the prose, not to the URL (the
/// same rule GFM applies when it autolinks).
fn trim_url(url: &str) -> &str {
    let mut url = url;
    loop {
        let opens = url.matches('(').count();
        let closes = url.matches(')').count();
        let trimmed = match url.chars().next_back() {
            Some('.' | ',' | ';' | ':' | '!' | '?' | '\'') => &url[..url.len() - 1],
            Some(')') if closes > opens => &url[..url.len() - 1],
            _ => return url,
        };
        url = trimmed;
    }
}

fn escape_text(text: &str, at_line_start: bool, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    // An ordered-list marker is 1–9 digits then `.` or `)` at the start of the line, followed by
    // a space or the end of the line (`2022.7` is a number, `1. x` is a list).
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let list_marker = at_line_start
        && (1..=9).contains(&digits)
        && matches!(chars.get(digits), Some('.') | Some(')'))
        && chars.get(digits + 1).is_none_or(|c| c.is_whitespace());
    for (i, &c) in chars.iter().enumerate() {
        let escape = INLINE_SPECIALS.contains(&c)
            || (at_line_start && i == 0 && LINE_START_SPECIALS.contains(&c))
            || (list_marker && i == digits)
            || (c == '_' && !intraword(&chars, i));
        if escape {
            out.push('\\');
        }
        out.push(match c {
            '\t' => ' ',
            _ => c,
        });
    }
}

/// An underscore between two letters or digits (`zk_hook.dll`) can neither open nor close
/// emphasis, so it is left as is and file names stay readable.
fn intraword(chars: &[char], i: usize) -> bool {
    let before = i.checked_sub(1).and_then(|j| chars.get(j));
    let after = chars.get(i + 1);
    matches!((before, after), (Some(b), Some(a)) if b.is_alphanumeric() && a.is_alphanumeric())
}

/// A code span holding `text` literally: the fence is one backtick longer than the longest run
/// inside it.
pub fn code_span(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A YAML scalar or sequence for the front matter. JSON is a subset of YAML's flow style, so a
/// JSON string (quotes, escapes and all) is a YAML string that no `:` or `#` in it can break.
pub fn yaml<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markup_is_escaped() {
        assert_eq!(
            markdown_inline("**bold** [link](http://x.example) <b>"),
            r"\*\*bold\*\* \[link\](`http://x.example`) \<b\>"
        );
        assert_eq!(markdown_inline("_em_ a_b"), r"\_em\_ a_b");
        assert_eq!(markdown_inline("x & y | z"), r"x \& y \| z");
    }

    #[test]
    fn block_starts_are_escaped_only_at_line_start() {
        assert_eq!(markdown_inline("# title"), r"\# title");
        assert_eq!(markdown_inline("a # b - c"), "a # b - c");
        assert_eq!(
            markdown_block("- item\n1. one\n2) two\n2022.7"),
            "\\- item\\\n1\\. one\\\n2\\) two\\\n2022.7"
        );
        assert_eq!(markdown_block("> quote\n==="), "\\> quote\\\n\\===");
    }

    #[test]
    fn lines_become_hard_breaks_and_blank_lines_paragraphs() {
        assert_eq!(markdown_block("  a\n    b  \n\n\n\nc\n"), "a\\\nb\n\nc");
        assert_eq!(markdown_block("\n \n"), "");
    }

    #[test]
    fn urls_become_code_spans() {
        assert_eq!(
            markdown_inline("见 www.cmgos.com，谢谢"),
            "见 `www.cmgos.com`，谢谢"
        );
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`a"), "`` `a ``");
    }

    #[test]
    fn yaml_values_are_json_quoted() {
        assert_eq!(yaml("a: b # c"), r#""a: b # c""#);
        assert_eq!(yaml(&["x", "y\"z"]), r#"["x","y\"z"]"#);
    }
}
