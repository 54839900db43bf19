//! `casebook build PATH... --out DIR`: `ingest` then `kb` in one go — reads the exports, adds
//! their cases to the store, and renders the KB from everything the store holds.

use std::path::PathBuf;
use std::process::ExitCode;

use casebook::config::Config;
use casebook::index::Store;
use casebook::pipeline::{self, Publish};

use super::common;
use super::kb::{self, KbOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The case store (default: $CASEBOOK_STORE, else .casebook/).
    #[arg(long, env = "CASEBOOK_STORE", default_value = ".casebook")]
    store: PathBuf,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    kb: KbOptions,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let ingested = common::read_inputs(&args.paths);
    if ingested.messages.is_empty() && !ingested.errors.is_empty() {
        anyhow::bail!("nothing could be read");
    }
    // Articles are published, so the cases are always redacted here (no --keep-pii).
    let cases = pipeline::cases(ingested.messages, &config, Publish { keep_pii: false });
    let mut store = Store::open(&args.store)?;
    let report = store.upsert(&cases)?;
    eprintln!(
        "ingest: {} cases added, {} replaced, {} unchanged in {}",
        report.added,
        report.replaced,
        report.unchanged,
        args.store.display()
    );
    let all = store.cases()?;
    kb::publish(&all, &config, &args.kb)
}
