//! The corpus through the real pipeline, scored against `corpus/gold/cases-*.json`: every field
//! must pass on at least 90% of the gold cases.

use std::path::PathBuf;

use casebook::config::Config;
use casebook::eval::cases::{load_gold, score, table};
use casebook::ingest::{read_paths, NoProgress};
use casebook::pipeline::{cases, Publish};

#[test]
fn every_field_passes_on_nine_tenths_of_the_gold() {
    let corpus = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let gold = load_gold(&corpus.join("gold")).unwrap();
    assert!(gold.len() >= 24, "{} gold cases", gold.len());
    let read = read_paths(&[corpus], &mut NoProgress);
    let published = cases(
        read.messages,
        &Config::default(),
        Publish { keep_pii: false },
    );
    let s = score(&gold, &published);
    let report = format!("{}{:#?}", table(&s), s.failures);
    for f in &s.fields {
        assert!(f.share >= 0.9, "{} at {:.2}\n{report}", f.field, f.share);
    }
}
