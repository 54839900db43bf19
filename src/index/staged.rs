//! Messages staged for a bounded ingest: each message as it is read goes whole (as JSON) to a
//! spill file in the store directory, and only what threading reads stays in memory — the
//! message without body, recipients or warnings (a "skeleton") and its [`BodyKeys`].
//!
//! The readers push chunks of messages in; the store's bounded ingest threads the skeletons and
//! then loads the full messages of a batch of threads at a time. The spill file (`.spill-<pid>`)
//! is scratch: it is deleted when the `Staged` value is dropped, and one left by a killed ingest
//! is deleted by the next one (which holds the writer lock, so no other ingest is using it). It
//! never enters a commit.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::Message;
use crate::parallel;
use crate::thread::{BodyKeys, CasePatterns, ThreadConfig};

/// Spill files are named `.spill-<pid>` in the store directory: hidden, so an ingest of a
/// directory that holds the store does not read its own scratch file as mail.
const SPILL_PREFIX: &str = ".spill-";

/// Messages read so far: skeletons and body keys in memory, the full messages on disk.
pub struct Staged {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    file: Option<File>,
    written: u64,
    /// Where each message's JSON lies in the spill file.
    spans: Vec<(u64, u32)>,
    pub(super) skeletons: Vec<Message>,
    pub(super) keys: Vec<BodyKeys>,
    patterns: CasePatterns,
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
    pub(super) fn new(dir: &Path, config: &ThreadConfig, batch: usize) -> Result<Staged> {
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
            patterns: CasePatterns::lenient(&config.case_patterns),
            error: None,
            batch: batch.max(1),
        })
    }

    /// Stages a chunk of messages (in reading order).
    pub fn push(&mut self, mut chunk: Vec<Message>) {
        // A few thousand at a time, so their JSON copies stay small beside the chunk.
        while chunk.len() > PUSH_PIECE {
            let rest = chunk.split_off(PUSH_PIECE);
            self.push_piece(chunk);
            chunk = rest;
        }
        self.push_piece(chunk);
    }

    fn push_piece(&mut self, chunk: Vec<Message>) {
        let patterns = &self.patterns;
        let prepared = parallel::ordered_map(
            &chunk,
            |m| (BodyKeys::of(m, patterns), serde_json::to_vec(m)),
            |_, _| {},
        );
        for (m, (keys, json)) in chunk.into_iter().zip(prepared) {
            let json = match json {
                Ok(j) => j,
                Err(e) => {
                    self.fail(Error::io(&self.path, std::io::Error::other(e)));
                    Vec::new()
                }
            };
            if let Some(out) = self.out.as_mut() {
                if let Err(e) = out.write_all(&json) {
                    self.fail(Error::io(&self.path, e));
                }
            }
            let len = u32::try_from(json.len()).unwrap_or(u32::MAX);
            self.spans.push((self.written, len));
            self.written += json.len() as u64;
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

    /// The full messages at `positions` (staging order numbers), read back on all cores.
    pub(super) fn load(&self, positions: &[usize]) -> Result<Vec<Message>> {
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| Error::io(&self.path, std::io::Error::other("spill closed")))?;
        parallel::ordered_map(positions, |&i| self.load_one(file, i), |_, _| {})
            .into_iter()
            .collect()
    }

    fn load_one(&self, file: &File, i: usize) -> Result<Message> {
        use std::os::unix::fs::FileExt;
        let bad = |what: String| Error::io(&self.path, std::io::Error::other(what));
        let &(at, len) = self
            .spans
            .get(i)
            .ok_or_else(|| bad(format!("no staged message {i}")))?;
        let mut buf = vec![0u8; len as usize];
        file.read_exact_at(&mut buf, at)
            .map_err(|e| Error::io(&self.path, e))?;
        serde_json::from_slice(&buf).map_err(|e| bad(format!("staged message {i}: {e}")))
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
