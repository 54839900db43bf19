//! `casebook stats [--json] [--config FILE]`: what the store holds (cases, messages, by status,
//! customer, language and year), the index size on disk, and the KB the cases make: articles,
//! their KCS states and the link rate (grouped as `casebook kb` groups them, nothing written).

use std::collections::BTreeMap;
use std::process::ExitCode;

use casebook::kb;

use super::args::{LibraryArgs, OutputArgs};

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    pub(super) library: LibraryArgs,
}

#[derive(serde::Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    store: &'a casebook::index::Stats,
    kb: KbStats<'a>,
}

#[derive(serde::Serialize)]
struct KbStats<'a> {
    articles: usize,
    merged_articles: usize,
    #[serde(flatten)]
    kcs: &'a kb::Kcs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (config, store) = args.library.open()?;
    let stats = store.stats()?;
    let cases = store.cases()?;
    let (_, report) = kb::build(&cases, &config.kb, &kb::Manifest::default());
    if args.output.json {
        let doc = Json {
            store: &stats,
            kb: KbStats {
                articles: report.articles,
                merged_articles: report.merged_articles,
                kcs: &report.kcs,
            },
        };
        println!("{}", serde_json::to_string(&doc)?);
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
    println!(
        "articles   {} ({} merged)",
        report.articles, report.merged_articles
    );
    println!(
        "link rate  {:.1}% ({}/{} resolved cases)",
        report.kcs.link_rate * 100.0,
        report.kcs.linked_cases,
        report.kcs.resolved_cases
    );
    let states: Vec<String> = report
        .kcs
        .states
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label()))
        .collect();
    println!("kcs        {}", states.join(", "));
    Ok(ExitCode::SUCCESS)
}
