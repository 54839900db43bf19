//! `casebook search QUERY [--limit N] [--json] [filters]`: the best matching cases with a snippet
//! each. Matched words are coloured only when stdout is a terminal.

use std::io::IsTerminal;
use std::process::ExitCode;

use casebook::index::{Hit, SearchRequest, Thesaurus};

use super::args::{LibraryArgs, OutputArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Words, technical tokens, "quoted phrases", -excluded words, field:value filters (status,
    /// customer, code, file, lang, product); several arguments are joined by spaces.
    #[arg(required = true)]
    query: Vec<String>,
    /// How many hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    limit: usize,
    #[command(flatten)]
    output: OutputArgs,
    /// Only cases of this customer.
    #[arg(long)]
    customer: Option<String>,
    /// Only cases that mention this product.
    #[arg(long)]
    product: Option<String>,
    /// Only `resolved` or `unresolved` cases.
    #[arg(long)]
    status: Option<String>,
    /// Only cases opened on or after this day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Only cases opened on or before this day (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Only cases in this language (`zh`, `en`).
    #[arg(long)]
    lang: Option<String>,
    #[command(flatten)]
    pub(super) library: LibraryArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (config, mut store) = args.library.open()?;
    store.set_thesaurus(Thesaurus::with_config(&config.search));
    let req = SearchRequest {
        query: args.query.join(" "),
        limit: args.limit,
        customer: args.customer,
        product: args.product,
        status: args.status,
        lang: args.lang,
        since: args.since,
        until: args.until,
    };
    let results = store.search(&req)?;
    if args.output.json {
        println!("{}", serde_json::to_string(&results)?);
        return Ok(ExitCode::SUCCESS);
    }
    let colour = std::io::stdout().is_terminal();
    for hit in &results.hits {
        println!(
            "{}  [{}]  {:.2}  {}",
            hit.id, hit.status, hit.score, hit.title
        );
        println!("    {}", render_snippet(hit, colour));
    }
    println!("{} of {} matching cases", results.hits.len(), results.total);
    Ok(ExitCode::SUCCESS)
}

/// The snippet with its matched words in bold red (when `colour`).
fn render_snippet(hit: &Hit, colour: bool) -> String {
    if !colour {
        return hit.snippet.clone();
    }
    let mut out = String::new();
    let mut at = 0;
    for &(from, to) in &hit.highlights {
        let (Some(before), Some(word)) = (hit.snippet.get(at..from), hit.snippet.get(from..to))
        else {
            continue;
        };
        out.push_str(before);
        out.push_str("\x1b[1;31m");
        out.push_str(word);
        out.push_str("\x1b[0m");
        at = to;
    }
    out.push_str(hit.snippet.get(at..).unwrap_or(""));
    out
}
