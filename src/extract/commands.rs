//! Command lines found by where they stand, not by which tool they name.
//!
//! Engineers write commands in a few places a reader recognises without knowing the tool: on a
//! line of their own (often a numbered step), after a device or shell prompt, after "run"
//! (`执行`, `運行`), and as a Latin run inside Chinese prose (`斷線時 display ike sa 看不到`).
//! A chain (`a && b`, `a; b`, `a | b`) is several commands. What such a span holds is a command
//! when it looks like one: a lower-case program name or a path or a script, not an English
//! function word, and no prose words further on; inside Chinese prose it must also carry an
//! argument that only command lines carry (a flag, a path, a number, `=`), or name a known tool.
//!
//! [`commands`] gives each command as written (whitespace folded, at most eight words), so a
//! reader searching for `grep` or `display ospf interface` finds the line that used it.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;

use super::re;

use super::CLI_TOOLS;
use crate::script::{is_cjk, is_han};

/// Everyday programs of Unix shells and Windows consoles that [`CLI_TOOLS`] leaves out because
/// their names are also words (`find`, `top`) or too short to stand alone in prose (`ls`, `ip`).
/// They count as known tools only where a command can stand: on a command line, after a prompt
/// or after "run".
const SHELL_TOOLS: &[&str] = &[
    "ls",
    "cat",
    "less",
    "more",
    "head",
    "tail",
    "grep",
    "egrep",
    "find",
    "sort",
    "uniq",
    "wc",
    "awk",
    "sed",
    "cut",
    "tr",
    "xargs",
    "tee",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "rmdir",
    "ln",
    "touch",
    "chmod",
    "chown",
    "chgrp",
    "chattr",
    "stat",
    "file",
    "tar",
    "gzip",
    "gunzip",
    "zip",
    "unzip",
    "ps",
    "top",
    "htop",
    "kill",
    "pkill",
    "killall",
    "free",
    "uptime",
    "uname",
    "hostname",
    "hostnamectl",
    "timedatectl",
    "date",
    "id",
    "whoami",
    "su",
    "sudo",
    "passwd",
    "useradd",
    "usermod",
    "getent",
    "ping",
    "ip",
    "ss",
    "netstat",
    "arp",
    "route",
    "dig",
    "host",
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "telnet",
    "nc",
    "ftp",
    "vi",
    "vim",
    "nano",
    "python",
    "python3",
    "java",
    "node",
    "npm",
    "pip",
    "perl",
    "bash",
    "sh",
    "jq",
    "yum",
    "dnf",
    "apt",
    "apt-get",
    "rpm",
    "dpkg",
    "crontab",
    "lsattr",
    "blkid",
    "vdf",
    "ethtool",
    "mtr",
    "nmap",
    "sar",
    "strace",
    "lsmod",
    "modprobe",
    "sysctl",
    "ulimit",
    "dir",
    "net",
    "type",
    "copy",
    "del",
    "ren",
    "move",
    "tasklist",
    "taskkill",
    "systeminfo",
    "msinfo32",
    "eventvwr",
    "services.msc",
    "gpedit.msc",
    "regedit",
    "mstsc",
    "route",
    "arp",
    "pathping",
    "quser",
    "query",
    "shutdown",
    "powershell",
    "cmd",
    "winrm",
    "wevtutil",
    "fsutil",
    "takeown",
    "cipher",
    "schtasks",
    "gpmc.msc",
];

/// Network operating systems' verbs (Cisco IOS, Huawei VRP/Comware, FortiOS): a device command
/// opens with one of them.
const DEVICE_VERBS: &[&str] = &[
    "display",
    "show",
    "undo",
    "reset",
    "diagnose",
    "debug",
    "debugging",
    "clear",
    "config",
    "write",
    "save",
    "system-view",
    "terminal",
    "get",
    "execute",
    "interface",
    "quit",
];

/// Words that open or fill English prose, never a command line.
const PROSE_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "to", "of", "in", "on", "at", "for", "from", "with",
    "by", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "we", "i", "you", "he", "she", "they", "our", "your", "my", "their", "his", "her",
    "please", "pls", "thanks", "thank", "hi", "hello", "dear", "ok", "okay", "yes", "no", "not",
    "if", "then", "so", "also", "just", "now", "still", "only", "all", "any", "some", "after",
    "before", "when", "which", "what", "how", "why", "can", "will", "would", "should", "could",
    "may", "might", "must", "do", "does", "did", "done", "has", "have", "had", "there", "here",
    "e.g.", "i.e.", "etc", "via", "per", "than", "very", "too", "again", "once", "same", "other",
    "about", "into", "over", "under", "until", "while", "since", "because", "see", "let", "me",
    "us", "them", "him", "regards", "best", "sent", "re", "fw", "fwd", "note", "cc",
];

/// A list marker or a quote marker at the start of a line.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "command marker",
        r"^(?:>\s*)*(?:\d{1,2}[.)）、]\s*|[（(]\d{1,2}[)）]\s*|[-*•·]\s+)?",
    )
});

/// A shell, database or device prompt; group 1 is a tool's own prompt name (`RMAN>`, `DGMGRL>`).
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "command prompt",
        r"^(?:\[[^\]\n]{1,40}\]\s*[#$]?|[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(?::[^\s$#]*)?[#$]|PS [A-Za-z]:\\[^>\n]*>|[A-Za-z]:\\[^>\n]*>|[$#]|<[A-Za-z0-9_.-]+>|([A-Z][A-Z0-9]{3,})>|[A-Za-z0-9_-]+(?:\([a-z-]+\))?#)\s*",
    )
});

/// "Run", in Chinese or English, then what is run.
static RUN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "command run",
        r"(?:执行|執行|运行|運行|输入|輸入|键入|鍵入|下达|下達|(?i:\b(?:run|ran|running|execute|executed|type|enter|issue)\b)[:：]?)[ \t]*[`'\x22“「]?",
    )
});

/// A program written in English prose with what only a command carries after it: a flag
/// (`pdbedit -Lv`, `nuget locals all -list`) or a system path (`postmap /etc/postfix/x`).
static IN_PROSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "command in prose",
        r"(?:^|[\s(])([a-z][a-z0-9_+.-]{1,30}(?:[ \t]+[a-z][a-z0-9_.:-]*){0,2}?[ \t]+(?:--?[A-Za-z][A-Za-z0-9-]*|/(?:etc|var|usr|opt|tmp|home|proc|srv|root|dev|mnt)/[^\s,;)]*))",
    )
});

/// Where a command ends inside a span: a chain operator, Chinese or sentence punctuation.
static BREAK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "command break",
        r"\s*(?:&&|\|\||\||;\s|;$|，|。|；|、|：|”|」|`|\s+(?:and|then|or)\s+)\s*",
    )
});

/// How much a span must prove to be a command.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    /// A line of its own, after a prompt or after "run".
    Line,
    /// A Latin run inside Chinese prose.
    Embedded,
}

fn known_tool(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [CLI_TOOLS, SHELL_TOOLS, DEVICE_VERBS]
        .iter()
        .any(|list| list.contains(&lower.as_str()))
}

/// A program as its first word: a lower-case name, a path, a script or a `Verb-Noun` cmdlet.
fn program_like(word: &str) -> bool {
    static PROGRAM: LazyLock<Regex> = LazyLock::new(|| {
        re(
            "command program",
            r"^(?:[a-z][a-z0-9_+.-]*|(?:\.{0,2}/)[A-Za-z0-9_./-]+|[A-Za-z0-9_-]+\.(?:ps1|sh|py|bat|cmd|exe|msc)|[A-Z][a-z]{2,}-[A-Z][A-Za-z0-9]+)$",
        )
    });
    PROGRAM.is_match(word) && !PROSE_WORDS.contains(&word)
}

/// A script or program file run by name.
static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "command script",
        r"^[A-Za-z0-9_-]+\.(?:ps1|sh|py|bat|cmd|exe|msc)$",
    )
});

/// An argument only a command line carries: a flag, a path, `key=value`, a number.
fn has_argument(words: &[&str]) -> bool {
    words.iter().skip(1).any(|w| {
        (w.starts_with('-') && w[1..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-'))
            || w.starts_with('+')
            || w.contains('/')
            || w.contains('\\')
            || w.contains('=')
            || w.parse::<f64>().is_ok()
    })
}

/// The command `segment` holds, if it is one.
fn command(segment: &str, context: Context) -> Option<String> {
    let segment = segment.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '`' | '\'' | '"' | '“' | '”' | '「' | '」' | '(' | ')')
    });
    let segment = segment.trim_end_matches(['.', ',', ':', ';', '?', '!']);
    let words: Vec<&str> = segment.split_whitespace().take(8).collect();
    let first = *words.first()?;
    if !program_like(first)
        || words
            .iter()
            .any(|w| PROSE_WORDS.contains(&w.to_ascii_lowercase().as_str()))
    {
        return None;
    }
    let cmdlet = first.contains('-') && first.starts_with(|c: char| c.is_ascii_uppercase());
    let script = first.contains('/') || SCRIPT.is_match(first);
    // `key = value` and `key: value` are settings, not commands.
    if words.get(1).is_some_and(|w| *w == "=" || *w == ":") || first.ends_with(':') {
        return None;
    }
    let proven = match context {
        Context::Line => words.len() >= 2 || known_tool(first) || cmdlet || script,
        Context::Embedded => {
            known_tool(first) || cmdlet || (words.len() >= 2 && has_argument(&words))
        }
    };
    proven.then(|| words.join(" "))
}

/// Every command of `span` (split at chain operators and punctuation).
fn commands_in(span: &str, context: Context, out: &mut BTreeSet<String>) {
    let latin = span.split(is_cjk).next().unwrap_or("");
    for segment in BREAK.split(latin) {
        if let Some(c) = command(segment, context) {
            out.insert(c);
        }
    }
}

/// The commands written in `text`, each as written.
pub fn commands(text: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    for raw in text.lines() {
        let line = MARKER.find(raw).map_or(raw, |m| &raw[m.end()..]).trim();
        let line = match PROMPT.captures(line) {
            Some(c) => {
                if let Some(name) = c.get(1) {
                    out.insert(name.as_str().to_string());
                }
                &line[c.get(0).map_or(0, |m| m.end())..]
            }
            None => line,
        };
        if line.starts_with(|c: char| c.is_ascii() && !c.is_ascii_uppercase())
            || line.starts_with(|c: char| c.is_ascii_uppercase())
                && line.split_whitespace().next().is_some_and(program_like)
        {
            commands_in(line, Context::Line, &mut out);
        }
        for m in RUN.find_iter(line) {
            commands_in(&line[m.end()..], Context::Line, &mut out);
        }
        for c in IN_PROSE.captures_iter(line) {
            let Some(span) = c.get(1) else { continue };
            // A match may open with the prose before the program (`with pdbedit -Lv`).
            let words: Vec<&str> = span
                .as_str()
                .split_whitespace()
                .skip_while(|w| PROSE_WORDS.contains(w))
                .collect();
            if words.len() >= 2
                && words.iter().all(|w| !PROSE_WORDS.contains(w))
                && program_like(words[0])
            {
                out.insert(
                    words
                        .join(" ")
                        .trim_end_matches(['.', ',', ':'])
                        .to_string(),
                );
            }
        }
        if line.chars().any(is_han) {
            for run in line.split(is_cjk).skip(1) {
                commands_in(run, Context::Embedded, &mut out);
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::commands;

    #[test]
    fn commands_are_found_where_they_stand() {
        let text = "請執行：\n1. dir \\\\corp.local\\SYSVOL\n2. vdf -h\n\
                    4）crictl ps -a | wc -l\n\
                    斷線時總公司這邊 display ike sa 看不到 peer，ls -lhS /tmp 第一個檔案很大。\n\
                    2. 在两端执行 reset ospf process 或等待邻居重新协商\n\
                    DGMGRL> show configuration\n\
                    [root@esx05:~] /etc/init.d/hostd restart && /etc/init.d/vpxa restart\n\
                    4）Restart-Service MSExchangeTransport，然后 Retry-Queue\n\
                    1. Grant the service account read access.\n\
                    We checked it with wbadmin get versions -backupTarget:E: and then zfsck /var/log/x.\n\
                    备库的 apply lag 一直在涨。";
        assert_eq!(
            commands(text),
            [
                "/etc/init.d/hostd restart",
                "/etc/init.d/vpxa restart",
                "DGMGRL",
                "Restart-Service MSExchangeTransport",
                "Retry-Queue",
                "crictl ps -a",
                "dir \\\\corp.local\\SYSVOL",
                "display ike sa",
                "ls -lhS /tmp",
                "reset ospf process",
                "show configuration",
                "vdf -h",
                "wbadmin get versions -backupTarget",
                "wc -l",
                "zfsck /var/log/x",
            ]
        );
    }

    #[test]
    fn prose_is_not_a_command() {
        let text = "- install the update and reboot\nthanks, that worked\n\
                    Please run the backup again.\nok\n我们的 root cause 分析";
        assert!(commands(text).is_empty(), "{:?}", commands(text));
    }
}
