//! Text helpers the segmenter shares: numbered items (`1）`, `1)`, `1.`, `(1)`, `①`, `Step 1`,
//! `第一步`), sentences, and courtesy lines that carry no case content.
//!
//! Takes cleaned message text, gives slices and owned strings; no rules about roles or kinds.

use std::sync::LazyLock;

use regex::Regex;

pub(crate) fn re(pattern: &str) -> Regex {
    // Constant patterns of the segmenter; each module's tests compile all of its patterns.
    crate::rule::Rule::builtin("segment pattern", pattern).regex
}

/// `text` with traditional characters folded to simplified ones, for matching phrase tables
/// (byte offsets are unchanged): the one table of [`crate::index::simplified_text`].
pub fn fold(text: &str) -> String {
    crate::index::simplified_text(text)
}

/// The numbering styles of remedy lists, each with the number group and the text group.
static NUMBERED: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "step_word",
            re(r"^(?i:step|步骤)\s*(\d{1,2})\s*[:：.、)）-]?\s*(.*)$"),
        ),
        (
            "di_n_bu",
            re(r"^第([一二三四五六七八九十]|\d{1,2})步\s*[:：，,、.]?\s*(.*)$"),
        ),
        ("parenthesized", re(r"^[(（](\d{1,2})[)）]\s*(.*)$")),
        ("circled", re(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫])\s*(.*)$")),
        ("digit_mark", re(r"^(\d{1,2})\s*[)）、.:：]\s*(.*)$")),
    ]
});

/// A line's item number and text when it is a numbered item.
pub fn numbered(line: &str) -> Option<(usize, &str)> {
    let line = line.trim();
    for (_, regex) in NUMBERED.iter() {
        let Some(c) = regex.captures(line) else {
            continue;
        };
        let (Some(n), Some(rest)) = (c.get(1), c.get(2)) else {
            continue;
        };
        // `1.5 GB of logs` is a quantity, not item 1.
        if rest.as_str().starts_with(|ch: char| ch.is_ascii_digit()) || rest.as_str().is_empty() {
            continue;
        }
        return item_number(n.as_str()).map(|n| (n, rest.as_str().trim()));
    }
    None
}

fn item_number(mark: &str) -> Option<usize> {
    if let Ok(n) = mark.parse() {
        return Some(n);
    }
    let c = mark.chars().next()?;
    if let Some(i) = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫".chars().position(|x| x == c) {
        return Some(i + 1);
    }
    "一二三四五六七八九十"
        .chars()
        .position(|x| x == c)
        .map(|i| i + 1)
}

/// The first numbered list of `text` (items 1, 2, 3… in order; unnumbered lines between items
/// are detail of the previous item and are skipped).
pub fn first_list(text: &str) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for line in text.lines() {
        match numbered(line) {
            Some((n, rest)) if n == items.len() + 1 => items.push(rest.to_string()),
            Some((1, _)) if !items.is_empty() => break,
            _ => {}
        }
    }
    items
}

/// Sentences of `text`: split at `。！？；` and line ends, and at `. `/`! `/`? ` in Latin text.
pub fn sentences(text: &str) -> Vec<&str> {
    static END: LazyLock<Regex> = LazyLock::new(|| re(r"[。！？；!?]+|\.(?:\s+|$)|\n+"));
    let mut out = Vec::new();
    let mut start = 0;
    for m in END.find_iter(text) {
        let s = text[start..m.end()].trim();
        // `1. Install …`: the item number's period ends no sentence.
        let item_mark = s.len() <= 3
            && s.ends_with('.')
            && s[..s.len() - 1].bytes().all(|b| b.is_ascii_digit())
            && !text[m.start()..m.end()].contains('\n');
        if item_mark {
            continue;
        }
        if !s.is_empty() {
            out.push(s);
        }
        start = m.end();
    }
    let tail = text[start..].trim();
    if !tail.is_empty() {
        out.push(tail);
    }
    out
}

/// Lines that are politeness, not case content: offers of further help, thanks, promises to
/// keep in touch. They are kept in the messages but left out of the fields.
static COURTESY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:以上|谢谢|感谢|多谢|如有|如您|如果针对|在问题处理过程中|有任何进展|欢迎随时|若有|(?:many )?thanks?\b|thank you|sorry for|please (?:let (?:me|us) know|feel free)|if you (?:have|need)|feel free|let me know|looking forward|hope this helps|best regards|regards)",
    )
});

/// A salutation line the cleaner left in the text (`许先生 您好：`, `Hi Anna,`).
static SALUTATION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:.{0,12}您好[:：,，!！]?|(?:hi|hello|dear|hey)\b[^.!?]{0,40}[,，:：!]?)$")
});

pub fn is_courtesy(line: &str) -> bool {
    let line = line.trim();
    COURTESY.is_match(line) || SALUTATION.is_match(line)
}

/// Sentences joined back into one line: a space between two that would otherwise run their
/// Latin letters or digits together (`…17606669571` + `Root cause…`), nothing between Chinese ones.
pub fn join_sentences<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for s in parts {
        let glue = out.ends_with(|c: char| c.is_ascii_graphic())
            && s.starts_with(|c: char| c.is_ascii_alphanumeric());
        if glue {
            out.push(' ');
        }
        out.push_str(s);
    }
    out
}

/// `text` without courtesy sentences and blank lines, lines joined by `\n`. Works sentence by
/// sentence because English mails open content lines with thanks (`Thanks for the data. The
/// crash is inside…`).
pub fn content_lines(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let kept = join_sentences(sentences(line).into_iter().filter(|s| !is_courtesy(s)));
        if !kept.is_empty() {
            out.push(kept);
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_offsets() {
        let t = "問題已解決，感謝協助。";
        assert_eq!(fold(t), "问题已解决，感谢协助。");
        assert_eq!(fold(t).len(), t.len());
    }

    #[test]
    fn every_numbering_style() {
        assert_eq!(
            numbered("1）禁用zkcloud相关应用"),
            Some((1, "禁用zkcloud相关应用"))
        );
        assert_eq!(numbered("2) Rebind"), Some((2, "Rebind")));
        assert_eq!(numbered("3. Restart"), Some((3, "Restart")));
        assert_eq!(numbered("(1) Install"), Some((1, "Install")));
        assert_eq!(numbered("（2）重启"), Some((2, "重启")));
        assert_eq!(numbered("② 验证"), Some((2, "验证")));
        assert_eq!(
            numbered("Step 3: Test a session"),
            Some((3, "Test a session"))
        );
        assert_eq!(numbered("第二步：重启终端"), Some((2, "重启终端")));
        assert_eq!(numbered("1.5 GB of logs"), None);
        assert_eq!(numbered("2022年7月6日"), None);
    }

    #[test]
    fn first_list_keeps_order_and_skips_detail_lines() {
        let text = "请进行以下升级测试：\n1）禁用zkcloud相关应用和服务。\n说明行\n2）使用升级镜像验证离线升级。\n然后\n1) another list";
        assert_eq!(
            first_list(text),
            ["禁用zkcloud相关应用和服务。", "使用升级镜像验证离线升级。"]
        );
    }

    #[test]
    fn sentences_split_in_both_scripts() {
        assert_eq!(
            sentences("初步怀疑镜像有问题。请校验Hash值！The cause is X. Next"),
            [
                "初步怀疑镜像有问题。",
                "请校验Hash值！",
                "The cause is X.",
                "Next"
            ]
        );
        assert_eq!(
            sentences("1. 门户日志。2. Next"),
            ["1. 门户日志。", "2. Next"]
        );
    }

    #[test]
    fn joined_sentences_keep_tokens_apart() {
        assert_eq!(
            join_sentences(["请拨打 17606669571", "Root cause:", "原因。", "下一句。"]),
            "请拨打 17606669571 Root cause:原因。下一句。"
        );
    }

    #[test]
    fn courtesy_lines_are_dropped_from_content() {
        assert_eq!(
            content_lines("发现A。\n如果针对当前案例还有需要我们帮助的地方, 欢迎随时联系我们。\nThanks,\nThanks for the data. The crash is in X. See Y."),
            "发现A。\nThe crash is in X. See Y."
        );
    }
}
