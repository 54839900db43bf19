//! Entity extraction: case ids, products, versions, error codes, files, commands, KB numbers,
//! hashes and URLs from free text ([`entities`]), and the title, priority and customer code from
//! a case subject ([`title`], [`priority`], [`customer`]).
//!
//! Takes plain strings, gives [`Entities`] with every list sorted and deduplicated. The patterns
//! are data: each [`EntityRule`] is a named [`Rule`] compiled once and the slot it fills, so a
//! caller can see which rule found a value ([`matches`]).

mod codes;
mod commands;
mod forms;
mod inventory;
mod subject;

pub use forms::distinct;
pub use inventory::{CLI_TOOLS, ERROR_STATES, PRODUCTS};
use inventory::{
    DOMAIN_ENDINGS, FILE_EXTENSIONS, NETWORK_VERBS, PS_VERBS, SQL_COMMANDS, SUBCOMMAND_TOOLS,
    SWITCH_TOOLS,
};

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::model::Entities;
use crate::rule::Rule;

pub use subject::{customer, priority, title};

/// Which list of [`Entities`] a rule fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    CaseId,
    Product,
    Version,
    ErrorCode,
    File,
    Command,
    Kb,
    Hash,
    Url,
}

impl Slot {
    /// Tokens whose insides are not entities of their own (the digits of a hash are no version,
    /// the path of a URL no file name).
    fn contains_others(self) -> bool {
        matches!(self, Slot::CaseId | Slot::Url | Slot::Hash | Slot::File)
    }
}

/// A named pattern and where its value goes. `group` is the capture group holding the value
/// (0 = the whole match).
#[derive(Debug, Clone)]
pub struct EntityRule {
    pub rule: Rule,
    pub slot: Slot,
    pub group: usize,
}

/// A value found by a rule, with its byte span in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub rule: &'static str,
    pub slot: Slot,
    pub value: String,
    pub start: usize,
    pub end: usize,
}

/// Compiles one of this module's constant patterns; a typo is a programming error that the
/// unit tests, which compile every pattern, catch.
fn re(name: &'static str, pattern: &str) -> Regex {
    Rule::builtin(name, pattern).regex
}

fn rule(name: &'static str, slot: Slot, pattern: &str, group: usize) -> EntityRule {
    EntityRule {
        rule: Rule::builtin(name, pattern),
        slot,
        group,
    }
}

/// The entity rules, in the order they are tried. `(?-u:\b)` is an ASCII word boundary: Chinese
/// text runs straight into Latin tokens (`加载了zk_hook.dll文件`), and a Unicode `\b` would see
/// no boundary between `dll` and `文`.
pub static RULES: LazyLock<Vec<EntityRule>> = LazyLock::new(|| {
    vec![
        rule(
            "case_id",
            Slot::CaseId,
            &format!(r"(?-u:\b){}(?-u:\b)", crate::thread::subject::D365_CASE),
            0,
        ),
        rule("url", Slot::Url, r#"https?://[^\s<>"'）)】」，。；、]+"#, 0),
        rule(
            "hex_digest",
            Slot::Hash,
            r"(?-u:\b)(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{32})(?-u:\b)",
            0,
        ),
        rule("kb_number", Slot::Kb, r"(?-u:\b)KB ?\d{4,7}(?-u:\b)", 0),
        rule(
            "path",
            Slot::File,
            r#"(?:^|[\s(（"'`：:=])(/(?:[A-Za-z0-9_.@-]+/)+[A-Za-z0-9_.@-]+|[A-Za-z]:\\(?:[^\\\s:*?"<>|，。；]+\\)*[^\\\s:*?"<>|，。；]+|\\\\[A-Za-z0-9_.-]+(?:\\[^\\\s:*?"<>|，。；]+)+)"#,
            1,
        ),
        rule(
            "file_name",
            Slot::File,
            &format!(r"(?i)(?-u:\b)[A-Za-z0-9_][A-Za-z0-9_.\-]*\.(?:{FILE_EXTENSIONS})(?-u:\b)"),
            0,
        ),
        rule(
            "named_file",
            Slot::File,
            r"(?-u:\b)[A-Za-z0-9-]*(?:_[A-Za-z0-9-]+|[0-9][A-Za-z0-9-]*)\.(?:[a-z]{2,5})(?-u:\b)",
            0,
        ),
        rule(
            "hresult",
            Slot::ErrorCode,
            r"(?-u:\b)0[xX][0-9A-Fa-f]{2,8}(?-u:\b)",
            0,
        ),
        rule(
            "event_id",
            Slot::ErrorCode,
            r"(?i)(?:(?-u:\b)Event\s*ID|事件\s*ID)[\s:：]*\d{1,5}(?-u:\b)",
            0,
        ),
        rule(
            "smtp_status",
            Slot::ErrorCode,
            // With its reply code (`550 5.7.60`) any class; alone only the security and policy
            // statuses (`5.7.57`), since `4.2.1` alone is more often a version.
            r"(?-u:\b)(?:[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}|[45]\.7\.\d{1,3})(?-u:\b)",
            0,
        ),
        rule(
            "sql_message",
            Slot::ErrorCode,
            r"(?-u:\b)Msg \d{3,5}(?-u:\b)",
            0,
        ),
        rule(
            "http_status",
            Slot::ErrorCode,
            r"(?i)(?-u:\b)HTTP(?: Status| Error)? [1-5]\d\d(?-u:\b)|(?-u:\b)[45]\d\d (?:Unauthorized|Forbidden|Not Found|Bad Gateway|Bad Request|Request Entity Too Large|Internal Server Error|Service Unavailable|Gateway Timeout)(?-u:\b)",
            0,
        ),
        rule(
            "error_state",
            Slot::ErrorCode,
            &format!(r"(?-u:\b)(?:{})(?-u:\b)", alternation(ERROR_STATES)),
            0,
        ),
        rule(
            "exception",
            Slot::ErrorCode,
            r"(?-u:\b)[A-Z][a-z]+(?:[A-Z][a-z]+)+(?:Exception|Error|BackOff|Failure)(?-u:\b)",
            0,
        ),
        rule(
            "exit_status",
            Slot::ErrorCode,
            r"(?-u:\b)status=\d{1,3}/[A-Z]+(?-u:\b)",
            0,
        ),
        rule(
            "device_log",
            Slot::ErrorCode,
            r"(?-u:\b)[A-Z]{2,10}/\d/[A-Za-z][A-Za-z0-9_]{3,}(?-u:\b)",
            0,
        ),
        rule(
            "oracle_error",
            Slot::ErrorCode,
            r"(?-u:\b)(?:ORA|TNS|SQL|PLS)-\d{5}(?-u:\b)",
            0,
        ),
        rule(
            "stop_code",
            Slot::ErrorCode,
            r"(?-u:\b)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){2,}(?-u:\b)",
            0,
        ),
        rule(
            "product_error",
            Slot::ErrorCode,
            r"(?-u:\b)[A-Z]{1,4}-[A-Z]?\d{3,6}(?-u:\b)",
            0,
        ),
        rule(
            "numbered_error",
            Slot::ErrorCode,
            r"(?i)(?:(?-u:\b)error(?:\s+code)?|错误(?:代码|码)?|錯誤(?:代碼|碼)?)[\s:：]*(\d{3,5})(?-u:\b)",
            1,
        ),
        rule(
            "windows_version",
            Slot::Version,
            r"(?-u:\b)Windows\s(?:Server\s)?(?:20\d\d(?:\sR2)?|1[01]|[78](?:\.1)?|XP|Vista)(?-u:\b)",
            0,
        ),
        rule(
            "release_tag",
            Slot::Version,
            r"(?-u:\b)(?:CU\d{1,2}|\d{2}H[12]|\d{2}[cg]|SP\d|R2|V\d{3}R\d{3}C\d{2}(?:SPC\d{3})?)(?-u:\b)",
            0,
        ),
        rule(
            "update_version",
            Slot::Version,
            r"(?-u:\b)\d{1,2}\.\d(?:\.\d)? U\d[a-z]?(?-u:\b)",
            0,
        ),
        rule(
            "suffixed_release",
            Slot::Version,
            r"(?-u:\b)[vV]?\d{1,3}(?:\.\d{1,4}){1,3}(?:p\d{1,2}|-p\d{1,2}|_\d{2,4})(?-u:\b)|(?-u:\b)[vV]?\d{1,3}(?:\.\d{1,4}){0,3}[ \t](?:SP|PL|FP)\d{1,2}(?-u:\b)",
            0,
        ),
        rule(
            "os_version",
            Slot::Version,
            r"(?-u:\b)(?:RHEL|CentOS|Ubuntu|Oracle Linux|Debian|SLES|Rocky Linux|AlmaLinux|(?:Windows )?Server|Win(?:dows)? ?(?:7|8\.1|10|11)|IIS|PostgreSQL|MySQL|ONTAP|Exchange|SQL Server)[ ]?\d+(?:\.\d+)*(?: (?:R2|SP\d))?(?-u:\b)",
            0,
        ),
        rule(
            "labelled_version",
            Slot::Version,
            r"(?i)(?-u:\b)(?:version|ver\.?|build|版本|内部版本|組建)\s*[:：]?\s*(\d[\dA-Za-z._-]*)",
            1,
        ),
        rule(
            "named_version",
            Slot::Version,
            r"(?-u:\b)[A-Z][A-Za-z]{1,5} v?\d+\.\d+(?:\.\d+)*(?-u:\b)",
            0,
        ),
        rule(
            "product_version",
            Slot::Version,
            r"(?-u:\b)V\d{3,4}-[A-Z0-9]{1,4}(?-u:\b)",
            0,
        ),
        rule(
            "dotted_version",
            Slot::Version,
            r"(?:^|[^0-9A-Za-z._/-])[vV]?(\d{1,5}(?:\.\d{1,6}){1,3})(?:$|[^0-9A-Za-z_/-]|\.(?:$|[^0-9A-Za-z]))",
            1,
        ),
        rule(
            "ps_cmdlet",
            Slot::Command,
            &format!(r"(?-u:\b)(?:{PS_VERBS})-[A-Z][A-Za-z0-9]+(?-u:\b)"),
            0,
        ),
        rule(
            "systemd",
            Slot::Command,
            r"(?-u:\b)(?:systemctl|service)\s+(?:restart|start|stop|status|reload|enable|disable)\s+[A-Za-z0-9@._-]+|(?-u:\b)journalctl(?:\s+-[A-Za-z-]+(?:\s+[A-Za-z0-9@._-]+)?)*",
            0,
        ),
        rule(
            "switch_tool",
            Slot::Command,
            &format!(
                r"(?i)(?-u:\b)(?:{SWITCH_TOOLS})(?:\.exe)?(?:[ \t]+(?:/|-{{1,2}})[A-Za-z][A-Za-z0-9:_\\.-]*)+"
            ),
            0,
        ),
        rule(
            "subcommand_tool",
            Slot::Command,
            &format!(r"(?i)(?-u:\b)(?:{SUBCOMMAND_TOOLS})(?-u:\b)"),
            0,
        ),
        rule("cli_tool", Slot::Command, &tool_pattern(CLI_TOOLS), 1),
        rule(
            "network_cli",
            Slot::Command,
            &format!(
                r"(?m)^[ \t]*(?:[<\[]?[A-Za-z0-9_.-]+(?:\s*\([a-z-]+\))?[>\]#][ \t]*)?((?:{NETWORK_VERBS})[ \t]+[a-z][a-z0-9-]*(?:[ \t]+[a-z][a-z0-9-]*)?)"
            ),
            1,
        ),
        rule(
            "prompt_command",
            Slot::Command,
            r"(?m)^[ \t]*(?:\$|#|(?:\[[^\]\n]{1,40}\]|[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(?::[^\s$#]*)?(?: \[[^\]\n]*\])?)[#$]|PS [A-Za-z]:\\[^>\n]*>|[A-Za-z]:\\[^>\n]*>|(?:SQL|DGMGRL|RMAN|mysql|ASMCMD|postgres=?|1)[>#]|<[A-Za-z0-9_.-]+>|[A-Za-z0-9_.-]+(?:\([a-z-]+\))?[#>])[ \t]*([A-Za-z_./\\][^\s]*(?:[ \t]+[^\s]+){0,5})",
            1,
        ),
        rule(
            "sql_command",
            Slot::Command,
            &format!(r"(?-u:\b)(?:{SQL_COMMANDS})(?-u:\b)"),
            0,
        ),
        rule("product", Slot::Product, &product_pattern(PRODUCTS), 0),
    ]
});

/// A command line of one of `tools`: the tool, then up to six arguments; group 1 is the value.
fn tool_pattern<S: AsRef<str>>(tools: &[S]) -> String {
    format!(
        r"(?m)(?:^|[\s`'\x22(（：:>#$])((?:{})(?:[ \t]+[-/]{{0,2}}[A-Za-z0-9_][A-Za-z0-9_.:=/+-]*){{0,6}})[ \t]*(?:$|[\s`'\x22)）,，。;；])",
        alternation(tools)
    )
}

/// One of `products`, with the release or model written after it (`SQL Server 2019`).
fn product_pattern<S: AsRef<str>>(products: &[S]) -> String {
    format!(
        r"(?-u:\b)(?:{})(?:[ \t]+(?:(?:19|20)\d\d(?:[ \t]R2)?|\d{{1,2}}[a-z]|[0-9]{{2,4}}(?:\.\d+)+|[0-9]{{2,4}}[A-Z]{{0,2}}(?:-[A-Z0-9]+)?|[A-Z]{{1,3}}\d{{2,5}}[A-Z0-9-]*))?(?-u:\b)",
        alternation(products)
    )
}

/// A team's own inventories (`[segment] tools` and `products` in `casebook.toml`), compiled with
/// the same patterns as the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    rules: Vec<EntityRule>,
}

impl Inventory {
    /// Compiles the lists; an empty list adds no rule. A name is literal text, so this cannot
    /// fail.
    pub fn new(tools: &[String], products: &[String]) -> Inventory {
        let mut rules = Vec::new();
        if !tools.is_empty() {
            rules.push(rule("config_tool", Slot::Command, &tool_pattern(tools), 1));
        }
        if !products.is_empty() {
            rules.push(rule(
                "config_product",
                Slot::Product,
                &product_pattern(products),
                0,
            ));
        }
        Inventory { rules }
    }

    /// The commands and products of `text` that the team's lists name.
    pub fn entities(&self, text: &str) -> Entities {
        let mut e = Entities::default();
        for r in &self.rules {
            for caps in r.rule.regex.captures_iter(text) {
                if let Some(m) = caps.get(r.group) {
                    let value = normalize("cli_tool", m.as_str());
                    match r.slot {
                        Slot::Command => e.commands.push(value),
                        _ => e.products.push(value),
                    }
                }
            }
        }
        e.commands.sort();
        e.commands.dedup();
        e.products.sort();
        e.products.dedup();
        e
    }
}

/// `a|b|c` of literal names, longest first so `SQL Server Reporting Services` wins over
/// `SQL Server`.
fn alternation<S: AsRef<str>>(names: &[S]) -> String {
    let mut sorted: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    sorted.sort_by_key(|n| std::cmp::Reverse(n.len()));
    sorted
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
}

/// All rule patterns as one set (`None` if the set is too big to build: then every rule runs).
static RULE_SET: LazyLock<Option<RegexSet>> =
    LazyLock::new(|| RegexSet::new(RULES.iter().map(|r| r.rule.regex.as_str())).ok());

/// Every rule match in `text`, in rule order then text order. Values found inside an earlier
/// match (a version inside a URL, a file name inside a URL) are dropped.
pub fn matches(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    // One pass tells which rules match at all; most texts hit few of them, and a capture scan
    // per rule over every text was the extractor's whole cost.
    let hit = RULE_SET.as_ref().map(|set| set.matches(text));
    for (i, rule) in RULES.iter().enumerate() {
        if hit.as_ref().is_some_and(|h| !h.matched(i)) {
            continue;
        }
        for caps in rule.rule.regex.captures_iter(text) {
            let Some(m) = caps.get(rule.group) else {
                continue;
            };
            let inside_earlier = found
                .iter()
                .any(|f| f.slot.contains_others() && m.start() >= f.start && m.end() <= f.end);
            // A code that the text goes on with is a piece of a longer one (`CVE-2021` of
            // `CVE-2021-1678`).
            let cut = rule.slot == Slot::ErrorCode
                && text[m.end()..].starts_with('-')
                && text[m.end() + 1..].starts_with(|c: char| c.is_ascii_alphanumeric());
            if cut || inside_earlier || !plausible(rule.slot, m.as_str()) {
                continue;
            }
            found.push(Found {
                rule: rule.rule.name(),
                slot: rule.slot,
                value: normalize(rule.rule.name(), m.as_str()),
                start: m.start(),
                end: m.end(),
            });
        }
    }
    found
}

/// Rejects look-alikes the patterns cannot rule out on their own.
fn plausible(slot: Slot, value: &str) -> bool {
    match slot {
        // A dotted quad of small numbers is an IP address, not a version.
        Slot::Version => {
            let parts: Vec<&str> = value.split('.').collect();
            let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
            // `10.0.0.12` is a host; `19.3.0.0` (Oracle) ends in zero and is a release.
            let ip_like = numbers.len() == 4
                && numbers.iter().all(|n| *n <= 255)
                && numbers[0] >= 10
                && numbers[3] != 0;
            !ip_like
        }
        // A hex run without a digit or without a letter is a word or a number, not a digest.
        Slot::Hash => {
            value.bytes().any(|b| b.is_ascii_digit())
                && value.bytes().any(|b| b.is_ascii_alphabetic())
        }
        // `2.5.log`-like noise and bare extensions are not names; a host name is not a file.
        Slot::File => {
            value.chars().take_while(|c| *c != '.').count() > 0
                && !value
                    .rsplit('.')
                    .next()
                    .is_some_and(|ext| DOMAIN_ENDINGS.contains(&ext))
        }
        _ => true,
    }
}

fn normalize(rule: &str, value: &str) -> String {
    let collapsed = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match rule {
        // `Event ID: 7031`, `事件ID 7031` → `Event ID 7031`, so one event is one entity.
        "event_id" => {
            let digits = collapsed
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .count();
            // The digits are ASCII, so `digits` bytes from the end is a char boundary.
            let (label, number) = collapsed.split_at(collapsed.len() - digits);
            if !number.is_empty() && label.to_ascii_lowercase().contains("id") {
                format!("Event ID {number}")
            } else {
                collapsed
            }
        }
        // A command quoted in a sentence ends where the sentence does.
        "cli_tool" | "network_cli" | "prompt_command" => collapsed
            .split(". ")
            .next()
            .unwrap_or_default()
            .trim_end_matches(['.', ',', ';', ':'])
            .to_string(),
        // A path quoted in a sentence ends before the quote and the full stop.
        "path" => collapsed
            .trim_end_matches(['.', ',', ';', ':', '\'', ')', '）'])
            .to_string(),
        "url" | "ps_cmdlet" | "systemd" | "switch_tool" | "subcommand_tool" | "sql_command" => {
            collapsed.trim_end_matches(['.', ',', ';', ':']).to_string()
        }
        _ => collapsed,
    }
}

/// The entities of `text`, each list sorted and deduplicated.
pub fn entities(text: &str) -> Entities {
    let mut sets: [BTreeSet<String>; 9] = Default::default();
    for f in matches(text) {
        // Besides the normal form, the value as written where the two differ (`事件 ID 1058`,
        // `v1.26.9`), and a product's release is a version too (`SQL Server 2019`).
        let written = text[f.start..f.end].split_whitespace().collect::<Vec<_>>();
        let written = written.join(" ");
        match f.rule {
            "event_id" => {
                let written = written.replace([':', '：'], " ");
                sets[Slot::ErrorCode as usize]
                    .insert(written.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            "dotted_version" if text[..f.start].ends_with(['v', 'V']) => {
                sets[Slot::Version as usize].insert(format!(
                    "{}{}",
                    &text[f.start - 1..f.start],
                    f.value
                ));
            }
            "product" if f.value.ends_with(|c: char| c.is_ascii_digit()) => {
                sets[Slot::Version as usize].insert(f.value.clone());
                // A dotted release is a version alone too (`12.2.1.3` of `WebLogic 12.2.1.3`).
                if let Some(release) = f.value.rsplit(' ').next().filter(|r| r.contains('.')) {
                    sets[Slot::Version as usize].insert(release.to_string());
                }
            }
            _ => {}
        }
        sets[f.slot as usize].insert(f.value);
    }
    let [case_ids, products, versions, error_codes, files, commands, kb, hashes, urls] =
        sets.map(|s| s.into_iter().collect::<Vec<_>>());
    let mut e = Entities {
        case_ids,
        products,
        versions,
        error_codes,
        files,
        commands,
        kb,
        hashes,
        urls,
    };
    forms::add(&mut e, text);
    merge(&mut e, Entities::default());
    settle(&mut e);
    e
}

/// Drops the ticket numbers from the other lists: a ticket number is neither a product nor an
/// error code, though written like one (`SUP-582`). A bare model and an error code look alike
/// (`FS-5200`, `HX-5031`); the text alone cannot tell them apart, so both lists keep such a
/// token, and a reader's list leaves it out of the products (see `kb::article`).
pub fn settle(e: &mut Entities) {
    let ids = &e.case_ids;
    e.products.retain(|p| !ids.contains(p));
    e.error_codes.retain(|c| !ids.contains(c));
}

/// Merges `more` into `into`, keeping every list sorted and deduplicated.
pub fn merge(into: &mut Entities, more: Entities) {
    fn join(a: &mut Vec<String>, b: Vec<String>) {
        a.extend(b);
        a.sort();
        a.dedup();
    }
    join(&mut into.case_ids, more.case_ids);
    join(&mut into.products, more.products);
    join(&mut into.versions, more.versions);
    join(&mut into.error_codes, more.error_codes);
    join(&mut into.files, more.files);
    join(&mut into.commands, more.commands);
    join(&mut into.kb, more.kb);
    join(&mut into.hashes, more.hashes);
    join(&mut into.urls, more.urls);
}

#[cfg(test)]
mod tests;
