//! Cleaning: each body reduced to what its author wrote (quotes, signatures, banners and
//! disclaimers removed and kept with their reason), and templated status pings marked.
//!
//! STUB: filled in by issue #3.

use serde::Deserialize;

use crate::model::{CleanThread, Cleaned, Thread};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanConfig {}

/// Cleans every message of every thread and marks status pings across the corpus.
pub fn clean_threads(threads: Vec<Thread>, _config: &CleanConfig) -> Vec<CleanThread> {
    threads
        .into_iter()
        .map(|thread| {
            let cleaned = thread
                .messages
                .iter()
                .map(|m| Cleaned {
                    text: m.body.trim().to_string(),
                    ..Cleaned::default()
                })
                .collect();
            CleanThread { thread, cleaned }
        })
        .collect()
}
