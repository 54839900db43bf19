//! Hostile input: random bytes, truncated and mislabelled MIME, a 50 MB file, 10,000 small
//! files. Nothing may panic, each bad file is one error (or a message with warnings), and the
//! good files beside them are read in full. Big inputs are generated in a temp dir.

use std::fs;
use std::path::{Path, PathBuf};

use casebook::ingest::{parse_bytes, read_paths, NoProgress};
use casebook::model::Attachment;

const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/hostile");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

/// xorshift64*: deterministic bytes without a dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn hostile(name: &str) -> Vec<u8> {
    fs::read(Path::new(HOSTILE).join(name)).unwrap()
}

#[test]
fn truncated_mime_keeps_what_is_there() {
    let msgs = parse_bytes(&hostile("truncated-mime.eml"), Path::new("t.eml")).unwrap();
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.subject, "升级失败 truncated");
    assert_eq!(m.body, "升级失败，请帮忙");
    // The attachment's base64 stops mid-quad: the 22 bytes before the cut are counted.
    assert_eq!(
        m.attachments,
        vec![Attachment {
            name: Some("logs.zip".into()),
            content_type: "application/zip".into(),
            size: 22
        }]
    );
    assert_eq!(m.warnings.len(), 1);
    assert!(m.warnings[0].starts_with("damaged base64"));
}

#[test]
fn lying_headers_become_warnings() {
    let msgs = parse_bytes(&hostile("bad-encodings.eml"), Path::new("b.eml")).unwrap();
    let m = &msgs[0];
    assert_eq!(m.body, "@@@@ not base64 at all ####\n");
    assert_eq!(m.date, None);
    assert_eq!(
        m.warnings,
        vec![
            "unparseable date \"31 Feb 2023 25:61:00 +9999\"",
            "transfer encoding not decodable (Base64 decode error: invalid symbol at 0); kept as is"
        ]
    );
}

#[test]
fn degenerate_files() {
    let empty_block = parse_bytes(&hostile("export-empty-block.txt"), Path::new("e.txt")).unwrap();
    assert_eq!(empty_block.len(), 1);
    assert_eq!(empty_block[0].subject, "只有主题");
    assert_eq!(empty_block[0].body, "");
    assert_eq!(empty_block[0].warnings, vec!["no date line"]);

    let headers_only = parse_bytes(&hostile("headers-only.eml"), Path::new("h.eml")).unwrap();
    assert_eq!(
        headers_only[0].subject,
        "header only, no blank line, no body"
    );
    assert_eq!(headers_only[0].body, "");

    let err = parse_bytes(&hostile("mbox-separator-only.mbox"), Path::new("s.mbox")).unwrap_err();
    assert_eq!(err.to_string(), "s.mbox: mbox without any message");
    let err = parse_bytes(b"", Path::new("z.eml")).unwrap_err();
    assert_eq!(err.to_string(), "z.eml: unsupported format: empty file");
    let err = parse_bytes(b"!BDN\x00\x00", Path::new("o.pst")).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("o.pst: unsupported format: Outlook .pst"));
}

#[test]
fn random_and_mangled_bytes_never_panic() {
    // CASEBOOK_FUZZ_SCALE=20 (or more) for a longer run by hand; the default keeps CI quick.
    let scale: usize = std::env::var("CASEBOOK_FUZZ_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..300 * scale {
        let n = (rng.next() % 4096) as usize;
        let bytes = rng.bytes(n);
        let _ = parse_bytes(&bytes, Path::new(&format!("random-{i}")));
    }
    // Real mail, cut at random points and with random bytes overwritten.
    let samples: Vec<Vec<u8>> = walkdir::WalkDir::new(CORPUS)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().to_string_lossy().ends_with(".json"))
        .map(|e| fs::read(e.path()).unwrap())
        .collect();
    assert!(!samples.is_empty());
    for (i, s) in samples.iter().enumerate() {
        for _ in 0..20 * scale {
            let mut b = s.clone();
            let cut = (rng.next() as usize) % (b.len() + 1);
            b.truncate(cut);
            for _ in 0..(rng.next() % 8) {
                if !b.is_empty() {
                    let at = (rng.next() as usize) % b.len();
                    b[at] = rng.next() as u8;
                }
            }
            let _ = parse_bytes(&b, Path::new(&format!("mangled-{i}")));
        }
    }
}

/// Deep MIME nesting and forwards inside forwards: bounded, no stack overflow. Nesting up to
/// the limit is read whole; deeper nesting is one error for the file.
#[test]
fn nesting_bombs_are_bounded() {
    // Boundaries end in `z` so none is a prefix of another (`b1` would match `--b10`).
    let nested = |levels: usize| {
        let mut m = String::from(
            "From: a@x.example\nSubject: nest\nContent-Type: multipart/mixed; boundary=b0z\n\n",
        );
        for i in 1..levels {
            m.push_str(&format!(
                "--b{}z\nContent-Type: multipart/mixed; boundary=b{i}z\n\n",
                i - 1
            ));
        }
        m.push_str(&format!(
            "--b{}z\nContent-Type: text/plain\n\ndeep\n",
            levels - 1
        ));
        m
    };
    let msgs = parse_bytes(nested(60).as_bytes(), Path::new("nest.eml")).unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].subject, "nest");
    assert_eq!(msgs[0].body, "deep\n");
    let err = parse_bytes(nested(2000).as_bytes(), Path::new("nest.eml")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "nest.eml: multipart nesting is more than 64 deep (the limit)"
    );

    let mut fwd = String::from("From: z@x.example\nSubject: innermost\n\nbody\n");
    for i in 0..500 {
        fwd = format!(
            "From: a{i}@x.example\nSubject: fwd {i}\nContent-Type: message/rfc822\n\n{fwd}"
        );
    }
    let msgs = parse_bytes(fwd.as_bytes(), Path::new("fwd.eml")).unwrap();
    // The carrier and the forwards up to the depth limit (8).
    assert_eq!(msgs.len(), 9);
    assert_eq!(msgs[0].subject, "fwd 499");
    assert_eq!(msgs[8].subject, "fwd 491");
    let indexes: Vec<usize> = msgs.iter().map(|m| m.source.index).collect();
    assert_eq!(indexes, (1..=9).collect::<Vec<_>>());
}

fn small_mail(i: usize) -> String {
    format!(
        "From: user{i}@customer.example\nSubject: ticket {i}\nDate: Mon, 6 Mar 2023 09:00:00 +0000\nMessage-ID: <{i}@customer.example>\n\nbody {i}\n"
    )
}

#[test]
fn big_and_bad_files_beside_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // 50 MB: one message whose attachment is 37.5 MB of data (50 MB as base64).
    let payload_len = 50 * 1024 * 1024 / 4 * 3;
    let mut big = b"From: big@x.example\nSubject: big\nDate: Mon, 6 Mar 2023 09:00:00 +0000\nContent-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nsee attached\n--B\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=dump.bin\nContent-Transfer-Encoding: base64\n\n".to_vec();
    let line = b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"; // 48 bytes each
    for _ in 0..payload_len / 48 {
        big.extend_from_slice(line);
    }
    big.extend_from_slice(b"--B--\n");
    assert!(big.len() > 50 * 1024 * 1024);
    fs::write(root.join("a-big.eml"), &big).unwrap();
    fs::write(root.join("b-random.bin"), Rng(7).bytes(100_000)).unwrap();
    fs::write(root.join("c-truncated.eml"), hostile("truncated-mime.eml")).unwrap();
    fs::write(root.join("d-good.eml"), small_mail(1)).unwrap();

    let got = read_paths(&[root.to_path_buf()], &mut NoProgress);
    let subjects: Vec<&str> = got.messages.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, vec!["big", "升级失败 truncated", "ticket 1"]);
    assert_eq!(got.messages[0].body, "see attached");
    assert_eq!(got.messages[0].attachments[0].size, payload_len / 48 * 48);
    assert_eq!(got.messages[2].body, "body 1\n");
    assert_eq!(got.errors.len(), 1);
    assert!(got.errors[0]
        .to_string()
        .contains("b-random.bin: unsupported format"));
    assert_eq!(got.files, 4);
}

#[test]
fn ten_thousand_small_files() {
    let dir = tempfile::tempdir().unwrap();
    let root: PathBuf = dir.path().join("many");
    fs::create_dir(&root).unwrap();
    for i in 0..10_000 {
        fs::write(root.join(format!("{i:05}.eml")), small_mail(i)).unwrap();
    }
    fs::write(root.join("bad.eml"), [0xD0, 0xCF, 0x11, 0xE0, 0, 0]).unwrap();
    let got = read_paths(std::slice::from_ref(&root), &mut NoProgress);
    assert_eq!(got.messages.len(), 10_000);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.files, 10_001);
    for (i, m) in got.messages.iter().enumerate() {
        assert_eq!(m.subject, format!("ticket {i}"));
        assert_eq!(m.message_id, Some(format!("<{i}@customer.example>")));
    }
}
