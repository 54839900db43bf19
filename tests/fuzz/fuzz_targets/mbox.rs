//! The mbox reader (separator splitting, `>From` unescaping, then each entry as eml): any bytes
//! after a separator line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = b"From fuzz@x.example Mon Mar  6 09:00:00 2023\n".to_vec();
    bytes.extend_from_slice(data);
    let _ = casebook::ingest::parse_bytes(&bytes, std::path::Path::new("fuzz.mbox"));
});
