//! `casebook show CASE [--json|--md]`: one case from the store — its summary fields and the
//! cleaned conversation — as text, Markdown or the stored JSON.

use std::fmt::Write;
use std::process::ExitCode;

use casebook::model::{format_date, Case};

use super::args::StoreArgs;

#[derive(clap::Args)]
pub struct Args {
    /// The case id (e.g. `CAS-06616-G5Z4X1`).
    case: String,
    /// Print the case JSON.
    #[arg(long, conflicts_with = "md")]
    json: bool,
    /// Print Markdown.
    #[arg(long)]
    md: bool,
    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let store = args.store.open_existing()?;
    let Some(case) = store.get(&args.case)? else {
        eprintln!("casebook: no case {} in {}", args.case, store.dir.display());
        return Ok(ExitCode::FAILURE);
    };
    let out = if args.json {
        serde_json::to_string_pretty(&case)? + "\n"
    } else {
        render(&case, args.md)
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// Text (or Markdown when `md`): header, summary sections, then the messages.
fn render(c: &Case, md: bool) -> String {
    let mut s = String::new();
    let day =
        |d: &Option<chrono::DateTime<chrono::Utc>>| d.as_ref().map_or("-".into(), format_date);
    let heading = |s: &mut String, level: usize, text: &str| {
        if md {
            let _ = writeln!(s, "\n{} {text}\n", "#".repeat(level));
        } else {
            let _ = writeln!(s, "\n{}\n{}", text, "-".repeat(text.chars().count().max(4)));
        }
    };
    if md {
        let _ = writeln!(s, "# {} — {}\n", c.id, c.title);
    } else {
        let _ = writeln!(s, "{}  {}", c.id, c.title);
    }
    let status = format!("{:?}", c.status).to_lowercase();
    let fields = [
        ("status", status),
        ("language", c.language.clone()),
        ("customer", c.customer.clone().unwrap_or_else(|| "-".into())),
        ("priority", c.priority.clone().unwrap_or_else(|| "-".into())),
        ("opened", day(&c.opened)),
        ("closed", day(&c.closed)),
        ("messages", c.messages.len().to_string()),
    ];
    for (k, v) in fields {
        let _ = if md {
            writeln!(s, "- **{k}**: {v}")
        } else {
            writeln!(s, "{k:<10}{v}")
        };
    }
    for (name, text) in [
        ("Problem", &c.problem),
        ("Analysis", &c.analysis),
        ("Cause", &c.cause),
        ("Resolution", &c.resolution),
    ] {
        if !text.is_empty() {
            heading(&mut s, 2, name);
            let _ = writeln!(s, "{text}");
        }
    }
    for (name, list) in [("Steps", &c.steps), ("Diagnostics", &c.diagnostics)] {
        if !list.is_empty() {
            heading(&mut s, 2, name);
            for (i, item) in list.iter().enumerate() {
                let _ = writeln!(s, "{}. {item}", i + 1);
            }
        }
    }
    heading(&mut s, 2, "Messages");
    for m in &c.messages {
        let kind = format!("{:?} / {:?}", m.role, m.kind).to_lowercase();
        let title = format!("{}. {} — {} ({kind})", m.index, m.from, day(&m.date));
        heading(&mut s, 3, &title);
        let _ = writeln!(s, "{}", m.text);
    }
    s
}
