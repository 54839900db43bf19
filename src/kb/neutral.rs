//! Customer-neutral text: an article other customers read never says whose problem it was.
//!
//! Takes a group of cases and the `[kb] customers` alias table, gives the names to hide
//! ([`names`]) and text with each of them replaced by a neutral word ([`Neutral::text`]):
//! `客户` in Chinese articles, `the customer` in English ones. The names come from
//! - each case's customer code (the subject's `|ICBC|` slot) and its aliases in the table;
//! - organisation names in the signatures of the customer's mails (a line part that carries an
//!   organisation suffix such as `银行`, `GmbH`, `Ltd`, or contains the customer code, or the
//!   first part of a Chinese `organisation department` line);
//! - what the engineer's greetings address (`Dear Contoso team,`), placeholders left out;
//! - the usual Chinese short form of a bank (`中国工商银行` → `工商银行`, `工行`).
//!
//! A branch or subsidiary written after a name (`工行广东分行`) goes with it, and a branch on its
//! own (`广东分行`) is hidden too.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Case, RemovalReason, Role};

/// The word that replaces a customer's name.
pub fn word(language: &str) -> &'static str {
    if language == "zh" {
        "客户"
    } else {
        "the customer"
    }
}

/// What a name becomes inside a path, a domain or an account name.
pub const TECHNICAL: &str = "CUSTOMER";

/// Suffixes that mark a name as an organisation's.
const ORG_SUFFIXES: &[&str] = &[
    "银行",
    "公司",
    "集团",
    "医院",
    "大学",
    "学院",
    "政府",
    "研究院",
    "研究所",
    "电力",
    "通信",
    "航空",
    "地铁",
    "物流",
    "港务",
    "水务",
    "金融",
    "科技",
    "证券",
    "保险",
    "GmbH",
    "Inc",
    "Inc.",
    "Ltd",
    "Ltd.",
    "LLC",
    "Corp",
    "Corp.",
    "Bank",
    "Group",
    "AG",
    "S.A.",
    "plc",
    "Co.",
    "University",
    "College",
    "Council",
    "Hospital",
    "Clinic",
    "Clinics",
    "Insurance",
    "Credit Union",
    "Foods",
    "Energy",
    "Logistics",
    "Freight",
    "Health",
    "Retail",
    "Tools",
];

/// Chinese department suffixes: the part of a signature line that is not the organisation.
const DEPARTMENT_SUFFIXES: &[&str] = &["部", "组", "中心", "科", "处", "室", "分公司", "团队"];

/// Words around a name in a greeting.
const GREETING_WORDS: &[&str] = &[
    "hi", "hello", "dear", "team", "all", "您好", "你好", "各位", "团队", "老师", "同事",
];

/// The names to hide for `group`, longest first, without duplicates.
pub fn names(group: &[&Case], aliases: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for case in group {
        if let Some(code) = case.customer.as_deref().map(str::trim) {
            if !code.is_empty() {
                out.push(code.to_string());
            }
        }
        for m in &case.messages {
            if m.role == Role::Customer {
                for r in &m.removed {
                    if r.reason == RemovalReason::Signature {
                        out.extend(signature_orgs(&r.text, case.customer.as_deref()));
                    }
                }
            } else if let Some(g) = &m.greeting {
                out.extend(greeting_name(g));
            }
        }
    }
    // The alias table: a group any of whose names (or its key) is known joins the list.
    let lower: Vec<String> = out.iter().map(|n| n.to_lowercase()).collect();
    for (code, list) in aliases {
        let known = std::iter::once(code)
            .chain(list)
            .any(|n| lower.contains(&n.to_lowercase()));
        if known {
            out.push(code.clone());
            out.extend(list.iter().cloned());
        }
    }
    let derived: Vec<String> = out.iter().flat_map(|n| short_forms(n)).collect();
    out.extend(derived);
    out.retain(|n| n.chars().count() >= 2);
    out.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// Organisation names in one signature of the customer's.
fn signature_orgs(signature: &str, code: Option<&str>) -> Vec<String> {
    let code = code.map(str::to_lowercase).filter(|c| c.len() >= 3);
    let mut out = Vec::new();
    for line in signature.lines().map(str::trim) {
        if line.is_empty() || line.contains('[') || line.contains('@') || line.contains(':') {
            continue;
        }
        if line.contains('：') || line.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        let parts: Vec<&str> = line
            .split([',', '|', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        for part in &parts {
            let words: Vec<&str> = part.split_whitespace().collect();
            let chinese = part.chars().any(crate::script::is_han);
            if chinese {
                // `民汇银行 科技运维中心`: the organisation, then its department.
                let rest_is_department = words.len() >= 2
                    && words[1..].iter().all(|w| {
                        DEPARTMENT_SUFFIXES.iter().any(|s| w.ends_with(s)) || w.is_ascii()
                    });
                if rest_is_department {
                    out.push(words[0].to_string());
                }
                // `中国工商银行软件开发中心`: up to the first organisation suffix.
                for w in &words {
                    let cut = ORG_SUFFIXES
                        .iter()
                        .filter(|s| !s.is_ascii())
                        .filter_map(|s| w.find(s).map(|i| i + s.len()))
                        .filter(|&end| w[..end].chars().count() > 2)
                        .min();
                    if let Some(end) = cut {
                        out.push(w[..end].to_string());
                    }
                }
                continue;
            }
            let lower = part.to_lowercase();
            let has_suffix = ORG_SUFFIXES
                .iter()
                .any(|s| part.ends_with(s) && part.len() > s.len());
            let has_code = code.as_deref().is_some_and(|c| {
                lower
                    .split(|ch: char| !ch.is_alphanumeric())
                    .any(|w| w.len() >= 3 && (c.starts_with(w) || w.starts_with(c)))
            });
            if has_suffix || has_code {
                out.push(part.to_string());
            }
        }
    }
    out
}

/// Whom an engineer's greeting addresses, when it names more than a placeholder.
fn greeting_name(greeting: &str) -> Option<String> {
    let g = greeting.trim_end_matches(|c: char| ",，:：!！".contains(c) || c.is_whitespace());
    if g.contains('[') {
        return None;
    }
    let mut rest = g.to_string();
    for w in GREETING_WORDS {
        let lower = rest.to_lowercase();
        if let Some(i) = lower.find(w) {
            let end = i + w.len();
            if rest.is_char_boundary(i) && rest.is_char_boundary(end) {
                rest.replace_range(i..end, " ");
            }
        }
    }
    let rest = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    let chinese = rest.chars().any(crate::script::is_han);
    let long_enough = if chinese {
        rest.chars().count() >= 2
    } else {
        rest.len() >= 3
    };
    long_enough.then_some(rest)
}

/// The short forms a Chinese bank goes by: `中国工商银行` → `工商银行`, `工行`.
fn short_forms(name: &str) -> Vec<String> {
    let Some(stem) = name.strip_suffix("银行") else {
        return Vec::new();
    };
    let stem = stem.strip_prefix("中国").unwrap_or(stem);
    let mut out = Vec::new();
    if let Some(first) = stem.chars().next() {
        if stem.chars().count() >= 2 {
            out.push(format!("{stem}银行"));
            out.push(format!("{first}行"));
        }
    }
    out
}

/// A branch, subsidiary or office written after a name, or on its own (`广东分行`).
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}{2,3}?(?:分行|支行|分公司|营业部)").expect("static regex")
});

/// Replaces customer names in text.
#[derive(Clone)]
pub struct Neutral {
    pattern: Option<Regex>,
    word: &'static str,
}

impl Neutral {
    pub fn new(names: &[String], language: &str) -> Neutral {
        let alternatives: Vec<String> = names
            .iter()
            .map(|n| {
                let e = regex::escape(n);
                if n.is_ascii() {
                    format!(r"\b{e}\b")
                } else {
                    e
                }
            })
            .collect();
        let branch = r"(?:\p{Han}{2,3}?(?:分行|支行|分公司|营业部))";
        let pattern = if alternatives.is_empty() {
            branch.to_string()
        } else {
            format!("(?i:{}){branch}?|{branch}", alternatives.join("|"))
        };
        Neutral {
            pattern: Regex::new(&pattern).ok(),
            word: word(language),
        }
    }

    /// `text` with every name replaced by the neutral word, a doubled word collapsed.
    pub fn text(&self, text: &str) -> String {
        let Some(re) = &self.pattern else {
            return text.to_string();
        };
        if !re.is_match(text) && !BRANCH.is_match(text) {
            return text.to_string();
        }
        // Inside a path, domain or account (`ACME\\svc-backup`, `fs.acme.example`) a name becomes
        // the placeholder `CUSTOMER`, so the command still reads as one.
        let technical = |c: Option<char>| c.is_some_and(|c| "\\/.@_-".contains(c));
        let out = re
            .replace_all(text, |caps: &regex::Captures| {
                let m = caps.get(0).map_or((0, 0), |m| (m.start(), m.end()));
                let before = text[..m.0].chars().next_back();
                let after = text[m.1..].chars().next();
                let name = &text[m.0..m.1];
                if name.is_ascii() && (technical(before) || technical(after)) {
                    TECHNICAL.to_string()
                } else {
                    self.word.to_string()
                }
            })
            .into_owned();
        let doubled = format!("{0}{0}", self.word);
        let doubled_spaced = format!("{0} {0}", self.word);
        out.replace(&doubled, self.word)
            .replace(&doubled_spaced, self.word)
    }

    /// A title without the customer: names removed, not replaced, with what glued them on.
    pub fn title(&self, title: &str) -> String {
        let replaced = self.text(title);
        let mut out = replaced.clone();
        for glue in [
            format!("at {}", self.word),
            format!("for {}", self.word),
            format!("{}的", self.word),
            format!("{}:", self.word),
            format!("{} -", self.word),
            format!("|{}|", self.word),
            self.word.to_string(),
        ] {
            out = out.replace(&glue, " ");
        }
        let out = out
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_matches(|c: char| "-:：|,，、".contains(c) || c.is_whitespace())
            .to_string();
        if out.is_empty() {
            replaced
        } else {
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::case;
    use crate::model::Removal;

    #[test]
    fn names_come_from_the_code_signatures_greetings_and_aliases() {
        let mut c = case("A", 1, "t", "c", "r", &[]);
        c.customer = Some("ICBC".into());
        c.messages[0].removed.push(Removal {
            reason: RemovalReason::Signature,
            rule: "sig".into(),
            text: "☆☆☆\n中国工商银行软件开发中心（珠海）\n[name]\n系统一部\n电话：[phone]".into(),
        });
        c.messages[1].removed.push(Removal {
            reason: RemovalReason::Signature,
            rule: "sig".into(),
            text: "Regards,\n[customer-1]\nInfrastructure Engineer, Brighton Foods".into(),
        });
        c.messages[2].role = Role::Engineer;
        c.messages[2].greeting = Some("Dear Contoso team,".into());
        let mut aliases = BTreeMap::new();
        aliases.insert("ICBC".to_string(), vec!["中国工商银行".to_string()]);
        let n = names(&[&c], &aliases);
        assert_eq!(
            n,
            [
                "中国工商银行",
                "Brighton Foods",
                "工商银行",
                "Contoso",
                "工行",
                "ICBC"
            ]
        );
    }

    #[test]
    fn text_and_titles_lose_the_customer() {
        let names = vec!["ICBC".to_string(), "工行".to_string()];
        let zh = Neutral::new(&names, "zh");
        assert_eq!(
            zh.text("工行广东分行有设备升级V2020-L失败。广东分行离线升级失败"),
            "客户有设备升级V2020-L失败。客户离线升级失败"
        );
        assert_eq!(zh.title("工行广东分行升级失败"), "升级失败");
        let en = Neutral::new(&["WAYNE".to_string()], "en");
        assert_eq!(
            en.text("16 servers at WAYNE report: blue screen"),
            "16 servers at the customer report: blue screen"
        );
        assert_eq!(
            en.title("Wayne: blue screen on boot"),
            "blue screen on boot"
        );
        assert_eq!(en.text("Waynesboro"), "Waynesboro");
        assert_eq!(
            en.text("Grant WAYNE\\svc-nbr access to \\\\fs.wayne.example\\share"),
            "Grant CUSTOMER\\svc-nbr access to \\\\fs.CUSTOMER.example\\share"
        );
    }
}
