//! The merge rule against `corpus/gold/kb-*.json`: cases built from the gold case labels (their
//! entities, steps and the cause/resolution phrases the labels quote) must merge into exactly
//! the gold pairs — no pair missing, no other merge (the corpus has lookalikes: the same stop
//! code 0x000000D1 in an English and a Chinese pair, ORA-00600 in two unrelated products).

use std::collections::BTreeSet;

use serde_json::Value;

use casebook::kb::{self, KbConfig};
use casebook::model::{Case, Status};

fn corpus(path: &str) -> Value {
    let full = format!("{}/corpus/gold/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn list(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn gold_case(g: &Value) -> Case {
    let s = |k: &str| g[k].as_str().unwrap_or("").to_string();
    let mut c = crate::support::kb::case(&s("id"), &s("opened"), &s("closed"), &s("title"));
    c.language = s("language");
    c.status = if s("status") == "resolved" {
        Status::Resolved
    } else {
        Status::Unresolved
    };
    c.problem = list(&g["problem"]["contains"]).join("\n");
    c.cause = list(&g["cause"]["contains"]).join("\n");
    c.resolution = list(&g["resolution"]["contains"]).join("\n");
    c.steps = list(&g["steps"]);
    let e = &g["entities"];
    c.entities.error_codes = list(&e["error_codes"]);
    c.entities.files = list(&e["files"]);
    c.entities.versions = list(&e["versions"]);
    c.entities.kb = list(&e["kb"]);
    c.entities.commands = list(&e["commands"]);
    c
}

#[test]
fn gold_pairs_merge_and_nothing_else_does() {
    let mut cases = Vec::new();
    for file in ["cases-en.json", "cases-zh.json"] {
        cases.extend(corpus(file).as_array().unwrap().iter().map(gold_case));
    }
    assert_eq!(cases.len(), 24);
    let mut expected: BTreeSet<Vec<String>> = BTreeSet::new();
    for file in ["kb-en.json", "kb-zh.json"] {
        for pair in corpus(file)["merged"].as_array().unwrap() {
            let mut ids = list(pair);
            ids.sort();
            expected.insert(ids);
        }
    }
    let config = KbConfig {
        include_unresolved: true,
        report_floor: 0.0,
        ..KbConfig::default()
    };
    let (articles, decisions) = kb::articles(&cases, &config);
    let merged: BTreeSet<Vec<String>> = articles
        .iter()
        .filter(|a| a.cases.len() > 1)
        .map(|a| {
            let mut ids: Vec<String> = a.cases.iter().map(|c| c.id.clone()).collect();
            ids.sort();
            ids
        })
        .collect();
    assert_eq!(merged, expected, "decisions: {decisions:#?}");
    assert_eq!(articles.len(), 22);
    // Every pair sharing a key entity that a summary names was compared and reported (the floor
    // is 0 here).
    assert_eq!(decisions.len(), 5);
    let closest_miss = decisions
        .iter()
        .filter(|d| !d.merged)
        .map(|d| d.score)
        .fold(0.0, f32::max);
    assert_eq!(closest_miss, 0.145);
    let weakest_merge = decisions
        .iter()
        .filter(|d| d.merged)
        .map(|d| d.score)
        .fold(1.0, f32::min);
    assert_eq!(weakest_merge, 0.322);
    let bsod = articles
        .iter()
        .find(|a| a.cases.iter().any(|c| c.id == "CAS-31007-J6W1N3"))
        .unwrap();
    assert_eq!(bsod.id, "cas-31007-j6w1n3");
    assert_eq!(bsod.error_codes, ["0x000000D1"]);
    assert_eq!(bsod.steps[0].text, "Upgrade the Endpoint Agent to 8.4.3");
}
