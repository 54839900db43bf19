//! Rendering the KB: every template heading in the article, escaping of mail content in Markdown
//! and HTML, the PII guard, byte-identical output, the index files and user templates.

use crate::support::kb::read_tree;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::support::kb::{case, strings};
use casebook::kb::{
    self, Format, KbConfig, Manifest, Site, SiteFile, SiteOptions, Templates, BUILTIN_TEMPLATES,
};
use casebook::model::{Case, Removal, RemovalReason, Status};

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
    c.entities.versions = strings(&["V2020-L"]);
    c.customer = Some("ICBC".into());
    c.messages[0].text = "工行广东分行有设备升级V2020-L失败。".into();
    c.messages[1].text = "升级程序setuphost.exe加载了zk_hook.dll文件，它属于zkcloud应用。\n\
                          1）禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。\n\
                          2）使用升级镜像验证离线升级。"
        .into();
    c.messages[2].text = "问题已解决，请关单。".into();
    c.messages[2].removed.push(Removal {
        reason: RemovalReason::Signature,
        rule: "signature".into(),
        text: "中国工商银行软件开发中心（珠海）\n[customer-1]\n电话：[phone]".into(),
    });
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

fn config() -> KbConfig {
    KbConfig {
        include_unresolved: true,
        ..KbConfig::default()
    }
}

/// The site for `cases` as a first run into an empty directory makes it.
fn site(cases: &[Case], options: &SiteOptions) -> Site {
    let (articles, report) = kb::build(cases, &config(), &Manifest::default());
    let templates = Templates::builtin().unwrap();
    kb::render(
        &articles,
        &templates,
        options,
        &Manifest::default(),
        &report.redirects,
        &report.kcs,
    )
    .unwrap()
}

fn render(cases: &[Case], format: Format) -> Vec<SiteFile> {
    let options = SiteOptions {
        format,
        ..SiteOptions::default()
    };
    site(cases, &options).files
}

fn file<'a>(files: &'a [SiteFile], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap().content
}

#[test]
fn merged_article_has_every_english_heading_and_lists_both_cases() {
    let files = render(&bsod_pair(), Format::Markdown);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let id = "cas-31007-j6w1n3-blue-screen-driver-irql-not-less-or-equal-in";
    assert_eq!(
        paths,
        [
            "README.md",
            "SUMMARY.md",
            &format!("{id}.md"),
            "manifest.json"
        ]
    );
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
    let mut expected = template_headings("en/article.md.j2");
    assert_eq!(expected.pop().as_deref(), Some("Related cases"));
    assert_eq!(h2, expected);
    assert_eq!(
        h2,
        [
            "Issue",
            "Environment",
            "Cause",
            "Resolution",
            "Diagnostics that helped",
        ]
    );
    assert!(md.starts_with(
        "---\nid: \"cas-31007-j6w1n3\"\ntitle: \"Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2\"\n\
         language: \"en\"\nstatus: \"resolved\"\nstate: \"WIP\"\nreuse: 2\ntags: [\"crash\"]\n\
         products: [\"Endpoint Agent\"]\nerror_codes: [\"0x000000D1\"]\n\
         cases: [\"CAS-31007-J6W1N3\",\"CAS-31010-F8K4T2\"]\n\
         created: \"2023-10-16\"\nupdated: \"2023-11-13\"\n---\n"
    ));
    // The test cases carry no confidence: the documented rule makes them WIP.
    assert!(md.contains("WIP · Resolved · seen in 2 cases · last updated 2023-11-13\n"));
    assert!(md.contains(
        "## Resolution\n\n1. Upgrade the Endpoint Agent to 8.4.3[^1]\n2. Confirm the driver version[^1]\n\n"
    ));
    assert!(md.contains(
        "## Cause\n\nA known defect in the network inspection filter nwflt.sys 8.4.2.[^1]\n"
    ));
    assert!(
        md.ends_with("\n[^1]: CAS-31007-J6W1N3, message 3\n"),
        "{md}"
    );
    assert!(md.contains("- Collect C:\\\\Windows\\\\MEMORY.DMP\n"));
    // The related-case table is for the internal audience only.
    assert!(!md.contains("CAS-31010-F8K4T2 |"));
    let internal = site(
        &bsod_pair(),
        &SiteOptions {
            internal: true,
            ..SiteOptions::default()
        },
    );
    let md = file(&internal.files, &format!("{id}.md"));
    assert_eq!(
        headings(md).last().map(|(_, t)| t.as_str()),
        Some("Related cases")
    );
    assert!(md.contains(
        "| CAS-31007-J6W1N3 | Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2 | 2023-10-16 | 2023-10-19 | 3 | 3 |\n\
         | CAS-31010-F8K4T2 | Laptops crash with stop code 0x000000D1 when undocking | 2023-11-08 | 2023-11-13 | 3 | 5 |\n"
    ));
}

#[test]
fn chinese_case_gets_chinese_headings() {
    let files = render(&[zh_case()], Format::Markdown);
    let md = file(&files, "cas-06616-g5z4x1-v2020-l.md");
    let h2: Vec<String> = headings(md)[1..].iter().map(|(_, t)| t.clone()).collect();
    assert_eq!(h2, ["问题描述", "环境", "原因", "解决方案", "诊断方法"]);
    let mut expected = template_headings("zh/article.md.j2");
    assert_eq!(expected.pop().as_deref(), Some("相关案例"));
    assert_eq!(h2, expected);
    assert!(md.contains("# 升级失败（V2020-L）\n"));
    assert!(md.contains("## 问题描述\n\n客户有设备升级V2020-L失败。[^1]\n"));
    assert!(md.contains(
        "## 解决方案\n\n1. 禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。[^2]\n2. 使用升级镜像验证离线升级。[^2]\n"
    ));
    assert!(md.contains(
        "## 原因\n\n升级程序setuphost.exe加载了zk_hook.dll文件，它属于zkcloud应用。[^2]\n"
    ));
    assert!(md.contains("[^1]: CAS-06616-G5Z4X1 第 1 封邮件\n[^2]: CAS-06616-G5Z4X1 第 2 封邮件\n"));
    assert!(md.contains("WIP · 已解决 · 复用 1 次 · 最后更新 2022-08-15\n"));
    for name in ["工行", "广东分行", "ICBC", "工商银行"] {
        assert!(!md.contains(name), "{name} in {md}");
    }
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
    let files = render(std::slice::from_ref(&c), Format::Html);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "cas-1-script-alert-1-script.html",
            "cases/cas-1.html",
            "index.html",
            "manifest.json",
            "style.css"
        ]
    );
    for f in &files {
        let lower = f.content.to_lowercase();
        assert!(!lower.contains("<script"), "{}", f.path);
        assert!(!lower.contains("<img"), "{}", f.path);
        // The only elements that are not escaped text are casebook's own footnotes.
        assert_eq!(
            lower.matches("<div").count(),
            lower.matches("<div class=\"footnote-definition\"").count(),
            "{}",
            f.path
        );
        assert!(!lower.contains("href=\"javascript"), "{}", f.path);
        assert!(!lower.contains("href=\"http"), "{}", f.path);
        assert!(!lower.contains("<strong"), "{}", f.path);
    }
    let page = file(&files, "cas-1-script-alert-1-script.html");
    assert!(page.contains("<title>&lt;script&gt;alert(1)&lt;&#x2f;script&gt;</title>"));
    assert!(page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
    assert!(page.contains(
        "<li>Run `x` then **reboot** ![p](<code>http://evil.example/p.png</code>)<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></li>"
    ), "{page}");
    // The only links are the ones casebook makes: home, the footnote marks and the citations
    // (to the per-case appendix, as there is no `--case-url`).
    let links: Vec<&str> = page
        .match_indices("<a href=\"")
        .map(|(i, _)| &page[i + 9..i + 9 + page[i + 9..].find('"').unwrap()])
        .collect();
    assert_eq!(
        links,
        [
            "index.html",
            "#1",
            "#1",
            "#1",
            "#1",
            "#1",
            "cases/cas-1.html#m3"
        ]
    );
    assert!(page.contains("<a href=\"cases/cas-1.html#m3\">CAS-1, message 3</a>"));
    let appendix = file(&files, "cases/cas-1.html");
    assert!(
        appendix.contains("<h2 id=\"m3\">Message 3</h2>"),
        "{appendix}"
    );
    let served = site(
        &[c],
        &SiteOptions {
            format: Format::Html,
            case_url: Some("http://localhost:8080/".into()),
            ..SiteOptions::default()
        },
    );
    let page = file(&served.files, "cas-1-script-alert-1-script.html");
    assert!(page.contains("<a href=\"http://localhost:8080/cases/CAS-1#m3\">CAS-1, message 3</a>"));
    assert!(!served.files.iter().any(|f| f.path.starts_with("cases/")));
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
    let (articles, report) = kb::build(&[c], &KbConfig::default(), &Manifest::default());
    let a = &articles[0];
    assert_eq!(a.resolution[0].text, "Call [phone] or write to [email].");
    assert_eq!(a.steps[0].text, "Ask Li Na ([phone]) to restart the agent");
    assert_eq!(a.diagnostics, ["Send the logs to [email]"]);
    let fired: Vec<(&str, &str)> = report
        .guard
        .iter()
        .map(|(id, rule)| (id.as_str(), rule.as_str()))
        .collect();
    assert_eq!(
        fired,
        [
            ("cas-2", "email"),
            ("cas-2", "phone-cn-hotline"),
            ("cas-2", "phone-cn-mobile"),
            ("cas-2", "email"),
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
    let (articles, report) = kb::build(
        std::slice::from_ref(&open),
        &KbConfig::default(),
        &Manifest::default(),
    );
    assert!(articles.is_empty());
    assert_eq!(report.skipped_unresolved, 1);
    let internal = SiteOptions {
        internal: true,
        ..SiteOptions::default()
    };
    let files = site(&[open], &internal).files;
    let md = file(&files, "cas-3-printing-is-slow.md");
    assert!(md.contains("status: \"unresolved\""));
    assert!(md.contains("WIP · Not resolved yet · seen in 1 case"));
    assert!(md.contains("| CAS-3 | Printing is slow | 2023-01-02 | — | 3 | — |"));
}

#[test]
fn the_same_cases_give_byte_identical_trees() {
    let mut cases = bsod_pair();
    cases.push(zh_case());
    for format in [Format::Markdown, Format::Html] {
        let one = tempfile::tempdir().unwrap();
        let two = tempfile::tempdir().unwrap();
        let options = SiteOptions {
            format,
            ..SiteOptions::default()
        };
        kb::write_site(one.path(), &site(&cases, &options)).unwrap();
        let mut shuffled = cases.clone();
        shuffled.rotate_left(1);
        kb::write_site(two.path(), &site(&shuffled, &options)).unwrap();
        let a = read_tree(one.path());
        assert_eq!(a.len(), if format == Format::Html { 7 } else { 5 });
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
             # Other · 其他\n\n- [upgrade]()\n    - [升级失败（V2020-L）](cas-06616-g5z4x1-v2020-l.md)\n"
        )
    );
    let readme = file(&files, "README.md");
    assert!(readme.contains(
        "Articles · 文章：2 · Cases · 案例：3 · Link rate · 关联率：0.0% (0/3)\n\n\
         | KCS state · 状态 | Articles · 文章 |\n| --- | --- |\n| WIP | 2 |\n"
    ));
    assert!(readme.contains(&format!(
        "## By product · 按产品\n\n### Endpoint Agent\n\n- [{title}]({bsod})\n\n### Other · 其他\n\n- [升级失败（V2020-L）](cas-06616-g5z4x1-v2020-l.md)\n"
    )));
    assert!(readme.contains(&format!(
        "## By tag · 按标签\n\n### crash\n\n- [{title}]({bsod})\n\n### upgrade\n\n- [升级失败（V2020-L）](cas-06616-g5z4x1-v2020-l.md)\n"
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

/// What `casebook kb` does: the previous manifest, grouping, rendering, writing.
fn run(dir: &std::path::Path, cases: &[Case]) -> (Vec<casebook::model::Article>, kb::Written) {
    let previous = kb::load_manifest(dir, Format::Markdown);
    let (articles, report) = kb::build(cases, &config(), &previous);
    let site = kb::render(
        &articles,
        &Templates::builtin().unwrap(),
        &SiteOptions::default(),
        &previous,
        &report.redirects,
        &report.kcs,
    )
    .unwrap();
    (articles, kb::write_site(dir, &site).unwrap())
}

#[test]
fn a_second_run_removes_only_the_pages_it_no_longer_generates() {
    let dir = tempfile::tempdir().unwrap();
    let own = dir.path().join("notes.md");
    std::fs::write(&own, "# my notes\n").unwrap();
    let mut cases = bsod_pair();
    cases.push(zh_case());
    assert!(run(dir.path(), &cases).1.removed.is_empty());
    let (_, written) = run(dir.path(), &[zh_case()]);
    assert_eq!(
        written.removed,
        ["cas-31007-j6w1n3-blue-screen-driver-irql-not-less-or-equal-in.md"]
    );
    assert_eq!(
        written.written,
        ["README.md", "SUMMARY.md", "manifest.json"]
    );
    let left: Vec<String> = read_tree(dir.path()).into_keys().collect();
    assert_eq!(
        left,
        [
            "README.md",
            "SUMMARY.md",
            "cas-06616-g5z4x1-v2020-l.md",
            "manifest.json",
            "notes.md"
        ]
    );
}

#[test]
fn a_case_joining_an_article_rewrites_only_it_and_the_indexes_and_keeps_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let [newer, older]: [Case; 2] = bsod_pair().try_into().unwrap();
    let (first, _) = run(dir.path(), &[newer.clone(), zh_case()]);
    let ids: Vec<&str> = first.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["cas-06616-g5z4x1", "cas-31010-f8k4t2"]);
    let before = read_tree(dir.path());

    // An earlier case joins: the id stays, the title now comes from the fuller case, so the page
    // is renamed and its old name redirects.
    let (second, written) = run(dir.path(), &[older, newer, zh_case()]);
    let ids: Vec<&str> = second.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["cas-06616-g5z4x1", "cas-31010-f8k4t2"]);
    assert_eq!(second[1].cases.len(), 2);
    let new = "cas-31010-f8k4t2-blue-screen-driver-irql-not-less-or-equal-in.md";
    let old = "cas-31010-f8k4t2-laptops-crash-with-stop-code-0x000000d1-when.md";
    assert_eq!(
        written.written,
        ["README.md", "SUMMARY.md", new, old, "manifest.json"]
    );
    assert_eq!(written.unchanged, 1);
    let redirect = String::from_utf8(read_tree(dir.path())[old].clone()).unwrap();
    assert_eq!(
        redirect,
        format!(
            "---\nredirect: \"{new}\"\n---\n\n# Moved · 已移动\n\n\
             This article is now [Blue screen DRIVER_IRQL_NOT_LESS_OR_EQUAL in nwflt.sys after agent 8.4.2]({new}).\n"
        )
    );
    let after = read_tree(dir.path());
    assert_eq!(
        after["cas-06616-g5z4x1-v2020-l.md"],
        before["cas-06616-g5z4x1-v2020-l.md"]
    );
    // A third run with nothing new writes nothing.
    let (_, again) = run(dir.path(), &[bsod_pair(), vec![zh_case()]].concat());
    assert!(again.written.is_empty(), "{:?}", again.written);
    assert_eq!(read_tree(dir.path()), after);
}
