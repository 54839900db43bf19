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

/// Turns a cleaned thread into an (unredacted) case.
pub fn segment(ct: &CleanThread, config: &SegmentConfig) -> Case {
    let t = &ct.thread;
    let roles = roles::roles(ct, config);
    let turns: Vec<Turn> = ct
        .cleaned
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
                i == 0 || roles::is_forwarded_part(&t.messages, i),
            )
            .0,
            text: &c.text,
        })
        .collect();
    let subject = t
        .messages
        .iter()
        .map(|m| m.subject.as_str())
        .find(|s| !s.trim().is_empty())
        .unwrap_or(&t.subject);
    let title = {
        let from_subject = extract::title(subject);
        if from_subject.is_empty() {
            extract::title(&t.subject)
        } else {
            from_subject
        }
    };
    let outcome = status::status(&turns);
    let inferred = fields::infer(&turns, &title, &outcome);
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
    let problem = pick(summary::Field::Problem, &inferred.problem);
    let analysis = pick(summary::Field::Analysis, &inferred.analysis);
    let cause = pick(summary::Field::Cause, &inferred.cause);
    let resolution = pick(summary::Field::Resolution, &inferred.resolution);
    // Steps follow the resolution they belong to; a summary resolution without a list keeps the
    // inferred plan's steps.
    let steps = match text::first_list(&resolution.0) {
        list if !list.is_empty() && resolution.1 >= 1.0 => (list, 1.0),
        _ => inferred.steps.clone(),
    };

    let messages: Vec<CaseMessage> = t
        .messages
        .iter()
        .zip(&ct.cleaned)
        .zip(&turns)
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
        .collect();

    let mut entities = extract::entities(subject);
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
        .or_else(|| entities_case_id(subject))
        .unwrap_or_else(|| t.id.clone());

    let all_text: String = std::iter::once(title.as_str())
        .chain(ct.cleaned.iter().map(|c| c.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");

    Case {
        id,
        title,
        language: language(&all_text).to_string(),
        customer: extract::customer(subject),
        priority: extract::priority(subject),
        status: outcome.status,
        opened: t.messages.iter().find_map(|m| m.date),
        closed: outcome
            .closed_at
            .and_then(|i| t.messages.get(i))
            .and_then(|m| m.date),
        messages,
        problem: problem.0,
        analysis: analysis.0,
        cause: cause.0,
        resolution: resolution.0,
        steps: steps.0,
        diagnostics: inferred.diagnostics,
        entities,
        confidence: Confidence {
            problem: problem.1,
            analysis: analysis.1,
            cause: cause.1,
            resolution: resolution.1,
            steps: steps.1,
        },
        fingerprint: fingerprint(&t.messages),
    }
}

fn entities_case_id(subject: &str) -> Option<String> {
    extract::entities(subject).case_ids.into_iter().next()
}

/// `zh` when Han characters dominate the text, else `en`. A Han character carries about as
/// much as a short Latin word, so Han characters are weighed against Latin letters / 3.
pub fn language(text: &str) -> &'static str {
    crate::script::language(text)
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
