//! The eml reader (MIME, charsets, dates, forwarded parts): any bytes after one header line, so
//! detection always picks the eml reader. Must return messages or an error, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"X-Fuzz: eml\n".to_vec();
    bytes.extend_from_slice(data);
    let _ = casebook::ingest::parse_bytes(&bytes, std::path::Path::new("fuzz.eml"));
});
