//! The retrieval baseline: plain BM25 over the raw, uncleaned text of each thread (subject and
//! every body, quotes, signatures and status pings included), queried with the raw ticket text.
//! It uses casebook's analyzer, so what it lacks is exactly cleaning, segmentation and entity
//! weighting — the gain `eval` shows is theirs.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, Index, IndexReader, TantivyDocument, Term};

use crate::index::analyzer;
use crate::model::Thread;

/// An in-memory index of raw threads.
pub struct RawIndex {
    reader: IndexReader,
    id: Field,
    text: Field,
}

fn err(e: impl std::fmt::Display) -> crate::Error {
    crate::Error::Store {
        path: "(baseline in memory)".into(),
        message: e.to_string(),
    }
}

impl RawIndex {
    pub fn build(threads: &[Thread]) -> crate::Result<RawIndex> {
        let mut b = Schema::builder();
        let id = b.add_text_field("id", STRING | STORED);
        let text = b.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(analyzer::NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let index = Index::create_in_ram(b.build());
        index.tokenizers().register(
            analyzer::NAME,
            TextAnalyzer::from(analyzer::CasebookTokenizer),
        );
        let mut writer = index.writer(50_000_000).map_err(err)?;
        for t in threads {
            let mut raw = t.subject.clone();
            for m in &t.messages {
                raw.push('\n');
                raw.push_str(&m.subject);
                raw.push('\n');
                raw.push_str(&m.body);
            }
            writer
                .add_document(doc!(id => t.id.clone(), text => raw))
                .map_err(err)?;
        }
        writer.commit().map_err(err)?;
        let reader = index.reader().map_err(err)?;
        Ok(RawIndex { reader, id, text })
    }

    /// Thread ids best first for the raw text of a ticket.
    pub fn search(&self, ticket: &str, limit: usize) -> crate::Result<Vec<String>> {
        let mut terms = crate::index::analyze(ticket);
        terms.sort();
        terms.dedup();
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|t| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(self.text, &t),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, q)
            })
            .collect();
        let searcher = self.reader.searcher();
        let top = searcher
            .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(limit))
            .map_err(err)?;
        let mut ids = Vec::new();
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr).map_err(err)?;
            if let Some(v) = d.get_first(self.id).and_then(|v| v.as_str()) {
                ids.push(v.to_string());
            }
        }
        Ok(ids)
    }
}
