//! The store on hand-built cases (no readers involved): upsert is idempotent, a changed case is
//! replaced, search finds Chinese, English and technical tokens, filters and facets hold.

use casebook::index::{IngestReport, SearchRequest, Store};
use casebook::model::{Case, CaseMessage, Confidence, Entities, Kind, Role, Source, Status};
use chrono::{TimeZone, Utc};

fn message(index: usize, text: &str) -> CaseMessage {
    CaseMessage {
        index,
        from: format!("[person-{index}]"),
        role: Role::Engineer,
        kind: Kind::Analysis,
        date: None,
        text: text.to_string(),
        greeting: None,
        status_ping: false,
        removed: Vec::new(),
        source: Source {
            path: "hand-built".into(),
            index,
        },
    }
}

fn case(
    id: &str,
    lang: &str,
    customer: &str,
    year: i32,
    title: &str,
    problem: &str,
    body: &[&str],
) -> Case {
    Case {
        id: id.to_string(),
        title: title.to_string(),
        language: lang.to_string(),
        customer: Some(customer.to_string()),
        priority: None,
        status: if year < 2023 {
            Status::Resolved
        } else {
            Status::Unresolved
        },
        opened: Some(Utc.with_ymd_and_hms(year, 7, 6, 8, 0, 0).unwrap()),
        closed: None,
        messages: body
            .iter()
            .enumerate()
            .map(|(i, t)| message(i + 1, t))
            .collect(),
        problem: problem.to_string(),
        analysis: String::new(),
        cause: String::new(),
        resolution: String::new(),
        steps: Vec::new(),
        diagnostics: Vec::new(),
        entities: Entities {
            products: vec!["V2020".into()],
            ..Entities::default()
        },
        confidence: Confidence::default(),
        fingerprint: String::new(),
    }
}

fn cases() -> Vec<Case> {
    vec![
        case(
            "CAS-06616-G5Z4X1",
            "zh",
            "ICBC",
            2022,
            "工行广东分行升级失败",
            "工行广东分行有设备升级V2020-L失败。",
            &[
                "发现升级失败的设备未能初始化DISM操作。",
                "setuphost.exe加载了zk_hook.dll文件。",
            ],
        ),
        case(
            "CAS-10001-ABC123",
            "en",
            "ACME",
            2023,
            "Backup job fails with 0x80070005",
            "The nightly backup job fails with access denied (０ｘ８００７０００５).",
            &[
                "Please run Get-FileHash on the installer.",
                "The service account lacks rights.",
            ],
        ),
        case(
            "CAS-20002-ZZZ999",
            "zh",
            "ICBC",
            2023,
            "打印服务崩溃",
            "打印后台处理程序反复崩溃，升级驱动后仍然失败。",
            &["请收集 spoolsv.exe 的转储。"],
        ),
    ]
}

fn ids(store: &Store, query: &str) -> Vec<String> {
    let req = SearchRequest {
        query: query.to_string(),
        limit: 10,
        ..SearchRequest::default()
    };
    store
        .search(&req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn upsert_search_replace_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let first = store.upsert(&cases()).unwrap();
    assert_eq!(
        first,
        IngestReport {
            added: 3,
            replaced: 0,
            unchanged: 0,
            removed: 0
        }
    );
    let again = store.upsert(&cases()).unwrap();
    assert_eq!(
        again,
        IngestReport {
            added: 0,
            replaced: 0,
            unchanged: 3,
            removed: 0
        }
    );

    assert_eq!(
        ids(&store, "升级失败"),
        ["CAS-06616-G5Z4X1", "CAS-20002-ZZZ999"]
    );
    assert_eq!(ids(&store, "zk_hook"), ["CAS-06616-G5Z4X1"]);
    assert_eq!(ids(&store, "zk_hook.dll"), ["CAS-06616-G5Z4X1"]);
    assert_eq!(ids(&store, "06616"), ["CAS-06616-G5Z4X1"]);
    assert_eq!(ids(&store, "V2020-L"), ["CAS-06616-G5Z4X1"]);
    assert_eq!(ids(&store, "\"DISM 初始化\""), ["CAS-06616-G5Z4X1"]);
    assert_eq!(ids(&store, "0x80070005"), ["CAS-10001-ABC123"]);
    assert_eq!(ids(&store, "filehash"), ["CAS-10001-ABC123"]);
    assert_eq!(ids(&store, "backup access denied"), ["CAS-10001-ABC123"]);
    // No case has both words, so any word is enough.
    assert_eq!(
        ids(&store, "spoolsv.exe backup"),
        ["CAS-10001-ABC123", "CAS-20002-ZZZ999"]
    );

    let filtered = store
        .search(&SearchRequest {
            query: "升级".into(),
            limit: 10,
            customer: Some("icbc".into()),
            since: Some("2023".into()),
            ..SearchRequest::default()
        })
        .unwrap();
    assert_eq!(filtered.total, 1);
    assert_eq!(filtered.hits[0].id, "CAS-20002-ZZZ999");
    assert_eq!(
        filtered.facets,
        serde_json::json!({
            "customer": {"ICBC": 1},
            "status": {"unresolved": 1},
            "year": {"2023": 1},
            "language": {"zh": 1},
        })
    );

    let hit = &store
        .search(&SearchRequest {
            query: "zk_hook.dll".into(),
            limit: 1,
            ..SearchRequest::default()
        })
        .unwrap()
        .hits[0];
    let highlighted: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&(a, b)| &hit.snippet[a..b])
        .collect();
    assert_eq!(highlighted, ["zk_hook.dll"]);

    let mut grown = cases();
    grown[0].messages.push(message(3, "问题已解决，请关单。"));
    let report = store.upsert(&grown).unwrap();
    assert_eq!(
        report,
        IngestReport {
            added: 0,
            replaced: 1,
            unchanged: 2,
            removed: 0
        }
    );
    let stats = store.stats().unwrap();
    assert_eq!((stats.cases, stats.messages), (3, 6));
    assert_eq!(
        store
            .get("CAS-06616-G5Z4X1")
            .unwrap()
            .unwrap()
            .messages
            .len(),
        3
    );
    assert_eq!(
        store
            .cases()
            .unwrap()
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>(),
        ["CAS-06616-G5Z4X1", "CAS-10001-ABC123", "CAS-20002-ZZZ999"]
    );
}

#[test]
fn second_writer_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let _held = store.writer().unwrap();
    let other = Store::open(dir.path()).unwrap();
    let err = other
        .writer()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("another casebook ingest is writing to this store"),
        "{err}"
    );
}

#[test]
fn weighted_terms_for_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.upsert(&cases()).unwrap();
    let terms: Vec<(String, f32)> = casebook::index::analyze("升级 spoolsv.exe")
        .into_iter()
        .map(|t| (t, 1.0))
        .collect();
    assert_eq!(
        terms.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(),
        ["升级", "spoolsv.exe", "spoolsv", "exe"]
    );
    let found: Vec<String> = store
        .search_terms(&terms, 5)
        .unwrap()
        .into_iter()
        .map(|(c, _)| c.id)
        .collect();
    assert_eq!(found, ["CAS-20002-ZZZ999", "CAS-06616-G5Z4X1"]);
    let upgrade_only = store.search_terms(&[("升级".to_string(), 2.0)], 1).unwrap();
    assert_eq!(upgrade_only.len(), 1);
    assert_eq!(upgrade_only[0].0.id, "CAS-06616-G5Z4X1");
}
