//! `casebook stats [--json]`: what the store holds (cases, messages, by status, customer,
//! language and year) and the index size on disk.

use std::collections::BTreeMap;
use std::process::ExitCode;

use super::common::StoreArgs;

#[derive(clap::Args)]
pub struct Args {
    /// Print JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.store.open_existing()?;
    let stats = store.stats()?;
    if args.json {
        println!("{}", serde_json::to_string(&stats)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("store      {}", store.dir.display());
    println!("cases      {}", stats.cases);
    println!("messages   {}", stats.messages);
    println!("index      {:.1} MiB", stats.index_bytes as f64 / 1048576.0);
    let line = |name: &str, m: &BTreeMap<String, u64>| {
        let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("{name:<10} {}", parts.join(", "));
    };
    line("status", &stats.by_status);
    line("language", &stats.by_language);
    line("year", &stats.by_year);
    line("customer", &stats.by_customer);
    Ok(ExitCode::SUCCESS)
}
