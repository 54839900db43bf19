//! The cleaner's rules as data: named line patterns, the built-in tables and the user's additions
//! from `[clean]` in `casebook.toml`.
//!
//! Takes pattern strings; gives compiled [`Rules`]. Every pattern is matched against one line
//! with its surrounding whitespace trimmed, so `^`/`$` mean the line's ends. A rule's name is what
//! a `Removal` reports, so a user can see which rule removed a line (`config.signature.1` for the
//! second signature pattern of the config file).

use super::CleanConfig;
use crate::rule::table;
pub use crate::rule::{first_match, Rule};

/// All tables the cleaner uses.
#[derive(Debug, Clone)]
pub struct Rules {
    /// A line that starts quoted history: everything from it to the end is removed.
    pub quote_headers: Vec<Rule>,
    /// First line of an Outlook header block (`From:` / `发件人:`)…
    pub header_from: Rule,
    /// …which counts only when one of these follows within a few lines (`Sent:` / `发送时间:`).
    pub header_fields: Rule,
    /// A banner line, or a banner in front of the first words of a line.
    pub banners: Vec<Rule>,
    /// Banners that run over several lines: the rest of their paragraph goes with them.
    pub paragraph_banners: Vec<Rule>,
    /// First line of a legal notice; its paragraph is removed.
    pub disclaimers: Vec<Rule>,
    /// A salutation line.
    pub greetings: Vec<Rule>,
    /// A closing line standing alone (`Best regards,`, `此致`).
    pub closings: Vec<Rule>,
    /// Contact lines of a signature (`电话：…`, `Tel: …`).
    pub contacts: Vec<Rule>,
    /// Lines that belong to a signature only below a closing (a bare URL or phone number).
    pub signature_lines: Vec<Rule>,
    /// Decorative bars (`☆☆☆…`, `=====`, `_____`).
    pub bars: Vec<Rule>,
    /// The user's own signature lines: removed wherever they stand at the end.
    pub signatures: Vec<Rule>,
    /// Lines the user declares templated boilerplate; they count fully as template text when
    /// status pings are scored.
    pub boilerplate: Vec<Rule>,
}

fn rule(name: &'static str, pattern: &str) -> Rule {
    Rule::builtin(name, pattern)
}

/// The built-in tables, compiled once per process: every `clean_threads` call (one per suggest
/// request in `casebook serve`) starts from them, and compiling them took most of a suggest's
/// time. A clone shares the compiled regexes.
static BUILTIN: std::sync::LazyLock<Rules> = std::sync::LazyLock::new(Rules::builtin);

impl Default for Rules {
    fn default() -> Self {
        BUILTIN.clone()
    }
}

impl Rules {
    fn builtin() -> Self {
        Rules {
            quote_headers: table(&[
                (
                    "original-message",
                    r"(?i)^-{2,}\s*(?:原始邮件|原始郵件|邮件原件|回复的原邮件|original message|original|reply message)\s*-{2,}$",
                ),
                (
                    "forwarded-message",
                    r"(?i)^-{2,}\s*(?:forwarded message|转发邮件|转发的邮件|轉寄郵件|轉寄的郵件)\s*-{2,}$",
                ),
                ("begin-forwarded", r"(?i)^begin forwarded message\s*:$"),
                // Gmail/Apple Mail: `On Fri, 4 Aug 2023 at 11:15, Kenji <k@x> wrote:`.
                ("on-wrote", r"(?i)^on\s.{6,}\swrote\s*:$"),
                // Chinese clients: `在 2022年7月6日 16:28，刘镕 <l@x> 写道：`.
                ("zh-wrote", r"^在.{4,}(?:写道|寫道)\s*[:：]$"),
                // Gmail in Chinese: `刘镕 <l@x> 于2023年4月12日周三 15:20写道：`.
                (
                    "zh-wrote-gmail",
                    r"^.{1,80}于\s?\d{4}年.{2,40}(?:写道|寫道)\s*[:：]$",
                ),
                ("de-wrote", r"(?i)^am\s.{6,}\sschrieb\s.{0,80}:$"),
                ("fr-wrote", r"(?i)^le\s.{6,}\sa écrit\s*:$"),
            ]),
            header_from: rule(
                "outlook-header",
                r"(?i)^(?:\*+\s*)?(?:from|发件人|發件人|寄件者|寄件人)\s*(?:\*+\s*)?[:：]",
            ),
            header_fields: rule(
                "outlook-header",
                r"(?i)^(?:\*+\s*)?(?:sent|date|cc|发送时间|發送時間|时间|日期|寄件日期|to|收件人|收件者|抄送|副本|subject|主题|主旨)\s*(?:\*+\s*)?[:：]",
            ),
            banners: table(&[
                (
                    "external-banner-zh",
                    r"^【(?:外来邮件|外部邮件|外來郵件|外部郵件)[^】]{0,20}】",
                ),
                (
                    "external-tag",
                    r"(?i)^\[(?:external(?: e-?mail| sender)?|ext|外部邮件|外部郵件)\](?:\s|$)",
                ),
                // Helpdesks' reply markers: Zendesk `##- Please type your reply above this line
                // -##`, Jira `Reply above this line.`, ServiceNow `---- 请在此线以上回复 ----`.
                (
                    "reply-above-marker",
                    r"(?i)^[\s\-—–=#_*.]*(?:please (?:type your )?reply above this line|reply above this line|(?:请|請)?在(?:此|这|這)(?:一)?(?:行|线|線)(?:以上|上方)\S*)[\s\-—–=#_*.]*$",
                ),
                // Their notification headers: `Your request (50877) has been updated.`,
                // `INC0040117 已更新。`, `INC0060455 - comments added by Ann Lee:`, and the bare
                // time stamp a comment is shown under (`Mar 4, 2024, 16:48 GMT`).
                (
                    "helpdesk-header",
                    r"(?i)^(?:your (?:request|ticket|case|incident)\s*[(#]*[\w-]+\)?\s+has been (?:updated|received|resolved|solved)\b.*|您的(?:请求|請求|工单|工單|案例)\s*[(（]?#?\d+[)）]?\s*已(?:更新|收到|解决|解決)\S*|[A-Z]{2,6}\d{5,}\s*已更新[。.]?|[A-Z]{2,6}\d{5,}\s*-\s*(?:\S{1,20}\s+){0,3}(?:comments? added by|work notes? added by|添加了备注|新增了備註|新增了备注)[^\n]{0,40}[:：]?)$",
                ),
                (
                    "helpdesk-timestamp",
                    r"^(?:[A-Z][a-z]{2,8} \d{1,2}, \d{4},? \d{1,2}:\d{2}(?: ?[AP]M)?(?: [A-Z]{2,5}(?:[+-]\d{1,2})?)?|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}(?:\s*[A-Z]{2,5}(?:[+-]\d{1,2})?)?)$",
                ),
                // Their notification footers: links to the request, why you get the mail.
                (
                    "helpdesk-footer",
                    r"(?i)^(?:view (?:request|incident|ticket)\b.*|檢視請求.*|查看请求.*|查看請求.*|you are receiving this (?:because|email|notification).*|you received this (?:email|notification) because.*|您收到此(?:邮件|郵件)是因[为為].*|to add additional comments,? reply to this email.*|若要新增其他意見.*|如需添加其他意见.*|ref:msg\d+|turn off this request.*)$",
                ),
            ]),
            paragraph_banners: table(&[
                (
                    "caution-banner",
                    r"(?i)^(?:\[?caution\]?|warning|attention|notice)\s*[:：\-]\s*(?:this|the) (?:e-?mail|message) (?:originated|came|was sent) from outside",
                ),
                (
                    "external-sender-banner",
                    r"(?i)^(?:this (?:e-?mail|message) (?:originated|came|was sent) from outside\b|you don'?t often get email from)",
                ),
                (
                    "external-banner-zh-text",
                    r"^(?:注意|警告|提示)[:：]?\s*(?:此|本)(?:邮件|郵件)来自(?:外部|组织外部)",
                ),
            ]),
            disclaimers: table(&[
                (
                    "disclaimer-en",
                    r"(?i)^(?:[^.!?]{0,40}[|:：\-–]\s*)?(?:confidentiality notice|disclaimer|(?:the information (?:contained )?in )?this (?:e-?mail|message|communication)\b.{0,80}\b(?:is|are|may be|contains?) (?:strictly )?(?:confidential|privileged|intended (?:solely|only)))",
                ),
                // A notice that opens with the company's registration before the confidentiality.
                (
                    "disclaimer-en-inline",
                    r"(?i)\b(?:is registered in (?:england|scotland|wales|ireland)\b|this (?:e-?mail|message)(?: and any (?:attachments|files)(?: (?:to|with) it)?)? (?:is|are|may be) (?:strictly )?(?:confidential|privileged))",
                ),
                (
                    "disclaimer-en-recipient",
                    r"(?i)^if you (?:are not|have received this (?:e-?mail|message) in error)",
                ),
                (
                    "disclaimer-zh",
                    r"^(?:本|此)(?:邮件|郵件|电子邮件|電子郵件)(?:及其|及|和)?(?:附件)?.{0,20}(?:保密|机密|機密)",
                ),
                (
                    "disclaimer-zh-notice",
                    r"^(?:保密声明|免责声明|保密聲明|免責聲明)\s*[:：]?",
                ),
            ]),
            greetings: table(&[
                (
                    "greeting-en",
                    r"(?i)^(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening|day))\b(?:[^.!?。？！]|\b(?:mr|mrs|ms|dr)\.){0,60}[,，:：!！]$",
                ),
                (
                    "greeting-en-bare",
                    r"(?i)^(?:hi|hello|hey|dear)(?:\s+[\w.'-]+){0,3}$",
                ),
                (
                    "greeting-zh",
                    r"^[^，。！？!?,\s]{0,16}[，,]?\s*(?:您好|你好|大家好|各位好|早上好|上午好|下午好|晚上好)[！!，,：:。]?$",
                ),
                // `王工：`, `李经理，`: a name and a title alone on the first line.
                (
                    "greeting-zh-title",
                    r"^\p{Han}{1,4}(?:工|经理|經理|总|總|老师|老師|先生|女士|小姐|主任|同事们|同事們)[：:，,]$",
                ),
                (
                    "greeting-zh-respect",
                    r"^(?:尊敬的|亲爱的|親愛的)[^，。！？!?]{1,24}[：:，,！!]?$",
                ),
            ]),
            closings: table(&[
                (
                    "closing-en",
                    r"(?i)^(?:(?:best|kind|warm|warmest|many|with best)\s+(?:regards|wishes)|regards|best|thanks(?:\s+(?:again|a lot|in advance|and regards|& regards))?|thank you(?:\s+(?:again|very much))?|many thanks|cheers|sincerely(?: yours)?|yours(?: sincerely| truly)?|br|rgds)\s*[,，.。!！~]*$",
                ),
                // `Thanks, Olivia`: the closing and a capitalised name on one line.
                (
                    "closing-en-name",
                    r"^(?i:best regards|kind regards|regards|thanks|thank you|many thanks|cheers|br)\s*[,，]\s*\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,2}$",
                ),
                (
                    "closing-zh",
                    r"^(?:此致|敬礼|此致敬礼|此致\s*敬礼|顺祝商祺|顺颂商祺|顺颂时祺|順祝商祺|祝好|祝工作顺利|谢谢|謝謝|多谢|多謝|感谢|感謝|谢谢您|謝謝您)\s*[,，.。!！~]*$",
                ),
            ]),
            contacts: table(&[
                // Mobile clients' sign-offs count as signature lines wherever they end a mail.
                (
                    "sent-from-device",
                    r"(?i)^(?:sent from (?:my )?\S.{0,30}|get outlook for \S.{0,20}|发自(?:我的)?\s?\S.{0,20}|[从從]我的\s?\S.{0,20}(?:发送|傳送|寄出)|来自\S{0,8}(?:邮箱|郵箱|客户端|客戶端)\S{0,10})$",
                ),
                (
                    "contact-zh",
                    r"^(?:电话|電話|手机|手機|座机|传真|傳真|邮箱|郵箱|电子邮箱|電子郵箱|电邮|官方网站|官網|官网|网站|網站|网址|地址|微信|QQ)\s*[:：]?\s*\S",
                ),
                (
                    "contact-en",
                    r"(?i)^(?:tel|phone|mobile|mob|cell|fax|e-?mail|web|website|address|skype|direct|office)\.?\s*[:：]\s*\S",
                ),
            ]),
            // A bare link or number under a name is signature, but at the end of a mail
            // without a sign-off it is as likely content ("download it here: <link>").
            signature_lines: table(&[
                ("contact-url", r"(?i)^(?:https?://|www\.)\S+$"),
                ("contact-phone", r"^\+?[\d\s()\-]{7,}$"),
            ]),
            bars: table(&[("bar", r"^(?:[☆★=_~*#\-]\s?){3,}$")]),
            signatures: Vec::new(),
            boilerplate: Vec::new(),
        }
    }
}

impl Rules {
    /// The built-in tables plus the user's patterns from `[clean]`.
    pub fn from_config(config: &CleanConfig) -> Result<Self, String> {
        let mut rules = Rules::default();
        let add = |out: &mut Vec<Rule>, kind: &str, patterns: &[String]| -> Result<(), String> {
            for (i, p) in patterns.iter().enumerate() {
                let rule = Rule::new(format!("config.{kind}.{i}"), p)
                    .map_err(|e| format!("[clean] {kind} {e}"))?;
                out.push(rule);
            }
            Ok(())
        };
        add(&mut rules.quote_headers, "quote", &config.quotes)?;
        add(&mut rules.banners, "banner", &config.banners)?;
        add(&mut rules.disclaimers, "disclaimer", &config.disclaimers)?;
        add(&mut rules.signatures, "signature", &config.signatures)?;
        add(&mut rules.closings, "closing", &config.closings)?;
        add(&mut rules.boilerplate, "boilerplate", &config.boilerplate)?;
        Ok(rules)
    }
}
