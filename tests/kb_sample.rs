//! The user's real sample (`shared/samples/case-export-zh.txt`, one Chinese case in 16 mails)
//! through the whole pipeline into a KB article.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use casebook::config::Config;
use casebook::ingest::{self, NoProgress};
use casebook::kb::{self, KbConfig, Templates, BUILTIN_TEMPLATES};
use casebook::pipeline::{self, Publish};

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/samples/case-export-zh.txt"
);

fn h2(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) if level as usize == 2 => {
                current = Some(String::new())
            }
            Event::Text(t) => {
                if let Some(s) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

#[test]
fn sample_case_article_has_the_zkcloud_fix_and_cause() {
    let ingested = ingest::read_paths(&[SAMPLE.into()], &mut NoProgress);
    assert!(ingested.errors.is_empty());
    let cases = pipeline::cases(ingested.messages, &Config::default(), Publish::default());
    assert_eq!(cases.len(), 1);
    let (articles, _) = kb::articles(&cases, &KbConfig::default());
    assert_eq!(articles.len(), 1);
    let a = &articles[0];
    assert_eq!(a.id, "cas-06616-g5z4x1");
    assert_eq!(a.language, "zh");
    assert_eq!(a.steps.len(), 2);
    assert!(
        a.steps[0].starts_with("禁用zkcloud相关应用和服务"),
        "{:?}",
        a.steps
    );
    assert!(
        a.steps[1].starts_with("使用升级镜像验证离线升级"),
        "{:?}",
        a.steps
    );
    assert!(a.cause.contains("zk_hook.dll"), "{}", a.cause);

    let md = Templates::builtin().unwrap().article(a).unwrap();
    let template = BUILTIN_TEMPLATES
        .iter()
        .find(|(n, _)| *n == "zh/article.md.j2")
        .map(|(_, s)| *s)
        .unwrap();
    let expected: Vec<String> = template
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(String::from)
        .collect();
    assert_eq!(h2(&md), expected);
    assert!(md.contains("1. 禁用zkcloud相关应用和服务"), "{md}");
    assert!(md.contains("2. 使用升级镜像验证离线升级"), "{md}");
    // No person's name, address or phone number from the thread.
    for pii in ["weiliang@cmgos.com", "17606669571", "许  翔", "Wei Liang"] {
        assert!(!md.contains(pii), "{pii} in\n{md}");
    }
}
