//! Store statistics: how many cases and messages, by status, customer, language and year, and
//! how much disk the index takes. Counted from facets and fast fields, without opening a case.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::AllQuery;

use super::{store_error, Store};
use crate::error::Result;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub cases: u64,
    pub messages: u64,
    pub by_status: BTreeMap<String, u64>,
    pub by_customer: BTreeMap<String, u64>,
    pub by_language: BTreeMap<String, u64>,
    pub by_year: BTreeMap<String, u64>,
    /// Bytes of the index files on disk.
    pub index_bytes: u64,
}

pub(super) fn stats(store: &Store) -> Result<Stats> {
    let searcher = store.reader.searcher();
    let mut facets = FacetCollector::for_field("facets");
    for f in ["/status", "/customer", "/language", "/year"] {
        facets.add_facet(f);
    }
    let (cases, counts) = searcher
        .search(&AllQuery, &(Count, facets))
        .map_err(|e| store_error(&store.dir, e))?;
    let by = |root: &str| -> BTreeMap<String, u64> {
        counts
            .get(root)
            .map(|(f, n)| (f.to_path().last().map_or("", |s| s).to_string(), n))
            .collect()
    };
    let mut messages = 0;
    for segment in searcher.segment_readers() {
        let col = segment
            .fast_fields()
            .u64("message_count")
            .map_err(|e| store_error(&store.dir, e))?;
        for doc in segment.doc_ids_alive() {
            messages += col.first(doc).unwrap_or(0);
        }
    }
    Ok(Stats {
        cases: cases as u64,
        messages,
        by_status: by("/status"),
        by_customer: by("/customer"),
        by_language: by("/language"),
        by_year: by("/year"),
        index_bytes: dir_bytes(&store.dir.join("index")),
    })
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}
