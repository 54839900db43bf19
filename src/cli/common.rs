//! What several commands share: reading inputs with a progress bar and per-file errors, and
//! writing NDJSON.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use casebook::config::Config;
use casebook::index::{IngestReport, StageTimes, Store, StoreWriter};
use casebook::ingest::{self, FileState, Ingested, Progress};
use casebook::pipeline::Publish;

/// A byte-counting progress bar on stderr, drawn only when stderr is a terminal.
struct Bar(Option<ProgressBar>);

impl Progress for Bar {
    fn start(&mut self, total_bytes: u64) {
        if !std::io::stderr().is_terminal() {
            return;
        }
        let bar = ProgressBar::new(total_bytes);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} reading {bytes}/{total_bytes} [{bar:30}] {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        self.0 = Some(bar);
    }

    fn advance(&mut self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
        }
    }
}

/// Reads `paths`, printing one `path: what is wrong` line per failed file to stderr.
pub fn read_inputs(paths: &[PathBuf]) -> Ingested {
    let mut messages = Vec::new();
    let mut ingested = read_inputs_with(paths, &HashMap::new(), &mut |mut chunk| {
        messages.append(&mut chunk)
    });
    ingested.messages = messages;
    ingested
}

/// [`read_inputs`] handing the messages to `sink` a chunk at a time, skipping the files `known`
/// says are unchanged (see [`ingest::read_paths_with`]).
pub fn read_inputs_with(
    paths: &[PathBuf],
    known: &HashMap<String, FileState>,
    sink: &mut dyn FnMut(Vec<casebook::model::Message>),
) -> Ingested {
    let mut bar = Bar(None);
    let ingested = ingest::read_paths_with(paths, &mut bar, known, sink);
    if let Some(b) = bar.0 {
        b.finish_and_clear();
    }
    for e in &ingested.errors {
        eprintln!("{e}");
    }
    if !ingested.skipped.is_empty() {
        eprintln!(
            "casebook: skipped {} metadata or hidden file(s) (.json, .toml, .md, dotfiles)",
            ingested.skipped.len()
        );
    }
    ingested
}

/// What [`ingest_paths`] did.
pub struct Ingest {
    /// The readers' counts and errors (no messages: they went to the store).
    pub read: Ingested,
    /// Messages read (from changed files only).
    pub messages: usize,
    pub report: IngestReport,
    pub times: StageTimes,
}

/// Reads `paths` into the store in bounded memory (the bounded ingest, [`Store::ingest_staged`]),
/// skipping the files the store's last commit recorded as unchanged (unless `reread`, or the
/// rules changed since: [`casebook::pipeline::fingerprint`]); one commit. `after_read`
/// runs when the readers are done (the bench measures memory there).
pub fn ingest_paths(
    store: &mut Store,
    writer: &mut StoreWriter,
    paths: &[PathBuf],
    config: &Config,
    publish: Publish,
    reread: bool,
    after_read: &mut dyn FnMut(),
) -> anyhow::Result<Ingest> {
    let known = if reread {
        HashMap::new()
    } else {
        store.file_states(&casebook::pipeline::fingerprint(config, publish))?
    };
    let mut staged = store.stage(config, ingest_batch())?;
    let t = std::time::Instant::now();
    let mut read = read_inputs_with(paths, &known, &mut |chunk| staged.push(chunk));
    let read_time = t.elapsed();
    after_read();
    let messages = staged.len();
    let states = std::mem::take(&mut read.states);
    let (report, mut times) = store.ingest_staged(writer, staged, states, config, publish)?;
    times.read = read_time;
    Ok(Ingest {
        read,
        messages,
        report,
        times,
    })
}

/// Messages per batch of the bounded ingest: `$CASEBOOK_INGEST_BATCH`, else the default (a knob
/// for tests and measurements; results do not depend on it).
pub fn ingest_batch() -> usize {
    std::env::var("CASEBOOK_INGEST_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(casebook::index::DEFAULT_BATCH)
}

/// Writes one JSON document per line to stdout.
pub fn print_ndjson<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for item in items {
        serde_json::to_writer(&mut out, &item)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
