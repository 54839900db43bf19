//! The cleaner: the input (lossy UTF-8) split at U+0001 into message bodies of one thread, then
//! threaded and cleaned (quotes, banners, disclaimers, greetings, signatures, status pings).
#![no_main]

use casebook::config::Config;
use casebook::model::{Format, Message, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let messages: Vec<Message> = text
        .split('\u{1}')
        .take(16)
        .enumerate()
        .map(|(i, body)| {
            let mut m = Message::new(
                Source {
                    path: "fuzz.txt".into(),
                    index: i + 1,
                },
                Format::TextExport,
            );
            m.subject = "fuzz".into();
            m.body = body.to_string();
            m
        })
        .collect();
    let cleaned = casebook::pipeline::clean_threads(messages, &Config::default());
    for ct in &cleaned {
        assert_eq!(ct.cleaned.len(), ct.thread.messages.len());
    }
});
