//! `casebook ingest PATH... [--store DIR] [--json]`: read exports, run the pipeline and add the
//! cases to the store (idempotent, incremental, one commit per run). Prints what changed.
//!
//! `--from-cases FILE...` loads `casebook cases --json` output (NDJSON, `-` for stdin) instead:
//! cases built elsewhere (one shard per machine, say) go into one store without their mail.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use casebook::config::Config;
use casebook::index::{IngestReport, Store};
use casebook::model::Case;
use casebook::pipeline::Publish;

use super::common::{self, StoreArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required_unless_present = "from_cases")]
    paths: Vec<PathBuf>,
    /// Load cases from `casebook cases --json` output (NDJSON files, `-` for stdin) instead of
    /// reading mail; such cases carry no messages, so a later mail ingest cannot grow them.
    #[arg(long, num_args = 1.., value_name = "FILE", conflicts_with = "paths")]
    from_cases: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    /// Print the summary as one JSON document.
    #[arg(long)]
    json: bool,
    /// Keep names, email addresses and phone numbers in the stored cases.
    #[arg(long)]
    keep_pii: bool,
    /// Read every file, also those unchanged since the last ingest (which are skipped otherwise,
    /// unless the rules of `casebook.toml` or `--keep-pii` changed).
    #[arg(long)]
    reread: bool,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
}

/// The `--json` summary.
#[derive(Serialize)]
struct Summary {
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
    let config = Config::load(args.config.as_deref())?;
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
            &args.paths,
            &config,
            publish,
            args.reread,
            &mut || {},
        )?;
        Summary {
            files: done.read.files,
            unchanged_files: done.read.unchanged,
            appended_files: done.read.appended,
            bytes: done.read.bytes,
            messages: done.messages,
            cases: done.report,
            errors: done.read.errors.len(),
        }
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
    print_summary(&summary, args.json)?;
    Ok(if summary.messages == 0 && summary.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(summary: &Summary, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(summary)?);
    } else {
        let c = &summary.cases;
        println!(
            "{} files ({} unchanged, skipped; {} appended to), {} messages: {} cases added, {} \
             replaced, {} unchanged, {} removed; {} errors",
            summary.files,
            summary.unchanged_files,
            summary.appended_files,
            summary.messages,
            c.added,
            c.replaced,
            c.unchanged,
            c.removed,
            summary.errors
        );
    }
    Ok(())
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
