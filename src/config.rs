//! `casebook.toml`: the user's additions to the built-in rules. Each stage owns its section's
//! type (`[thread]`, `[clean]`, `[segment]`, `[search]`, `[suggest]`, `[kb]`); this module only
//! reads the file.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub thread: crate::thread::ThreadConfig,
    pub clean: crate::clean::CleanConfig,
    pub segment: crate::segment::SegmentConfig,
    pub search: crate::index::SearchConfig,
    pub suggest: crate::suggest::SuggestConfig,
    pub kb: crate::kb::KbConfig,
}

impl Config {
    /// Parses a `casebook.toml` text; `path` is only used in the error message.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        // A bad user regex is reported here, once, instead of being skipped silently later.
        config
            .thread
            .check()
            .and_then(|_| config.clean.check())
            .map_err(|message| Error::Config {
                path: path.to_path_buf(),
                message,
            })?;
        Ok(config)
    }

    /// Reads `path` when given, else `./casebook.toml` when it exists, else the defaults.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let default = Path::new("casebook.toml");
        let path = match path {
            Some(p) => p,
            None if default.exists() => default,
            None => return Ok(Config::default()),
        };
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml(&text, path)
    }
}
