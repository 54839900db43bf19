//! `casebook parse PATH... [--json] [--strict]`: one parsed message per line.
//!
//! Failed files are reported on stderr, one `path: what is wrong` line each; the exit status is
//! [`exit_status`]'s.

use std::process::ExitCode;

use super::args::{exit_status, InputArgs, Outcome, OutputArgs};
use super::common;

#[derive(clap::Args)]
#[group(id = "parse_args")] // flattened into `cases`'s `Args` too, so its own group name
pub struct Args {
    #[command(flatten)]
    pub(super) input: InputArgs,
    // With `--json`: one message (`cases`: one case) object per line.
    #[command(flatten)]
    pub(super) output: OutputArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let ingested = common::read_inputs(&args.input.paths);
    if args.output.json {
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
    Ok(exit_status(Outcome::of(&ingested), args.input.strict))
}
