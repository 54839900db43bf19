//! `casebook serve` over real HTTP: the binary on a free loopback port, the corpus and the user's
//! sample in its store, requests sent byte for byte (see `serve_support`).

use crate::support::serve::{ingest, listing, Server, CORPUS, PII, SAMPLE, SAMPLE_ZH};

/// Every answer of the default server, so PII absence is checked on all of them.
struct Seen(Vec<(String, String)>);

impl Seen {
    fn add(&mut self, what: &str, resp: &crate::support::serve::Resp) {
        self.0.push((what.to_string(), resp.body.clone()));
    }
}

#[test]
fn pages_and_api_on_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[CORPUS, SAMPLE], &[]);
    let before = listing(&store);
    let srv = Server::start(&store, &[]);
    let mut seen = Seen(Vec::new());

    // Search: the API mirrors `casebook search --json`.
    let r = srv.get("/api/search?q=%E5%8D%87%E7%BA%A7%E5%A4%B1%E8%B4%A5");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let doc = r.json();
    assert_eq!(doc["query"], "升级失败");
    // As `casebook search 升级失败` on this store: the sample first, then the English cases the
    // thesaurus reaches (upgrade … fails).
    assert_eq!(doc["total"], 4);
    assert_eq!(doc["page"], 1);
    let hit = &doc["hits"][0];
    assert_eq!(hit["id"], "CAS-06616-G5Z4X1");
    assert_eq!(hit["title"], "工行广东分行升级失败");
    assert_eq!(hit["status"], "resolved");
    assert_eq!(hit["snippet"], "工行广东分行有设备升级V2020-L失败");
    assert_eq!(hit["highlights"], serde_json::json!([[27, 33], [40, 46]]));
    assert_eq!(
        doc["facets"],
        serde_json::json!({
            "customer": {"BAYWERK": 1, "ICBC": 1, "KESTREL": 1, "MERIDIAN": 1},
            "language": {"en": 3, "zh": 1},
            "status": {"resolved": 4},
            "year": {"2022": 1, "2023": 3}
        })
    );
    seen.add("api search", &r);

    // Filters and paging: 26 cases, 23 resolved; 10 per page.
    let doc = srv.get("/api/search?q=&status=resolved&page=3").json();
    assert_eq!(doc["total"], 23);
    assert_eq!(doc["hits"].as_array().unwrap().len(), 3);
    let doc = srv.get("/api/search?q=&year=2024&per_page=50").json();
    assert_eq!(doc["total"], 2);
    let r = srv.get("/api/search?q=x&since=notadate");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["status"], 400);

    // The search page: highlighted snippet, facets, link to the case.
    let r = srv.get("/?q=%E5%8D%87%E7%BA%A7%E5%A4%B1%E8%B4%A5");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<mark>升级</mark>"), "{}", r.body);
    assert!(r
        .body
        .contains("href=\"&#x2f;cases&#x2f;CAS-06616-G5Z4X1\""));
    assert!(r.body.contains("data-facet=\"customer\""));
    assert!(r.body.contains("ICBC"));
    seen.add("search page", &r);
    let r = srv.get("/?q=");
    assert!(r.body.contains("rel=\"next\""));
    assert!(r.body.contains("26 matching cases"));

    // The case: API is `casebook show --json`; the page links fields to their message.
    let r = srv.get("/api/cases/CAS-06616-G5Z4X1");
    assert_eq!(r.status, 200);
    let case = r.json();
    assert_eq!(case["id"], "CAS-06616-G5Z4X1");
    assert_eq!(case["messages"].as_array().unwrap().len(), 16);
    assert_eq!(
        case["steps"][0],
        "禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。"
    );
    assert_eq!(case["confidence"]["resolution"], 0.8);
    seen.add("api case", &r);
    let r = srv.get("/cases/CAS-06616-G5Z4X1");
    assert_eq!(r.status, 200);
    let steps = r.body.split("id=\"field-steps\"").nth(1).unwrap();
    let steps = steps.split("</section>").next().unwrap();
    assert!(steps.contains("禁用zkcloud相关应用和服务"), "{steps}");
    assert_eq!(steps.matches("href=\"#m16\"").count(), 2, "{steps}");
    assert!(r.body.contains("id=\"m16\""));
    // Message 15 (the customer's confirmation) carries a removed quote, folded.
    let m15 = r.body.split("id=\"m15\"").nth(1).unwrap();
    let m15 = m15.split("</li>").next().unwrap();
    assert!(m15.contains("<details class=\"removed quote\">"), "{m15}");
    assert!(
        m15.contains("<details class=\"removed signature\">"),
        "{m15}"
    );
    // Status pings are folded too.
    let m1 = r.body.split("id=\"m1\"").nth(1).unwrap();
    assert!(m1.contains("<details class=\"removed ping\">"));
    seen.add("case page", &r);

    // Suggest: pasted text, a raw .eml, a JSON body, and the form.
    let r = srv.post(
        "/api/suggest?top=2",
        &[("Content-Type", "text/plain; charset=utf-8")],
        std::fs::read(SAMPLE_ZH).unwrap().as_slice(),
    );
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["language"], "zh");
    assert_eq!(doc["matches"].as_array().unwrap().len(), 2);
    assert_eq!(doc["matches"][0]["id"], "CAS-06616-G5Z4X1");
    assert_eq!(
        doc["remedies"][0]["cases"],
        serde_json::json!(["CAS-06616-G5Z4X1"])
    );
    seen.add("api suggest sample", &r);
    let eml = std::fs::read(format!("{CORPUS}/eml/en-backup-nas-1.eml")).unwrap();
    let r = srv.post("/api/suggest", &[("Content-Type", "message/rfc822")], &eml);
    let doc = r.json();
    assert_eq!(doc["language"], "en");
    assert_eq!(doc["matches"][0]["id"], "CAS-31008-P3G7Y5");
    assert_eq!(doc["matches"][0]["score"], 1.6);
    let r = srv.post(
        "/api/suggest",
        &[("Content-Type", "application/json")],
        r#"{"text": "升级失败 加载了zk_hook.dll", "top": 1}"#.as_bytes(),
    );
    let doc = r.json();
    assert_eq!(doc["matches"].as_array().unwrap().len(), 1);
    assert_eq!(doc["matches"][0]["id"], "CAS-06616-G5Z4X1");
    assert!(doc["matches"][0]["why"]["entities"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("zk_hook.dll")));
    let r = srv.post("/api/suggest", &[], b"   \n");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"], "the ticket has no text to match");
    let form = format!(
        "ticket={}&top=3",
        form_encode("某分行设备离线升级到V2020-L失败，日志显示无法初始化DISM")
    );
    let r = srv.post(
        "/suggest",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    );
    assert_eq!(r.status, 200);
    let part = r.body.split("id=\"suggestion\"").nth(1).unwrap();
    assert!(part.contains("CAS-06616-G5Z4X1"));
    assert!(part.contains("禁用zkcloud相关应用和服务"));
    assert!(part.contains("id=\"reply\""));
    seen.add("suggest page", &r);

    // KB.
    let r = srv.get("/api/kb");
    let doc = r.json();
    assert_eq!(doc["cases"], 26);
    let articles = doc["articles"].as_array().unwrap();
    assert_eq!(articles.len(), 21);
    assert!(articles.iter().any(|a| a["id"] == "cas-31007-j6w1n3"
        && a["cases"] == serde_json::json!(["CAS-31007-J6W1N3", "CAS-31010-F8K4T2"])));
    seen.add("api kb", &r);
    let r = srv.get("/api/kb/cas-06616-g5z4x1");
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert_eq!(doc["title"], "升级失败（V2020-L）");
    assert!(doc["markdown"].as_str().unwrap().starts_with("---\nid: "));
    seen.add("api kb article", &r);
    let r = srv.get("/kb");
    assert!(r.body.contains("href=\"&#x2f;kb&#x2f;cas-06616-g5z4x1\""));
    seen.add("kb page", &r);
    let r = srv.get("/kb/cas-06616-g5z4x1");
    assert_eq!(r.status, 200);
    assert!(r
        .body
        .contains("href=\"&#x2f;cases&#x2f;CAS-06616-G5Z4X1\""));
    assert!(r.body.contains("<h2>解决方案</h2>"), "{}", r.body);
    seen.add("kb article page", &r);

    // Stats and health.
    let doc = srv.get("/api/stats").json();
    assert_eq!(doc["cases"], 26);
    assert_eq!(doc["messages"], 134);
    assert_eq!(srv.get("/healthz").json()["status"], "ok");

    // Not found, bad ids, traversal, wrong methods: JSON errors, nothing from the disk.
    for (path, status) in [
        ("/api/cases/CAS-99999-NOPE00", 404),
        ("/api/kb/no-such-article", 404),
        ("/api/nothing", 404),
        ("/api/cases/..%2F..%2Fetc%2Fpasswd", 400),
        ("/api/cases/%2e%2e", 400),
        ("/api/cases/..", 400),
        ("/api/kb/..%2Findex%2Fmeta.json", 400),
        ("/api/kb/../../etc/passwd", 404),
        ("/static/..%2F..%2FCargo.toml", 404),
        ("/static/../../../etc/passwd", 404),
    ] {
        let r = srv.get(path);
        assert_eq!(r.status, status, "{path}: {}", r.body);
        if path.starts_with("/api/") {
            assert_eq!(r.json()["status"], status, "{path}");
        }
        assert!(
            !r.body.contains("root:") && !r.body.contains("segments"),
            "{path}"
        );
    }
    let r = srv.get("/cases/..%2F..%2Fetc%2Fpasswd");
    assert_eq!(r.status, 400);
    assert!(r.body.contains("<!DOCTYPE html>"));
    let r = srv.get("/cases/CAS-99999-NOPE00");
    assert_eq!(r.status, 404);
    let r = srv.post("/api/cases/CAS-06616-G5Z4X1", &[], b"{}");
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["status"], 405);

    // 413: a body over the limit (2 MiB), for the API and the form.
    let big = vec![b'a'; 3 << 20];
    let r = srv.post("/api/suggest", &[("Content-Type", "text/plain")], &big);
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["status"], 413);
    let r = srv.post(
        "/suggest",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &big,
    );
    assert_eq!(r.status, 413);

    // Headers on every answer.
    for path in ["/", "/api/search?q=dism", "/api/nothing", "/static/app.js"] {
        let r = srv.get(path);
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("x-frame-options"), Some("DENY"), "{path}");
        let csp = r.header("content-security-policy").unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    }

    // Escaping: a query full of markup comes back as text.
    let r = srv.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27");
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<script>alert"));
    assert!(r
        .body
        .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;&quot;&#x27;"));

    // UI language: Accept-Language, then the switch (which sticks in a cookie).
    let r = srv.get_with("/", &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")]);
    assert!(r.body.contains("<html lang=\"zh\">"));
    assert!(r.body.contains(">English</a>"));
    let r = srv.get_with("/?q=dism&ui=en", &[("Accept-Language", "zh-CN")]);
    assert!(r.body.contains("<html lang=\"en\">"));
    assert_eq!(
        r.header("set-cookie"),
        Some("casebook_ui=en; Path=/; Max-Age=31536000; SameSite=Lax")
    );
    let r = srv.get("//example.com/x");
    assert_eq!(r.status, 404);
    assert!(
        r.body.contains("id=\"lang-switch\" href=\"&#x2f;?ui=zh\""),
        "{}",
        r.body
    );
    let r = srv.get_with("/suggest", &[("Cookie", "casebook_ui=zh")]);
    assert!(r.body.contains("根据新工单给出建议"));

    // PII: none of the sample's appears in any answer.
    for (what, body) in &seen.0 {
        for p in PII {
            assert!(!body.contains(p), "{what} shows {p}");
        }
    }
    // Read-only: serving changed no file of the store.
    drop(srv);
    assert_eq!(listing(&store), before);
}

fn form_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[test]
fn a_token_is_needed_off_loopback_and_then_checked() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[SAMPLE], &[]);

    let out = std::process::Command::new(crate::support::serve::BIN)
        .args(["serve", "--addr", "0.0.0.0:0", "--store"])
        .arg(&store)
        .env_remove("CASEBOOK_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("0.0.0.0:0 is not a loopback address"), "{err}");
    assert!(err.contains("--token"), "{err}");

    let token = "s3cret-token-0123456789";
    let srv = Server::start(&store, &["--token", token]);
    let bearer = format!("Bearer {token}");
    for path in [
        "/api/search?q=dism",
        "/api/cases/CAS-06616-G5Z4X1",
        "/healthz",
        "/",
    ] {
        let r = srv.get(path);
        assert_eq!(r.status, 401, "{path}");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        let r = srv.get_with(path, &[("Authorization", "Bearer wrong-token-0123456789")]);
        assert_eq!(r.status, 401, "{path}");
        let r = srv.get_with(path, &[("Authorization", &bearer)]);
        assert_eq!(r.status, 200, "{path}");
    }
    assert_eq!(
        srv.get("/api/nothing").json()["error"],
        "missing or wrong bearer token"
    );
    let r = srv.post("/api/suggest", &[], "升级失败".as_bytes());
    assert_eq!(r.status, 401);
    // The login form sets a cookie that then works like the header.
    assert_eq!(srv.get("/login").status, 200);
    let r = srv.post(
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"token=nope",
    );
    assert_eq!(r.status, 401);
    let r = srv.post(
        "/login",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        format!("token={token}").as_bytes(),
    );
    assert_eq!(r.status, 303);
    let cookie = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        srv.get_with("/api/stats", &[("Cookie", &cookie)]).status,
        200
    );

    let short = std::process::Command::new(crate::support::serve::BIN)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "short",
            "--store",
        ])
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(short.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 16 characters"));
}

#[test]
fn pii_needs_keep_pii_on_both_ends() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[SAMPLE], &["--keep-pii"]);
    // A store that holds names is not published without --keep-pii.
    let out = std::process::Command::new(crate::support::serve::BIN)
        .args(["serve", "--addr", "127.0.0.1:0", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ingested with --keep-pii"));
    // With --keep-pii it shows what the store holds.
    let srv = Server::start(&store, &["--keep-pii"]);
    let r = srv.get("/api/cases/CAS-06616-G5Z4X1");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("17606669571"), "{}", r.body);
}

#[test]
fn an_ingest_in_another_process_shows_up_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[CORPUS], &[]);
    let srv = Server::start(&store, &[]);
    let q = "/api/search?q=%E5%8D%87%E7%BA%A7%E5%A4%B1%E8%B4%A5";
    assert_ne!(srv.get(q).json()["hits"][0]["id"], "CAS-06616-G5Z4X1");
    assert_eq!(srv.get("/api/stats").json()["cases"], 25);
    assert_eq!(srv.get("/api/cases/CAS-06616-G5Z4X1").status, 404);
    let generation = srv.get("/healthz").json()["generation"].as_u64().unwrap();

    ingest(&store, &[SAMPLE], &[]);
    // The server polls the store's commit every 250 ms; wait for the event, bounded.
    let mut found = false;
    for _ in 0..200 {
        if srv.get("/api/cases/CAS-06616-G5Z4X1").status == 200 {
            found = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(found, "the new case never showed up");
    assert_eq!(srv.get("/api/stats").json()["cases"], 26);
    assert_eq!(srv.get(q).json()["total"], 4);
    assert_eq!(srv.get(q).json()["hits"][0]["id"], "CAS-06616-G5Z4X1");
    assert!(srv.get("/healthz").json()["generation"].as_u64().unwrap() > generation);
}
