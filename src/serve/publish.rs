//! What the server may show: the store's cases are redacted at ingest (names, addresses, phones
//! replaced), and every answer passes once more through the KB's last guard
//! ([`kb::scrub`](crate::kb::scrub)), exactly as an article does, unless `--keep-pii`.
//!
//! A store ingested with `--keep-pii` holds real names, which the guard cannot find; the server
//! refuses to publish such a store without `--keep-pii` ([`check_redacted`]).

use serde_json::Value;

use crate::index::{Hit, SearchRequest, Store};
use crate::kb;

use super::views::segments;
use super::ServeError;

/// The publishing policy of one server.
#[derive(Debug, Clone, Copy)]
pub struct Publisher {
    pub keep_pii: bool,
}

impl Publisher {
    pub fn text(&self, text: &str) -> String {
        if self.keep_pii {
            text.to_string()
        } else {
            kb::scrub(text).0
        }
    }

    /// `item` as a JSON document, published. It goes through the text form so that `f32` fields
    /// read as the CLI prints them (`0.8`, not `0.800000011920929`).
    pub fn doc<T: serde::Serialize>(&self, item: &T) -> serde_json::Result<Value> {
        let text = serde_json::to_string(item)?;
        Ok(self.value(serde_json::from_str(&text)?))
    }

    /// Every string in `value` (keys stay as they are) through [`Publisher::text`].
    pub fn value(&self, value: Value) -> Value {
        if self.keep_pii {
            return value;
        }
        match value {
            Value::String(s) => Value::String(self.text(&s)),
            Value::Array(items) => Value::Array(items.into_iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, self.value(v))).collect())
            }
            other => other,
        }
    }

    /// A search hit with its title and snippet guarded; the highlight ranges are moved to where
    /// the matched words sit in the new snippet.
    pub fn hit(&self, mut hit: Hit) -> Hit {
        if self.keep_pii {
            return hit;
        }
        hit.title = self.text(&hit.title);
        let mut snippet = String::with_capacity(hit.snippet.len());
        let mut highlights = Vec::new();
        for (text, matched) in segments(&hit.snippet, &hit.highlights) {
            let text = self.text(&text);
            if matched {
                highlights.push((snippet.len(), snippet.len() + text.len()));
            }
            snippet.push_str(&text);
        }
        hit.snippet = snippet;
        hit.highlights = highlights;
        hit
    }
}

/// How many cases [`check_redacted`] looks at.
const SAMPLE: usize = 50;

/// Fails when the first cases of the store name their authors: redaction at ingest turns every
/// author into a placeholder (`[customer-1]`, `[engineer-1]`), `--keep-pii` leaves the names.
pub fn check_redacted(store: &Store) -> Result<(), ServeError> {
    let all = store.search(&SearchRequest {
        limit: SAMPLE,
        ..SearchRequest::default()
    })?;
    for hit in all.hits {
        let Some(case) = store.get(&hit.id)? else {
            continue;
        };
        let named = case
            .messages
            .iter()
            .any(|m| !m.from.is_empty() && !m.from.starts_with('['));
        if named {
            return Err(ServeError::Unredacted {
                store: store.dir.clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_keep_their_highlights_on_the_matched_words() {
        let snippet = "call 17606669571 about zk_hook.dll today".to_string();
        let from = snippet.find("zk_hook.dll").unwrap();
        let hit = Hit {
            id: "CAS-1".into(),
            title: "mail weiliang@cmgos.com".into(),
            score: 1.0,
            status: "resolved".into(),
            snippet,
            highlights: vec![(from, from + "zk_hook.dll".len())],
        };
        let out = Publisher { keep_pii: false }.hit(hit.clone());
        assert_eq!(out.title, "mail [email]");
        assert_eq!(out.snippet, "call [phone] about zk_hook.dll today");
        let (a, b) = out.highlights[0];
        assert_eq!(&out.snippet[a..b], "zk_hook.dll");
        let kept = Publisher { keep_pii: true }.hit(hit.clone());
        assert_eq!((kept.title, kept.snippet), (hit.title, hit.snippet));
    }

    #[test]
    fn every_string_of_a_document_is_guarded() {
        let doc = serde_json::json!({"a": ["x 17606669571"], "b": {"weiliang@cmgos.com": "weiliang@cmgos.com"}, "n": 3});
        let out = Publisher { keep_pii: false }.value(doc);
        assert_eq!(
            out,
            serde_json::json!({"a": ["x [phone]"], "b": {"weiliang@cmgos.com": "[email]"}, "n": 3})
        );
    }
}
