//! The case store as a [`Retriever`]: suggest queries the same index that `search` uses.

use super::Retriever;
use crate::error::Result;
use crate::index::{self, Store};
use crate::model::Case;

impl Retriever for Store {
    fn analyze(&self, text: &str) -> Vec<String> {
        index::analyze(text)
    }

    fn search_terms(&self, terms: &[(String, f32)], limit: usize) -> Result<Vec<(Case, f32)>> {
        Store::search_terms(self, terms, limit)
    }
}
