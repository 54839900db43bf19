//! `casebook build PATH... --out DIR`: `ingest` then `kb` in one go — reads the exports, adds
//! their cases to the store the way `casebook ingest` does, and renders the KB from everything
//! the store holds.

use std::path::PathBuf;
use std::process::ExitCode;

use casebook::config::Config;
use casebook::index::Store;
use casebook::pipeline::Publish;

use super::common::{self, StoreArgs};
use super::kb::{self, KbOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    kb: KbOptions,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let mut store = Store::open(&args.store.store)?;
    let mut writer = store.writer()?;
    // Articles are published, so the stored cases are redacted here (there is no --keep-pii).
    let done = common::ingest_paths(
        &mut store,
        &mut writer,
        &args.paths,
        &config,
        Publish::default(),
        false,
        &mut || {},
    )?;
    let (ingested, messages, report) = (done.read, done.messages, done.report);
    if messages == 0 && ingested.unchanged == 0 && !ingested.errors.is_empty() {
        anyhow::bail!("nothing could be read");
    }
    drop(writer);
    eprintln!(
        "ingest: {} files, {} messages: {} cases added, {} replaced, {} unchanged, {} removed; {} errors",
        ingested.files,
        messages,
        report.added,
        report.replaced,
        report.unchanged,
        report.removed,
        ingested.errors.len()
    );
    let cases = store.cases()?;
    kb::publish(&cases, &config, &args.kb)
}
