//! Writing cases: new messages joined with the stored messages they link to, the pipeline run
//! over them, and each resulting case added, replaced or left alone by comparing digests.
//!
//! A thread can grow across ingest runs (a reply exported next week), so a new message that
//! shares a Message-ID link or a case number with a stored case brings that case's stored
//! messages back into threading; the rebuilt case replaces the stored one.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, IndexWriter, TantivyDocument, Term, TERMINATED};

use super::schema::digest;
use super::{store_error, IngestReport, Store};
use crate::config::Config;
use crate::error::Result;
use crate::model::{Case, CleanThread, Message};
use crate::parallel;
use crate::pipeline::{self, Publish};

/// Where an ingest spent its time (for `casebook bench`).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Reading and parsing the files, and for the bounded ingest cleaning and staging each
    /// message (set by the caller that drove the readers).
    pub read: Duration,
    /// Reading staged messages back from the spill file (the bounded ingest).
    pub load: Duration,
    /// Finding and loading the stored cases the new messages link to.
    pub related: Duration,
    /// Threading and cleaning (`pipeline::clean_threads`); in the bounded ingest, threading and
    /// the corpus-wide status-ping scores (the bodies were cleaned when staged).
    pub thread_clean: Duration,
    /// Segmenting and redacting (`pipeline::case_of`); in the bounded ingest, also serializing
    /// each case and building its document, on the same cores.
    pub segment: Duration,
    /// Serializing cases and handing documents to tantivy's indexing threads.
    pub index: Duration,
    /// The final commit: waiting for the indexing threads and writing segments.
    pub commit: Duration,
}

/// Threads segmented together on all cores before their cases are written.
const SEGMENT_CHUNK: usize = 1024;

pub(super) fn ingest(
    store: &Store,
    writer: &mut IndexWriter,
    messages: Vec<Message>,
    config: &Config,
    publish: Publish,
    times: &mut StageTimes,
) -> Result<IngestReport> {
    let t = Instant::now();
    let (all, related) = if store.reader.searcher().num_docs() == 0 {
        (messages, Vec::new())
    } else {
        with_related(store, messages, config)?
    };
    times.related = t.elapsed();
    let t = Instant::now();
    let threads = pipeline::clean_threads(all, config);
    times.thread_clean = t.elapsed();
    let segment = Cell::new(Duration::ZERO);
    // Segmenting is pure and per thread: chunks of threads are segmented on all cores, and each
    // chunk's cases go to the writer before the next chunk starts, so only a chunk of cases is
    // held at once.
    let mut threads = threads.into_iter();
    let chunks = std::iter::from_fn(move || {
        let chunk: Vec<CleanThread> = threads.by_ref().take(SEGMENT_CHUNK).collect();
        (!chunk.is_empty()).then_some(chunk)
    });
    let pairs = chunks.flat_map(|chunk| {
        let t = Instant::now();
        let cases = parallel::ordered_map(
            &chunk,
            |ct| pipeline::case_of(ct, config, publish),
            |_, _| {},
        );
        segment.set(segment.get() + t.elapsed());
        cases
            .into_iter()
            .zip(chunk.into_iter().map(|ct| ct.thread.messages))
    });
    let t = Instant::now();
    let report = apply(store, writer, pairs, &related)?;
    times.segment = segment.get();
    times.index = t.elapsed().saturating_sub(times.segment);
    Ok(report)
}

/// The keys by which messages link to each other and to stored cases.
fn link_keys(m: &Message) -> impl Iterator<Item = &String> {
    m.message_id
        .iter()
        .chain(&m.in_reply_to)
        .chain(&m.references)
}

/// `messages` plus the stored messages of every case they link to (by Message-ID, In-Reply-To,
/// References, thread id or case number), and the ids of those cases.
fn with_related(
    store: &Store,
    messages: Vec<Message>,
    config: &Config,
) -> Result<(Vec<Message>, Vec<String>)> {
    // Threading the new messages alone tells which case numbers they carry.
    let threads = crate::thread::thread(messages, &config.thread);
    let mut keys: HashSet<&str> = HashSet::new();
    for t in &threads {
        keys.insert(&t.id);
        keys.extend(t.case_number.as_deref());
        for m in &t.messages {
            keys.extend(link_keys(m).map(String::as_str));
        }
    }
    let searcher = store.reader.searcher();
    let mut related_ids = Vec::new();
    let mut stored = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(store.fields.links)
            .map_err(|e| store_error(&store.dir, e))?;
        let mut docs: Vec<u32> = Vec::new();
        for key in &keys {
            let term = Term::from_field_text(store.fields.links, key);
            let postings = inverted
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(|e| store_error(&store.dir, e))?;
            if let Some(mut p) = postings {
                let mut doc = p.doc();
                while doc != TERMINATED {
                    if !segment.is_deleted(doc) {
                        docs.push(doc);
                    }
                    doc = p.advance();
                }
            }
        }
        docs.sort_unstable();
        docs.dedup();
        let reader = segment
            .get_store_reader(16)
            .map_err(|e| store_error(&store.dir, e))?;
        for d in docs {
            let doc: TantivyDocument = reader.get(d).map_err(|e| store_error(&store.dir, e))?;
            related_ids.push(store.case_of(&doc)?.id);
            stored.extend(store.messages_of(&doc)?);
        }
    }
    let mut all: Vec<Message> = threads.into_iter().flat_map(|t| t.messages).collect();
    let mut seen: HashSet<String> = all.iter().map(message_key).collect();
    for m in stored {
        if seen.insert(message_key(&m)) {
            all.push(m);
        }
    }
    Ok((all, related_ids))
}

/// What makes two copies of a message the same message: its Message-ID, else its content.
fn message_key(m: &Message) -> String {
    match &m.message_id {
        Some(id) => id.clone(),
        None => digest(&format!(
            "{}\u{0}{:?}\u{0}{}\u{0}{}",
            m.from.address.as_deref().unwrap_or(m.from.label()),
            m.date,
            m.subject,
            m.body
        )),
    }
}

/// A case ready for the index: its id, the digest of its JSON and its document (or why the
/// document could not be made).
pub(super) struct Prepared {
    id: String,
    digest: String,
    doc: Result<TantivyDocument>,
}

/// Serializes `case` and builds its document (pure and per case, so callers run it on all
/// cores).
pub(super) fn prepare(store: &Store, case: &Case, messages: &[Message]) -> Prepared {
    let json = serde_json::to_string(case)
        .map_err(|e| store_error(&store.dir, format!("case {}: {e}", case.id)));
    let (digest, doc) = match json {
        Ok(json) => {
            let digest = digest(&json);
            let doc = store
                .fields
                .document(case, &json, &digest, messages)
                .map_err(|e| store_error(&store.dir, format!("case {}: {e}", case.id)));
            (digest, doc)
        }
        Err(e) => (String::new(), Err(e)),
    };
    Prepared {
        id: case.id.clone(),
        digest,
        doc,
    }
}

/// Adds, replaces or keeps each case; deletes the `related` stored cases that no new case took
/// over (their messages now belong to a case with another id).
pub(super) fn apply(
    store: &Store,
    writer: &mut IndexWriter,
    pairs: impl IntoIterator<Item = (Case, Vec<Message>)>,
    related: &[String],
) -> Result<IngestReport> {
    let prepared = pairs
        .into_iter()
        .map(|(case, messages)| prepare(store, &case, &messages));
    apply_prepared(store, writer, prepared, related)
}

/// [`apply`] of cases already [`prepare`]d.
pub(super) fn apply_prepared(
    store: &Store,
    writer: &mut IndexWriter,
    prepared: impl IntoIterator<Item = Prepared>,
    related: &[String],
) -> Result<IngestReport> {
    let mut existing = stored_digests(store)?;
    let mut report = IngestReport::default();
    let mut written: HashSet<String> = HashSet::new();
    for Prepared { id, digest, doc } in prepared {
        let doc = doc?;
        let id_term = Term::from_field_text(store.fields.id, &id);
        match existing.get(&id) {
            Some(d) if *d == digest => {
                report.unchanged += 1;
                written.insert(id);
                continue;
            }
            Some(_) => {
                writer.delete_term(id_term);
                report.replaced += 1;
            }
            None => report.added += 1,
        }
        writer
            .add_document(doc)
            .map_err(|e| store_error(&store.dir, e))?;
        // A second case with the same id in one run replaces the first, as a later run would.
        existing.insert(id.clone(), digest);
        written.insert(id);
    }
    for id in related {
        if !written.contains(id) && existing.remove(id).is_some() {
            writer.delete_term(Term::from_field_text(store.fields.id, id));
            report.removed += 1;
        }
    }
    Ok(report)
}

/// `id → digest` of every live case, read from the fast fields (no stored document is opened).
fn stored_digests(store: &Store) -> Result<HashMap<String, String>> {
    let searcher = store.reader.searcher();
    let mut out = HashMap::new();
    let err = |e: tantivy::TantivyError| store_error(&store.dir, e);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(ids), Some(digests)) = (
            fast.str("id").map_err(err)?,
            fast.str("digest").map_err(err)?,
        ) else {
            continue;
        };
        let (mut id, mut dg) = (String::new(), String::new());
        for doc in segment.doc_ids_alive() {
            let (Some(i), Some(d)) = (ids.term_ords(doc).next(), digests.term_ords(doc).next())
            else {
                continue;
            };
            let ok = ids
                .ord_to_str(i, &mut id)
                .map_err(|e| store_error(&store.dir, e))?
                && digests
                    .ord_to_str(d, &mut dg)
                    .map_err(|e| store_error(&store.dir, e))?;
            if ok {
                out.insert(id.clone(), dg.clone());
            }
        }
    }
    Ok(out)
}
