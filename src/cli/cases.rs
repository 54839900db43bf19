//! `casebook cases PATH... [--json] [--strict]`: parse, thread, clean and segment; one case per
//! line. Needs no store. The exit status is [`exit_status`]'s.

use std::process::ExitCode;

use casebook::pipeline::{self, Publish};

use super::args::{exit_status, ConfigArgs, Outcome};
use super::{common, parse};

#[derive(clap::Args)]
pub struct Args {
    // What `parse` takes: the paths, `--strict`, `--json`.
    #[command(flatten)]
    read: parse::Args,
    /// Keep names, email addresses and phone numbers in the output.
    #[arg(long)]
    keep_pii: bool,
    #[command(flatten)]
    config: ConfigArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let ingested = common::read_inputs(&args.read.input.paths);
    let outcome = Outcome::of(&ingested);
    let cases = pipeline::cases(
        ingested.messages,
        &config,
        Publish {
            keep_pii: args.keep_pii,
        },
    );
    if args.read.output.json {
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
    Ok(exit_status(outcome, args.read.input.strict))
}
