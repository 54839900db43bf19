//! The cleaner against the corpus gold: every `clean`, `greeting` and `status_ping` expectation
//! in `corpus/**/*.expected.json`, scored by `casebook::eval::clean`.

use std::path::Path;

use casebook::config::Config;
use casebook::eval::clean::score_corpus;

#[test]
fn cleaner_matches_the_corpus_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let score = score_corpus(&root, &Config::default());
    let misses: String = score
        .misses
        .iter()
        .map(|m| {
            format!(
                "\n--- {} #{} {}\nexpected:\n{}\ngot:\n{}\n",
                m.file, m.index, m.field, m.expected, m.got
            )
        })
        .collect();
    let report = format!("{}{misses}", score.table());
    assert!(
        score.errors.is_empty(),
        "read errors: {:?}\n{report}",
        score.errors
    );
    let (exact, total) = score.clean();
    assert!(total >= 40, "only {total} clean expectations\n{report}");
    assert!(
        exact * 100 >= total * 95,
        "clean exact {exact}/{total} < 95%\n{report}"
    );
    let (right, pings) = score.pings();
    assert!(
        right * 100 >= pings * 95,
        "status_ping {right}/{pings} < 95%\n{report}"
    );
    let (greeted, greetings) = score.greetings();
    assert!(
        greeted * 100 >= greetings * 95,
        "greeting {greeted}/{greetings} < 95%\n{report}"
    );
}
