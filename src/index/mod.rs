//! The case store: a tantivy index of cases (with the case JSON stored in each document) and
//! the analysis that makes Chinese and technical tokens searchable.
//!
//! STUB: filled in by issue #5.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::Case;

/// A search request: the query text plus filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub customer: Option<String>,
    pub product: Option<String>,
    pub status: Option<String>,
    pub lang: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
    pub status: String,
    pub snippet: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: serde_json::Value,
}

/// What `ingest` changed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IngestReport {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
}

/// An open case store.
pub struct Store {
    pub dir: PathBuf,
}

impl Store {
    /// Opens (creating when missing) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        Err(Error::Store {
            path: dir.to_path_buf(),
            message: "the store is not written yet".into(),
        })
    }

    /// Adds new cases and replaces those whose fingerprint changed.
    pub fn upsert(&mut self, _cases: &[Case]) -> Result<IngestReport> {
        Ok(IngestReport::default())
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        Ok(SearchResults {
            query: req.query.clone(),
            ..SearchResults::default()
        })
    }

    pub fn get(&self, _id: &str) -> Result<Option<Case>> {
        Ok(None)
    }

    /// Every case in the store, sorted by id.
    pub fn cases(&self) -> Result<Vec<Case>> {
        Ok(Vec::new())
    }
}
