//! One article from a group of cases that share a root cause.
//!
//! Takes the cases of a group (already redacted) and the tag rules, gives an [`Article`]: the text
//! fields come from the most complete case (resolved, most confident, most steps), falling back
//! field by field on the others; lists (products, error codes, environment, diagnostics) are the
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

use super::neutral::{self, Neutral};
use super::tags;
use super::{cite, guard, kcs, KbConfig};
use crate::model::{Article, Case, Cited, RelatedCase, Status};
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
    let mut ranked: Vec<&Case> = group.to_vec();
    ranked.sort_by(|a, b| completeness(a, b));
    let source = *ranked.first()?;
    let language = source.language.clone();
    let names = neutral::names(group, &ctx.config.customers);
    let neutral = ctx
        .neutral
        .borrow_mut()
        .entry((names, language.clone()))
        .or_insert_with_key(|(names, language)| Neutral::new(names, language))
        .clone();
    // The first case (most complete first) with a non-empty field, and the field.
    let first_text = |f: fn(&Case) -> &str| -> Option<(&Case, String)> {
        ranked
            .iter()
            .map(|c| (*c, f(c).trim()))
            .find(|(_, t)| !t.is_empty())
            .map(|(c, t)| (c, t.to_string()))
    };
    let cited = |found: Option<(&Case, String)>| -> Vec<Cited> {
        found
            .map(|(c, t)| {
                cite::cite(c, &t)
                    .into_iter()
                    .map(|mut x| {
                        x.text = neutral.text(&x.text);
                        x
                    })
                    .collect()
            })
            .unwrap_or_default()
    };

    let raw_title = first_text(|c| &c.title)
        .map(|(_, t)| collapse(&t))
        .or_else(|| {
            first_text(|c| &c.problem)
                .map(|(_, p)| p.lines().next().unwrap_or("").chars().take(80).collect())
        })
        .unwrap_or_default();
    let title = with_key_entities(&neutral.title(&raw_title), source);
    let title = if title.is_empty() {
        first.id.clone()
    } else {
        title
    };
    let cause = cited(first_text(|c| &c.cause).or_else(|| first_text(|c| &c.analysis)));
    let steps_of = ranked
        .iter()
        .find(|c| c.steps.iter().any(|s| !s.trim().is_empty()));
    let steps: Vec<Cited> = steps_of
        .map(|c| {
            c.steps
                .iter()
                .map(|x| x.trim())
                .filter(|x| !x.is_empty())
                .map(|x| {
                    let mut cited = cite::cite_whole(c, x);
                    cited.text = neutral.text(&cited.text);
                    cited
                })
                .collect()
        })
        .unwrap_or_default();
    let step_texts: Vec<String> = steps_of
        .map(|c| c.steps.iter().map(|x| x.trim().to_string()).collect())
        .unwrap_or_default();
    let resolution =
        cited(first_text(|c| &c.resolution).map(|(c, t)| (c, without_step_lines(&t, &step_texts))));
    let symptoms =
        cited(first_text(|c| &c.problem).map(|(c, t)| (c, without_title_line(&t, &raw_title))));

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
            let d = neutral.text(&d);
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
    let updated = group.iter().filter_map(|c| last_activity(c)).max();

    let mut article = Article {
        id: article_id(first),
        title,
        language,
        status: if group.iter().any(|c| c.status == Status::Resolved) {
            Status::Resolved
        } else {
            Status::Unresolved
        },
        state: kcs::state(group, updated, ctx.reference, ctx.config),
        customers: union_opt(group.iter().filter_map(|c| c.customer.clone())),
        tags: tags::tags(&tag_text, ctx.tag_rules),
        products: crate::extract::distinct(&union(|c| &c.entities.products)),
        error_codes: crate::extract::distinct(&union(|c| &c.entities.error_codes)),
        symptoms,
        environment: environment.iter().map(|e| neutral.text(e)).collect(),
        cause,
        resolution,
        steps,
        diagnostics,
        created: group.iter().filter_map(|c| c.opened).min(),
        updated,
        cases,
    };
    let guard_fired = scrub_article(&mut article);
    Some(Built {
        article,
        guard_fired,
    })
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
pub fn strip_numbering(s: &str) -> &str {
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
