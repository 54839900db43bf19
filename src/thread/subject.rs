//! Subjects and case numbers: the two pieces of a message's header text that threading trusts.
//!
//! Takes subject and body strings; gives the normalized subject (reply/forward prefixes and
//! external-mail banners removed, in both languages, however many are stacked and in whatever
//! order) and the first case number found by the built-in or configured patterns. The segmenter
//! and suggest call these too, so they are public and do no I/O.

use std::sync::OnceLock;

use regex::Regex;

use crate::rule::Rule;

/// The Dynamics 365 case number, `CAS-06616-G5Z4X1`: the one format distinctive enough to be an
/// entity anywhere in free text.
pub const D365_CASE: &str = r"CAS-\d{5}-[A-Z0-9]{6}";

/// Helpdesk ticket numbers recognised out of the box: (name, pattern). The capture group `id`,
/// when there is one, is the number as the helpdesk stores it (no `#`, `Ticket#` or brackets);
/// otherwise the whole match is. User patterns from `[thread] case_patterns` go through the same
/// [`CasePatterns::new`] after these.
pub const TICKET_FORMATS: &[(&str, &str)] = &[
    // Dynamics 365: `[Case: CAS-06616-G5Z4X1]`.
    ("d365", D365_CASE),
    // ServiceNow task numbers: `INC0012345`, `CS0001234`, `RITM0010001`.
    (
        "servicenow",
        r"(?-u:\b)(?P<id>(?:INC|CS|RITM|REQ|CHG|PRB|SCTASK|TASK)\d{7,10})(?-u:\b)",
    ),
    // Salesforce: `Case #00012345`, `Case Number: 00012345` (leading zeros kept).
    (
        "salesforce",
        r"(?i:case)\s*(?:#|number\s*[:：]?|no\.\s*)\s*(?P<id>\d{5,10})(?-u:\b)",
    ),
    // OTRS/Znuny (16 digits) and Zammad: `[Ticket#2023101910000123]`; Freshdesk `Ticket #51234`.
    (
        "ticket_hash",
        r"(?i:ticket)\s*#\s*[:：]?\s*(?P<id>\d{3,20})(?-u:\b)",
    ),
    // Zendesk and Freshdesk: `[#12345]`, `Request #12345`.
    (
        "hash_tag",
        r"\[#(?P<id>\d{3,10})\]|(?i:request)\s*#\s*(?P<id2>\d{3,10})(?-u:\b)",
    ),
    // Jira Service Management: `[SUP-123]`.
    ("jira", r"\[(?P<id>[A-Z][A-Z0-9]{1,9}-\d{1,7})\]"),
];

/// Salesforce's thread token `ref:_00D…._500…:ref`: it ties mails to one case but is not its
/// number.
const THREAD_TOKEN: &str = r"ref:_[0-9A-Za-z]+\._[0-9A-Za-z]+:ref";

/// Words in front of a number that make it the customer's own reference, not the support side's
/// (`our ref INC0087341`, `我方单号 INC0203318`).
const OWN_REFERENCE: &str = r"(?i)(?:our|my|internal|customer)\s*(?:ref(?:erence)?|ticket|incident|case|request|id)?\s*(?:no\.?|number|#)?\s*[:：]?\s*$|(?:我方|我们的|我們的|内部|內部|客户方|客戶方|本地)\S{0,4}\s*[:：]?\s*$";

/// Reply and forward prefixes of the clients we meet: Outlook (`RE:`, `FW:`, `答复:`, `转发:`),
/// Foxmail/NetEase (`回复:`), Traditional Chinese Outlook (`回覆:`, `轉寄:`), German/Nordic
/// clients (`AW:`, `WG:`, `SV:`), each with an ASCII or full-width colon and an optional
/// counter (`Re[2]:`).
const REPLY_PREFIX: &str = r"(?i)^(?:re|fw|fwd|aw|wg|sv|vs|tr|答复|答覆|回复|回覆|转发|轉發|转寄|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*";

/// External-mail banners that gateways put in front of the subject.
const SUBJECT_BANNER: &str = r"(?i)^(?:【[^】]{0,30}】|\[(?:external|ext|外部邮件|外部郵件|外部|外来邮件)\]|\*{0,3}external\*{0,3}\s*[:：]|\(external\))\s*";

fn reply_prefix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Rule::builtin("reply_prefix", REPLY_PREFIX).regex)
}

fn subject_banner() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Rule::builtin("subject_banner", SUBJECT_BANNER).regex)
}

/// True when the subject starts with a reply or forward prefix (after any banner): the mark of
/// a message answering another, which subject threading requires.
pub fn is_reply(subject: &str) -> bool {
    let mut s = subject.trim();
    while let Some(m) = subject_banner().find(s) {
        if m.end() == 0 {
            break;
        }
        s = &s[m.end()..];
    }
    reply_prefix().is_match(s)
}

/// Strips stacked reply/forward prefixes and banners (`回复: 回复:【外来邮件，注意核实】RE: x`
/// → `x`), and collapses runs of whitespace.
pub fn normalize_subject(subject: &str) -> String {
    let mut s = subject.trim();
    loop {
        let before = s.len();
        for re in [reply_prefix(), subject_banner()] {
            if let Some(m) = re.find(s) {
                s = s[m.end()..].trim_start();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One ticket number found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// The number as the helpdesk stores it.
    pub id: String,
    /// Introduced as the writer's own reference (`our ref …`).
    pub own: bool,
    /// A thread token that links mails but is no case number.
    pub token: bool,
    /// Byte span of the whole match (brackets included) in the text.
    pub start: usize,
    pub end: usize,
}

/// Case-number patterns: the built-in [`TICKET_FORMATS`] first, then the user's.
#[derive(Debug, Clone)]
pub struct CasePatterns {
    patterns: Vec<Regex>,
    token: Regex,
    own: Regex,
}

fn builtin() -> Vec<Regex> {
    TICKET_FORMATS
        .iter()
        .map(|&(name, p)| Rule::builtin(name, p).regex)
        .collect()
}

impl CasePatterns {
    /// Compiles the built-in formats and `extra`; a bad extra pattern is an error naming it. An
    /// extra pattern's first capture group, when it has one, is the number.
    pub fn new(extra: &[String]) -> Result<Self, String> {
        let mut patterns = builtin();
        for p in extra {
            let rule = Rule::new("config.case_pattern", p).map_err(|e| format!("case {e}"))?;
            patterns.push(rule.regex);
        }
        Ok(Self::with(patterns))
    }

    /// The built-in formats and the `extra` ones that compile (bad ones were reported by
    /// [`crate::thread::ThreadConfig::check`] when the config was read).
    pub fn lenient(extra: &[String]) -> Self {
        let mut patterns = builtin();
        patterns.extend(extra.iter().filter_map(|p| Regex::new(p).ok()));
        Self::with(patterns)
    }

    fn with(patterns: Vec<Regex>) -> Self {
        CasePatterns {
            patterns,
            token: Rule::builtin("thread_token", THREAD_TOKEN).regex,
            own: Rule::builtin("own_reference", OWN_REFERENCE).regex,
        }
    }

    /// Every ticket number in `text`, in text order (thread tokens included, marked).
    pub fn find_all(&self, text: &str) -> Vec<Ticket> {
        let mut out: Vec<Ticket> = Vec::new();
        for re in &self.patterns {
            for caps in re.captures_iter(text) {
                let Some(whole) = caps.get(0) else { continue };
                let id = caps
                    .name("id")
                    .or_else(|| caps.name("id2"))
                    .or_else(|| {
                        if re.captures_len() > 1 {
                            caps.get(1)
                        } else {
                            None
                        }
                    })
                    .unwrap_or(whole);
                if out
                    .iter()
                    .any(|t| whole.start() < t.end && t.start < whole.end())
                {
                    continue;
                }
                let before = &text[..whole.start()];
                let near = &before[before.char_indices().rev().nth(23).map_or(0, |(i, _)| i)..];
                out.push(Ticket {
                    id: id.as_str().to_string(),
                    own: self.own.is_match(near.trim_end_matches(['(', '（', '['])),
                    token: false,
                    start: whole.start(),
                    end: whole.end(),
                });
            }
        }
        for m in self.token.find_iter(text) {
            out.push(Ticket {
                id: m.as_str().to_string(),
                own: false,
                token: true,
                start: m.start(),
                end: m.end(),
            });
        }
        out.sort_by_key(|t| t.start);
        out
    }

    /// The first case number in `text` (not a thread token), preferring the support side's.
    pub fn find(&self, text: &str) -> Option<String> {
        let all = self.find_all(text);
        all.iter()
            .find(|t| !t.token && !t.own)
            .or_else(|| all.iter().find(|t| !t.token))
            .map(|t| t.id.clone())
    }
}

impl Default for CasePatterns {
    fn default() -> Self {
        CasePatterns::lenient(&[])
    }
}

/// The first case number in `text` (built-in formats plus `patterns`' extras).
pub fn case_number(text: &str, patterns: &CasePatterns) -> Option<String> {
    patterns.find(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_stacked_prefixes_and_banners_in_both_languages() {
        assert_eq!(
            normalize_subject(
                "回复: 回复:【外来邮件，注意核实】回复: [案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应 CMIT:0001374"
            ),
            "[案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应 CMIT:0001374"
        );
        assert_eq!(
            normalize_subject("RE: FW: Fwd: Re[2]: Backup fails"),
            "Backup fails"
        );
        assert_eq!(
            normalize_subject("[EXTERNAL] RE: [External]  VPN  drops"),
            "VPN drops"
        );
        assert_eq!(
            normalize_subject("回覆：轉寄: 答复：转发:終端無法連線"),
            "終端無法連線"
        );
        assert_eq!(normalize_subject("Recovery plan"), "Recovery plan");
        assert_eq!(normalize_subject("  "), "");
    }

    #[test]
    fn reply_detection_looks_past_banners() {
        assert!(is_reply("[External] RE: x"));
        assert!(is_reply("回复：x"));
        assert!(!is_reply("Report: x"));
        assert!(!is_reply("x"));
    }

    #[test]
    fn finds_builtin_and_configured_case_numbers() {
        let p = CasePatterns::new(&[r"TKT-\d{6}".to_string()]).unwrap();
        assert_eq!(
            case_number("[案例号: CAS-06616-G5Z4X1 ] x", &p).as_deref(),
            Some("CAS-06616-G5Z4X1")
        );
        assert_eq!(
            case_number("ticket TKT-123456 open", &p).as_deref(),
            Some("TKT-123456")
        );
        assert_eq!(case_number("CAS-1234-ABCDEF", &p), None);
        assert!(CasePatterns::new(&["(".to_string()]).is_err());
    }

    #[test]
    fn every_helpdesk_number_as_the_helpdesk_stores_it() {
        let p = CasePatterns::default();
        for (subject, id) in [
            ("RE: [Case: CAS-31002-H4N8P1] x", "CAS-31002-H4N8P1"),
            ("INC0012345 has been updated", "INC0012345"),
            ("Re: CS0001234 - Printer offline", "CS0001234"),
            (
                "RE: Case #00012345: Backup fails [ ref:_00D5g0abc._5005g0XyZ:ref ]",
                "00012345",
            ),
            ("[#12345] Re: VPN drops", "12345"),
            ("Request #12345: VPN drops", "12345"),
            ("Ticket #51234 - Wi-Fi", "51234"),
            ("[Ticket#2023101910000123] RE: OSPF", "2023101910000123"),
            ("RE: x [Ticket#52133]", "52133"),
            ("[SUP-123] Pods evicted", "SUP-123"),
        ] {
            assert_eq!(case_number(subject, &p).as_deref(), Some(id), "{subject}");
        }
        assert_eq!(case_number("SHA-256 of the file", &p), None);
        assert_eq!(case_number("V2020-L upgrade", &p), None);
    }

    #[test]
    fn the_writers_own_reference_is_marked() {
        let p = CasePatterns::default();
        let all = p.find_all("[#50217] Re: Calendars (our ref INC0087341)");
        let ids: Vec<(&str, bool)> = all.iter().map(|t| (t.id.as_str(), t.own)).collect();
        assert_eq!(ids, [("50217", false), ("INC0087341", true)]);
        let all = p.find_all("采集服务无法启动（我方单号 INC0203318）");
        assert!(all[0].own);
        assert_eq!(
            case_number("x (our ref INC0087341) [#50217]", &p).as_deref(),
            Some("50217")
        );
        let token = p.find_all("Case #00401188: x [ ref:_00D8a000003Ks2P._5008a00002Nq7XwR:ref ]");
        assert_eq!(token.iter().filter(|t| t.token).count(), 1);
    }
}
