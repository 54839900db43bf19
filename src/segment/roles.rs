//! Roles: who in a thread is the customer and who is support.
//!
//! Takes a cleaned thread and the `[segment]` config, gives one [`Role`] per message. Config wins
//! (support domains, engineer names); otherwise each author is scored by what their messages do:
//! support sends the templated follow-ups, asks for logs, writes the case summary and closes the
//! case; the customer confirms fixes and asks for closure. The author of the first message leans
//! customer, because a thread usually opens with the report — unless it reads like support's
//! restatement (`To recap what you described`), as in exports whose first mail is missing.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::text::re;
use super::SegmentConfig;
use crate::model::{Address, CleanThread, Role};

/// Evidence that a message was written by support, with the rule's name and weight.
static ENGINEER_CUES: LazyLock<Vec<(&'static str, i32, Regex)>> = LazyLock::new(|| {
    vec![
        ("case_summary", 3, re(r"(?i)案例总结|case summary")),
        (
            "closes_case",
            2,
            re(
                r"(?i)归档此案例|关闭此案例|将关闭|关闭案例|closing (?:this|the) case|close (?:this|the) case now|archive this case",
            ),
        ),
        (
            "asks_for_data",
            1,
            re(
                r"(?i)收集.{0,20}(?:日志|信息)|提供.{0,12}(?:日志|截图|信息)|(?:please|could you|can you)\s+(?:\w+\s+){0,2}(?:send|collect|upload|provide|attach|run)|send us",
            ),
        ),
        (
            "follows_up",
            2,
            re(
                r"(?i)来信是想|进展状况|following up on|checking in on|follow(?:ing)? up (?:on|with) (?:the|this|your) (?:case|ticket)",
            ),
        ),
        (
            "restates",
            2,
            re(
                r"(?i)to recap|as you described|you reported|according to your description|根据您的描述|您反馈的|您提到的|感谢您今天上午的来电|thank you for the call",
            ),
        ),
        (
            "plans",
            1,
            re(
                r"(?i)action plan|请进行以下|请按照以下|按以下步骤|please try|建议您|请您?(?:先)?(?:关闭并|先)?(?:禁用|卸载|更新|重启|升级|删除|导入|续签|新增|注销)",
            ),
        ),
        (
            "hears_it_works",
            3,
            re(
                r"(?i)您的问题已(?:经)?解决|your (?:issue|problem) (?:is|has been|was) (?:resolved|fixed)|glad to hear|great to hear|good to hear",
            ),
        ),
    ]
});

/// Evidence that a message was written by the customer.
static CUSTOMER_CUES: LazyLock<Vec<(&'static str, i32, Regex)>> = LazyLock::new(|| {
    vec![
        (
            "confirms_fix",
            2,
            re(
                r"(?i)问题已(?:经)?解决|已恢复正常|请关单|可以关单|可以关闭|works now|is resolved now|problem is resolved|issue is resolved|(?:you )?can close the (?:case|ticket)|please (?:go ahead and )?close",
            ),
        ),
        (
            "our_side",
            1,
            re(
                r"(?i)我们(?:这边|的用户|的终端|的服务器)|我司|our (?:users|servers|clients|side|environment)|we (?:installed|tried|applied|restarted)",
            ),
        ),
    ]
});

/// A mailbox or display name that belongs to a support desk rather than a person
/// (`support@`, `servicedesk@`, `noreply@`, `Ana Ruiz (Acme Support)`, `藍鵲資訊客服`).
static DESK_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:support|helpdesk|help|servicedesk|service-desk|service|itsupport|it-support|tickets?|cases?|incidents?|noreply|no-reply|donotreply|do-not-reply|notifications?|jira|zendesk|freshdesk|otrs|zammad|servicenow|salesforce)[._-]?[a-z0-9]*@|@(?:support|helpdesk|servicedesk|service)\.",
    )
});
static DESK_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:support|help ?desk|service ?desk|customer care|technical services|it services)\b|\bvia\b|客服|技术支持|技術支援|技術支持|服务台|服務台|支持中心|服务中心|服務中心",
    )
});

/// Whether a mailbox is a support desk's (`support@`, `jira@`, `@support.vendor`).
fn is_desk(from: &Address) -> bool {
    from.address
        .as_deref()
        .is_some_and(|a| DESK_ADDRESS.is_match(a.trim()))
}

/// Whether a display name reads as a team's (`Acme Support`, `技术支持`): weaker, since exports
/// sometimes show a customer's mail under the team that received it.
fn desk_name(from: &Address) -> bool {
    from.name.as_deref().is_some_and(|n| DESK_NAME.is_match(n))
}

/// One key per author: the address when there is one, else the name.
pub fn author_key(from: &Address) -> String {
    let raw = from
        .address
        .as_deref()
        .filter(|a| !a.trim().is_empty())
        .or(from.name.as_deref())
        .unwrap_or("");
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn domain(from: &Address) -> Option<String> {
    let a = from.address.as_deref()?;
    let (_, d) = a.rsplit_once('@')?;
    Some(d.trim().trim_end_matches('>').to_lowercase())
}

/// The role the config gives an author: support by domain or name; the customer when support
/// is listed and the author is not on the list (by name, or by address when domains are listed
/// and the author has one); `None` to infer.
fn configured(from: &Address, config: &SegmentConfig) -> Option<Role> {
    let domain = domain(from);
    let by_domain = domain.as_deref().is_some_and(|d| {
        config.support_domains.iter().any(|s| {
            let s = s.trim().trim_start_matches('@').to_lowercase();
            !s.is_empty() && (d == s || d.ends_with(&format!(".{s}")))
        })
    });
    let by_name = config.engineers.iter().any(|e| {
        let e = e.trim().to_lowercase();
        !e.is_empty()
            && [from.name.as_deref(), from.address.as_deref()]
                .into_iter()
                .flatten()
                .any(|x| x.to_lowercase().contains(&e))
    });
    if by_domain || by_name {
        Some(Role::Engineer)
    } else if !config.engineers.is_empty()
        || (domain.is_some() && !config.support_domains.is_empty())
    {
        Some(Role::Customer)
    } else {
        None
    }
}

/// The role of every message of `ct`, in order.
pub fn roles(ct: &CleanThread, config: &SegmentConfig) -> Vec<Role> {
    let messages = &ct.thread.messages;
    let mut score: HashMap<String, i32> = HashMap::new();
    for (i, (m, c)) in messages.iter().zip(&ct.cleaned).enumerate() {
        let key = author_key(&m.from);
        let text = super::text::fold(&c.text);
        let mut s = 0;
        for (_, weight, regex) in ENGINEER_CUES.iter() {
            if regex.is_match(&text) {
                s += weight;
            }
        }
        if c.status_ping {
            s += 2;
        }
        for (_, weight, regex) in CUSTOMER_CUES.iter() {
            if regex.is_match(&text) {
                s -= weight;
            }
        }
        // Who speaks: a desk's mailbox is support.
        if is_desk(&m.from) {
            s += 4;
        } else if desk_name(&m.from) {
            s += 1;
        }
        if i == 0 {
            s -= 1;
        }
        *score.entry(key).or_default() += s;
    }
    // Authors of one domain share a side, so a support colleague who only writes once is not
    // mistaken for the customer.
    let mut domain_score: HashMap<String, i32> = HashMap::new();
    for m in messages {
        if let Some(d) = domain(&m.from) {
            let s = score.get(&author_key(&m.from)).copied().unwrap_or(0);
            *domain_score.entry(d).or_default() += s;
        }
    }
    // A helpdesk's mailbox settles the sides when only one domain has one: that domain is
    // support, every other domain the customer.
    let desk_domains: std::collections::BTreeSet<String> = messages
        .iter()
        .filter(|m| is_desk(&m.from))
        .filter_map(|m| domain(&m.from))
        .collect();
    let desk = (desk_domains.len() == 1)
        .then(|| desk_domains.iter().next().cloned())
        .flatten();
    let best = score.values().copied().max().unwrap_or(0);
    let worst = score.values().copied().min().unwrap_or(0);
    // With no evidence for support at all, the most support-like author of a conversation is
    // still support: a thread has two sides.
    let fallback = score.len() > 1 && best <= 0 && best > worst;
    let mut out: Vec<Role> = Vec::with_capacity(messages.len());
    for (i, m) in messages.iter().enumerate() {
        // A forwarded mail speaks for whoever forwarded it: the user report a customer passes on
        // is the customer's report, whoever its original author was.
        if is_forwarded_part(messages, i) {
            let carrier = out.last().copied().unwrap_or(Role::Customer);
            out.push(carrier);
            continue;
        }
        let role = {
            if let Some(role) = configured(&m.from, config) {
                out.push(role);
                continue;
            }
            if let (Some(desk), Some(d)) = (&desk, domain(&m.from)) {
                out.push(if *desk == d {
                    Role::Engineer
                } else {
                    Role::Customer
                });
                continue;
            }
            let own = score.get(&author_key(&m.from)).copied().unwrap_or(0);
            let s = domain(&m.from)
                .and_then(|d| domain_score.get(&d).copied())
                .unwrap_or(own);
            if s > 0 || (fallback && own == best) {
                Role::Engineer
            } else {
                Role::Customer
            }
        };
        out.push(role);
    }
    out
}

/// Message `i` is a `message/rfc822` part surfaced right after the mail that carried it (the
/// reader gives it the carrier's file and the next index).
pub fn is_forwarded_part(messages: &[crate::model::Message], i: usize) -> bool {
    let (Some(m), Some(prev)) = (
        messages.get(i),
        i.checked_sub(1).and_then(|p| messages.get(p)),
    ) else {
        return false;
    };
    m.source.path == prev.source.path
        && m.source.index == prev.source.index + 1
        && prev
            .attachments
            .iter()
            .any(|a| a.content_type.eq_ignore_ascii_case("message/rfc822"))
}

/// The names of the cue rules that fire on `text`, for explaining a role.
pub fn cues(text: &str) -> Vec<&'static str> {
    ENGINEER_CUES
        .iter()
        .chain(CUSTOMER_CUES.iter())
        .filter(|(_, _, r)| r.is_match(text))
        .map(|(name, _, _)| *name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::tests::{ct, msg};

    #[test]
    fn a_forwarded_report_takes_its_carriers_side() {
        let mut t = ct(vec![
            msg(
                "Maya Fernandes",
                "I am forwarding one of the user reports.",
                false,
            ),
            msg(
                "Peter Novak",
                "My laptop crashed again when I undocked it.",
                false,
            ),
            msg("Ravi Shankar", "Please update the driver to 8.4.3.", false),
        ]);
        let rfc822 = crate::model::Attachment {
            name: None,
            content_type: "message/rfc822".into(),
            size: 10,
        };
        t.thread.messages[0].attachments.push(rfc822);
        assert!(is_forwarded_part(&t.thread.messages, 1));
        assert!(!is_forwarded_part(&t.thread.messages, 2));
        let r = roles(&t, &SegmentConfig::default());
        assert_eq!(r[1], r[0]);
        // Without the attachment the same message is an author of its own.
        t.thread.messages[0].attachments.clear();
        assert!(!is_forwarded_part(&t.thread.messages, 1));
    }

    #[test]
    fn follow_ups_and_summary_make_support_and_confirmation_makes_customer() {
        let t = ct(vec![
            msg(
                "Wei Liang",
                "许先生 您好：\n来信是想了解最终用户升级测试情况如何？",
                true,
            ),
            msg("Windows Server技术支持", "问题已解决，请关单。", false),
            msg(
                "Wei Liang",
                "确认您的问题已经解决，我将归档此案例。\n案例总结：",
                false,
            ),
        ]);
        assert_eq!(
            roles(&t, &SegmentConfig::default()),
            [Role::Engineer, Role::Customer, Role::Engineer]
        );
    }

    #[test]
    fn first_author_is_the_customer_without_other_evidence() {
        let t = ct(vec![
            msg("Anna", "Printing is slow since Monday.", false),
            msg("Bob", "Thanks, I see. Which driver do you use?", false),
        ]);
        assert_eq!(
            roles(&t, &SegmentConfig::default()),
            [Role::Customer, Role::Engineer]
        );
    }

    #[test]
    fn config_domains_and_names_win() {
        let mut a = msg("Anna", "Could you please send the logs?", false);
        a.0.from.address = Some("anna@customer.example".into());
        let mut b = msg("Bob", "Here they are.", false);
        b.0.from.address = Some("bob@support.northwind.example".into());
        let t = ct(vec![a, b]);
        let config = SegmentConfig {
            support_domains: vec!["northwind.example".into()],
            ..SegmentConfig::default()
        };
        assert_eq!(roles(&t, &config), [Role::Customer, Role::Engineer]);
        assert_eq!(cues("Could you please send the logs?"), ["asks_for_data"]);
    }
}
