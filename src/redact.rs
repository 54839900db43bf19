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

use regex::Regex;

use crate::extract::{self, Slot};
use crate::model::{Case, CleanThread, RemovalReason, Role};

fn re(pattern: &str) -> Regex {
    // Constant patterns of this file, all compiled by the tests.
    Regex::new(pattern).unwrap_or_else(|e| panic!("redact pattern {pattern}: {e}"))
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"));

/// Phone number shapes, by name.
static PHONES: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "labelled",
            re(
                r"(?i)(?:tel|phone|mobile|cell|fax|电话|手机|传真|热线|座机)[\s.:：]*(\+?\d[\d \t()-]{5,}\d)",
            ),
        ),
        (
            "cn_mobile",
            re(r"(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}"),
        ),
        ("international", re(r"\+\d{1,3}(?:[ -]?\(?\d{1,4}\)?){2,5}")),
        ("cn_landline", re(r"\(?0\d{2,3}\)?[ -]?\d{3,4}[ -]?\d{4}")),
        ("hotline", re(r"[48]00[ -]?\d{3}[ -]?\d{4}")),
    ]
});

/// A Chinese salutation: surname plus honorific (`许先生`, `苏老师`, `王工`).
static ZH_GREETING: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*([\p{Han}]{1,2}(?:先生|女士|小姐|老师|经理|工|总|主任))"));

/// An English salutation's name (`Hi Anna`, `Dear Mr. Chen`).
static EN_GREETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?i:hi|hello|dear|hey|good (?:morning|afternoon|evening))\s+(?:(?:Mr|Mrs|Ms|Dr|Miss)\.?\s+)?([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)",
    )
});

/// Words that look like names in headers and sign-offs but are roles, teams or products.
const NOT_NAMES: &[&str] = &[
    "Support",
    "Team",
    "Sir",
    "Madam",
    "All",
    "Everyone",
    "There",
    "Customer",
    "Service",
    "Services",
    "Engineer",
    "Manager",
    "Windows",
    "Server",
    "Systems",
    "System",
    "Technical",
    "Desk",
    "Help",
    "Helpdesk",
    "Admin",
    "Administrator",
    "Operations",
    "Group",
    "Department",
    "Escalation",
    "Northwind",
    "The",
    "And",
    "Best",
    "Regards",
    "Thanks",
    "Cheers",
    "Kind",
];

/// The most common Chinese surnames: a signature line is a name when it starts with one.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘\
    于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎\
    贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦\
    俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶\
    解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞\
    姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// Honorifics that follow a surname in salutations.
const HONORIFICS: &[&str] = &["先生", "女士", "小姐", "老师", "经理"];

/// The people of a thread, each mapped to the placeholder their mentions become.
struct People {
    /// Matches any known name (longest first).
    names: Option<Regex>,
    /// Whitespace-free name → placeholder.
    placeholder: HashMap<String, String>,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_han_name(s: &str) -> bool {
    let s = squash(s);
    let n = s.chars().count();
    (2..=4).contains(&n)
        && s.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && s.chars().next().is_some_and(|c| SURNAMES.contains(c))
}

fn is_latin_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && w.chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
                && !NOT_NAMES.contains(w)
        })
}

/// The names to hide for one person: the full name, its parts (Latin) or its salutation forms
/// (Chinese surname plus honorific).
fn variants(name: &str) -> Vec<String> {
    let name = name.trim();
    let mut out = Vec::new();
    if is_han_name(name) {
        let s = squash(name);
        out.push(s.clone());
        if let Some(surname) = s.chars().next() {
            out.extend(HONORIFICS.iter().map(|h| format!("{surname}{h}")));
        }
    } else if is_latin_name(name) {
        out.push(name.to_string());
        out.extend(
            name.split_whitespace()
                .filter(|w| w.len() >= 3)
                .map(str::to_string),
        );
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|v| seen.insert(v.clone()));
    out
}

/// Regex source for one name: Han characters may be spaced out (`许  翔`), Latin names need word
/// boundaries so `Anna` does not hide part of `Annapolis`.
fn name_pattern(name: &str) -> String {
    if name.is_ascii() {
        let words: Vec<String> = name.split_whitespace().map(regex::escape).collect();
        format!(r"(?-u:\b){}(?-u:\b)", words.join(r"\s+"))
    } else {
        name.chars()
            .map(|c| regex::escape(&c.to_string()))
            .collect::<Vec<_>>()
            .join(r"\s*")
    }
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
    for c in &ct.cleaned {
        // The greeting the cleaner set apart, or the text's first line when it kept it.
        let first_line = c.text.lines().next().unwrap_or("");
        for g in c.greeting.iter().map(String::as_str).chain([first_line]) {
            others.extend(greeting_names(g));
        }
        // A name standing alone near the end is a signature the cleaner did not take off.
        let lines: Vec<&str> = c.text.lines().collect();
        let tail = &lines[lines.len().saturating_sub(6)..];
        others.extend(
            tail.iter()
                .map(|l| l.trim())
                .filter(|l| is_han_name(l))
                .flat_map(variants),
        );
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

/// Names in a salutation line.
pub fn greeting_names(greeting: &str) -> Vec<String> {
    if let Some(c) = ZH_GREETING.captures(greeting) {
        let whole = c[1].to_string();
        let mut out = vec![whole.clone()];
        if let Some(surname) = whole.chars().next() {
            out.extend(HONORIFICS.iter().map(|h| format!("{surname}{h}")));
        }
        return out;
    }
    EN_GREETING
        .captures(greeting)
        .map(|c| c[1].to_string())
        .filter(|n| is_latin_name(n))
        .map(|n| variants(&n))
        .unwrap_or_default()
}

/// Lines of a removed signature that are a person's name.
pub fn signature_names(signature: &str) -> Vec<String> {
    signature
        .lines()
        .map(str::trim)
        .filter(|l| is_han_name(l) || is_latin_name(l))
        .flat_map(variants)
        .collect()
}

/// `From:`/`To:`/`发件人：` lines of quoted history: the people of earlier mails.
static QUOTE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?im)^\s*(?:from|to|cc|发件人|收件人|抄送)\s*[:：]\s*(.+)$"));

/// Names in the header lines of a removed quote.
pub fn quoted_header_names(quote: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in QUOTE_HEADER.captures_iter(quote) {
        for person in c[1].split([';', ',', '；', '，']) {
            let name = person
                .split('<')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if is_han_name(name) || is_latin_name(name) {
                out.extend(variants(name));
            }
        }
    }
    out
}

/// Byte spans of technical tokens that must survive redaction.
fn protected(text: &str) -> Vec<(usize, usize)> {
    extract::matches(text)
        .into_iter()
        .filter(|f| {
            matches!(
                f.slot,
                Slot::Hash | Slot::CaseId | Slot::ErrorCode | Slot::Version | Slot::Kb
            )
        })
        .map(|f| (f.start, f.end))
        .collect()
}

/// `text` with emails, phone numbers and the people's names replaced.
fn scrub(text: &str, people: &People) -> String {
    let mut s = EMAIL.replace_all(text, "[email]").into_owned();
    for (_, regex) in PHONES.iter() {
        let keep = protected(&s);
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        for caps in regex.captures_iter(&s) {
            let Some(m) = caps.get(1).or(caps.get(0)) else {
                continue;
            };
            let bytes = s.as_bytes();
            let glued = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
            let before_glued =
                m.start() > 0 && (glued(m.start() - 1) || bytes[m.start() - 1] == b'.');
            let overlaps = keep.iter().any(|(a, b)| m.start() < *b && *a < m.end());
            if before_glued || glued(m.end()) || overlaps {
                continue;
            }
            out.push_str(&s[last..m.start()]);
            out.push_str("[phone]");
            last = m.end();
        }
        out.push_str(&s[last..]);
        s = out;
    }
    if let Some(names) = &people.names {
        s = names
            .replace_all(&s, |c: &regex::Captures| {
                people
                    .placeholder
                    .get(&squash(&c[0]))
                    .cloned()
                    .unwrap_or_else(|| "[name]".to_string())
            })
            .into_owned();
    }
    s
}

/// Redacts `case` using the people named in `ct` (headers, greetings, signatures).
pub fn redact(mut case: Case, ct: &CleanThread) -> Case {
    let (people, from_labels) = people(&case, ct);
    let fix = |s: &mut String| *s = scrub(s, &people);
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
