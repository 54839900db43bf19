//! Walking and reading many files: paths in, messages out a chunk at a time, so a caller that
//! keeps only what it needs of each message (the bounded ingest) never holds the whole corpus.
//!
//! Directories are walked recursively in name order, maildir folders read as such (their messages
//! numbered through the folder), metadata files skipped. Small files are read a chunk at a time
//! on all cores; an mbox over [`STREAM_MBOX_BYTES`] is read in blocks cut at separators. Messages
//! reach the sink in the order a whole read would give them.
//!
//! With what an earlier ingest recorded of each file ([`FileState`]), a file whose size and
//! content hash are unchanged is not parsed, and an mbox that only grew (its old bytes hash as
//! before) is parsed from its old end, its messages numbered on from the old count. Every file
//! read or skipped gets its new state back, for the store to keep with its commit.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{is_metadata, limits, maildir, mbox, parse_file, parse_mbox, Ingested, Progress};
use crate::error::Error;
use crate::model::Message;

/// What an ingest knew of one file when it committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileState {
    pub size: u64,
    /// Modification time, nanoseconds since 1970 (0 when the filesystem has none).
    pub mtime: u128,
    /// SHA-256 of the content, hex.
    pub hash: String,
    /// Messages read from the file (an mbox's next entry is numbered from here).
    pub messages: usize,
    /// The number of the file's first message minus one (maildir files are numbered through
    /// their folder, so a skipped file must still start where it did).
    pub first_index: usize,
}

/// Files of one chunk read together on all cores: few enough that their messages are a small
/// part of the memory budget.
const CHUNK_FILES: usize = 512;
const CHUNK_BYTES: u64 = 32 << 20;

/// Files above this size that start with an mbox separator are read a block at a time, so the
/// whole file never sits in memory beside the messages parsed from it.
const STREAM_MBOX_BYTES: u64 = 64 << 20;
const STREAM_BLOCK: usize = 8 << 20;

/// One file to read. Files of a maildir folder carry the folder's number.
struct Job {
    path: PathBuf,
    size: u64,
    maildir: Option<usize>,
}

/// What reading one file gave.
enum Got {
    /// Same size and content as recorded: not parsed.
    Unchanged(FileState),
    /// Parsed (the whole file, or only what was appended); `first_index` is where its
    /// numbering starts before maildir offsets.
    Read {
        msgs: Vec<Message>,
        errs: Vec<Error>,
        bytes: u64,
        state: Option<FileState>,
        appended: bool,
    },
}

/// Reads every file below `paths`, handing messages to `sink` in input order a chunk at a time;
/// `known` is what an earlier ingest recorded (empty: read everything). The result carries no
/// messages, only the counts, errors and the files' new states.
pub fn read_paths_with(
    paths: &[PathBuf],
    progress: &mut dyn Progress,
    known: &HashMap<String, FileState>,
    sink: &mut dyn FnMut(Vec<Message>),
) -> Ingested {
    let mut out = Ingested::default();
    let jobs = collect_jobs(paths, &mut out);
    progress.start(jobs.iter().map(|j| j.size).sum());
    // (maildir number, messages numbered in it so far)
    let mut folder: (usize, usize) = (usize::MAX, 0);
    let mut rest: &[Job] = &jobs;
    while let Some(first) = rest.first() {
        let n = if is_big(first) {
            1
        } else {
            let mut bytes = 0;
            rest.iter()
                .take(CHUNK_FILES)
                .take_while(|j| {
                    bytes += j.size;
                    !is_big(j) && bytes <= CHUNK_BYTES.max(j.size)
                })
                .count()
                .max(1)
        };
        let (chunk, next) = rest.split_at(n);
        rest = next;
        let results: Vec<Got> = if is_big(first) {
            vec![read_big(first, known, sink)]
        } else {
            crate::parallel::ordered_map(chunk, |job| read_job(job, known), |_, _| {})
        };
        let mut msgs_out = Vec::new();
        for (job, got) in chunk.iter().zip(results) {
            progress.advance(job.size);
            out.files += 1;
            let key = job.path.display().to_string();
            let start = match job.maildir {
                Some(n) if folder.0 == n => folder.1,
                Some(n) => {
                    folder = (n, 0);
                    0
                }
                None => 0,
            };
            let got = match got {
                // A maildir file before it changed its count: its numbers moved, read it again.
                Got::Unchanged(s) if s.first_index != start => read_job(job, &HashMap::new()),
                got => got,
            };
            let count = match got {
                Got::Unchanged(state) => {
                    out.unchanged += 1;
                    let count = state.messages;
                    out.states.push((key, state));
                    count
                }
                Got::Read {
                    mut msgs,
                    mut errs,
                    bytes,
                    state,
                    appended,
                } => {
                    out.bytes += bytes;
                    out.appended += usize::from(appended);
                    let count = msgs.len() + state.as_ref().map_or(0, |s| s.messages);
                    for m in &mut msgs {
                        m.source.index += start;
                    }
                    if let Some(mut s) = state {
                        s.messages += msgs.len();
                        s.first_index = start;
                        out.states.push((key, s));
                    }
                    out.errors.append(&mut errs);
                    msgs_out.append(&mut msgs);
                    count
                }
            };
            if job.maildir.is_some() {
                folder.1 += count;
            }
        }
        if !msgs_out.is_empty() {
            sink(msgs_out);
        }
    }
    out
}

fn is_big(job: &Job) -> bool {
    job.size > STREAM_MBOX_BYTES && job.maildir.is_none()
}

fn mtime(path: &Path) -> u128 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of the first `len` bytes of `path` (the hasher, to go on with the rest), read
/// in blocks; `None` when the file is shorter or unreadable.
fn hash_prefix(path: &Path, len: u64) -> Option<(Sha256, std::fs::File)> {
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = file.read(&mut buf[..want]).ok()?;
        if n == 0 {
            return None;
        }
        hasher.update(&buf[..n]);
        left -= n as u64;
    }
    Some((hasher, file))
}

/// An unchanged file's recorded state, when its size and hash say so.
fn unchanged(job: &Job, old: &FileState) -> Option<FileState> {
    if job.size != old.size {
        return None;
    }
    let (hasher, _) = hash_prefix(&job.path, old.size)?;
    (hex(&hasher.finalize()) == old.hash).then(|| FileState {
        mtime: mtime(&job.path),
        ..old.clone()
    })
}

/// Reads one small file (whole, or only its appended tail when it is a grown mbox).
fn read_job(job: &Job, known: &HashMap<String, FileState>) -> Got {
    let old = known.get(job.path.display().to_string().as_str());
    if let Some(state) = old.and_then(|o| unchanged(job, o)) {
        return Got::Unchanged(state);
    }
    if let Err(e) = limits::check_file_size(job.size) {
        return failed(Error::parse(&job.path, e));
    }
    let bytes = match std::fs::read(&job.path) {
        Ok(b) => b,
        Err(e) => return failed(Error::io(&job.path, e)),
    };
    let mut state = FileState {
        size: bytes.len() as u64,
        mtime: mtime(&job.path),
        hash: hex(&Sha256::digest(&bytes)),
        messages: 0,
        first_index: 0,
    };
    let name = job.path.display().to_string();
    if let Some(old) = old.filter(|o| job.maildir.is_none() && grew(&bytes, o)) {
        // Only the entries after the old end are new; they are numbered on from the old count.
        let start = usize::try_from(old.size).unwrap_or(bytes.len());
        let (mut msgs, errs, _) = parse_mbox(&bytes[start..], &job.path, &name, 0);
        for m in &mut msgs {
            m.source.index += old.messages;
        }
        state.messages = old.messages;
        let len = bytes.len() as u64 - old.size;
        return Got::Read {
            msgs,
            errs,
            bytes: len,
            state: Some(state),
            appended: true,
        };
    }
    let (msgs, errs) = parse_file(&bytes, &job.path, job.maildir.is_some());
    Got::Read {
        msgs,
        errs,
        bytes: bytes.len() as u64,
        state: Some(state),
        appended: false,
    }
}

/// Whether `bytes` is an mbox that `old` recorded and that only grew: same old bytes, and the
/// new part starts at a separator.
fn grew(bytes: &[u8], old: &FileState) -> bool {
    let Ok(cut) = usize::try_from(old.size) else {
        return false;
    };
    old.messages > 0
        && cut > 0
        && cut < bytes.len()
        && bytes.starts_with(b"From ")
        && bytes[cut..].starts_with(b"From ")
        && bytes[cut - 1] == b'\n'
        && hex(&Sha256::digest(&bytes[..cut])) == old.hash
}

fn failed(e: Error) -> Got {
    Got::Read {
        msgs: Vec::new(),
        errs: vec![e],
        bytes: 0,
        state: None,
        appended: false,
    }
}

/// Reads a large mbox in blocks cut at separator lines, on the calling thread (each block's
/// entries are parsed on all cores), handing each block's messages to `sink`. A file that is
/// not an mbox is read whole.
fn read_big(
    job: &Job,
    known: &HashMap<String, FileState>,
    sink: &mut dyn FnMut(Vec<Message>),
) -> Got {
    let path = &job.path;
    let old = known.get(path.display().to_string().as_str());
    if let Some(state) = old.and_then(|o| unchanged(job, o)) {
        return Got::Unchanged(state);
    }
    // A grown mbox: hash its old part, and when that matches go on from the old end.
    let resumed = old
        .filter(|o| o.messages > 0 && o.size < job.size)
        .and_then(|o| {
            let (hasher, file) = hash_prefix(path, o.size)?;
            (hex(&hasher.clone().finalize()) == o.hash).then_some((hasher, file, o))
        });
    let (mut hasher, mut file, mut total, base) = match resumed {
        Some((h, f, o)) => (h, f, o.size, o.messages),
        None => match std::fs::File::open(path) {
            Ok(f) => (Sha256::new(), f, 0, 0),
            Err(e) => return failed(Error::io(path, e)),
        },
    };
    let appended = base > 0;
    let name = path.display().to_string();
    let mut buf: Vec<u8> = Vec::with_capacity(STREAM_BLOCK * 2);
    let mut block = vec![0u8; STREAM_BLOCK];
    let (mut entries, mut count, mut read) = (0usize, 0usize, 0u64);
    let mut errs: Vec<Error> = Vec::new();
    let mut checked = false;
    loop {
        let n = match file.read(&mut block) {
            Ok(n) => n,
            Err(e) => return failed(Error::io(path, e)),
        };
        total += n as u64;
        read += n as u64;
        hasher.update(&block[..n]);
        buf.extend_from_slice(&block[..n]);
        if !checked && (buf.len() >= 5 || n == 0) {
            if !buf.starts_with(b"From ") {
                return read_job(job, &HashMap::new());
            }
            checked = true;
        }
        let eof = n == 0;
        if !eof && buf.len() < STREAM_BLOCK {
            continue;
        }
        let cut = if eof {
            buf.len()
        } else {
            // One entry larger than the buffer: keep reading until its end shows.
            match mbox::last_separator(&buf) {
                Some(cut) => cut,
                None => continue,
            }
        };
        let (mut m, mut e, seen) = parse_mbox(&buf[..cut], path, &name, entries);
        for msg in &mut m {
            msg.source.index += base + count;
        }
        entries += seen;
        count += m.len();
        errs.append(&mut e);
        if !m.is_empty() {
            sink(m);
        }
        buf.drain(..cut);
        if eof {
            break;
        }
    }
    if count == 0 && errs.is_empty() && !appended {
        errs.push(Error::parse(path, "mbox without any message"));
    }
    let state = FileState {
        size: total,
        mtime: mtime(path),
        hash: hex(&hasher.finalize()),
        messages: base + count,
        first_index: 0,
    };
    // The messages went to the sink already; only the state's count is left to add.
    Got::Read {
        msgs: Vec::new(),
        errs,
        bytes: read,
        state: Some(FileState {
            messages: base + count,
            ..state
        }),
        appended,
    }
}

/// Expands `paths` into the files to read, recording walk errors and skipped files in `out`.
fn collect_jobs(paths: &[PathBuf], out: &mut Ingested) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut maildirs = 0;
    for root in paths {
        let mut walk = walkdir::WalkDir::new(root).sort_by_file_name().into_iter();
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().unwrap_or(root).to_path_buf();
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                    out.errors.push(Error::io(path, io));
                    continue;
                }
            };
            let path = entry.path();
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            if entry.file_type().is_dir() {
                if hidden {
                    walk.skip_current_dir();
                } else if maildir::is_maildir(path) {
                    walk.skip_current_dir();
                    maildirs += 1;
                    match maildir::maildir_files(path) {
                        Ok(files) => jobs.extend(files.into_iter().map(|p| job(p, Some(maildirs)))),
                        Err(e) => out.errors.push(Error::io(path, e)),
                    }
                }
                continue;
            }
            if hidden || is_metadata(path) {
                out.skipped.push(path.to_path_buf());
                continue;
            }
            jobs.push(job(path.to_path_buf(), None));
        }
    }
    jobs
}

fn job(path: PathBuf, maildir: Option<usize>) -> Job {
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Job {
        path,
        size,
        maildir,
    }
}
