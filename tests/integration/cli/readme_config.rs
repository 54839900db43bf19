//! The `casebook.toml` example in README.md is a valid config: users copy it.

use std::path::Path;

use casebook::config::Config;

#[test]
fn the_readme_config_example_parses_and_compiles() {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split("## Configuration")
        .nth(1)
        .expect("README has a Configuration section");
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the section has a toml block");
    let config = Config::from_toml(block, Path::new("README.md")).unwrap();
    assert_eq!(config.thread.case_patterns, vec![r"TCK-(\d{6})"]);
    assert_eq!(config.segment.engineers, vec!["Wei Liang"]);
    assert_eq!(config.kb.merge_threshold, 0.17);
    assert_eq!(config.kb.customers["ICBC"], ["工行", "中国工商银行"]);
    assert_eq!(config.suggest.abstain_below, 0.08);
    assert_eq!(config.search.synonyms[0], vec!["工单", "ticket"]);
}
