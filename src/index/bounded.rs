//! The bounded ingest: staged messages ([`Staged`]) in, cases written to the store a batch of
//! threads at a time, so memory holds the threading keys of the whole corpus but the bodies,
//! cleaned texts and cases of one batch only.
//!
//! 1. Threading runs once over the skeletons ([`thread::thread_keyed`]): the same rules, the same
//!    threads, in the same order as threading the full messages.
//! 2. Status pings are scored across the whole corpus (a template shows only by recurring): every
//!    body was cleaned when it was staged, so the cleaned texts are read back, in thread order,
//!    and scored together with [`pings::score`], exactly as [`crate::clean::clean_threads`] does; only
//!    the (boilerplate, ping) pair of each message is kept.
//! 3. A pass over the batches loads each batch's messages and cleaned bodies, puts the scores
//!    on, segments it on all cores and hands the cases to the writer.
//!
//! Nothing is committed here: the caller commits once at the end, so a kill at any point leaves
//! the last commit whole. A store that already holds cases goes through the in-memory path
//! ([`super::update`]), which threads the new messages with the stored ones they link to.

use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::time::{Duration, Instant};

use tantivy::IndexWriter;

use super::staged::Staged;
use super::update::{self, StageTimes};
use super::{IngestReport, Store};
use crate::clean::{pings, Rules};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{CleanThread, Thread};
use crate::parallel;
use crate::pipeline::{self, Publish};
use crate::thread;

/// A thread without its messages, and the staging numbers of its messages in thread order.
type Plan = (Thread, Vec<usize>);

pub(super) fn ingest(
    store: &Store,
    writer: &mut IndexWriter,
    mut staged: Staged,
    config: &Config,
    publish: Publish,
    times: &mut StageTimes,
) -> Result<IngestReport> {
    staged.finish()?;
    if store.reader.searcher().num_docs() > 0 {
        let t = Instant::now();
        let all: Vec<usize> = (0..staged.len()).collect();
        let messages = staged.load(&all)?.into_iter().map(|(m, _)| m).collect();
        times.load = t.elapsed();
        drop(staged);
        return update::ingest(store, writer, messages, config, publish, times);
    }
    let t = Instant::now();
    let mut skeletons = std::mem::take(&mut staged.skeletons);
    let mut keys = std::mem::take(&mut staged.keys);
    // Both grew by doubling while the readers pushed: up to half of each spare, which would be
    // held through threading, the peak of the whole ingest.
    skeletons.shrink_to_fit();
    keys.shrink_to_fit();
    give_back_memory();
    let plans: Vec<Plan> = thread::thread_keyed(skeletons, keys, &config.thread)
        .into_iter()
        .map(|(mut t, positions)| {
            t.messages = Vec::new();
            (t, positions)
        })
        .collect();
    let batches = batches(&plans, staged.batch);
    times.thread_clean = t.elapsed();
    give_back_memory();

    let rules = Rules::from_config(&config.clean).unwrap_or_default();
    let scores = ping_scores(&staged, &plans, &batches, &rules, config, times)?;
    drop(rules);
    give_back_memory();

    let failed: RefCell<Option<Error>> = RefCell::new(None);
    let (load, clean_t, segment) = (
        Cell::new(Duration::ZERO),
        Cell::new(Duration::ZERO),
        Cell::new(Duration::ZERO),
    );
    let pairs = batches.iter().flat_map(|range| {
        if failed.borrow().is_some() {
            return Vec::new();
        }
        let t = Instant::now();
        let positions = positions(&plans[range.clone()]);
        let loaded = match staged.load(&positions) {
            Ok(m) => m,
            Err(e) => {
                failed.replace(Some(e));
                return Vec::new();
            }
        };
        load.set(load.get() + t.elapsed());
        let t = Instant::now();
        let mut loaded = loaded.into_iter();
        let threads: Vec<CleanThread> = plans[range.clone()]
            .iter()
            .map(|(t, pos)| {
                let mut thread = t.clone();
                let (messages, cleaned) = pos
                    .iter()
                    .zip(loaded.by_ref())
                    .map(|(&p, (m, mut c))| {
                        (c.boilerplate, c.status_ping) = scores[p];
                        (m, c)
                    })
                    .unzip();
                thread.messages = messages;
                CleanThread { thread, cleaned }
            })
            .collect();
        clean_t.set(clean_t.get() + t.elapsed());
        let t = Instant::now();
        // Each case is serialized and made a document on the same cores as it is segmented.
        let prepared = parallel::ordered_map(
            &threads,
            |ct| {
                let case = pipeline::case_of(ct, config, publish);
                update::prepare(store, &case, &ct.thread.messages)
            },
            |_, _| {},
        );
        segment.set(segment.get() + t.elapsed());
        prepared
    });
    let t = Instant::now();
    let report = update::apply_prepared(store, writer, pairs, &[])?;
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    times.load += load.get();
    times.thread_clean += clean_t.get();
    times.segment = segment.get();
    times.index = t
        .elapsed()
        .saturating_sub(load.get() + clean_t.get() + segment.get());
    Ok(report)
}

/// The staging numbers of the messages of `plans`, thread after thread.
fn positions(plans: &[Plan]) -> Vec<usize> {
    plans.iter().flat_map(|(_, p)| p.iter().copied()).collect()
}

/// Consecutive runs of threads holding about `batch` messages each (a bigger thread is a batch
/// of its own).
fn batches(plans: &[Plan], batch: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (_, p)) in plans.iter().enumerate() {
        if size > 0 && size + p.len() > batch {
            out.push(start..i);
            (start, size) = (i, 0);
        }
        size += p.len();
    }
    if start < plans.len() {
        out.push(start..plans.len());
    }
    out
}

/// (boilerplate, status ping) of every staged message, indexed by staging number: the cleaned
/// texts read back a batch at a time, scored together as [`crate::clean::clean_threads`] does.
fn ping_scores(
    staged: &Staged,
    plans: &[Plan],
    batches: &[Range<usize>],
    rules: &Rules,
    config: &Config,
    times: &mut StageTimes,
) -> Result<Vec<(f32, bool)>> {
    let mut texts: Vec<(usize, Box<str>)> = Vec::with_capacity(staged.len());
    let t = Instant::now();
    for range in batches {
        let loaded = staged.load_texts(&positions(&plans[range.clone()]))?;
        let mut loaded = loaded.into_iter();
        for (i, (_, p)) in plans[range.clone()].iter().enumerate() {
            texts.extend(loaded.by_ref().take(p.len()).map(|c| (range.start + i, c)));
        }
    }
    times.load += t.elapsed();
    let t = Instant::now();
    let docs: Vec<pings::Doc> = texts
        .iter()
        .map(|(thread, text)| pings::Doc {
            thread: *thread,
            text,
        })
        .collect();
    let scored = pings::score(&docs, &rules.boilerplate, &config.clean.pings);
    let mut out = vec![(0.0, false); staged.len()];
    for (p, s) in plans.iter().flat_map(|(_, p)| p).zip(scored) {
        out[*p] = (s.boilerplate, s.ping);
    }
    times.thread_clean += t.elapsed();
    Ok(out)
}

/// Hands the memory freed by a finished phase back to the system, so the skeletons of
/// threading and the texts of the ping scores do not stay resident beside the indexer. The
/// binary allocates with mimalloc, which returns freed pages only after a delay; glibc (tests,
/// other front ends) keeps freed memory of its per-thread arenas for reuse. Each is asked.
fn give_back_memory() {
    // SAFETY: mi_collect only frees and returns memory no allocation holds; no preconditions.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
