//! The human form of a suggestion, in the ticket's language, written so it can be pasted into a
//! reply: matches with their evidence, then remedies, then diagnostics.

use std::fmt::Write;

use super::Suggestion;
use crate::model::Status;

struct Words {
    matches: &'static str,
    remedies: &'static str,
    diagnostics: &'static str,
    shared: &'static str,
    from: &'static str,
    confidence: &'static str,
    none: &'static str,
    resolved: &'static str,
    unresolved: &'static str,
}

const ZH: Words = Words {
    matches: "相似案例",
    remedies: "建议的解决方法",
    diagnostics: "建议的诊断步骤",
    shared: "共同点",
    from: "来自",
    confidence: "可信度",
    none: "（无）",
    resolved: "已解决",
    unresolved: "未解决",
};

const EN: Words = Words {
    matches: "Similar cases",
    remedies: "Suggested remedies",
    diagnostics: "Suggested diagnostics",
    shared: "shared",
    from: "from",
    confidence: "confidence",
    none: "(none)",
    resolved: "resolved",
    unresolved: "unresolved",
};

/// Plain text for a terminal or a reply draft.
pub fn text(s: &Suggestion) -> String {
    let w = if s.language == "zh" { &ZH } else { &EN };
    let mut out = String::new();
    let _ = writeln!(out, "{}:", w.matches);
    if s.matches.is_empty() {
        let _ = writeln!(out, "  {}", w.none);
    }
    for (i, m) in s.matches.iter().enumerate() {
        let status = match m.status {
            Status::Resolved => w.resolved,
            Status::Unresolved => w.unresolved,
        };
        let _ = writeln!(
            out,
            "  {}. {}  {}  [{}, {:.2}]",
            i + 1,
            m.id,
            m.title,
            status,
            m.score
        );
        let evidence: Vec<&str> = m
            .why
            .entities
            .iter()
            .chain(&m.why.terms)
            .map(String::as_str)
            .take(8)
            .collect();
        if !evidence.is_empty() {
            let _ = writeln!(out, "     {}: {}", w.shared, evidence.join(", "));
        }
    }
    for (title, items) in [(w.remedies, &s.remedies), (w.diagnostics, &s.diagnostics)] {
        let _ = writeln!(out, "\n{title}:");
        if items.is_empty() {
            let _ = writeln!(out, "  {}", w.none);
        }
        for (i, r) in items.iter().enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, r.text);
            for step in &r.steps {
                let _ = writeln!(out, "     - {step}");
            }
            let _ = writeln!(
                out,
                "     ({} {}; {} {:.2})",
                w.from,
                r.cases.join(", "),
                w.confidence,
                r.confidence
            );
        }
    }
    out
}
