//! Redaction: person names, email addresses and phone numbers replaced by placeholders in every
//! published field of a case.
//!
//! Takes a segmented [`Case`] and the [`CleanThread`] it came from (whose headers, greetings and
//! removed signatures say who the people are); gives the case with each author shown as
//! `[customer-1]`/`[engineer-1]`, other names as `[name]`, addresses as `[email]` and numbers as
//! `[phone]`. Technical tokens (hashes, versions, error codes, case ids, KB numbers) are found
//! first with the entity rules and never touched, so a digest's digits are not a phone number.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::extract::{self, Slot};
use crate::model::{Case, CleanThread, RemovalReason, Role};

mod given;
mod names;

pub use names::{greeting_names, quoted_header_names, signature_names};
use names::{name_pattern, squash, variants};

fn re(pattern: &str) -> Regex {
    // Constant patterns of this file, all compiled by the tests.
    crate::rule::Rule::builtin("redact pattern", pattern).regex
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"));

/// Phone number shapes, by name.
static PHONES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "labelled",
            re(
                r"(?i)(?:tel|phone|mobile|cell|fax|whatsapp|电话|電話|手机|手機|传真|傳真|热线|熱線|座机|聯絡|联系电话)[\s.:：]*(\+?\d[\d \t()-]{5,}\d)",
            ),
        ),
        (
            "cn_mobile",
            re(r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"),
        ),
        ("international", re(r"\+\d{1,3}(?:[ -]?\(?\d{1,4}\)?){2,5}")),
        // Mainland and Taiwan landlines (`(07)345-6789#123`, `02-2345-6789 分機 12`) with any
        // extension written after them.
        (
            "landline",
            re(
                r"\(?0\d{1,3}\)?[ -]?\d{3,4}[ -]?\d{4}(?:\s*(?:#|ext\.?|x|分機|分机|轉|转)\s*\d{1,5})?",
            ),
        ),
        ("tw_mobile", re(r"09\d{2}[ -]?\d{3}[ -]?\d{3}")),
        (
            "nanp",
            re(r"\(\d{3}\)[ -]?\d{3}-\d{4}(?:\s*(?:ext\.?|x)\s*\d{1,5})?"),
        ),
        ("hotline", re(r"[48]00[ -]?\d{3}[ -]?\d{4}")),
        // A second number written after a first one (`+852 2345 6789 / 9123 4471`).
        (
            "second",
            re(r"\d[ \t]*[/、,][ \t]*(\+?\d{3,4}[ -]?\d{4}(?:[ -]?\d{1,4})?)"),
        ),
        // Numbers written in groups after a trunk prefix (`0412 555 019`, `020 7946 0321`).
        ("grouped", re(r"0\d{2,4}(?:[ -]\d{3,4}){2}")),
        // An extension on its own (`Ext. 4471`, `分機 321`).
        (
            "extension",
            re(r"(?i:ext(?:ension)?\.?|分機|分机|內線|内线)[ \t]*\d{2,6}"),
        ),
    ]
});

/// Any of [`PHONES`], as one set.
static ANY_PHONE: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(PHONES.iter().map(|(_, r)| r.as_str()))
        .unwrap_or_else(|e| panic!("redact phone set: {e}"))
});

/// The people of a thread, each mapped to the placeholder their mentions become.
struct People {
    /// Matches any known name (longest first).
    names: Option<Regex>,
    /// Whitespace-free name → placeholder.
    placeholder: HashMap<String, String>,
}

fn people(case: &Case, ct: &CleanThread) -> (People, Vec<String>) {
    let mut placeholder: HashMap<String, String> = HashMap::new();
    let mut spelled: HashMap<String, String> = HashMap::new();
    let mut counters: HashMap<Role, usize> = HashMap::new();
    let mut authors: HashMap<String, String> = HashMap::new();
    let mut from_labels = Vec::new();
    for (m, cm) in ct.thread.messages.iter().zip(&case.messages) {
        let key = crate::segment::roles::author_key(&m.from);
        let label = authors
            .entry(key)
            .or_insert_with(|| {
                let n = counters.entry(cm.role).or_default();
                *n += 1;
                let role = match cm.role {
                    Role::Customer => "customer",
                    Role::Engineer => "engineer",
                };
                format!("[{role}-{n}]")
            })
            .clone();
        if let Some(name) = &m.from.name {
            for v in variants(name) {
                placeholder
                    .entry(squash(&v))
                    .or_insert_with(|| label.clone());
                spelled.entry(squash(&v)).or_insert(v);
            }
        }
        from_labels.push(label);
    }
    let mut others: Vec<String> = Vec::new();
    for m in &ct.thread.messages {
        for a in m.to.iter().chain(&m.cc) {
            others.extend(a.name.iter().flat_map(|n| variants(n)));
        }
    }
    for c in &ct.cleaned {
        // The greeting the cleaner set apart, or the text's first line when it kept it.
        let first_line = c.text.lines().next().unwrap_or("");
        for g in c.greeting.iter().map(String::as_str).chain([first_line]) {
            others.extend(greeting_names(g));
        }
        others.extend(names::honorific_names(&c.text));
        others.extend(names::standalone_names(&c.text));
        others.extend(names::helpdesk_header_names(&c.text));
        // People named in running Chinese text, as jieba's tagger sees them, when their name
        // starts with a common surname.
        // A word of the subject (`…后蓝屏`) names the problem, not a person.
        others.extend(
            crate::zh::person_names(&c.text)
                .into_iter()
                .filter(|n| names::is_han_name(n) && !ct.thread.subject.contains(n.as_str()))
                .flat_map(|n| variants(&n)),
        );
        // A name standing alone near the end is a signature the cleaner did not take off.
        let lines: Vec<&str> = c.text.lines().collect();
        let tail = &lines[lines.len().saturating_sub(6)..];
        others.extend(tail.iter().flat_map(|l| names::signature_line_names(l)));
        for text in
            std::iter::once(c.text.as_str()).chain(c.removed.iter().map(|r| r.text.as_str()))
        {
            others.extend(given::given_names(text));
            others.extend(given::display_names(text));
            others.extend(given::titled_names(text));
        }
        for r in &c.removed {
            match r.reason {
                RemovalReason::Signature => others.extend(signature_names(&r.text)),
                RemovalReason::Quote => others.extend(quoted_header_names(&r.text)),
                _ => {}
            }
        }
    }
    for name in others {
        placeholder
            .entry(squash(&name))
            .or_insert_with(|| "[name]".to_string());
        spelled.entry(squash(&name)).or_insert(name);
    }
    let mut keys: Vec<&String> = spelled.values().collect();
    keys.sort_by_key(|k| std::cmp::Reverse(squash(k).chars().count()));
    let names = if keys.is_empty() {
        None
    } else {
        let alternation: Vec<String> = keys.iter().map(|k| name_pattern(k)).collect();
        Regex::new(&alternation.join("|")).ok()
    };
    (People { names, placeholder }, from_labels)
}

/// Byte spans of technical tokens that must survive redaction: hashes, case ids, error codes,
/// versions and KB ids always; commands and products too when `names` (a name inside `DBCC
/// TRACEON` or `URL Rewrite` is part of it, while a phone number after a command is still one).
fn protected(text: &str, names: bool) -> Vec<(usize, usize)> {
    extract::matches(text)
        .into_iter()
        .filter(|f| match f.slot {
            Slot::Hash | Slot::CaseId | Slot::ErrorCode | Slot::Version | Slot::Kb => true,
            Slot::Command | Slot::Product => names,
            _ => false,
        })
        .map(|f| (f.start, f.end))
        .collect()
}

/// `text` with emails, phone numbers and the people's names replaced.
fn scrub(text: &str, people: &People) -> String {
    let s = if text.contains('@') {
        EMAIL.replace_all(text, "[email]")
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let s = replace_phones(&s);
    match &people.names {
        Some(names) if names.is_match(&s) => {
            // A name inside a command or product (`DBCC TRACEON`, `URL Rewrite`) is part of it.
            let keep = protected(&s, true);
            names
                .replace_all(&s, |c: &regex::Captures| {
                    let (a, b) = c.get(0).map_or((0, 0), |m| (m.start(), m.end()));
                    if keep.iter().any(|(x, y)| a < *y && *x < b) {
                        return c[0].to_string();
                    }
                    people
                        .placeholder
                        .get(&squash(&c[0]))
                        .cloned()
                        .unwrap_or_else(|| "[name]".to_string())
                })
                .into_owned()
        }
        _ => s,
    }
}

/// Phone numbers replaced by `[phone]`: every shape's matches, minus those glued to letters or
/// digits (part of a longer token) and those inside a technical token; overlaps go to the
/// earliest, then longest, match.
fn replace_phones(s: &str) -> String {
    // One pass over the text for all shapes first: most texts hold no number at all.
    if !ANY_PHONE.is_match(s) {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let glued = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for (_, regex) in PHONES.iter() {
        for caps in regex.captures_iter(s) {
            if let Some(m) = caps.get(1).or(caps.get(0)) {
                let before =
                    m.start() > 0 && (glued(m.start() - 1) || bytes[m.start() - 1] == b'.');
                if !before && !glued(m.end()) {
                    spans.push((m.start(), m.end()));
                }
            }
        }
    }
    if spans.is_empty() {
        return s.to_string();
    }
    let keep = protected(s, false);
    spans.retain(|(a, b)| !keep.iter().any(|(x, y)| a < y && x < b));
    spans.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, b) in spans {
        if a < last {
            continue;
        }
        out.push_str(&s[last..a]);
        out.push_str("[phone]");
        last = b;
    }
    out.push_str(&s[last..]);
    out
}

/// Redacts `case` using the people named in `ct` (headers, greetings, signatures).
pub fn redact(mut case: Case, ct: &CleanThread) -> Case {
    let (people, from_labels) = people(&case, ct);
    // A name beside an author's placeholder on a signature line (`[customer-1] Wanqing`) is
    // the rest of that author's name: one more pass takes it.
    let fix = |s: &mut String| {
        let once = scrub(s, &people);
        let rest = given::beside_placeholder(&once);
        *s = rest
            .iter()
            .fold(once, |acc, n| acc.replace(&format!("] {n}"), "] [name]"));
    };
    fix(&mut case.title);
    fix(&mut case.problem);
    fix(&mut case.analysis);
    fix(&mut case.cause);
    fix(&mut case.resolution);
    case.steps.iter_mut().for_each(fix);
    case.diagnostics.iter_mut().for_each(fix);
    let e = &mut case.entities;
    for list in [&mut e.products, &mut e.files, &mut e.commands, &mut e.urls] {
        list.iter_mut().for_each(fix);
    }
    for (m, label) in case.messages.iter_mut().zip(from_labels) {
        m.from = label;
        fix(&mut m.text);
        if let Some(g) = &mut m.greeting {
            fix(g);
        }
        for r in &mut m.removed {
            fix(&mut r.text);
        }
    }
    case
}

#[cfg(test)]
mod tests;
