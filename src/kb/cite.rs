//! Citations: every sentence of an article's Issue, Cause and Resolution, and every step, with
//! the case and message it came from.
//!
//! Takes a case and a text field of it (problem, cause, resolution, a step), gives the field cut
//! into sentences, each with the number of the message that states it. A sentence is found in
//! the messages by its letters and digits alone (spacing, punctuation and list numbering
//! ignored); when several messages state it, the latest wins, because that is the one that
//! confirmed it or wrote it up (the case summary repeats the engineer's analysis). A sentence no
//! message holds word for word (a segmenter joined or trimmed it) cites the message sharing most
//! of its words.

use std::collections::BTreeSet;

use super::features::tokens;
use crate::model::{Case, Cited};

/// `text` cut into sentences, each cited to a message of `case`.
pub fn cite(case: &Case, text: &str) -> Vec<Cited> {
    let keys: Vec<String> = case.messages.iter().map(|m| key(&m.text)).collect();
    sentences(text)
        .into_iter()
        .map(|s| Cited {
            message: source(case, &keys, &s),
            case: case.id.clone(),
            text: s,
        })
        .collect()
}

/// One text (a step) as a single cited sentence.
pub fn cite_whole(case: &Case, text: &str) -> Cited {
    let keys: Vec<String> = case.messages.iter().map(|m| key(&m.text)).collect();
    Cited {
        message: source(case, &keys, text),
        case: case.id.clone(),
        text: text.to_string(),
    }
}

/// Letters and digits only, lower-cased: what two copies of a sentence still share.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The 1-based number of the message stating `sentence` (0 when the case has no messages).
fn source(case: &Case, keys: &[String], sentence: &str) -> usize {
    let k = key(super::article::strip_numbering(sentence));
    if !k.is_empty() {
        if let Some(i) = keys.iter().rposition(|m| m.contains(&k)) {
            return case.messages[i].index;
        }
    }
    let words: BTreeSet<String> = tokens(sentence);
    let mut best = (0usize, 0usize);
    for m in &case.messages {
        let shared = tokens(&m.text).intersection(&words).count();
        if shared > 0 && shared >= best.0 {
            best = (shared, m.index);
        }
    }
    if best.1 == 0 {
        case.messages.last().map(|m| m.index).unwrap_or(0)
    } else {
        best.1
    }
}

/// Sentences of `text`: each line, cut after `。！？；` and after `.`, `!`, `?` followed by a
/// space; empty pieces dropped.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            cur.push(c);
            let cjk_end = "。！？；".contains(c);
            let ascii_end = ".!?".contains(c) && chars.peek().is_some_and(|n| *n == ' ');
            if cjk_end || ascii_end {
                let s = cur.trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
                cur.clear();
            }
        }
        let s = cur.trim();
        if !s.is_empty() {
            out.push(s.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::testing::case;

    #[test]
    fn sentences_split_on_both_languages_stops() {
        assert_eq!(
            sentences("升级失败。日志显示错误！\nGrant rights. Re-run v1.2 job"),
            [
                "升级失败。",
                "日志显示错误！",
                "Grant rights.",
                "Re-run v1.2 job"
            ]
        );
    }

    #[test]
    fn the_latest_message_stating_a_sentence_is_cited() {
        let mut c = case("CAS-1", 1, "t", "c", "r", &[]);
        c.messages[0].text = "请禁用 zkcloud 服务。".into();
        c.messages[1].text = "Something else entirely".into();
        c.messages[2].text = "案例总结：\n1）请禁用zkcloud服务。".into();
        let cited = cite(&c, "请禁用zkcloud服务。 Something else.");
        assert_eq!(cited[0].message, 3);
        assert_eq!(cited[0].case, "CAS-1");
        // Not word for word anywhere: the message sharing most words.
        assert_eq!(cited[1].message, 2);
    }
}
