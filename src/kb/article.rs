//! One article from a group of cases that share a root cause.
//!
//! Takes the cases of a group (already redacted) and the tag rules, gives an [`Article`]: the text
//! fields come from the most complete case (resolved, most confident, most steps), falling back
//! field by field on the others (`sources`); lists (products, error codes, environment, diagnostics) are the
//! union of all; the related-case table lists every case with its dates and effort. Text is cut
//! into cited sentences (`cite`), customer names are replaced (`neutral`), the title names the
//! key product, version and error, the KCS state is decided (`kcs`), and every text field passes
//! the PII guard last.

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use chrono::{DateTime, Utc};

use super::neutral::Neutral;
use super::sources::{collapse, without_title_line, Sources};
use super::{cite, guard, kcs, tags, KbConfig};
use crate::model::{Article, Case, RelatedCase, Status};
use crate::rule::Rule;

/// An article and the guard rules that fired while building it.
pub struct Built {
    pub article: Article,
    pub guard_fired: Vec<&'static str>,
}

/// What every article of one run shares.
pub struct Context<'a> {
    pub tag_rules: &'a [Rule],
    pub config: &'a KbConfig,
    /// The latest activity in the library: the day KCS ages are counted to.
    pub reference: Option<DateTime<Utc>>,
    /// Replacers already built, by names and language: most articles of one customer share one.
    pub neutral: RefCell<HashMap<(Vec<String>, String), Neutral>>,
}

/// Builds the article for `group` (at least one case).
pub fn build(group: &[&Case], ctx: &Context) -> Option<Built> {
    let first = *group.iter().min_by(|a, b| a.id.cmp(&b.id))?;
    let src = Sources::new(group, ctx)?;
    let raw_title = src.raw_title();
    let title = with_key_entities(&src.neutral.title(&raw_title), src.source());
    let (steps, step_texts) = src.steps();
    let resolution = src.cited(
        src.first_text(|c| &c.resolution)
            .map(|(c, t)| (c, without_step_lines(&t, &step_texts))),
    );
    let updated = group.iter().filter_map(|c| last_activity(c)).max();
    let mut article = Article {
        id: article_id(first),
        title: if title.is_empty() {
            first.id.clone()
        } else {
            title
        },
        language: src.source().language.clone(),
        status: if group.iter().any(|c| c.status == Status::Resolved) {
            Status::Resolved
        } else {
            Status::Unresolved
        },
        state: kcs::state(group, updated, ctx.reference, ctx.config),
        customers: union_opt(group.iter().filter_map(|c| c.customer.clone())),
        tags: tags::tags(&tag_text(group), ctx.tag_rules),
        // A token both lists hold (`HX-5031`) is shown as the error code it mostly is.
        products: crate::extract::distinct(&src.union(|c| &c.entities.products))
            .into_iter()
            .filter(|p| !group.iter().any(|c| c.entities.error_codes.contains(p)))
            .collect(),
        error_codes: crate::extract::distinct(&src.union(|c| &c.entities.error_codes)),
        symptoms: src.cited(
            src.first_text(|c| &c.problem)
                .map(|(c, t)| (c, without_title_line(&t, &raw_title))),
        ),
        environment: src.environment(),
        cause: src.cited(
            src.first_text(|c| &c.cause)
                .or_else(|| src.first_text(|c| &c.analysis)),
        ),
        resolution,
        steps,
        diagnostics: src.diagnostics(),
        created: group.iter().filter_map(|c| c.opened).min(),
        updated,
        cases: related_cases(group),
    };
    let guard_fired = scrub_article(&mut article);
    Some(Built {
        article,
        guard_fired,
    })
}

/// Tags say what the problem looked like, so they come from the titles and symptoms only: a fix
/// that says "upgrade the agent" does not make a crash an upgrade problem.
fn tag_text(group: &[&Case]) -> String {
    group
        .iter()
        .map(|c| format!("{}\n{}\n", c.title, c.problem))
        .collect()
}

/// The group's cases, oldest first.
fn related_cases(group: &[&Case]) -> Vec<RelatedCase> {
    let mut related: Vec<&Case> = group.to_vec();
    related.sort_by(|a, b| by_opened(a, b));
    related.iter().map(|c| related_case(c)).collect()
}

fn union_opt(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut all: Vec<String> = items.filter(|s| !s.trim().is_empty()).collect();
    all.sort();
    all.dedup();
    all
}

/// The title with the key product, version and error code of the problem appended, each only
/// when the title names none of its kind: the first of the case's extracted ones that the title
/// or the problem's opening sentence states, so nothing is invented.
fn with_key_entities(title: &str, case: &Case) -> String {
    let opening = cite::sentences(&case.problem)
        .into_iter()
        .next()
        .unwrap_or_default();
    let stated = format!("{}\n{opening}", case.title).to_lowercase();
    let lower = title.to_lowercase();
    let e = &case.entities;
    let mut extra: Vec<&str> = Vec::new();
    for list in [&e.products, &e.versions, &e.error_codes] {
        if list
            .iter()
            .any(|v| !v.is_empty() && lower.contains(&v.to_lowercase()))
        {
            continue;
        }
        let found = list
            .iter()
            .find(|v| !v.is_empty() && stated.contains(&v.to_lowercase()));
        if let Some(v) = found {
            let v_lower = v.to_lowercase();
            // `Windows` then `Windows Server 2019`: the longer one says both.
            extra.retain(|x| !v_lower.contains(&x.to_lowercase()));
            if !extra.iter().any(|x| x.to_lowercase().contains(&v_lower)) {
                extra.push(v);
            }
        }
    }
    if extra.is_empty() || title.is_empty() {
        return title.to_string();
    }
    if case.language == "zh" {
        format!("{title}（{}）", extra.join("，"))
    } else {
        format!("{title} ({})", extra.join(", "))
    }
}

/// Earliest opened first (unknown dates last), then by id.
pub(super) fn by_opened(a: &Case, b: &Case) -> Ordering {
    match (a.opened, b.opened) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

fn last_activity(c: &Case) -> Option<chrono::DateTime<chrono::Utc>> {
    c.closed
        .or_else(|| c.messages.iter().filter_map(|m| m.date).max())
        .or(c.opened)
}

fn related_case(c: &Case) -> RelatedCase {
    RelatedCase {
        id: c.id.clone(),
        title: collapse(&c.title),
        opened: c.opened,
        closed: c.closed,
        emails: c.messages.len(),
        days_to_resolve: match (c.opened, c.closed) {
            (Some(o), Some(cl)) if cl >= o => Some((cl - o).num_days()),
            _ => None,
        },
    }
}

/// A new article's id: its lowest case id as a slug. `ids` keeps it from then on, whichever
/// cases join or leave.
pub fn article_id(first: &Case) -> String {
    let id = slug(&first.id, usize::MAX);
    if id.is_empty() {
        "article".to_string()
    } else {
        id
    }
}

/// An article's file name without extension: its id and the ASCII words of its title.
pub fn file_stem(id: &str, title: &str) -> String {
    let words = slug(title, 48);
    if words.is_empty() {
        id.to_string()
    } else {
        format!("{id}-{words}")
    }
}

/// Lower-case ASCII letters and digits joined by single hyphens, cut at a hyphen near `max`.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for part in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() && out.len() + 1 + part.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&part.to_ascii_lowercase());
    }
    out.chars().take(max).collect()
}

/// The resolution text often repeats the numbered steps the article lists below it; lines that
/// are one of the steps are dropped from the prose so each step appears once.
fn without_step_lines(resolution: &str, steps: &[String]) -> String {
    let bare = |s: &str| -> String {
        strip_numbering(s)
            .trim_end_matches(|c: char| c.is_whitespace() || "。.;；,，".contains(c))
            .to_string()
    };
    let steps: Vec<String> = steps.iter().map(|s| bare(s)).collect();
    resolution
        .lines()
        .filter(|l| {
            let b = bare(l);
            b.is_empty() || !steps.contains(&b)
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// A list item's number or bullet: `1. `, `2）`, `(3)`, `（4）`, `①`, `- `, `* `, `• `.
#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\d{1,2}\s*[.)）、]|[(（]\d{1,2}[)）]|[\x{2460}-\x{2473}]|[-*•])\s*")
        .expect("static regex")
});

/// A list item without its number or bullet (`3 dumps` keeps its 3).
pub fn strip_numbering(s: &str) -> &str {
    match NUMBERING.find(s) {
        Some(m) => &s[m.end()..],
        None => s.trim_start(),
    }
}

/// Runs the PII guard over every published text field.
fn scrub_article(a: &mut Article) -> Vec<&'static str> {
    let mut fired = Vec::new();
    let mut fix = |s: &mut String| {
        let (clean, f) = guard::scrub(s);
        if !f.is_empty() {
            *s = clean;
            fired.extend(f);
        }
    };
    fix(&mut a.title);
    for c in a
        .symptoms
        .iter_mut()
        .chain(a.cause.iter_mut())
        .chain(a.resolution.iter_mut())
        .chain(a.steps.iter_mut())
    {
        fix(&mut c.text);
    }
    a.diagnostics.iter_mut().for_each(&mut fix);
    a.environment.iter_mut().for_each(&mut fix);
    a.tags.iter_mut().for_each(&mut fix);
    a.products.iter_mut().for_each(&mut fix);
    for c in &mut a.cases {
        fix(&mut c.title);
    }
    fired
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_ascii_words_and_stop_at_a_word_boundary() {
        assert_eq!(slug("CAS-06616-G5Z4X1", usize::MAX), "cas-06616-g5z4x1");
        assert_eq!(slug("工行广东分行升级失败", 48), "");
        assert_eq!(
            slug("Backup job fails: 0x80070005 (NAS)", 24),
            "backup-job-fails"
        );
    }

    #[test]
    fn resolution_lines_repeating_a_step_are_dropped() {
        let steps = vec![
            "禁用zkcloud相关应用和服务".to_string(),
            "Re-run the job".to_string(),
        ];
        assert_eq!(
            without_step_lines(
                "请进行以下测试：\n1）禁用zkcloud相关应用和服务。\n2. Re-run the job\n完成后反馈。",
                &steps
            ),
            "请进行以下测试：\n完成后反馈。"
        );
        assert_eq!(
            without_step_lines(
                "① Upgrade the agent.\n② Reboot",
                &["Upgrade the agent".into()]
            ),
            "② Reboot"
        );
    }
}
