//! The argument groups several commands take, each declared once here and flattened into the
//! commands (`--config`, the input paths with `--strict`, `--json`, `--store`), and the one rule
//! deciding the exit status of a command that reads mail.
//!
//! Takes parsed arguments and what a read produced; gives loaded config, an opened store and an
//! [`ExitCode`]. The exit status is documented in README.md ("Exit status").

use std::path::PathBuf;
use std::process::ExitCode;

use casebook::config::Config;
use casebook::index::Store;
use casebook::ingest::Ingested;

/// `--config FILE`: the rules file.
#[derive(clap::Args, Debug, Clone)]
pub struct ConfigArgs {
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The rules of `--config`, else of `./casebook.toml`, else the defaults.
    pub fn load(&self) -> anyhow::Result<Config> {
        Ok(Config::load(self.config.as_deref())?)
    }
}

/// `PATH... [--strict]`: the mail a command reads, and whether one unreadable file fails the run.
#[derive(clap::Args, Debug, Clone)]
pub struct InputArgs {
    /// Files or directories (walked recursively; formats detected by content).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Exit with status 1 when any file failed, even if others were read.
    #[arg(long)]
    pub strict: bool,
}

/// `--json`: data on stdout as JSON (one object per line where a command prints many).
#[derive(clap::Args, Debug, Clone)]
pub struct OutputArgs {
    /// Print JSON instead of text lines (NDJSON where there is one item per line).
    #[arg(long)]
    pub json: bool,
}

/// `--store DIR`, else `$CASEBOOK_STORE`, else `.casebook/`: where the case store lives.
#[derive(clap::Args, Debug, Clone)]
pub struct StoreArgs {
    /// Case store directory.
    #[arg(long, env = "CASEBOOK_STORE", default_value = ".casebook")]
    pub store: PathBuf,
}

impl StoreArgs {
    /// Opens an existing store; a missing one is an error that says how to make it.
    pub fn open_existing(&self) -> anyhow::Result<Store> {
        if !Store::exists(&self.store) {
            anyhow::bail!(
                "no case store at {} (run `casebook ingest PATH... --store {}` first)",
                self.store.display(),
                self.store.display()
            );
        }
        Ok(Store::open(&self.store)?)
    }
}

/// `--store DIR --config FILE`: an existing store and the rules to read it with (the commands
/// on the library: `search`, `suggest`, `stats`, `kb`, `serve`).
#[derive(clap::Args, Debug, Clone)]
pub struct LibraryArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

impl LibraryArgs {
    /// The rules, then the store (a missing store is an error that says how to make it).
    pub fn open(&self) -> anyhow::Result<(Config, Store)> {
        let config = self.config.load()?;
        Ok((config, self.store.open_existing()?))
    }
}

/// What a read left behind, as far as the exit status cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Messages read (or, with `ingest --from-cases`, the messages of the cases loaded).
    pub messages: usize,
    /// Files not read because the store holds them unchanged: read before, so not a failure.
    pub unchanged: usize,
    /// Files (or case lines) that could not be read; each was reported on stderr.
    pub failed: usize,
}

impl Outcome {
    /// The outcome of a read that kept its messages.
    pub fn of(read: &Ingested) -> Self {
        Outcome {
            messages: read.messages.len(),
            unchanged: read.unchanged,
            failed: read.errors.len(),
        }
    }
}

/// The exit status of `parse`, `cases`, `ingest` and `build`, decided here only:
///
/// - **1** when nothing was read: no message, and no file the store already holds unchanged.
///   An empty folder, a folder of junk only and a missing path all end here: the run produced
///   nothing from what it was given, and a script should notice.
/// - **1** with `--strict` when any file failed, even if others were read.
/// - **0** otherwise; each failed file was reported on stderr and the rest was used.
///
/// On 1 one line on stderr says why (the per-file lines came before it).
pub fn exit_status(read: Outcome, strict: bool) -> ExitCode {
    let why = if read.messages == 0 && read.unchanged == 0 {
        Some(if read.failed == 0 {
            "no mail found in the inputs".to_string()
        } else {
            format!("nothing could be read ({} failed)", read.failed)
        })
    } else if strict && read.failed > 0 {
        Some(format!("--strict: {} input(s) failed", read.failed))
    } else {
        None
    };
    match why {
        Some(why) => {
            eprintln!("casebook: {why}");
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    }
}
