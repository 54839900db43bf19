//! Readers: files and directories in, `Message`s out. Nothing downstream sees bytes.
//!
//! This file owns the edges: walking directories (sorted, maildir folders recognised, metadata
//! files skipped), telling formats apart by their content, and collecting one error per file that
//! cannot be read while the others go on. The formats themselves live beside it: `export` (the
//! CRM's plain-text case export), `eml` (MIME, used for mbox entries and maildir files too),
//! `mbox`, `maildir`, `msg` (Outlook, with `rtf` for RTF-only bodies); `charset` and `date` are
//! shared by all of them, and `repair` mends broken MIME before mailparse reads it.

pub mod charset;
mod comments;
pub mod date;
mod eml;
mod encoded_words;
mod export;
pub mod headers;
pub mod limits;
mod maildir;
mod mbox;
mod msg;
mod repair;
mod rtf;
mod transfer;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::bytes::Regex;

use crate::error::Error;
use crate::model::{Format, Message};

pub use eml::{content_type, html_to_text, media_type};
pub use walk::{read_paths_with, FileState};

/// What reading a set of paths gave: the messages, and one error per file that failed.
#[derive(Debug, Default)]
pub struct Ingested {
    pub messages: Vec<Message>,
    pub errors: Vec<Error>,
    /// Files read (mail files, whether or not they parsed).
    pub files: usize,
    pub bytes: u64,
    /// Files not read because they are metadata (`.json`, `.toml`, `.md`) or hidden.
    pub skipped: Vec<PathBuf>,
    /// Files not parsed because an earlier ingest recorded the same size and content.
    pub unchanged: usize,
    /// Grown mboxes of which only the new part was read.
    pub appended: usize,
    /// What is now known of each file read or found unchanged (path, state), for the store.
    pub states: Vec<(String, FileState)>,
}

/// Progress of a long read, for the CLI's bar.
pub trait Progress {
    /// Called once with the total number of bytes to read.
    fn start(&mut self, _total_bytes: u64) {}
    /// Called after each file with the bytes it had.
    fn advance(&mut self, _bytes: u64) {}
}

/// Progress that goes nowhere.
pub struct NoProgress;
impl Progress for NoProgress {}

/// Extensions of files that describe mail rather than hold it (corpus/README.md).
const METADATA_EXTENSIONS: [&str; 3] = ["json", "toml", "md"];

pub(crate) fn is_metadata(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        METADATA_EXTENSIONS
            .iter()
            .any(|m| e.eq_ignore_ascii_case(m))
    })
}

/// Reads every file below `paths` (directories walked recursively in name order, maildir folders
/// read as such, formats detected by content).
pub fn read_paths(paths: &[PathBuf], progress: &mut dyn Progress) -> Ingested {
    let mut messages = Vec::new();
    let mut out = read_paths_with(
        paths,
        progress,
        &std::collections::HashMap::new(),
        &mut |mut chunk| messages.append(&mut chunk),
    );
    out.messages = messages;
    out
}

/// Reads one file (any supported format).
pub fn read_file(path: &Path) -> Result<Vec<Message>, Error> {
    let size = std::fs::metadata(path)
        .map_err(|e| Error::io(path, e))?
        .len();
    limits::check_file_size(size).map_err(|e| Error::parse(path, e))?;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_bytes(&bytes, path)
}

/// Parses the bytes of one file; `path` names it in `Source` and in errors. An mbox with some
/// unreadable entries still returns the readable ones.
pub fn parse_bytes(bytes: &[u8], path: &Path) -> Result<Vec<Message>, Error> {
    limits::check_file_size(bytes.len() as u64).map_err(|e| Error::parse(path, e))?;
    let (msgs, mut errs) = parse_file(bytes, path, false);
    if msgs.is_empty() && !errs.is_empty() {
        return Err(errs.swap_remove(0));
    }
    Ok(msgs)
}

/// What a file's content says it is.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Export,
    Mbox,
    Eml,
    OutlookMsg,
    OutlookPst,
    Unknown(&'static str),
}

/// An RFC 5322 header line: printable ASCII name, optional blanks, colon.
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static HEADER_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[!-9;-~]+[ \t]*:").expect("static regex"));

/// How much of a file the export check decodes: the subject line and the first block marker are
/// always near the top.
const SNIFF_BYTES: usize = 16 * 1024;

/// The start of a file for sniffing, ended at a line break: a window cut inside a multi-byte
/// character would read as invalid UTF-8 and send the charset guess astray. (`\n` is never part
/// of a multi-byte character in UTF-8 or the GB encodings.)
fn sniff_window(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= SNIFF_BYTES {
        return bytes;
    }
    let head = &bytes[..SNIFF_BYTES];
    match memchr::memrchr(b'\n', head) {
        Some(nl) => &head[..nl + 1],
        None => head,
    }
}

fn detect(bytes: &[u8]) -> Kind {
    if msg::is_compound_file(bytes) {
        return Kind::OutlookMsg;
    }
    if bytes.starts_with(b"!BDN") {
        return Kind::OutlookPst;
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // Only the CRM export is written as UTF-16; mail never is.
        let head = charset::decode(&bytes[..bytes.len().min(SNIFF_BYTES)], None);
        return if export::looks_like_export(&head.text) {
            Kind::Export
        } else {
            Kind::Unknown("UTF-16 text that is not a case export")
        };
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let rest = &body[start..];
    if rest.is_empty() {
        return Kind::Unknown("empty file");
    }
    let first_line = rest.split(|&b| b == b'\n').next().unwrap_or(rest);
    if mbox::looks_like_mbox(first_line) {
        return Kind::Mbox;
    }
    let header_like = HEADER_LINE.is_match(first_line);
    // The English export starts with `Subject:` like a mail does; only its block markers tell
    // them apart, so a header-like first line is checked for them only in that case.
    if !header_like || first_line.starts_with(b"Subject") {
        let head = charset::text_lossy(sniff_window(rest), None);
        if export::looks_like_export(&head) {
            return Kind::Export;
        }
    }
    if header_like {
        Kind::Eml
    } else {
        Kind::Unknown("not a case export, RFC 5322 message, mbox or maildir file")
    }
}

/// Parses one file's bytes into messages plus the errors of the parts that failed.
pub(crate) fn parse_file(
    bytes: &[u8],
    path: &Path,
    in_maildir: bool,
) -> (Vec<Message>, Vec<Error>) {
    let name = path.display().to_string();
    let fail = |e: Error| (Vec::new(), vec![e]);
    match detect(bytes) {
        Kind::OutlookMsg => match msg::parse_msg(bytes, &name) {
            Ok(msgs) => (msgs, Vec::new()),
            Err(e) => fail(Error::parse(path, e)),
        },
        Kind::OutlookPst => fail(Error::Unsupported {
            path: path.to_path_buf(),
            what: "Outlook .pst mailbox; export it to mbox (e.g. with readpst) first".into(),
        }),
        Kind::Unknown(why) => fail(Error::Unsupported {
            path: path.to_path_buf(),
            what: why.into(),
        }),
        Kind::Export => {
            let d = charset::decode(bytes, None);
            let msgs = export::parse_export(&d.text, &name, d.charset, d.errors > 0);
            if msgs.is_empty() {
                fail(Error::parse(path, "case export without any message block"))
            } else {
                (msgs, Vec::new())
            }
        }
        Kind::Eml => {
            let format = if in_maildir {
                Format::Maildir
            } else {
                Format::Eml
            };
            match eml::parse_eml(bytes, &name, 1, format) {
                Ok(msgs) => (msgs, Vec::new()),
                Err(e) => fail(Error::parse(path, e)),
            }
        }
        Kind::Mbox => {
            let (msgs, mut errs, _) = parse_mbox(bytes, path, &name, 0);
            if msgs.is_empty() && errs.is_empty() {
                errs.push(Error::parse(path, "mbox without any message"));
            }
            (msgs, errs)
        }
    }
}

/// The entries of (a stretch of) an mbox, parsed on all cores; `first_entry` is how many entries
/// came before this stretch, for error messages. Also gives the number of entries seen.
pub(crate) fn parse_mbox(
    bytes: &[u8],
    path: &Path,
    name: &str,
    first_entry: usize,
) -> (Vec<Message>, Vec<Error>, usize) {
    let entries = mbox::split_mbox(bytes);
    let parsed = crate::parallel::ordered_map(
        &entries,
        |entry| {
            // A separator with nothing after it (a truncated append) is not a message.
            if entry.iter().all(u8::is_ascii_whitespace) {
                return Ok(Vec::new());
            }
            eml::parse_eml(entry, name, 1, Format::Mbox)
        },
        |_, _| {},
    );
    let mut msgs: Vec<Message> = Vec::new();
    let mut errs = Vec::new();
    for (i, result) in parsed.into_iter().enumerate() {
        match result {
            Ok(entry_msgs) => {
                // Forwarded parts take numbers too, so an entry's index is the running
                // count of messages before it.
                let offset = msgs.len();
                msgs.extend(entry_msgs.into_iter().map(|mut m| {
                    m.source.index += offset;
                    m
                }));
            }
            Err(e) => errs.push(Error::parse(
                path,
                format!("mbox entry {}: {e}", first_entry + i + 1),
            )),
        }
    }
    (msgs, errs, entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_by_content() {
        assert_eq!(
            detect(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"),
            Kind::OutlookMsg
        );
        assert_eq!(detect(b"!BDN...."), Kind::OutlookPst);
        assert_eq!(
            detect(b"From a@b Mon Mar  6 09:00:00 2023\nX: y\n\n"),
            Kind::Mbox
        );
        assert_eq!(detect(b"Received: from x\nSubject: y\n\nbody"), Kind::Eml);
        assert_eq!(detect(b"Subject: y\nFrom: a@b.example\n\nbody"), Kind::Eml);
        assert_eq!(
            detect(b"Subject: y\n\n====Message 1====\nFrom: A\nBody:\nhi\n"),
            Kind::Export
        );
        assert_eq!(
            detect("\u{feff}邮件主题：y\n====第1封邮件====\n".as_bytes()),
            Kind::Export
        );
        assert_eq!(detect(b"   \n\n"), Kind::Unknown("empty file"));
        assert!(matches!(detect(b"\x00\x01binary"), Kind::Unknown(_)));
        // A long export whose sniffing window would end inside a Chinese character.
        let mut long = "邮件主题：测试\n====第1封邮件====\n发件人：A\n邮件内容:\n".to_string();
        while long.len() < SNIFF_BYTES + 100 {
            long.push_str("中文正文");
        }
        assert!(std::str::from_utf8(&long.as_bytes()[..SNIFF_BYTES]).is_err());
        assert_eq!(detect(long.as_bytes()), Kind::Export);
    }

    #[test]
    fn broken_msg_and_pst_have_clear_errors() {
        let err = parse_bytes(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", Path::new("x.msg"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("x.msg: not an OLE compound file: "),
            "{err}"
        );
        let err = parse_bytes(b"!BDNxxxx", Path::new("x.pst")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.pst: unsupported format: Outlook .pst mailbox; export it to mbox (e.g. with readpst) first"
        );
    }
}
