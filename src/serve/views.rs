//! What the pages show that the stored case does not state directly: where each field came from,
//! a snippet cut into matched and unmatched runs, and the links that add or drop a filter.
//! Pure functions over values; the handlers in `pages` call them.

use crate::model::CaseMessage;

/// The snippet as `(text, matched)` runs, from the hit's byte ranges (ranges that do not fall on
/// character boundaries, overlap or run backwards are skipped).
pub fn segments(snippet: &str, highlights: &[(usize, usize)]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(from, to) in highlights {
        if from < at || to <= from {
            continue;
        }
        let (Some(before), Some(word)) = (snippet.get(at..from), snippet.get(from..to)) else {
            continue;
        };
        if !before.is_empty() {
            out.push((before.to_string(), false));
        }
        out.push((word.to_string(), true));
        at = to;
    }
    if let Some(rest) = snippet.get(at..).filter(|r| !r.is_empty()) {
        out.push((rest.to_string(), false));
    }
    out
}

/// Text without whitespace, so a field and the message it was cut from compare equal however
/// the segmenter re-joined lines.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The message a field's text was taken from: the last message whose cleaned text holds the
/// whole field (a summary block sits in the closing message; a resolution is the last plan that
/// said it), else the one holding most of its lines (ties: the later). `None` for an empty field
/// or one no message holds (an inferred restatement).
pub fn source_of(messages: &[CaseMessage], field: &str) -> Option<usize> {
    let whole = squash(field);
    if whole.is_empty() {
        return None;
    }
    let texts: Vec<(usize, String)> = messages
        .iter()
        .map(|m| (m.index, squash(&m.text)))
        .collect();
    if let Some((index, _)) = texts.iter().rev().find(|(_, t)| t.contains(&whole)) {
        return Some(*index);
    }
    let lines: Vec<String> = field
        .lines()
        .map(squash)
        .filter(|l| l.chars().count() >= 4)
        .collect();
    let mut best: Option<(usize, usize)> = None;
    for (index, text) in &texts {
        let held = lines.iter().filter(|l| text.contains(l.as_str())).count();
        if held > 0 && best.is_none_or(|(n, _)| held >= n) {
            best = Some((held, *index));
        }
    }
    best.map(|(_, index)| index)
}

/// A query string of `pairs` (empty values left out), `?`-prefixed, or `""` when nothing is left.
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut ser = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for (k, v) in pairs {
        if !v.is_empty() {
            ser.append_pair(k, v);
            any = true;
        }
    }
    if any {
        format!("?{}", ser.finish())
    } else {
        String::new()
    }
}

/// A path segment percent-encoded (ids are validated before they get here; this is the belt to
/// that brace).
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Role, Source};

    fn msg(index: usize, text: &str) -> CaseMessage {
        CaseMessage {
            index,
            from: "[engineer-1]".into(),
            role: Role::Engineer,
            kind: Kind::Analysis,
            date: None,
            text: text.into(),
            greeting: None,
            status_ping: false,
            removed: vec![],
            source: Source {
                path: "x".into(),
                index,
            },
        }
    }

    #[test]
    fn snippet_runs() {
        let s = "升级失败的设备 zk_hook.dll end";
        let a = s.find("失败").unwrap();
        let b = s.find("zk_hook.dll").unwrap();
        let runs = segments(s, &[(a, a + "失败".len()), (b, b + 11), (1, 2)]);
        let runs: Vec<(&str, bool)> = runs.iter().map(|(t, m)| (t.as_str(), *m)).collect();
        assert_eq!(
            runs,
            vec![
                ("升级", false),
                ("失败", true),
                ("的设备 ", false),
                ("zk_hook.dll", true),
                (" end", false)
            ]
        );
    }

    #[test]
    fn fields_point_at_the_last_message_that_says_them() {
        let messages = vec![
            msg(1, "请禁用zkcloud。\n然后重启。"),
            msg(2, "好的"),
            msg(
                3,
                "案例总结\n解决方案：\n1）请禁用 zkcloud。\n2）使用升级镜像。",
            ),
        ];
        assert_eq!(source_of(&messages, "请禁用zkcloud。"), Some(3));
        assert_eq!(source_of(&messages, "然后重启。"), Some(1));
        assert_eq!(source_of(&messages, "好的"), Some(2));
        assert_eq!(source_of(&messages, "然后重启。\n没有说过的话"), Some(1));
        assert_eq!(source_of(&messages, "没有说过的话"), None);
        assert_eq!(source_of(&messages, "  "), None);
    }

    #[test]
    fn links() {
        assert_eq!(
            query_string([("q", "升级 失败"), ("status", ""), ("page", "2")]),
            "?q=%E5%8D%87%E7%BA%A7+%E5%A4%B1%E8%B4%A5&page=2"
        );
        assert_eq!(query_string([("q", "")]), "");
        assert_eq!(path_segment("CAS-1/../x"), "CAS-1%2F..%2Fx");
    }
}
