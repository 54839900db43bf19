//! Unit tests of threading on hand-built messages.

use chrono::{TimeZone, Utc};

use super::*;
use crate::model::{Format, Source, ThreadKey};

fn msg(path: &str, index: usize, subject: &str, day: Option<u32>) -> Message {
    let mut m = Message::new(
        Source {
            path: path.into(),
            index,
        },
        Format::Mbox,
    );
    m.subject = subject.into();
    m.date = day.map(|d| Utc.with_ymd_and_hms(2023, 6, d, 10, 0, 0).unwrap());
    m.body = format!("body {path} {index}");
    m
}

fn with_ids(mut m: Message, id: &str, parent: Option<&str>, refs: &[&str]) -> Message {
    m.message_id = Some(id.into());
    m.in_reply_to = parent.map(String::from);
    m.references = refs.iter().map(|s| s.to_string()).collect();
    m
}

fn indexes(t: &Thread) -> Vec<usize> {
    t.messages.iter().map(|m| m.source.index).collect()
}

#[test]
fn interleaved_threads_with_a_broken_reference_chain_split_in_two() {
    let a1 = with_ids(
        msg("x.mbox", 1, "Sync fails", Some(13)),
        "<a1@x>",
        None,
        &[],
    );
    let b1 = with_ids(msg("x.mbox", 2, "VPN drops", Some(14)), "<b1@y>", None, &[]);
    let a2 = with_ids(
        msg("x.mbox", 3, "RE: Sync fails", Some(14)),
        "<a2@x>",
        Some("<a1@x>"),
        &["<a1@x>"],
    );
    let b2 = with_ids(
        msg("x.mbox", 4, "Re: VPN drops", Some(15)),
        "<b2@y>",
        Some("<b1@y>"),
        &["<b1@y>"],
    );
    // b3 answers a message that never reached the mailbox: only the subject can place it.
    let b3 = with_ids(
        msg("x.mbox", 5, "RE: VPN drops", Some(16)),
        "<b3@y>",
        Some("<gw@z>"),
        &["<gw@z>"],
    );
    let a3 = with_ids(
        msg("x.mbox", 6, "RE: Sync fails", Some(16)),
        "<a3@x>",
        Some("<a2@x>"),
        &["<a1@x>", "<a2@x>"],
    );
    let threads = thread(vec![a1, b1, a2, b2, b3, a3], &ThreadConfig::default());
    assert_eq!(threads.len(), 2);
    assert_eq!(indexes(&threads[0]), vec![1, 3, 6]);
    assert_eq!(indexes(&threads[1]), vec![2, 4, 5]);
    assert_eq!(threads[0].key, ThreadKey::References);
    assert_eq!(threads[1].key, ThreadKey::References);
    assert_eq!(threads[0].subject, "Sync fails");
    assert_eq!(threads[0].id, root_id(&threads[0].messages[0]));
    assert!(threads[0].id.starts_with("T-") && threads[0].id.len() == 12);
}

#[test]
fn replies_to_the_same_missing_parent_meet_through_a_phantom() {
    let a = with_ids(msg("m", 1, "one", Some(1)), "<a@x>", Some("<lost@x>"), &[]);
    let b = with_ids(msg("m", 2, "two", Some(2)), "<b@x>", None, &["<lost@x>"]);
    let threads = thread(vec![a, b], &ThreadConfig::default());
    assert_eq!(threads.len(), 1);
    assert_eq!(indexes(&threads[0]), vec![1, 2]);
}

#[test]
fn case_number_joins_separate_files_and_wins_over_references() {
    let a = msg(
        "a.eml",
        1,
        "[Case: CAS-31006-M5X2C7] Print jobs stuck",
        Some(12),
    );
    let mut b = msg("b.eml", 1, "Print update", Some(13));
    b.body = "About CAS-31006-M5X2C7: the trace is uploaded.".into();
    // c refers to a but names another case: the two cases stay apart.
    let a = with_ids(a, "<a@x>", None, &[]);
    let c = with_ids(
        msg("c.eml", 1, "RE: [Case: CAS-31007-J6W1N3] x", Some(14)),
        "<c@x>",
        Some("<a@x>"),
        &[],
    );
    let threads = thread(vec![a, b, c], &ThreadConfig::default());
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0].id, "CAS-31006-M5X2C7");
    assert_eq!(threads[0].key, ThreadKey::CaseNumber);
    assert_eq!(
        threads[0]
            .messages
            .iter()
            .map(|m| m.source.path.as_str())
            .collect::<Vec<_>>(),
        vec!["a.eml", "b.eml"]
    );
    assert_eq!(threads[1].id, "CAS-31007-J6W1N3");
    assert_eq!(threads[1].case_number.as_deref(), Some("CAS-31007-J6W1N3"));
}

#[test]
fn configured_case_pattern_threads() {
    let a = msg("a.eml", 1, "TKT-004211 printer", Some(1));
    let b = msg("b.eml", 1, "Re: TKT-004211 printer offline", Some(2));
    let config = ThreadConfig {
        case_patterns: vec![r"TKT-\d{6}".into()],
        ..ThreadConfig::default()
    };
    let threads = thread(vec![a, b], &config);
    assert_eq!(threads.len(), 1);
    assert_eq!(threads[0].id, "TKT-004211");
}

#[test]
fn an_export_file_is_one_thread_even_without_case_number() {
    let mut one = msg("e.txt", 1, "打印很慢", Some(3));
    let mut two = msg("e.txt", 2, "打印很慢", Some(1));
    one.format = Format::TextExport;
    two.format = Format::TextExport;
    let mut lone = msg("f.txt", 1, "other", None);
    lone.format = Format::TextExport;
    let threads = thread(vec![one, two, lone], &ThreadConfig::default());
    assert_eq!(threads.len(), 2);
    assert_eq!(threads[0].key, ThreadKey::ExportFile);
    assert_eq!(indexes(&threads[0]), vec![2, 1]);
    assert_eq!(threads[1].key, ThreadKey::ExportFile);
    assert_eq!(threads[1].id, root_id(&threads[1].messages[0]));
}

#[test]
fn subject_threading_needs_a_reply_inside_the_window() {
    let a = msg("s", 1, "Disk full", Some(1));
    let b = msg("s", 2, "RE: Disk full", Some(20));
    let c = msg("s", 3, "Disk full", Some(21)); // not a reply: a new conversation
    let threads = thread(vec![a, b, c], &ThreadConfig::default());
    assert_eq!(
        threads.iter().map(indexes).collect::<Vec<_>>(),
        vec![vec![1, 2], vec![3]]
    );
    assert_eq!(threads[0].key, ThreadKey::Subject);
    assert_eq!(threads[1].key, ThreadKey::Single);

    let config = ThreadConfig {
        subject_window_days: 10,
        ..ThreadConfig::default()
    };
    let a = msg("s", 1, "Disk full", Some(1));
    let b = msg("s", 2, "RE: Disk full", Some(20));
    assert_eq!(thread(vec![a, b], &config).len(), 2);
}

#[test]
fn duplicates_collapse_and_ties_keep_source_order() {
    let a = with_ids(
        msg("a", 1, "[CAS-10001-ABC123] x", Some(5)),
        "<same@x>",
        None,
        &[],
    );
    let copy = with_ids(
        msg("b", 1, "[CAS-10001-ABC123] x", Some(5)),
        "<same@x>",
        None,
        &[],
    );
    let mut twin = msg("c", 7, "[CAS-10001-ABC123] x", Some(5));
    twin.body = "body a 1".into(); // same sender (none), date and body as `a`
    let tie = msg("d", 1, "[CAS-10001-ABC123] y", Some(5));
    let undated = msg("e", 1, "[CAS-10001-ABC123] z", None);
    let early = msg("f", 1, "[CAS-10001-ABC123] w", Some(2));
    let threads = thread(
        vec![a, copy, twin, tie, undated, early],
        &ThreadConfig::default(),
    );
    assert_eq!(threads.len(), 1);
    let paths: Vec<&str> = threads[0]
        .messages
        .iter()
        .map(|m| m.source.path.as_str())
        .collect();
    assert_eq!(paths, vec!["f", "a", "d", "e"]);
}

#[test]
fn a_case_number_in_the_body_yields_to_reference_links() {
    let a = with_ids(
        msg("a", 1, "[CAS-10001-ABC123] Backup fails", Some(1)),
        "<a@x>",
        None,
        &[],
    );
    // b answers a, and mentions a related case in its text: it stays with a.
    let mut b = with_ids(
        msg("b", 1, "Re: your question", Some(2)),
        "<b@x>",
        Some("<a@x>"),
        &[],
    );
    b.body = "This looks like CAS-20002-XYZ789 from last year.".into();
    // c has no links; the case number in its body is all there is.
    let mut c = msg("c", 1, "update", Some(3));
    c.body = "Status of CAS-20002-XYZ789: fixed.".into();
    let d = msg("d", 1, "[CAS-20002-XYZ789] Old case", Some(4));
    let threads = thread(vec![a, b, c, d], &ThreadConfig::default());
    let ids: Vec<(&str, Vec<&str>)> = threads
        .iter()
        .map(|t| {
            (
                t.id.as_str(),
                t.messages.iter().map(|m| m.source.path.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(
        ids,
        vec![
            ("CAS-10001-ABC123", vec!["a", "b"]),
            ("CAS-20002-XYZ789", vec!["c", "d"])
        ]
    );
}

#[test]
fn a_forwarded_part_joins_the_message_that_carries_it() {
    use crate::model::Attachment;
    let mut carrier = msg("f.eml", 1, "FW: [Case: CAS-31010-F8K4T2] crash", Some(8));
    carrier.format = Format::Eml;
    carrier.attachments.push(Attachment {
        name: Some("report.eml".into()),
        content_type: "message/rfc822".into(),
        size: 600,
    });
    let forwarded = msg("f.eml", 2, "Laptop blue screen again", Some(7));
    let other = msg("g.eml", 1, "Laptop blue screen again", Some(9));
    let threads = thread(vec![carrier, forwarded, other], &ThreadConfig::default());
    let groups: Vec<(String, Vec<String>)> = threads
        .iter()
        .map(|t| {
            let members = t
                .messages
                .iter()
                .map(|m| format!("{}#{}", m.source.path, m.source.index))
                .collect();
            (t.id.clone(), members)
        })
        .collect();
    assert_eq!(
        groups[0],
        (
            "CAS-31010-F8K4T2".to_string(),
            vec!["f.eml#1".to_string(), "f.eml#2".to_string()]
        )
    );
    assert_eq!(groups[1].1, vec!["g.eml#1".to_string()]);
}
