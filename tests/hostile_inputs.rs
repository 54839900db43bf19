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
    write!(f, "--b--\n").unwrap();
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
