//! What the store knows of the files it ingested (size, mtime, content hash, messages read), so
//! the next ingest skips unchanged files and reads a grown mbox from its old end.
//!
//! The states are written to `files-<n>.json` in the store directory before the commit, and the
//! commit's payload names that file: a kill before the commit leaves the payload naming the
//! previous file, so the states always match the last commit. Older state files are deleted after
//! the commit. A commit without a payload (cases loaded with `--from-cases`, an upsert) forgets
//! the states, and the next ingest reads everything again: slower, never wrong. So does a change
//! of the rules that make cases ([`crate::pipeline::fingerprint`], kept beside the states).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use super::store_error;
use crate::error::{Error, Result};
use crate::ingest::FileState;

const PREFIX: &str = "files-";

/// The states file: the pipeline fingerprint they were read under, and the states by path.
#[derive(Serialize, Deserialize)]
struct States {
    pipeline: String,
    files: HashMap<String, FileState>,
}

/// The states recorded by the last commit, when it read the files under the same `pipeline`
/// fingerprint (else none).
pub(super) fn load(
    dir: &Path,
    index: &Index,
    pipeline: &str,
) -> Result<HashMap<String, FileState>> {
    let metas = index.load_metas().map_err(|e| store_error(dir, e))?;
    let Some(name) = metas.payload.filter(|p| p.starts_with(PREFIX)) else {
        return Ok(HashMap::new());
    };
    let path = dir.join(&name);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        // Removed by hand: read everything again.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let states: States =
        serde_json::from_str(&text).map_err(|e| store_error(dir, format!("{name}: {e}")))?;
    Ok(if states.pipeline == pipeline {
        states.files
    } else {
        HashMap::new()
    })
}

/// Writes `states` for the coming commit; gives the payload that names them.
pub(super) fn write(
    dir: &Path,
    pipeline: &str,
    files: HashMap<String, FileState>,
) -> Result<String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!("{PREFIX}{nanos}-{}.json", std::process::id());
    let path = dir.join(&name);
    let states = States {
        pipeline: pipeline.to_string(),
        files,
    };
    let json = serde_json::to_vec(&states).map_err(|e| store_error(dir, e))?;
    let tmp = dir.join(format!("{name}.tmp"));
    std::fs::write(&tmp, json).map_err(|e| Error::io(&tmp, e))?;
    let file = std::fs::File::open(&tmp).map_err(|e| Error::io(&tmp, e))?;
    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))?;
    Ok(name)
}

/// Deletes every state file but `keep` (the one the last commit names).
pub(super) fn prune(dir: &Path, keep: Option<&str>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(PREFIX) && Some(name.as_str()) != keep {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
