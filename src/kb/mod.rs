//! KB articles: cases grouped by recurring problem, rendered through templates into Markdown (and
//! HTML), with an index for the site.
//!
//! Takes cases (redacted, as the store holds them) and the `[kb]` config; gives articles and the
//! merge decisions behind them ([`articles`]), then files ([`site::render_site`]). Everything here
//! is pure except [`site::write_site`]: the same cases give byte-identical files, because cases
//! are sorted first, every list is sorted, and dates come from the cases, never from the clock.
//!
//! - `group`: which cases share a root cause (key entities + similar fix text).
//! - `article`: a group of cases → one [`Article`].
//! - `tags`, `guard`: tag rules and the final PII check.
//! - `escape`, `render`: Markdown/YAML escaping and the minijinja templates.
//! - `site`: the index, SUMMARY.md, HTML pages and writing them.

mod article;
mod escape;
mod group;
mod guard;
mod render;
mod site;
mod tags;

use serde::{Deserialize, Serialize};

use crate::model::{Article, Case, Status};

pub use article::{article_id, slug};
pub use escape::{code_span, markdown_block, markdown_inline};
pub use group::MergeDecision;
pub use guard::scrub;
pub use render::{Templates, BUILTIN as BUILTIN_TEMPLATES};
pub use site::{markdown_to_html, render_site, write_site, Format, SiteFile};
pub use tags::TagRule;

/// The `[kb]` section of `casebook.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KbConfig {
    /// A pair of cases with a score at or above this is merged into one article. The default sits
    /// midway: on `corpus/` the gold pairs score 0.32 and 0.54 and the closest other pair 0.10;
    /// on cases built from the gold labels alone, 0.42 and 0.61 against 0.16.
    pub merge_threshold: f32,
    /// Share of the score given to the entity overlap (the rest goes to the fix-text overlap).
    pub entity_weight: f32,
    /// Pairs scoring at least this are reported even when not merged.
    pub report_floor: f32,
    /// A key entity found in more cases than this is treated as common, not as a root cause.
    pub max_key_cases: usize,
    /// Unresolved cases get articles too (`--include-unresolved`).
    pub include_unresolved: bool,
    /// Extra tag rules, after the built-in ones.
    pub tags: Vec<TagRule>,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            merge_threshold: 0.24,
            entity_weight: 0.5,
            report_floor: 0.1,
            max_key_cases: 500,
            include_unresolved: false,
            tags: Vec::new(),
        }
    }
}

/// What [`articles`] did besides the articles: the decisions and the counts a summary line needs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    pub cases: usize,
    pub skipped_unresolved: usize,
    pub articles: usize,
    /// Articles built from more than one case.
    pub merged_articles: usize,
    pub decisions: Vec<MergeDecision>,
    /// `(article id, guard rule)` for every email or phone number the final guard removed.
    pub guard: Vec<(String, String)>,
}

/// Cases → articles, one per recurring problem, sorted by id; plus the merge decisions.
pub fn articles(cases: &[Case], config: &KbConfig) -> (Vec<Article>, Vec<MergeDecision>) {
    let (articles, report) = build(cases, config);
    (articles, report.decisions)
}

/// [`articles`] with the whole report (counts, decisions, guard hits) for the CLI's summary.
pub fn build(cases: &[Case], config: &KbConfig) -> (Vec<Article>, Report) {
    let mut kept: Vec<&Case> = cases
        .iter()
        .filter(|c| config.include_unresolved || c.status == Status::Resolved)
        .collect();
    kept.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let (groups, decisions) = group::group(&kept, config);
    let tag_rules = tags::rules(&config.tags);
    let mut out = Vec::with_capacity(groups.len());
    let mut guard = Vec::new();
    for g in &groups {
        let members: Vec<&Case> = g.iter().map(|&i| kept[i]).collect();
        if let Some(built) = article::build(&members, &tag_rules) {
            guard.extend(
                built
                    .guard_fired
                    .iter()
                    .map(|r| (built.article.id.clone(), r.to_string())),
            );
            out.push(built.article);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    dedup_ids(&mut out);
    let report = Report {
        cases: cases.len(),
        skipped_unresolved: cases.len() - kept.len(),
        articles: out.len(),
        merged_articles: out.iter().filter(|a| a.cases.len() > 1).count(),
        decisions,
        guard,
    };
    (out, report)
}

/// Two articles can only share an id when two cases share an id (a store never holds that, but
/// hand-fed cases might): later ones get `-2`, `-3`… so no file overwrites another.
fn dedup_ids(articles: &mut [Article]) {
    let mut used = std::collections::HashSet::with_capacity(articles.len());
    for a in articles.iter_mut() {
        let base = a.id.clone();
        let mut n = 1;
        while !used.insert(a.id.clone()) {
            n += 1;
            a.id = format!("{base}-{n}");
        }
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::case;
    use super::*;

    fn backup_pair() -> Vec<Case> {
        let mut a = case(
            "CAS-10001-ABC123",
            1,
            "Backup job fails with 0x80070005",
            "The backup service account lost its rights on the VSS writer.",
            "Grant the service account Backup Operators rights.",
            &[
                "Grant the service account Backup Operators rights",
                "Re-run the backup job",
            ],
        );
        a.entities.error_codes = vec!["0x80070005".into()];
        a.entities.files = vec!["vssadmin.exe".into()];
        a.entities.products = vec!["Northwind Backup".into()];
        let mut b = case(
            "CAS-10007-XYZ789",
            20,
            "Nightly backup: access denied (0x80070005)",
            "Service account was removed from Backup Operators by a GPO.",
            "Grant the service account Backup Operators rights again and exclude it from the GPO.",
            &[
                "Grant the service account Backup Operators rights",
                "Re-run the backup job",
            ],
        );
        b.entities.error_codes = vec!["0x80070005".into()];
        b.entities.products = vec!["Northwind Backup".into()];
        let mut c = case(
            "CAS-10002-DEF456",
            5,
            "Printer queue stuck",
            "Spooler crashed on a bad driver.",
            "Remove the driver and restart the spooler.",
            &[],
        );
        c.entities.files = vec!["spoolsv.exe".into()];
        c.status = Status::Unresolved;
        vec![c, b, a]
    }

    #[test]
    fn cases_sharing_a_root_cause_merge_and_unresolved_ones_are_skipped() {
        let (articles, report) = build(&backup_pair(), &KbConfig::default());
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        assert_eq!(a.id, "cas-10001-abc123-backup-job-fails-with-0x80070005");
        assert_eq!(a.title, "Backup job fails with 0x80070005");
        let ids: Vec<&str> = a.cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["CAS-10001-ABC123", "CAS-10007-XYZ789"]);
        assert_eq!(a.cases[0].days_to_resolve, Some(8));
        assert_eq!(a.cases[0].emails, 3);
        assert_eq!(a.error_codes, ["0x80070005"]);
        assert_eq!(a.environment, ["vssadmin.exe"]);
        assert_eq!(a.tags, ["backup", "permissions"]);
        assert_eq!(a.resolution, "");
        assert_eq!(report.skipped_unresolved, 1);
        assert_eq!(report.merged_articles, 1);
        assert_eq!(report.decisions.len(), 1);
        let d = &report.decisions[0];
        assert!(d.merged);
        assert_eq!(d.cases, ["CAS-10001-ABC123", "CAS-10007-XYZ789"]);
        assert_eq!(d.shared, ["code:0x80070005"]);
        assert_eq!(d.entity_similarity, 0.5);
    }

    #[test]
    fn a_higher_threshold_keeps_them_apart_and_reports_why() {
        let config = KbConfig {
            merge_threshold: 0.95,
            include_unresolved: true,
            ..KbConfig::default()
        };
        let (articles, decisions) = articles(&backup_pair(), &config);
        let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "cas-10001-abc123-backup-job-fails-with-0x80070005",
                "cas-10002-def456-printer-queue-stuck",
                "cas-10007-xyz789-nightly-backup-access-denied-0x80070005",
            ]
        );
        assert_eq!(articles[1].status, Status::Unresolved);
        assert_eq!(decisions.len(), 1);
        assert!(!decisions[0].merged);
    }

    #[test]
    fn input_order_does_not_change_the_output() {
        let mut cases = backup_pair();
        let config = KbConfig {
            include_unresolved: true,
            ..KbConfig::default()
        };
        let first = articles(&cases, &config);
        cases.reverse();
        assert_eq!(articles(&cases, &config), first);
    }
}
