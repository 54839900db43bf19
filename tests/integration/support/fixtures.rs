//! The fixture walker: each input of a suite beside its expected output, checked by the caller.
//! On a mismatch the whole actual output is written under `target/tmp/fixture-actual/SUITE/`
//! (named like the expected file, `.actual` added) and printed, so a changed reader shows what it
//! makes now and blessing it is a copy. The walk asserts that the suite ran at least `min`
//! fixtures: an emptied folder fails rather than passes.
//!
//! Pairs come from the library's pairing ([`casebook::eval::clean::fixtures`]) or, for inputs
//! kept without an expected file yet, from the caller.

use std::path::{Path, PathBuf};

/// What a check found wrong in one fixture: the differences and the whole actual output.
pub struct Mismatch {
    pub problems: Vec<String>,
    pub actual: String,
}

/// Checks every `(input, expected)` pair of `suite` with `check`; names are shown relative to
/// `root`. Fails listing every mismatch, after writing and printing each actual output.
pub fn walk(
    suite: &str,
    root: &Path,
    pairs: &[(PathBuf, PathBuf)],
    min: usize,
    mut check: impl FnMut(&Path, &Path) -> Result<(), Mismatch>,
) {
    assert!(
        pairs.len() >= min,
        "suite {suite}: {} fixtures below {}, expected at least {min}",
        pairs.len(),
        root.display()
    );
    let out_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fixture-actual")
        .join(suite);
    let mut failures = Vec::new();
    for (input, expected) in pairs {
        let Err(mismatch) = check(input, expected) else {
            continue;
        };
        let rel = expected.strip_prefix(root).unwrap_or(expected);
        let actual_path = out_dir.join(format!("{}.actual", rel.display()));
        std::fs::create_dir_all(actual_path.parent().unwrap()).unwrap();
        std::fs::write(&actual_path, &mismatch.actual).unwrap();
        eprintln!(
            "--- {suite}: {} differs from {}\n{}\nactual output ({}):\n{}",
            input.display(),
            rel.display(),
            mismatch.problems.join("\n"),
            actual_path.display(),
            mismatch.actual
        );
        failures.push(format!(
            "{}: {} (actual: {})",
            rel.display(),
            mismatch.problems.join("; "),
            actual_path.display()
        ));
    }
    assert!(
        failures.is_empty(),
        "suite {suite}: {} of {} fixtures differ:\n{}",
        failures.len(),
        pairs.len(),
        failures.join("\n")
    );
}
