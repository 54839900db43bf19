//! `casebook ingest PATH... [--store DIR] [--json]`: read exports, run the pipeline and add the
//! cases to the store (idempotent, incremental, one commit per run). Prints what changed.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;

use casebook::config::Config;
use casebook::index::{IngestReport, Store};
use casebook::pipeline::Publish;

use super::common::{self, StoreArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
    /// Keep names, email addresses and phone numbers in the stored cases.
    #[arg(long)]
    keep_pii: bool,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
}

/// The `--json` summary.
#[derive(Serialize)]
struct Summary {
    files: usize,
    bytes: u64,
    messages: usize,
    cases: IngestReport,
    errors: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let mut store = Store::open(&args.store.store)?;
    // Take the writer lock before reading, so a concurrent ingest fails at once.
    let mut writer = store.writer()?;
    let ingested = common::read_inputs(&args.paths);
    let summary_base = (ingested.files, ingested.bytes, ingested.messages.len());
    let errors = ingested.errors.len();
    let publish = Publish {
        keep_pii: args.keep_pii,
    };
    let report = store.ingest(&mut writer, ingested.messages, &config, publish)?;
    let summary = Summary {
        files: summary_base.0,
        bytes: summary_base.1,
        messages: summary_base.2,
        cases: report,
        errors,
    };
    if args.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        let c = &summary.cases;
        println!(
            "{} files, {} messages: {} cases added, {} replaced, {} unchanged, {} removed; {} errors",
            summary.files,
            summary.messages,
            c.added,
            c.replaced,
            c.unchanged,
            c.removed,
            summary.errors
        );
    }
    Ok(if summary.messages == 0 && errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
