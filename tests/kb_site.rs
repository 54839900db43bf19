//! Rendering the KB: every template heading in the article, escaping of mail content in Markdown
//! and HTML, the PII guard, byte-identical output, the index files and user templates.

mod kb_support;
use kb_support::read_tree;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use casebook::kb::{self, Format, KbConfig, SiteFile, Templates, BUILTIN_TEMPLATES};
use casebook::model::{Case, Status};
use kb_support::{case, strings};

fn bsod_pair() -> Vec<Case> {
    let mut a = case(
        "CAS-31007-J6W1N3",
        "2023-10-16",
        "2023-10-19",
        "Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2",
    );
    a.problem = "Laptops crash with a blue screen when Wi-Fi roams.".into();
    a.cause = "A known defect in the network inspection filter nwflt.sys 8.4.2.".into();
    a.resolution = "Upgrade the Endpoint Agent to 8.4.3.".into();
    a.steps = strings(&[
        "Upgrade the Endpoint Agent to 8.4.3",
        "Confirm the driver version",
    ]);
    a.diagnostics = strings(&["Collect C:\\Windows\\MEMORY.DMP"]);
    a.entities.error_codes = strings(&["0x000000D1"]);
    a.entities.files = strings(&["nwflt.sys"]);
    a.entities.versions = strings(&["8.4.2", "8.4.3"]);
    a.entities.products = strings(&["Endpoint Agent"]);
    let mut b = case(
        "CAS-31010-F8K4T2",
        "2023-11-08",
        "2023-11-13",
        "Laptops crash with stop code 0x000000D1 when undocking",
    );
    b.problem = "Laptops crash when taken off the docking station.".into();
    b.cause = "The defect described in advisory NWSA-2023-014 in nwflt.sys.".into();
    b.resolution = "Upgrade the Endpoint Agent to 8.4.3.".into();
    b.steps = strings(&[
        "Upgrade the Endpoint Agent to 8.4.3",
        "Check that nwflt.sys is 8.4.3",
    ]);
    b.entities = a.entities.clone();
    vec![b, a]
}

fn zh_case() -> Case {
    let mut c = case(
        "CAS-06616-G5Z4X1",
        "2022-07-11",
        "2022-08-15",
        "工行广东分行升级失败",
    );
    c.language = "zh".into();
    c.problem = "工行广东分行有设备升级V2020-L失败。".into();
    c.cause = "升级程序setuphost.exe加载了zk_hook.dll文件，它属于zkcloud应用。".into();
    c.steps = strings(&[
        "禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。",
        "使用升级镜像验证离线升级。",
    ]);
    c.entities.files = strings(&["setuphost.exe", "zk_hook.dll"]);
    c
}

/// The `##` headings of a template, in order, read from its source.
fn template_headings(name: &str) -> Vec<String> {
    let (_, source) = BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == name).unwrap();
    source
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(|h| h.trim().to_string())
        .collect()
}

/// `(level, text)` of every heading pulldown-cmark finds, front matter skipped.
fn headings(markdown: &str) -> Vec<(HeadingLevel, String)> {
    let mut out = Vec::new();
    let mut current: Option<(HeadingLevel, String)> = None;
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => current = Some((level, String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, s)) = current.as_mut() {
                    s.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => out.extend(current.take()),
            _ => {}
        }
    }
    out
}

fn render(cases: &[Case], format: Format) -> Vec<SiteFile> {
    let config = KbConfig {
        include_unresolved: true,
        ..KbConfig::default()
    };
    let (articles, _) = kb::articles(cases, &config);
    kb::render_site(&articles, &Templates::builtin().unwrap(), format).unwrap()
}

fn file<'a>(files: &'a [SiteFile], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap().content
}

#[test]
fn merged_article_has_every_english_heading_and_lists_both_cases() {
    let files = render(&bsod_pair(), Format::Markdown);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let id = "cas-31007-j6w1n3-blue-screen-driver-irql-not-less-or-equal-in";
    assert_eq!(paths, ["README.md", "SUMMARY.md", &format!("{id}.md")]);
    let md = file(&files, &format!("{id}.md"));
    let found = headings(md);
    assert_eq!(
        found[0],
        (
            HeadingLevel::H1,
            "Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2".into()
        )
    );
    let h2: Vec<String> = found[1..].iter().map(|(_, t)| t.clone()).collect();
    assert_eq!(h2, template_headings("en/article.md.j2"));
    assert_eq!(
        h2,
        [
            "Issue",
            "Environment",
            "Cause",
            "Resolution",
            "Diagnostics that helped",
            "Related cases"
        ]
    );
    assert!(md.starts_with(&format!(
        "---\nid: \"{id}\"\ntitle: \"Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2\"\n\
         language: \"en\"\nstatus: \"resolved\"\ntags: [\"crash\"]\nproducts: [\"Endpoint Agent\"]\n\
         error_codes: [\"0x000000D1\"]\ncases: [\"CAS-31007-J6W1N3\",\"CAS-31010-F8K4T2\"]\n\
         created: \"2023-10-16\"\nupdated: \"2023-11-13\"\n---\n"
    )));
    assert!(md.contains("Resolved · seen in 2 cases · last updated 2023-11-13\n"));
    assert!(md.contains(
        "## Resolution\n\n1. Upgrade the Endpoint Agent to 8.4.3\n2. Confirm the driver version\n\n"
    ));
    assert!(md.contains("- Collect C:\\\\Windows\\\\MEMORY.DMP\n"));
    assert!(md.contains(
        "| CAS-31007-J6W1N3 | Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2 | 2023-10-16 | 2023-10-19 | 3 | 3 |\n\
         | CAS-31010-F8K4T2 | Laptops crash with stop code 0x000000D1 when undocking | 2023-11-08 | 2023-11-13 | 3 | 5 |\n"
    ));
}

#[test]
fn chinese_case_gets_chinese_headings() {
    let files = render(&[zh_case()], Format::Markdown);
    let md = file(&files, "cas-06616-g5z4x1.md");
    let h2: Vec<String> = headings(md)[1..].iter().map(|(_, t)| t.clone()).collect();
    assert_eq!(
        h2,
        [
            "问题描述",
            "环境",
            "原因",
            "解决方案",
            "诊断方法",
            "相关案例"
        ]
    );
    assert_eq!(h2, template_headings("zh/article.md.j2"));
    assert!(md.contains(
        "## 解决方案\n\n1. 禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。\n2. 使用升级镜像验证离线升级。\n"
    ));
    assert!(
        md.contains("## 原因\n\n升级程序setuphost.exe加载了zk_hook.dll文件，它属于zkcloud应用。\n")
    );
    assert!(md.contains("已解决 · 复用 1 次 · 最后更新 2022-08-15\n"));
}

#[test]
fn script_subject_gives_html_without_a_script_element() {
    let mut c = case(
        "CAS-1",
        "2023-01-02",
        "2023-01-03",
        "<script>alert(1)</script>",
    );
    c.problem =
        "<img src=x onerror=alert(2)> and [click](javascript:alert(3)) <https://evil.example>"
            .into();
    c.cause = "<div>\n<script>alert(4)</script>\n</div>".into();
    c.steps = strings(&["Run `x` then **reboot** ![p](http://evil.example/p.png)"]);
    let files = render(&[c], Format::Html);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "cas-1-script-alert-1-script.html",
            "index.html",
            "style.css"
        ]
    );
    for f in &files {
        let lower = f.content.to_lowercase();
        assert!(!lower.contains("<script"), "{}", f.path);
        assert!(!lower.contains("<img"), "{}", f.path);
        assert!(!lower.contains("<div"), "{}", f.path);
        assert!(!lower.contains("href=\"javascript"), "{}", f.path);
        assert!(!lower.contains("href=\"http"), "{}", f.path);
        assert!(!lower.contains("<strong"), "{}", f.path);
    }
    let page = file(&files, "cas-1-script-alert-1-script.html");
    assert!(page.contains("<title>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</title>"));
    assert!(page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert!(page
        .contains("<li>Run `x` then **reboot** ![p](<code>http://evil.example/p.png</code>)</li>"));
    // The only links are the ones casebook makes: home, and the index's article links.
    assert_eq!(page.matches("<a ").count(), 1);
    assert!(page.contains("<nav><a href=\"index.html\">Knowledge base</a></nav>"));
}

#[test]
fn html_renderer_escapes_raw_html_that_reaches_it() {
    let html = kb::markdown_to_html("a <b>bold</b>\n\n<script>alert(1)</script>\n");
    assert_eq!(
        html,
        "<p>a &lt;b&gt;bold&lt;/b&gt;</p>\n&lt;script&gt;alert(1)&lt;/script&gt;\n"
    );
}

#[test]
fn emails_and_phone_numbers_never_reach_an_article() {
    let mut c = case(
        "CAS-2",
        "2023-01-02",
        "2023-01-05",
        "Agent stops after update",
    );
    c.resolution = "Call 400-818-0055 or write to li.na@customer.example.".into();
    c.steps = strings(&["Ask Li Na (+86 138 1234 5678) to restart the agent"]);
    c.diagnostics = strings(&["Send the logs to support@northwind.example"]);
    let (articles, report) = kb::build(&[c], &KbConfig::default());
    let a = &articles[0];
    assert_eq!(a.resolution, "Call [phone] or write to [email].");
    assert_eq!(a.steps, ["Ask Li Na ([phone]) to restart the agent"]);
    assert_eq!(a.diagnostics, ["Send the logs to [email]"]);
    let fired: Vec<(&str, &str)> = report
        .guard
        .iter()
        .map(|(id, rule)| (id.as_str(), rule.as_str()))
        .collect();
    assert_eq!(
        fired,
        [
            ("cas-2-agent-stops-after-update", "email"),
            ("cas-2-agent-stops-after-update", "phone-cn-hotline"),
            ("cas-2-agent-stops-after-update", "phone-cn-mobile"),
            ("cas-2-agent-stops-after-update", "email"),
        ]
    );
    let md = Templates::builtin().unwrap().article(a).unwrap();
    assert!(!md.contains('@'));
    assert!(!md.contains("0055"));
}

#[test]
fn unresolved_cases_are_left_out_unless_asked_for() {
    let mut open = case("CAS-3", "2023-01-02", "2023-01-05", "Printing is slow");
    open.status = Status::Unresolved;
    open.closed = None;
    let (articles, report) = kb::build(std::slice::from_ref(&open), &KbConfig::default());
    assert!(articles.is_empty());
    assert_eq!(report.skipped_unresolved, 1);
    let files = render(&[open], Format::Markdown);
    let md = file(&files, "cas-3-printing-is-slow.md");
    assert!(md.contains("status: \"unresolved\""));
    assert!(md.contains("Not resolved yet · seen in 1 case"));
    assert!(md.contains("| CAS-3 | Printing is slow | 2023-01-02 | — | 3 | — |"));
}

#[test]
fn the_same_cases_give_byte_identical_trees() {
    let mut cases = bsod_pair();
    cases.push(zh_case());
    for format in [Format::Markdown, Format::Html] {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        kb::write_site(one.path(), &render(&cases, format)).unwrap();
        let mut shuffled = cases.clone();
        shuffled.rotate_left(1);
        kb::write_site(two.path(), &render(&shuffled, format)).unwrap();
        let a = read_tree(one.path());
        assert_eq!(a.len(), 4);
        assert_eq!(a, read_tree(two.path()));
    }
}

#[test]
fn index_and_summary_group_by_product_and_tag() {
    let mut cases = bsod_pair();
    cases.push(zh_case());
    let files = render(&cases, Format::Markdown);
    let bsod = "cas-31007-j6w1n3-blue-screen-driver-irql-not-less-or-equal-in.md";
    let title = "Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2";
    assert_eq!(
        file(&files, "SUMMARY.md"),
        format!(
            "# Summary\n\n[Knowledge base · 知识库](README.md)\n\n\
             # Endpoint Agent\n\n- [crash]()\n    - [{title}]({bsod})\n\n\
             # Other · 其他\n\n- [upgrade]()\n    - [工行广东分行升级失败](cas-06616-g5z4x1.md)\n"
        )
    );
    let readme = file(&files, "README.md");
    assert!(readme.contains("Articles · 文章：2 · Cases · 案例：3\n"));
    assert!(readme.contains(&format!(
        "## By product · 按产品\n\n### Endpoint Agent\n\n- [{title}]({bsod})\n\n### Other · 其他\n\n- [工行广东分行升级失败](cas-06616-g5z4x1.md)\n"
    )));
    assert!(readme.contains(&format!(
        "## By tag · 按标签\n\n### crash\n\n- [{title}]({bsod})\n\n### upgrade\n\n- [工行广东分行升级失败](cas-06616-g5z4x1.md)\n"
    )));
}

#[test]
fn user_templates_override_the_builtin_ones_and_are_escaped_too() {
    let templates = Templates::with_overrides(vec![(
        "en/article.md.j2".to_string(),
        "# {{ article.title }}\n{% for c in article.cases %}* {{ c.id }}\n{% endfor %}".to_string(),
    )])
    .unwrap();
    let mut c = case("CAS-4", "2023-01-02", "2023-01-03", "Sync *fails*");
    c.status = Status::Resolved;
    let (articles, _) = kb::articles(&[c], &KbConfig::default());
    assert_eq!(
        templates.article(&articles[0]).unwrap(),
        "# Sync \\*fails\\*\n* CAS-4\n"
    );
    let broken = Templates::with_overrides(vec![(
        "index.md.j2".to_string(),
        "{% for x in %}".to_string(),
    )]);
    let message = broken.err().unwrap().to_string();
    assert!(
        message.starts_with("templates/index.md.j2: syntax error"),
        "{message}"
    );
}

#[test]
fn a_second_run_removes_only_the_pages_it_no_longer_generates() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("notes.md");
    std::fs::write(&own, "# my notes\n").unwrap();
    let mut cases = bsod_pair();
    cases.push(zh_case());
    assert!(
        kb::write_site(dir.path(), &render(&cases, Format::Markdown))
            .unwrap()
            .is_empty()
    );
    let removed = kb::write_site(dir.path(), &render(&[zh_case()], Format::Markdown)).unwrap();
    assert_eq!(
        removed,
        ["cas-31007-j6w1n3-blue-screen-driver-irql-not-less-or-equal-in.md"]
    );
    let left: Vec<String> = read_tree(dir.path()).into_keys().collect();
    assert_eq!(
        left,
        ["README.md", "SUMMARY.md", "cas-06616-g5z4x1.md", "notes.md"]
    );
}
