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

/// Most exports have no summary block: the sample without its last message (support's closing
/// note with the `案例总结`) still gives the case from the conversation alone.
#[test]
fn the_sample_without_its_summary_still_reads_right() {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/case-export-zh.txt"
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    let cut = text
        .rfind("====第16封邮件====")
        .expect("the sample has 16 messages");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("case-export-zh-cut.txt");
    std::fs::write(&file, &text[..cut]).unwrap();
    let read = read_paths(&[file], &mut NoProgress);
    let mut out = cases(read.messages, &Config::default(), Publish::default());
    assert_eq!(out.len(), 1);
    let c = out.remove(0);
    assert_eq!(c.messages.len(), 15);
    assert_eq!(c.status, Status::Resolved);
    assert!(!c.problem.contains("问题已解决"), "{}", c.problem);
    assert!(c.problem.contains("升级失败"), "{}", c.problem);
    assert!(c.cause.contains("zk_hook.dll"), "{}", c.cause);
    assert_eq!(
        c.steps,
        [
            "禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。",
            "使用升级镜像验证离线升级。"
        ]
    );
}
