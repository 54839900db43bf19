//! Cases: the whole pipeline (parse, thread, clean, segment, extract, redact) on the corpus, on
//! the sample export and on arbitrary text; the case JSON; the shipped learned model.

mod corpus;
mod first_fix_failed;
mod json_roundtrip;
mod learned_model;
mod redact;
mod robust;
mod sample;
mod unresolved_zh;
