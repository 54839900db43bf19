//! The library's error type. Every variant names the file (or store) it is about, so the CLI can
//! print `path: what is wrong` and carry on with the other inputs.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file was read but its content is not what its format promises.
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("{}: unsupported format: {what}", path.display())]
    Unsupported { path: PathBuf, what: String },
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("store {}: {message}", path.display())]
    Store { path: PathBuf, message: String },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    pub fn parse(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::Parse {
            path: path.into(),
            message: message.into(),
        }
    }
}
