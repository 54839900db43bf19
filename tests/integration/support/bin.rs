//! Running the built `casebook` binary from a neutral directory (on a store, too), generating a
//! set of case exports, the in-process expected case count, a seeded RNG.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

/// The built binary, run from a neutral directory (no `casebook.toml`, no `$CASEBOOK_STORE`).
pub fn casebook() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_casebook"));
    c.current_dir(std::env::temp_dir())
        .env_remove("CASEBOOK_STORE")
        .stdin(Stdio::null());
    c
}

/// `casebook ingest INPUT --store STORE --json`.
pub fn ingest_cmd(input: &Path, store: &Path) -> Command {
    let mut c = casebook();
    c.arg("ingest")
        .arg(input)
        .arg("--store")
        .arg(store)
        .arg("--json");
    c
}

/// The store's case count from `casebook stats --json`; `None` when there is no store yet.
/// Any other failure (a store that does not open) fails the test with its stderr.
pub fn stats_cases(store: &Path) -> Option<usize> {
    let out = casebook()
        .args(["stats", "--json", "--store"])
        .arg(store)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        assert!(stderr.contains("no case store"), "stats failed: {stderr}");
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(v["cases"].as_u64().unwrap() as usize)
}

/// How many cases the pipeline makes from `input` in-process (what a store must end with).
pub fn expected_cases(input: &Path) -> usize {
    let read =
        casebook::ingest::read_paths(&[input.to_path_buf()], &mut casebook::ingest::NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    casebook::pipeline::cases(
        read.messages,
        &casebook::config::Config::default(),
        casebook::pipeline::Publish::default(),
    )
    .len()
}

/// Writes `n` Chinese case exports (cases `first`, `first + 1`, …) into `dir`, three messages
/// each, every one mentioning 备份 so a search finds them all.
pub fn write_exports(dir: &Path, n: usize, first: usize) {
    fs::create_dir_all(dir).unwrap();
    for i in first..first + n {
        let text = format!(
            "邮件主题：[Case: CAS-{:05}-HRD{:03}] 备份任务失败 {i}\n\
             ====第1封邮件====\n\
             发件人：客户{i} <c{i}@customer.example>\n\
             发送时间：2023-03-01 09:15:00\n\
             邮件内容:\n\
             您好：\n\
             服务器{i}的备份任务在升级之后每晚失败，错误代码 0x80070005。\n\
             谢谢\n\
             ====第2封邮件====\n\
             发件人：王工 <wang@northwind.example>\n\
             发送时间：2023-03-01 10:00:00\n\
             邮件内容:\n\
             您好：\n\
             请收集代理日志，并确认备份账户对目标卷有写权限。\n\
             ====第3封邮件====\n\
             发件人：客户{i} <c{i}@customer.example>\n\
             发送时间：2023-03-02 09:00:00\n\
             邮件内容:\n\
             给备份账户加上写权限后，备份任务成功了，问题已解决。\n",
            10_000 + i,
            i % 1000,
        );
        fs::write(dir.join(format!("case-{i:05}.txt")), text).unwrap();
    }
}

/// xorshift64: a seeded, reproducible source of kill moments.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform-ish in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}
