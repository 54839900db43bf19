//! Training examples from a gold directory: each labelled message's cleaned text with its gold
//! kind, for the learned models of [`crate::segment::learned`].

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Result;
use crate::ingest::{self, NoProgress};
use crate::pipeline::{self, Publish};

/// One labelled message: who wrote it (gold role), what it does (gold kind), and its text as
/// the cleaner left it (names kept: the models see what the segmenter sees).
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    pub role: String,
    pub kind: String,
    pub first: bool,
    pub text: String,
}

/// The labelled messages of the gold threads in `dir` (mail plus `gold/cases-*.json`), in gold
/// file order, then thread order.
pub fn labelled_messages(dir: &Path, config: &Config) -> Result<Vec<Labelled>> {
    let gold = super::cases::load_gold(&dir.join("gold"))?;
    let ingested = ingest::read_paths(&[PathBuf::from(dir)], &mut NoProgress);
    let cases = pipeline::cases(ingested.messages, config, Publish { keep_pii: true });
    let mut out = Vec::new();
    for g in &gold {
        let Some(case) = super::tally::find_case(g, &cases) else {
            continue;
        };
        for gm in &g.messages {
            let (Some(role), Some(kind)) = (&gm.role, &gm.kind) else {
                continue;
            };
            if let Some(m) = case.messages.get(gm.n.wrapping_sub(1)) {
                out.push(Labelled {
                    role: role.clone(),
                    kind: kind.clone(),
                    first: gm.n == 1,
                    text: m.text.clone(),
                });
            }
        }
    }
    Ok(out)
}

/// Customer messages after the first, positive when the gold says the customer confirms a fix.
pub fn confirmation_examples(labelled: &[Labelled]) -> Vec<(String, bool)> {
    labelled
        .iter()
        .filter(|l| l.role == "customer" && !l.first)
        .map(|l| (l.text.clone(), l.kind == "confirmation"))
        .collect()
}
