//! KB articles: cases grouped by recurring problem, rendered through templates into Markdown (and
//! HTML), with an index for the site.
//!
//! Takes cases (redacted, as the store holds them) and the `[kb]` config; gives articles and the
//! merge decisions behind them ([`articles`]), then files ([`site::render`]). Everything here
//! is pure except [`site::write_site`] and [`site::load_manifest`]: the same cases (and the same
//! previous manifest) give byte-identical files, because cases are sorted first, every list is
//! sorted, and dates come from the cases, never from the clock.
//!
//! - `features`, `group`: which cases share a root cause (weighted key entities and fix words,
//!   MinHash/LSH candidates, pair scores); `pairwise` scores that against labels.
//! - `article`: a group of cases → one [`Article`], with `neutral` (customer names out), `cite`
//!   (each sentence's source message) and `kcs` (state, link rate).
//! - `ids`: stable ids and redirects through the manifest of the previous run.
//! - `tags`, `guard`: tag rules and the final PII check.
//! - `escape`, `render`: Markdown/YAML escaping and the minijinja templates.
//! - `site`: the index, SUMMARY.md, HTML pages, appendix and redirect pages, and writing them.

mod article;
mod cite;
mod escape;
mod features;
mod group;
mod guard;
mod ids;
mod kcs;
mod neutral;
pub mod pairwise;
mod render;
mod site;
mod sources;
mod tags;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Article, Case, Status};

pub use article::{article_id, file_stem, slug};
pub use escape::{code_span, markdown_block, markdown_inline};
pub use group::MergeDecision;
pub use guard::scrub;
pub use ids::{Entry, Manifest};
pub use kcs::Kcs;
pub use render::PageOptions;
pub use render::{Templates, BUILTIN as BUILTIN_TEMPLATES};
pub use site::{
    load_manifest, markdown_to_html, render, write_site, Format, Site, SiteFile, SiteOptions,
    Written, MANIFEST,
};
pub use tags::TagWords;

/// The `[kb]` section of `casebook.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KbConfig {
    /// A pair of cases with a score at or above this is merged into one article (see `group`).
    pub merge_threshold: f32,
    /// Exponent of the entity overlap in the score (the fix-text overlap gets the rest).
    pub entity_weight: f32,
    /// Pairs scoring at least this are reported even when not merged.
    pub report_floor: f32,
    /// A key entity's cases are all paired only when it has at most this many; longer posting
    /// lists (and MinHash buckets) pair each case with this many neighbours.
    pub max_key_cases: usize,
    /// A feature found in more than this share of one language's cases weighs nothing.
    pub common_fraction: f32,
    /// Unresolved cases get articles too (`--include-unresolved`).
    pub include_unresolved: bool,
    /// Extra tag rules, after the built-in ones.
    pub tags: Vec<TagWords>,
    /// Customer codes and the other names they go by (`ICBC = ["工行", "中国工商银行"]`): all of
    /// them are replaced by a neutral word in articles.
    pub customers: BTreeMap<String, Vec<String>>,
    /// KCS: a resolution less confident than this leaves the article `WIP`.
    pub wip_confidence: f32,
    /// KCS: this many resolved cases make an article `Validated`.
    pub validated_cases: usize,
    /// KCS: an article no case has joined for this many days is `Archived`.
    pub archive_after_days: i64,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig {
            merge_threshold: 0.17,
            entity_weight: 0.5,
            report_floor: 0.1,
            max_key_cases: 200,
            common_fraction: 0.5,
            include_unresolved: false,
            tags: Vec::new(),
            customers: BTreeMap::new(),
            wip_confidence: 0.5,
            validated_cases: 2,
            archive_after_days: 730,
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
    /// Every merge, and each case's closest miss scoring at least `report_floor`.
    pub decisions: Vec<MergeDecision>,
    /// Candidate pairs the grouping found (MinHash buckets and short posting lists).
    pub candidates: usize,
    /// `(article id, guard rule)` for every email or phone number the final guard removed.
    pub guard: Vec<(String, String)>,
    /// Link rate and articles per KCS state.
    pub kcs: Kcs,
    /// Old file stem → article id, for the redirect pages.
    pub redirects: BTreeMap<String, String>,
}

/// Cases → articles, one per recurring problem, sorted by id; plus the merge decisions.
pub fn articles(cases: &[Case], config: &KbConfig) -> (Vec<Article>, Vec<MergeDecision>) {
    let (articles, report) = build(cases, config, &Manifest::default());
    (articles, report.decisions)
}

/// [`articles`] with the whole report (counts, decisions, guard hits, KCS figures, redirects);
/// `previous` is the manifest of the last run into the same directory, which keeps ids stable.
pub fn build(cases: &[Case], config: &KbConfig, previous: &Manifest) -> (Vec<Article>, Report) {
    let mut kept: Vec<&Case> = cases
        .iter()
        .filter(|c| config.include_unresolved || c.status == Status::Resolved)
        .collect();
    kept.sort_by(|a, b| {
        a.id.cmp(&b.id)
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    let group::Grouping {
        groups,
        decisions,
        candidates,
    } = group::group(&kept, config);
    let tag_rules = tags::rules(&config.tags);
    let ctx = article::Context {
        tag_rules: &tag_rules,
        config,
        reference: cases
            .iter()
            .filter_map(|c| {
                c.closed
                    .or_else(|| c.messages.iter().filter_map(|m| m.date).max())
                    .or(c.opened)
            })
            .max(),
        neutral: Default::default(),
    };
    let mut out = Vec::with_capacity(groups.len());
    let mut guard = Vec::new();
    for g in &groups {
        let members: Vec<&Case> = g.iter().map(|&i| kept[i]).collect();
        if let Some(built) = article::build(&members, &ctx) {
            guard.extend(
                built
                    .guard_fired
                    .iter()
                    .map(|r| (built.article.id.clone(), r.to_string())),
            );
            out.push(built.article);
        }
    }
    let redirects = ids::assign(&mut out, previous);
    out.sort_by(|a, b| a.id.cmp(&b.id));
    let report = Report {
        cases: cases.len(),
        skipped_unresolved: cases.len() - kept.len(),
        articles: out.len(),
        merged_articles: out.iter().filter(|a| a.cases.len() > 1).count(),
        decisions,
        candidates,
        guard,
        kcs: kcs::summary(cases, &out),
        redirects,
    };
    (out, report)
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
        a.confidence.steps = 0.8;
        b.confidence.steps = 0.8;
        vec![c, b, a]
    }

    #[test]
    fn cases_sharing_a_root_cause_merge_and_unresolved_ones_are_skipped() {
        let (articles, report) = build(&backup_pair(), &KbConfig::default(), &Manifest::default());
        assert_eq!(articles.len(), 1);
        let a = &articles[0];
        assert_eq!(a.id, "cas-10001-abc123");
        assert_eq!(a.state, crate::model::KcsState::Validated);
        assert_eq!(report.kcs.link_rate, 1.0);
        assert_eq!(a.title, "Backup job fails with 0x80070005");
        let ids: Vec<&str> = a.cases.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["CAS-10001-ABC123", "CAS-10007-XYZ789"]);
        assert_eq!(a.cases[0].days_to_resolve, Some(8));
        assert_eq!(a.cases[0].emails, 3);
        assert_eq!(a.error_codes, ["0x80070005"]);
        assert_eq!(a.environment, ["vssadmin.exe"]);
        assert_eq!(a.tags, ["backup", "permissions"]);
        assert!(a.resolution.is_empty());
        // Steps are cited to the message stating them (none does here: the last one).
        assert_eq!(
            a.steps[0].text,
            "Grant the service account Backup Operators rights"
        );
        assert_eq!(
            (a.steps[0].case.as_str(), a.steps[0].message),
            ("CAS-10001-ABC123", 3)
        );
        assert_eq!(report.skipped_unresolved, 1);
        assert_eq!(report.merged_articles, 1);
        assert_eq!(report.decisions.len(), 1);
        let d = &report.decisions[0];
        assert!(d.merged);
        assert_eq!(d.cases, ["CAS-10001-ABC123", "CAS-10007-XYZ789"]);
        assert_eq!(d.shared, ["code:0x80070005"]);
        assert_eq!(d.entity_similarity, 0.606);
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
            ["cas-10001-abc123", "cas-10002-def456", "cas-10007-xyz789",]
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
