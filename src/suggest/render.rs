//! The human form of a suggestion, in the ticket's language, written so it can be pasted into a
//! reply: matches with their evidence, then remedies, then diagnostics.

use std::fmt::Write;

use super::merge::Merged;
use super::{Match, Suggestion};
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
    abstain: &'static str,
    near_misses: &'static str,
    needed: &'static str,
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
    abstain: "案例库中没有与此工单足够相符的案例（最高可信度 {best}，低于阈值 {threshold}），不建议解决方法。",
    near_misses: "最接近的案例",
    needed: "相近案例需要的诊断信息",
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
    abstain: "No past case matches this ticket well (best confidence {best}, below {threshold}); no remedy is suggested.",
    near_misses: "Closest cases",
    needed: "Diagnostics the closest cases needed",
};

/// Plain text for a terminal: matches with their evidence, remedies, diagnostics; or, when the
/// suggestion abstains, one line saying so, then the closest cases and what they needed.
pub fn text(s: &Suggestion) -> String {
    let w = if s.language == "zh" { &ZH } else { &EN };
    let mut out = String::new();
    if s.abstain {
        let best = s.near_misses.first().map_or(0.0, |m| m.confidence);
        let line = w
            .abstain
            .replace("{best}", &format!("{best:.2}"))
            .replace("{threshold}", &format!("{:.2}", s.threshold));
        let _ = writeln!(out, "{line}\n");
        let _ = writeln!(out, "{}:", w.near_misses);
        matches(&mut out, w, &s.near_misses);
        advice(&mut out, w, &[(w.needed, &s.diagnostics)]);
        return out;
    }
    let _ = writeln!(out, "{}:", w.matches);
    matches(&mut out, w, &s.matches);
    advice(
        &mut out,
        w,
        &[(w.remedies, &s.remedies), (w.diagnostics, &s.diagnostics)],
    );
    out
}

fn matches(out: &mut String, w: &Words, list: &[Match]) {
    if list.is_empty() {
        let _ = writeln!(out, "  {}", w.none);
    }
    for (i, m) in list.iter().enumerate() {
        let status = match m.status {
            Status::Resolved => w.resolved,
            Status::Unresolved => w.unresolved,
        };
        let _ = writeln!(
            out,
            "  {}. {}  {}  [{}, {} {:.2}]",
            i + 1,
            m.id,
            m.title,
            status,
            w.confidence,
            m.confidence
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
}

fn advice(out: &mut String, w: &Words, sections: &[(&str, &Vec<Merged>)]) {
    for (title, items) in sections {
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
}
