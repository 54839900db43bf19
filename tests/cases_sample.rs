//! The user's sample export (`../shared/samples/case-export-zh.txt`) through the real pipeline:
//! the acceptance values of issue #4.

use std::path::PathBuf;

use casebook::config::Config;
use casebook::ingest::{read_paths, NoProgress};
use casebook::model::{Case, Kind, Status};
use casebook::pipeline::{cases, Publish};

fn sample_case(keep_pii: bool) -> Case {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/case-export-zh.txt"
    ));
    let read = read_paths(&[path], &mut NoProgress);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    let mut out = cases(read.messages, &Config::default(), Publish { keep_pii });
    assert_eq!(out.len(), 1, "the export is one case");
    out.remove(0)
}

#[test]
fn sample_export_gives_the_accepted_case() {
    let c = sample_case(false);
    assert_eq!(c.id, "CAS-06616-G5Z4X1");
    assert_eq!(c.priority.as_deref(), Some("P2"));
    assert_eq!(c.customer.as_deref(), Some("ICBC"));
    assert_eq!(c.title, "工行广东分行升级失败");
    assert_eq!(c.language, "zh");
    assert_eq!(c.status, Status::Resolved);
    let day =
        |d: Option<chrono::DateTime<chrono::Utc>>| d.map(|d| d.format("%Y-%m-%d").to_string());
    assert_eq!(day(c.opened).as_deref(), Some("2022-07-11"));
    assert_eq!(day(c.closed).as_deref(), Some("2022-08-15"));
    assert!(c.problem.contains("升级V2020-L失败"), "{}", c.problem);
    assert!(c.analysis.contains("zk_hook.dll"), "{}", c.analysis);
    assert!(c.analysis.contains("DISM"), "{}", c.analysis);
    assert_eq!(c.steps.len(), 2, "{:?}", c.steps);
    assert!(c.steps[0].starts_with("禁用zkcloud相关应用和服务"));
    assert!(c.steps[1].starts_with("使用升级镜像验证离线升级"));
    for f in ["zk_hook.dll", "setuphost.exe", "dismapi.dll"] {
        assert!(c.entities.files.iter().any(|x| x == f), "{f}");
    }
    assert!(c.entities.commands.iter().any(|x| x == "Get-FileHash"));
    assert!(c.entities.versions.iter().any(|x| x == "V2020-L"));
    assert_eq!(c.messages.len(), 16);
    assert_eq!(c.messages[14].kind, Kind::Confirmation);
    assert_eq!(c.messages[15].kind, Kind::Closure);
}

#[test]
fn sample_export_publishes_no_personal_data() {
    let json = serde_json::to_string(&sample_case(false)).unwrap();
    for secret in [
        "17606669571",
        "weiliang@cmgos.com",
        "许  翔",
        "许翔",
        "Wei Liang",
    ] {
        assert!(!json.contains(secret), "{secret} published");
    }
    let kept = serde_json::to_string(&sample_case(true)).unwrap();
    assert!(kept.contains("Wei Liang"));
}
