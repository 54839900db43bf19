//! Entities found by how they are written rather than by name, and the other forms a found value
//! is looked up by.
//!
//! - **Products** written before their release (`Merrow Backint Agent 3.2`, `青禾餐饮 POS 4.6`,
//!   `EPSON Advanced Printer Driver Ver.6.03`) and hardware written as vendor and model (`Ricoh
//!   IM C3000`, `Huawei S5735-L48T4X`): a capitalised name, then a dotted release, or a known
//!   vendor, then a model token with a digit in it. The model alone is a name too.
//! - **Error codes** given with a label (`Errno: 1062`, `Linux Error: 99`, `Exit Code: 137`),
//!   after a status constant (`OPOS_E_CLAIMED (102)`), in a list (`Event ID 4113, 4087`), as a
//!   log level's message (`FATAL: sorry, too many clients already`), as a qualified exception
//!   (`java.lang.OutOfMemoryError: Metaspace`) or as a dotted or hyphenated identifier that says
//!   it failed (`install.ciscommon.service.failstart`, `stopped-server-down`): the code as
//!   written and its bare number.
//! - **Files**: a path's file name is a file too (`C:\inetpub\…\u_ex240312.log` → `u_ex240312.log`).

use std::sync::LazyLock;

use regex::Regex;

use crate::model::Entities;

use super::re;

/// Hardware and software vendors whose names precede a model.
const VENDORS: &[&str] = &[
    "Epson",
    "EPSON",
    "Ricoh",
    "RICOH",
    "Kyocera",
    "Canon",
    "Brother",
    "Xerox",
    "Konica Minolta",
    "Sharp",
    "Toshiba",
    "Fujitsu",
    "Zebra",
    "Honeywell",
    "HP",
    "HPE",
    "Dell",
    "Lenovo",
    "Huawei",
    "H3C",
    "Cisco",
    "Juniper",
    "Fortinet",
    "FortiGate",
    "Aruba",
    "Ruijie",
    "ZTE",
    "Sangfor",
    "Hikvision",
    "Dahua",
    "Intel",
    "Broadcom",
    "QLogic",
    "Emulex",
    "Mellanox",
    "Synology",
    "QNAP",
    "NetApp",
    "Hitachi",
    "IBM",
    "Inspur",
    "Supermicro",
    "APC",
    "Ubiquiti",
    "MikroTik",
    "Palo Alto",
    "Samsung",
    "LG",
    "Apple",
    "Microsoft Surface",
    "Surface",
    "Acer",
    "ASUS",
    "Panasonic",
    "Logitech",
    "Yealink",
    "Polycom",
    "Avaya",
];

/// Words that open English sentences and are capitalised only for that.
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "Our",
    "We",
    "I",
    "Since",
    "After",
    "Before",
    "On",
    "In",
    "With",
    "From",
    "To",
    "For",
    "And",
    "But",
    "Then",
    "When",
    "While",
    "Upgraded",
    "Installed",
    "Running",
    "New",
    "Old",
    "Latest",
    "Current",
    "Both",
    "All",
    "Its",
    "This",
    "That",
    "Is",
    "Are",
    "Was",
    "Via",
    "Version",
    "Ver",
    "Release",
    "Build",
    "Update",
    "Updated",
    "Moved",
    "Migrated",
    "Using",
];

static NAMED_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "named_release",
        r"((?:[A-Z][A-Za-z0-9+&-]*|\.NET|[\p{Han}]{2,8}[ \t]?[A-Z]{2,6})(?:[ \t]+(?:[A-Z][A-Za-z0-9+&/-]*|[A-Z]{2,}|[a-z]+[A-Z][A-Za-z0-9]*)){0,3})[ \t]+(?:(?:Ver\.?|Version|v)[ \t]?)?\d{1,4}(?:\.\d{1,4}){1,3}[A-Za-z]{0,3}(?-u:\b)",
    )
});

static VENDOR_MODEL: LazyLock<Regex> = LazyLock::new(|| {
    let vendors = VENDORS
        .iter()
        .map(|v| regex::escape(v))
        .collect::<Vec<_>>()
        .join("|");
    re(
        "vendor_model",
        &format!(
            r"(?-u:\b)(?:{vendors})[ \t]+((?:[A-Za-z][A-Za-z-]*[ \t]+){{0,2}}(?:[A-Za-z0-9]+-)*[A-Za-z]*[0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?-u:\b)"
        ),
    )
});

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
        r"(?-u:\b)((?:[a-z][a-z0-9_]*\.)+[A-Z][A-Za-z0-9]*(?:Exception|Error))(?::[ \t]*([A-Z][A-Za-z ]{2,30}[a-z]))?",
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

/// A business system named by its maker and its kind (`汇策ERP`, `智勤 HR`, `Rosterly POS`).
static BUSINESS_SYSTEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "business_system",
        r"(?:[\p{Han}]{2,6}|(?-u:\b)[A-Z][a-z]{2,15})[ \t]?(?:ERP|HRM?|POS|OA|CRM|MES|WMS|OMS|SRM|PLM|EHR|HIS|LIS|PACS|BI)(?-u:\b)",
    )
});

/// Products written before a release, and vendors' models.
pub fn products(text: &str) -> Vec<String> {
    // The name starts after the sentence's last function character (`我们的汇策ERP` → `汇策ERP`).
    let mut out: Vec<String> = BUSINESS_SYSTEM
        .find_iter(text)
        .map(|m| {
            let s = m.as_str();
            let start = s
                .char_indices()
                .filter(|(_, c)| "的们們是在用把将將和与與及个個套台从從到".contains(*c))
                .map(|(i, c)| i + c.len_utf8())
                .next_back()
                .unwrap_or(0);
            s[start..].to_string()
        })
        .filter(|s| s.chars().count() > 2)
        .collect();
    for c in NAMED_RELEASE.captures_iter(text) {
        let Some(name) = c.get(1) else { continue };
        let words: Vec<&str> = name
            .as_str()
            .split_whitespace()
            .skip_while(|w| OPENERS.contains(w))
            .collect();
        if words.is_empty() || words.iter().all(|w| w.len() < 2) {
            continue;
        }
        let start = name.as_str().find(words[0]).map_or(0, |i| name.start() + i);
        out.push(
            text[start..c.get(0).map_or(start, |m| m.end())]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
        out.push(words.join(" "));
        // A Chinese word before a Latin name may be the sentence's (`驅動 EPSON …`).
        if words.len() > 1 && words[0].chars().all(crate::script::is_han) {
            let rest = &text[start + words[0].len()..c.get(0).map_or(start, |m| m.end())];
            out.push(rest.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    for c in VENDOR_MODEL.captures_iter(text) {
        if let (Some(all), Some(model)) = (c.get(0), c.get(1)) {
            out.push(
                all.as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            out.push(
                model
                    .as_str()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
    }
    out
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
            if let Some(detail) = c.get(2) {
                out.push(format!("{}: {}", class.as_str(), detail.as_str()));
            }
        }
    }
    for m in FAILURE_ID.find_iter(text) {
        let lower = m.as_str().to_ascii_lowercase();
        let failing = [
            "error",
            "fail",
            "exception",
            "denied",
            "down",
            "timeout",
            "refused",
        ]
        .iter()
        .any(|w| lower.contains(w));
        if failing && !lower.contains("://") {
            out.push(m.as_str().to_string());
        }
    }
    for c in HTTP_SUBSTATUS.captures_iter(text) {
        out.extend(c.get(1).map(|m| m.as_str().to_string()));
    }
    out
}

/// The file names of `files`' paths.
pub fn file_names(files: &[String]) -> Vec<String> {
    files
        .iter()
        .filter_map(|f| {
            let name = f.rsplit(['/', '\\']).next()?;
            (name.len() < f.len() && name.contains('.') && !name.starts_with('.'))
                .then(|| name.to_string())
        })
        .collect()
}

/// The values worth listing to a reader: a value that only adds a release to another
/// (`.NET Framework 4.7.2` beside `.NET Framework`) or that another one labels (`1001` beside
/// `Event ID 1001`) is left out. Extraction keeps every form, since each is searched by.
pub fn distinct(values: &[String]) -> Vec<String> {
    values
        .iter()
        .filter(|v| {
            !values.iter().any(|o| {
                o != *v
                    && ((v.starts_with(o.as_str())
                        && v[o.len()..].starts_with(' ')
                        && v[o.len()..]
                            .trim()
                            .starts_with(|c: char| c.is_ascii_digit() || c == 'v' || c == 'V'))
                        || (v.bytes().all(|b| b.is_ascii_digit())
                            && (o.ends_with(&format!(" {v}")) || o.ends_with(&format!(":{v}")))))
            })
        })
        .cloned()
        .collect()
}

/// Adds the forms of this module to `e`, found in `text`.
pub fn add(e: &mut Entities, text: &str) {
    e.products.extend(products(text));
    e.error_codes.extend(error_codes(text));
    let names = file_names(&e.files);
    e.files.extend(names);
    e.commands.extend(super::commands::commands(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_before_a_release_and_vendor_models() {
        let text = "Since we pushed Merrow POS 8.2.1 to the stores, Epson TM-T88VI printers \
                    fail; 收銀軟體是 ShuoNet POS 5.3，驅動 EPSON Advanced Printer Driver Ver.6.03。\
                    Copiers are Ricoh IM C3000. 我们的汇策ERP和 Rosterly POS 都连不上。";
        let got = products(text);
        for want in [
            "Merrow POS 8.2.1",
            "Merrow POS",
            "Epson TM-T88VI",
            "TM-T88VI",
            "ShuoNet POS 5.3",
            "EPSON Advanced Printer Driver Ver.6.03",
            "Ricoh IM C3000",
            "IM C3000",
            "汇策ERP",
            "Rosterly POS",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
    }

    #[test]
    fn error_codes_by_form() {
        let text = "Last_SQL_Errno: 1062\nSSL Certificate add failed, Error: 1312\n\
                    Claim failed - OPOS_E_CLAIMED (102).\nEvent ID 4113, 4087, 2059\n\
                    FATAL: sorry, too many clients already\n\
                    java.lang.OutOfMemoryError: Metaspace\n\
                    the error is \"stopped-server-down\"; HTTP 错误 500.19";
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
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
    }

    #[test]
    fn a_reader_sees_each_value_once() {
        let v: Vec<String> = [
            ".NET Framework",
            ".NET Framework 4.7.2",
            "1001",
            "Event ID 1001",
            "KF-3003",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(distinct(&v), [".NET Framework", "Event ID 1001", "KF-3003"]);
    }

    #[test]
    fn a_path_names_its_file() {
        let files = vec![
            r"C:\inetpub\logs\u_ex240312.log".to_string(),
            "/var/lib/containerd".to_string(),
        ];
        assert_eq!(file_names(&files), ["u_ex240312.log"]);
    }
}
