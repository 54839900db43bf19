//! Subjects and case numbers: the two pieces of a message's header text that threading trusts.
//!
//! Takes subject and body strings; gives the normalized subject (reply/forward prefixes and
//! external-mail banners removed, in both languages, however many are stacked and in whatever
//! order) and the first case number found by the built-in or configured patterns. The segmenter
//! and suggest call these too, so they are public and do no I/O.

use std::sync::OnceLock;

use regex::Regex;

/// The built-in case number: `CAS-06616-G5Z4X1`.
pub const DEFAULT_CASE_PATTERN: &str = r"CAS-\d{5}-[A-Z0-9]{6}";

/// Reply and forward prefixes of the clients we meet: Outlook (`RE:`, `FW:`, `答复:`, `转发:`),
/// Foxmail/NetEase (`回复:`), Traditional Chinese Outlook (`回覆:`, `轉寄:`), German/Nordic
/// clients (`AW:`, `WG:`, `SV:`), each with an ASCII or full-width colon and an optional
/// counter (`Re[2]:`).
const REPLY_PREFIX: &str = r"(?i)^(?:re|fw|fwd|aw|wg|sv|vs|tr|答复|答覆|回复|回覆|转发|轉發|转寄|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*";

/// External-mail banners that gateways put in front of the subject.
const SUBJECT_BANNER: &str = r"(?i)^(?:【[^】]{0,30}】|\[(?:external|ext|外部邮件|外部郵件|外部|外来邮件)\]|\*{0,3}external\*{0,3}\s*[:：]|\(external\))\s*";

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
fn reply_prefix() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(REPLY_PREFIX).expect("built-in pattern compiles"))
}

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
fn subject_banner() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(SUBJECT_BANNER).expect("built-in pattern compiles"))
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

/// Case-number patterns: the built-in one first, then the user's.
#[derive(Debug, Clone)]
pub struct CasePatterns {
    patterns: Vec<Regex>,
}

impl CasePatterns {
    /// Compiles the built-in pattern and `extra`; a bad extra pattern is an error naming it.
    pub fn new(extra: &[String]) -> Result<Self, String> {
        let mut patterns = vec![Regex::new(DEFAULT_CASE_PATTERN).map_err(|e| e.to_string())?];
        for p in extra {
            patterns.push(Regex::new(p).map_err(|e| format!("case pattern {p:?}: {e}"))?);
        }
        Ok(CasePatterns { patterns })
    }

    /// The built-in pattern and the `extra` ones that compile (bad ones were reported by
    /// [`crate::thread::ThreadConfig::check`] when the config was read).
    pub fn lenient(extra: &[String]) -> Self {
        #[allow(clippy::expect_used, reason = "literal pattern, not input")]
        let mut patterns = vec![Regex::new(DEFAULT_CASE_PATTERN).expect("built-in pattern")];
        patterns.extend(extra.iter().filter_map(|p| Regex::new(p).ok()));
        CasePatterns { patterns }
    }

    /// The first case number in `text`, trying the patterns in order.
    pub fn find(&self, text: &str) -> Option<String> {
        self.patterns
            .iter()
            .find_map(|re| re.find(text))
            .map(|m| m.as_str().to_string())
    }
}

impl Default for CasePatterns {
    fn default() -> Self {
        CasePatterns::lenient(&[])
    }
}

/// The first case number in `text` (built-in pattern plus `patterns`' extras).
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
}
