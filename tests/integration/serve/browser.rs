//! `casebook serve` in a real browser: Debian's headless Chromium driven through chromedriver
//! (WebDriver, with the fantoccini client) does what an engineer does — search, open the case,
//! unfold a removed quote, paste a ticket, read the suggestion — and saves a screenshot of each
//! page under `target/browser/` (the ones in `docs/` are copies).
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (`apt-get install chromium
//! chromium-driver`; `.ci/run` installs them). Without them the test fails under CI and is
//! skipped, with a note, elsewhere.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::serve::{ingest, Server, CORPUS, SAMPLE};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn shots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Waits (up to 10 s) until the browser's URL contains `needle`: after a click that submits a
/// form, the old page's elements must not be taken for the new page's.
async fn wait_for_url(c: &Client, needle: &str) -> Result<(), fantoccini::error::CmdError> {
    for _ in 0..100 {
        if c.current_url().await?.as_str().contains(needle) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the browser never reached a URL with {needle:?}");
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    std::fs::write(shots_dir().join(format!("{name}.png")), png).unwrap();
}

#[test]
fn search_case_quote_suggest_in_chromium() {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if !missing.is_empty() {
        let msg = format!(
            "the browser test needs {} (apt-get install -y chromium chromium-driver; .ci/run does it)",
            missing.join(" and ")
        );
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        eprintln!("SKIPPED: {msg}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    ingest(&store, &[CORPUS, SAMPLE], &[]);
    let srv = Server::start(&store, &[]);
    let port = free_port();
    let driver = Driver(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let profile = dir.path().join("chromium-profile");
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(drive(&srv.addr, port, &profile));
    drop(driver);
}

async fn connect(port: u16, profile: &Path) -> Client {
    // The flags a sandboxed, offline machine needs: no sandbox as root, no GPU, and none of
    // Chromium's own connections to the network (which this machine refuses).
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--window-size=1280,1000".into(),
        "--lang=en-US".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"binary": CHROMIUM, "args": args}),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last = None;
    // chromedriver takes a moment to listen; try for up to 20 s.
    for _ in 0..80 {
        let builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .clone();
        match builder.connect(&url).await {
            Ok(c) => return c,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("no WebDriver session from chromedriver: {last:?}");
}

async fn drive(addr: &str, port: u16, profile: &Path) {
    let c = connect(port, profile).await;
    let base = format!("http://{addr}");
    let result = steps(&c, &base).await;
    let _ = c.close().await;
    result.unwrap();
}

async fn steps(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    // Search.
    c.goto(&format!("{base}/?ui=en")).await?;
    c.find(Locator::Id("q"))
        .await?
        .send_keys("升级失败")
        .await?;
    c.find(Locator::Id("search-go")).await?.click().await?;
    wait_for_url(c, "q=").await?;
    let link = c.wait().for_element(Locator::Css("a.hit-title")).await?;
    assert_eq!(link.text().await?, "CAS-06616-G5Z4X1");
    let marks = c.find_all(Locator::Css(".snippet mark")).await?;
    assert!(marks.len() >= 2, "{} marks", marks.len());
    assert_eq!(marks[0].text().await?, "升级");
    // The thesaurus adds the English upgrade failures after the sample, as on the CLI.
    assert_eq!(
        c.find(Locator::Id("total")).await?.text().await?,
        "4 matching cases"
    );
    shot(c, "search").await;

    // Open the case; the steps point at message 16.
    link.click().await?;
    c.wait().for_element(Locator::Id("m16")).await?;
    assert!(c
        .current_url()
        .await?
        .path()
        .ends_with("/cases/CAS-06616-G5Z4X1"));
    let sources = c.find_all(Locator::Css("#field-steps a.source")).await?;
    assert_eq!(sources.len(), 2);
    assert_eq!(sources[0].text().await?, "message 16");

    // Expand the quote the cleaner removed from message 15.
    let quote = c.find(Locator::Css("#m15 details.removed.quote")).await?;
    assert_eq!(quote.prop("open").await?.as_deref(), Some("false"));
    let body = quote.find(Locator::Css("div.text")).await?;
    assert!(!body.is_displayed().await?);
    quote.find(Locator::Css("summary")).await?.click().await?;
    assert_eq!(quote.prop("open").await?.as_deref(), Some("true"));
    assert!(body.is_displayed().await?);
    assert!(!body.text().await?.is_empty());
    // The script's "open all" unfolds every removed part and ping.
    c.find(Locator::Id("toggle-all")).await?.click().await?;
    let folded = c.find_all(Locator::Css("details.removed")).await?;
    for d in &folded {
        assert_eq!(d.prop("open").await?.as_deref(), Some("true"));
    }
    c.find(Locator::Id("toggle-all")).await?.click().await?;
    quote.find(Locator::Css("summary")).await?.click().await?;
    c.execute("document.getElementById('m15').scrollIntoView()", vec![])
        .await?;
    shot(c, "case-quote").await;
    c.execute("window.scrollTo(0, 0)", vec![]).await?;
    shot(c, "case").await;

    // Paste a ticket, get a suggestion.
    c.goto(&format!("{base}/suggest")).await?;
    c.find(Locator::Id("ticket"))
        .await?
        .send_keys("某分行设备离线升级到V2020-L失败，日志显示无法初始化DISM，怀疑有第三方软件干扰")
        .await?;
    c.find(Locator::Id("suggest-go")).await?.click().await?;
    let suggestion = c.wait().for_element(Locator::Id("suggestion")).await?;
    let first = suggestion.find(Locator::Css("ol.matches li a")).await?;
    assert_eq!(first.text().await?, "CAS-06616-G5Z4X1");
    let remedy = suggestion.find(Locator::Css("ol.remedies li")).await?;
    assert!(remedy.text().await?.contains("禁用zkcloud相关应用和服务"));
    c.execute(
        "document.getElementById('suggestion').scrollIntoView()",
        vec![],
    )
    .await?;
    shot(c, "suggest").await;

    // The KB, and the language switch.
    c.goto(&format!("{base}/kb")).await?;
    c.find(Locator::Css("a[href='/kb/cas-06616-g5z4x1']"))
        .await?;
    shot(c, "kb").await;
    c.find(Locator::Id("lang-switch")).await?.click().await?;
    wait_for_url(c, "ui=zh").await?;
    let h1 = c.wait().for_element(Locator::Css("h1")).await?;
    assert_eq!(h1.text().await?, "知识库");
    c.goto(&format!("{base}/?ui=en")).await?;
    Ok(())
}
