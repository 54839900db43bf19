//! `casebook parse PATH... [--json]`: one parsed message per line.

use std::path::PathBuf;
use std::process::ExitCode;

use super::common;

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print NDJSON: one message object per line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ingested = common::read_inputs(&args.paths);
    if args.json {
        common::print_ndjson(&ingested.messages)?;
    } else {
        for m in &ingested.messages {
            println!(
                "{}#{}\t{}\t{}\t{}",
                m.source.path,
                m.source.index,
                m.date
                    .map(|d| casebook::model::format_date(&d))
                    .unwrap_or_default(),
                m.from.label(),
                m.subject
            );
        }
    }
    let ok = ingested.errors.is_empty() || !ingested.messages.is_empty();
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
