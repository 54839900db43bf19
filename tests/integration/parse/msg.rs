//! Outlook `.msg` files with exact expected fields. Each `tests/msg/x.msg` has its expected
//! messages beside it (`x.expected.json`: the `casebook parse --json` objects, one per message,
//! embedded messages after their carrier), so adding a case is adding two files.
//!
//! `ascii.msg`, `attachment.msg`, `test_email_1.msg` and `test_email_4.msg` are real Outlook
//! files from the `msg_parser` crate's package (version 0.3.6, `data/`, MIT licence, copied in
//! `tests/msg/LICENSE-msg_parser`). No real Chinese `.msg` could be found here, so
//! `zh-cp936.msg` is built through `cfb` by `write_zh_cp936` below (8-bit GBK strings under
//! code page 936, a UTF-16 recipient and file name, an RTF-only body); run
//! `cargo test --test integration parse::msg -- --ignored` to write it again.

use std::io::Write;
use std::path::Path;

use casebook::eval::clean::fixtures;
use casebook::ingest::{parse_bytes, read_paths, NoProgress};
use casebook::model::Format;

use crate::support::fixtures::{walk, Mismatch};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/msg");

#[test]
fn every_msg_fixture_matches_its_expected_output() {
    let root = Path::new(DIR);
    let pairs = fixtures(root);
    assert_eq!(pairs.len(), 5, "fixtures missing from {DIR}");
    walk("msg", root, &pairs, 5, |input, expected| {
        let bytes = std::fs::read(input).unwrap();
        let name = format!("tests/msg/{}", input.file_name().unwrap().to_string_lossy());
        let msgs = parse_bytes(&bytes, Path::new(&name)).expect("msg parses");
        assert!(msgs.iter().all(|m| m.format == Format::Msg));
        let got: Vec<serde_json::Value> = msgs
            .iter()
            .map(|m| serde_json::to_value(m).unwrap())
            .collect();
        let want: Vec<serde_json::Value> =
            serde_json::from_slice(&std::fs::read(expected).unwrap()).unwrap();
        if got == want {
            return Ok(());
        }
        Err(Mismatch {
            problems: vec![format!("{name} differs from its expected messages")],
            actual: serde_json::to_string_pretty(&got).unwrap(),
        })
    });
}

#[test]
fn mixed_directory_reads_into_one_library() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::copy(format!("{DIR}/zh-cp936.msg"), root.join("a.msg")).unwrap();
    std::fs::copy(format!("{DIR}/test_email_4.msg"), root.join("b.msg")).unwrap();
    std::fs::write(
        root.join("c.eml"),
        "From: Li Na <lina@customer.example>\nSubject: [Case: CAS-10001-ABC123] hello\nDate: Wed, 1 Mar 2023 17:15:00 +0800\n\nbody\n",
    )
    .unwrap();
    std::fs::write(
        root.join("d.mbox"),
        "From a@x Mon Mar  6 09:00:00 2023\nFrom: a@x.example\nSubject: one\nDate: Mon, 6 Mar 2023 09:00:00 +0000\n\nhi\n",
    )
    .unwrap();
    let export = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/samples/case-export-zh.txt"
    );
    std::fs::copy(export, root.join("e.txt")).unwrap();
    let got = read_paths(&[root.to_path_buf()], &mut NoProgress);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.files, 5);
    let formats: Vec<Format> = got.messages.iter().map(|m| m.format).collect();
    assert_eq!(
        &formats[..4],
        &[Format::Msg, Format::Msg, Format::Eml, Format::Mbox]
    );
    assert_eq!(formats.len(), 4 + 16);
    assert!(formats[4..].iter().all(|f| *f == Format::TextExport));
    assert_eq!(got.messages[0].subject, "回复：工行广东分行升级失败");

    let store = root.join("store");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["ingest", "--json", "--store"])
        .arg(&store)
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["files"], 5);
    assert_eq!(doc["messages"], 20);
    assert_eq!(doc["errors"], 0);
}

/// Property entry of a `__properties_version1.0` stream.
fn prop(out: &mut Vec<u8>, id: u16, ty: u16, value: [u8; 8]) {
    out.extend_from_slice(&(((id as u32) << 16) | ty as u32).to_le_bytes());
    out.extend_from_slice(&6u32.to_le_bytes()); // readable, writable
    out.extend_from_slice(&value);
}

fn len_value(n: usize) -> [u8; 8] {
    let mut v = [0u8; 8];
    v[..4].copy_from_slice(&(n as u32).to_le_bytes());
    v
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .chain([0, 0])
        .collect()
}

fn gbk(s: &str) -> Vec<u8> {
    let mut v = encoding_rs::GBK.encode(s).0.into_owned();
    v.push(0);
    v
}

#[test]
#[ignore = "writes tests/msg/zh-cp936.msg"]
fn write_zh_cp936() {
    let path = format!("{DIR}/zh-cp936.msg");
    let mut cf = cfb::create(&path).unwrap();
    let put = |cf: &mut cfb::CompoundFile<std::fs::File>, p: &str, data: &[u8]| {
        cf.create_stream(p).unwrap().write_all(data).unwrap();
    };
    let rtf = "{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil SimSun;}}\\f0 \
        \\'c4\\'fa\\'ba\\'c3\\'a3\\'ac\\par \\'c9\\'fd\\'bc\\'b6\\'ca\\'a7\\'b0\\'dc\\'a3\\'ac\
        \\'c7\\'eb\\'b2\\'e9\\'bf\\'b4\\'c8\\'d5\\'d6\\'be\\'a1\\'a3\\par Error 0x800f081f\\par }";
    let rtf_c = compressed_rtf_bytes(rtf);
    let subject = gbk("回复：工行广东分行升级失败");
    let sender = gbk("李娜");
    let smtp = gbk("lina@customer.example");
    let mut root = vec![0u8; 32];
    root[16..20].copy_from_slice(&1u32.to_le_bytes()); // next recipient id
    root[20..24].copy_from_slice(&1u32.to_le_bytes()); // next attachment id
    root[24..28].copy_from_slice(&1u32.to_le_bytes()); // recipient count
    root[28..32].copy_from_slice(&1u32.to_le_bytes()); // attachment count
    prop(&mut root, 0x0037, 0x001E, len_value(subject.len()));
    prop(&mut root, 0x0C1A, 0x001E, len_value(sender.len()));
    prop(&mut root, 0x5D01, 0x001E, len_value(smtp.len()));
    prop(&mut root, 0x1009, 0x0102, len_value(rtf_c.len()));
    prop(&mut root, 0x3FFD, 0x0003, len_value(936));
    // 2022-07-06T08:28:00Z as FILETIME.
    let ft = (1_657_096_080u64 + 11_644_473_600) * 10_000_000;
    prop(&mut root, 0x0039, 0x0040, ft.to_le_bytes());
    put(&mut cf, "/__properties_version1.0", &root);
    put(&mut cf, "/__substg1.0_0037001E", &subject);
    put(&mut cf, "/__substg1.0_0C1A001E", &sender);
    put(&mut cf, "/__substg1.0_5D01001E", &smtp);
    put(&mut cf, "/__substg1.0_10090102", &rtf_c);
    cf.create_storage("/__nameid_version1.0").unwrap();
    put(&mut cf, "/__nameid_version1.0/__substg1.0_00020102", &[]);

    let recip = "/__recip_version1.0_#00000000";
    cf.create_storage(recip).unwrap();
    let name = utf16("华信支持");
    let addr = utf16("support@northwind.example");
    let mut r = vec![0u8; 8];
    prop(&mut r, 0x3001, 0x001F, len_value(name.len()));
    prop(&mut r, 0x39FE, 0x001F, len_value(addr.len()));
    prop(&mut r, 0x0C15, 0x0003, len_value(1));
    put(&mut cf, &format!("{recip}/__properties_version1.0"), &r);
    put(&mut cf, &format!("{recip}/__substg1.0_3001001F"), &name);
    put(&mut cf, &format!("{recip}/__substg1.0_39FE001F"), &addr);

    let att = "/__attach_version1.0_#00000000";
    cf.create_storage(att).unwrap();
    let file = utf16("升级日志.txt");
    let mime = gbk("text/plain");
    let data = gbk("DISM 初始化失败");
    let mut a = vec![0u8; 8];
    prop(&mut a, 0x3707, 0x001F, len_value(file.len()));
    prop(&mut a, 0x370E, 0x001E, len_value(mime.len()));
    prop(&mut a, 0x3701, 0x0102, len_value(data.len() - 1));
    put(&mut cf, &format!("{att}/__properties_version1.0"), &a);
    put(&mut cf, &format!("{att}/__substg1.0_3707001F"), &file);
    put(&mut cf, &format!("{att}/__substg1.0_370E001E"), &mime);
    put(
        &mut cf,
        &format!("{att}/__substg1.0_37010102"),
        &data[..data.len() - 1],
    );
    cf.flush().unwrap();
}

fn compressed_rtf_bytes(rtf: &str) -> Vec<u8> {
    compressed_rtf::compress_rtf(rtf).unwrap()
}
