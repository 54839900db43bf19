//! Property: no byte string makes a reader panic. `parse_bytes` is the entry point every reader
//! is reached through (format detected by content), so the generators steer arbitrary bytes
//! into each format by prefixing what detection looks for: a header line (eml), an mbox
//! separator, a case-export subject and block marker, a UTF-16 BOM.

use std::path::Path;

use casebook::ingest::parse_bytes;
use proptest::prelude::*;

/// Lines that look like mail, to get past the first checks more often than random bytes do.
fn mailish_line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"Content-Type: multipart/mixed; boundary=\"b\"".to_vec()),
        Just(b"--b".to_vec()),
        Just(b"--b--".to_vec()),
        Just(b"Content-Type: message/rfc822".to_vec()),
        Just(b"Content-Transfer-Encoding: base64".to_vec()),
        Just(b"Content-Transfer-Encoding: quoted-printable".to_vec()),
        Just(b"Content-Type: text/html; charset=gbk".to_vec()),
        Just(b"Subject: =?utf-8?B?5L2g5aW9?= =?gbk?Q?=D6=D0?=".to_vec()),
        Just(b"Date: Wed, 1 Mar 2023 09:15:00 +0800".to_vec()),
        Just("发件人：张三 <z@x.example>".as_bytes().to_vec()),
        Just(
            "发送时间：2022-07-11 17:12:56.495000+00:00"
                .as_bytes()
                .to_vec()
        ),
        Just("邮件内容:".as_bytes().to_vec()),
        Just("====第2封邮件====".as_bytes().to_vec()),
        Just(b"From b@x.example Mon Mar  6 10:00:00 2023".to_vec()),
        Just(b">From here".to_vec()),
        Just(b"".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..60),
    ]
}

fn mailish(prefix: &'static [u8]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(mailish_line(), 0..40).prop_map(move |lines| {
        let mut out = prefix.to_vec();
        for l in lines {
            out.extend_from_slice(&l);
            out.push(b'\n');
        }
        out
    })
}

/// Reading must return (messages or an error) and never panic; an error names the file.
fn check(bytes: &[u8]) {
    let path = Path::new("fuzz/input.eml");
    match parse_bytes(bytes, path) {
        Ok(msgs) => {
            for m in msgs {
                assert_eq!(m.source.path, "fuzz/input.eml");
                assert!(m.source.index >= 1);
            }
        }
        Err(e) => assert!(e.to_string().starts_with("fuzz/input.eml: "), "{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn eml_like(bytes in mailish(b"From: a@x.example\n")) {
        check(&bytes);
    }

    #[test]
    fn mbox_like(bytes in mailish(b"From a@x.example Mon Mar  6 09:00:00 2023\n")) {
        check(&bytes);
    }

    #[test]
    fn export_like(bytes in mailish("邮件主题：问题\n====第1封邮件====\n".as_bytes())) {
        check(&bytes);
    }

    #[test]
    fn english_export_like(bytes in mailish(b"Subject: x\n====Message 1====\n")) {
        check(&bytes);
    }

    #[test]
    fn utf16_like(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let mut with_bom = vec![0xFF, 0xFE];
        with_bom.extend_from_slice(&bytes);
        check(&with_bom);
    }
}
