//! `casebook ingest PATH... [--store DIR] [--json] [--strict]`: read exports, run the pipeline and
//! add the cases to the store (idempotent, incremental, one commit per run). Prints what changed
//! (the summary line `build` prints too); the exit status is [`exit_status`]'s.
//!
//! `--from-cases FILE...` loads `casebook cases --json` output (NDJSON, `-` for stdin) instead:
//! cases built elsewhere (one shard per machine, say) go into one store without their mail.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use casebook::index::{IngestReport, Store};
use casebook::model::Case;
use casebook::pipeline::Publish;

use super::args::{exit_status, ConfigArgs, InputArgs, Outcome, OutputArgs, StoreArgs};
use super::common::{self, Ingest};

#[derive(clap::Args)]
#[command(mut_arg("paths", |a| a.required(false).required_unless_present("from_cases")))]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// Load cases from `casebook cases --json` output (NDJSON files, `-` for stdin) instead of
    /// reading mail; such cases carry no messages, so a later mail ingest cannot grow them.
    #[arg(long, num_args = 1.., value_name = "FILE", conflicts_with = "paths")]
    from_cases: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    // With `--json`: the summary as one JSON document.
    #[command(flatten)]
    output: OutputArgs,
    /// Keep names, email addresses and phone numbers in the stored cases.
    #[arg(long)]
    keep_pii: bool,
    /// Read every file, also those unchanged since the last ingest (which are skipped otherwise,
    /// unless the rules of `casebook.toml` or `--keep-pii` changed).
    #[arg(long)]
    reread: bool,
    #[command(flatten)]
    config: ConfigArgs,
}

/// What an ingest did: printed by `ingest` (one line, or the `--json` document) and by `build`
/// (the same line on stderr).
#[derive(Serialize)]
pub struct Summary {
    /// Files found (mail files; with `--from-cases`, case files).
    files: usize,
    /// Files not parsed: same size and content as at the last ingest.
    unchanged_files: usize,
    /// Grown mboxes read only from their old end.
    appended_files: usize,
    bytes: u64,
    messages: usize,
    cases: IngestReport,
    errors: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    let mut store = Store::open(&args.store.store)?;
    // Take the writer lock before reading, so a concurrent ingest fails at once.
    let mut writer = store.writer()?;
    let summary = if args.from_cases.is_empty() {
        let publish = Publish {
            keep_pii: args.keep_pii,
        };
        let done = common::ingest_paths(
            &mut store,
            &mut writer,
            &args.input.paths,
            &config,
            publish,
            args.reread,
            &mut || {},
        )?;
        Summary::of(done)
    } else {
        let mut read = CaseFiles::default();
        let cases = read.cases(&args.from_cases);
        let report = store.ingest_cases(&mut writer, cases)?;
        Summary {
            files: args.from_cases.len(),
            unchanged_files: 0,
            appended_files: 0,
            bytes: read.bytes,
            messages: read.messages,
            cases: report,
            errors: read.errors,
        }
    };
    if args.output.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!("{}", summary.line());
    }
    Ok(exit_status(summary.outcome(), args.input.strict))
}

impl Summary {
    /// The summary of a mail ingest.
    pub fn of(done: Ingest) -> Self {
        Summary {
            files: done.read.files,
            unchanged_files: done.read.unchanged,
            appended_files: done.read.appended,
            bytes: done.read.bytes,
            messages: done.messages,
            cases: done.report,
            errors: done.read.errors.len(),
        }
    }

    /// The one-line summary.
    pub fn line(&self) -> String {
        let c = &self.cases;
        format!(
            "{} files ({} unchanged, skipped; {} appended to), {} messages: {} cases added, {} \
             replaced, {} unchanged, {} removed; {} errors",
            self.files,
            self.unchanged_files,
            self.appended_files,
            self.messages,
            c.added,
            c.replaced,
            c.unchanged,
            c.removed,
            self.errors
        )
    }

    /// What the exit status is decided on.
    pub fn outcome(&self) -> Outcome {
        Outcome {
            messages: self.messages,
            unchanged: self.unchanged_files,
            failed: self.errors,
        }
    }
}

/// Counts kept while case files stream into the store.
#[derive(Default)]
struct CaseFiles {
    bytes: u64,
    /// Messages of the cases read (what `cases --json` threaded into them).
    messages: usize,
    errors: usize,
}

impl CaseFiles {
    /// The cases of `paths` one line at a time, in file order; a file or line that cannot be
    /// read prints `path[:line]: what is wrong` on stderr and is skipped.
    fn cases<'a>(&'a mut self, paths: &'a [PathBuf]) -> impl Iterator<Item = Case> + 'a {
        let mut files = paths.iter();
        let mut current: Option<(&Path, Box<dyn BufRead>, usize)> = None;
        std::iter::from_fn(move || loop {
            let Some((path, reader, line_no)) = current.as_mut() else {
                let path = files.next()?;
                match open(path) {
                    Ok(r) => current = Some((path, r, 0)),
                    Err(e) => {
                        eprintln!("{}: {e}", path.display());
                        self.errors += 1;
                    }
                }
                continue;
            };
            let mut line = String::new();
            *line_no += 1;
            match reader.read_line(&mut line) {
                Ok(0) => current = None,
                Ok(n) => {
                    self.bytes += n as u64;
                    if line.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<Case>(&line) {
                        Ok(case) => {
                            self.messages += case.messages.len();
                            return Some(case);
                        }
                        Err(e) => {
                            eprintln!("{}:{line_no}: not a case: {e}", path.display());
                            self.errors += 1;
                        }
                    }
                }
                Err(e) => {
                    eprintln!("{}:{line_no}: {e}", path.display());
                    self.errors += 1;
                    current = None;
                }
            }
        })
    }
}

fn open(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::stdin().lock()));
    }
    let file = std::fs::File::open(path)?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 20, file)))
}
