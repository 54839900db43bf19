//! Cleaning: each body reduced to what its author wrote, and templated status pings marked.
//!
//! Takes threads (or one body and the [`Rules`]); gives `Cleaned` values: the new text, the
//! greeting kept apart, and every removed span with its reason and the name of the rule that
//! fired (nothing removed is lost). The steps follow corpus/README.md's convention in order:
//! quoted history ([`quote`]), banners, disclaimers, the greeting, the signature ([`signature`]),
//! whitespace. Status pings are scored afterwards across all threads at once ([`pings`], on the
//! fingerprints of [`shingle`]), since a template shows only by recurring. Rules are data
//! ([`rules`]), extended by `[clean]`.

pub mod pings;
pub mod quote;
pub mod rules;
pub mod shingle;
pub mod signature;

use serde::Deserialize;

use crate::model::{CleanThread, Cleaned, Removal, RemovalReason, Thread};

pub use rules::{Rule, Rules};

/// The `[clean]` section of `casebook.toml`: extra line patterns (regexes matched against a
/// trimmed line) added to the built-in tables, and the status-ping thresholds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanConfig {
    /// Lines that start quoted history (everything below is removed).
    pub quotes: Vec<String>,
    /// External-mail banner lines (or line prefixes).
    pub banners: Vec<String>,
    /// First lines of legal notices (their paragraph is removed).
    pub disclaimers: Vec<String>,
    /// Company signature lines (`^Northwind Systems Support$`): removed from the end, and a
    /// sign-off starting with one is cut like a closing.
    pub signatures: Vec<String>,
    /// Extra closing lines (`^Mit freundlichen Grüßen$`).
    pub closings: Vec<String>,
    /// Lines of the team's follow-up templates: they count as template text for status pings.
    pub boilerplate: Vec<String>,
    /// Thresholds of the status-ping decision.
    pub pings: pings::PingConfig,
}

impl CleanConfig {
    /// Checks the user's patterns compile; the message names the bad one.
    pub fn check(&self) -> Result<(), String> {
        Rules::from_config(self).map(|_| ())
    }
}

/// Cleans every message of every thread and marks status pings across all of them.
pub fn clean_threads(threads: Vec<Thread>, config: &CleanConfig) -> Vec<CleanThread> {
    // A bad pattern was reported by `check` when the config was read; here the built-ins stand.
    let rules = Rules::from_config(config).unwrap_or_default();
    let cleaned = par_map(&threads, |t| {
        t.messages
            .iter()
            .map(|m| clean_body(&m.body, &rules))
            .collect::<Vec<_>>()
    });
    let mut out: Vec<CleanThread> = threads
        .into_iter()
        .zip(cleaned)
        .map(|(thread, cleaned)| CleanThread { thread, cleaned })
        .collect();
    let docs: Vec<pings::Doc> = out
        .iter()
        .enumerate()
        .flat_map(|(t, ct)| {
            ct.cleaned.iter().map(move |c| pings::Doc {
                thread: t,
                text: c.text.as_str(),
            })
        })
        .collect();
    let scores = pings::score(&docs, &rules.boilerplate, &config.pings);
    let mut scores = scores.into_iter();
    for ct in &mut out {
        for c in &mut ct.cleaned {
            if let Some(s) = scores.next() {
                c.boilerplate = s.boilerplate;
                c.status_ping = s.ping;
            }
        }
    }
    out
}

/// Below this many items per worker, threads cost more than they save.
const MIN_PARALLEL_CHUNK: usize = 64;

/// Maps `f` over `items` in contiguous chunks on the machine's cores, keeping input order.
/// Cleaning and shingling are pure and independent per message, so plain scoped threads do.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len() / MIN_PARALLEL_CHUNK);
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            // A panic in a worker is a bug; re-raise it rather than lose results silently.
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The lines of a body being cleaned: trimmed text, whether each is still kept, and what was
/// removed so far.
struct Work {
    lines: Vec<String>,
    keep: Vec<bool>,
    removed: Vec<Removal>,
}

impl Work {
    /// Removes the still-kept lines of `range`, recording them as one span.
    fn remove(&mut self, range: std::ops::Range<usize>, reason: RemovalReason, rule: &str) {
        let mut text: Vec<&str> = Vec::new();
        for i in range {
            if self.keep[i] {
                self.keep[i] = false;
                text.push(&self.lines[i]);
            }
        }
        let text = normalize_lines(text.into_iter());
        if !text.is_empty() {
            self.removed.push(Removal {
                reason,
                rule: rule.to_string(),
                text,
            });
        }
    }

    /// Indexes of kept, non-blank lines.
    fn kept(&self) -> Vec<usize> {
        (0..self.lines.len())
            .filter(|&i| self.keep[i] && !self.lines[i].is_empty())
            .collect()
    }

    /// The end of the paragraph starting at `i` (the next blank line or the end).
    fn paragraph_end(&self, i: usize) -> usize {
        (i + 1..self.lines.len())
            .find(|&j| self.lines[j].is_empty())
            .unwrap_or(self.lines.len())
    }
}

/// Reduces one body to what its author wrote (status-ping fields are left at their defaults:
/// they need the other messages, see [`clean_threads`]).
pub fn clean_body(body: &str, rules: &Rules) -> Cleaned {
    let lines: Vec<String> = body.lines().map(|l| l.trim().to_string()).collect();
    let n = lines.len();
    let mut w = Work {
        keep: vec![true; n],
        lines,
        removed: Vec::new(),
    };

    if let Some((start, rule)) = quote::quote_start(&w.lines, rules) {
        let name = rule.name.clone();
        w.remove(start..n, RemovalReason::Quote, &name);
    }
    for run in quote::marker_runs(&w.lines, &w.keep) {
        w.remove(run, RemovalReason::Quote, "quote-marker");
    }
    strip_banners(&mut w, rules);
    for i in 0..n {
        if !w.keep[i] || w.lines[i].is_empty() {
            continue;
        }
        if let Some(rule) = rules::first_match(&rules.disclaimers, &w.lines[i]) {
            let name = rule.name.clone();
            let end = w.paragraph_end(i);
            w.remove(i..end, RemovalReason::Disclaimer, &name);
        }
    }

    let mut greeting = None;
    if let Some(&first) = w.kept().first() {
        if rules::first_match(&rules.greetings, &w.lines[first]).is_some() {
            greeting = Some(w.lines[first].clone());
            w.keep[first] = false;
        }
    }

    let kept = w.kept();
    if let Some(cut) = signature::signature_cut(&w.lines, &kept, rules) {
        w.remove(cut.start..n, RemovalReason::Signature, &cut.rule);
    }
    let kept = w.kept();
    if let Some(cut) = signature::trailing_cut(&w.lines, &kept, rules) {
        w.remove(cut.start..n, RemovalReason::Signature, &cut.rule);
    }
    let kept = w.kept();
    if let Some(cut) = signature::name_block_cut(&w.lines, &kept, rules) {
        w.remove(cut.start..n, RemovalReason::Signature, &cut.rule);
    }

    let text = normalize_lines((0..n).filter(|&i| w.keep[i]).map(|i| w.lines[i].as_str()));
    Cleaned {
        text,
        greeting,
        removed: w.removed,
        status_ping: false,
        boilerplate: 0.0,
    }
}

/// Banner lines go whole; a banner glued in front of the first words of a line
/// (`【外来邮件，注意核实】王工 您好：`) is cut off and the words stay. A sentence banner
/// (`CAUTION: This email originated from outside…`) takes its wrapped continuation lines too: it
/// goes on while a line does not end a sentence.
fn strip_banners(w: &mut Work, rules: &Rules) {
    for i in 0..w.lines.len() {
        while w.keep[i] && !w.lines[i].is_empty() {
            let Some(rule) = rules::first_match(&rules.banners, &w.lines[i]) else {
                break;
            };
            let Some(m) = rule.regex.find(&w.lines[i]) else {
                break;
            };
            let rest = w.lines[i][m.end()..].trim().to_string();
            if rest.is_empty() {
                w.remove(i..i + 1, RemovalReason::Banner, &rule.name);
            } else {
                w.removed.push(Removal {
                    reason: RemovalReason::Banner,
                    rule: rule.name.to_string(),
                    text: m.as_str().trim().to_string(),
                });
                w.lines[i] = rest;
            }
        }
        if !w.keep[i] || w.lines[i].is_empty() {
            continue;
        }
        if let Some(rule) = rules::first_match(&rules.paragraph_banners, &w.lines[i]) {
            let name = rule.name.clone();
            let mut end = i + 1;
            while end < w.lines.len()
                && !ends_sentence(&w.lines[end - 1])
                && !w.lines[end].is_empty()
                && rules::first_match(&rules.greetings, &w.lines[end]).is_none()
            {
                end += 1;
            }
            w.remove(i..end, RemovalReason::Banner, &name);
        }
    }
}

fn ends_sentence(line: &str) -> bool {
    matches!(
        line.chars().last(),
        Some('.' | '。' | '!' | '！' | '?' | '？')
    )
}

/// The whitespace convention: lines trimmed, blank lines at both ends dropped, runs of blank
/// lines collapsed to one.
pub fn normalize_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines.map(str::trim) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last() == Some(&"") {
        out.pop();
    }
    out.join("\n")
}

/// The whitespace convention applied to a whole text.
pub fn normalize_whitespace(text: &str) -> String {
    normalize_lines(text.lines())
}

#[cfg(test)]
mod tests;
