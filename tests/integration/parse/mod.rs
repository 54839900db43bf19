//! Reading mail: each format against exact expectations, the corpus fixtures, hostile and
//! enormous inputs, and arbitrary bytes.

/// No byte string makes a reader panic (property).
mod any_bytes;
mod corpus;
mod eml;
mod export;
/// Random bytes, broken MIME, a big file, many files: no panic, one error each.
mod hostile;
/// Inputs that cross `casebook::ingest::limits`: the exact error and the rest still read.
mod limits;
mod mbox;
mod msg;
