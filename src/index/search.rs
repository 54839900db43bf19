//! Running searches: the query from [`query`](super::query), top hits with snippets, the total and
//! facet counts in one pass over the index.
//!
//! All query groups are required first (what an engineer means by typing two words); when no case
//! has them all, any group is enough, so a long pasted error still finds its nearest cases.

use std::collections::BTreeMap;

use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, DisjunctionMaxQuery, Occur, Query};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::query::{self, BadFilter};
use super::schema::status_name;
use super::syntax;
use super::thesaurus::Thesaurus;
use super::{snippet, store_error, Hit, SearchRequest, SearchResults, Store};
use crate::error::Result;
use crate::model::Case;

/// Facet dimensions reported with every search, and the facet-path root of each.
const FACETS: &[&str] = &["customer", "status", "year", "language"];

/// Hits fetched beyond the limit so ties at the cut are broken by id, not by segment order.
const TIE_MARGIN: usize = 10;

pub(super) fn search(store: &Store, req: &SearchRequest) -> Result<SearchResults> {
    let searcher = store.reader.searcher();
    let parsed = syntax::parse(&req.query);
    let groups = query::groups(&parsed.include, &store.thesaurus);
    let exclude = query::groups(&parsed.exclude, &Thesaurus::default());
    let limit = req.limit.max(1);
    let mut facets = FacetCollector::for_field("facets");
    for f in FACETS {
        facets.add_facet(&format!("/{f}"));
    }
    let collectors = (TopDocs::with_limit(limit + TIE_MARGIN), Count, facets);
    let build = |all: bool| -> Result<Box<dyn Query>> {
        let filters = query::filters(&store.fields, req, &parsed).map_err(|BadFilter(v)| {
            store_error(
                &store.dir,
                format!("cannot read the date {v:?} (use YYYY, YYYY-MM or YYYY-MM-DD)"),
            )
        })?;
        let text = query::text_query(&store.fields, &groups, &exclude, all);
        Ok(query::full_query(text, filters))
    };
    let run = |q: &dyn Query| {
        searcher
            .search(q, &collectors)
            .map_err(|e| store_error(&store.dir, e))
    };
    let mut q = build(true)?;
    let mut fruit = run(q.as_ref())?;
    if fruit.1 == 0 && groups.len() > 1 {
        q = build(false)?;
        fruit = run(q.as_ref())?;
    }
    let (top, total, counts) = fruit;
    let generators = snippet::generators(&searcher, &store.fields, &groups);
    let mut hits = Vec::new();
    for (score, case) in load(store, &searcher, top, limit)? {
        let (text, highlights) = snippet::snippet(&generators, &case);
        hits.push(Hit {
            id: case.id,
            title: case.title,
            score,
            status: status_name(case.status).to_string(),
            snippet: text,
            highlights,
        });
    }
    let mut facet_json = serde_json::Map::new();
    for f in FACETS {
        let mut m: BTreeMap<String, u64> = BTreeMap::new();
        for (facet, count) in counts.get(&format!("/{f}")) {
            let label = facet
                .to_path()
                .last()
                .map_or(String::new(), |s| s.to_string());
            m.insert(label, count);
        }
        facet_json.insert(f.to_string(), serde_json::json!(m));
    }
    Ok(SearchResults {
        query: req.query.clone(),
        total,
        hits,
        facets: serde_json::Value::Object(facet_json),
    })
}

/// The cases of `top`, best first, ties by id, at most `limit`.
fn load(
    store: &Store,
    searcher: &Searcher,
    top: Vec<(f32, DocAddress)>,
    limit: usize,
) -> Result<Vec<(f32, Case)>> {
    let mut out = Vec::with_capacity(top.len());
    for (score, addr) in top {
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| store_error(&store.dir, e))?;
        out.push((score, store.case_of(&doc)?));
    }
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    out.truncate(limit);
    Ok(out)
}

pub(super) fn search_terms(
    store: &Store,
    terms: &[(String, f32)],
    limit: usize,
) -> Result<Vec<(Case, f32)>> {
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let searcher = store.reader.searcher();
    let clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|(t, w)| {
            let per_field = store
                .fields
                .text
                .iter()
                .map(|&(field, boost)| query::term_query(field, t, boost * w))
                .collect();
            let q: Box<dyn Query> = Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, 0.1));
            (Occur::Should, q)
        })
        .collect();
    let q = BooleanQuery::new(clauses);
    let limit = limit.max(1);
    let top = searcher
        .search(&q, &TopDocs::with_limit(limit + TIE_MARGIN))
        .map_err(|e| store_error(&store.dir, e))?;
    Ok(load(store, &searcher, top, limit)?
        .into_iter()
        .map(|(score, case)| (case, score))
        .collect())
}

/// How many live cases contain `token` in any text field (the most of any one field), and how
/// many live cases there are: what an IDF needs.
pub(super) fn doc_freq(store: &Store, token: &str) -> Result<(u64, u64)> {
    let searcher = store.reader.searcher();
    let mut df = 0;
    for &(field, _) in &store.fields.text {
        let n = searcher
            .doc_freq(&tantivy::Term::from_field_text(field, token))
            .map_err(|e| store_error(&store.dir, e))?;
        df = df.max(n);
    }
    Ok((df, searcher.num_docs()))
}
