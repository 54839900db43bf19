//! Threading: parsed messages in, one `Thread` per conversation out.
//!
//! Evidence in order of trust: a case number in the subject (or, less trusted, the body), the
//! text-export file a message came from, the message a forwarded `message/rfc822` part came in,
//! Message-ID / In-Reply-To / References links (JWZ's
//! containers, missing parents tolerated), and last the normalized subject of a reply within a
//! time window. Duplicates (same Message-ID, or same sender, date and body) collapse to the first
//! copy. Inside a thread messages are sorted by date, ties and undated messages in source order.
//! Pure: no I/O. The grouping itself lives in [`links`], subjects and case numbers in [`subject`].

pub mod links;
pub mod subject;
pub mod tickets;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::{Message, Thread};

pub use subject::{case_number, is_reply, normalize_subject, CasePatterns, Ticket, TICKET_FORMATS};

/// The `[thread]` section of `casebook.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThreadConfig {
    /// Extra case-number regexes, tried after the built-in helpdesk formats
    /// ([`TICKET_FORMATS`]); a pattern's first capture group, when it has one, is the number.
    pub case_patterns: Vec<String>,
    /// How far apart (in days) a reply and the message it answers may be for subject threading.
    pub subject_window_days: u32,
}

impl Default for ThreadConfig {
    fn default() -> Self {
        ThreadConfig {
            case_patterns: Vec::new(),
            subject_window_days: 30,
        }
    }
}

impl ThreadConfig {
    /// Checks the user's patterns compile; the message names the bad one.
    pub fn check(&self) -> Result<(), String> {
        CasePatterns::new(&self.case_patterns).map(|_| ())
    }
}

/// What threading reads from a message's body, taken once so that a caller holding many
/// messages (the bounded ingest) can drop the bodies before threading: the digest that finds
/// duplicate copies, and the case number a body cites when the subject has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyKeys {
    digest: [u8; 32],
    case: Option<String>,
}

impl BodyKeys {
    pub fn of(m: &Message, patterns: &CasePatterns) -> Self {
        // A body's case number only counts when the subject carries none (see `thread_keyed`).
        let case = if patterns.find_all(&m.subject).is_empty() {
            patterns.find(&m.body)
        } else {
            None
        };
        BodyKeys {
            digest: Sha256::digest(m.body.trim().as_bytes()).into(),
            case,
        }
    }
}

/// Groups messages into threads. Threads come out in the order of their first message in the
/// input.
pub fn thread(messages: Vec<Message>, config: &ThreadConfig) -> Vec<Thread> {
    let patterns = CasePatterns::lenient(&config.case_patterns);
    let keys = messages
        .iter()
        .map(|m| BodyKeys::of(m, &patterns))
        .collect();
    thread_keyed(messages, keys, config)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// [`thread`] for messages whose bodies may be gone: `keys[i]` is [`BodyKeys::of`] the i-th
/// message as it was read, and bodies are not looked at. Gives each thread with the input
/// positions of its messages, in the thread's order, so the caller can put the full messages
/// back.
pub fn thread_keyed(
    messages: Vec<Message>,
    keys: Vec<BodyKeys>,
    config: &ThreadConfig,
) -> Vec<(Thread, Vec<usize>)> {
    let patterns = CasePatterns::lenient(&config.case_patterns);
    let kept = dedupe_keyed(&messages, &keys);
    // Without duplicates the input stands as it is (no second copy of a large input).
    let (messages, keys): (Vec<Message>, Vec<BodyKeys>) = if kept.len() == messages.len() {
        (messages, keys)
    } else {
        let mut slots: Vec<Option<(Message, BodyKeys)>> =
            messages.into_iter().zip(keys).map(Some).collect();
        kept.iter().filter_map(|&i| slots[i].take()).unzip()
    };
    // A case number in the subject is the strongest evidence; one in the body only counts after
    // the Message-ID links, since a body may cite another case ("same as CAS-…").
    // Numbers that share a subject are one case (a customer's own reference beside the support
    // side's number); each message carries its class's number.
    let found: Vec<Vec<Ticket>> = messages
        .iter()
        .map(|m| patterns.find_all(&m.subject))
        .collect();
    let canon = tickets::canonical(&messages, &found);
    let subject_cases: Vec<Option<String>> = found
        .iter()
        .map(|ts| ts.first().and_then(|t| canon.get(&t.id).cloned()))
        .collect();
    let body_cases: Vec<Option<String>> = keys
        .iter()
        .zip(&subject_cases)
        .map(|(k, s)| match s {
            Some(_) => None,
            None => k
                .case
                .clone()
                .map(|id| canon.get(&id).cloned().unwrap_or(id)),
        })
        .collect();

    let mut groups = links::Groups::new(subject_cases.clone());
    let mut holders = links::link_cases(&subject_cases, &mut groups);
    links::link_exports(&messages, &mut groups);
    let carriers = links::link_forwards(&messages, &mut groups);
    links::link_references(&messages, &mut groups);
    links::link_body_cases(&body_cases, &mut holders, &mut groups);
    let window = Duration::days(i64::from(config.subject_window_days));
    links::link_subjects(&messages, window, &mut groups);

    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut slot_of_root: HashMap<usize, usize> = HashMap::new();
    for i in 0..messages.len() {
        let root = groups.find(i);
        let slot = *slot_of_root.entry(root).or_insert_with(|| {
            members.push(Vec::new());
            members.len() - 1
        });
        members[slot].push(i);
    }

    let meta: Vec<_> = members
        .iter()
        .map(|idx| (groups.case(idx[0]), groups.key(idx[0])))
        .collect();
    let mut slots: Vec<Option<Message>> = messages.into_iter().map(Some).collect();
    members
        .into_iter()
        .zip(meta)
        .map(|(idx, (case_number, key))| {
            let members: Vec<(usize, Message)> = idx
                .iter()
                .filter_map(|&i| slots[i].take().map(|m| (i, m)))
                .collect();
            let (positions, msgs): (Vec<usize>, Vec<Message>) = sort_messages(members, &carriers)
                .into_iter()
                .map(|(i, m)| (kept[i], m))
                .unzip();
            let subject = msgs
                .iter()
                .map(|m| normalize_subject(&m.subject))
                .find(|s| !s.is_empty())
                .unwrap_or_default();
            let id = case_number
                .clone()
                .filter(|n| !tickets::is_token(n))
                .unwrap_or_else(|| root_id(&msgs[0]));
            let thread = Thread {
                id,
                case_number,
                subject,
                key,
                messages: msgs,
            };
            (thread, positions)
        })
        .collect()
}

/// A stable id for a thread without a case number: `T-` and 10 hex digits of the SHA-256 of the
/// root's Message-ID, or of its source path and position when it has none.
pub fn root_id(root: &Message) -> String {
    let basis = match root.message_id.as_deref().map(links::normalize_id) {
        Some(id) if !id.is_empty() => id,
        _ => format!("{}#{}", root.source.path, root.source.index),
    };
    let digest = Sha256::digest(basis.as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("T-{hex}")
}

/// Drops later copies of a message: same Message-ID, or same sender, date and body (the same
/// mail exported twice, or present in both an mbox and a maildir).
pub fn dedupe(messages: Vec<Message>) -> Vec<Message> {
    let keys: Vec<BodyKeys> = messages
        .iter()
        .map(|m| BodyKeys {
            digest: Sha256::digest(m.body.trim().as_bytes()).into(),
            case: None,
        })
        .collect();
    let kept = dedupe_keyed(&messages, &keys);
    let mut slots: Vec<Option<Message>> = messages.into_iter().map(Some).collect();
    kept.iter().filter_map(|&i| slots[i].take()).collect()
}

/// The positions of the messages [`dedupe`] keeps, the bodies seen through their keys.
fn dedupe_keyed(messages: &[Message], keys: &[BodyKeys]) -> Vec<usize> {
    let mut ids: HashSet<String> = HashSet::new();
    let mut contents: HashSet<(String, DateTime<Utc>, [u8; 32])> = HashSet::new();
    (0..messages.len())
        .filter(|&i| {
            let m = &messages[i];
            if let Some(id) = m.message_id.as_deref().map(links::normalize_id) {
                if !id.is_empty() && !ids.insert(id) {
                    return false;
                }
            }
            match m.date {
                Some(date) => {
                    let sender = m.from.label().to_lowercase();
                    contents.insert((sender, date, keys[i].digest))
                }
                None => true,
            }
        })
        .collect()
}

/// Sorts by date, ties in source order; an undated message keeps its place after the message
/// that precedes it in the input (it borrows that message's date for sorting). A forwarded part
/// stays right after its carrier whatever its own date: it is content the carrier brought in,
/// not a mail of this conversation (and the carrier's subject names the case).
/// `members` are (input position, message) pairs in input order; they come out sorted.
fn sort_messages(
    members: Vec<(usize, Message)>,
    carriers: &HashMap<usize, usize>,
) -> Vec<(usize, Message)> {
    let mut carried: Option<DateTime<Utc>> = None;
    let mut dates: HashMap<usize, Option<DateTime<Utc>>> = HashMap::new();
    for (i, m) in &members {
        if m.date.is_some() {
            carried = m.date;
        }
        dates.insert(*i, carried);
    }
    let mut keyed: Vec<_> = members
        .into_iter()
        .map(|(i, m)| {
            let anchor = carriers.get(&i).copied().unwrap_or(i);
            let date = dates.get(&anchor).copied().flatten();
            ((date, anchor, i), m)
        })
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    keyed.into_iter().map(|((_, _, i), m)| (i, m)).collect()
}

#[cfg(test)]
mod tests;
