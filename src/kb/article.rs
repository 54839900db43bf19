//! One article from a group of cases that share a root cause.
//!
//! Takes the cases of a group (already redacted) and the tag rules, gives an [`Article`]: the text
//! fields come from the most complete case (resolved, most confident, most steps), falling back
//! field by field on the others; lists (products, error codes, environment, diagnostics) are the
//! union of all; the related-case table lists every case with its dates and effort. Every text
//! field passes the PII guard last.

use std::cmp::Ordering;
use std::sync::LazyLock;

use regex::Regex;

use super::guard;
use super::tags::{self, TagRule};
use crate::model::{Article, Case, RelatedCase, Status};

/// An article and the guard rules that fired while building it.
pub struct Built {
    pub article: Article,
    pub guard_fired: Vec<&'static str>,
}

/// Builds the article for `group` (at least one case).
pub fn build(group: &[&Case], tag_rules: &[TagRule]) -> Option<Built> {
    let first = *group.iter().min_by(|a, b| by_opened(a, b))?;
    let mut ranked: Vec<&Case> = group.to_vec();
    ranked.sort_by(|a, b| completeness(a, b));
    let first_text = |f: fn(&Case) -> &str| -> String {
        ranked
            .iter()
            .map(|c| f(c).trim())
            .find(|t| !t.is_empty())
            .unwrap_or("")
            .to_string()
    };

    let title = {
        let t = collapse(&first_text(|c| &c.title));
        if t.is_empty() {
            let p = first_text(|c| &c.problem);
            p.lines().next().unwrap_or("").chars().take(80).collect()
        } else {
            t
        }
    };
    let title = if title.is_empty() {
        first.id.clone()
    } else {
        title
    };
    let cause = match first_text(|c| &c.cause) {
        c if c.is_empty() => first_text(|c| &c.analysis),
        c => c,
    };
    let steps: Vec<String> = ranked
        .iter()
        .map(|c| &c.steps)
        .find(|s| !s.is_empty())
        .map(|s| {
            s.iter()
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let resolution = without_step_lines(&first_text(|c| &c.resolution), &steps);

    let union = |f: fn(&Case) -> &Vec<String>| -> Vec<String> {
        let mut all: Vec<String> = group.iter().flat_map(|c| f(c).iter().cloned()).collect();
        all.sort();
        all.dedup();
        all
    };
    let mut environment = union(|c| &c.entities.versions);
    environment.extend(
        union(|c| &c.entities.files)
            .into_iter()
            .filter(|f| is_component(f)),
    );
    let mut diagnostics: Vec<String> = Vec::new();
    for d in ranked.iter().flat_map(|c| c.diagnostics.iter()) {
        if let Some(d) = diagnostic_item(d) {
            if !diagnostics.contains(&d) {
                diagnostics.push(d);
            }
        }
    }

    let mut related: Vec<&Case> = group.to_vec();
    related.sort_by(|a, b| by_opened(a, b));
    let cases: Vec<RelatedCase> = related.iter().map(|c| related_case(c)).collect();
    // Tags say what the problem looked like, so they come from the title and symptoms only: a
    // fix that says "upgrade the agent" does not make a crash an upgrade problem.
    let tag_text: String = group
        .iter()
        .map(|c| format!("{}\n{}\n", c.title, c.problem))
        .collect();

    let mut article = Article {
        id: article_id(first),
        symptoms: without_title_line(&first_text(|c| &c.problem), &title),
        title,
        language: ranked
            .first()
            .map(|c| c.language.clone())
            .unwrap_or_default(),
        status: if group.iter().any(|c| c.status == Status::Resolved) {
            Status::Resolved
        } else {
            Status::Unresolved
        },
        tags: tags::tags(&tag_text, tag_rules),
        products: union(|c| &c.entities.products),
        error_codes: union(|c| &c.entities.error_codes),
        environment,
        cause,
        resolution,
        steps,
        diagnostics,
        created: group.iter().filter_map(|c| c.opened).min(),
        updated: group.iter().filter_map(|c| last_activity(c)).max(),
        cases,
    };
    let guard_fired = scrub_article(&mut article);
    Some(Built {
        article,
        guard_fired,
    })
}

/// Earliest opened first (unknown dates last), then by id.
fn by_opened(a: &Case, b: &Case) -> Ordering {
    match (a.opened, b.opened) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

/// The case whose text an article should be written from comes first: resolved, then the most
/// confident cause + resolution + steps, then the most steps, then the oldest.
fn completeness(a: &Case, b: &Case) -> Ordering {
    let conf = |c: &Case| c.confidence.cause + c.confidence.resolution + c.confidence.steps;
    (a.status != Status::Resolved)
        .cmp(&(b.status != Status::Resolved))
        .then_with(|| conf(b).total_cmp(&conf(a)))
        .then_with(|| b.steps.len().cmp(&a.steps.len()))
        .then_with(|| by_opened(a, b))
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

/// The article id (and file name): the first case's id and the ASCII words of its title, so it
/// stays the same across runs and does not depend on which case the text came from.
pub fn article_id(first: &Case) -> String {
    let id = slug(&first.id, usize::MAX);
    let words = slug(&first.title, 48);
    match (id.is_empty(), words.is_empty()) {
        (true, true) => "article".to_string(),
        (true, false) => words,
        (false, true) => id,
        (false, false) => format!("{id}-{words}"),
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

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
fn strip_numbering(s: &str) -> &str {
    match NUMBERING.find(s) {
        Some(m) => &s[m.end()..],
        None => s.trim_start(),
    }
}

/// File kinds that describe the customer's environment (installed components and their
/// configuration). Logs, dumps and archives are evidence from one case, not environment.
const COMPONENT_EXTENSIONS: &[&str] = &[
    "sys", "dll", "exe", "msi", "msu", "cab", "inf", "drv", "ocx", "so", "ko", "jar", "war", "ini",
    "conf", "config", "cfg", "yaml", "yml", "ps1", "iso", "wim",
];

fn is_component(file: &str) -> bool {
    file.rsplit_once('.')
        .is_some_and(|(_, ext)| COMPONENT_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The symptoms without a first line that only repeats the title (segmenters often start the
/// problem with the subject).
fn without_title_line(symptoms: &str, title: &str) -> String {
    match symptoms.split_once('\n') {
        Some((first, rest)) if first.trim() == title.trim() => rest.trim().to_string(),
        _ => symptoms.to_string(),
    }
}

/// Diagnostics as list items: numbering dropped (the template numbers nothing) and lines that
/// only introduce a list (`请协助收集以下信息：`) left out.
fn diagnostic_item(d: &str) -> Option<String> {
    let d = strip_numbering(d.trim()).trim();
    let intro = d.ends_with(':') || d.ends_with('：');
    (!d.is_empty() && !intro).then(|| d.to_string())
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
    fix(&mut a.symptoms);
    fix(&mut a.cause);
    fix(&mut a.resolution);
    a.steps.iter_mut().for_each(&mut fix);
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

    #[test]
    fn environment_keeps_components_and_diagnostics_drop_list_intros() {
        assert!(is_component("hxusbflt.SYS"));
        assert!(!is_component("MEMORY.DMP"));
        assert!(!is_component("cmbc-bsod-0307.zip"));
        assert_eq!(diagnostic_item("请协助收集以下信息："), None);
        assert_eq!(
            diagnostic_item(" 2. 执行 driverquery /v"),
            Some("执行 driverquery /v".to_string())
        );
        assert_eq!(
            diagnostic_item("3 dumps from the laptops"),
            Some("3 dumps from the laptops".to_string())
        );
        assert_eq!(
            diagnostic_item("（2）收集日志"),
            Some("收集日志".to_string())
        );
        assert_eq!(without_title_line("标题\n正文", "标题"), "正文");
        assert_eq!(without_title_line("正文\n标题", "标题"), "正文\n标题");
    }
}
