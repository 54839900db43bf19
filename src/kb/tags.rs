//! Article tags: what kind of problem an article is about (upgrade, backup, crash…), found by a
//! table of named rules over the title, symptoms and cause, in both languages.
//!
//! Takes the text of a group of cases, gives sorted tag names. The built-in table can be extended
//! with `[[kb.tags]]` entries in `casebook.toml`; a user entry with a built-in name adds keywords.
//! Each tag's words compile to one [`Rule`] named after the tag.

use std::borrow::Cow;

use serde::Deserialize;

use crate::rule::Rule;

/// A `[[kb.tags]]` entry: a tag and the words that earn it, matched case-insensitively: ASCII
/// words at word boundaries (`hang` is not in `change`), Chinese words anywhere (Chinese has no
/// spaces to bound them).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagWords {
    pub tag: String,
    pub words: Vec<String>,
}

const BUILTIN: &[(&str, &[&str])] = &[
    (
        "upgrade",
        &["upgrade", "升级", "in-place", "feature update"],
    ),
    ("install", &["install", "安装", "setup failed", "部署"]),
    ("backup", &["backup", "restore", "备份", "还原", "vss"]),
    (
        "boot",
        &["boot", "bootmgr", "开机", "无法开机", "启动不了系统"],
    ),
    (
        "service",
        &[
            "service stops",
            "service fails to start",
            "service won't start",
            "服务无法启动",
            "服务停止",
            "无法启动",
            "event id 7031",
            "error 1053",
        ],
    ),
    (
        "crash",
        &[
            "crash",
            "崩溃",
            "闪退",
            "蓝屏",
            "bsod",
            "blue screen",
            "stop code",
            "hang",
            "卡死",
            "无响应",
            "not responding",
        ],
    ),
    (
        "performance",
        &[
            "slow",
            "performance",
            "high cpu",
            "内存占用",
            "卡顿",
            "性能",
            "延迟",
            "latency",
        ],
    ),
    (
        "network",
        &[
            "network",
            "网络",
            "dns",
            "tcp",
            "连接超时",
            "timeout",
            "超时",
            "proxy",
            "代理",
        ],
    ),
    (
        "authentication",
        &[
            "login",
            "logon",
            "sign-in",
            "password",
            "登录",
            "认证",
            "密码",
            "kerberos",
            "ldap",
            "certificate",
            "证书",
        ],
    ),
    (
        "permissions",
        &[
            "access denied",
            "permission",
            "0x80070005",
            "拒绝访问",
            "权限",
        ],
    ),
    ("printing", &["print", "打印"]),
    (
        "email",
        &["outlook", "exchange", "mailbox", "邮箱同步", "smtp"],
    ),
    (
        "database",
        &["database", "sql", "数据库", "deadlock", "死锁"],
    ),
    (
        "licensing",
        &["license", "licence", "activation", "许可", "激活"],
    ),
    (
        "third-party",
        &[
            "third-party",
            "third party",
            "第三方",
            "antivirus",
            "杀毒",
            "安全软件",
        ],
    ),
    (
        "disk",
        &["disk", "磁盘", "storage", "存储", "no space", "空间不足"],
    ),
    ("update", &["windows update", "patch", "补丁", "kb5", "kb4"]),
];

/// The built-in rules followed by the user's; a tag without a (non-empty) word gets none.
pub fn rules(extra: &[TagWords]) -> Vec<Rule> {
    let builtin = BUILTIN
        .iter()
        .filter_map(|&(tag, words)| rule(Cow::Borrowed(tag), words));
    let user = extra
        .iter()
        .filter_map(|t| rule(Cow::Owned(t.tag.clone()), &t.words));
    builtin.chain(user).collect()
}

/// One tag's words as one pattern over lowercased text: each word lowercased and literal, and
/// an ASCII letter or digit at either end of a word must not be glued to another one in the
/// text (the pattern takes the neighbour or the text's end).
fn rule<S: AsRef<str>>(tag: Cow<'static, str>, words: &[S]) -> Option<Rule> {
    let bound = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let alternatives: Vec<String> = words
        .iter()
        .map(|w| w.as_ref().to_lowercase())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let before = if bound(w.chars().next()) {
                "(?:^|[^0-9A-Za-z])"
            } else {
                ""
            };
            let after = if bound(w.chars().next_back()) {
                "(?:[^0-9A-Za-z]|$)"
            } else {
                ""
            };
            format!("{before}{}{after}", regex::escape(&w))
        })
        .collect();
    if alternatives.is_empty() {
        return None;
    }
    // Literal words cannot make a bad pattern; only a list too big for the regex size limit
    // could, and that tag is then left out.
    Rule::new(tag, &alternatives.join("|")).ok()
}

/// The tags whose words occur in `text`, sorted and deduplicated.
pub fn tags(text: &str, rules: &[Rule]) -> Vec<String> {
    let text = text.to_lowercase();
    let mut out: Vec<String> = rules
        .iter()
        .filter(|r| r.regex.is_match(&text))
        .map(|r| r.name().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_come_from_both_languages_and_user_rules() {
        let extra = [TagWords {
            tag: "zkcloud".into(),
            words: vec!["ZKCLOUD".into()],
        }];
        let rules = rules(&extra);
        assert_eq!(
            tags(
                "工行广东分行升级失败：setuphost.exe 加载了第三方 zkcloud 组件",
                &rules
            ),
            vec!["third-party", "upgrade", "zkcloud"]
        );
        assert_eq!(
            tags("Backup job fails with Access Denied", &rules),
            vec!["backup", "permissions"]
        );
        assert!(tags("nothing to see", &rules).is_empty());
        assert!(tags("Please change the relay settings and reboot", &rules).is_empty());
        assert_eq!(tags("The app hangs; 服务无法启动", &rules), vec!["service"]);
    }
}
