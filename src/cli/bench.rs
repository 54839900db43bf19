//! `casebook bench` (STUB: to be written).

use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`casebook bench` is not written yet")
}
