//! Query building: the text an engineer types in, a tantivy query out.
//!
//! The query text is cut into quoted phrases and free text, and each is run through the same
//! analyzer as the documents. Every primary token becomes a *group* matched in any text field
//! (best field wins, boosted by [`TEXT_FIELDS`](super::schema::TEXT_FIELDS)): the token itself,
//! or — for a technical token the documents may spell longer (`CAS-06616` inside
//! `CAS-06616-G5Z4X1`) — its atoms as a phrase. A quoted phrase becomes one group whose tokens
//! must stand together; a small slop lets `"DISM 初始化"` match `初始化DISM`, because Chinese
//! writers put the English word on either side. Filters are constant-score `Must` clauses.

use std::ops::Bound;

use chrono::{DateTime, NaiveDate, Utc};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::analyzer::{pieces, Piece};
use super::schema::Fields;
use super::SearchRequest;

/// How far apart (in positions, either order) the tokens of a quoted phrase may stand.
const PHRASE_SLOP: u32 = 2;
/// Weight of a technical token's atoms-as-phrase against the token itself.
const ATOMS_WEIGHT: f32 = 0.6;
/// Weight of a Han word's inner dictionary words (`初始` inside `初始化`).
const INNER_WEIGHT: f32 = 0.3;
/// Lets a second matching field add a little to the best one.
const TIE_BREAKER: f32 = 0.1;

/// One thing the query asks for: the alternatives that satisfy it, with weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Each alternative is a sequence of `(relative position, token)`: one entry is a term, more
    /// are a phrase.
    pub alternatives: Vec<(Vec<(usize, String)>, f32)>,
    /// Weighted extra terms that only add to the score (never satisfy the group).
    pub extras: Vec<(String, f32)>,
}

/// The query text cut into groups (free tokens one by one, each quoted phrase as one).
pub fn groups(query: &str) -> Vec<Group> {
    let mut out = Vec::new();
    for (i, part) in query.split('"').enumerate() {
        let ps = pieces(part);
        // Odd parts were inside quotes (an unclosed quote runs to the end).
        if i % 2 == 1 && ps.iter().filter(|p| p.primary).count() > 1 {
            out.push(phrase_group(&ps));
        } else {
            out.extend(token_groups(&ps));
        }
    }
    out
}

fn phrase_group(ps: &[Piece]) -> Group {
    let first = ps.first().map_or(0, |p| p.position);
    let phrase = ps
        .iter()
        .filter(|p| p.primary)
        .map(|p| (p.position - first, p.text.clone()))
        .collect();
    Group {
        alternatives: vec![(phrase, 1.0)],
        extras: Vec::new(),
    }
}

/// One group per primary piece, with its parts as the weaker alternatives and extras.
fn token_groups(ps: &[Piece]) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < ps.len() {
        let whole = &ps[i];
        let mut j = i + 1;
        while j < ps.len() && !ps[j].primary {
            j += 1;
        }
        let parts = &ps[i + 1..j];
        let mut group = Group {
            alternatives: vec![(vec![(0, whole.text.clone())], 1.0)],
            extras: Vec::new(),
        };
        // Atoms are the parts at distinct positions; a technical whole has more than one.
        let mut atoms: Vec<(usize, String)> = Vec::new();
        // Atoms come after the segments that share their position, so the last piece at each
        // position is the atom.
        for p in parts {
            let rel = p.position - whole.position;
            atoms.retain(|(r, _)| *r != rel);
            atoms.push((rel, p.text.clone()));
        }
        atoms.sort();
        if atoms.len() > 1 {
            group.alternatives.push((atoms, ATOMS_WEIGHT));
        } else {
            group
                .extras
                .extend(parts.iter().map(|p| (p.text.clone(), INNER_WEIGHT)));
        }
        out.push(group);
        i = j;
    }
    out
}

/// The scoring query for `groups`: each group in any text field; all groups required when
/// `all` (else any).
pub fn text_query(fields: &Fields, groups: &[Group], all: bool) -> Box<dyn Query> {
    let occur = if all { Occur::Must } else { Occur::Should };
    let clauses = groups
        .iter()
        .map(|g| (occur, group_query(fields, g)))
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

fn group_query(fields: &Fields, g: &Group) -> Box<dyn Query> {
    let per_field = fields
        .text
        .iter()
        .map(|&(field, boost)| {
            let mut alts: Vec<(Occur, Box<dyn Query>)> = g
                .alternatives
                .iter()
                .map(|(seq, w)| (Occur::Should, sequence_query(field, seq, boost * w)))
                .collect();
            let required = BooleanQuery::new(std::mem::take(&mut alts));
            let q: Box<dyn Query> = if g.extras.is_empty() {
                Box::new(required)
            } else {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Must, Box::new(required))];
                for (t, w) in &g.extras {
                    clauses.push((Occur::Should, term_query(field, t, boost * w)));
                }
                Box::new(BooleanQuery::new(clauses))
            };
            q
        })
        .collect();
    Box::new(DisjunctionMaxQuery::with_tie_breaker(
        per_field,
        TIE_BREAKER,
    ))
}

fn sequence_query(field: Field, seq: &[(usize, String)], boost: f32) -> Box<dyn Query> {
    if let [(_, t)] = seq {
        return term_query(field, t, boost);
    }
    let terms = seq
        .iter()
        .map(|(pos, t)| (*pos, Term::from_field_text(field, t)))
        .collect();
    let phrase = PhraseQuery::new_with_offset_and_slop(terms, PHRASE_SLOP);
    Box::new(BoostQuery::new(Box::new(phrase), boost))
}

pub fn term_query(field: Field, text: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

/// A filter value the user typed could not be read (a bad date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFilter(pub String);

/// The filters of `req` as non-scoring clauses.
pub fn filters(fields: &Fields, req: &SearchRequest) -> Result<Vec<Box<dyn Query>>, BadFilter> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let keyed = [
        (fields.customer, &req.customer),
        (fields.product, &req.product),
        (fields.status, &req.status),
        (fields.lang, &req.lang),
    ];
    for (field, value) in keyed {
        if let Some(v) = value {
            let term = Term::from_field_text(field, &v.to_lowercase());
            let q = TermQuery::new(term, IndexRecordOption::Basic);
            out.push(Box::new(ConstScoreQuery::new(Box::new(q), 0.0)));
        }
    }
    if req.since.is_some() || req.until.is_some() {
        let bound = |v: &Option<String>, end: bool| -> Result<Bound<Term>, BadFilter> {
            match v {
                None => Ok(Bound::Unbounded),
                Some(s) => {
                    let d = parse_day(s, end).ok_or_else(|| BadFilter(s.clone()))?;
                    let t = tantivy::DateTime::from_timestamp_secs(d.timestamp());
                    let term = Term::from_field_date(fields.opened, t);
                    Ok(if end {
                        Bound::Excluded(term)
                    } else {
                        Bound::Included(term)
                    })
                }
            }
        };
        let range = RangeQuery::new(bound(&req.since, false)?, bound(&req.until, true)?);
        out.push(Box::new(ConstScoreQuery::new(Box::new(range), 0.0)));
    }
    Ok(out)
}

/// `2022`, `2022-07` or `2022-07-11` (or a full RFC 3339 time); for an `until` bound, the
/// moment just after the period, so `--until 2022` includes all of 2022.
fn parse_day(s: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    let parts: Vec<&str> = s.split('-').collect();
    let num = |i: usize| parts.get(i).and_then(|p| p.parse::<u32>().ok());
    let (y, m, d) = match parts.len() {
        1 => (num(0)? as i32, 1, 1),
        2 => (num(0)? as i32, num(1)?, 1),
        3 => (num(0)? as i32, num(1)?, num(2)?),
        _ => return None,
    };
    let start = NaiveDate::from_ymd_opt(y, m, d)?;
    let next = match (end, parts.len()) {
        (false, _) => start,
        (true, 1) => NaiveDate::from_ymd_opt(y + 1, 1, 1)?,
        (true, 2) => start.checked_add_months(chrono::Months::new(1))?,
        (true, _) => start.succ_opt()?,
    };
    Some(next.and_hms_opt(0, 0, 0)?.and_utc())
}

/// Text query (or everything, when the text has no tokens) plus filters.
pub fn full_query(text: Option<Box<dyn Query>>, filters: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    clauses.push((Occur::Must, text.unwrap_or_else(|| Box::new(AllQuery))));
    clauses.extend(filters.into_iter().map(|f| (Occur::Must, f)));
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alt(seq: &[(usize, &str)], w: f32) -> (Vec<(usize, String)>, f32) {
        (seq.iter().map(|(p, t)| (*p, t.to_string())).collect(), w)
    }

    #[test]
    fn technical_token_matches_whole_or_atoms_as_phrase() {
        assert_eq!(
            groups("CAS-06616"),
            vec![Group {
                alternatives: vec![
                    alt(&[(0, "cas-06616")], 1.0),
                    alt(&[(0, "cas"), (1, "06616")], ATOMS_WEIGHT)
                ],
                extras: vec![],
            }]
        );
    }

    #[test]
    fn quoted_text_is_one_phrase_group() {
        assert_eq!(
            groups("\"DISM 初始化\" 升级"),
            vec![
                Group {
                    alternatives: vec![alt(&[(0, "dism"), (1, "初始化")], 1.0)],
                    extras: vec![],
                },
                Group {
                    alternatives: vec![alt(&[(0, "升级")], 1.0)],
                    extras: vec![],
                },
            ]
        );
    }

    #[test]
    fn inner_han_words_only_add_score() {
        assert_eq!(
            groups("初始化"),
            vec![Group {
                alternatives: vec![alt(&[(0, "初始化")], 1.0)],
                extras: vec![("初始".to_string(), INNER_WEIGHT)],
            }]
        );
    }

    #[test]
    fn dates_bound_whole_periods() {
        let day = |s, end| parse_day(s, end).map(|d| d.to_rfc3339());
        assert_eq!(day("2022", true), Some("2023-01-01T00:00:00+00:00".into()));
        assert_eq!(
            day("2022-07", false),
            Some("2022-07-01T00:00:00+00:00".into())
        );
        assert_eq!(
            day("2022-12", true),
            Some("2023-01-01T00:00:00+00:00".into())
        );
        assert_eq!(
            day("2022-07-11", true),
            Some("2022-07-12T00:00:00+00:00".into())
        );
        assert_eq!(day("July", false), None);
    }
}
