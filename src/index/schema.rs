//! The index schema: which fields a case document has, how each is indexed, and how a case (with
//! the parsed messages it was built from) becomes a tantivy document.
//!
//! Searchable text fields use the [`analyzer`](super::analyzer); filters use raw lowercase keys;
//! the full case JSON and the parsed messages are stored so `show` and re-threading need nothing
//! else.

use sha2::{Digest, Sha256};
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

use super::analyzer;
use crate::model::{Case, Message, Status};

/// The searchable text fields with their BM25 boosts: what a case is about weighs more than the
/// conversation around it.
pub const TEXT_FIELDS: &[(&str, f32)] = &[
    ("title", 3.0),
    ("problem", 2.5),
    ("cause", 2.5),
    ("resolution", 2.5),
    ("entities", 2.0),
    ("analysis", 1.5),
    ("body", 1.0),
];

/// The fields of a case document.
#[derive(Clone)]
pub struct Fields {
    pub schema: Schema,
    pub id: Field,
    /// Digest of the case JSON: unchanged digest = unchanged case.
    pub digest: Field,
    /// Message-IDs, In-Reply-To and References of the case's messages, and its case number: how
    /// a later ingest finds the case a new message belongs to.
    pub links: Field,
    pub case_json: Field,
    pub messages_json: Field,
    pub message_count: Field,
    /// `(field, boost)` for each of [`TEXT_FIELDS`].
    pub text: Vec<(Field, f32)>,
    pub body: Field,
    pub customer: Field,
    pub product: Field,
    /// Error codes and file names as extracted, lowercase (for `code:` and `file:`).
    pub error_code: Field,
    pub file: Field,
    pub status: Field,
    pub lang: Field,
    pub opened: Field,
    pub facets: Field,
}

impl Fields {
    pub fn new() -> Fields {
        let mut b = Schema::builder();
        let analyzed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyzer::NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let id = b.add_text_field("id", STRING | STORED | FAST);
        let digest = b.add_text_field("digest", STRING | FAST);
        let links = b.add_text_field("links", STRING);
        let case_json = b.add_text_field("case", STORED);
        let messages_json = b.add_text_field("messages", STORED);
        let message_count = b.add_u64_field("message_count", FAST);
        let text: Vec<(Field, f32)> = TEXT_FIELDS
            .iter()
            .map(|&(name, boost)| (b.add_text_field(name, analyzed.clone()), boost))
            .collect();
        let customer = b.add_text_field("customer", STRING);
        let product = b.add_text_field("product", STRING);
        let error_code = b.add_text_field("error_code", STRING);
        let file = b.add_text_field("file", STRING);
        let status = b.add_text_field("status", STRING);
        let lang = b.add_text_field("lang", STRING);
        let opened = b.add_date_field("opened", INDEXED | FAST);
        let facets = b.add_facet_field("facets", FacetOptions::default());
        let schema = b.build();
        let body = schema.get_field("body").unwrap_or(text[text.len() - 1].0);
        Fields {
            schema,
            id,
            digest,
            links,
            case_json,
            messages_json,
            message_count,
            text,
            body,
            customer,
            product,
            error_code,
            file,
            status,
            lang,
            opened,
            facets,
        }
    }

    /// The document for `case` (already serialized as `case_json`, whose digest is `digest`),
    /// built from `messages` (the parsed messages of its thread).
    pub fn document(
        &self,
        case: &Case,
        case_json: &str,
        digest: &str,
        messages: &[Message],
    ) -> serde_json::Result<TantivyDocument> {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, &case.id);
        doc.add_text(self.digest, digest);
        doc.add_text(self.case_json, case_json);
        doc.add_text(self.messages_json, serde_json::to_string(messages)?);
        doc.add_u64(self.message_count, case.messages.len() as u64);
        for m in messages {
            let keys = m
                .message_id
                .iter()
                .chain(&m.in_reply_to)
                .chain(&m.references);
            for k in keys {
                doc.add_text(self.links, k);
            }
        }
        for c in &case.entities.case_ids {
            doc.add_text(self.links, c);
        }
        doc.add_text(self.links, &case.id);
        for (&(field, _), text) in self.text.iter().zip(searchable_texts(case)) {
            doc.add_text(field, text);
        }
        if let Some(c) = &case.customer {
            doc.add_text(self.customer, c.to_lowercase());
            doc.add_facet(self.facets, Facet::from_path(["customer", c.as_str()]));
        }
        for p in &case.entities.products {
            doc.add_text(self.product, p.to_lowercase());
        }
        for c in &case.entities.error_codes {
            doc.add_text(self.error_code, c.to_lowercase());
        }
        for f in &case.entities.files {
            doc.add_text(self.file, f.to_lowercase());
        }
        let status = status_name(case.status);
        doc.add_text(self.status, status);
        doc.add_facet(self.facets, Facet::from_path(["status", status]));
        doc.add_text(self.lang, case.language.to_lowercase());
        doc.add_facet(
            self.facets,
            Facet::from_path(["language", case.language.as_str()]),
        );
        if let Some(d) = case.opened {
            doc.add_date(self.opened, DateTime::from_timestamp_secs(d.timestamp()));
            let year = d.format("%Y").to_string();
            doc.add_facet(self.facets, Facet::from_path(["year", year.as_str()]));
        }
        Ok(doc)
    }
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new()
    }
}

pub fn status_name(s: Status) -> &'static str {
    match s {
        Status::Resolved => "resolved",
        Status::Unresolved => "unresolved",
    }
}

/// The text of each of [`TEXT_FIELDS`], in that order.
pub fn searchable_texts(case: &Case) -> [String; 7] {
    let e = &case.entities;
    // The case's own id is searchable (`06616` finds `CAS-06616-G5Z4X1`) even when the
    // extractor did not list it.
    let own_id = vec![case.id.clone()];
    let entities = [
        &own_id,
        &e.case_ids,
        &e.products,
        &e.versions,
        &e.error_codes,
        &e.files,
        &e.commands,
        &e.kb,
    ]
    .iter()
    .flat_map(|v| v.iter())
    .map(String::as_str)
    .collect::<Vec<_>>()
    .join("\n");
    let mut resolution = case.resolution.clone();
    for s in &case.steps {
        resolution.push('\n');
        resolution.push_str(s);
    }
    let mut body = String::new();
    for m in &case.messages {
        body.push_str(&m.text);
        body.push('\n');
    }
    for d in &case.diagnostics {
        body.push_str(d);
        body.push('\n');
    }
    [
        case.title.clone(),
        case.problem.clone(),
        case.cause.clone(),
        resolution,
        entities,
        case.analysis.clone(),
        body,
    ]
}

/// Hex SHA-256 of `text`.
pub fn digest(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}
