//! `casebook suggest [FILE|-] [--top K] [--json] [--draft] [--lang zh|en]`: past cases that match
//! a new ticket, their remedies and the diagnostics engineers asked for, or a reply draft. The ticket is a plain text, an
//! `.eml` or a text export, from a file or from standard input.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use casebook::index::Thesaurus;
use casebook::suggest::{self, draft, render, ticket};

use super::args::{LibraryArgs, OutputArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The ticket: a file (plain text, .eml, text export) or `-` for standard input.
    #[arg(default_value = "-")]
    ticket: PathBuf,
    /// How many similar cases to use and show.
    #[arg(long, default_value_t = 5)]
    top: usize,
    #[command(flatten)]
    output: OutputArgs,
    /// Print a reply draft in the ticket's language instead (from templates/reply/): the best
    /// confirmed case's steps, each citing its case, or, when nothing matches, the diagnostics
    /// the closest cases needed and no fix. With --json, the draft's parts as JSON.
    #[arg(long)]
    draft: bool,
    /// Language of the human output (default: the ticket's).
    #[arg(long, value_parser = ["zh", "en"])]
    lang: Option<String>,
    #[command(flatten)]
    pub(super) library: LibraryArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.library.config.load()?;
    let bytes = if args.ticket == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading the ticket from standard input")?;
        buf
    } else {
        std::fs::read(&args.ticket).with_context(|| format!("{}", args.ticket.display()))?
    };
    let label = if args.ticket == Path::new("-") {
        Path::new("<stdin>")
    } else {
        args.ticket.as_path()
    };
    let messages = ticket::messages_from_bytes(&bytes, label);
    let ticket = ticket::from_messages(messages, &config);
    if ticket.text.trim().is_empty() && ticket.quoted.trim().is_empty() {
        anyhow::bail!("{}: the ticket has no text to match", label.display());
    }
    let mut store = args.library.store.open_existing()?;
    store.set_thesaurus(Thesaurus::with_config(&config.search));
    let options = suggest::Options {
        top: args.top,
        abstain_below: config.suggest.abstain_below,
    };
    let mut found = suggest::suggest(&ticket, &store, options)?;
    if let Some(lang) = args.lang {
        found.language = lang;
    }
    if args.draft {
        let plan = draft::plan(&found, &ticket);
        if args.output.json {
            println!("{}", serde_json::to_string(&plan)?);
        } else {
            print!("{}", draft::render(&plan)?);
        }
    } else if args.output.json {
        println!("{}", serde_json::to_string(&found)?);
    } else {
        print!("{}", render::text(&found));
    }
    Ok(ExitCode::SUCCESS)
}
