//! The shipped confirmation model is what training on the blind dev half gives, byte for byte.
//!
//! Rewrite it after the dev half or the cleaner changes with
//! `CASEBOOK_WRITE_MODEL=1 cargo test --release --test integration learned_model -- --nocapture`; the test then also prints the
//! model's five-fold cross-validated accuracy on the dev half.

use std::path::Path;

use casebook::config::Config;
use casebook::eval::examples::{confirmation_examples, labelled_messages};
use casebook::segment::learned::{train, Model};

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/segment/confirm.model");

fn cross_validated(examples: &[(String, bool)], threshold: f64) -> (usize, usize, usize, usize) {
    let (mut tp, mut fp, mut fn_, mut tn) = (0, 0, 0, 0);
    for fold in 0..5 {
        let train_set: Vec<(String, bool)> = examples
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 != fold)
            .map(|(_, e)| e.clone())
            .collect();
        let m = train(&train_set);
        for (i, (text, y)) in examples.iter().enumerate() {
            if i % 5 == fold {
                match (m.probability(text) > threshold, *y) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    (false, false) => tn += 1,
                }
            }
        }
    }
    (tp, fp, fn_, tn)
}

#[test]
fn the_shipped_confirmation_model_is_reproducible() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/blind/dev");
    let labelled = labelled_messages(&dev, &Config::default()).expect("dev half reads");
    let examples = confirmation_examples(&labelled);
    assert!(examples.len() > 100, "only {} examples", examples.len());
    let model = train(&examples);
    if std::env::var_os("CASEBOOK_WRITE_MODEL").is_some() {
        std::fs::write(MODEL, model.to_text()).expect("model written");
        eprintln!(
            "{} examples, {} features",
            examples.len(),
            model.weights.len()
        );
        for threshold in [0.5, 0.6, 0.7, 0.8] {
            let (tp, fp, fn_, tn) = cross_validated(&examples, threshold);
            eprintln!("5-fold above {threshold}: tp {tp} fp {fp} fn {fn_} tn {tn}");
        }
    }
    let shipped = std::fs::read_to_string(MODEL).expect("model file");
    assert_eq!(
        Model::from_text(&shipped),
        model,
        "src/segment/confirm.model is stale: rerun with CASEBOOK_WRITE_MODEL=1"
    );
}
