//! A bounded load test of `casebook serve` (ignored by default; a benchmark, not a timed test):
//! 64 clients on keep-alive loopback connections for 30 s, a mix of search (60 %), case (25 %) and
//! suggest (15 %), while `casebook ingest` adds cases to the same store in another process.
//! Prints requests/s, p50/p99/max per kind and the errors; fails only on errors.
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py --threads 20000 --max-messages 200000 --mbox /tmp/load/all.mbox
//! python3 ../shared/bench/gen_corpus.py --threads 3000 --seed 99 --mbox /tmp/load/extra.mbox
//! cargo build --release && target/release/casebook ingest /tmp/load/all.mbox --store /tmp/load/store
//! CASEBOOK_BIN=target/release/casebook LOAD_STORE=/tmp/load/store LOAD_INGEST=/tmp/load/extra.mbox \
//!   nice cargo test --test integration serve::load -- --ignored --nocapture
//! ```
//!
//! `LOAD_CLIENTS` and `LOAD_SECONDS` change the defaults (64, 30). With no think time the clients
//! keep the server saturated, so latency is about clients ÷ throughput; `LOAD_THINK_MS` makes each
//! client pause that long after each answer (a paced load below saturation);
//! `LOAD_INGEST_NICE` runs the ingest at that niceness. Only loopback is ever used.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::serve::Server;

/// Words a support engineer types, drawn from the generator's vocabulary.
const QUERIES: &[&str] = &[
    "升级失败",
    "蓝屏重启",
    "服务无法启动",
    "磁盘延迟过高",
    "打印任务卡住",
    "证书过期",
    "备份作业报错",
    "VPN频繁掉线",
    "域控复制失败",
    "zk_hook.dll",
    "0x80070005",
    "0xC1900101",
    "ORA-00600",
    "setuphost.exe",
    "upgrade fails",
    "blue screen on boot",
    "service does not start",
    "backup job fails",
    "AD replication fails",
    "print jobs stuck",
    "V2020-L 升级失败",
    "\"Event ID 1001\"",
    "sqlservr.exe failover",
    "dismapi.dll DISM",
];

/// A keep-alive HTTP/1.1 connection; answers are read by `Content-Length`.
struct Conn {
    addr: String,
    reader: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn send(&mut self, method: &str, path: &str, body: &[u8]) -> std::io::Result<(u16, Vec<u8>)> {
        if self.reader.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_nodelay(true)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            self.reader = Some(BufReader::new(s));
        }
        let r = self.exchange(method, path, body);
        if r.is_err() {
            self.reader = None;
        }
        r
    }

    fn exchange(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let reader = self.reader.as_mut().expect("connected");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
            self.addr,
            body.len()
        );
        let s = reader.get_mut();
        s.write_all(head.as_bytes())?;
        s.write_all(body)?;
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let mut length = None;
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse::<usize>().ok();
                }
            }
        }
        let length = length.ok_or_else(|| std::io::Error::other("no content-length"))?;
        let mut buf = vec![0; length];
        reader.read_exact(&mut buf)?;
        Ok((status, buf))
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[test]
#[ignore = "a benchmark: needs LOAD_STORE (a big store) and runs for 30 s"]
fn sixty_four_clients_for_thirty_seconds() {
    let store = PathBuf::from(std::env::var("LOAD_STORE").expect("set LOAD_STORE=DIR"));
    let clients = env_or("LOAD_CLIENTS", 64) as usize;
    let seconds = env_or("LOAD_SECONDS", 30);
    let think = Duration::from_millis(env_or("LOAD_THINK_MS", 0));
    // `CASEBOOK_BIN`: a release build to measure; the test build otherwise.
    let bin =
        std::env::var("CASEBOOK_BIN").unwrap_or_else(|_| crate::support::serve::BIN.to_string());
    let srv = Server::start_with(&bin, &store, &[]);
    let mut setup = Conn {
        addr: srv.addr.clone(),
        reader: None,
    };

    // Case ids and tickets (the problems of real cases) to ask for, from the store itself.
    let mut ids = Vec::new();
    for q in QUERIES {
        let (_, body) = setup
            .send(
                "GET",
                &format!("/api/search?q={}&per_page=50", encode(q)),
                b"",
            )
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
        for h in doc["hits"].as_array().into_iter().flatten() {
            ids.push(h["id"].as_str().unwrap().to_string());
        }
    }
    ids.sort();
    ids.dedup();
    assert!(!ids.is_empty(), "the store has no case for the queries");
    let mut tickets = Vec::new();
    for id in ids.iter().step_by((ids.len() / 40).max(1)) {
        let (_, body) = setup.send("GET", &format!("/api/cases/{id}"), b"").unwrap();
        let case: serde_json::Value = serde_json::from_slice(&body).unwrap();
        tickets.push(case["problem"].as_str().unwrap_or("升级失败").to_string());
    }
    let stats = |c: &mut Conn| -> u64 {
        let (_, body) = c.send("GET", "/api/stats", b"").unwrap();
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()["cases"]
            .as_u64()
            .unwrap()
    };
    let cases_before = stats(&mut setup);

    // The ingest beside the load, in its own process.
    let ingest = std::env::var("LOAD_INGEST").ok().map(|path| {
        let started = Instant::now();
        // `LOAD_INGEST_NICE=19` runs it as a batch job would be run beside a live server.
        let niceness = env_or("LOAD_INGEST_NICE", 0).to_string();
        let child = Command::new("nice")
            .args(["-n", &niceness, &bin, "ingest", &path, "--store"])
            .arg(&store)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Its own waiter, so the time reported is when it finished, not when the load did.
        std::thread::spawn(move || {
            let out = child.wait_with_output().unwrap();
            (started.elapsed(), out)
        })
    });

    let stop = Arc::new(AtomicBool::new(false));
    let ids = Arc::new(ids);
    let tickets = Arc::new(tickets);
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|n| {
            let (stop, ids, tickets) = (stop.clone(), ids.clone(), tickets.clone());
            let addr = srv.addr.clone();
            std::thread::spawn(move || {
                let mut conn = Conn { addr, reader: None };
                let mut out: [Vec<Duration>; 3] = Default::default();
                let mut errors = Vec::new();
                let mut i = n * 7919;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let (kind, method, path, body) = match i % 20 {
                        0..=11 => (
                            0,
                            "GET",
                            format!("/api/search?q={}", encode(QUERIES[i % QUERIES.len()])),
                            Vec::new(),
                        ),
                        12..=16 => (
                            1,
                            "GET",
                            format!("/api/cases/{}", ids[i % ids.len()]),
                            Vec::new(),
                        ),
                        _ => (
                            2,
                            "POST",
                            "/api/suggest".to_string(),
                            tickets[i % tickets.len()].clone().into_bytes(),
                        ),
                    };
                    let t = Instant::now();
                    match conn.send(method, &path, &body) {
                        Ok((200, _)) => out[kind].push(t.elapsed()),
                        Ok((status, body)) => errors.push(format!(
                            "{status} {path}: {}",
                            String::from_utf8_lossy(&body)
                        )),
                        Err(e) => errors.push(format!("{path}: {e}")),
                    }
                    if !think.is_zero() {
                        std::thread::sleep(think);
                    }
                }
                (out, errors)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut lat: [Vec<Duration>; 3] = Default::default();
    let mut errors = Vec::new();
    for w in workers {
        let (out, errs) = w.join().unwrap();
        for (k, v) in out.into_iter().enumerate() {
            lat[k].extend(v);
        }
        errors.extend(errs);
    }
    let wall = started.elapsed().as_secs_f64();
    let ingest_note = ingest.map(|waiter| {
        let (took, out) = waiter.join().unwrap();
        format!(
            "ingest beside it: {} in {:.1} s ({})",
            String::from_utf8_lossy(&out.stdout).trim(),
            took.as_secs_f64(),
            if out.status.success() { "ok" } else { "FAILED" }
        )
    });
    // Give the server a moment to pick up the ingest's commit, then count again.
    std::thread::sleep(Duration::from_millis(600));
    let cases_after = stats(&mut setup);

    let total: usize = lat.iter().map(Vec::len).sum();
    println!(
        "load: {clients} clients, {wall:.1} s, {total} requests, {:.0} req/s, {} errors",
        total as f64 / wall,
        errors.len()
    );
    for (k, name) in ["search", "case", "suggest"].iter().enumerate() {
        let mut v = lat[k].clone();
        v.sort();
        println!(
            "  {name:<8} {:>7} req  {:>7.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms",
            v.len(),
            v.len() as f64 / wall,
            percentile(&v, 0.50),
            percentile(&v, 0.99),
            v.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        );
    }
    if let Some(note) = ingest_note {
        println!("  {note}");
    }
    println!("  store: {cases_before} cases before, {cases_after} after (seen by the server without a restart)");
    for e in errors.iter().take(10) {
        println!("  error: {e}");
    }
    assert!(errors.is_empty(), "{} errors", errors.len());
}
