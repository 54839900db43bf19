//! Whole-thread tests of `segment()` on hand-built cleaned threads, plus the builders the
//! submodules' tests share.

use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{Address, Cleaned, Format, Source, Status, Thread, ThreadKey};

/// A message from `name` whose cleaned text is `text`.
pub(crate) fn msg(name: &str, text: &str, status_ping: bool) -> (Message, Cleaned) {
    let mut m = Message::new(
        Source {
            path: "t.txt".into(),
            index: 1,
        },
        Format::TextExport,
    );
    m.from = Address {
        name: Some(name.into()),
        address: None,
    };
    m.body = text.into();
    let c = Cleaned {
        text: text.into(),
        status_ping,
        ..Cleaned::default()
    };
    (m, c)
}

/// A thread of `msgs`, one day apart from 2023-03-01, numbered in order.
pub(crate) fn ct(msgs: Vec<(Message, Cleaned)>) -> CleanThread {
    let (mut messages, cleaned): (Vec<Message>, Vec<Cleaned>) = msgs.into_iter().unzip();
    for (i, m) in messages.iter_mut().enumerate() {
        m.source.index = i + 1;
        m.date = Utc
            .with_ymd_and_hms(2023, 3, 1 + i as u32, 9, 0, 0)
            .single();
    }
    CleanThread {
        thread: Thread {
            id: "t.txt".into(),
            case_number: None,
            subject: String::new(),
            key: ThreadKey::ExportFile,
            messages,
        },
        cleaned,
    }
}

fn with_subject(mut t: CleanThread, subject: &str) -> CleanThread {
    for m in &mut t.thread.messages {
        m.subject = subject.into();
    }
    t
}

fn kinds_of(case: &Case) -> Vec<Kind> {
    case.messages.iter().map(|m| m.kind).collect()
}

#[test]
fn first_fix_failed_is_not_the_resolution() {
    let t = with_subject(
        ct(vec![
            msg("Li Na", "Since the upgrade to 5.2 the portal returns 502 Bad Gateway.", false),
            msg("Sam", "A 502 is often a timeout.\nPlease try this:\n1. Set proxy_read_timeout 300s\n2. Reload nginx", false),
            msg("Li Na", "We set it but we still get 502 errors.", false),
            msg("Sam", "The error.log shows the upstream only accepts TLS on port 8443.\nAction plan:\n1. Change proxy_pass to https\n2. Run nginx -t\nLet me know how it goes.", false),
            msg("Li Na", "That fixed it, the portal works now. Please close the case.", false),
        ]),
        "RE: [Case: CAS-31003-T2Z6K8] |P2|MERIDIAN| Portal returns 502 after upgrade to 5.2",
    );
    let case = segment(&t, &SegmentConfig::default());
    assert_eq!(case.id, "CAS-31003-T2Z6K8");
    assert_eq!(case.title, "Portal returns 502 after upgrade to 5.2");
    assert_eq!(
        (case.customer.as_deref(), case.priority.as_deref()),
        (Some("MERIDIAN"), Some("P2"))
    );
    assert_eq!(
        kinds_of(&case),
        [
            Kind::Report,
            Kind::ActionPlan,
            Kind::CustomerUpdate,
            Kind::ActionPlan,
            Kind::Confirmation
        ]
    );
    assert_eq!(case.status, Status::Resolved);
    assert_eq!(case.steps, ["Change proxy_pass to https", "Run nginx -t"]);
    assert_eq!(
        case.resolution,
        "Action plan:\n1. Change proxy_pass to https\n2. Run nginx -t"
    );
    assert_eq!(
        case.cause,
        "The error.log shows the upstream only accepts TLS on port 8443."
    );
    assert_eq!(
        case.problem,
        "Portal returns 502 after upgrade to 5.2\nSince the upgrade to 5.2 the portal returns 502 Bad Gateway."
    );
    assert_eq!(case.language, "en");
    assert_eq!(case.closed, case.messages[4].date);
}

#[test]
fn summary_block_wins_and_status_pings_are_skipped() {
    let t = with_subject(
        ct(vec![
            msg("Wei Liang", "来信是想了解最终用户升级测试情况如何？如果升级失败，请您再次收集系统日志提供给我们进一步分析。", true),
            msg("Wei Liang", "查看升级失败的procmon日志，可以看到升级程序setuphost.exe加载了zk_hook.dll文件。\n请进行以下升级测试：\n1）禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。\n2）使用升级镜像验证离线升级。", false),
            msg("Windows Server技术支持", "问题已解决，请关单。", false),
            msg("Wei Liang", "感谢您的回复，确认您的问题已经解决，我将归档此案例。\n案例总结：\n----\n问题定义：\n工行广东分行有设备升级V2020-L失败。\n问题分析过程：\n升级程序setuphost.exe加载了zk_hook.dll文件，未能初始化DISM操作。\n以上，如您后续有任何问题，可随时与我们联系，谢谢。", false),
        ]),
        "回复: [案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应 CMIT:0001374",
    );
    let case = segment(&t, &SegmentConfig::default());
    assert_eq!(
        kinds_of(&case),
        [
            Kind::StatusPing,
            Kind::ActionPlan,
            Kind::Confirmation,
            Kind::Closure
        ]
    );
    assert_eq!(
        case.messages.iter().map(|m| m.role).collect::<Vec<_>>(),
        [
            Role::Engineer,
            Role::Engineer,
            Role::Customer,
            Role::Engineer
        ]
    );
    assert_eq!(case.problem, "工行广东分行有设备升级V2020-L失败。");
    assert_eq!(
        case.analysis,
        "升级程序setuphost.exe加载了zk_hook.dll文件，未能初始化DISM操作。"
    );
    assert_eq!(
        (case.confidence.problem, case.confidence.analysis),
        (1.0, 1.0)
    );
    assert_eq!(
        case.steps,
        [
            "禁用zkcloud相关应用和服务，即任务管理器中不再有zk_开头的进程。",
            "使用升级镜像验证离线升级。"
        ]
    );
    assert_eq!(case.language, "zh");
    assert_eq!(case.title, "工行广东分行升级失败");
    assert_eq!(case.entities.files, ["setuphost.exe", "zk_hook.dll"]);
    assert_eq!(case.entities.versions, ["V2020-L"]);
    assert_eq!(case.entities.case_ids, ["CAS-06616-G5Z4X1"]);
}

#[test]
fn silent_customer_leaves_the_case_unresolved_without_resolution() {
    let t = ct(vec![
        msg(
            "Anna",
            "Print jobs stay in the queue and spoolsv.exe sits at 100% CPU.",
            false,
        ),
        msg(
            "Bob",
            "Please run nwprintdiag.exe and send us the output.",
            false,
        ),
        msg(
            "Bob",
            "We are following up on the status of this case.",
            true,
        ),
    ]);
    let case = segment(&t, &SegmentConfig::default());
    assert_eq!(case.status, Status::Unresolved);
    assert_eq!(case.closed, None);
    assert_eq!(case.resolution, "");
    assert!(case.steps.is_empty());
    assert_eq!(
        case.diagnostics,
        ["Please run nwprintdiag.exe and send us the output."]
    );
    let t = ct(vec![
        msg("Anna", "Print jobs stay in the queue.", false),
        msg(
            "Bob",
            "Please see my previous email and send us the logs it lists.",
            false,
        ),
    ]);
    assert!(segment(&t, &SegmentConfig::default())
        .diagnostics
        .is_empty());
    let t = ct(vec![
        msg("Anna", "克隆任务报 HX-5031。", false),
        msg("Bob", "HX-5031 是容量预检查失败。为进一步分析，请协助收集以下信息：\n1）管理平台日志\n2）容量截图", false),
    ]);
    assert_eq!(
        segment(&t, &SegmentConfig::default()).diagnostics,
        [
            "为进一步分析，请协助收集以下信息：",
            "1）管理平台日志",
            "2）容量截图"
        ]
    );
    assert_eq!(
        kinds_of(&case),
        [Kind::Report, Kind::InfoRequest, Kind::StatusPing]
    );
}

#[test]
fn missing_report_takes_the_engineers_restatement() {
    let t = ct(vec![
        msg("Marcus", "Thank you for the call this morning. To recap what you described: the NwAgent service stops a few minutes after boot.\nThe System log shows Event ID 7031.\n\nTo narrow this down, please send us:\n1. The output of Get-EventLog\n2. The result of sfc /scannow", false),
        msg("Aisha", "sfc /scannow found no integrity violations.", false),
    ]);
    let case = segment(&t, &SegmentConfig::default());
    assert_eq!(
        case.problem,
        "To recap what you described: the NwAgent service stops a few minutes after boot.\nThe System log shows Event ID 7031."
    );
    assert_eq!(case.messages[0].role, Role::Engineer);
    assert_eq!(case.messages[1].kind, Kind::CustomerUpdate);
    assert_eq!(
        case.diagnostics,
        [
            "To narrow this down, please send us:",
            "1. The output of Get-EventLog",
            "2. The result of sfc /scannow"
        ]
    );
}

#[test]
fn language_and_fingerprint() {
    assert_eq!(
        crate::script::language(
            "查看升级失败的procmon日志，可以看到升级程序setuphost.exe加载了zk_hook.dll文件"
        ),
        "zh"
    );
    assert_eq!(crate::script::language("Backup fails for 许翔"), "en");
    let a = ct(vec![msg("A", "x", false), msg("B", "y", false)]);
    let mut grown = a.clone();
    grown.thread.messages.push(a.thread.messages[0].clone());
    grown.thread.messages[2].source.index = 3;
    let fa = fingerprint(&a.thread.messages);
    assert_eq!(fa.len(), 64);
    assert_eq!(fa, fingerprint(&a.thread.messages));
    assert_ne!(fa, fingerprint(&grown.thread.messages));
}

#[test]
fn segment_section_of_casebook_toml() {
    let config = crate::config::Config::from_toml(
        "[segment]\nsupport_domains = [\"northwind.example\"]\nengineers = [\"Wei Liang\"]\n",
        std::path::Path::new("casebook.toml"),
    )
    .map(|c| c.segment);
    let segment_config = config.unwrap_or_default();
    assert_eq!(segment_config.support_domains, ["northwind.example"]);
    assert_eq!(segment_config.engineers, ["Wei Liang"]);
    let t = ct(vec![
        msg("Wei Liang", "问题已解决。", false),
        msg("Xu Xiang", "请收集日志。", false),
    ]);
    let roles: Vec<Role> = segment(&t, &segment_config)
        .messages
        .iter()
        .map(|m| m.role)
        .collect();
    assert_eq!(roles, [Role::Engineer, Role::Customer]);
    let bad = crate::config::Config::from_toml(
        "[segment]\nsupport_domain = []\n",
        std::path::Path::new("casebook.toml"),
    );
    assert!(bad.is_err());
}
