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

    fn doc_freq(&self, token: &str) -> Result<(u64, u64)> {
        Store::doc_freq(self, token)
    }

    fn synonyms(&self, word: &str) -> Vec<Vec<String>> {
        let ps = index::analyzer::pieces(word);
        let span = ps.iter().map(|p| p.position + 1).max().unwrap_or(0);
        self.thesaurus()
            .find(&ps)
            .into_iter()
            .filter(|f| f.from == 0 && f.to >= span)
            .flat_map(|f| f.alternatives)
            .map(|seq| seq.into_iter().map(|(_, t)| t).collect())
            .collect()
    }
}
