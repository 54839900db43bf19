//! A new ticket, made ready for retrieval: its substance (cleaned text, plus quoted history when the
//! ticket is a forward), its language and its entities.

use serde::Serialize;

use std::path::Path;

use crate::config::Config;
use crate::ingest::{self, charset};
use crate::model::{Entities, Format, Message, RemovalReason, Source};
use crate::{extract, pipeline};

/// What `suggest` knows about a new ticket.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Ticket {
    pub subject: String,
    /// The ticket's own words: cleaned text of every message that is not a status ping.
    pub text: String,
    /// Quoted or forwarded history the cleaner removed. A forwarded chain often *is* the problem
    /// report, so it still counts, but less than the ticket's own words.
    pub quoted: String,
    /// `zh` or `en`.
    pub language: String,
    pub entities: Entities,
}

/// Builds a ticket from the messages a reader gave (a pasted text, an `.eml`, a text export),
/// running the same threading, cleaning and extraction as ingest.
pub fn from_messages(messages: Vec<Message>, config: &Config) -> Ticket {
    let mut subject = String::new();
    let mut text = Vec::new();
    let mut quoted = Vec::new();
    for ct in pipeline::clean_threads(messages, config) {
        if subject.is_empty() {
            subject = ct.thread.subject.clone();
        }
        for cleaned in &ct.cleaned {
            if cleaned.status_ping {
                continue;
            }
            if !cleaned.text.is_empty() {
                text.push(cleaned.text.clone());
            }
            quoted.extend(
                cleaned
                    .removed
                    .iter()
                    .filter(|r| r.reason == RemovalReason::Quote)
                    .map(|r| r.text.clone()),
            );
        }
    }
    from_parts(subject, text.join("\n"), quoted.join("\n"))
}

/// Reads a ticket from the bytes of a file or of standard input: a mail format the readers know
/// (an `.eml`, a text export, an mbox) is parsed as such; anything else is a pasted plain text,
/// decoded by its BOM or by sniffing.
pub fn messages_from_bytes(bytes: &[u8], path: &Path) -> Vec<Message> {
    match ingest::parse_bytes(bytes, path) {
        Ok(messages) if !messages.is_empty() => messages,
        _ => vec![text_message(&charset::decode(bytes, None).text, path)],
    }
}

/// A pasted plain-text ticket as a message, so it runs through the same cleaning as mail.
pub fn text_message(text: &str, path: &Path) -> Message {
    let mut m = Message::new(
        Source {
            path: path.display().to_string(),
            index: 1,
        },
        Format::Text,
    );
    m.body = text.replace("\r\n", "\n");
    m
}

/// Builds a ticket from its parts (already cleaned).
pub fn from_parts(subject: String, text: String, quoted: String) -> Ticket {
    let all = format!("{subject}\n{text}\n{quoted}");
    Ticket {
        language: crate::script::language(&all).to_string(),
        entities: extract::entities(&all),
        subject,
        text,
        quoted,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn language_follows_the_prose_not_the_tokens() {
        assert_eq!(
            crate::script::language("升级到V2020-L失败，日志显示无法初始化DISM"),
            "zh"
        );
        assert_eq!(
            crate::script::language("Backup fails with 0x80070005 on vssadmin.exe"),
            "en"
        );
        assert_eq!(crate::script::language("zk_hook.dll"), "en");
    }
}
