//! Which ticket number names a thread when its mails carry several: a customer's own reference
//! (`our ref INC0087341`, a `[OPS-4412]` of their Jira) travels in the subject beside the support
//! side's number (`[#50217]`), and both must lead to one case with the support side's number.
//!
//! Takes the messages and the tickets found in each subject; gives, for every number seen, the
//! number that stands for its whole alias class. Numbers that share a subject are aliases. Within
//! a class the support side's number wins: not a thread token, not introduced as the writer's
//! own, introduced by the other side than the one who opened the class (the helpdesk tags the
//! customer's subject when it answers), then the number on most mails.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::subject::Ticket;
use crate::model::Message;

/// Whether a ticket id is a thread token rather than a case number.
pub fn is_token(id: &str) -> bool {
    id.starts_with("ref:_")
}

/// Where a mail stands in the input: its date, then its input position.
type At = (Option<DateTime<Utc>>, usize);

#[derive(Default)]
struct Seen {
    count: usize,
    own: usize,
    token: bool,
    /// (date, input position) of the first mail carrying it, and that mail's sender domain.
    first: Option<(At, String)>,
}

fn domain(m: &Message) -> String {
    m.from
        .address
        .as_deref()
        .and_then(|a| a.rsplit_once('@'))
        .map(|(_, d)| d.to_ascii_lowercase())
        .unwrap_or_else(|| m.from.label().to_lowercase())
}

fn root(parent: &mut HashMap<String, String>, x: &str) -> String {
    let mut x = x.to_string();
    while let Some(p) = parent.get(&x).filter(|p| **p != x).cloned() {
        x = p;
    }
    x
}

/// Maps every number in `found` (one list per message, in input order) to its class's number.
pub fn canonical(messages: &[Message], found: &[Vec<Ticket>]) -> HashMap<String, String> {
    let mut parent: HashMap<String, String> = HashMap::new();
    let mut seen: HashMap<String, Seen> = HashMap::new();
    for (i, (m, tickets)) in messages.iter().zip(found).enumerate() {
        let key = (m.date, i);
        for t in tickets {
            parent.entry(t.id.clone()).or_insert_with(|| t.id.clone());
            let s = seen.entry(t.id.clone()).or_default();
            s.count += 1;
            s.own += usize::from(t.own);
            s.token = t.token;
            if s.first.as_ref().is_none_or(|(k, _)| key < *k) {
                s.first = Some((key, domain(m)));
            }
        }
        if let Some((a, rest)) = tickets.split_first() {
            for b in rest {
                let (ra, rb) = (root(&mut parent, &a.id), root(&mut parent, &b.id));
                if ra != rb {
                    parent.insert(rb, ra);
                }
            }
        }
    }
    let mut classes: HashMap<String, Vec<String>> = HashMap::new();
    for id in seen.keys() {
        classes
            .entry(root(&mut parent, id))
            .or_default()
            .push(id.clone());
    }
    let mut out = HashMap::new();
    for members in classes.values() {
        let opener = members
            .iter()
            .filter_map(|id| seen[id].first.as_ref())
            .min_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, d)| d.clone())
            .unwrap_or_default();
        let best = members
            .iter()
            .max_by_key(|id| {
                let s = &seen[*id];
                let first = s.first.as_ref();
                (
                    !s.token,
                    s.own * 2 < s.count,
                    first.is_some_and(|(_, d)| *d != opener),
                    s.count,
                    first.map(|(k, _)| *k),
                    std::cmp::Reverse((*id).clone()),
                )
            })
            .cloned()
            .unwrap_or_default();
        for id in members {
            out.insert(id.clone(), best.clone());
        }
    }
    out
}
