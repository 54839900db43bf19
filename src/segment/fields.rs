//! Field inference for cases without an explicit summary: problem, analysis, cause, resolution,
//! steps and diagnostics, each with a confidence.
//!
//! Takes the classified messages ([`Turn`]s), the title and the status outcome; gives
//! [`Fields`]. The resolution is the last action plan before the customer's confirmation and
//! after the customer's last "it still fails" — a fix that was tried and failed is not the
//! resolution. Status pings never feed a field.

use std::sync::LazyLock;

use regex::Regex;

use super::kinds::{fires, CLOSES, FAILED, NO_REPLY, PLANS, REQUESTS};
use super::status::Outcome;
use super::text::{content_lines, first_list, fold, join_sentences, numbered, re, sentences};
use super::Turn;
use crate::model::{Kind, Role};

/// Sentences that state a cause.
static CAUSAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)导致|原因是|原因为|根本原因|根因|由于|因为|因此|所以|怀疑|所致|引起|造成|问题在于|已知缺陷|caused by|due to|root cause|because|the reason|results? from|(?:we|i) suspect|known (?:defect|issue|bug)|(?:was|is|were|are) missing|(?:was|is) corrupted|(?:that|this) (?:is|was) the cause|the cause (?:is|was)|, so |therefore|which is why|that is why|过期|過期|到期|忘了|忘记|忘記|漏装|漏裝|没有装|沒有裝|未安装|未安裝|被禁用|是 ?disabled|已损坏|已損壞|损坏了|損壞了|仍是默认|仍是默認|默认不会|默認不會|已知问题|已知問題|不兼容|不相容|不一致|(?:has|had|have) expired|expired (?:on|in|at|last)|\b(?:was|were|is|are|had been|has been) (?:stopped|disabled|reset|deleted|removed|corrupt(?:ed)?|full|unregistered|not (?:installed|running|enabled|approved|renewed))\b|\bships without\b|\brel(?:ies|ied) on\b|\bforgot\b|\bmismatch\b|\bdoes not support\b|\bno longer (?:supports?|matches)\b",
    )
});

/// `, so can two engineers`: "so" meaning "also", which states no cause.
static SO_TOO: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i), so (?:can|do|does|did|is|are|am|have|has|will|would|could|was|were) ")
});

/// Lines where an engineer restates the customer's report (when the report itself is missing).
static RESTATES: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)to recap|as you described|you reported|according to your description|根据您的描述|您反馈的|您提到的|您描述的|来电",
    )
});

/// Requests that only point at an earlier mail (`请您查看回复的邮件`): nothing to collect.
static REFERS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)请您?查看(?:回复|之前|上一封|此前|我们)的?邮件|(?:see|check|refer to) (?:my|our|the) (?:previous|earlier|last) (?:mail|email|message|reply)",
    )
});

/// The inferred fields, with the index of the message each came from where that matters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub problem: (String, f32),
    pub analysis: (String, f32),
    pub cause: (String, f32),
    pub resolution: (String, f32),
    pub steps: (Vec<String>, f32),
    pub diagnostics: Vec<String>,
    /// The message the resolution was taken from.
    pub resolution_at: Option<usize>,
}

/// Where a message's plan begins: the first line with a plan phrase, else its first numbered
/// item 1. Lines before it are the message's analysis.
fn plan_start(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .iter()
        .position(|l| fires(&PLANS, l).is_some())
        .or_else(|| {
            lines
                .iter()
                .position(|l| numbered(l).is_some_and(|(n, _)| n == 1))
        })
}

fn lines_from(text: &str, start: usize) -> String {
    text.lines().skip(start).collect::<Vec<_>>().join("\n")
}

/// The part of an engineer's message that explains rather than asks or instructs: its
/// sentences up to the first request, plan phrase or numbered item.
fn analysis_part(turn: &Turn) -> String {
    let content = content_lines(turn.text);
    let lines: Vec<&str> = content.lines().collect();
    // A list's introducing line (`Please raise the proxy timeouts and test again:`) belongs to
    // the list, not to the explanation.
    let end = lines
        .iter()
        .position(|l| numbered(l).is_some())
        .unwrap_or(lines.len());
    let mut kept: Vec<String> = Vec::new();
    'lines: for (i, line) in lines[..end].iter().enumerate() {
        let intro = i + 1 == end && end < lines.len();
        let mut line_kept = String::new();
        for s in sentences(line) {
            let introduces_list = intro && s.ends_with([':', '：']);
            if introduces_list || fires(&REQUESTS, s).is_some() || fires(&PLANS, s).is_some() {
                if !line_kept.is_empty() {
                    kept.push(line_kept);
                }
                break 'lines;
            }
            line_kept = join_sentences([line_kept.as_str(), s]);
        }
        if !line_kept.is_empty() {
            kept.push(line_kept);
        }
    }
    kept.join("\n")
}

fn is_engineer_content(t: &Turn) -> bool {
    t.role == Role::Engineer && !matches!(t.kind, Kind::StatusPing)
}

pub fn infer(turns: &[Turn], title: &str, outcome: &Outcome) -> Fields {
    let mut f = Fields::default();
    let restated = infer_problem(turns, title, &mut f);
    infer_resolution(turns, outcome, &mut f);
    infer_analysis(turns, restated, &mut f);
    infer_cause(turns, outcome, &mut f);
    f.diagnostics = diagnostics(turns, f.resolution_at);
    f
}

/// The problem: the customer's first report; else support's restatement of it; else the title.
/// Returns the index of the restating message, which then does not count as analysis.
fn infer_problem(turns: &[Turn], title: &str, f: &mut Fields) -> Option<usize> {
    let with_title = |body: String| {
        if body.contains(title) || title.is_empty() {
            body
        } else {
            format!("{title}\n{body}")
        }
    };
    if let Some(report) = turns.iter().find(|t| t.kind == Kind::Report) {
        let body = content_lines(report.text);
        if body.chars().count() >= 10 {
            f.problem = (with_title(body), 0.8);
            return None;
        }
    }
    let restating = turns
        .iter()
        .position(|t| is_engineer_content(t) && RESTATES.is_match(&fold(t.text)));
    if let Some(i) = restating {
        let body = analysis_part(&turns[i]);
        if !body.is_empty() {
            f.problem = (with_title(body), 0.6);
            return Some(i);
        }
    }
    // A customer's later message describes the problem only while nothing was tried yet: a
    // confirmation, a closure or a ping says nothing of it (`问题已解决，请关单。`).
    let first_plan = turns
        .iter()
        .position(|t| t.kind == Kind::ActionPlan)
        .unwrap_or(turns.len());
    if let Some(t) = turns[..first_plan].iter().find(|t| {
        t.role == Role::Customer
            && matches!(t.kind, Kind::Report | Kind::CustomerUpdate)
            && content_lines(t.text).chars().count() >= 10
    }) {
        f.problem = (with_title(content_lines(t.text)), 0.5);
        return None;
    }
    f.problem = (title.to_string(), 0.3);
    None
}

/// The resolution: among the action plans after the customer's last failure report and before
/// the confirmation, the last one with numbered steps, else the last one.
fn infer_resolution(turns: &[Turn], outcome: &Outcome, f: &mut Fields) {
    let Some(boundary) = outcome.confirmed_at else {
        return; // nothing was confirmed to work: no resolution to publish
    };
    let last_failure = turns[..boundary]
        .iter()
        .rposition(|t| t.role == Role::Customer && fires(&FAILED, t.text).is_some());
    let from = last_failure.map_or(0, |i| i + 1);
    let plans: Vec<usize> = (from..boundary)
        .filter(|&i| turns[i].role == Role::Engineer && turns[i].kind == Kind::ActionPlan)
        .collect();
    let with_steps = |i: &usize| !first_list(&plan_text(turns[*i].text)).is_empty();
    let chosen = plans
        .iter()
        .rev()
        .find(|i| with_steps(i))
        .or(plans.last())
        .copied()
        .or_else(|| {
            // No message reads as a plan: the last engineer message with a numbered list.
            (from..boundary)
                .rev()
                .find(|&i| is_engineer_content(&turns[i]) && !first_list(turns[i].text).is_empty())
        });
    // The customer solved it: their confirmation lists the steps they took, or no plan of
    // support's came before it; their own words are the fix.
    let own = &turns[boundary];
    let own_steps = own.role == Role::Customer && first_list(own.text).len() >= 2;
    let chosen = if own_steps { None } else { chosen };
    let Some(i) = chosen else {
        // Support's closure names the fix but no plan was found: take the closure's own words.
        let text = if own_steps {
            plan_text(own.text)
        } else {
            content_lines(own.text)
        };
        let steps = if own_steps {
            first_list(&text)
        } else {
            Vec::new()
        };
        f.steps = (steps.clone(), if steps.is_empty() { 0.0 } else { 0.5 });
        f.resolution = (text, 0.3);
        f.resolution_at = Some(boundary);
        return;
    };
    let text = plan_text(turns[i].text);
    let steps = first_list(&text);
    f.steps = (steps.clone(), if steps.is_empty() { 0.0 } else { 0.8 });
    f.resolution = (text, if plans.contains(&i) { 0.8 } else { 0.5 });
    f.resolution_at = Some(i);
}

fn plan_text(text: &str) -> String {
    content_lines(&lines_from(text, plan_start(text).unwrap_or(0)))
}

/// The analysis: what support explained, message by message, without requests and plans.
fn infer_analysis(turns: &[Turn], restated: Option<usize>, f: &mut Fields) {
    let parts: Vec<String> = turns
        .iter()
        .enumerate()
        .filter(|(i, t)| is_engineer_content(t) && Some(*i) != restated && t.kind != Kind::Closure)
        .map(|(_, t)| analysis_part(t))
        .filter(|p| !p.is_empty())
        .collect();
    if !parts.is_empty() {
        f.analysis = (parts.join("\n"), 0.6);
    }
}

/// A sentence that states a cause: a causal cue, and no no-reply or closing note.
fn states_cause(sentence: &str) -> bool {
    CAUSAL.is_match(&SO_TOO.replace_all(&fold(sentence), " "))
        && fires(&NO_REPLY, sentence).is_none()
        && fires(&CLOSES, sentence).is_none()
}

/// The cause: causal sentences of support's closing words (after the confirmation); else the
/// explanation that came with the resolution (support's final diagnosis); else the latest causal
/// sentences before it. Early hypotheses are reached only when nothing later explains.
fn infer_cause(turns: &[Turn], outcome: &Outcome, f: &mut Fields) {
    let causal = |t: &Turn| -> String {
        join_sentences(
            sentences(&content_lines(t.text))
                .into_iter()
                .filter(|s| states_cause(s)),
        )
    };
    // A customer who confirms often says what it was (`chronyd had been stopped since the
    // restore`): their finding leads, support's diagnosis follows.
    let confirmed = outcome
        .confirmed_at
        .filter(|c| turns[*c].role == Role::Customer)
        .map(|c| causal(&turns[c]))
        .unwrap_or_default();
    let with_confirmed = |found: String| {
        if confirmed.is_empty() || found.contains(&confirmed) {
            found
        } else {
            join_sentences([confirmed.as_str(), found.as_str()])
        }
    };
    if let Some(c) = outcome.confirmed_at {
        for t in turns[c..].iter().filter(|t| is_engineer_content(t)) {
            let found = causal(t);
            if !found.is_empty() {
                f.cause = (with_confirmed(found), 0.6);
                return;
            }
        }
    }
    if let Some(r) = f.resolution_at {
        // A customer who fixed it themselves explains in passing: only their causal sentences.
        let part = if turns[r].role == Role::Engineer {
            analysis_part(&turns[r])
        } else {
            causal(&turns[r])
        };
        if !part.is_empty() {
            f.cause = (with_confirmed(part), 0.5);
            return;
        }
    }
    let end = f
        .resolution_at
        .map(|r| r + 1)
        .or(outcome.confirmed_at)
        .unwrap_or(turns.len());
    let explaining = |t: &&Turn| is_engineer_content(t) && t.kind != Kind::Closure;
    for t in turns[..end].iter().rev().filter(explaining) {
        let found = causal(t);
        if !found.is_empty() {
            f.cause = (with_confirmed(found), 0.3);
            return;
        }
    }
    if !confirmed.is_empty() {
        f.cause = (confirmed, 0.3);
    }
}

/// What support asked the customer to collect or run: request lines and the numbered items
/// under them, outside the resolution's plan.
fn diagnostics(turns: &[Turn], resolution_at: Option<usize>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, t) in turns.iter().enumerate() {
        if !is_engineer_content(t) {
            continue;
        }
        let limit = if Some(i) == resolution_at {
            plan_start(t.text)
        } else {
            None
        };
        let mut in_request = false;
        for line in t.text.lines().take(limit.unwrap_or(usize::MAX)) {
            let line = line.trim();
            if REFERS_BACK.is_match(&fold(line)) {
                in_request = false;
            } else if fires(&REQUESTS, line).is_some() {
                in_request = true;
                // From the asking sentence on: an explanation before it is analysis.
                let parts = sentences(line);
                let from = parts
                    .iter()
                    .position(|s| fires(&REQUESTS, s).is_some())
                    .unwrap_or(0);
                push_unique(&mut out, &join_sentences(parts[from..].iter().copied()));
            } else if in_request && numbered(line).is_some() {
                push_unique(&mut out, line);
            } else if !line.is_empty() {
                in_request = false;
            }
        }
    }
    out
}

fn push_unique(out: &mut Vec<String>, line: &str) {
    let content = content_lines(line);
    if !content.is_empty() && !out.contains(&content) {
        out.push(content);
    }
}

#[cfg(test)]
mod tests {
    use super::states_cause;

    #[test]
    fn so_as_also_states_no_cause() {
        assert!(!states_cause(
            "I can sign in, so can two site engineers I phoned."
        ));
        assert!(states_cause(
            "The cookie domain is hard-coded, so the redirect fails."
        ));
        assert!(states_cause("证书已于 7 月 1 日过期，所以网关拒收。"));
    }
}
