//! `casebook kb --out DIR [--store DIR] [--templates DIR] [--format md|html]
//! [--include-unresolved] [--json]`: renders the KB from the cases in the store.
//!
//! stdout: one `id<TAB>cases<TAB>title` line per article, or with `--json` one JSON document
//! (articles, merge decisions, guard hits). stderr: the summary line and the merges made.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use casebook::config::Config;
use casebook::kb::{self, Format, MergeDecision, Templates};
use casebook::model::{Article, Case, Status};

use super::common::StoreArgs;

/// Options shared by `kb` and `build`.
#[derive(clap::Args)]
pub struct KbOptions {
    /// Directory to write the KB into (created when missing).
    #[arg(long, default_value = "kb")]
    pub out: PathBuf,
    /// A directory of templates overriding the built-in ones file by file
    /// (`zh/article.md.j2`, `en/article.md.j2`, `index.md.j2`, `SUMMARY.md.j2`, `page.html.j2`,
    /// `style.css`).
    #[arg(long)]
    pub templates: Option<PathBuf>,
    /// `md` writes Markdown with README.md and SUMMARY.md (mdBook); `html` writes HTML pages.
    #[arg(long, value_enum, default_value = "md")]
    pub format: FormatArg,
    /// Write articles for unresolved cases too.
    #[arg(long)]
    pub include_unresolved: bool,
    /// Print one JSON document (articles, merge decisions, guard hits) instead of lines.
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
}

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    store: StoreArgs,
    /// Rules file (default: ./casebook.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    kb: KbOptions,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = Config::load(args.config.as_deref())?;
    let cases = args.store.open_existing()?.cases()?;
    publish(&cases, &config, &args.kb)
}

/// Builds, renders and writes the KB for `cases`; prints the report. Shared with `build`.
pub fn publish(cases: &[Case], config: &Config, opts: &KbOptions) -> anyhow::Result<ExitCode> {
    let mut kb_config = config.kb.clone();
    kb_config.include_unresolved |= opts.include_unresolved;
    let templates = match &opts.templates {
        Some(dir) => Templates::with_overrides(read_templates(dir)?)?,
        None => Templates::builtin()?,
    };
    let format = match opts.format {
        FormatArg::Md => Format::Markdown,
        FormatArg::Html => Format::Html,
    };
    let started = Instant::now();
    let (articles, report) = kb::build(cases, &kb_config);
    let grouped = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let files = kb::render_site(&articles, &templates, format)?;
    let rendered = started.elapsed().as_secs_f64();
    let removed = kb::write_site(&opts.out, &files)?;
    if !removed.is_empty() {
        eprintln!(
            "kb: removed {} article pages no longer generated: {}",
            removed.len(),
            removed.join(", ")
        );
    }

    eprintln!(
        "kb: {} articles from {} cases ({} merged articles, {} unresolved cases skipped, {} PII guard hits) → {}",
        report.articles,
        report.cases,
        report.merged_articles,
        report.skipped_unresolved,
        report.guard.len(),
        opts.out.display()
    );
    // Timings go to stderr only: stdout and the files stay byte-identical between runs.
    eprintln!(
        "kb: grouped {} cases in {grouped:.3}s, rendered {} articles in {rendered:.3}s ({:.0} articles/s)",
        report.cases,
        articles.len(),
        articles.len() as f64 / rendered.max(1e-9)
    );
    if opts.json {
        let ext = match format {
            Format::Markdown => "md",
            Format::Html => "html",
        };
        let doc = JsonReport {
            out: opts.out.display().to_string(),
            cases: report.cases,
            skipped_unresolved: report.skipped_unresolved,
            articles: articles.iter().map(|a| ArticleLine::new(a, ext)).collect(),
            decisions: &report.decisions,
            guard: &report.guard,
        };
        println!("{}", serde_json::to_string(&doc)?);
    } else {
        print_merges(&report.decisions);
        for a in &articles {
            println!("{}\t{}\t{}", a.id, a.cases.len(), a.title);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One stderr line per merge, so a reviewer sees which cases were joined and on what evidence.
fn print_merges(decisions: &[MergeDecision]) {
    const SHOWN: usize = 50;
    let merged: Vec<&MergeDecision> = decisions.iter().filter(|d| d.merged).collect();
    for d in merged.iter().take(SHOWN) {
        eprintln!(
            "kb: merged {} + {} (score {:.3}; entities {:.3}, text {:.3}; shared {})",
            d.cases[0],
            d.cases[1],
            d.score,
            d.entity_similarity,
            d.text_similarity,
            d.shared.join(", ")
        );
    }
    if merged.len() > SHOWN {
        eprintln!(
            "kb: … and {} more merges (see --json)",
            merged.len() - SHOWN
        );
    }
}

/// Every `.j2` and `.css` file under `dir`, named by its `/`-separated path relative to `dir`.
fn read_templates(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading templates in {}", dir.display()))?;
        let path = entry.path();
        let wanted = path.extension().is_some_and(|e| e == "j2" || e == "css");
        if !entry.file_type().is_file() || !wanted {
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let name = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let source = std::fs::read_to_string(path)
            .with_context(|| format!("reading template {}", path.display()))?;
        out.push((name, source));
    }
    if out.is_empty() {
        anyhow::bail!("{}: no templates (*.j2, *.css) found", dir.display());
    }
    Ok(out)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    out: String,
    cases: usize,
    skipped_unresolved: usize,
    articles: Vec<ArticleLine<'a>>,
    decisions: &'a [MergeDecision],
    guard: &'a [(String, String)],
}

#[derive(Serialize)]
struct ArticleLine<'a> {
    id: &'a str,
    path: String,
    title: &'a str,
    language: &'a str,
    status: Status,
    reuse: usize,
    cases: Vec<&'a str>,
}

impl<'a> ArticleLine<'a> {
    fn new(a: &'a Article, ext: &str) -> Self {
        ArticleLine {
            id: &a.id,
            path: format!("{}.{ext}", a.id),
            title: &a.title,
            language: &a.language,
            status: a.status,
            reuse: a.cases.len(),
            cases: a.cases.iter().map(|c| c.id.as_str()).collect(),
        }
    }
}
