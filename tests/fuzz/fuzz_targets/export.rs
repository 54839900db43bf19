//! The plain-text case export reader (labels, block markers, loose addresses, dates): any bytes
//! after the subject line and the first block marker. The first input byte picks the Chinese or
//! the English layout.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (english, rest) = match data.split_first() {
        Some((&b, rest)) => (b & 1 == 1, rest),
        None => (false, data),
    };
    let mut bytes = if english {
        b"Subject: fuzz\n====Message 1====\n".to_vec()
    } else {
        "邮件主题：fuzz\n====第1封邮件====\n".as_bytes().to_vec()
    };
    bytes.extend_from_slice(rest);
    let _ = casebook::ingest::parse_bytes(&bytes, std::path::Path::new("fuzz.txt"));
});
