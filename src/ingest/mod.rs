//! Readers: files and directories in, `Message`s out. Format detection, charset decoding and
//! date parsing live here; nothing downstream sees bytes.
//!
//! STUB: filled in by issue #2.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::model::Message;

/// What reading a set of paths gave: the messages, and one error per file that failed.
#[derive(Debug, Default)]
pub struct Ingested {
    pub messages: Vec<Message>,
    pub errors: Vec<Error>,
    pub files: usize,
    pub bytes: u64,
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

/// Reads every file below `paths` (directories walked recursively, formats detected by content).
pub fn read_paths(paths: &[PathBuf], progress: &mut dyn Progress) -> Ingested {
    let mut out = Ingested::default();
    for path in paths {
        match read_file(path) {
            Ok(mut msgs) => out.messages.append(&mut msgs),
            Err(e) => out.errors.push(e),
        }
        progress.advance(0);
    }
    out
}

/// Reads one file (any supported format).
pub fn read_file(path: &Path) -> Result<Vec<Message>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_bytes(&bytes, path)
}

/// Parses the bytes of one file; `path` names it in `Source` and in errors.
pub fn parse_bytes(_bytes: &[u8], path: &Path) -> Result<Vec<Message>, Error> {
    Err(Error::Unsupported {
        path: path.to_path_buf(),
        what: "readers not written yet".into(),
    })
}
