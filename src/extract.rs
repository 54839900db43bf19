//! Entity extraction: case ids, versions, error codes, files, commands, KB numbers, hashes and
//! URLs from text; priority and customer code from a subject.
//!
//! STUB: filled in by issue #4.

use crate::model::Entities;

/// Finds the entities in `text`.
pub fn entities(_text: &str) -> Entities {
    Entities::default()
}
