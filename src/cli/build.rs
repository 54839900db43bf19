//! `casebook build PATH... --out DIR [--strict]`: `ingest` then `kb` in one go — reads the
//! exports, adds their cases to the store the way `casebook ingest` does (printing its summary
//! line on stderr), and renders the KB from everything the store holds. A read that fails by
//! [`exit_status`] renders nothing.

use std::process::ExitCode;

use casebook::index::Store;
use casebook::pipeline::Publish;

use super::args::{exit_status, InputArgs};
use super::common;
use super::ingest::Summary;
use super::kb;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    // The store (made when missing), the rules and the KB options, as `casebook kb` takes them.
    #[command(flatten)]
    kb: kb::Args,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.kb.library.config.load()?;
    let mut store = Store::open(&args.kb.library.store.store)?;
    let mut writer = store.writer()?;
    // Articles are published, so the stored cases are redacted here (there is no --keep-pii).
    let done = common::ingest_paths(
        &mut store,
        &mut writer,
        &args.input.paths,
        &config,
        Publish::default(),
        false,
        &mut || {},
    )?;
    drop(writer);
    let summary = Summary::of(done);
    eprintln!("ingest: {}", summary.line());
    let status = exit_status(summary.outcome(), args.input.strict);
    if status != ExitCode::SUCCESS {
        return Ok(status);
    }
    let cases = store.cases()?;
    kb::publish(&cases, &config, &args.kb.options)
}
