//! The pure part of the pipeline strung together: messages → threads → cleaned threads → cases.
//! No I/O: the CLI and the store call this with what the readers gave.

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::model::{Case, CleanThread, Message};
use crate::{clean, redact, segment, thread};

/// Options that change what is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct Publish {
    /// Keep names, addresses and phone numbers (`--keep-pii`).
    pub keep_pii: bool,
}

/// Threads and cleans messages.
pub fn clean_threads(messages: Vec<Message>, config: &Config) -> Vec<CleanThread> {
    let threads = thread::thread(messages, &config.thread);
    clean::clean_threads(threads, &config.clean)
}

/// Messages in, segmented (and, unless `keep_pii`, redacted) cases out: one case per thread,
/// its id the helpdesk's case number, its title the subject without prefixes and number, its
/// status `Resolved` only when the customer confirmed the fix.
///
/// ```
/// use casebook::config::Config;
/// use casebook::ingest::parse_bytes;
/// use casebook::model::{Kind, Status};
/// use casebook::pipeline::{cases, Publish};
///
/// let export = "Subject: RE: [Case: CAS-31001-Q7W2E4] Backup job fails with 0x80070005\n\
///     ====Message 1====\nFrom: Noah Williams\nSent: 2023-08-22 07:55:00\nBody:\n\
///     Our nightly backup job fails with 0x80070005 Access is denied.\n\
///     ====Message 2====\nFrom: Northwind Support\nSent: 2023-08-22 09:00:00\nBody:\n\
///     Please add the backup account to Backup Operators and re-run the job.\n\
///     ====Message 3====\nFrom: Noah Williams\nSent: 2023-08-23 08:00:00\nBody:\n\
///     That worked, the backup completed tonight. Thanks, you can close the case.\n";
/// let messages = parse_bytes(export.as_bytes(), "case.txt".as_ref()).unwrap();
/// let cases = cases(messages, &Config::default(), Publish::default());
/// assert_eq!(cases.len(), 1);
/// let case = &cases[0];
/// assert_eq!(case.id, "CAS-31001-Q7W2E4");
/// assert_eq!(case.title, "Backup job fails with 0x80070005");
/// assert_eq!(case.status, Status::Resolved);
/// let kinds: Vec<Kind> = case.messages.iter().map(|m| m.kind).collect();
/// assert_eq!(kinds, [Kind::Report, Kind::ActionPlan, Kind::Confirmation]);
/// assert_eq!(case.entities.error_codes, ["0x80070005", "Access is denied"]);
/// ```
pub fn cases(messages: Vec<Message>, config: &Config, publish: Publish) -> Vec<Case> {
    clean_threads(messages, config)
        .iter()
        .map(|ct| case_of(ct, config, publish))
        .collect()
}

/// One cleaned thread's case (the store calls this directly so it can keep the thread's parsed
/// messages beside the case).
pub fn case_of(ct: &CleanThread, config: &Config, publish: Publish) -> Case {
    let case = segment::segment(ct, &config.segment);
    if publish.keep_pii {
        case
    } else {
        redact::redact(case, ct)
    }
}

/// What decides the cases of a given mail: the rules of threading, cleaning and segmenting, the
/// publishing options and the casebook version, as one digest. An ingest skips unchanged files
/// only while this is what it was when they were read.
pub fn fingerprint(config: &Config, publish: Publish) -> String {
    // `SegmentConfig` caches its compiled inventory inside itself, so its `Debug` changes once
    // used: its user fields are named one by one.
    let s = &config.segment;
    let basis = format!(
        "{}\u{0}{:?}\u{0}{:?}\u{0}{:?}\u{0}{}",
        env!("CARGO_PKG_VERSION"),
        config.thread,
        config.clean,
        (&s.support_domains, &s.engineers, &s.tools, &s.products),
        publish.keep_pii
    );
    Sha256::digest(basis.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_stays_when_the_config_is_used_and_moves_with_its_rules() {
        let config = Config::default();
        let before = fingerprint(&config, Publish::default());
        let ct = clean_threads(Vec::new(), &config);
        assert!(ct.is_empty());
        let msg = crate::model::Message::new(
            crate::model::Source {
                path: "x".into(),
                index: 1,
            },
            crate::model::Format::Text,
        );
        let _ = cases(vec![msg], &config, Publish::default());
        assert_eq!(fingerprint(&config, Publish::default()), before);
        let pii = Publish { keep_pii: true };
        assert_ne!(fingerprint(&config, pii), before);
        let mut other = Config::default();
        other.segment.engineers.push("Wei Liang".into());
        assert_ne!(fingerprint(&other, Publish::default()), before);
    }
}
