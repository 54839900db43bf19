//! Who the people of a thread are: names from headers, salutations (`许先生 您好`, `Hi Anna`),
//! removed signatures and quoted `From:` lines, and the spellings of each name to hide.
//!
//! Takes strings, gives name variants and regex sources; the replacing is done by the parent
//! module. A Han word is a name when a header says so or when it starts with a common surname;
//! a Latin name is one to three capitalised words that are not team or product words.

use std::sync::LazyLock;

use regex::Regex;

use super::re;
use crate::script::is_han;

/// A Chinese salutation: surname plus honorific (`许先生`, `苏老师`, `王工`).
static ZH_GREETING: LazyLock<Regex> =
    LazyLock::new(|| re(r"^\s*([\p{Han}]{1,2}(?:先生|女士|小姐|老师|经理|工|总|主任))"));

/// An English salutation's name (`Hi Anna`, `Dear Mr. Chen`).
static EN_GREETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\s*(?i:hi|hello|dear|hey|good (?:morning|afternoon|evening))\s+(?:(?:Mr|Mrs|Ms|Dr|Miss)\.?\s+)?([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)",
    )
});

/// Words that look like names in headers and sign-offs but are roles, teams or products.
const NOT_NAMES: &[&str] = &[
    "Support",
    "Team",
    "Sir",
    "Madam",
    "All",
    "Everyone",
    "There",
    "Customer",
    "Service",
    "Services",
    "Engineer",
    "Manager",
    "Windows",
    "Server",
    "Systems",
    "System",
    "Technical",
    "Desk",
    "Help",
    "Helpdesk",
    "Admin",
    "Administrator",
    "Operations",
    "Group",
    "Department",
    "Escalation",
    "Northwind",
    "The",
    "And",
    "Best",
    "Regards",
    "Thanks",
    "Cheers",
    "Kind",
];

/// Name parts that are also words of remedy steps (`Grant the service account …`): hidden only
/// as part of the full name.
const WORDS_TOO: &[&str] = &[
    "Grant", "Will", "Mark", "Bill", "Chase", "Hope", "Page", "Read", "Price", "Best", "Long",
    "Young", "May", "June", "August", "Frank", "Rich", "Drew", "Max", "Case", "Check", "Test",
    "Reed", "Close", "Field", "Hill", "Lane", "Ford", "Stone", "Wood", "Cook", "Miller", "Rose",
];

/// The most common Chinese surnames: a signature line is a name when it starts with one.
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘\
    于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎\
    贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦\
    俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶\
    解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞\
    姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝\
    張劉陳楊黃趙吳孫馬郭羅鄭謝許韓馮鄧蕭葉蘇魏呂盧薑鍾譚陸賈錢湯嚴龔顧萬龍賀鄒閻傅賴溫莊顏聶\
    鮑鄔蔣關歐戴簡黎韋齊喬龐魯蘭寧紀畢單駱藍華饒陽時農繆車項連麥婁竇黨費衛應閔邊師榮遲鄺區区冼鞏叢欒";

/// Honorifics that follow a surname in salutations.
const HONORIFICS: &[&str] = &["先生", "女士", "小姐", "老师", "老師", "经理", "經理"];

/// One-character honorifics (`王工`, `黃生`, `陈总`): names only where the next character ends
/// the word (punctuation, a greeting, the line's end), since `完成工作` holds `成工`.
const SHORT_HONORIFICS: &str = "工|总|總|生";

pub(super) fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Two to four Han characters (spaces between them allowed, as in `许  翔`).
pub(super) fn is_han_word(s: &str) -> bool {
    let s = squash(s);
    (2..=4).contains(&s.chars().count()) && s.chars().all(is_han)
}

/// A Han word that starts with a common surname: a name even outside a header.
pub(super) fn is_han_name(s: &str) -> bool {
    is_han_word(s)
        && squash(s)
            .chars()
            .next()
            .is_some_and(|c| SURNAMES.contains(c))
}

pub(super) fn is_latin_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=3).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| (c.is_alphabetic() && !is_han(c)) || c == '-' || c == '\'')
                // `DBCC`, `URL`: an acronym is no part of a name.
                && w.chars().any(char::is_lowercase)
                && !NOT_NAMES.contains(w)
        })
}

/// The names to hide for one person: the full name, its parts (Latin) or its salutation forms
/// (Chinese surname plus honorific).
pub(super) fn variants(name: &str) -> Vec<String> {
    let name = name.trim();
    let mut out = Vec::new();
    if is_han_word(name) {
        let s = squash(name);
        out.push(s.clone());
        if let Some(surname) = s.chars().next() {
            out.extend(HONORIFICS.iter().map(|h| format!("{surname}{h}")));
        }
        // Colleagues greet a three-character name by its given name (`志偉，`).
        if s.chars().count() == 3 && s.chars().next().is_some_and(|c| SURNAMES.contains(c)) {
            out.push(s.chars().skip(1).collect());
        }
    } else if is_latin_name(name) {
        out.push(name.to_string());
        out.extend(
            name.split_whitespace()
                .filter(|w| w.chars().count() >= 3 && !WORDS_TOO.contains(w))
                .map(str::to_string),
        );
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|v| seen.insert(v.clone()));
    out
}

/// Regex source for one name: Han characters may be spaced out (`许  翔`), Latin names need word
/// boundaries so `Anna` does not hide part of `Annapolis`.
pub(super) fn name_pattern(name: &str) -> String {
    if !name.chars().any(is_han) {
        let words: Vec<String> = name.split_whitespace().map(regex::escape).collect();
        // ASCII boundaries where the name's edge is ASCII, so `Marcus您好` still matches.
        let edge = |c: Option<char>| match c {
            Some(c) if c.is_ascii_alphanumeric() => r"(?-u:\b)",
            _ => "",
        };
        format!(
            "{}{}{}",
            edge(name.chars().next()),
            words.join(r"\s+"),
            edge(name.chars().last())
        )
    } else {
        name.chars()
            .map(|c| regex::escape(&c.to_string()))
            .collect::<Vec<_>>()
            .join(r"\s*")
    }
}

/// Names in a salutation line.
pub fn greeting_names(greeting: &str) -> Vec<String> {
    if let Some(c) = ZH_GREETING.captures(greeting) {
        let whole = c[1].to_string();
        let mut out = vec![whole.clone()];
        if let Some(surname) = whole.chars().next() {
            out.extend(HONORIFICS.iter().map(|h| format!("{surname}{h}")));
        }
        return out;
    }
    // `Hi 婉清，`: a Han given name after a Latin salutation.
    if let Some(c) = HAN_AFTER_HI.captures(greeting) {
        return vec![c[1].to_string()];
    }
    EN_GREETING
        .captures(greeting)
        .map(|c| c[1].to_string())
        .filter(|n| is_latin_name(n))
        .map(|n| variants(&n))
        .unwrap_or_default()
}

static HAN_AFTER_HI: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?m)^\s*(?i:hi|hello|dear|hey|thanks|thank you)\s*([\p{Han}]{2,3})\s*(?:[,，:：!！]|$)")
});

/// A nickname of a surname after `小` or `老` (`财务小刘`, `老吴`), and a surname-led name
/// standing apart between blanks or brackets (`由 SAP 基础组 姚远 处理`, `附加说明（姚远）`):
/// names when the word is not in the dictionary (`小时`, `高危` are).
static NICKNAME: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"[小老][{SURNAMES}]|(?:^|[\s(（])([{SURNAMES}][\p{{Han}}]{{1,2}})(?:[\s)）]|$)"
    ))
});

/// A Han name after `我是`/`我叫` and what the writer is (`我是维多利亚 DBA 區志偉`).
static SELF_NAMED: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:我是|我叫)[^，,。！!\n]{0,24}?([\p{Han}]{2,3})(?:[，,。！!\s]|$)"));

/// Everyday words written like a nickname (`小时` is an hour, `老师` a teacher).
const NOT_NICKNAMES: &[&str] = &[
    "小时", "小時", "小于", "小於", "小区", "小區", "老师", "老師", "小米", "小包", "小车", "小車",
    "小路", "小钱", "小錢", "小白", "小成", "老成", "小方", "小组", "小組", "小计", "小計", "小项",
    "小項", "老化", "老家", "小华", "小華", "小单", "小單", "小师", "小康", "老龙", "小龙",
];

/// Whether jieba's dictionary holds `word`, read in simplified characters (`小時` is `小时`).
fn in_dictionary(word: &str) -> bool {
    crate::zh::jieba().has_word(&crate::index::simplified_text(word))
}

/// Names standing apart, nicknames and self-introductions in Chinese `text`.
pub fn standalone_names(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in NICKNAME.captures_iter(text) {
        let Some(m) = c.get(1).or_else(|| c.get(0)) else {
            continue;
        };
        let word = m.as_str();
        let nickname = c.get(1).is_none();
        let name = if nickname {
            // `小马` opening `小马达` is a word's start; `小时`, `老师` are words.
            let next: String = text[m.end()..].chars().take(1).collect();
            !NOT_NICKNAMES.contains(&word) && !in_dictionary(&format!("{word}{next}"))
        } else {
            // `和总部`: a function character before a word is no name either.
            let tail: String = word.chars().skip(1).collect();
            let function_first = tail.chars().count() == 2 && in_dictionary(&tail);
            !function_first && !in_dictionary(word)
        };
        if name {
            out.extend(variants(word));
        }
    }
    for c in SELF_NAMED.captures_iter(text) {
        if let Some(m) = c.get(1).filter(|m| is_han_name(m.as_str())) {
            out.extend(variants(m.as_str()));
        }
    }
    for c in HAN_AFTER_HI.captures_iter(text) {
        out.extend(c.get(1).map(|m| m.as_str().to_string()));
    }
    out
}

/// `王经理`, `许先生` anywhere in running text: a common surname and an honorific. Single-character
/// honorifics (`工`, `总`) are left to salutations, because `完成工作` holds `成工`.
static SURNAME_HONORIFIC: LazyLock<Regex> =
    LazyLock::new(|| re(&format!("[{SURNAMES}](?:{})", HONORIFICS.join("|"))));

/// `王工，`, `黃生，`, `陈总您好` at the start of a line or after punctuation.
static SHORT_HONORIFIC: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?m)(?:^|[\s，,。:：；;（(|｜])([{SURNAMES}](?:{SHORT_HONORIFICS}))(?:[，,。:：！!\s]|您好|你好|早|$)"
    ))
});

/// Who a helpdesk notification names: `Alice Wong commented:`, `高远 解决了此请求：`,
/// `羅家瑋 關閉了此請求：`, and the agent line `Priya Sandhu (Harbourline IT Services)` over a
/// comment.
static HELPDESK_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?m)^\s*(?:[-—–_=*~]{3,}\s*)?([^\n()（）:：|]{2,40}?)\s*(?:[(（][^()（）\n]{2,60}[)）])?\s*(?:commented|resolved this|closed this|updated this|reopened this|replied|changed the status|added (?:additional |work )?(?:comments?|notes?|a comment|a note)|评论了|評論了|回复了|回覆了|留言|添加了|新增了|关闭了此|關閉了此|解决了此|解決了此|更新了此|重新打开了此|重新開啟了此)[^\n]{0,20}[:：]?\s*$|(?m)^\s*([^\n()（）:：|]{2,40}?)\s*[(（][^()（）\n]{2,60}[)）]\s*$|(?im)^\s*(?:assigned to|assignee|caller|opened by|requested by|requester|reporter|agent|处理人|處理人|负责人|負責人|指派给|指派給|受理人)\s*[:：]\s*([^\n]{2,40}?)\s*$|(?i)(?:comments?|notes?|work notes?) (?:added|updated) by ([^\n:：]{2,40}?)\s*[:：]|(?:我是|我叫)(?:负责此案例的|負責此案例的|负责本案的|您的|本案的)?(?:工程师|工程師|技术支持|技術支援|顾问|顧問)?\s*([^\s，,。]{2,4})",
    )
});

/// Names in helpdesk notification headers of a text.
pub fn helpdesk_header_names(text: &str) -> Vec<String> {
    HELPDESK_HEADER
        .captures_iter(text)
        .filter_map(|c| c.iter().skip(1).flatten().next())
        .map(|m| m.as_str().trim().to_string())
        .filter(|n| is_han_word(n) || is_latin_name(n))
        .flat_map(|n| variants(&n))
        .collect()
}

/// Names on a line near the end of a text: a signature the cleaner left (`[engineer-1] Amber
/// Huang | 宏碩精密｜資訊部`, `Sophia Tseng 曾淑芬`). Each `|`-separated part, placeholders taken
/// out, that is a Han name or a Latin name of two or three words.
pub fn signature_line_names(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    static PARTS: LazyLock<Regex> = LazyLock::new(|| re(r"\s{2,}|[|｜/·]"));
    for part in PARTS.split(line) {
        let part: String = part
            .split_whitespace()
            .filter(|w| !(w.starts_with('[') && w.ends_with(']')))
            .collect::<Vec<_>>()
            .join(" ");
        let words: Vec<&str> = part.split_whitespace().collect();
        // `Sophia Tseng 曾淑芬`: the Latin and the Han spelling side by side.
        let (latin, han): (Vec<&str>, Vec<&str>) =
            words.iter().partition(|w| !w.chars().any(is_han));
        let han = han.join("");
        if !han.is_empty() && is_han_name(&han) && latin.len() != 1 {
            out.extend(variants(&han));
        }
        let latin = latin.join(" ");
        if (2..=3).contains(&latin.split_whitespace().count()) && is_latin_name(&latin) {
            out.extend(variants(&latin));
        }
    }
    out
}

/// A person introduced by their relation in English prose: `my colleague René`, `our admin
/// Tom Baker`, `ask Mr. Chen`. The words before the name are data: add to them, not code.
static INTRODUCED_NAME: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:\b(?:colleague|coworker|co-worker|manager|supervisor|admin|administrator|technician|engineer|contact|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+)(\p{Lu}[\p{Ll}'-]+(?:\s+\p{Lu}[\p{Ll}'-]+)?)",
    )
});

/// People addressed by surname and honorific inside a text (`王经理`, `许先生`), or introduced
/// by their relation (`my colleague René`).
pub fn honorific_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = SURNAME_HONORIFIC
        .find_iter(text)
        .map(|m| m.as_str().to_string())
        .collect();
    out.extend(
        SHORT_HONORIFIC
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().to_string()),
    );
    out.extend(
        INTRODUCED_NAME
            .captures_iter(text)
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str().to_string())
            .filter(|n| is_latin_name(n)),
    );
    out
}

/// Lines of a removed signature that are a person's name.
pub fn signature_names(signature: &str) -> Vec<String> {
    let mut out: Vec<String> = signature
        .lines()
        .map(str::trim)
        .filter(|l| is_han_name(l) || is_latin_name(l))
        .flat_map(variants)
        .collect();
    for line in signature.lines() {
        for name in signature_line_names(line) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// `From:`/`To:`/`发件人：` lines of quoted history: the people of earlier mails.
static QUOTE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?im)^\s*(?:from|to|cc|发件人|收件人|抄送)\s*[:：]\s*(.+)$"));

/// Names in the header lines of a removed quote.
pub fn quoted_header_names(quote: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in QUOTE_HEADER.captures_iter(quote) {
        for person in c[1].split([';', ',', '；', '，']) {
            let name = person
                .split('<')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"');
            if is_han_name(name) || is_latin_name(name) {
                out.extend(variants(name));
            }
        }
    }
    out
}

#[cfg(test)]
mod introduced_tests {
    use super::*;

    #[test]
    fn people_introduced_by_their_relation_are_names() {
        assert_eq!(
            honorific_names(
                "My colleague René has collected three dumps; ask our admin Tom Baker."
            ),
            vec!["René", "Tom Baker"]
        );
        assert_eq!(honorific_names("请联系王经理。"), vec!["王经理"]);
        // A relation word before a lower-case word or a product is no introduction.
        assert_eq!(
            honorific_names("the engineer team and our Admin Console"),
            Vec::<String>::new()
        );
    }
}
