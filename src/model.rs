//! The types that travel through the pipeline: `Message → Thread → Case → Article`.
//!
//! Every stage takes values of these types and returns values of the next one; nothing here does
//! I/O. The serde shapes are the public JSON of `casebook parse` / `cases` / `search` and are
//! documented in README.md, so renaming a field is an interface change.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

/// Where a message came from: the file (or maildir entry) and its 1-based position in that file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    /// 1-based position of the message inside `path` (the export's `第N封邮件`, the N-th mbox
    /// entry, 1 for a single `.eml`; forwarded `message/rfc822` parts follow their parent).
    pub index: usize,
}

/// The container format a message was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The plain-text case export (`邮件主题：` / `====第N封邮件====`, or its English variant).
    TextExport,
    Eml,
    Mbox,
    Maildir,
    /// An Outlook `.msg` file (OLE compound file).
    Msg,
    /// Plain text with no mail structure (a pasted ticket for `suggest`).
    Text,
}

/// A mailbox: display name and address, either of which may be missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    pub name: Option<String>,
    pub address: Option<String>,
}

impl Address {
    /// The best human label: the name, else the address, else the empty string.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .or(self.address.as_deref())
            .unwrap_or("")
    }
}

/// An attachment's description. Its content is never written to disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub name: Option<String>,
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
}

/// One parsed email, whatever format it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub source: Source,
    pub format: Format,
    pub subject: String,
    pub from: Address,
    pub to: Vec<Address>,
    pub cc: Vec<Address>,
    /// UTC; serialized as RFC 3339 (`2022-07-11T17:12:56.495Z`), `null` when unknown.
    #[serde(with = "rfc3339_opt")]
    pub date: Option<DateTime<Utc>>,
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Decoded text of the body (HTML already turned into text when `html` is true).
    pub body: String,
    /// The body came from an HTML part because there was no text/plain one.
    pub html: bool,
    pub attachments: Vec<Attachment>,
    /// The charset the body was decoded with (WHATWG name, e.g. `GBK`, `UTF-8`).
    pub charset: String,
    /// Number of byte sequences that could not be decoded (replaced by U+FFFD).
    pub decode_errors: usize,
    /// Non-fatal problems met while reading (an unparseable date, an unknown charset label…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Message {
    /// An empty message from `source`, for readers to fill in.
    pub fn new(source: Source, format: Format) -> Self {
        Message {
            source,
            format,
            subject: String::new(),
            from: Address::default(),
            to: Vec::new(),
            cc: Vec::new(),
            date: None,
            message_id: None,
            in_reply_to: None,
            references: Vec::new(),
            body: String::new(),
            html: false,
            attachments: Vec::new(),
            charset: "UTF-8".to_string(),
            decode_errors: 0,
            warnings: Vec::new(),
        }
    }
}

/// How a thread was held together, strongest evidence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKey {
    /// A case number in a subject or body (`CAS-06616-G5Z4X1`).
    CaseNumber,
    /// All messages of one text-export file.
    ExportFile,
    /// Message-ID / In-Reply-To / References links.
    References,
    /// The normalized subject within a time window.
    Subject,
    /// A message alone.
    Single,
}

/// The messages of one conversation, sorted by date (ties in source order), duplicates removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thread {
    /// The case number when there is one, else a stable id derived from the root message.
    pub id: String,
    pub case_number: Option<String>,
    /// The subject with reply/forward prefixes and banners removed.
    pub subject: String,
    pub key: ThreadKey,
    pub messages: Vec<Message>,
}

/// Why a span of a body was removed by the cleaner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    Quote,
    Signature,
    Disclaimer,
    Banner,
}

/// A span the cleaner removed, with the reason and the name of the rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub reason: RemovalReason,
    pub rule: String,
    pub text: String,
}

/// A message body reduced to what its author wrote.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cleaned {
    /// The new content, without greeting, quotes, signature, disclaimers and banners.
    pub text: String,
    /// The salutation line (`许先生 您好：`, `Hi John,`), kept apart from the text.
    pub greeting: Option<String>,
    pub removed: Vec<Removal>,
    /// The message is mostly templated boilerplate (a follow-up ping); later stages skip it.
    pub status_ping: bool,
    /// How boilerplate-like the message is, 0.0–1.0 (the evidence for `status_ping`).
    pub boilerplate: f32,
}

/// A thread whose messages have been cleaned: `cleaned[i]` belongs to `thread.messages[i]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CleanThread {
    pub thread: Thread,
    pub cleaned: Vec<Cleaned>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Engineer,
}

/// What a message does in the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Report,
    InfoRequest,
    StatusPing,
    Analysis,
    ActionPlan,
    CustomerUpdate,
    Confirmation,
    Closure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Resolved,
    Unresolved,
}

/// One message as published in a case: cleaned, classified and redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseMessage {
    /// Position in the thread, 1-based.
    pub index: usize,
    /// The author's label (a placeholder such as `[customer-1]` unless `--keep-pii`).
    pub from: String,
    pub role: Role,
    pub kind: Kind,
    #[serde(with = "rfc3339_opt")]
    pub date: Option<DateTime<Utc>>,
    /// Cleaned text.
    pub text: String,
    pub greeting: Option<String>,
    pub status_ping: bool,
    pub removed: Vec<Removal>,
    pub source: Source,
}

/// Entities found in a case's cleaned text and subject. Each list is sorted and deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entities {
    pub case_ids: Vec<String>,
    pub products: Vec<String>,
    pub versions: Vec<String>,
    pub error_codes: Vec<String>,
    pub files: Vec<String>,
    pub commands: Vec<String>,
    pub kb: Vec<String>,
    pub hashes: Vec<String>,
    pub urls: Vec<String>,
}

/// How sure the segmenter is of each field, 0.0–1.0 (1.0 = taken from an explicit summary).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    pub problem: f32,
    pub analysis: f32,
    pub cause: f32,
    pub resolution: f32,
    pub steps: f32,
}

/// A solved (or not) support case: the segmented, redacted form of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub title: String,
    /// `zh` or `en`.
    pub language: String,
    pub customer: Option<String>,
    pub priority: Option<String>,
    pub status: Status,
    #[serde(with = "rfc3339_opt")]
    pub opened: Option<DateTime<Utc>>,
    #[serde(with = "rfc3339_opt")]
    pub closed: Option<DateTime<Utc>>,
    pub messages: Vec<CaseMessage>,
    pub problem: String,
    pub analysis: String,
    pub cause: String,
    pub resolution: String,
    pub steps: Vec<String>,
    /// What engineers asked for while diagnosing: logs to collect, commands to run.
    pub diagnostics: Vec<String>,
    pub entities: Entities,
    pub confidence: Confidence,
    /// A digest of the thread's messages: a grown thread gets a new one.
    pub fingerprint: String,
}

/// One sentence or step of an article and where it came from: the case and the 1-based number
/// of the message that states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cited {
    pub text: String,
    pub case: String,
    pub message: usize,
}

/// An article's Knowledge-Centered Service state (rules in README, thresholds in `[kb]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum KcsState {
    #[serde(rename = "WIP")]
    Wip,
    #[serde(rename = "Not Validated")]
    NotValidated,
    Validated,
    Archived,
}

impl KcsState {
    pub const ALL: [KcsState; 4] = [
        KcsState::Wip,
        KcsState::NotValidated,
        KcsState::Validated,
        KcsState::Archived,
    ];

    pub fn label(self) -> &'static str {
        match self {
            KcsState::Wip => "WIP",
            KcsState::NotValidated => "Not Validated",
            KcsState::Validated => "Validated",
            KcsState::Archived => "Archived",
        }
    }
}

/// A KB article: one recurring problem, built from one or more cases. Its text is
/// customer-neutral and every sentence carries its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Stable across runs: kept when cases join or leave (see `kb::ids`).
    pub id: String,
    pub title: String,
    pub language: String,
    pub status: Status,
    pub state: KcsState,
    /// Customer codes of the cases (shown only to an internal audience).
    pub customers: Vec<String>,
    pub tags: Vec<String>,
    pub products: Vec<String>,
    pub error_codes: Vec<String>,
    pub symptoms: Vec<Cited>,
    pub environment: Vec<String>,
    pub cause: Vec<Cited>,
    pub resolution: Vec<Cited>,
    pub steps: Vec<Cited>,
    pub diagnostics: Vec<String>,
    pub cases: Vec<RelatedCase>,
    #[serde(with = "rfc3339_opt")]
    pub created: Option<DateTime<Utc>>,
    #[serde(with = "rfc3339_opt")]
    pub updated: Option<DateTime<Utc>>,
}

/// A case an article was built from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelatedCase {
    pub id: String,
    pub title: String,
    #[serde(with = "rfc3339_opt")]
    pub opened: Option<DateTime<Utc>>,
    #[serde(with = "rfc3339_opt")]
    pub closed: Option<DateTime<Utc>>,
    pub emails: usize,
    /// Whole days from opened to closed, when both are known.
    pub days_to_resolve: Option<i64>,
}

/// Formats a UTC time the way every JSON output does: RFC 3339 with `Z` and only the
/// sub-second digits that are there.
pub fn format_date(date: &DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// serde glue for `Option<DateTime<Utc>>` as RFC 3339 strings or `null`.
pub mod rfc3339_opt {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&super::format_date(d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        match v {
            None => Ok(None),
            Some(s) => DateTime::parse_from_rfc3339(&s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_serialize_as_rfc3339_utc_with_only_present_fraction() {
        let d = Utc.with_ymd_and_hms(2022, 7, 11, 17, 12, 56).unwrap()
            + chrono::Duration::milliseconds(495);
        assert_eq!(format_date(&d), "2022-07-11T17:12:56.495Z");
        let whole = Utc.with_ymd_and_hms(2022, 7, 11, 17, 12, 56).unwrap();
        assert_eq!(format_date(&whole), "2022-07-11T17:12:56Z");
    }

    #[test]
    fn message_json_round_trips() {
        let mut m = Message::new(
            Source {
                path: "a.eml".into(),
                index: 1,
            },
            Format::Eml,
        );
        m.date = Some(Utc.with_ymd_and_hms(2022, 1, 2, 3, 4, 5).unwrap());
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"date\":\"2022-01-02T03:04:05Z\""));
        assert!(json.contains("\"format\":\"eml\""));
        let back: Message = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }
}
