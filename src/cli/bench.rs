//! `casebook bench PATH... --store DIR`: ingest a (generated) corpus end to end into a fresh store
//! and measure it — messages/s, MB/s, peak RSS, time per stage, RSS and CPU seconds per 100k
//! messages — then query latency p50/p99 over 100 mixed Chinese/English/technical queries
//! in-process, the wall time of fresh `casebook search` processes, and the index size. A
//! measurement, not a test: nothing here asserts.
//!
//! The corpus comes from `../shared/bench/gen_corpus.py` (see README.md, "Benchmark").

use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde::Serialize;

use casebook::config::Config;
use casebook::index::{SearchRequest, StageTimes, Store, StoreWriter};
use casebook::pipeline::Publish;
use casebook::suggest::{self, ticket};

use super::common;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Store to build (must not exist yet, unless --reuse).
    #[arg(long)]
    store: PathBuf,
    /// Skip the ingest and measure queries on an existing store.
    #[arg(long)]
    reuse: bool,
    /// Fresh `casebook search` processes to time.
    #[arg(long, default_value_t = 10)]
    cli_runs: usize,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Ingest the old way, every message in memory at once (for comparison).
    #[arg(long)]
    in_memory: bool,
    /// After the ingest, ingest the same paths again (unchanged files are skipped) and time it.
    #[arg(long)]
    reingest: bool,
}

/// Queries in the generator's vocabulary; the case numbers of the store are added to make 100.
const QUERIES: &[&str] = &[
    "升级失败",
    "蓝屏重启",
    "服务无法启动",
    "磁盘延迟过高",
    "打印任务卡住",
    "证书过期导致连接中断",
    "数据库主备切换失败",
    "备份作业报错",
    "VPN频繁掉线",
    "域控复制失败",
    "\"DISM 初始化\"",
    "广东分行 升级失败",
    "第三方软件 组件注入",
    "禁用 相关应用和服务",
    "日志 初始化阶段 报错",
    "upgrade fails",
    "blue screen on boot",
    "service does not start",
    "high disk latency",
    "print jobs stuck",
    "connection drops after certificate expiry",
    "failover does not complete",
    "backup job fails",
    "VPN disconnects",
    "AD replication fails",
    "\"backup job fails\"",
    "certificate expiry VPN",
    "collect logs upload",
    "third party component injection",
    "zk_hook.dll",
    "zk_hook",
    "dismapi.dll",
    "setuphost.exe",
    "spoolsv.exe",
    "sqlservr.exe",
    "0x80070005",
    "0xC1900101",
    "0x8024200D",
    "0x0000007E",
    "ORA-00600",
    "0x800F081F",
    "Event ID 1001",
    "Get-FileHash",
    "FileHash",
    "sfc /scannow",
    "repadmin /showrepl",
    "V2020-L",
    "DataGuard 5.2",
    "CBS.log",
    "setupact.log",
];

#[derive(Serialize, Default)]
struct Report {
    messages: usize,
    files: usize,
    bytes: u64,
    cases: usize,
    ingest_seconds: f64,
    messages_per_second: f64,
    megabytes_per_second: f64,
    peak_rss_mib: f64,
    /// Peak RSS when the readers had returned (before any stage of the store ran).
    peak_rss_after_read_mib: f64,
    /// Peak RSS scaled to 100,000 messages (flat when memory does not grow with the corpus).
    rss_per_100k_messages_mib: f64,
    /// `--reingest`: the same paths ingested again into the same store, and the files skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    reingest_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reingest_unchanged_files: Option<usize>,
    /// User + system CPU time of the whole process during the ingest (all threads).
    ingest_cpu_seconds: f64,
    /// The same per 100,000 messages: the figure that compares across runs on a shared machine.
    cpu_seconds_per_100k_messages: f64,
    /// Wall time of each stage, in order.
    stages_seconds: Vec<(&'static str, f64)>,
    queries: usize,
    query_p50_ms: f64,
    query_p99_ms: f64,
    query_max_ms: f64,
    /// New tickets through the whole `suggest` path (cleaning, extraction, retrieval, merging).
    suggestions: usize,
    suggest_p50_ms: f64,
    suggest_p99_ms: f64,
    cli_search_median_ms: f64,
    cli_search_max_ms: f64,
    index_mib: f64,
    load_average: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut report = Report {
        load_average: load_average(),
        ..Report::default()
    };
    if !args.reuse && Store::exists(&args.store) {
        anyhow::bail!(
            "{} already holds a store; give a fresh directory or --reuse",
            args.store.display()
        );
    }
    let mut store = Store::open(&args.store)?;
    if !args.reuse {
        let writer = store.writer()?;
        let mut target = Target {
            store: &mut store,
            writer,
            config: Config::default(),
        };
        measure_ingest(&args, &mut target, &mut report)?;
        if args.reingest {
            measure_reingest(&args, &mut target, &mut report)?;
        }
    }
    let queries = queries(&store)?;
    measure_search(&store, &queries, &mut report)?;
    measure_suggest(&store, &mut report)?;
    measure_cli(&args, &queries, &mut report)?;
    report.index_mib = store.stats()?.index_bytes as f64 / 1048576.0;
    report.load_average = format!("{} -> {}", report.load_average, load_average());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    Ok(ExitCode::SUCCESS)
}

/// The store a benchmark ingests into, with its writer and configuration.
struct Target<'a> {
    store: &'a mut Store,
    writer: StoreWriter,
    config: Config,
}

impl Target<'_> {
    /// The bounded ingest of `paths` into the store, as `casebook ingest` runs it.
    fn ingest(
        &mut self,
        paths: &[PathBuf],
        after_read: &mut dyn FnMut(),
    ) -> anyhow::Result<common::Ingest> {
        common::ingest_paths(
            self.store,
            &mut self.writer,
            paths,
            &self.config,
            Publish::default(),
            false,
            after_read,
        )
    }
}

/// The first ingest into the fresh store: throughput, CPU, memory and the time of each stage.
fn measure_ingest(args: &Args, target: &mut Target, report: &mut Report) -> anyhow::Result<()> {
    let cpu_at_start = cpu_seconds();
    let start = Instant::now();
    let mut after_read = 0.0;
    let done = if args.in_memory {
        let Target {
            store,
            writer,
            config,
        } = target;
        in_memory(store, writer, &args.paths, config, &mut after_read)?
    } else {
        target.ingest(&args.paths, &mut || {
            after_read = peak_rss_kib() as f64 / 1024.0
        })?
    };
    let secs = start.elapsed().as_secs_f64();
    let r = &done.report;
    *report = Report {
        messages: done.messages,
        files: done.read.files,
        bytes: done.read.bytes,
        cases: r.added + r.replaced + r.unchanged,
        ingest_seconds: secs,
        messages_per_second: done.messages as f64 / secs,
        megabytes_per_second: done.read.bytes as f64 / 1e6 / secs,
        peak_rss_mib: peak_rss_kib() as f64 / 1024.0,
        peak_rss_after_read_mib: after_read,
        ingest_cpu_seconds: cpu_seconds() - cpu_at_start,
        stages_seconds: stages(&done.times),
        ..std::mem::take(report)
    };
    let per_100k = 100_000.0 / done.messages.max(1) as f64;
    report.rss_per_100k_messages_mib = report.peak_rss_mib * per_100k;
    report.cpu_seconds_per_100k_messages = report.ingest_cpu_seconds * per_100k;
    Ok(())
}

/// The stages of an ingest, in order, with their wall times.
fn stages(t: &StageTimes) -> Vec<(&'static str, f64)> {
    vec![
        ("read+clean+stage", t.read.as_secs_f64()),
        ("load", t.load.as_secs_f64()),
        ("related", t.related.as_secs_f64()),
        ("thread+pings", t.thread_clean.as_secs_f64()),
        ("segment+redact+doc", t.segment.as_secs_f64()),
        ("index", t.index.as_secs_f64()),
        ("commit", t.commit.as_secs_f64()),
    ]
}

/// `--reingest`: the same paths again, into the same store (unchanged files are skipped).
fn measure_reingest(args: &Args, target: &mut Target, report: &mut Report) -> anyhow::Result<()> {
    let start = Instant::now();
    let again = target.ingest(&args.paths, &mut || {})?;
    report.reingest_seconds = Some(start.elapsed().as_secs_f64());
    report.reingest_unchanged_files = Some(again.read.unchanged);
    Ok(())
}

/// In-process search latency over `queries`.
fn measure_search(store: &Store, queries: &[String], report: &mut Report) -> anyhow::Result<()> {
    let mut took: Vec<Duration> = Vec::with_capacity(queries.len());
    for q in queries {
        let req = SearchRequest {
            query: q.clone(),
            limit: 10,
            ..SearchRequest::default()
        };
        let t = Instant::now();
        store.search(&req)?;
        took.push(t.elapsed());
    }
    took.sort();
    report.queries = took.len();
    report.query_p50_ms = ms(percentile(&took, 50));
    report.query_p99_ms = ms(percentile(&took, 99));
    report.query_max_ms = ms(took.last().copied().unwrap_or_default());
    Ok(())
}

/// In-process `suggest` latency for tickets made of stored cases' problems.
fn measure_suggest(store: &Store, report: &mut Report) -> anyhow::Result<()> {
    let config = Config::default();
    let tickets = tickets(store)?;
    let mut took: Vec<Duration> = Vec::with_capacity(tickets.len());
    for text in &tickets {
        let t = Instant::now();
        let messages = vec![ticket::text_message(text, std::path::Path::new("ticket"))];
        let ticket = ticket::from_messages(messages, &config);
        suggest::suggest(&ticket, store, suggest::Options::default())?;
        took.push(t.elapsed());
    }
    took.sort();
    report.suggestions = took.len();
    report.suggest_p50_ms = ms(percentile(&took, 50));
    report.suggest_p99_ms = ms(percentile(&took, 99));
    Ok(())
}

/// Wall time of fresh `casebook search` processes (start-up, store open, one query).
fn measure_cli(args: &Args, queries: &[String], report: &mut Report) -> anyhow::Result<()> {
    let mut cli: Vec<Duration> = Vec::new();
    let exe = std::env::current_exe()?;
    for q in queries.iter().take(args.cli_runs) {
        let t = Instant::now();
        Command::new(&exe)
            .args(["search", q, "--json", "--store"])
            .arg(&args.store)
            .stdout(Stdio::null())
            .status()?;
        cli.push(t.elapsed());
    }
    cli.sort();
    report.cli_search_median_ms = ms(percentile(&cli, 50));
    report.cli_search_max_ms = ms(cli.last().copied().unwrap_or_default());
    Ok(())
}

/// The in-memory ingest: every message read, then threaded, cleaned and indexed at once.
fn in_memory(
    store: &mut Store,
    writer: &mut StoreWriter,
    paths: &[PathBuf],
    config: &Config,
    after_read: &mut f64,
) -> anyhow::Result<common::Ingest> {
    let t = Instant::now();
    let mut read = common::read_inputs(paths);
    let read_time = t.elapsed();
    *after_read = peak_rss_kib() as f64 / 1024.0;
    let messages = std::mem::take(&mut read.messages);
    let count = messages.len();
    let (report, mut times) = store.ingest_timed(writer, messages, config, Publish::default())?;
    times.read = read_time;
    Ok(common::Ingest {
        read,
        messages: count,
        report,
        times,
    })
}

/// The fixed queries, then case numbers (whole, and the middle part alone) taken evenly from
/// the store, up to 100.
fn queries(store: &Store) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = QUERIES.iter().map(|q| q.to_string()).collect();
    let ids: Vec<String> = store.cases()?.into_iter().map(|c| c.id).collect();
    let want = 100usize.saturating_sub(out.len());
    let step = (ids.len() / want.max(1)).max(1);
    for (n, id) in ids.iter().step_by(step).take(want).enumerate() {
        let part = id.split('-').nth(1).filter(|_| n % 2 == 1);
        out.push(part.unwrap_or(id).to_string());
    }
    Ok(out)
}

/// 100 new tickets: the problem statements of cases taken evenly from the store (as a customer
/// would write them again), so suggest does its full work on realistic text.
fn tickets(store: &Store) -> anyhow::Result<Vec<String>> {
    let cases = store.cases()?;
    let step = (cases.len() / 100).max(1);
    Ok(cases
        .iter()
        .step_by(step)
        .take(100)
        .map(|c| {
            if c.problem.trim().is_empty() {
                c.title.clone()
            } else {
                c.problem.clone()
            }
        })
        .collect())
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() * p).div_ceil(100)).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident set (VmHWM) of this process, in KiB; 0 where /proc is missing.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// User + system CPU seconds of this process so far (all threads), from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|v| v.parse().ok())
        .collect();
    // Clock ticks; 100 per second on Linux.
    f.iter().sum::<u64>() as f64 / 100.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn print_text(r: &Report) {
    println!(
        "ingest     {} messages, {} files, {:.1} MB -> {} cases in {:.1} s",
        r.messages,
        r.files,
        r.bytes as f64 / 1e6,
        r.cases,
        r.ingest_seconds
    );
    println!(
        "           {:.0} messages/s, {:.1} MB/s, peak RSS {:.0} MiB ({:.0} MiB when reading \
         was done), {:.1} CPU s",
        r.messages_per_second,
        r.megabytes_per_second,
        r.peak_rss_mib,
        r.peak_rss_after_read_mib,
        r.ingest_cpu_seconds
    );
    println!(
        "           per 100k messages: {:.0} MiB peak RSS, {:.1} CPU s",
        r.rss_per_100k_messages_mib, r.cpu_seconds_per_100k_messages
    );
    for (stage, s) in &r.stages_seconds {
        println!("  {stage:<16} {s:>8.2} s");
    }
    if let (Some(s), Some(n)) = (r.reingest_seconds, r.reingest_unchanged_files) {
        println!(
            "reingest   {s:.2} s ({:.1}% of the first), {n} unchanged files skipped",
            100.0 * s / r.ingest_seconds.max(1e-9)
        );
    }
    println!(
        "search     {} queries in-process: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        r.queries, r.query_p50_ms, r.query_p99_ms, r.query_max_ms
    );
    println!(
        "suggest    {} tickets in-process: p50 {:.2} ms, p99 {:.2} ms",
        r.suggestions, r.suggest_p50_ms, r.suggest_p99_ms
    );
    println!(
        "cli        fresh `casebook search` process: median {:.0} ms, max {:.0} ms",
        r.cli_search_median_ms, r.cli_search_max_ms
    );
    println!("index      {:.1} MiB", r.index_mib);
    println!("load avg   {}", r.load_average);
}
