//! casebook: support-mail exports in, a searchable case library and a knowledge base out.
//!
//! The pipeline runs one way, one module per stage:
//! `ingest` (readers, charsets, dates) → `thread` → `clean` → `segment` (+ `extract`, `redact`)
//! → `index` (tantivy store) → `suggest` → `kb`, and `serve` (web pages and JSON API) on top. [`pipeline`] strings the pure stages together;
//! `cli` (in the binary's half of the crate) does the printing. The types that travel between
//! stages live in [`model`].

// No unwrap/expect on input-derived data in the library (issue #8); tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

pub mod clean;
pub mod config;
pub mod error;
pub mod eval;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod kb;
pub mod model;
pub(crate) mod parallel;
pub mod pipeline;
pub(crate) mod prefilter;
pub mod redact;
pub mod rule;
pub mod script;
pub mod segment;
pub mod serve;
pub mod suggest;
pub mod thread;
pub mod zh;

pub use error::{Error, Result};
