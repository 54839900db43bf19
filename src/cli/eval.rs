//! `casebook eval [--corpus DIR] [--json]`: runs the pipeline on the corpus and scores it against
//! the expected outputs beside the inputs (cleaning) and the gold labels in `DIR/gold/` (cases).
//! Prints one aligned table per scorer (failures on stderr), or with `--json` one document
//! holding every scorer's scores.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use casebook::config::Config;
use casebook::eval;
use casebook::pipeline::{self, Publish};

use super::common;

#[derive(clap::Args)]
pub struct Args {
    /// The corpus folder: mail inputs, with gold labels in its `gold/` folder.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let gold_dir = args.corpus.join("gold");
    let gold = eval::cases::load_gold(&gold_dir)
        .with_context(|| format!("reading gold cases from {}", gold_dir.display()))?;
    let ingested = common::read_inputs(std::slice::from_ref(&args.corpus));
    // Scored as published: redacted, the way `casebook cases` prints them.
    let cases = pipeline::cases(ingested.messages, &config, Publish { keep_pii: false });
    let scores = eval::cases::score(&gold, &cases);
    let clean = eval::clean::score_corpus(&args.corpus, &config);

    if args.json {
        let pair =
            |(hit, total): (usize, usize)| serde_json::json!({ "passed": hit, "total": total });
        let doc = serde_json::json!({
            "cases": scores,
            "clean": {
                "clean": pair(clean.clean()),
                "greeting": pair(clean.greetings()),
                "status_ping": pair(clean.pings()),
                "errors": clean.errors,
            },
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        println!("cleaning ({} expected files)", clean.files.len());
        print!("{}", clean.table());
        for e in &clean.errors {
            eprintln!("  {e}");
        }
        println!();
        println!(
            "cases: {} gold cases, {} extracted",
            scores.cases,
            cases.len()
        );
        print!("{}", eval::cases::table(&scores));
        for f in &scores.failures {
            eprintln!("  {} {}: {}", f.case, f.field, f.why);
        }
    }
    Ok(ExitCode::SUCCESS)
}
