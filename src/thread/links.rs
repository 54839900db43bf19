//! Grouping messages: a union-find over message positions, fed by the evidence kinds in order of
//! trust (export file, case number, Message-ID links, subject within a time window).
//!
//! Takes the deduplicated messages with their case numbers; gives, for each message, the
//! representative of its group and the strongest kind of evidence that built the group. Two
//! groups carrying different case numbers are never joined, whatever the weaker evidence says
//! (a customer who answers an old mail to open a new case must not merge the two cases).

use std::collections::HashMap;

use chrono::Duration;

use crate::model::{Format, Message, ThreadKey};

use super::subject::{is_reply, normalize_subject};

/// Union-find with, per root, the group's case number and the evidence that joined it.
pub struct Groups {
    parent: Vec<usize>,
    case: Vec<Option<String>>,
    key: Vec<ThreadKey>,
}

/// Trust order: lower is stronger.
fn rank(k: ThreadKey) -> u8 {
    match k {
        ThreadKey::CaseNumber => 0,
        ThreadKey::ExportFile => 1,
        ThreadKey::References => 2,
        ThreadKey::Subject => 3,
        ThreadKey::Single => 4,
    }
}

impl Groups {
    /// One group per node; `cases[i]` is node i's case number (phantom nodes have none).
    pub fn new(cases: Vec<Option<String>>) -> Self {
        let key = cases
            .iter()
            .map(|c| {
                if c.is_some() {
                    ThreadKey::CaseNumber
                } else {
                    ThreadKey::Single
                }
            })
            .collect();
        Groups {
            parent: (0..cases.len()).collect(),
            case: cases,
            key,
        }
    }

    /// Adds a node without a case number (a Message-ID nobody in the input carries).
    pub fn add_phantom(&mut self) -> usize {
        self.parent.push(self.parent.len());
        self.case.push(None);
        self.key.push(ThreadKey::Single);
        self.parent.len() - 1
    }

    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the groups of `a` and `b` because of `why`, unless they carry different case
    /// numbers. Returns whether they are now one group.
    pub fn union(&mut self, a: usize, b: usize, why: ThreadKey) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        if let (Some(x), Some(y)) = (&self.case[ra], &self.case[rb]) {
            if x != y {
                return false;
            }
        }
        // The lower index stays root so a group's representative is its first message.
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
        if self.case[root].is_none() {
            self.case[root] = self.case[child].take();
        }
        let best = [self.key[root], self.key[child], why]
            .into_iter()
            .min_by_key(|k| rank(*k))
            .unwrap_or(why);
        self.key[root] = best;
        true
    }

    /// Records that `x`'s group also stands on `why` (a one-message export is still an export).
    pub fn mark(&mut self, x: usize, why: ThreadKey) {
        let r = self.find(x);
        if rank(why) < rank(self.key[r]) {
            self.key[r] = why;
        }
    }

    /// Gives `x`'s group the case number `case` if it has none; returns whether it did.
    pub fn claim(&mut self, x: usize, case: &str) -> bool {
        let r = self.find(x);
        if self.case[r].is_some() {
            return false;
        }
        self.case[r] = Some(case.to_string());
        self.mark(r, ThreadKey::CaseNumber);
        true
    }

    pub fn case(&mut self, x: usize) -> Option<String> {
        let r = self.find(x);
        self.case[r].clone()
    }

    pub fn key(&mut self, x: usize) -> ThreadKey {
        let r = self.find(x);
        self.key[r]
    }
}

/// Joins all messages of one text-export file: the export is one case by construction.
pub fn link_exports(messages: &[Message], groups: &mut Groups) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        if m.format == Format::TextExport {
            let f = *first.entry(m.source.path.as_str()).or_insert(i);
            groups.union(f, i, ThreadKey::ExportFile);
            groups.mark(i, ThreadKey::ExportFile);
        }
    }
}

/// A forwarded `message/rfc822` part joins the message that carries it: the readers put such
/// parts right after their carrier, from the same file, one per attached message (nested
/// forwards follow their own carrier in turn). Gives each forwarded part's root carrier.
pub fn link_forwards(messages: &[Message], groups: &mut Groups) -> HashMap<usize, usize> {
    let mut carriers = HashMap::new();
    let attached = |m: &Message| {
        m.attachments
            .iter()
            .filter(|a| {
                let t = a.content_type.to_ascii_lowercase();
                t == "message/rfc822" || t == "message/global"
            })
            .count()
    };
    // The root carrier, its file, and how many forwarded parts are still to come.
    let mut carrier: Option<(usize, &str, usize)> = None;
    for (i, m) in messages.iter().enumerate() {
        match carrier {
            Some((root, path, pending)) if pending > 0 && path == m.source.path => {
                groups.union(root, i, ThreadKey::References);
                carriers.insert(i, root);
                carrier = Some((root, path, pending - 1 + attached(m)));
            }
            _ => {
                let n = attached(m);
                carrier = (n > 0).then_some((i, m.source.path.as_str(), n));
            }
        }
    }
    carriers
}

/// Joins messages sharing a case number; gives the first message holding each case number.
pub fn link_cases(cases: &[Option<String>], groups: &mut Groups) -> HashMap<String, usize> {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, c) in cases.iter().enumerate() {
        if let Some(c) = c {
            let f = *first.entry(c.clone()).or_insert(i);
            groups.union(f, i, ThreadKey::CaseNumber);
        }
    }
    first
}

/// Case numbers found only in bodies: the message joins that case's group unless its links
/// already tied it to another case; a case number nobody else holds names the message's group
/// when it has none.
pub fn link_body_cases(
    cases: &[Option<String>],
    holders: &mut HashMap<String, usize>,
    groups: &mut Groups,
) {
    for (i, c) in cases.iter().enumerate() {
        let Some(c) = c else { continue };
        match holders.get(c) {
            Some(&h) => {
                groups.union(h, i, ThreadKey::CaseNumber);
            }
            None => {
                if groups.claim(i, c) {
                    holders.insert(c.clone(), i);
                }
            }
        }
    }
}

/// The JWZ idea without the tree: every Message-ID (seen as a message's own id or only in
/// someone's References / In-Reply-To) is a container; a message is joined to the containers
/// of all ids it refers to. Missing parents become phantom containers, so two replies to a
/// message that is not in the input still meet through it.
pub fn link_references(messages: &[Message], groups: &mut Groups) {
    let mut container: HashMap<String, usize> = HashMap::new();
    for (i, m) in messages.iter().enumerate() {
        if let Some(id) = m.message_id.as_deref().map(normalize_id) {
            if !id.is_empty() {
                container.entry(id).or_insert(i);
            }
        }
    }
    for (i, m) in messages.iter().enumerate() {
        let refs = m.references.iter().chain(m.in_reply_to.iter());
        for r in refs {
            let id = normalize_id(r);
            if id.is_empty() {
                continue;
            }
            let node = match container.get(&id) {
                Some(&n) => n,
                None => {
                    let n = groups.add_phantom();
                    container.insert(id, n);
                    n
                }
            };
            groups.union(i, node, ThreadKey::References);
        }
    }
}

/// Message-IDs compare without their angle brackets and surrounding space.
pub fn normalize_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_string()
}

/// Last resort: a reply (`RE:`, `回复:` …) joins the latest earlier message with the same
/// normalized subject if it is no older than `window`. Undated messages never join by subject:
/// the window cannot be checked.
pub fn link_subjects(messages: &[Message], window: Duration, groups: &mut Groups) {
    let mut order: Vec<usize> = (0..messages.len())
        .filter(|&i| messages[i].date.is_some())
        .collect();
    order.sort_by_key(|&i| (messages[i].date, i));
    let mut last: HashMap<String, usize> = HashMap::new();
    for i in order {
        let m = &messages[i];
        let subject = normalize_subject(&m.subject);
        if subject.is_empty() {
            continue;
        }
        if let Some(&prev) = last.get(&subject) {
            let close = match (m.date, messages[prev].date) {
                (Some(a), Some(b)) => a - b <= window,
                _ => false,
            };
            if close && is_reply(&m.subject) {
                groups.union(prev, i, ThreadKey::Subject);
            }
        }
        last.insert(subject, i);
    }
}
