//! `casebook eval [--corpus DIR] [--json]`: runs the pipeline on the corpus and scores it against
//! the expected outputs beside the inputs (cleaning) and the gold labels in `DIR/gold/` (cases).
//! Prints one aligned table per scorer (failures on stderr), or with `--json` one document
//! holding every scorer's scores. The blind gold (`DIR/gold/blind/`) is scored per split, dev and
//! test side by side; `--distractors PATH` scores it again with PATH's mail added to the store
//! (and to the baseline), as a library of thousands of unrelated cases would be.
//!
//! `casebook eval --gold DIR [--gold DIR…]` scores any directories in the gold schema instead
//! (mail plus `gold/cases-*.json`), one column each: a dev half beside a test half.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use casebook::config::Config;
use casebook::eval;
use casebook::index::{SearchRequest, Store, Thesaurus};
use casebook::ingest::{self, NoProgress};
use casebook::pipeline::{self, Publish};
use casebook::thread;

use super::args::{ConfigArgs, OutputArgs};
use super::common;

#[derive(clap::Args)]
pub struct Args {
    /// The corpus folder: mail inputs, with gold labels in its `gold/` folder.
    #[arg(long, default_value = "corpus")]
    corpus: PathBuf,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    config: ConfigArgs,
    /// Score this directory of mail and `gold/cases-*.json` per value (repeatable: one column
    /// each) instead of the corpus.
    #[arg(long, value_name = "DIR")]
    gold: Vec<PathBuf>,
    /// Mail to add to the scratch store as distractors for a second run of the blind gold
    /// (e.g. a generated corpus); repeatable.
    #[arg(long)]
    distractors: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let config = args.config.load()?;
    if !args.gold.is_empty() {
        return gold_dirs(&args.gold, &config, args.output.json);
    }
    let gold_dir = args.corpus.join("gold");
    let gold = eval::cases::load_gold(&gold_dir)
        .with_context(|| format!("reading gold cases from {}", gold_dir.display()))?;
    let ingested = common::read_inputs(std::slice::from_ref(&args.corpus));
    // Scored as published: redacted, the way `casebook cases` prints them.
    let cases = pipeline::cases(ingested.messages, &config, Publish { keep_pii: false });
    let scores = eval::cases::score(&gold, &cases);
    let clean = eval::clean::score_corpus(&args.corpus, &config);
    let retrieval = retrieval_scores(&args.corpus, &gold_dir, &config)?;
    let splits = eval::retrieval::load_splits(&gold_dir)?;
    let blind = blind_scores(std::slice::from_ref(&args.corpus), &splits, &config)?;
    let distracted = if args.distractors.is_empty() {
        None
    } else {
        let mut inputs = vec![args.corpus.clone()];
        inputs.extend(args.distractors.iter().cloned());
        Some(blind_scores(&inputs, &splits, &config)?)
    };

    if args.output.json {
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
            "retrieval": retrieval,
            "blind": {
                "threshold": (config.suggest.abstain_below as f64 * 1000.0).round() / 1000.0,
                "corpus": blind.1,
                "with_distractors": distracted.as_ref().map(|d| serde_json::json!({
                    "cases": d.0,
                    "splits": d.1,
                })),
                "cases": blind.0,
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
        println!();
        println!("retrieval ({} gold tickets)", retrieval[0].tickets);
        print!("{}", eval::retrieval::table(&retrieval));
        for m in &retrieval[0].misses {
            eprintln!("  {} expected {:?}, got {:?}", m.ticket, m.expect, m.got);
        }
        let runs = std::iter::once(("corpus", &blind))
            .chain(distracted.as_ref().map(|d| ("corpus + distractors", d)));
        for (label, (cases, scores)) in runs {
            println!();
            println!(
                "blind gold, {label} ({cases} cases; abstain below {:.2})",
                config.suggest.abstain_below
            );
            print!("{}", eval::retrieval::split_table(scores));
            // The test split is only scored: its misses are not printed, so no one tunes on them.
            for s in scores.iter().filter(|s| s.split == "dev") {
                for m in s.in_scope[0].misses.iter().chain(&s.queries[0].misses) {
                    eprintln!(
                        "  dev {} expected {:?}, got {:?}",
                        m.ticket, m.expect, m.got
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--gold DIR…`: each directory's mail through the pipeline, scored per value against its gold.
fn gold_dirs(dirs: &[PathBuf], config: &Config, json: bool) -> anyhow::Result<ExitCode> {
    let mut reports = Vec::new();
    for dir in dirs {
        let gold_dir = dir.join("gold");
        let gold = eval::cases::load_gold(&gold_dir)
            .with_context(|| format!("reading gold cases from {}", gold_dir.display()))?;
        let ingested = common::read_inputs(std::slice::from_ref(dir));
        let cases = pipeline::cases(ingested.messages, config, Publish { keep_pii: false });
        reports.push((dir.display().to_string(), eval::tally::tally(&gold, &cases)));
    }
    if json {
        let doc: serde_json::Map<String, serde_json::Value> = reports
            .iter()
            .map(|(name, r)| Ok((name.clone(), serde_json::to_value(r)?)))
            .collect::<anyhow::Result<_>>()?;
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for (name, r) in &reports {
            for m in &r.misses {
                eprintln!("  {name} {} {}: {}", m.case, m.measure, m.why);
            }
        }
        let columns: Vec<(String, &eval::tally::Report)> =
            reports.iter().map(|(n, r)| (n.clone(), r)).collect();
        print!("{}", eval::tally::table(&columns));
    }
    Ok(ExitCode::SUCCESS)
}

/// Suggest against a scratch store of the corpus, and the raw-BM25 baseline, on the gold tickets.
fn retrieval_scores(
    corpus: &Path,
    gold_dir: &Path,
    config: &Config,
) -> anyhow::Result<[eval::retrieval::Scores; 2]> {
    let tickets = eval::retrieval::load_tickets(gold_dir)?;
    let (_scratch, store, baseline) = scratch_store(&[corpus.to_path_buf()], config)?;
    Ok(eval::retrieval::evaluate(
        &tickets, &store, &baseline, config,
    )?)
}

/// The blind splits scored on a scratch store of `inputs`: `(cases in the store, scores)`.
fn blind_scores(
    inputs: &[PathBuf],
    splits: &[eval::retrieval::Split],
    config: &Config,
) -> anyhow::Result<(u64, Vec<eval::retrieval::SplitScores>)> {
    let (_scratch, store, baseline) = scratch_store(inputs, config)?;
    let search = |q: &str| -> casebook::Result<Vec<String>> {
        let req = SearchRequest {
            query: q.to_string(),
            limit: 10,
            ..SearchRequest::default()
        };
        Ok(store.search(&req)?.hits.into_iter().map(|h| h.id).collect())
    };
    let mut out = Vec::new();
    for split in splits {
        out.push(eval::retrieval::evaluate_split(
            split, &store, &search, &baseline, config,
        )?);
    }
    Ok((store.stats()?.cases, out))
}

/// `inputs` read into a scratch store (kept while the returned folder lives) and into the raw
/// BM25 baseline.
fn scratch_store(
    inputs: &[PathBuf],
    config: &Config,
) -> anyhow::Result<(ScratchDir, Store, eval::baseline::RawIndex)> {
    let messages = ingest::read_paths(inputs, &mut NoProgress).messages;
    let baseline =
        eval::baseline::RawIndex::build(&thread::thread(messages.clone(), &config.thread))?;
    let scratch = ScratchDir::new()?;
    let mut store = Store::open(&scratch.0)?;
    store.set_thesaurus(Thesaurus::with_config(&config.search));
    let mut writer = store.writer()?;
    store.ingest(&mut writer, messages, config, Publish::default())?;
    Ok((scratch, store, baseline))
}

/// A store folder under the system temp dir, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> anyhow::Result<ScratchDir> {
        let dir = std::env::temp_dir().join(format!("casebook-eval-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(ScratchDir(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
