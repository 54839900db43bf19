//! Properties that hold for any input: the cleaner and the threader never panic, the cleaned
//! text follows the whitespace convention, and nothing is lost (every non-blank line of the
//! body is in the text, the greeting or a removal).

use casebook::clean::{clean_body, Rules};
use casebook::model::{Format, Message, Source};
use casebook::thread::{normalize_subject, thread, ThreadConfig};
use proptest::prelude::*;

/// Lines drawn from the shapes the rules look at, so the properties exercise them.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Hi Anna,".to_string()),
        Just("许先生 您好：".to_string()),
        Just("Best regards,".to_string()),
        Just("谢谢！".to_string()),
        Just("-----原始邮件-----".to_string()),
        Just("From: A <a@x.example>".to_string()),
        Just("Sent: Monday".to_string()),
        Just("> quoted".to_string()),
        Just("-- ".to_string()),
        Just("☆☆☆☆☆☆".to_string()),
        Just("电话：010-1234-5678".to_string()),
        Just("【外来邮件，注意核实】".to_string()),
        Just("This email and any attachments are confidential.".to_string()),
        Just("".to_string()),
        "[ \t]{0,2}[a-zA-Z0-9 .,:>\u{4e00}-\u{4e20}\u{3000}-\u{3010}]{0,40}[ \t]{0,2}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn cleaning_is_total_and_loses_nothing(lines in prop::collection::vec(line(), 0..25)) {
        let body = lines.join("\n");
        let c = clean_body(&body, &Rules::default());
        for l in c.text.lines() {
            prop_assert_eq!(l, l.trim());
        }
        prop_assert!(!c.text.starts_with('\n') && !c.text.ends_with('\n'));
        prop_assert!(!c.text.contains("\n\n\n"));
        prop_assert!(c.removed.iter().all(|r| !r.text.is_empty()));
        let mut kept: Vec<String> = c.text.lines().map(String::from).collect();
        kept.extend(c.greeting.iter().cloned());
        for r in &c.removed {
            kept.extend(r.text.lines().map(String::from));
        }
        let all = kept.join("\n");
        for l in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            prop_assert!(all.contains(l), "line {:?} was lost", l);
        }
    }

    #[test]
    fn threading_is_total_and_keeps_every_distinct_message(
        subjects in prop::collection::vec("(RE: |回复：|\\[External\\] )?[a-z]{1,3}( CAS-1000[0-3]-ABC12[0-3])?", 1..30),
        links in prop::collection::vec(0usize..40, 1..30),
    ) {
        let messages: Vec<Message> = subjects.iter().enumerate().map(|(i, s)| {
            let mut m = Message::new(Source { path: "p".into(), index: i + 1 }, Format::Mbox);
            m.subject = s.clone();
            m.message_id = Some(format!("<{i}@x>"));
            let parent = links[i % links.len()];
            if parent != i {
                m.in_reply_to = Some(format!("<{parent}@x>"));
            }
            m.body = format!("body {i}");
            m
        }).collect();
        let n = messages.len();
        let threads = thread(messages, &ThreadConfig::default());
        let mut seen: Vec<usize> = threads.iter().flat_map(|t| t.messages.iter().map(|m| m.source.index)).collect();
        seen.sort_unstable();
        prop_assert_eq!(seen, (1..=n).collect::<Vec<_>>());
        for t in &threads {
            let cases: std::collections::HashSet<_> = t.messages.iter()
                .filter_map(|m| casebook::thread::case_number(&m.subject, &Default::default()))
                .collect();
            prop_assert!(cases.len() <= 1, "a thread mixes cases {:?}", cases);
            prop_assert_eq!(&t.subject, &normalize_subject(&t.subject));
        }
    }
}
