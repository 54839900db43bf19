//! `casebook kb --out DIR [--store DIR] [--templates DIR] [--format md|html]
//! [--audience external|internal] [--case-url URL] [--include-unresolved] [--labels FILE]
//! [--json]`: renders the KB from the cases in the store.
//!
//! stdout: one `id<TAB>state<TAB>cases<TAB>title` line per article, or with `--json` one JSON
//! document (articles, merge decisions, guard hits, KCS figures). stderr: the summary lines (link
//! rate, KCS states, files written), the merges made and, with `--labels`, pairwise precision
//! and recall.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;

use casebook::config::Config;
use casebook::kb::{self, Format, MergeDecision, SiteOptions, Templates};
use casebook::model::{Article, Case, KcsState, Status};

use super::args::{LibraryArgs, OutputArgs};

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
    /// `external` (default) publishes customer-neutral pages; `internal` adds the related-case
    /// table and the customer codes.
    #[arg(long, value_enum, default_value = "external")]
    pub audience: AudienceArg,
    /// HTML citations link to `URL/cases/{case}#m{n}` (a `casebook serve` address); without it
    /// they link to per-case appendix pages under `cases/`.
    #[arg(long)]
    pub case_url: Option<String>,
    /// Write articles for unresolved cases too.
    #[arg(long)]
    pub include_unresolved: bool,
    /// Ground-truth labels (`gen_corpus.py --labels` NDJSON): print pairwise precision and
    /// recall of the grouping.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AudienceArg {
    External,
    Internal,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Md,
    Html,
}

#[derive(clap::Args)]
#[group(id = "kb_args")] // flattened into `build`'s `Args` too, so its own group name
pub struct Args {
    #[command(flatten)]
    pub(super) library: LibraryArgs,
    #[command(flatten)]
    pub(super) options: KbOptions,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (config, store) = args.library.open()?;
    let cases = store.cases()?;
    let loaded = memory();
    let code = publish(&cases, &config, &args.options)?;
    if let (Some((rss, _)), Some((_, peak))) = (loaded, memory()) {
        eprintln!(
            "kb: memory: {} MiB resident after reading {} cases from the store, {} MiB peak",
            rss / 1024,
            cases.len(),
            peak / 1024
        );
    }
    Ok(code)
}

/// `(VmRSS, VmHWM)` in KiB from `/proc/self/status`, where there is one (Linux).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
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
    let options = SiteOptions {
        format,
        internal: opts.audience == AudienceArg::Internal,
        case_url: opts.case_url.clone(),
    };
    let previous = kb::load_manifest(&opts.out, format);
    let started = Instant::now();
    let (articles, report) = kb::build(cases, &kb_config, &previous);
    let grouped = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let site = kb::render(
        &articles,
        &templates,
        &options,
        &previous,
        &report.redirects,
        &report.kcs,
    )?;
    let rendered = started.elapsed().as_secs_f64();
    let written = kb::write_site(&opts.out, &site)?;
    if !written.removed.is_empty() {
        eprintln!(
            "kb: removed {} pages no longer generated: {}",
            written.removed.len(),
            written.removed.join(", ")
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
    eprintln!("kb: {}", kcs_line(&report.kcs));
    eprintln!(
        "kb: {} files written, {} unchanged, {} redirects",
        written.written.len(),
        written.unchanged,
        report.redirects.len()
    );
    // Timings go to stderr only: stdout and the files stay byte-identical between runs.
    eprintln!(
        "kb: grouped {} cases ({} candidate pairs) in {grouped:.3}s, rendered {} of {} articles in {rendered:.3}s",
        report.cases,
        report.candidates,
        articles.len() - site.kept.len(),
        articles.len(),
    );
    let pairwise = match &opts.labels {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading labels {}", path.display()))?;
            let (labels, bad) = kb::pairwise::parse_labels(&text);
            let p = kb::pairwise::score(&articles, &labels);
            eprintln!(
                "kb: labels {}: {} labelled cases in {} articles ({} distinct confirmed roots); pairwise precision {:.4}, recall {:.4} ({} true of {} predicted pairs, {} gold pairs){}",
                path.display(),
                p.cases,
                p.articles,
                p.roots,
                p.precision,
                p.recall,
                p.true_pairs,
                p.predicted_pairs,
                p.gold_pairs,
                if bad > 0 { format!("; {bad} unreadable lines") } else { String::new() }
            );
            Some(p)
        }
        None => None,
    };
    if opts.output.json {
        let ext = format.ext();
        let doc = JsonReport {
            out: opts.out.display().to_string(),
            cases: report.cases,
            skipped_unresolved: report.skipped_unresolved,
            articles: articles.iter().map(|a| ArticleLine::new(a, ext)).collect(),
            decisions: &report.decisions,
            guard: &report.guard,
            kcs: &report.kcs,
            written: &written.written,
            redirects: &report.redirects,
            pairwise,
        };
        println!("{}", serde_json::to_string(&doc)?);
    } else {
        print_merges(&report.decisions);
        for a in &articles {
            println!(
                "{}\t{}\t{}\t{}",
                a.id,
                a.state.label(),
                a.cases.len(),
                a.title
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `link rate 95.0% (19/20 resolved cases); KCS: WIP 0, Not Validated 12, Validated 8, Archived 0`
pub fn kcs_line(k: &kb::Kcs) -> String {
    let states: Vec<String> = k
        .states
        .iter()
        .map(|(s, n)| format!("{} {n}", s.label()))
        .collect();
    format!(
        "link rate {:.1}% ({}/{} resolved cases); KCS: {}",
        k.link_rate * 100.0,
        k.linked_cases,
        k.resolved_cases,
        states.join(", ")
    )
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
    kcs: &'a kb::Kcs,
    written: &'a [String],
    redirects: &'a std::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pairwise: Option<kb::pairwise::Pairwise>,
}

#[derive(Serialize)]
struct ArticleLine<'a> {
    id: &'a str,
    path: String,
    title: &'a str,
    language: &'a str,
    status: Status,
    state: KcsState,
    reuse: usize,
    cases: Vec<&'a str>,
}

impl<'a> ArticleLine<'a> {
    fn new(a: &'a Article, ext: &str) -> Self {
        ArticleLine {
            id: &a.id,
            path: format!("{}.{ext}", kb::file_stem(&a.id, &a.title)),
            title: &a.title,
            language: &a.language,
            status: a.status,
            state: a.state,
            reuse: a.cases.len(),
            cases: a.cases.iter().map(|c| c.id.as_str()).collect(),
        }
    }
}
