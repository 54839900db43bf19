//! The segmenter (roles, kinds, fields, entities, redaction) behind the cleaner: the input is
//! read as a case export (so senders, dates and bodies all come from the fuzzer) and the
//! messages go through `pipeline::cases`, as `casebook build` runs them.
#![no_main]

use casebook::config::Config;
use casebook::pipeline::{cases, Publish};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = "邮件主题：fuzz\n====第1封邮件====\n".as_bytes().to_vec();
    bytes.extend_from_slice(data);
    let Ok(messages) = casebook::ingest::parse_bytes(&bytes, std::path::Path::new("fuzz.txt"))
    else {
        return;
    };
    let n = messages.len();
    let published = cases(messages, &Config::default(), Publish::default());
    let total: usize = published.iter().map(|c| c.messages.len()).sum();
    assert!(total <= n);
});
