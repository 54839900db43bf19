//! Property: whatever a mail says, its escaped form parses (pulldown-cmark, GFM tables on) as
//! plain text only — paragraphs, text, code spans and line breaks, never a heading, list, quote,
//! emphasis, link, image, table or HTML — and the text read back is the text that went in.

use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use casebook::kb::{markdown_block, markdown_inline};

/// Characters that matter to Markdown, plus letters, digits, CJK and newlines.
const ALPHABET: &str = "[a-c0-2 *_`\\[\\]()<>!#&|~\\\\\\-+=.:/@;\"'{}$^%中文\\n]{0,60}";

/// The text a Markdown document shows: text and code spans, a newline per break or paragraph.
/// Fails on any event that is not plain text.
fn read_back(markdown: &str) -> Result<String, String> {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::HardBreak | Event::SoftBreak => out.push('\n'),
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => out.push('\n'),
            other => return Err(format!("{other:?} in {markdown:?}")),
        }
    }
    Ok(out.trim_end_matches('\n').to_string())
}

/// What the escaped block should show: trimmed non-empty lines, one per line.
fn lines(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn escaped_blocks_are_plain_text(text in ALPHABET) {
        let shown = read_back(&markdown_block(&text)).map_err(TestCaseError::fail)?;
        prop_assert_eq!(shown, lines(&text));
    }

    #[test]
    fn escaped_lines_are_plain_text(text in ALPHABET) {
        let shown = read_back(&markdown_inline(&text)).map_err(TestCaseError::fail)?;
        prop_assert_eq!(shown, text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

#[test]
fn unescaped_markup_is_caught_by_read_back() {
    for raw in ["**x**", "# x", "- x", "[a](b)", "<b>x</b>", "> q", "`c`"] {
        let caught = read_back(raw).is_err() || read_back(raw).as_deref() != Ok(raw);
        assert!(caught, "{raw}");
    }
    assert_eq!(read_back(&markdown_inline("`c`")).as_deref(), Ok("`c`"));
}
