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
    "SAP",
];

/// Chinese makers whose names are written straight before their product's Latin name
/// (`用友U8`, `金蝶K/3 Cloud`, `鼎新 Workflow ERP GP`).
const CN_VENDORS: &[&str] = &[
    "用友",
    "金蝶",
    "鼎新",
    "浪潮",
    "泛微",
    "致远",
    "致遠",
    "蓝凌",
    "藍凌",
    "华为",
    "華為",
    "新华三",
    "深信服",
    "奇安信",
    "天融信",
    "东软",
    "東軟",
    "卫宁",
    "衛寧",
    "东华",
    "東華",
    "海康",
    "大华",
    "大華",
    "锐捷",
    "銳捷",
    "中望",
    "广联达",
    "廣聯達",
    "明源",
    "红帆",
    "紅帆",
];

/// Chinese products named without a Latin part, written inside sentences without spaces.
const CN_PRODUCTS: &[&str] = &[
    "企业微信",
    "企業微信",
    "钉钉",
    "釘釘",
    "飞书",
    "飛書",
    "麒麟",
    "统信",
    "統信",
    "微信",
    "腾讯会议",
    "騰訊會議",
    "友空间",
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
    "Open",
    "Launch",
    "Start",
    "Restart",
    "Stop",
    "Run",
    "Use",
    "Install",
    "Reinstall",
    "Check",
    "Please",
    "Go",
    "Click",
    "Select",
    "See",
    "Enable",
    "Disable",
    "Set",
];

static NAMED_RELEASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "named_release",
        r"((?:[A-Z][A-Za-z0-9+&-]*|\.NET|[\p{Han}]{2,8}[ \t]?[A-Z]{2,6})(?:[ \t]+(?:[A-Z][A-Za-z0-9+&/-]*|[A-Z]{2,}|[a-z]+[A-Z][A-Za-z0-9]*)){0,3})[ \t]+(?:(?:Ver\.?|Version|v)[ \t]?)?\d{1,4}(?:\.\d{1,4}){1,3}[A-Za-z]{0,3}(?-u:\b)",
    )
});

static CN_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "cn_named",
        &format!(
            r"(?:{})[ \t]?[A-Za-z][A-Za-z0-9/+.-]*(?:[ \t][A-Z][A-Za-z0-9/+.-]*){{0,3}}|(?:{})",
            CN_VENDORS.join("|"),
            CN_PRODUCTS.join("|")
        ),
    )
});

/// A program for a platform (`SAP GUI for Windows`, `Citrix Workspace app for Mac`).
static FOR_PLATFORM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "for_platform",
        r"(?-u:\b)(?:[A-Z][A-Za-z0-9+&-]*[ \t]+){1,3}(?:app[ \t]+)?for[ \t]+(?:Windows|Linux|macOS|Mac|Android|iOS|iPad)(?-u:\b)",
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
            r"(?-u:\b)(?:{vendors})[ \t]+((?:[A-Za-z][A-Za-z-]*[ \t]+){{0,2}}(?:[A-Za-z0-9]+[-/])*[A-Za-z]*[0-9][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:[ \t](?:19|20)\d\d)?)(?-u:\b)"
        ),
    )
});

/// A business system named by its maker and its kind (`汇策ERP`, `智勤 HR`, `Rosterly POS`).
static BUSINESS_SYSTEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "business_system",
        r"(?:[\p{Han}]{2,6}|(?-u:\b)[A-Z][a-z]{2,15})[ \t]?(?:ERP|HRM?|POS|OA|CRM|MES|WMS|OMS|SRM|PLM|EHR|HIS|LIS|PACS|BI)(?-u:\b)",
    )
});

/// A name that ends in the kind of thing it is (`Web Image Monitor`, `Dell Command Update`,
/// `Synchronization Service Manager`, `Wikihive Server`).
static KIND_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "kind_named",
        r"(?-u:\b)((?:[A-Z][A-Za-z0-9&+-]*[ \t]+){1,3})(Server|Manager|Monitor|Services?|Update|Gateway|Studio|Client|Agent|Console|Cent(?:er|re)|Suite|Workspace|Portal|Connector|Explorer|Toolkit|Driver|Platform|Engine|Analy[sz]er|Scheduler|Replication|Viewer)(?-u:\b)",
    )
});

/// Heads that also end job titles and departments (`Account Manager`, `Customer Service`): they
/// need two words before them, none of them a job's.
const TITLE_HEADS: &[&str] = &[
    "Manager", "Service", "Services", "Update", "Center", "Centre",
];

/// Words that describe a state, not name a product (`502 Bad Gateway`).
const NOT_A_NAME: &[&str] = &["Bad", "Invalid", "Unknown", "Default", "Failed", "Missing"];

const JOB_WORDS: &[&str] = &[
    "Account",
    "Project",
    "Sales",
    "Office",
    "Store",
    "General",
    "Senior",
    "Regional",
    "Area",
    "Branch",
    "Product",
    "Program",
    "Programme",
    "Desk",
    "Delivery",
    "Team",
    "Support",
    "Customer",
    "Success",
    "Site",
    "Plant",
    "Facilities",
    "IT",
    "HR",
    "Finance",
    "Marketing",
    "Technical",
    "Relationship",
    "Operations",
    "Data",
    "Contact",
    "Call",
    "Service",
];

/// A device's model: letters then three or more digits (`AR6120`, `S6730-H`, `FS-820`,
/// `USG6555F`, `IM C3000`), counted only on a line that names a kind of device.
static MODEL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "model",
        r"(?-u:\b)(?:[A-Z]{1,4}-?[1-9][0-9]{2,4}[A-Z]{0,3}(?:-[A-Z0-9]{1,6})?|[A-Z]{1,3}[ \t][A-Z][1-9][0-9]{2,4})(?-u:\b)",
    )
});

static DEVICE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "device",
        r"(?i)(?-u:\b)(?:routers?|switch(?:es)?|firewalls?|printers?|copiers?|scanners?|filers?|arrays?|controllers?|appliances?|laptops?|notebooks?|workstations?|access points?|UPS|NAS|SAN|HBAs?|terminals?|tablets?|handhelds?|phones?|cameras?|NVR|models?|devices?)(?-u:\b)|路由器|交换机|交換機|防火墙|防火牆|打印机|打印機|印表機|复印机|影印機|考勤机|考勤機|扫描枪|掃描槍|存储|存儲|阵列|陣列|型号|型號|终端|終端|控制器|一体机|網關|网关",
    )
});

/// Words just before a code that say it is an error, not a model (`error SC542`, `报错 E1203`).
static ERROR_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        "error_before",
        r"(?i)(?:error|code|fault|alarm|错误|錯誤|报错|報錯|代码|代碼|故障|告警)[\s:：#]*$",
    )
});

fn kind_named(text: &str, out: &mut Vec<String>) {
    for c in KIND_NAMED.captures_iter(text) {
        let (Some(words), Some(head)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let words: Vec<&str> = words
            .as_str()
            .split_whitespace()
            .skip_while(|w| OPENERS.contains(w))
            .collect();
        // A name with its release is found with it (`Windows Server 2019`).
        let released = text[head.end()..]
            .strip_prefix(' ')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
        let titled = TITLE_HEADS.contains(&head.as_str());
        if released
            || words.is_empty()
            || words.iter().any(|w| NOT_A_NAME.contains(w))
            || words.iter().any(|w| OPENERS.contains(w))
            || (titled
                && ((words.len() < 2 && !super::PRODUCTS.contains(&words[0]))
                    || words.iter().any(|w| JOB_WORDS.contains(w))))
        {
            continue;
        }
        out.push(format!("{} {}", words.join(" "), head.as_str()));
    }
}

fn device_models(text: &str, out: &mut Vec<String>) {
    for line in text.lines().filter(|l| DEVICE.is_match(l)) {
        for m in MODEL.find_iter(line) {
            let before = &line[..m.start()];
            if before.ends_with(['#', '[', '-', '/']) || ERROR_BEFORE.is_match(before) {
                continue;
            }
            let model = m.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(maker) = maker_before(before) {
                out.push(format!("{maker} {model}"));
            }
            out.push(model);
        }
    }
}

/// The maker's name just before a model (`Tessera FS-820`): one capitalised word.
fn maker_before(before: &str) -> Option<&str> {
    let maker = before.strip_suffix(' ')?.split(' ').next_back()?;
    let capital = maker.starts_with(|c: char| c.is_ascii_uppercase())
        && maker.chars().skip(1).all(|c| c.is_ascii_lowercase());
    (capital && maker.len() > 2 && !OPENERS.contains(&maker) && !DEVICE.is_match(maker))
        .then_some(maker)
}

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
    out.extend(CN_NAMED.find_iter(text).map(|m| m.as_str().to_string()));
    out.extend(
        FOR_PLATFORM
            .find_iter(text)
            .map(|m| {
                m.as_str()
                    .split_whitespace()
                    .skip_while(|w| OPENERS.contains(w))
            })
            .map(|w| w.collect::<Vec<_>>().join(" ")),
    );
    kind_named(text, &mut out);
    device_models(text, &mut out);
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
    e.error_codes.extend(super::codes::error_codes(text));
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
    fn products_by_kind_and_device_models() {
        let text = "Open Print Queue Monitor and check it. The Regional Sales Manager asked.\n\
                    我司用友NC Cloud 推送到企业微信失败；Install SAP GUI for Windows, deploy via Tomcat Manager.\n\
                    We swapped the old RX4410 switch for a Corvane QS-7210 (see [OPS-4410]).\n\
                    门店的收银终端（KT-560）报错 E2301 后重启。Our Account Manager agrees.";
        let got = products(text);
        for want in [
            "用友NC Cloud",
            "企业微信",
            "SAP GUI for Windows",
            "Tomcat Manager",
            "Print Queue Monitor",
            "RX4410",
            "Corvane QS-7210",
            "QS-7210",
            "KT-560",
        ] {
            assert!(got.iter().any(|g| g == want), "{want} not in {got:?}");
        }
        for not in [
            "Regional Sales Manager",
            "Sales Manager",
            "Account Manager",
            "E2301",
            "OPS-4410",
        ] {
            assert!(!got.iter().any(|g| g == not), "{not} in {got:?}");
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
