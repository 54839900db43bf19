//! Explicit case summaries: the `案例总结` block support writes when closing a case, and the
//! English `Case Summary`. When one is there its sections are the case's fields, verbatim.
//!
//! Takes a message's cleaned text, gives the [`Summary`] sections found after the block's
//! heading. Section headings are a table (`问题定义` → problem, `根本原因` → cause, `Workaround`
//! → resolution …); the first section of each field wins, because CRMs repeat a shorter
//! `问题总结` after the real `问题定义`.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{is_courtesy, re};

/// Which case field a summary section fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Problem,
    Analysis,
    Cause,
    Resolution,
}

/// Section headings and the field each fills. Longer headings first so `问题分析过程` is not
/// read as `问题`.
const HEADINGS: &[(&str, Field)] = &[
    ("问题定义", Field::Problem),
    ("問題定義", Field::Problem),
    ("問題描述", Field::Problem),
    ("問題分析過程", Field::Analysis),
    ("根本原因", Field::Cause),
    ("解決方案", Field::Resolution),
    ("解決辦法", Field::Resolution),
    ("问题描述", Field::Problem),
    ("问题现象", Field::Problem),
    ("问题总结", Field::Problem),
    ("问题分析过程", Field::Analysis),
    ("问题分析", Field::Analysis),
    ("分析过程", Field::Analysis),
    ("排查过程", Field::Analysis),
    ("问题原因", Field::Cause),
    ("根因", Field::Cause),
    ("原因", Field::Cause),
    ("解决方案", Field::Resolution),
    ("解决办法", Field::Resolution),
    ("解决方法", Field::Resolution),
    ("处理方法", Field::Resolution),
    ("Problem Description", Field::Problem),
    ("Problem Statement", Field::Problem),
    ("Problem", Field::Problem),
    ("Symptoms", Field::Problem),
    ("Symptom", Field::Problem),
    ("Issue", Field::Problem),
    ("Analysis", Field::Analysis),
    ("Troubleshooting", Field::Analysis),
    ("Investigation", Field::Analysis),
    ("Root Cause", Field::Cause),
    ("Cause", Field::Cause),
    ("Resolution", Field::Resolution),
    ("Solution", Field::Resolution),
    ("Workaround", Field::Resolution),
    ("Fix", Field::Resolution),
];

/// The line that opens a summary block.
static START: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:#+\s*)?(?:[*_]{2})?(?:案例总结|案例總結|case summary|summary of the case)\s*[:：]?\s*(?:[*_]{2})?\s*[:：]?\s*$",
    )
});

/// A section heading line: `问题定义：`, `Root Cause:` (text may follow on the same line).
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    let names: Vec<String> = HEADINGS.iter().map(|(h, _)| regex::escape(h)).collect();
    re(&format!(
        r"(?i)^\s*(?:[-•]\s*|#+\s*)?(?:[*_]{{2}})?({})\s*(?:[*_]{{2}})?\s*(?:[:：]\s*(?:[*_]{{2}})?\s*(.*)|$)",
        names.join("|")
    ))
});

/// Lines that end the last section: the letter's sign-off resumes after the block.
static END: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:-{2,}|={2,}|_{2,})\s*$"));

/// The sections of a summary block; empty strings for fields it does not have.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub problem: String,
    pub analysis: String,
    pub cause: String,
    pub resolution: String,
}

impl Summary {
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Problem => &self.problem,
            Field::Analysis => &self.analysis,
            Field::Cause => &self.cause,
            Field::Resolution => &self.resolution,
        }
    }

    fn slot(&mut self, field: Field) -> &mut String {
        match field {
            Field::Problem => &mut self.problem,
            Field::Analysis => &mut self.analysis,
            Field::Cause => &mut self.cause,
            Field::Resolution => &mut self.resolution,
        }
    }
}

fn field_of(heading: &str) -> Option<Field> {
    HEADINGS
        .iter()
        .find(|(h, _)| h.eq_ignore_ascii_case(heading))
        .map(|(_, f)| *f)
}

/// The summary block of `text`, when it has one with at least one section.
pub fn parse(text: &str) -> Option<Summary> {
    let mut lines = text.lines().skip_while(|l| !START.is_match(l));
    lines.next()?;
    let mut sections: Vec<(Field, Vec<&str>)> = Vec::new();
    for line in lines {
        let trimmed = line.trim();
        if let Some(c) = HEADING.captures(trimmed) {
            let Some(field) = c.get(1).and_then(|h| field_of(h.as_str())) else {
                continue;
            };
            let rest = c.get(2).map(|m| m.as_str().trim()).unwrap_or("");
            sections.push((field, if rest.is_empty() { vec![] } else { vec![rest] }));
            continue;
        }
        if END.is_match(trimmed) && sections.is_empty() {
            continue; // the `----` rule right under the heading
        }
        if let Some((_, body)) = sections.last_mut() {
            body.push(trimmed);
        }
    }
    if sections.is_empty() {
        return None;
    }
    let mut summary = Summary::default();
    for (field, body) in sections {
        let text = section_text(&body);
        let slot = summary.slot(field);
        if slot.is_empty() {
            *slot = text;
        }
    }
    Some(summary)
}

/// A section's lines, up to a closing rule or the sign-off, without blank and courtesy lines
/// at its end.
fn section_text(body: &[&str]) -> String {
    let mut lines: Vec<&str> = body
        .iter()
        .copied()
        .take_while(|l| !END.is_match(l))
        .collect();
    while lines.last().is_some_and(|l| l.is_empty() || is_courtesy(l)) {
        lines.pop();
    }
    lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_block_first_section_of_a_field_wins() {
        let s = parse(
            "感谢您的回复。\n案例总结：\n----\n问题定义：\n工行广东分行有设备升级V2020-L失败。\n\
             问题总结：\n最终用户确认问题已经解决，可以关闭案例。\n问题分析过程：\n\
             发现setuphost.exe加载了zk_hook.dll文件。\n请进行以下升级测试：\n1）禁用zkcloud\n\
             以上，如您后续有任何问题，可随时与我们联系，谢谢。",
        );
        assert_eq!(
            s,
            Some(Summary {
                problem: "工行广东分行有设备升级V2020-L失败。".into(),
                analysis:
                    "发现setuphost.exe加载了zk_hook.dll文件。\n请进行以下升级测试：\n1）禁用zkcloud"
                        .into(),
                cause: String::new(),
                resolution: String::new(),
            })
        );
    }

    #[test]
    fn english_block_with_inline_sections() {
        let s = parse(
            "Case Summary\nProblem Description: Clients fail with 0x80090325.\nRoot Cause: The \
             intermediate CA certificate was missing.\nResolution:\n1. Import the intermediate \
             certificate\n2. Restart the service\n",
        )
        .unwrap_or_default();
        assert_eq!(s.problem, "Clients fail with 0x80090325.");
        assert_eq!(s.cause, "The intermediate CA certificate was missing.");
        assert_eq!(
            s.resolution,
            "1. Import the intermediate certificate\n2. Restart the service"
        );
    }

    #[test]
    fn markdown_and_traditional_headings() {
        let s = parse("**Case Summary:**\n**Root Cause:** The index was corrupted.\n## Resolution\n1. Rebuild it")
            .unwrap_or_default();
        assert_eq!(s.cause, "The index was corrupted.");
        assert_eq!(s.resolution, "1. Rebuild it");
        let t = parse("案例總結：\n問題描述：終端無法連線。\n解決方案：新增 option 43。")
            .unwrap_or_default();
        assert_eq!(t.problem, "終端無法連線。");
        assert_eq!(t.resolution, "新增 option 43。");
    }

    #[test]
    fn no_block_no_summary() {
        assert_eq!(parse("问题定义：只是一句话"), None);
        assert_eq!(parse("案例总结：\n谢谢"), None);
    }
}
