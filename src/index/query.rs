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
use super::syntax::{Key, Parsed, Part};
use super::thesaurus::Thesaurus;
use super::SearchRequest;

/// How far apart (in positions, either order) the tokens of a quoted phrase may stand.
const PHRASE_SLOP: u32 = 2;
/// Weight of a technical token's atoms-as-phrase against the token itself.
const ATOMS_WEIGHT: f32 = 0.6;
/// Weight of a Han word's inner dictionary words (`初始` inside `初始化`).
const INNER_WEIGHT: f32 = 0.3;
/// Weight of a thesaurus alternative (`certificate` for `证书`) against the word typed.
pub const SYNONYM_WEIGHT: f32 = 0.5;
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

/// The parts of a parsed query cut into groups (free tokens one by one, each quoted phrase as
/// one), free words expanded with the thesaurus.
pub fn groups(parts: &[Part], thesaurus: &Thesaurus) -> Vec<Group> {
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Phrase(text) => {
                let ps = pieces(text);
                if ps.iter().filter(|p| p.primary).count() > 1 {
                    out.push(phrase_group(&ps));
                } else {
                    out.extend(token_groups(&ps, None));
                }
            }
            Part::Words(text) => out.extend(token_groups(&pieces(text), Some(thesaurus))),
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

/// One group per primary piece, with its parts as the weaker alternatives and extras; then the
/// thesaurus: a term's other forms join its group as alternatives, and a term of several words
/// (`print spooler`) becomes one group whose first alternative is those words as a phrase.
fn token_groups(ps: &[Piece], thesaurus: Option<&Thesaurus>) -> Vec<Group> {
    let mut out: Vec<(usize, Group)> = Vec::new();
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
        out.push((whole.position, group));
        i = j;
    }
    let Some(thesaurus) = thesaurus else {
        return out.into_iter().map(|(_, g)| g).collect();
    };
    for found in thesaurus.find(ps).into_iter().rev() {
        let inside: Vec<usize> = (0..out.len())
            .filter(|&k| (found.from..found.to).contains(&out[k].0))
            .collect();
        let (Some(&first), Some(&last)) = (inside.first(), inside.last()) else {
            continue;
        };
        let synonyms = found
            .alternatives
            .into_iter()
            .map(|seq| (seq, SYNONYM_WEIGHT));
        if first == last {
            out[first].1.alternatives.extend(synonyms);
            continue;
        }
        let phrase: Vec<(usize, String)> = out[first..=last]
            .iter()
            .map(|(pos, g)| (pos - found.from, g.alternatives[0].0[0].1.clone()))
            .collect();
        let mut merged = Group {
            alternatives: vec![(phrase, 1.0)],
            extras: Vec::new(),
        };
        merged.alternatives.extend(synonyms);
        out.splice(first..=last, [(found.from, merged)]);
    }
    out.into_iter().map(|(_, g)| g).collect()
}

/// The scoring query for `include` groups, each in any text field, all required when `all` (else
/// any), without the cases that match any `exclude` group. `None` when there is nothing to match
/// or leave out.
pub fn text_query(
    fields: &Fields,
    include: &[Group],
    exclude: &[Group],
    all: bool,
) -> Option<Box<dyn Query>> {
    if include.is_empty() && exclude.is_empty() {
        return None;
    }
    let occur = if all { Occur::Must } else { Occur::Should };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = include
        .iter()
        .map(|g| (occur, group_query(fields, g)))
        .collect();
    if include.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    clauses.extend(
        exclude
            .iter()
            .map(|g| (Occur::MustNot, group_query(fields, g))),
    );
    Some(Box::new(BooleanQuery::new(clauses)))
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

/// The filters of `req` and the `field:value` parts of its query, as non-scoring clauses.
pub fn filters(
    fields: &Fields,
    req: &SearchRequest,
    parsed: &Parsed,
) -> Result<Vec<Box<dyn Query>>, BadFilter> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let options = [
        (fields.customer, &req.customer),
        (fields.product, &req.product),
        (fields.status, &req.status),
        (fields.lang, &req.lang),
    ];
    let typed = parsed.keyed.iter().map(|(key, v)| {
        let field = match key {
            Key::Status => fields.status,
            Key::Customer => fields.customer,
            Key::ErrorCode => fields.error_code,
            Key::File => fields.file,
            Key::Lang => fields.lang,
            Key::Product => fields.product,
        };
        (field, v)
    });
    let keyed = options
        .into_iter()
        .filter_map(|(f, v)| v.as_ref().map(|v| (f, v)))
        .chain(typed);
    for (field, v) in keyed {
        let term = Term::from_field_text(field, &v.to_lowercase());
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        out.push(Box::new(ConstScoreQuery::new(Box::new(q), 0.0)));
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
    use crate::index::syntax::parse;

    /// Groups without the thesaurus.
    fn groups(q: &str) -> Vec<Group> {
        super::groups(&parse(q).include, &Thesaurus::default())
    }

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
    fn thesaurus_terms_add_weaker_alternatives_and_join_their_words() {
        let th = Thesaurus::builtin();
        let g = super::groups(&parse("蓝屏 nwflt").include, &th);
        assert_eq!(g.len(), 2);
        // jieba's dictionary lacks 蓝屏, so it is two words, and the thesaurus joins them.
        assert_eq!(g[0].alternatives[0], alt(&[(0, "蓝"), (1, "屏")], 1.0));
        assert!(g[0]
            .alternatives
            .contains(&alt(&[(0, "blue"), (1, "screen")], SYNONYM_WEIGHT)));
        assert!(g[0]
            .alternatives
            .contains(&alt(&[(0, "bsod")], SYNONYM_WEIGHT)));
        let g = super::groups(&parse("print spooler").include, &th);
        assert_eq!(g.len(), 1);
        assert_eq!(
            g[0].alternatives[0],
            alt(&[(0, "print"), (1, "spooler")], 1.0)
        );
        assert!(g[0].alternatives.contains(&alt(
            &[(0, "打印"), (1, "后台"), (2, "处理程序")],
            SYNONYM_WEIGHT
        )));
        // Quoted phrases are taken as typed.
        let g = super::groups(&parse("\"证书\"").include, &th);
        assert_eq!(g[0].alternatives, vec![alt(&[(0, "证书")], 1.0)]);
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
