//! Snippets: the passage of a hit that best shows why it matched, with the matched words' byte
//! ranges so the CLI can colour them.
//!
//! The case's summary fields are tried before the conversation, because a match in the problem or
//! the resolution says more about the case than one in a status ping.

use std::collections::BTreeMap;

use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::analyzer::CasebookTokenizer;
use super::query::Group;
use super::schema::Fields;
use crate::model::Case;

/// Characters in a snippet.
const SNIPPET_CHARS: usize = 160;
/// How much of the conversation is looked through for a snippet (bytes).
const BODY_WINDOW: usize = 16 * 1024;

/// Snippet generators for the tokens of `groups`, rarer tokens weighing more: first the tokens
/// as typed (`zk_hook.dll`), then with their parts (`zk`, `hook`) for cases that only have those.
pub(super) struct Generators(Vec<SnippetGenerator>);

pub(super) fn generators(searcher: &Searcher, fields: &Fields, groups: &[Group]) -> Generators {
    let whole = groups.iter().flat_map(|g| {
        g.alternatives
            .iter()
            .take(1)
            .flat_map(|(seq, _)| seq.iter().map(|(_, t)| t))
    });
    let parts = groups.iter().flat_map(|g| {
        g.alternatives
            .iter()
            .skip(1)
            .flat_map(|(seq, _)| seq.iter().map(|(_, t)| t))
            .chain(g.extras.iter().map(|(t, _)| t))
    });
    let make = |tokens: &mut dyn Iterator<Item = &String>| {
        let mut terms: BTreeMap<String, f32> = BTreeMap::new();
        for t in tokens {
            let df = searcher
                .doc_freq(&Term::from_field_text(fields.body, t))
                .unwrap_or(0);
            terms.insert(t.clone(), 1.0 / (1.0 + df as f32));
        }
        SnippetGenerator::new(
            terms,
            TextAnalyzer::from(CasebookTokenizer),
            fields.body,
            SNIPPET_CHARS,
        )
    };
    let first = make(&mut whole.clone());
    let second = make(&mut whole.chain(parts));
    Generators(vec![first, second])
}

/// The snippet for `case` and the byte ranges of its highlighted words. Line breaks become spaces
/// (same length, so the ranges hold).
pub(super) fn snippet(generators: &Generators, case: &Case) -> (String, Vec<(usize, usize)>) {
    let mut body = String::new();
    for m in &case.messages {
        if body.len() >= BODY_WINDOW {
            break;
        }
        body.push_str(&m.text);
        body.push('\n');
    }
    let candidates = [
        case.problem.as_str(),
        case.resolution.as_str(),
        case.cause.as_str(),
        case.analysis.as_str(),
        body.as_str(),
        case.title.as_str(),
    ];
    for generator in &generators.0 {
        for text in candidates.iter().filter(|t| !t.is_empty()) {
            let s = generator.snippet(text);
            if !s.highlighted().is_empty() {
                let ranges = merge(s.highlighted().iter().map(|r| (r.start, r.end)).collect());
                return (flatten(s.fragment()), ranges);
            }
        }
    }
    let first = candidates
        .iter()
        .find(|t| !t.is_empty())
        .copied()
        .unwrap_or("");
    let end = first
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(first.len(), |(i, _)| i);
    (flatten(&first[..end]), Vec::new())
}

/// A technical token and its parts are all highlighted (`zk_hook.dll` and `zk`); one range
/// covering them reads better and keeps the ranges disjoint for colouring.
fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

fn flatten(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}
