//! Segmentation: a cleaned thread in, an (unredacted) `Case` out.
//!
//! Takes a [`CleanThread`] and the `[segment]` config; gives a [`Case`] with each message's role
//! and kind, the problem, analysis, cause, resolution, steps and diagnostics (from an explicit
//! `案例总结`/`Case Summary` block when there is one, else inferred), the status, the entities, the
//! language and a fingerprint. The work is split by question: [`roles`] (who wrote it),
//! [`kinds`] (what it does), [`summary`] (explicit blocks), [`fields`] (inference), [`status`].

pub mod fields;
pub mod kinds;
pub mod learned;
pub mod roles;
pub mod status;
pub mod summary;
pub mod text;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::extract;
use crate::model::{Case, CaseMessage, CleanThread, Confidence, Kind, Message, Role};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentConfig {
    /// Email domains of the support organisation (authors from them are engineers; with any
    /// domain listed, authors from other domains are customers).
    pub support_domains: Vec<String>,
    /// Names of support engineers or teams (matched inside the author's name or address).
    pub engineers: Vec<String>,
    /// The team's own command-line tools, found like the built-in ones (`extract::CLI_TOOLS`).
    pub tools: Vec<String>,
    /// The team's own product names, found like the built-in ones (`extract::PRODUCTS`).
    pub products: Vec<String>,
    /// `tools` and `products` compiled, once per configuration.
    #[serde(skip)]
    inventory: std::sync::OnceLock<extract::Inventory>,
}

impl SegmentConfig {
    fn inventory(&self) -> &extract::Inventory {
        self.inventory
            .get_or_init(|| extract::Inventory::new(&self.tools, &self.products))
    }
}

/// One message as the segmenter's rules see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Turn<'a> {
    pub role: Role,
    pub kind: Kind,
    /// The cleaned text.
    pub text: &'a str,
}

/// Turns a cleaned thread into an (unredacted) case, in named steps: who wrote each message and
/// what it does (`turns`), the title, the status, the summary fields (`summarized`), the
/// messages, the entities and the case id (`identified`), the language (`case_language`).
pub fn segment(ct: &CleanThread, config: &SegmentConfig) -> Case {
    let t = &ct.thread;
    let turns = turns(ct, config);
    let subject = t
        .messages
        .iter()
        .map(|m| m.subject.as_str())
        .find(|s| !s.trim().is_empty())
        .unwrap_or(&t.subject);
    let title = title(subject, &t.subject);
    let outcome = status::status(&turns);
    let fields = summarized(ct, fields::infer(&turns, &title, &outcome));
    let (id, entities) = identified(ct, subject, config);
    Case {
        id,
        language: case_language(&title, ct).to_string(),
        title,
        customer: extract::customer(subject),
        priority: extract::priority(subject),
        status: outcome.status,
        opened: t.messages.iter().find_map(|m| m.date),
        closed: outcome
            .closed_at
            .and_then(|i| t.messages.get(i))
            .and_then(|m| m.date),
        messages: case_messages(ct, &turns),
        confidence: Confidence {
            problem: fields.problem.1,
            analysis: fields.analysis.1,
            cause: fields.cause.1,
            resolution: fields.resolution.1,
            steps: fields.steps.1,
        },
        problem: fields.problem.0,
        analysis: fields.analysis.0,
        cause: fields.cause.0,
        resolution: fields.resolution.0,
        steps: fields.steps.0,
        diagnostics: fields.diagnostics,
        entities,
        fingerprint: fingerprint(&t.messages),
    }
}

/// Each message's role and kind, with its cleaned text.
fn turns<'a>(ct: &'a CleanThread, config: &SegmentConfig) -> Vec<Turn<'a>> {
    let roles = roles::roles(ct, config);
    ct.cleaned
        .iter()
        .zip(&roles)
        .enumerate()
        .map(|(i, (c, role))| Turn {
            role: *role,
            // A forwarded report opens the problem as much as a first mail does.
            kind: kinds::classify(
                &c.text,
                *role,
                c.status_ping,
                i == 0 || roles::is_forwarded_part(&ct.thread.messages, i),
            )
            .0,
            text: &c.text,
        })
        .collect()
}

/// The title of the first non-empty subject, else of the thread's.
fn title(subject: &str, thread_subject: &str) -> String {
    let from_subject = extract::title(subject);
    if from_subject.is_empty() {
        extract::title(thread_subject)
    } else {
        from_subject
    }
}

/// The inferred fields, each replaced by the explicit summary block's (confidence 1.0) where the
/// thread's last block has it. Steps follow the resolution they belong to; a summary resolution
/// without a list keeps the inferred plan's steps.
fn summarized(ct: &CleanThread, inferred: fields::Fields) -> fields::Fields {
    let explicit = ct
        .cleaned
        .iter()
        .rev()
        .find_map(|c| summary::parse(&c.text));
    let pick = |field: summary::Field, inferred: &(String, f32)| -> (String, f32) {
        match explicit.as_ref().map(|s| s.get(field)) {
            Some(text) if !text.is_empty() => (text.to_string(), 1.0),
            _ => inferred.clone(),
        }
    };
    let resolution = pick(summary::Field::Resolution, &inferred.resolution);
    let steps = match text::first_list(&resolution.0) {
        list if !list.is_empty() && resolution.1 >= 1.0 => (list, 1.0),
        _ => inferred.steps.clone(),
    };
    fields::Fields {
        problem: pick(summary::Field::Problem, &inferred.problem),
        analysis: pick(summary::Field::Analysis, &inferred.analysis),
        cause: pick(summary::Field::Cause, &inferred.cause),
        resolution,
        steps,
        ..inferred
    }
}

/// The case's messages: the thread's, with their cleaned text, role and kind.
fn case_messages(ct: &CleanThread, turns: &[Turn]) -> Vec<CaseMessage> {
    ct.thread
        .messages
        .iter()
        .zip(&ct.cleaned)
        .zip(turns)
        .enumerate()
        .map(|(i, ((m, c), turn))| CaseMessage {
            index: i + 1,
            from: m.from.label().to_string(),
            role: turn.role,
            kind: turn.kind,
            date: m.date,
            text: c.text.clone(),
            greeting: c.greeting.clone(),
            // One answer to "is this a ping": the kind, which already weighed the cleaner's
            // resemblance against what the message says.
            status_ping: turn.kind == Kind::StatusPing,
            removed: c.removed.clone(),
            source: m.source.clone(),
        })
        .collect()
}

/// The case id and the entities: the subject's and every message's (built-in rules and the
/// team's inventories), plus the thread's case number. The id is that number (unless it is a
/// thread token), else the subject's first case id, else the thread's id.
fn identified(
    ct: &CleanThread,
    subject: &str,
    config: &SegmentConfig,
) -> (String, crate::model::Entities) {
    let t = &ct.thread;
    let mut entities = extract::entities(subject);
    let subject_case_id = entities.case_ids.first().cloned();
    for c in &ct.cleaned {
        extract::merge(&mut entities, extract::entities(&c.text));
        extract::merge(&mut entities, config.inventory().entities(&c.text));
    }
    let case_number = t
        .case_number
        .clone()
        .filter(|n| !crate::thread::tickets::is_token(n));
    if let Some(n) = &case_number {
        extract::merge(
            &mut entities,
            crate::model::Entities {
                case_ids: vec![n.clone()],
                ..Default::default()
            },
        );
    }
    extract::settle(&mut entities);
    let id = case_number
        .or(subject_case_id)
        .unwrap_or_else(|| t.id.clone());
    (id, entities)
}

/// The language of the title and the cleaned text together.
fn case_language(title: &str, ct: &CleanThread) -> &'static str {
    let all_text: String = std::iter::once(title)
        .chain(ct.cleaned.iter().map(|c| c.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    crate::script::language(&all_text)
}

/// sha256 over the messages' ids (or path, index and date when there is no Message-ID), in
/// thread order: the same thread always gives the same value, a grown thread a new one.
pub fn fingerprint(messages: &[Message]) -> String {
    let mut h = Sha256::new();
    for m in messages {
        match &m.message_id {
            Some(id) => h.update(id.as_bytes()),
            None => {
                h.update(m.source.path.as_bytes());
                h.update([0x1f]);
                h.update(m.source.index.to_string().as_bytes());
                h.update([0x1f]);
                if let Some(d) = m.date {
                    h.update(crate::model::format_date(&d).as_bytes());
                }
            }
        }
        h.update([b'\n']);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
pub(crate) mod tests;
