//! `casebook parse PATH... [--json] [--strict]`: one parsed message per line.
//!
//! Exit status: 0 when at least one message was read (failed files are reported on stderr, one
//! `path: what is wrong` line each); 1 when no message could be read at all, or, with
//! `--strict`, when any file failed.

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
    /// Exit with status 1 when any file failed, even if others were read.
    #[arg(long)]
    strict: bool,
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
    let failed_strictly = args.strict && !ingested.errors.is_empty();
    let ok = !ingested.messages.is_empty() && !failed_strictly;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
