//! Threading: messages in, one `Thread` per conversation out (case number, then
//! Message-ID/References, then normalized subject within a time window).
//!
//! STUB: filled in by issue #3.

use serde::Deserialize;

use crate::model::{Message, Thread, ThreadKey};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ThreadConfig {
    /// Extra case-number regexes, tried after the built-in `CAS-NNNNN-XXXXXX`.
    pub case_patterns: Vec<String>,
}

/// Groups messages into threads.
pub fn thread(messages: Vec<Message>, _config: &ThreadConfig) -> Vec<Thread> {
    messages
        .into_iter()
        .map(|m| Thread {
            id: format!("{}#{}", m.source.path, m.source.index),
            case_number: None,
            subject: m.subject.clone(),
            key: ThreadKey::Single,
            messages: vec![m],
        })
        .collect()
}
