//! `casebook eval`: scores cleaning, extraction and retrieval against the gold labels kept in
//! `corpus/` (expected files beside the inputs, and `corpus/gold/`).
//!
//! One file per thing scored; each reads its gold files and returns a score table.

pub mod baseline;
pub mod cases;
pub mod clean;
pub mod examples;
pub mod retrieval;
pub mod tally;
