//! Unit tests of status-ping scoring on invented threads.

use super::*;

fn docs<'a>(texts: &[(usize, &'a str)]) -> Vec<Doc<'a>> {
    texts
        .iter()
        .map(|&(thread, text)| Doc { thread, text })
        .collect()
}

const FOLLOW_UP: &str = "We are following up on the status of this case. Could you please let us know whether the new driver fixed the crash?\nIf you need any further assistance on this case, please feel free to contact us.";

#[test]
fn repeated_follow_ups_are_pings_and_analysis_is_not() {
    let texts = [
        (0, "The dump shows nwflt.sys touching freed memory during roaming. Please upgrade the agent to 8.4.3 and send us the output of nwagentctl status."),
        (0, FOLLOW_UP),
        (0, "We are following up on the status of this case. Could you please let us know whether the upgrade fixed the crash?\nIf you need any further assistance on this case, please feel free to contact us."),
        (1, "We are following up on the status of this case. Could you please tell us whether the certificate import worked?\nIf you need any further assistance on this case, please feel free to contact us."),
        // Same template, but it asks for a new log with a named tool: new information.
        (0, "We are following up on the status of this case. Could you please collect a trace with nwtrace.exe on one of the laptops?\nIf you need any further assistance on this case, please feel free to contact us."),
    ];
    let s = score(&docs(&texts), &[], &PingConfig::default());
    let pings: Vec<bool> = s.iter().map(|x| x.ping).collect();
    assert_eq!(pings, vec![false, true, true, true, false]);
    assert_eq!(s[4].new_terms, vec!["nwtrace.exe".to_string()]);
    assert_eq!(s[0].new_terms, vec!["nwflt.sys".to_string()]);
    assert!(s[1].template_share >= 0.30, "{:?}", s[1]);
    assert_eq!(s[0].template_share, 0.0);
}

#[test]
fn a_pair_of_near_identical_follow_ups_is_caught_by_similarity() {
    let texts = [
        (0, "来信是想了解打印缓慢的问题目前进展如何？如问题仍然存在，请按照之前邮件的步骤收集日志提供给我们进一步分析。"),
        (0, "来信是想了解打印缓慢的问题目前进展如何？如问题仍然存在，请收集日志提供给我们进一步分析。"),
        (0, "感谢您的确认，此案例将归档。"),
    ];
    let s = score(&docs(&texts), &[], &PingConfig::default());
    assert!(s[0].near_duplicate >= 0.65, "{:?}", s[0]);
    assert_eq!(
        s.iter().map(|x| x.ping).collect::<Vec<_>>(),
        vec![true, true, false]
    );
    assert_eq!(s[0].template_share, 0.0);
}

#[test]
fn short_messages_and_declared_boilerplate() {
    let texts = [(0, "问题已解决，请关单。"), (0, "Any update on this?")];
    let s = score(&docs(&texts), &[], &PingConfig::default());
    assert_eq!(
        s.iter().map(|x| x.ping).collect::<Vec<_>>(),
        vec![false, false]
    );

    let rule = Rule::new(
        "config.boilerplate.0",
        "^Kindly provide an update on the ticket",
    )
    .unwrap();
    let texts = [(0, "Kindly provide an update on the ticket at your earliest convenience so that we can proceed.")];
    let s = score(&docs(&texts), &[rule], &PingConfig::default());
    assert_eq!(s[0].template_share, 1.0);
    assert!(s[0].ping);
}

#[test]
fn terms_are_found_inside_chinese_text() {
    assert_eq!(
        terms("使用CMGELogCollector.exe工具，错误 HX-5031，0x800f081f"),
        vec!["cmgelogcollector.exe", "hx-5031", "0x800f081f"]
    );
}

#[test]
fn latin_words_in_chinese_prose_are_terms_but_not_in_english() {
    assert_eq!(
        terms("初步怀疑第三方软件zkcloud的组件注入导致，未能初始化DISM操作。"),
        vec!["zkcloud", "dism"]
    );
    assert_eq!(
        terms("Please check the status of the backup job."),
        Vec::<String>::new()
    );
}

#[test]
fn a_templated_plan_with_numbered_steps_is_not_a_ping() {
    // The same plan sent in three threads: a template by share, but work to do, not a ping.
    let plan = "请进行以下测试：\n1）禁用相关应用和服务。\n2）重新执行升级并验证。";
    let texts = [(0, plan), (1, plan), (2, plan)];
    let s = score(&docs(&texts), &[], &PingConfig::default());
    assert!(s[0].template_share >= 0.3);
    assert_eq!(
        s.iter().map(|x| x.ping).collect::<Vec<_>>(),
        vec![false, false, false]
    );
    assert!(has_numbered_steps("Step 1 reboot\nStep 2 retry"));
    assert!(!has_numbered_steps("1. only one item"));
}

#[test]
fn a_long_summary_in_a_common_frame_is_not_a_ping() {
    let frame_open = "感谢您的确认，我将归档此案例。案例归档不影响后续技术支持服务，如有其他问题可致电技术支持热线。工单的归档并不会影响我们为您提供技术支持服务，欢迎随时与我们联系。";
    let frame_close = "以上，如您后续有任何问题，可随时与我们联系。";
    let summary = "案例总结：问题定义：桌面池扩容时克隆任务失败，报错存储空间不足。问题分析过程：管理平台日志显示克隆前的容量预检查发现存储分配比例将超过超分比上限，因此返回错误，与存储实际剩余空间无关。根本原因：存储的超分比上限设置过低，扩容后的分配容量超过该上限。解决方案：调整超分比上限并重新提交扩容任务。";
    let closing = format!("{frame_open}\n{summary}\n{frame_close}");
    let texts: Vec<(usize, String)> = (0..6)
        .map(|t| {
            (
                t,
                format!("{frame_open}\n第{t}号问题已处理。\n{frame_close}"),
            )
        })
        .chain(std::iter::once((9, closing)))
        .collect();
    let docs: Vec<Doc> = texts
        .iter()
        .map(|(t, x)| Doc {
            thread: *t,
            text: x,
        })
        .collect();
    let s = score(&docs, &[], &PingConfig::default());
    assert!(s[0].ping, "{:?}", s[0]);
    assert!(s[6].template_share > 0.3, "{:?}", s[6]);
    assert!(!s[6].ping, "{:?}", s[6]);
    // Without the cap on new content the template share alone would have made it a ping.
    let uncapped = PingConfig {
        max_new_shingles: usize::MAX,
        ..PingConfig::default()
    };
    assert!(score(&docs, &[], &uncapped)[6].ping);
}
