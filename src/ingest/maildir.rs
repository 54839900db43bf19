//! Maildir folders: a directory in, the message files it holds (sorted by name) out.
//!
//! A maildir is a folder with `cur/`, `new/` and `tmp/`. Delivered mail sits in `new/` (unseen)
//! and `cur/` (seen); `tmp/` holds deliveries still being written, which are not mail yet and are
//! skipped. Files from `cur/` and `new/` are read together in file-name order: maildir names
//! start with the delivery time, so that order is the arrival order.

use std::path::{Path, PathBuf};

/// Whether `dir` is a maildir folder: `cur/` or `new/` beside `tmp/`, or `cur/` and `new/`
/// together (copies made with git or zip often lose the empty `tmp/`).
pub fn is_maildir(dir: &Path) -> bool {
    let has = |sub: &str| dir.join(sub).is_dir();
    let (cur, new) = (has("cur"), has("new"));
    (cur && new) || ((cur || new) && has("tmp"))
}

/// The message files of a maildir, sorted by file name; hidden files (`.DS_Store`, Dovecot's
/// `.dovecot.*`) are not mail.
pub fn maildir_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for sub in ["cur", "new"] {
        let d = dir.join(sub);
        if !d.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if !hidden && entry.file_type()?.is_file() {
                files.push(entry.path());
            }
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()).then_with(|| a.cmp(b)));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_cur_and_new_by_name_and_skips_tmp() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("new/1700000002.b"), "x").unwrap();
        std::fs::write(dir.path().join("cur/1700000001.a:2,S"), "x").unwrap();
        std::fs::write(dir.path().join("tmp/1700000000.c"), "x").unwrap();
        std::fs::write(dir.path().join("cur/.hidden"), "x").unwrap();
        assert!(is_maildir(dir.path()));
        assert!(!is_maildir(&dir.path().join("cur")));
        let names: Vec<String> = maildir_files(dir.path())
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["1700000001.a:2,S", "1700000002.b"]);
    }
}
