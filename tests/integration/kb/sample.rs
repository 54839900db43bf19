//! The user's real sample (`shared/samples/case-export-zh.txt`, one Chinese case in 16 mails)
//! through the whole pipeline into a KB article.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use casebook::config::Config;
use casebook::ingest::{self, NoProgress};
use casebook::kb::{self, KbConfig, PageOptions, Templates, BUILTIN_TEMPLATES};
use casebook::model::KcsState;
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
    // Customer-neutral: the subject's `|ICBC|`, the signature's 中国工商银行 and its short form
    // 工行 with the branch after it are all gone; the title keeps the problem and the version.
    assert_eq!(a.title, "升级失败（V2020-L）");
    assert_eq!(a.symptoms[0].text, "客户有设备升级V2020-L失败。");
    // Validated: the fix was confirmed and written up in the case summary (message 16).
    assert_eq!(a.state, KcsState::Validated);
    assert_eq!(a.steps.len(), 2);
    assert!(
        a.steps[0].text.starts_with("禁用zkcloud相关应用和服务"),
        "{:?}",
        a.steps
    );
    assert!(
        a.steps[1].text.starts_with("使用升级镜像验证离线升级"),
        "{:?}",
        a.steps
    );
    for s in a.steps.iter().chain(&a.symptoms).chain(&a.resolution) {
        assert_eq!(
            (s.case.as_str(), s.message),
            ("CAS-06616-G5Z4X1", 16),
            "{s:?}"
        );
    }
    assert!(
        a.cause.iter().any(|s| s.text.contains("zk_hook.dll")),
        "{:?}",
        a.cause
    );
    assert!(a.cause.iter().all(|s| s.message == 16), "{:?}", a.cause);

    let md = Templates::builtin().unwrap().article(a).unwrap();
    let template = BUILTIN_TEMPLATES
        .iter()
        .find(|(n, _)| *n == "zh/article.md.j2")
        .map(|(_, s)| *s)
        .unwrap();
    let expected: Vec<String> = template
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|h| *h != "相关案例")
        .map(String::from)
        .collect();
    assert_eq!(h2(&md), expected);
    let mut expected_h2 = expected;
    assert!(md.contains("1. 禁用zkcloud相关应用和服务"), "{md}");
    assert!(md.contains("2. 使用升级镜像验证离线升级"), "{md}");
    assert!(
        md.contains("\n[^1]: CAS-06616-G5Z4X1 第 16 封邮件\n"),
        "{md}"
    );
    for name in ["工行", "广东分行", "ICBC", "工商银行"] {
        assert!(!md.contains(name), "{name} in\n{md}");
    }
    // The internal page adds the case table, the customer code and the raw case title.
    let internal = Templates::builtin()
        .unwrap()
        .article_page(
            a,
            &PageOptions {
                internal: true,
                links: None,
            },
        )
        .unwrap();
    assert!(internal.contains("customers: [\"ICBC\"]\n"), "{internal}");
    assert!(
        internal.contains("| CAS-06616-G5Z4X1 | 工行广东分行升级失败 |"),
        "{internal}"
    );
    expected_h2.push("相关案例".into());
    assert_eq!(h2(&internal), expected_h2);
    // No person's name, address or phone number from the thread.
    for pii in ["weiliang@cmgos.com", "17606669571", "许  翔", "Wei Liang"] {
        assert!(!md.contains(pii), "{pii} in\n{md}");
    }
}
