//! The case store: a tantivy index under `DIR/index` holding one document per case, with the case
//! JSON and the parsed messages it was built from stored in the document, and the analysis that
//! makes Chinese and technical tokens searchable.
//!
//! Takes cases (or messages, which it threads together with the stored messages they link to)
//! and gives search hits, facet counts, cases by id and counts. Each `ingest`/`upsert` is one
//! tantivy commit, so a crash leaves the previous commit searchable; a second writer fails on
//! tantivy's lock.

pub mod analyzer;
mod bounded;
mod files;
mod fold;
mod query;
pub mod schema;
mod search;
mod snippet;
mod spill;
mod staged;
mod stats;
pub mod syntax;
pub mod thesaurus;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use analyzer::analyze;
/// Traditional → simplified folding of one Han character (what the analyzer does before jieba).
pub use fold::{simplified, simplified_text};
pub use staged::{Staged, DEFAULT_BATCH};
pub use stats::Stats;
pub use thesaurus::{SearchConfig, Thesaurus};
pub use update::StageTimes;

use crate::error::{Error, Result};
use crate::ingest::FileState;
use crate::model::{Case, Message};
use schema::Fields;

/// A search request: the query text plus filters.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub customer: Option<String>,
    pub product: Option<String>,
    pub status: Option<String>,
    pub lang: Option<String>,
    /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or RFC 3339; compared with the case's `opened`.
    pub since: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
    pub status: String,
    /// A passage of the case around the matched words (plain text).
    pub snippet: String,
    /// Byte ranges of the matched words inside `snippet`.
    #[serde(default)]
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub total: usize,
    pub hits: Vec<Hit>,
    /// `{"customer": {"ICBC": 1}, "status": {...}, "year": {...}}` over all matching cases.
    pub facets: serde_json::Value,
}

/// What `ingest` changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    /// Stored cases whose messages now belong to another case (a thread that merged into one
    /// with a different id), deleted.
    #[serde(default)]
    pub removed: usize,
}

/// An open case store.
pub struct Store {
    pub dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Query expansion for `search` (and `suggest`): the built-in sets unless
    /// [`Store::set_thesaurus`] gave the user's.
    thesaurus: std::sync::Arc<Thesaurus>,
}

/// Writer memory budget: tantivy flushes a segment when its threads have used this much. (128 MiB
/// made a writer thread fail on the 217k-message benchmark; not investigated yet.)
const WRITER_HEAP_BYTES: usize = 256 << 20;

impl Store {
    /// Opens (creating when missing) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        let index_dir = dir.join("index");
        std::fs::create_dir_all(&index_dir).map_err(|e| Error::io(&index_dir, e))?;
        let fields = Fields::new();
        let mmap =
            tantivy::directory::MmapDirectory::open(&index_dir).map_err(|e| store_error(dir, e))?;
        let index = Index::open_or_create(mmap, fields.schema.clone()).map_err(|e| {
            store_error(
                dir,
                format!(
                    "{e} (made by another casebook version? remove the store and ingest again)"
                ),
            )
        })?;
        index.tokenizers().register(
            analyzer::NAME,
            TextAnalyzer::from(analyzer::CasebookTokenizer),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| store_error(dir, e))?;
        Ok(Store {
            dir: dir.to_path_buf(),
            index,
            reader,
            fields,
            thesaurus: Thesaurus::builtin(),
        })
    }

    /// Uses `thesaurus` for query expansion from now on (the built-in one plus the user's sets:
    /// [`Thesaurus::with_config`]).
    pub fn set_thesaurus(&mut self, thesaurus: std::sync::Arc<Thesaurus>) {
        self.thesaurus = thesaurus;
    }

    /// The thesaurus in use.
    pub fn thesaurus(&self) -> &Thesaurus {
        &self.thesaurus
    }

    /// Whether `dir` holds a store (for read-only commands that should not create one).
    pub fn exists(dir: &Path) -> bool {
        dir.join("index").join("meta.json").is_file()
    }

    /// Takes the index's writer lock; fails at once when another ingest holds it.
    pub fn writer(&self) -> Result<StoreWriter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let writer = self
            .index
            .writer_with_num_threads(threads, WRITER_HEAP_BYTES)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => store_error(
                    &self.dir,
                    "another casebook ingest is writing to this store (tantivy's writer lock is \
                     held); wait for it to finish",
                ),
                e => store_error(&self.dir, e),
            })?;
        Ok(StoreWriter { writer })
    }

    /// Threads `messages` together with the stored messages they link to, runs the pipeline
    /// and upserts the resulting cases, in one commit.
    pub fn ingest(
        &mut self,
        writer: &mut StoreWriter,
        messages: Vec<Message>,
        config: &crate::config::Config,
        publish: crate::pipeline::Publish,
    ) -> Result<IngestReport> {
        self.ingest_timed(writer, messages, config, publish)
            .map(|(report, _)| report)
    }

    /// [`Store::ingest`], also saying where the time went.
    pub fn ingest_timed(
        &mut self,
        writer: &mut StoreWriter,
        messages: Vec<Message>,
        config: &crate::config::Config,
        publish: crate::pipeline::Publish,
    ) -> Result<(IngestReport, StageTimes)> {
        let mut times = StageTimes::default();
        let report = update::ingest(
            self,
            &mut writer.writer,
            messages,
            config,
            publish,
            &mut times,
        )?;
        let t = std::time::Instant::now();
        self.commit(writer)?;
        times.commit = t.elapsed();
        Ok((report, times))
    }

    /// Starts a bounded ingest: the readers [`Staged::push`] their messages into it, then
    /// [`Store::ingest_staged`] writes the cases `batch` messages at a time.
    pub fn stage(&self, config: &crate::config::Config, batch: usize) -> Result<Staged> {
        Staged::new(&self.dir, config, batch)
    }

    /// Threads the staged messages (with the stored messages they link to, when the store holds
    /// cases), runs the pipeline a batch of threads at a time and upserts the cases, in one
    /// commit. Gives the same cases as [`Store::ingest`] of the same messages.
    ///
    /// `states` (from the readers) are recorded with the commit, over those recorded before, so
    /// the next ingest skips the files that did not change ([`Store::file_states`]).
    pub fn ingest_staged(
        &mut self,
        writer: &mut StoreWriter,
        staged: Staged,
        states: Vec<(String, FileState)>,
        config: &crate::config::Config,
        publish: crate::pipeline::Publish,
    ) -> Result<(IngestReport, StageTimes)> {
        let mut times = StageTimes::default();
        let pipeline = crate::pipeline::fingerprint(config, publish);
        let mut known = self.file_states(&pipeline)?;
        let report = bounded::ingest(
            self,
            &mut writer.writer,
            staged,
            config,
            publish,
            &mut times,
        )?;
        let t = std::time::Instant::now();
        known.extend(states);
        let payload = files::write(&self.dir, &pipeline, known)?;
        let mut prepared = writer
            .writer
            .prepare_commit()
            .map_err(|e| store_error(&self.dir, e))?;
        prepared.set_payload(&payload);
        prepared.commit().map_err(|e| store_error(&self.dir, e))?;
        self.reader
            .reload()
            .map_err(|e| store_error(&self.dir, e))?;
        files::prune(&self.dir, Some(&payload));
        times.commit = t.elapsed();
        Ok((report, times))
    }

    /// What the last commit recorded of the files it read (path → size, mtime, hash, messages),
    /// when it read them under the same `pipeline` ([`crate::pipeline::fingerprint`]).
    pub fn file_states(&self, pipeline: &str) -> Result<HashMap<String, FileState>> {
        files::load(&self.dir, &self.index, pipeline)
    }

    /// Adds new cases and replaces those whose content changed, in one commit. Cases added this
    /// way carry no parsed messages, so a later ingest cannot grow them.
    pub fn upsert(&mut self, cases: &[Case]) -> Result<IngestReport> {
        let mut writer = self.writer()?;
        self.ingest_cases(&mut writer, cases.iter().cloned())
    }

    /// [`Store::upsert`] with the caller's writer and a stream of cases (`ingest --from-cases`
    /// loads `casebook cases --json` output this way without holding it all): one commit.
    pub fn ingest_cases(
        &mut self,
        writer: &mut StoreWriter,
        cases: impl IntoIterator<Item = Case>,
    ) -> Result<IngestReport> {
        let pairs = cases.into_iter().map(|c| (c, Vec::<Message>::new()));
        let report = update::apply(self, &mut writer.writer, pairs, &[])?;
        self.commit(writer)?;
        Ok(report)
    }

    fn commit(&mut self, writer: &mut StoreWriter) -> Result<()> {
        writer
            .writer
            .commit()
            .map_err(|e| store_error(&self.dir, e))?;
        self.reader.reload().map_err(|e| store_error(&self.dir, e))
    }

    /// Picks up the latest commit, including one made by an ingest in another process. Searches
    /// already running keep the commit they started on, so nobody sees a half-written state.
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| store_error(&self.dir, e))
    }

    /// Runs a search: BM25 over the text fields, filters, facets and snippets.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        search::search(self, req)
    }

    /// Lower-level entry for callers with their own weighting (suggest): the best `limit` cases
    /// for a disjunction of weighted terms (tokens from [`analyze`]), each matched in any text
    /// field with the field boosts, with their BM25 scores, best first (ties by id).
    pub fn search_terms(&self, terms: &[(String, f32)], limit: usize) -> Result<Vec<(Case, f32)>> {
        search::search_terms(self, terms, limit)
    }

    /// `(cases containing token, live cases)`, for weighing a word by how rare it is.
    pub fn doc_freq(&self, token: &str) -> Result<(u64, u64)> {
        search::doc_freq(self, token)
    }

    pub fn get(&self, id: &str) -> Result<Option<Case>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher
            .search(&q, &TopDocs::with_limit(1))
            .map_err(|e| store_error(&self.dir, e))?;
        match top.first() {
            Some(&(_, addr)) => {
                let doc: TantivyDocument =
                    searcher.doc(addr).map_err(|e| store_error(&self.dir, e))?;
                self.case_of(&doc).map(Some)
            }
            None => Ok(None),
        }
    }

    /// Every case in the store, sorted by id.
    pub fn cases(&self) -> Result<Vec<Case>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(64)
                .map_err(|e| store_error(&self.dir, e))?;
            for doc_id in segment.doc_ids_alive() {
                let doc: TantivyDocument =
                    store.get(doc_id).map_err(|e| store_error(&self.dir, e))?;
                out.push(self.case_of(&doc)?);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(out)
    }

    /// Counts of what the store holds.
    pub fn stats(&self) -> Result<Stats> {
        stats::stats(self)
    }

    fn case_of(&self, doc: &TantivyDocument) -> Result<Case> {
        let json = doc
            .get_first(self.fields.case_json)
            .and_then(|v| v.as_str())
            .ok_or_else(|| store_error(&self.dir, "a document has no stored case"))?;
        serde_json::from_str(json)
            .map_err(|e| store_error(&self.dir, format!("a stored case does not parse: {e}")))
    }

    fn messages_of(&self, doc: &TantivyDocument) -> Result<Vec<Message>> {
        let json = doc
            .get_first(self.fields.messages_json)
            .and_then(|v| v.as_str())
            .unwrap_or("[]");
        serde_json::from_str(json)
            .map_err(|e| store_error(&self.dir, format!("stored messages do not parse: {e}")))
    }
}

/// The store's writer, held for the length of one ingest.
pub struct StoreWriter {
    writer: IndexWriter,
}

fn store_error(dir: &Path, e: impl std::fmt::Display) -> Error {
    Error::Store {
        path: dir.to_path_buf(),
        message: e.to_string(),
    }
}
