//! Article tags: what kind of problem an article is about (upgrade, backup, crash…), found by a
//! table of named rules over the title, symptoms and cause, in both languages.
//!
//! Takes the text of a group of cases, gives sorted tag names. The built-in table can be extended
//! with `[[kb.tags]]` entries in `casebook.toml`; a user rule with a built-in name adds keywords.

use serde::Deserialize;

/// A tag and the words that earn it, matched case-insensitively: ASCII words at word boundaries
/// (`hang` is not in `change`), Chinese words anywhere (Chinese has no spaces to bound them).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TagRule {
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

/// The built-in rules followed by the user's.
pub fn rules(extra: &[TagRule]) -> Vec<TagRule> {
    let mut all: Vec<TagRule> = BUILTIN
        .iter()
        .map(|(tag, words)| TagRule {
            tag: tag.to_string(),
            words: words.iter().map(|w| w.to_string()).collect(),
        })
        .collect();
    all.extend(extra.iter().cloned());
    all
}

/// The tags whose words occur in `text`, sorted and deduplicated.
pub fn tags(text: &str, rules: &[TagRule]) -> Vec<String> {
    let text = text.to_lowercase();
    let mut out: Vec<String> = rules
        .iter()
        .filter(|r| r.words.iter().any(|w| occurs(&text, &w.to_lowercase())))
        .map(|r| r.tag.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Whether `word` occurs in `text`; an ASCII letter or digit at either end of the word must not
/// be glued to another one in the text.
fn occurs(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let starts_word = glued(word.chars().next());
    let ends_word = glued(word.chars().next_back());
    text.match_indices(word).any(|(i, m)| {
        let before = text[..i].chars().next_back();
        let after = text[i + m.len()..].chars().next();
        let glued_before = starts_word && glued(before);
        let glued_after = ends_word && glued(after);
        !glued_before && !glued_after
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_come_from_both_languages_and_user_rules() {
        let extra = [TagRule {
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
