//! Rendering throughput (a benchmark, not a test: it asserts nothing about time and is ignored
//! by default). Run it with
//!
//! ```sh
//! cargo test --release --test integration kb::bench -- --ignored --nocapture
//! ```
//!
//! It builds 20,000 bilingual cases (a tenth of them sharing a root cause with another), groups
//! them into articles and renders the Markdown and HTML sites, printing cases/s and articles/s.

use std::time::Instant;

use crate::support::kb::{case, strings};
use casebook::kb::{self, Format, KbConfig, Templates};
use casebook::model::Case;

const CASES: usize = 20_000;

fn generated(n: usize) -> Vec<Case> {
    (0..n)
        .map(|i| {
            // Every tenth case repeats the root cause of the one before it.
            let root = if i % 10 == 9 { i - 1 } else { i };
            let zh = i % 2 == 0;
            let mut c = case(
                &format!("CAS-{:05}-B{:05}", i, root),
                "2023-01-02",
                "2023-01-09",
                &if zh {
                    format!("第{i}号服务器升级失败，错误 0x8007{root:04X}")
                } else {
                    format!("Upgrade of server {i} fails with 0x8007{root:04X}")
                },
            );
            c.language = if zh { "zh" } else { "en" }.into();
            c.problem = format!(
                "Upgrade stops at 45% with error 0x8007{root:04X}; the setup log shows module{root}.dll.\n\
                 客户描述：升级在第二次重启前失败，日志里有 <error> 和 *警告*。"
            );
            c.cause = format!("Third-party filter module{root}.dll hooks setuphost.exe during DownLevel.");
            c.resolution = format!("Disable the service that loads module{root}.dll, then upgrade again.");
            c.steps = strings(&[
                &format!("Disable the services that load module{root}.dll"),
                "Run the upgrade from the offline image",
                "Check the version with winver",
            ]);
            c.diagnostics = strings(&["Collect setupact.log", "Run procmon during the upgrade"]);
            c.entities.error_codes = vec![format!("0x8007{root:04X}")];
            c.entities.files = vec![format!("module{root}.dll"), "setuphost.exe".into()];
            c.entities.products = vec![format!("Product {}", i % 7)];
            c.entities.versions = vec!["21H2".into()];
            c
        })
        .collect()
}

#[test]
#[ignore = "benchmark: run with --ignored --nocapture"]
fn render_throughput() {
    let cases = generated(CASES);
    let templates = Templates::builtin().unwrap();
    let config = KbConfig {
        max_key_cases: 100,
        ..KbConfig::default()
    };

    let start = Instant::now();
    let (articles, report) = kb::build(&cases, &config, &kb::Manifest::default());
    let grouping = start.elapsed().as_secs_f64();
    let labels: Vec<kb::pairwise::Label> = cases
        .iter()
        .map(|c| kb::pairwise::Label {
            case: c.id.clone(),
            root: c.id[10..].to_string(),
            resolved: true,
        })
        .collect();
    let p = kb::pairwise::score(&articles, &labels);
    println!(
        "pairwise precision {:.4}, recall {:.4}; {} roots",
        p.precision, p.recall, p.roots
    );
    println!(
        "grouping: {} cases → {} articles ({} merged) in {:.3}s = {:.0} cases/s",
        cases.len(),
        articles.len(),
        report.merged_articles,
        grouping,
        cases.len() as f64 / grouping
    );

    for format in [Format::Markdown, Format::Html] {
        let start = Instant::now();
        let options = kb::SiteOptions {
            format,
            ..kb::SiteOptions::default()
        };
        let files = kb::render(
            &articles,
            &templates,
            &options,
            &kb::Manifest::default(),
            &report.redirects,
            &report.kcs,
        )
        .unwrap()
        .files;
        let secs = start.elapsed().as_secs_f64();
        let bytes: usize = files.iter().map(|f| f.content.len()).sum();
        println!(
            "render {format:?}: {} articles, {} files, {:.1} MB in {:.3}s = {:.0} articles/s",
            articles.len(),
            files.len(),
            bytes as f64 / 1e6,
            secs,
            articles.len() as f64 / secs
        );
    }
}
