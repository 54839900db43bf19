//! Command-line front end. One file per subcommand, each with its own clap `Args` and a `run`
//! that returns the process exit code; the argument groups several commands share and the exit
//! status rule live in `args`. stdout carries data, stderr carries people's messages.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod args;
mod bench;
mod build;
mod cases;
mod common;
mod eval;
mod ingest;
mod kb;
mod parse;
mod search;
mod serve;
mod show;
mod stats;
mod suggest;

#[derive(Parser)]
#[command(
    name = "casebook",
    version,
    about = "Support-mail exports in, a searchable case library and KB out"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse mail exports and print one message per line.
    Parse(parse::Args),
    /// Parse, thread, clean and segment; print one case per line (no store needed).
    Cases(cases::Args),
    /// Add exports to the case store (idempotent, incremental).
    Ingest(ingest::Args),
    /// Search the case store.
    Search(search::Args),
    /// Show one case from the store.
    Show(show::Args),
    /// Counts of what the store holds.
    Stats(stats::Args),
    /// Suggest remedies for a new ticket from similar past cases.
    Suggest(suggest::Args),
    /// Render KB articles from the store.
    Kb(kb::Args),
    /// Serve the library as web pages and a JSON API.
    Serve(serve::Args),
    /// Ingest, then render the KB.
    Build(build::Args),
    /// Score cleaning, extraction and retrieval against the corpus gold labels.
    Eval(eval::Args),
    /// Measure ingest and search throughput on a generated corpus.
    Bench(bench::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(args) => parse::run(args),
        Command::Cases(args) => cases::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Search(args) => search::run(args),
        Command::Show(args) => show::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Kb(args) => kb::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Build(args) => build::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Bench(args) => bench::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("casebook: {e:#}");
            ExitCode::FAILURE
        }
    }
}
