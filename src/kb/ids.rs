//! Stable article ids and the manifest that carries them from one `kb` run to the next.
//!
//! Takes this run's articles (each with the id a new article would get: its lowest case id) and
//! the previous run's [`Manifest`]; gives each article the id of the previous article it shares
//! most cases with, so an id does not change when cases join or leave; and gives the redirects:
//! an old file name (an article renamed because its title changed, or merged into another)
//! → the id of the article that now holds its cases. Redirects are kept run after run.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::article::file_stem;
use crate::model::Article;

/// What `kb` remembers between runs (`manifest.json` in the output directory).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub articles: BTreeMap<String, Entry>,
    /// Old file stem → id of the article it now points to.
    pub redirects: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// File name without extension.
    pub file: String,
    pub cases: Vec<String>,
    /// Digest of everything the page was rendered from; equal digests mean an identical page.
    pub digest: String,
}

/// Gives `articles` their stable ids (see the module doc); returns the redirects.
pub fn assign(articles: &mut [Article], previous: &Manifest) -> BTreeMap<String, String> {
    let mut owner: HashMap<&str, &str> = HashMap::new();
    for (id, e) in &previous.articles {
        for c in &e.cases {
            owner.insert(c.as_str(), id.as_str());
        }
    }
    // (shared cases, previous id, article index), strongest claim first.
    let mut claims: Vec<(usize, String, usize)> = Vec::new();
    for (k, a) in articles.iter().enumerate() {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for c in &a.cases {
            if let Some(o) = owner.get(c.id.as_str()) {
                *counts.entry(o).or_default() += 1;
            }
        }
        claims.extend(counts.into_iter().map(|(o, n)| (n, o.to_string(), k)));
    }
    claims.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then(a.2.cmp(&b.2))
    });
    let mut given: Vec<Option<String>> = vec![None; articles.len()];
    let mut taken: HashSet<String> = HashSet::new();
    for (_, old, k) in &claims {
        if given[*k].is_none() && !taken.contains(old) {
            taken.insert(old.clone());
            given[*k] = Some(old.clone());
        }
    }
    // Previous ids are reserved: a new article never takes the id of one that was merged away.
    let reserved: HashSet<&str> = previous.articles.keys().map(String::as_str).collect();
    for (k, a) in articles.iter_mut().enumerate() {
        let id = match given[k].take() {
            Some(id) => id,
            None => {
                let base = a.id.clone();
                let mut id = base.clone();
                let mut n = 1;
                while taken.contains(&id) || reserved.contains(id.as_str()) {
                    n += 1;
                    id = format!("{base}-{n}");
                }
                taken.insert(id.clone());
                id
            }
        };
        a.id = id;
    }

    let by_case: HashMap<&str, &str> = articles
        .iter()
        .flat_map(|a| a.cases.iter().map(move |c| (c.id.as_str(), a.id.as_str())))
        .collect();
    let current: HashMap<&str, String> = articles
        .iter()
        .map(|a| (a.id.as_str(), file_stem(&a.id, &a.title)))
        .collect();
    // Where an old id went: itself when kept, else the article holding its cases.
    let survivor = |old: &str| -> Option<String> {
        if current.contains_key(old) {
            return Some(old.to_string());
        }
        let e = previous.articles.get(old)?;
        e.cases
            .iter()
            .find_map(|c| by_case.get(c.as_str()))
            .map(|s| s.to_string())
    };
    let mut redirects = BTreeMap::new();
    for (stem, old) in &previous.redirects {
        if let Some(to) = survivor(old) {
            redirects.insert(stem.clone(), to);
        }
    }
    for (old, e) in &previous.articles {
        if let Some(to) = survivor(old) {
            if current.get(to.as_str()) != Some(&e.file) {
                redirects.insert(e.file.clone(), to);
            }
        }
    }
    let live: HashSet<&String> = current.values().collect();
    redirects.retain(|stem, _| !live.contains(stem));
    redirects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::case;
    use crate::kb::{self, KbConfig};

    fn built(cases: &[crate::model::Case]) -> Vec<Article> {
        kb::articles(cases, &KbConfig::default()).0
    }

    #[test]
    fn ids_survive_an_earlier_case_joining_and_renames_leave_redirects() {
        let mut b = case(
            "CAS-2",
            5,
            "Backup fails with 0x80070005",
            "c",
            "Grant rights",
            &[],
        );
        b.entities.error_codes = vec!["0x80070005".into()];
        let mut first = built(std::slice::from_ref(&b));
        assert_eq!(first[0].id, "cas-2");
        let previous = Manifest {
            articles: [(
                "cas-2".to_string(),
                Entry {
                    file: "cas-2-old-title".into(),
                    cases: vec!["CAS-2".into()],
                    digest: String::new(),
                },
            )]
            .into(),
            redirects: [("cas-2-older".to_string(), "cas-2".to_string())].into(),
        };
        let mut a = b.clone();
        a.id = "CAS-1".into();
        let mut both = built(&[a, b]);
        assert_eq!(both.len(), 1);
        assert_eq!(both[0].id, "cas-1");
        let redirects = assign(&mut both, &previous);
        assert_eq!(both[0].id, "cas-2");
        let stem = file_stem("cas-2", &both[0].title);
        assert_eq!(stem, "cas-2-backup-fails-with-0x80070005");
        assert_eq!(
            redirects.into_iter().collect::<Vec<_>>(),
            [
                ("cas-2-old-title".to_string(), "cas-2".to_string()),
                ("cas-2-older".to_string(), "cas-2".to_string())
            ]
        );
        // Without history the same cases give the lowest case id.
        let none = assign(&mut first, &Manifest::default());
        assert!(none.is_empty());
    }
}
