//! Error codes found by how they are written rather than by name.
//!
//! A code given with a label (`Errno: 1062`, `Linux Error: 99`, `Exit Code: 137`, `Error 1105`),
//! after a status constant (`OPOS_E_CLAIMED (102)`), in a list (`Event ID 4113, 4087`), as a log
//! level's message (`FATAL: sorry, too many clients already`), as a qualified exception
//! (`java.lang.OutOfMemoryError: Metaspace`, `System.StackOverflowException`), as an identifier
//! that says it failed (`install.ciscommon.service.failstart`, `StalledDueToTarget_MdbReplication`)
//! or as what something "fails with" (`fails with [447] / [110091]`): the code as written, its
//! bare number, and a log's bracketed hex code.

use std::sync::LazyLock;

use regex::Regex;

use super::re;

static LABELLED_CODE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "labelled_code",
        r"(?i)((?:(?-u:\b)[a-z_]*errno|(?-u:\b)(?:[a-z]+ )?error(?: code)?|(?-u:\b)exit code|(?-u:\b)return code|(?-u:\b)rc|错误码|错误代码|錯誤碼|錯誤代碼|返回码|返回碼)[ \t]*[:：=][ \t]*(\d{1,6}))(?-u:\b)",
    )
});

static CONSTANT_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "constant_number",
        r"(?-u:\b)[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+[ \t]*\((\d{1,6})\)",
    )
});

static NUMBER_LIST: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "number_list",
        r"(?i)(?:(?-u:\b)Event\s*IDs?|事件\s*ID|(?-u:\b)Msg)[\s:：]*(\d{1,5}(?:(?:\s*[,，、/]\s*|\s+(?:and|or|和|及)\s+)\d{1,5})*)",
    )
});

static LOG_LEVEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "log_level",
        r"(?m)^[ \t]*((?:FATAL|PANIC|ERROR|CRITICAL|SEVERE):[ \t]+[^\n]{4,80}?)[ \t.]*$",
    )
});

static QUALIFIED_EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "qualified_exception",
        r"(?-u:\b)((?:[A-Za-z][A-Za-z0-9_]*\.)+([A-Z][A-Za-z0-9]*(?:Exception|Error)))(?::[ \t]*([A-Z][A-Za-z ]{2,30}[a-z]))?",
    )
});

static FAILURE_ID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "failure_id",
        r"(?i)(?-u:\b)[a-z][a-z0-9]*(?:[._-][a-z0-9]+){2,}(?-u:\b)",
    )
});

static HTTP_SUBSTATUS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "http_substatus",
        r"(?i)HTTP[ \t]*(?:错误|錯誤|error|status)?[ \t]*([1-5]\d\d\.\d{1,2})(?-u:\b)",
    )
});

/// `Error 1105`, `error 809`: the label and number as written.
static ERROR_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "error_number",
        r"(?i)(?-u:\b)error[ \t]+(?:code[ \t]+)?\d{2,6}(?-u:\b)",
    )
});

/// Codes a tool prints in a fixed shape, taken as written: a compiler's or build tool's
/// `error MSB3073:`, an exit (`exited with code 1`), `SQLSTATE[HY000] [2002]`, OpenSSL's
/// `error:0A000126`, `code=40013`, a negative COM result (`-2147467259`), a SIP status, a CVE.
static SHAPED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "shaped_code",
        r"(?i:(?-u:\b)(?:error|warning|fatal)[ \t]+)([A-Z]{1,6}[0-9]{2,6})[ \t]*:|(?i)(?-u:\b)(exit(?:ed)?[ \t]+with[ \t]+(?:exit[ \t]+)?code[ \t]+-?\d{1,4})|(?-u:\b)(SQLSTATE[ \t]*(?:\[[0-9A-Z]{5}\]|[0-9A-Z]{5})(?:[ \t]*\[\d{1,5}\])?)|(?-u:\b)(error:[0-9A-F]{8})(?-u:\b)|(?-u:\b)((?:err_?code|errno|code|status)=-?\d{2,6})(?-u:\b)|(?:^|[\s:：(（])(-2\d{9})(?-u:\b)|(?-u:\b)(SIP/2\.0[ \t][1-6]\d\d)(?-u:\b)|(?-u:\b)(CVE-\d{4}-\d{4,7})(?-u:\b)",
    )
});

/// A lower-case identifier joined by underscores (`invalid_token`, `handshake_failure`); a code
/// only when it says it failed.
static SNAKE_ID: LazyLock<Regex> =
    LazyLock::new(|| re("snake_id", r"(?-u:\b)[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?-u:\b)"));

/// What a job "fails with": `fails with [447] / [110091]`, `failed again with SNAP-E2207`.
static FAILS_WITH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "fails_with",
        r"(?i)(?-u:\b)(?:fail(?:s|ed|ing)?|abort(?:s|ed)?|crash(?:es|ed)?|exit(?:s|ed)|stop(?:s|ped)|die[sd])(?:[ \t]+again)?[ \t]+with[ \t]+(?:(?:error|code|status)[ \t]+)?([^\s,;]+(?:[ \t]*(?:/|,|and|or)[ \t]*[^\s,;]+){0,3})",
    )
});

/// An identifier of three or more capitalised words (`AttributeValueMustBeUnique`,
/// `StalledDueToTarget_MdbReplication`); a code only when it says it failed.
static CAMEL_ID: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "camel_id",
        r"(?-u:\b)[A-Z][a-z]+(?:[A-Z][a-z0-9]+){2,}(?:_[A-Z][A-Za-z0-9]+)*(?-u:\b)",
    )
});

/// A result code in a log line's brackets, written without `0x` (`*FAILED* [8024401C]`).
static HEX_CODE: LazyLock<Regex> = LazyLock::new(|| re("hex_code", r"\[([0-9A-F]{8})\]"));

/// A value after "fails with" is a code when it has two digits or is a constant, and no dot.
fn code_like(token: &str) -> bool {
    let t = token.trim_matches(|c: char| "()\"'.:".contains(c));
    !t.is_empty()
        && t.len() <= 24
        && !t.contains('.')
        && (t.bytes().filter(u8::is_ascii_digit).count() >= 2
            || (t.contains('_') && !t.bytes().any(|b| b.is_ascii_lowercase())))
}

/// Words that say an identifier names a failure (`stopped-server-down`, `AttributeValueMustBeUnique`).
const FAILING: &[&str] = &[
    "error",
    "fail",
    "exception",
    "denied",
    "down",
    "timeout",
    "timedout",
    "refused",
    "stalled",
    "invalid",
    "must",
    "unable",
    "cannot",
    "missing",
    "expired",
    "unreachable",
    "rejected",
    "blocked",
    "conflict",
    "mismatch",
    "corrupt",
    "unavailable",
    "exceeded",
    "notfound",
];

fn failing(identifier: &str) -> bool {
    let lower = identifier.to_ascii_lowercase();
    FAILING.iter().any(|w| lower.contains(w))
}

/// Error codes written with a label, a constant, in a list, as a log message or an identifier.
pub fn error_codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for c in LABELLED_CODE.captures_iter(text) {
        out.extend(c.get(1).map(|m| fold(m.as_str())));
        out.extend(c.get(2).map(|m| m.as_str().to_string()));
    }
    for c in CONSTANT_NUMBER.captures_iter(text) {
        out.extend(c.get(1).map(|m| m.as_str().to_string()));
    }
    for c in NUMBER_LIST.captures_iter(text) {
        if let Some(list) = c.get(1) {
            out.extend(
                list.as_str()
                    .split(|ch: char| !ch.is_ascii_digit())
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
            );
        }
    }
    for c in LOG_LEVEL.captures_iter(text) {
        out.extend(c.get(1).map(|m| fold(m.as_str())));
    }
    for c in QUALIFIED_EXCEPTION.captures_iter(text) {
        if let Some(class) = c.get(1) {
            out.push(class.as_str().to_string());
            out.extend(c.get(2).map(|m| m.as_str().to_string()));
            if let Some(detail) = c.get(3) {
                out.push(format!("{}: {}", class.as_str(), detail.as_str()));
            }
        }
    }
    for m in FAILURE_ID.find_iter(text) {
        if failing(m.as_str()) && !m.as_str().contains("://") {
            out.push(m.as_str().to_string());
        }
    }
    for m in CAMEL_ID.find_iter(text) {
        if failing(m.as_str()) {
            out.push(m.as_str().to_string());
        }
    }
    for c in SHAPED.captures_iter(text) {
        out.extend(c.iter().skip(1).flatten().map(|m| fold(m.as_str())));
    }
    for m in SNAKE_ID.find_iter(text) {
        let word = m.as_str();
        let in_path =
            text[..m.start()].ends_with(['/', '\\', '.']) || text[m.end()..].starts_with('.');
        if failing(word) && !in_path {
            out.push(word.to_string());
        }
    }
    for m in ERROR_NUMBER.find_iter(text) {
        out.push(fold(m.as_str()));
    }
    for c in FAILS_WITH.captures_iter(text) {
        let Some(list) = c.get(1) else { continue };
        out.extend(
            list.as_str()
                .split(['/', ','])
                .flat_map(|part| part.split_whitespace())
                .filter(|t| code_like(t))
                .map(|t| t.trim_end_matches(['.', ':', ')', '"', '\'']).to_string()),
        );
    }
    for c in HEX_CODE.captures_iter(text) {
        out.extend(
            c.get(1)
                .map(|m| m.as_str())
                .filter(|h| h.bytes().any(|b| b.is_ascii_digit()))
                .map(str::to_string),
        );
    }
    for c in HTTP_SUBSTATUS.captures_iter(text) {
        out.extend(c.get(0).map(|m| fold(m.as_str())));
        out.extend(c.get(1).map(|m| m.as_str().to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_by_form() {
        let text = "Last_SQL_Errno: 1062\nSSL Certificate add failed, Error: 1312\n\
                    Claim failed - OPOS_E_CLAIMED (102).\nEvent ID 4113, 4087, 2059\n\
                    FATAL: sorry, too many clients already\n\
                    java.lang.OutOfMemoryError: Metaspace\n\
                    the error is \"stopped-server-down\"; HTTP 错误 500.19\n\
                    The import fails with [512] / [70021]; retry failed again with QX-E3301.\n\
                    Unhandled System.InvalidCastException; sync shows QuotaMustNotBeExceeded;\n\
                    setup log has *FAILED* [80240022], log full (Error 9002), IIS says HTTP 403.14\n\
                    build.proj(12,5): error MSB4019: The task \"make\" exited with code 2.\n\
                    PDO: SQLSTATE[HY000] [2002]; TLS error:0A000086; reply code=40029;\n\
                    OLE DB returned -2147217900; SIP/2.0 486 Busy; see CVE-2023-23397; invalid_grant";
        let got = error_codes(text);
        for want in [
            "1062",
            "Error: 1312",
            "1312",
            "102",
            "4087",
            "2059",
            "FATAL: sorry, too many clients already",
            "java.lang.OutOfMemoryError: Metaspace",
            "stopped-server-down",
            "500.19",
            "HTTP 错误 500.19",
            "[512]",
            "[70021]",
            "QX-E3301",
            "System.InvalidCastException",
            "InvalidCastException",
            "QuotaMustNotBeExceeded",
            "80240022",
            "Error 9002",
            "HTTP 403.14",
            "MSB4019",
            "exited with code 2",
            "SQLSTATE[HY000] [2002]",
            "error:0A000086",
            "code=40029",
            "-2147217900",
            "SIP/2.0 486",
            "CVE-2023-23397",
            "invalid_grant",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
    }
}
