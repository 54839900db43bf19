//! Where an article's fields come from: the cases of its group ranked most complete first
//! (resolved, most confident, most steps), each text field taken from the first case that has it
//! and each list merged from all, every text made customer-neutral on the way.
//!
//! Takes the cases of one group and the run's [`Context`]; gives field values for
//! [`super::article::build`]. No I/O.

use std::cmp::Ordering;

use super::article::{by_opened, strip_numbering, Context};
use super::cite;
use super::neutral::{self, Neutral};
use crate::model::{Case, Cited, Status};

/// The cases of one article, most complete first, and the replacer that makes their text
/// customer-neutral: what each field of [`build`] is taken from.
pub(super) struct Sources<'a> {
    group: &'a [&'a Case],
    ranked: Vec<&'a Case>,
    pub(super) neutral: Neutral,
}

impl<'a> Sources<'a> {
    pub(super) fn new(group: &'a [&'a Case], ctx: &Context) -> Option<Self> {
        let mut ranked: Vec<&Case> = group.to_vec();
        ranked.sort_by(|a, b| completeness(a, b));
        let language = ranked.first()?.language.clone();
        let names = neutral::names(group, &ctx.config.customers);
        let neutral = ctx
            .neutral
            .borrow_mut()
            .entry((names, language))
            .or_insert_with_key(|(names, language)| Neutral::new(names, language))
            .clone();
        Some(Sources {
            group,
            ranked,
            neutral,
        })
    }

    /// The most complete case.
    pub(super) fn source(&self) -> &'a Case {
        self.ranked[0]
    }

    /// The first case (most complete first) with a non-empty field, and the field.
    pub(super) fn first_text(&self, f: fn(&Case) -> &str) -> Option<(&'a Case, String)> {
        self.ranked
            .iter()
            .map(|c| (*c, f(c).trim()))
            .find(|(_, t)| !t.is_empty())
            .map(|(c, t)| (c, t.to_string()))
    }

    /// A case's text as cited sentences, made neutral.
    pub(super) fn cited(&self, found: Option<(&Case, String)>) -> Vec<Cited> {
        found
            .map(|(c, t)| {
                cite::cite(c, &t)
                    .into_iter()
                    .map(|mut x| {
                        x.text = self.neutral.text(&x.text);
                        x
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One list of every case, merged, sorted and without repeats.
    pub(super) fn union(&self, f: fn(&Case) -> &Vec<String>) -> Vec<String> {
        let mut all: Vec<String> = self
            .group
            .iter()
            .flat_map(|c| f(c).iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The title before neutralising: the first title, else the problem's first line.
    pub(super) fn raw_title(&self) -> String {
        self.first_text(|c| &c.title)
            .map(|(_, t)| collapse(&t))
            .or_else(|| {
                self.first_text(|c| &c.problem)
                    .map(|(_, p)| p.lines().next().unwrap_or("").chars().take(80).collect())
            })
            .unwrap_or_default()
    }

    /// The steps of the first case that has any, cited and neutral, and their plain texts.
    pub(super) fn steps(&self) -> (Vec<Cited>, Vec<String>) {
        let Some(c) = self
            .ranked
            .iter()
            .find(|c| c.steps.iter().any(|s| !s.trim().is_empty()))
        else {
            return (Vec::new(), Vec::new());
        };
        let cited = c
            .steps
            .iter()
            .map(|x| x.trim())
            .filter(|x| !x.is_empty())
            .map(|x| {
                let mut cited = cite::cite_whole(c, x);
                cited.text = self.neutral.text(&cited.text);
                cited
            })
            .collect();
        (
            cited,
            c.steps.iter().map(|x| x.trim().to_string()).collect(),
        )
    }

    /// Versions and component files of every case, neutral.
    pub(super) fn environment(&self) -> Vec<String> {
        let mut environment = self.union(|c| &c.entities.versions);
        environment.extend(
            self.union(|c| &c.entities.files)
                .into_iter()
                .filter(|f| is_component(f)),
        );
        environment.iter().map(|e| self.neutral.text(e)).collect()
    }

    /// The diagnostics support asked for, most complete case first, neutral, without repeats.
    pub(super) fn diagnostics(&self) -> Vec<String> {
        let mut diagnostics: Vec<String> = Vec::new();
        for d in self.ranked.iter().flat_map(|c| c.diagnostics.iter()) {
            if let Some(d) = diagnostic_item(d) {
                let d = self.neutral.text(&d);
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            }
        }
        diagnostics
    }
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

pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
pub(super) fn without_title_line(symptoms: &str, title: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
