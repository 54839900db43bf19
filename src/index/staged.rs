//! Messages staged for a bounded ingest: each message as it is read is cleaned (cleaning is per
//! body, so it needs no other message) and goes whole, with its cleaned body, to a spill file in
//! the store directory ([`super::spill`]'s binary records). Only what threading reads stays in
//! memory — the message without body, recipients or warnings (a "skeleton") and its
//! [`BodyKeys`].
//!
//! The readers push chunks of messages in; the store's bounded ingest threads the skeletons,
//! reads the cleaned texts back to score status pings, and then loads the full messages and
//! cleaned bodies of a batch of threads at a time. The spill file (`.spill-<pid>`)
//! is scratch: it is deleted when the `Staged` value is dropped, and one left by a killed ingest
//! is deleted by the next one (which holds the writer lock, so no other ingest is using it). It
//! never enters a commit.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::spill;
use crate::clean::{self, Rules};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Cleaned, Message};
use crate::parallel;
use crate::thread::{BodyKeys, CasePatterns};

/// Spill files are named `.spill-<pid>` in the store directory: hidden, so an ingest of a
/// directory that holds the store does not read its own scratch file as mail.
const SPILL_PREFIX: &str = ".spill-";

/// Messages read so far: skeletons and body keys in memory, the full messages on disk.
pub struct Staged {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    file: Option<File>,
    written: u64,
    /// Where each message's record lies in the spill file: offset, length, length of its
    /// cleaned-text prefix.
    spans: Vec<(u64, u32, u32)>,
    pub(super) skeletons: Vec<Message>,
    pub(super) keys: Vec<BodyKeys>,
    patterns: CasePatterns,
    rules: Rules,
    /// The first write error; reported when the ingest starts.
    error: Option<Error>,
    /// Messages per batch of the heavy stages.
    pub(super) batch: usize,
}

/// Messages serialized together on all cores while staging.
const PUSH_PIECE: usize = 2048;

/// Messages cleaned, segmented and indexed together (and held in memory together).
pub const DEFAULT_BATCH: usize = 8192;

impl Staged {
    /// A new spill in `dir` (the store directory), removing spills left by killed ingests.
    pub(super) fn new(dir: &Path, config: &Config, batch: usize) -> Result<Staged> {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(SPILL_PREFIX) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        let path = dir.join(format!("{SPILL_PREFIX}{}", std::process::id()));
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        let reader = file.try_clone().map_err(|e| Error::io(&path, e))?;
        Ok(Staged {
            path,
            out: Some(BufWriter::with_capacity(1 << 20, file)),
            file: Some(reader),
            written: 0,
            spans: Vec::new(),
            skeletons: Vec::new(),
            keys: Vec::new(),
            patterns: CasePatterns::lenient(&config.thread.case_patterns),
            // A bad pattern was reported when the config was read; the built-ins stand.
            rules: Rules::from_config(&config.clean).unwrap_or_default(),
            error: None,
            batch: batch.max(1),
        })
    }

    /// Stages a chunk of messages (in reading order).
    pub fn push(&mut self, mut chunk: Vec<Message>) {
        // A few thousand at a time, so their records stay small beside the chunk.
        while chunk.len() > PUSH_PIECE {
            let rest = chunk.split_off(PUSH_PIECE);
            self.push_piece(chunk);
            chunk = rest;
        }
        self.push_piece(chunk);
    }

    fn push_piece(&mut self, chunk: Vec<Message>) {
        let (patterns, rules) = (&self.patterns, &self.rules);
        let prepared = parallel::ordered_map(
            &chunk,
            |m| {
                let cleaned = clean::clean_body(&m.body, rules);
                let mut record = Vec::with_capacity(m.body.len() + cleaned.text.len() + 256);
                let text_len = spill::encode(m, &cleaned, &mut record);
                (BodyKeys::of(m, patterns), record, text_len)
            },
            |_, _| {},
        );
        for (m, (keys, record, text_len)) in chunk.into_iter().zip(prepared) {
            if let Some(out) = self.out.as_mut() {
                if let Err(e) = out.write_all(&record) {
                    self.fail(Error::io(&self.path, e));
                }
            }
            let len = u32::try_from(record.len()).unwrap_or(u32::MAX);
            let text_len = u32::try_from(text_len).unwrap_or(u32::MAX);
            self.spans.push((self.written, len, text_len));
            self.written += record.len() as u64;
            self.skeletons.push(skeleton(m));
            self.keys.push(keys);
        }
    }

    fn fail(&mut self, e: Error) {
        self.error.get_or_insert(e);
    }

    /// Messages staged.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Ends writing: from here on messages are loaded back. Gives the first write error.
    pub(super) fn finish(&mut self) -> Result<()> {
        if let Some(mut out) = self.out.take() {
            if let Err(e) = out.flush() {
                self.fail(Error::io(&self.path, e));
            }
        }
        match self.error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The full messages at `positions` (staging order numbers) with their cleaned bodies (not
    /// yet scored as pings), read back on all cores.
    pub(super) fn load(&self, positions: &[usize]) -> Result<Vec<(Message, Cleaned)>> {
        let file = self.reader()?;
        parallel::ordered_map(
            positions,
            |&i| {
                let (record, text_len) = self.read(file, i, false)?;
                spill::decode(&record, text_len).map_err(|e| self.bad(i, &e))
            },
            |_, _| {},
        )
        .into_iter()
        .collect()
    }

    /// The cleaned texts of the messages at `positions` (only the start of each record is read).
    pub(super) fn load_texts(&self, positions: &[usize]) -> Result<Vec<Box<str>>> {
        let file = self.reader()?;
        parallel::ordered_map(
            positions,
            |&i| {
                let (record, _) = self.read(file, i, true)?;
                String::from_utf8(record)
                    .map(String::into_boxed_str)
                    .map_err(|_| self.bad(i, "cleaned text is not UTF-8"))
            },
            |_, _| {},
        )
        .into_iter()
        .collect()
    }

    fn reader(&self) -> Result<&File> {
        self.file
            .as_ref()
            .ok_or_else(|| Error::io(&self.path, std::io::Error::other("spill closed")))
    }

    fn bad(&self, i: usize, what: &str) -> Error {
        Error::io(
            &self.path,
            std::io::Error::other(format!("staged message {i}: {what}")),
        )
    }

    /// The record of message `i` (only its text prefix when `text_only`), and the length of
    /// that prefix.
    fn read(&self, file: &File, i: usize, text_only: bool) -> Result<(Vec<u8>, usize)> {
        use std::os::unix::fs::FileExt;
        let &(at, len, text_len) = self.spans.get(i).ok_or_else(|| self.bad(i, "missing"))?;
        let len = if text_only { text_len } else { len };
        let mut buf = vec![0u8; len as usize];
        file.read_exact_at(&mut buf, at)
            .map_err(|e| Error::io(&self.path, e))?;
        Ok((buf, text_len as usize))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        self.out.take();
        self.file.take();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// What threading reads of a message: its headers and the forwarded-message attachments that tie
/// a carrier to its parts. The body is in its [`BodyKeys`].
fn skeleton(m: Message) -> Message {
    let mut attachments = m.attachments;
    attachments.retain(|a| {
        let t = a.content_type.to_ascii_lowercase();
        t == "message/rfc822" || t == "message/global"
    });
    for a in &mut attachments {
        a.name = None;
        a.content_type.shrink_to_fit();
    }
    attachments.shrink_to_fit();
    let mut s = Message {
        to: Vec::new(),
        cc: Vec::new(),
        body: String::new(),
        attachments,
        charset: String::new(),
        warnings: Vec::new(),
        ..m
    };
    // Held for the whole corpus: no spare capacity left over from parsing.
    let strings = [&mut s.source.path, &mut s.subject]
        .into_iter()
        .chain(s.from.name.as_mut())
        .chain(s.from.address.as_mut())
        .chain(s.message_id.as_mut())
        .chain(s.in_reply_to.as_mut())
        .chain(s.references.iter_mut());
    for string in strings {
        string.shrink_to_fit();
    }
    s.references.shrink_to_fit();
    s
}
