//! Hostile and enormous inputs through the real readers (`read_paths`, as `casebook ingest` and
//! `build` call them): each test names the exact outcome — the messages that are read, the one
//! error for the file that crossed a limit (see `casebook::ingest::limits` and README `## Limits`),
//! and that the other files still go on. Big inputs are generated in a temp dir at test time.

use std::fs;
use std::io::Write;
use std::path::Path;

use casebook::ingest::limits::{MAX_FILE_BYTES, MAX_MESSAGE_BYTES};
use casebook::ingest::{read_paths, NoProgress};
use casebook::model::{Attachment, Message};

/// A small ordinary message put beside every hostile one: it must always be read.
const GOOD: &str = "From: Li Na <lina@customer.example>\nTo: support@northwind.example\n\
Subject: Backup fails\nDate: Wed, 1 Mar 2023 09:15:00 +0000\nMessage-ID: <good@customer.example>\n\n\
The backup job fails with 0x80070005.\n";

/// Reads `dir` and returns the messages and the errors, with the dir's path replaced by `DIR`.
fn read_dir(dir: &Path) -> (Vec<Message>, Vec<String>) {
    let read = read_paths(&[dir.to_path_buf()], &mut NoProgress);
    let prefix = dir.display().to_string();
    let errors = read
        .errors
        .iter()
        .map(|e| e.to_string().replace(&prefix, "DIR"))
        .collect();
    (read.messages, errors)
}

/// A temp dir holding `good.eml` and the hostile file `name`.
fn dir_with(name: &str, hostile: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.eml"), GOOD).unwrap();
    fs::write(dir.path().join(name), hostile).unwrap();
    dir
}

fn assert_good(m: &Message) {
    assert_eq!(m.source.path.rsplit('/').next(), Some("good.eml"));
    assert_eq!(m.subject, "Backup fails");
    assert_eq!(m.body, "The backup job fails with 0x80070005.\n");
}

/// A multipart/mixed message with a text part and `parts - 1` small attachments.
fn many_parts(parts: usize) -> Vec<u8> {
    let mut s = String::from(
        "From: a@x.example\nSubject: many\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nsee attached\n",
    );
    for i in 1..parts {
        s.push_str(&format!(
            "--b\nContent-Type: text/plain; name=\"f{i}.txt\"\n\nx\n"
        ));
    }
    s.push_str("--b--\n");
    s.into_bytes()
}

/// `depth` multiparts nested in each other, a text part at the bottom.
fn nested(depth: usize) -> Vec<u8> {
    let mut s = String::from("From: a@x.example\nSubject: deep\n");
    for i in 0..depth {
        s.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"n{i}z\"\n\n--n{i}z\n"
        ));
    }
    s.push_str("Content-Type: text/plain\n\nbottom\n");
    for i in (0..depth).rev() {
        s.push_str(&format!("--n{i}z--\n"));
    }
    s.into_bytes()
}

#[test]
fn hundred_megabyte_message_is_read_whole() {
    // 100 MB on disk: a short text part and a ~75 MB attachment in base64 lines of 76.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.eml"), GOOD).unwrap();
    let mut f = fs::File::create(dir.path().join("huge.eml")).unwrap();
    write!(
        f,
        "From: a@x.example\nSubject: huge\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nthe dump is attached\n\
         --b\nContent-Type: application/octet-stream; name=\"memory.dmp\"\n\
         Content-Transfer-Encoding: base64\n\n"
    )
    .unwrap();
    let line = format!("{}\n", "QUJD".repeat(19)); // 76 chars = 57 decoded bytes
    let chunk = line.repeat(1000);
    for _ in 0..1300 {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    writeln!(f, "--b--").unwrap();
    drop(f);
    let size = fs::metadata(dir.path().join("huge.eml")).unwrap().len();
    assert!(size > 100_000_000 && (size as usize) < MAX_MESSAGE_BYTES);

    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(msgs.len(), 2);
    assert_good(&msgs[0]);
    assert_eq!(msgs[1].subject, "huge");
    assert_eq!(msgs[1].body, "the dump is attached");
    assert_eq!(
        msgs[1].attachments,
        vec![Attachment {
            name: Some("memory.dmp".into()),
            content_type: "application/octet-stream".into(),
            size: 1_300_000 * 57,
        }]
    );
}

#[test]
fn message_over_the_size_limit_is_an_error_and_its_mbox_neighbours_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = fs::File::create(dir.path().join("box.mbox")).unwrap();
    let sep = "From a@x.example Mon Mar  6 09:00:00 2023\n";
    write!(
        f,
        "{sep}Subject: first\n\nsmall one\n\n{sep}Subject: big\n\n"
    )
    .unwrap();
    let line = "x".repeat(1023) + "\n";
    let chunk = line.repeat(1024); // 1 MiB
    for _ in 0..(MAX_MESSAGE_BYTES >> 20) {
        f.write_all(chunk.as_bytes()).unwrap();
    }
    write!(f, "\n{sep}Subject: last\n\nsmall too\n").unwrap();
    drop(f);

    let (msgs, errors) = read_dir(dir.path());
    let big = MAX_MESSAGE_BYTES + "Subject: big\n\n".len();
    assert_eq!(
        errors,
        vec![format!(
            "DIR/box.mbox: mbox entry 2: message is {big} bytes, over the limit of 134217728 bytes per message"
        )]
    );
    let subjects: Vec<_> = msgs.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["first", "last"]);
    assert_eq!(msgs[1].source.index, 2);
}

#[test]
fn file_over_the_size_limit_is_not_read() {
    // A sparse file: its size is past the limit without taking the disk (or memory) it claims.
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("good.eml"), GOOD).unwrap();
    let f = fs::File::create(dir.path().join("vast.mbox")).unwrap();
    f.set_len(MAX_FILE_BYTES + 1).unwrap();
    drop(f);

    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(
        errors,
        ["DIR/vast.mbox: file is 536870913 bytes, over the limit of 536870912 bytes per file; split it"]
    );
    assert_eq!(msgs.len(), 1);
    assert_good(&msgs[0]);
}

#[test]
fn ten_thousand_parts_is_an_error_for_that_message() {
    let dir = dir_with("parts.eml", &many_parts(10_000));
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(
        errors,
        ["DIR/parts.eml: message has more than 1000 MIME parts (the limit)"]
    );
    assert_eq!(msgs.len(), 1);
    assert_good(&msgs[0]);
}

#[test]
fn a_thousand_parts_is_within_the_limit() {
    let dir = dir_with("parts.eml", &many_parts(1_000));
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[1].body, "see attached");
    assert_eq!(msgs[1].attachments.len(), 999);
    assert_eq!(
        msgs[1].attachments[998],
        Attachment {
            name: Some("f999.txt".into()),
            content_type: "text/plain".into(),
            size: 1,
        }
    );
}

#[test]
fn thousand_deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = dir_with("deep.eml", &nested(1_000));
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(
        errors,
        ["DIR/deep.eml: multipart nesting is more than 64 deep (the limit)"]
    );
    assert_eq!(msgs.len(), 1);
    assert_good(&msgs[0]);
}

#[test]
fn twenty_deep_nesting_is_read_to_the_bottom() {
    let dir = dir_with("deep.eml", &nested(20));
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    // `deep.eml` sorts before `good.eml`.
    assert_eq!(msgs[0].subject, "deep");
    assert_eq!(msgs[0].body, "bottom");
    assert_good(&msgs[1]);
}

#[test]
fn megabyte_header_line_is_an_error_for_that_message() {
    let mut mail = b"From: a@x.example\nSubject: ".to_vec();
    mail.extend(std::iter::repeat_n(b'A', 1 << 20));
    mail.extend_from_slice(b"\n\nbody\n");
    let dir = dir_with("long.eml", &mail);
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(
        errors,
        ["DIR/long.eml: header section is 1048604 bytes, over the limit of 262144 bytes"]
    );
    assert_eq!(msgs.len(), 1);
    assert_good(&msgs[0]);
}

#[test]
fn hundred_kilobyte_subject_is_read_whole() {
    let subject = "long ".repeat(20_000);
    let mail = format!("From: a@x.example\nSubject: {subject}\n\nbody\n");
    let dir = dir_with("long.eml", mail.as_bytes());
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(msgs[1].subject, subject.trim_end());
    assert_eq!(msgs[1].body, "body\n");
}

#[test]
fn invalid_utf8_in_headers_is_decoded_not_fatal() {
    // raw.eml: a client that skipped RFC 2047 and wrote GBK bytes straight into the headers.
    // junk.eml: a From name of bytes that are no charset's text at all.
    let raw = b"From: \xd5\xc5\xc8\xfd <zs@x.example>\nSubject: \xd6\xd0\xce\xc4\xb1\xea\xcc\xe2\n\
Date: Wed, 1 Mar 2023 09:15:00 +0000\n\nbody\n";
    let junk = b"From: \xc0\xaf\xff <a@x.example>\nSubject: junk\n\
Date: Wed, 1 Mar 2023 09:15:00 +0000\n\nbody\n";
    let dir = dir_with("raw.eml", raw);
    fs::write(dir.path().join("junk.eml"), junk).unwrap();
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(msgs.len(), 3);
    assert_good(&msgs[0]);
    let j = &msgs[1];
    // chardetng's best guess for three bytes that are nobody's text. What matters is that the
    // message is read, with its address and body intact.
    assert_eq!(j.from.name.as_deref(), Some("АЇя"));
    assert_eq!(j.from.address.as_deref(), Some("a@x.example"));
    assert_eq!(j.subject, "junk");
    let r = &msgs[2];
    assert_eq!(r.subject, "中文标题");
    assert_eq!(r.from.name.as_deref(), Some("张三"));
    assert_eq!(r.from.address.as_deref(), Some("zs@x.example"));
    assert_eq!(r.body, "body\n");
}

#[test]
fn unknown_charset_falls_back_to_sniffing_with_a_warning() {
    let mut mail =
        b"From: a@x.example\nSubject: k\nDate: Wed, 1 Mar 2023 09:15:00 +0000\n".to_vec();
    mail.extend_from_slice(b"Content-Type: text/plain; charset=\"x-klingon\"\n\n");
    mail.extend_from_slice("你好 hello\n".as_bytes());
    let dir = dir_with("charset.eml", &mail);
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(msgs[0].body, "你好 hello\n");
    assert_eq!(msgs[0].charset, "UTF-8");
    assert_eq!(msgs[0].decode_errors, 0);
    assert_eq!(msgs[0].warnings, ["unknown charset label \"x-klingon\""]);
    assert_good(&msgs[1]);
}

#[test]
fn nul_bytes_are_kept_as_text_and_a_file_of_nuls_is_unsupported() {
    let mail = b"From: a\x00b@x.example\nSubject: n\x00ul\nDate: Wed, 1 Mar 2023 09:15:00 +0000\n\nbe\x00fore\x00\n";
    let dir = dir_with("nul.eml", mail);
    fs::write(dir.path().join("zeros.eml"), vec![0u8; 4096]).unwrap();
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(
        errors,
        ["DIR/zeros.eml: unsupported format: not a case export, RFC 5322 message, mbox or maildir file"]
    );
    assert_eq!(msgs.len(), 2);
    assert_good(&msgs[0]);
    assert_eq!(msgs[1].subject, "n\0ul");
    assert_eq!(msgs[1].from.address.as_deref(), Some("a\0b@x.example"));
    assert_eq!(msgs[1].body, "be\0fore\0\n");
    // The rest of the pipeline takes them too.
    let cases = casebook::pipeline::cases(
        msgs,
        &casebook::config::Config::default(),
        casebook::pipeline::Publish::default(),
    );
    assert_eq!(cases.len(), 2);
}

#[test]
fn attachment_names_with_dot_dot_are_names_never_paths() {
    let mail = "From: a@x.example\nSubject: names\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\nlogs attached\n\
--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../../tmp/evil.sh\"\n\n#!/bin/sh\n\
--b\nContent-Type: application/octet-stream; name=\"..\\..\\boot.ini\"\n\nx\n\
--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"/etc/passwd\"\n\nroot\n--b--\n";
    let dir = dir_with("names.eml", mail.as_bytes());
    let before = listing(dir.path());
    let read = read_paths(&[dir.path().to_path_buf()], &mut NoProgress);
    assert!(read.errors.is_empty());
    let names: Vec<_> = read.messages[1]
        .attachments
        .iter()
        .map(|a| a.name.as_deref().unwrap_or(""))
        .collect();
    // In a quoted name `\.` is a quoted-pair (RFC 2045/5322): `"..\..\boot.ini"` reads `....boot.ini`.
    assert_eq!(
        names,
        ["../../../tmp/evil.sh", "....boot.ini", "/etc/passwd"]
    );
    let cases = casebook::pipeline::cases(
        read.messages,
        &casebook::config::Config::default(),
        casebook::pipeline::Publish::default(),
    );
    assert_eq!(cases.len(), 2);
    // Nothing was written anywhere near the input (or at the named paths).
    assert_eq!(listing(dir.path()), before);
    assert!(!Path::new("/tmp/evil.sh").exists());
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn zip_bomb_attachment_is_described_never_decompressed() {
    let zip = zip_bomb(1 << 20);
    let dir = tempfile::tempdir().unwrap();
    let mut mail = String::from(
        "From: a@x.example\nSubject: bomb\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nplease check the archive\n\
         --b\nContent-Type: application/zip; name=\"logs.zip\"\n\
         Content-Transfer-Encoding: base64\n\n",
    );
    mail.push_str(&base64(&zip));
    mail.push_str("--b--\n");
    fs::write(dir.path().join("bomb.eml"), &mail).unwrap();
    let (msgs, errors) = read_dir(dir.path());
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(msgs[0].body, "please check the archive");
    assert_eq!(
        msgs[0].attachments,
        vec![Attachment {
            name: Some("logs.zip".into()),
            content_type: "application/zip".into(),
            size: zip.len(),
        }]
    );
    assert_eq!(listing(dir.path()).len(), 2);
}

/// A one-entry zip whose deflate stream is `payload` bytes of back-references (each 13 bits
/// expand to 258 bytes: about 170 MB out of 1 MiB) and whose header claims 4 GiB - 1.
fn zip_bomb(payload: usize) -> Vec<u8> {
    // Fixed-Huffman block (BFINAL=1, BTYPE=01), one literal 0, then length 258 / distance 1
    // matches. Huffman codes go most-significant bit first into an LSB-first bit stream.
    let mut bits: Vec<bool> = vec![true, true, false];
    let code = |bits: &mut Vec<bool>, value: u32, len: u32| {
        for i in (0..len).rev() {
            bits.push(value >> i & 1 == 1);
        }
    };
    code(&mut bits, 0b0011_0000, 8); // literal 0
    while bits.len() < payload * 8 - 20 {
        code(&mut bits, 0b1100_0101, 8); // length symbol 285 = 258
        code(&mut bits, 0, 5); // distance code 0 = 1
    }
    code(&mut bits, 0, 7); // end of block (256)
    let deflate: Vec<u8> = bits
        .chunks(8)
        .map(|c| c.iter().enumerate().map(|(i, &b)| u8::from(b) << i).sum())
        .collect();
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&[0; 4]); // crc-32 (never checked: never inflated)
    zip.extend_from_slice(&(deflate.len() as u32).to_le_bytes());
    zip.extend_from_slice(&u32::MAX.to_le_bytes());
    zip.extend_from_slice(&8u16.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(b"zeros.img");
    zip.extend_from_slice(&deflate);
    zip
}

/// Standard base64 in lines of 76, as mail writers do.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, c) in bytes.chunks(3).enumerate() {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (j, &b)| n | u32::from(b) << (16 - 8 * j));
        for k in 0..4 {
            out.push(if k <= c.len() {
                char::from(ABC[(n >> (18 - 6 * k) & 63) as usize])
            } else {
                '='
            });
        }
        if i % 19 == 18 {
            out.push('\n');
        }
    }
    out.push('\n');
    out
}
