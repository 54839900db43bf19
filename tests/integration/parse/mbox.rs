//! mbox (mboxo / mboxrd), maildir folders and directory walking, through `read_paths`.

use std::fs;
use std::path::{Path, PathBuf};

use casebook::ingest::{parse_bytes, read_paths, NoProgress, Progress};
use casebook::model::{format_date, Format};

const MBOX: &str = "From lina@customer.example Mon Mar  6 09:00:00 2023
From: Li Na <lina@customer.example>
Subject: [Case: CAS-10002-XYZ789] VPN drops
Date: Mon, 6 Mar 2023 09:00:00 +0000
Message-ID: <m1@customer.example>

The VPN drops every hour.
>From the logs it looks like a timeout.
>>From here on it is quoted.

From anna@northwind.example Mon Mar  6 10:30:00 2023
From: Anna Berg <anna@northwind.example>
Subject: RE: [Case: CAS-10002-XYZ789] VPN drops
Date: Mon, 06 Mar 2023 18:30 +0800
Message-ID: <m2@northwind.example>
In-Reply-To: <m1@customer.example>
References: <m1@customer.example>

Please send the client log.

";

#[test]
fn mboxrd_entries_in_order_and_unescaped() {
    let msgs = parse_bytes(MBOX.as_bytes(), Path::new("box.mbox")).unwrap();
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].format, Format::Mbox);
    assert_eq!(msgs[0].source.index, 1);
    assert_eq!(msgs[0].source.path, "box.mbox");
    assert_eq!(
        msgs[0].body,
        "The VPN drops every hour.\nFrom the logs it looks like a timeout.\n>From here on it is quoted.\n"
    );
    assert_eq!(msgs[1].source.index, 2);
    assert_eq!(msgs[1].from.name.as_deref(), Some("Anna Berg"));
    assert_eq!(
        msgs[1].in_reply_to.as_deref(),
        Some("<m1@customer.example>")
    );
    assert_eq!(
        msgs[1].date.map(|d| format_date(&d)).as_deref(),
        Some("2023-03-06T10:30:00Z")
    );
    assert_eq!(msgs[1].body, "Please send the client log.\n");
}

struct Counting {
    total: u64,
    advanced: u64,
    calls: usize,
}

impl Progress for Counting {
    fn start(&mut self, total_bytes: u64) {
        self.total = total_bytes;
    }
    fn advance(&mut self, bytes: u64) {
        self.advanced += bytes;
        self.calls += 1;
    }
}

fn mail(subject: &str, body: &str) -> String {
    format!(
        "From: a@x.example\nSubject: {subject}\nDate: Mon, 6 Mar 2023 09:00:00 +0000\n\n{body}\n"
    )
}

#[test]
fn directory_walk_with_maildir_metadata_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let md = root.join("b-maildir");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(md.join(sub)).unwrap();
    }
    fs::write(md.join("new/1678000002.M2.host"), mail("second", "two")).unwrap();
    fs::write(md.join("cur/1678000001.M1.host:2,S"), mail("first", "one")).unwrap();
    fs::write(md.join("tmp/1678000003.M3.host"), mail("in delivery", "no")).unwrap();
    fs::create_dir(root.join("a-sub")).unwrap();
    fs::write(root.join("a-sub/x.txt"), mail("eml without extension", "x")).unwrap();
    fs::write(root.join("c.mbox"), MBOX).unwrap();
    fs::write(root.join("c.expected.json"), "{}").unwrap();
    fs::write(root.join("notes.md"), "# notes").unwrap();
    fs::write(root.join("d.msg"), b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").unwrap();
    fs::write(root.join("e.bin"), [0u8, 159, 146, 150, 1, 2, 3]).unwrap();

    let mut progress = Counting {
        total: 0,
        advanced: 0,
        calls: 0,
    };
    let got = read_paths(&[root.to_path_buf()], &mut progress);
    let seen: Vec<(String, usize, Format, String)> = got
        .messages
        .iter()
        .map(|m| {
            let rel = PathBuf::from(&m.source.path)
                .strip_prefix(root)
                .unwrap()
                .display()
                .to_string();
            (rel, m.source.index, m.format, m.subject.clone())
        })
        .collect();
    let want = vec![
        (
            "a-sub/x.txt".to_string(),
            1,
            Format::Eml,
            "eml without extension".to_string(),
        ),
        (
            "b-maildir/cur/1678000001.M1.host:2,S".into(),
            1,
            Format::Maildir,
            "first".into(),
        ),
        (
            "b-maildir/new/1678000002.M2.host".into(),
            2,
            Format::Maildir,
            "second".into(),
        ),
        (
            "c.mbox".into(),
            1,
            Format::Mbox,
            "[Case: CAS-10002-XYZ789] VPN drops".into(),
        ),
        (
            "c.mbox".into(),
            2,
            Format::Mbox,
            "RE: [Case: CAS-10002-XYZ789] VPN drops".into(),
        ),
    ];
    assert_eq!(seen, want);
    assert_eq!(got.files, 6);
    assert_eq!(got.skipped.len(), 2);
    let errors: Vec<String> = got
        .errors
        .iter()
        .map(|e| e.to_string().replace(&format!("{}/", root.display()), ""))
        .collect();
    assert_eq!(
        errors,
        vec![
            "d.msg: not an OLE compound file: Invalid CFB file (8 bytes is too small)",
            "e.bin: unsupported format: not a case export, RFC 5322 message, mbox or maildir file",
        ]
    );
    assert_eq!(progress.total, got.bytes);
    assert_eq!(progress.advanced, got.bytes);
    assert_eq!(progress.calls, 6);
}

#[test]
fn missing_path_is_one_error() {
    let got = read_paths(
        &[PathBuf::from("/nonexistent/casebook-test")],
        &mut NoProgress,
    );
    assert!(got.messages.is_empty());
    assert_eq!(got.errors.len(), 1);
    assert!(got.errors[0]
        .to_string()
        .starts_with("/nonexistent/casebook-test: "));
}

/// An mbox over 64 MiB is read a block at a time (cut at separator lines); what comes out is
/// exactly what reading it whole gives, message numbers included.
#[test]
fn a_big_mbox_read_in_blocks_equals_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.mbox");
    let filler = "Lorem ipsum dolor sit amet, the backup job failed again.\n".repeat(400);
    let mut mbox = String::new();
    let mut i = 0;
    while mbox.len() < (66 << 20) {
        i += 1;
        mbox.push_str(&format!(
            "From user{i}@customer.example Mon Mar  6 09:00:00 2023\nFrom: user{i}@customer.example\nSubject: ticket {i}\nMessage-ID: <{i}@customer.example>\nDate: Mon, 6 Mar 2023 09:00:00 +0000\n\nbody {i}\nFrom the log:\n{filler}\n"
        ));
    }
    std::fs::write(&path, &mbox).unwrap();
    let streamed = casebook::ingest::read_paths(
        std::slice::from_ref(&path),
        &mut casebook::ingest::NoProgress,
    );
    let whole = casebook::ingest::parse_bytes(mbox.as_bytes(), &path).unwrap();
    assert!(streamed.errors.is_empty(), "{:?}", streamed.errors);
    assert_eq!(streamed.bytes, mbox.len() as u64);
    assert_eq!(streamed.messages.len(), i);
    assert_eq!(streamed.messages.len(), whole.len());
    assert!(
        streamed.messages == whole,
        "block reading changed a message"
    );
    assert_eq!(streamed.messages[i - 1].source.index, i);
    assert_eq!(streamed.messages[i - 1].subject, format!("ticket {i}"));
}
