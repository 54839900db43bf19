//! What a case subject says besides its title: the priority and customer slots
//! (`|P2|ICBC|`), and the title itself once reply prefixes, banners, the case number, the slots and
//! the export's `% 初次响应 CMIT:0001374` decorations are taken off.
//!
//! Takes a raw subject line, gives strings. The CRM that writes the exports puts the slots between
//! `%` marks and appends its response-time tag after another `%`; mail clients add `回复:`/`RE:`
//! and gateways add `【外来邮件，注意核实】` in front, in any order and any number of times.

use std::sync::LazyLock;

use regex::Regex;

fn re(pattern: &str) -> Regex {
    // Constant patterns of this file; the tests compile every one of them.
    crate::rule::Rule::builtin("subject pattern", pattern).regex
}

/// What is left of a ticket tag once its number is taken out: `[案例号:  ]`, `[Case: ]`, `[ ]`.
static EMPTY_TAG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[\[【(（]\s*(?:案例号|案例號|案例编号|案例編號|案件号|案件號|案例|工单号|工單號|工单|工單|(?i:case(?:\s*(?:no\.?|number|#))?|ticket|request))?\s*[:：#]?\s*[\]】)）]",
    )
});

/// The CRM's slots: `|P2|ICBC|` (priority, customer code) or `|P2|`.
static SLOTS: LazyLock<Regex> = LazyLock::new(|| re(r"\|\s*P[1-4]\s*\|(?:\s*[^|\s][^|]*?\s*\|)?"));

static SLOT_PRIORITY: LazyLock<Regex> = LazyLock::new(|| re(r"\|\s*(P[1-4])\s*\|"));

static SLOT_CUSTOMER: LazyLock<Regex> =
    LazyLock::new(|| re(r"\|\s*P[1-4]\s*\|\s*([^|\s][^|]*?)\s*\|"));

/// `Priority: 2`, `优先级：P1`, `[P3]`, `Sev 2` when there is no slot.
static LABELLED_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)(?:priority|severity|sev|优先级)\s*[:：]?\s*P?([1-4])(?-u:\b)|\[\s*P([1-4])\s*\]")
});

/// The CRM's `%` separators stand between spaces; `100% CPU` is content.
static DECORATION_MARK: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)%(?:\s|$)"));

/// A `%`-separated segment that is the CRM's response-time tag, not the title.
static DECORATION: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)CMIT\s*[:：]\s*\d+|初次响应|首次响应|initial response|first response")
});

/// The subject's title: `回复: [案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应
/// CMIT:0001374` → `工行广东分行升级失败`.
pub fn title(subject: &str) -> String {
    let mut s = strip_leading(subject);
    s = without_tickets(&s);
    s = EMPTY_TAG.replace_all(&s, " ").into_owned();
    s = SLOTS.replace_all(&s, " ").into_owned();
    let kept: Vec<String> = DECORATION_MARK
        .split(&s)
        .map(|seg| strip_leading(seg.trim()))
        .filter(|seg| !seg.is_empty() && !DECORATION.is_match(seg))
        .collect();
    let joined = kept.join(" ");
    let collapsed = joined.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_matches(|c: char| c.is_whitespace() || "-–—:：|".contains(c))
        .to_string()
}

/// Reply prefixes and banners, as threading sees them.
fn strip_leading(text: &str) -> String {
    crate::thread::normalize_subject(text)
}

/// The subject without the helpdesk's ticket numbers and thread tokens (a customer's own
/// reference stays: it is part of what they wrote).
fn without_tickets(subject: &str) -> String {
    static PATTERNS: LazyLock<crate::thread::CasePatterns> =
        LazyLock::new(crate::thread::CasePatterns::default);
    let mut out = String::with_capacity(subject.len());
    let mut at = 0;
    for t in PATTERNS.find_all(subject).iter().filter(|t| !t.own) {
        out.push_str(&subject[at..t.start]);
        out.push(' ');
        at = t.end;
    }
    out.push_str(&subject[at..]);
    out
}

/// `P1`–`P4` from the subject's slot, else from a `Priority:`-style label.
pub fn priority(subject: &str) -> Option<String> {
    if let Some(c) = SLOT_PRIORITY.captures(subject) {
        return Some(c[1].to_string());
    }
    let c = LABELLED_PRIORITY.captures(subject)?;
    let digit = c.get(1).or(c.get(2))?;
    Some(format!("P{}", digit.as_str()))
}

/// The customer code of the `|P2|ICBC|` slot.
pub fn customer(subject: &str) -> Option<String> {
    SLOT_CUSTOMER
        .captures(subject)
        .map(|c| c[1].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "回复: 回复:【外来邮件，注意核实】回复: [案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应 CMIT:0001374";

    #[test]
    fn sample_subject_gives_title_priority_customer() {
        assert_eq!(title(SAMPLE), "工行广东分行升级失败");
        assert_eq!(priority(SAMPLE).as_deref(), Some("P2"));
        assert_eq!(customer(SAMPLE).as_deref(), Some("ICBC"));
    }

    #[test]
    fn english_subject_with_case_tag_and_slots() {
        let s = "RE: FW: [Case: CAS-31002-H4N8P1] |P3|KESTREL| NwAgent service stops with Event ID 7031";
        assert_eq!(title(s), "NwAgent service stops with Event ID 7031");
        assert_eq!(priority(s).as_deref(), Some("P3"));
        assert_eq!(customer(s).as_deref(), Some("KESTREL"));
    }

    #[test]
    fn labelled_priority_and_no_customer() {
        let s = "[External] Re: Printer queue stuck (Priority: 1)";
        assert_eq!(title(s), "Printer queue stuck (Priority: 1)");
        assert_eq!(priority(s).as_deref(), Some("P1"));
        assert_eq!(customer(s), None);
        assert_eq!(priority("打印慢"), None);
    }

    #[test]
    fn percent_in_a_title_and_traditional_case_tag() {
        assert_eq!(
            title("[案例號: CAS-21009-F3L8Y2] 瘦客戶端開機無法連線"),
            "瘦客戶端開機無法連線"
        );
        assert_eq!(
            title("Re: Print jobs stuck, spoolsv.exe at 100% CPU"),
            "Print jobs stuck, spoolsv.exe at 100% CPU"
        );
    }

    #[test]
    fn other_helpdesks_tags_and_every_reply_prefix_leave_the_title() {
        for (subject, want) in [
            ("答覆: 問題", "問題"),
            ("WG: Sicherung", "Sicherung"),
            (
                "Re[2]: [#50217] Re: Calendars reject bookings",
                "Calendars reject bookings",
            ),
            (
                "RE: Case #00401188: Veeam backup fails [ ref:_00D8a0Ks2P._5008a0Nq7XwR:ref ]",
                "Veeam backup fails",
            ),
            (
                "[Ticket#2024050610000213] RE: OSPF stuck in ExStart",
                "OSPF stuck in ExStart",
            ),
            ("[SUP-547] 从库复制中断", "从库复制中断"),
            ("Request #50217: Send As bounces", "Send As bounces"),
            (
                "RE: Laptops ask for the recovery key [Ticket#52366]",
                "Laptops ask for the recovery key",
            ),
            (
                "采集服务无法启动（我方单号 INC0203318）",
                "采集服务无法启动（我方单号 INC0203318）",
            ),
        ] {
            assert_eq!(title(subject), want, "{subject}");
        }
    }

    #[test]
    fn title_is_idempotent() {
        assert_eq!(title(&title(SAMPLE)), "工行广东分行升级失败");
    }
}
