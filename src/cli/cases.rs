//! `casebook cases PATH... [--json]`: parse, thread, clean and segment; one case per line. Needs
//! no store.

use std::path::PathBuf;
use std::process::ExitCode;

use casebook::config::Config;
use casebook::pipeline::{self, Publish};

use super::common;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print NDJSON: one case object per line.
    #[arg(long)]
    json: bool,
    /// Keep names, email addresses and phone numbers in the output.
    #[arg(long)]
    keep_pii: bool,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let ingested = common::read_inputs(&args.paths);
    let read_nothing = ingested.messages.is_empty() && !ingested.errors.is_empty();
    let cases = pipeline::cases(
        ingested.messages,
        &config,
        Publish {
            keep_pii: args.keep_pii,
        },
    );
    if args.json {
        common::print_ndjson(&cases)?;
    } else {
        for c in &cases {
            println!(
                "{}\t{:?}\t{} msgs\t{}",
                c.id,
                c.status,
                c.messages.len(),
                c.title
            );
        }
    }
    Ok(if read_nothing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
