//! Outlook `.msg` files (MS-OXMSG): the bytes of one OLE compound file in, the message plus each
//! embedded message it carries (right after it, numbered on) out, like `eml` does for
//! `message/rfc822` parts.
//!
//! `cfb` reads the compound file; this module reads the MAPI properties in it. Fixed-size values
//! sit in each storage's `__properties_version1.0` stream, the others in their own
//! `__substg1.0_IIIITTTT` streams (property id, type). Strings are UTF-16LE (`001F`) or 8-bit
//! (`001E`) in the message's code page (`PidTagInternetCodepage`, else `PidTagMessageCodepage`:
//! 936 is GBK), decoded through `charset` so undecodable bytes are counted. The body is the plain
//! text, else the HTML turned into text, else the compressed RTF turned into text (`rtf`).
//! Recipients are the `__recip_version1.0_#N` storages, attachments the `__attach_version1.0_#N`
//! ones; an attachment that is itself a message (`3701000D` storage) becomes a message too.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use encoding_rs::Encoding;

use super::charset;
use super::headers::{message_ids, split_loose_addresses};
use crate::model::{Address, Attachment, Format, Message, Source};

type Cfb<'a> = cfb::CompoundFile<Cursor<&'a [u8]>>;

/// Embedded messages inside embedded messages are followed this deep, no deeper.
const MAX_DEPTH: usize = 8;

// Property ids (MS-OXPROPS).
const SUBJECT: u16 = 0x0037;
const CLIENT_SUBMIT_TIME: u16 = 0x0039;
const SENT_REPRESENTING_NAME: u16 = 0x0042;
const SENT_REPRESENTING_EMAIL: u16 = 0x0065;
const SENDER_NAME: u16 = 0x0C1A;
const SENDER_EMAIL: u16 = 0x0C1F;
const RECIPIENT_TYPE: u16 = 0x0C15;
const DISPLAY_CC: u16 = 0x0E03;
const DISPLAY_TO: u16 = 0x0E04;
const DELIVERY_TIME: u16 = 0x0E06;
const ATTACH_SIZE: u16 = 0x0E20;
const BODY: u16 = 0x1000;
const RTF_COMPRESSED: u16 = 0x1009;
const HTML: u16 = 0x1013;
const INTERNET_MESSAGE_ID: u16 = 0x1035;
const REFERENCES: u16 = 0x1039;
const IN_REPLY_TO: u16 = 0x1042;
const DISPLAY_NAME: u16 = 0x3001;
const EMAIL_ADDRESS: u16 = 0x3003;
const ATTACH_DATA: u16 = 0x3701;
const ATTACH_FILENAME: u16 = 0x3704;
const ATTACH_LONG_FILENAME: u16 = 0x3707;
const ATTACH_MIME_TAG: u16 = 0x370E;
const SMTP_ADDRESS: u16 = 0x39FE;
const INTERNET_CODEPAGE: u16 = 0x3FDE;
const MESSAGE_CODEPAGE: u16 = 0x3FFD;
const SENDER_SMTP: u16 = 0x5D01;
const SENT_REPRESENTING_SMTP: u16 = 0x5D02;

// Property types.
const PT_LONG: u16 = 0x0003;
const PT_SYSTIME: u16 = 0x0040;
const PT_STRING8: u16 = 0x001E;
const PT_UNICODE: u16 = 0x001F;
const PT_BINARY: u16 = 0x0102;
const PT_OBJECT: u16 = 0x000D;

/// Whether bytes are an OLE compound file (the `.msg` container).
pub fn is_compound_file(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Parses one `.msg` file; `path` names it in `Source`.
pub fn parse_msg(bytes: &[u8], path: &str) -> Result<Vec<Message>, String> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| format!("not an OLE compound file: {e}"))?;
    if !cf.is_stream("/__properties_version1.0") {
        return Err("compound file without MAPI properties (not an Outlook message)".into());
    }
    let mut out = Vec::new();
    read_message(&mut cf, Path::new("/"), 32, path, 1, 0, &mut out);
    Ok(out)
}

/// The fixed-size part of the property stream: id → (type, 8 value bytes).
struct Props {
    dir: PathBuf,
    fixed: Vec<(u16, u16, [u8; 8])>,
}

impl Props {
    fn read(cf: &mut Cfb, dir: &Path, header: usize) -> Props {
        let raw = stream(cf, &dir.join("__properties_version1.0")).unwrap_or_default();
        let fixed = raw
            .get(header..)
            .unwrap_or(&[])
            .chunks_exact(16)
            .map(|e| {
                let tag = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
                let mut v = [0u8; 8];
                v.copy_from_slice(&e[8..16]);
                ((tag >> 16) as u16, tag as u16, v)
            })
            .collect();
        Props {
            dir: dir.to_path_buf(),
            fixed,
        }
    }

    fn value(&self, id: u16, ty: u16) -> Option<[u8; 8]> {
        self.fixed
            .iter()
            .find(|(i, t, _)| *i == id && *t == ty)
            .map(|(_, _, v)| *v)
    }

    fn long(&self, id: u16) -> Option<u32> {
        self.value(id, PT_LONG)
            .map(|v| u32::from_le_bytes([v[0], v[1], v[2], v[3]]))
    }

    fn time(&self, id: u16) -> Option<DateTime<Utc>> {
        let ticks = u64::from_le_bytes(self.value(id, PT_SYSTIME)?);
        // FILETIME: 100 ns ticks since 1601-01-01.
        let secs = (ticks / 10_000_000) as i64 - 11_644_473_600;
        DateTime::from_timestamp(secs, ((ticks % 10_000_000) * 100) as u32)
    }

    fn bytes(&self, cf: &mut Cfb, id: u16, ty: u16) -> Option<Vec<u8>> {
        stream(cf, &self.dir.join(format!("__substg1.0_{id:04X}{ty:04X}")))
    }
}

/// A string property, Unicode or 8-bit in `enc`; undecodable bytes are counted into `m`.
fn string(
    cf: &mut Cfb,
    p: &Props,
    id: u16,
    enc: &'static Encoding,
    m: &mut Message,
) -> Option<String> {
    let d = if let Some(raw) = p.bytes(cf, id, PT_UNICODE) {
        charset::decode_with(&raw, encoding_rs::UTF_16LE, None)
    } else {
        let raw = p.bytes(cf, id, PT_STRING8)?;
        charset::decode_with(&raw, enc, None)
    };
    if d.errors > 0 {
        m.decode_errors += d.errors;
        m.warnings.push(format!(
            "property {id:04X}: {} undecodable byte sequence(s) in {}",
            d.errors, d.charset
        ));
    }
    let s = d.text.trim_end_matches('\0').trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// The encoding of a Windows code page number, for 8-bit strings and RTF `\ansicpgN`.
pub fn code_page(cp: u32) -> Option<&'static Encoding> {
    let label = match cp {
        936 | 20936 => "gbk".to_string(),
        54936 => "gb18030".into(),
        950 => "big5".into(),
        932 => "shift_jis".into(),
        949 => "euc-kr".into(),
        51932 => "euc-jp".into(),
        50220..=50222 => "iso-2022-jp".into(),
        65001 => "utf-8".into(),
        1200 => "utf-16le".into(),
        1201 => "utf-16be".into(),
        20127 | 28591 => "windows-1252".into(),
        866 => "ibm866".into(),
        874 | 1250..=1258 => format!("windows-{cp}"),
        28592..=28606 => format!("iso-8859-{}", cp - 28590),
        20866 => "koi8-r".into(),
        _ => return None,
    };
    charset::encoding_for_label(&label)
}

#[allow(clippy::too_many_arguments)]
fn read_message(
    cf: &mut Cfb,
    dir: &Path,
    header: usize,
    path: &str,
    index: usize,
    depth: usize,
    out: &mut Vec<Message>,
) {
    let p = Props::read(cf, dir, header);
    let mut m = Message::new(
        Source {
            path: path.to_string(),
            index,
        },
        Format::Msg,
    );
    let cp = p.long(INTERNET_CODEPAGE).or(p.long(MESSAGE_CODEPAGE));
    let enc = cp.and_then(code_page).unwrap_or(encoding_rs::WINDOWS_1252);
    m.subject = string(cf, &p, SUBJECT, enc, &mut m).unwrap_or_default();
    m.date = p.time(CLIENT_SUBMIT_TIME).or(p.time(DELIVERY_TIME));
    if m.date.is_none() {
        m.warnings.push("no submit or delivery time".into());
    }
    let name = string(cf, &p, SENDER_NAME, enc, &mut m)
        .or_else(|| string(cf, &p, SENT_REPRESENTING_NAME, enc, &mut m));
    let address = [
        SENDER_SMTP,
        SENT_REPRESENTING_SMTP,
        SENDER_EMAIL,
        SENT_REPRESENTING_EMAIL,
    ]
    .into_iter()
    .filter_map(|id| string(cf, &p, id, enc, &mut m))
    .find(|a| a.contains('@'));
    m.from = Address { name, address };
    read_recipients(cf, dir, enc, &mut m);
    if m.to.is_empty() && m.cc.is_empty() {
        // No recipient storages (some exports): the display lists are all there is.
        m.to = string(cf, &p, DISPLAY_TO, enc, &mut m)
            .map(|s| split_loose_addresses(&s))
            .unwrap_or_default();
        m.cc = string(cf, &p, DISPLAY_CC, enc, &mut m)
            .map(|s| split_loose_addresses(&s))
            .unwrap_or_default();
    }
    let ids = |s: Option<String>| s.map(|v| message_ids(&v)).unwrap_or_default();
    m.message_id = ids(string(cf, &p, INTERNET_MESSAGE_ID, enc, &mut m))
        .into_iter()
        .next();
    m.in_reply_to = ids(string(cf, &p, IN_REPLY_TO, enc, &mut m))
        .into_iter()
        .next();
    m.references = ids(string(cf, &p, REFERENCES, enc, &mut m));
    read_body(cf, &p, enc, &mut m);
    let embedded = read_attachments(cf, dir, enc, &mut m);
    out.push(m);
    for sub in embedded {
        if depth >= MAX_DEPTH {
            break;
        }
        let next = out.last().map_or(index, |l| l.source.index) + 1;
        read_message(cf, &sub, 24, path, next, depth + 1, out);
    }
}

fn read_body(cf: &mut Cfb, p: &Props, enc: &'static Encoding, m: &mut Message) {
    m.charset = if p.bytes(cf, BODY, PT_UNICODE).is_some() {
        "UTF-16LE"
    } else {
        enc.name()
    }
    .to_string();
    if let Some(text) = string(cf, p, BODY, enc, m) {
        m.body = text.replace("\r\n", "\n");
        return;
    }
    let html = match p.bytes(cf, HTML, PT_BINARY) {
        Some(raw) => {
            let d = charset::decode(&raw, Some(enc.name()));
            m.decode_errors += d.errors;
            m.charset = d.charset.to_string();
            Some(d.text)
        }
        None => string(cf, p, HTML, enc, m),
    };
    if let Some(html) = html {
        m.html = true;
        m.body = super::html_to_text(&html);
        return;
    }
    if let Some(raw) = p.bytes(cf, RTF_COMPRESSED, PT_BINARY) {
        match super::rtf::decompress(&raw) {
            Some(rtf) => m.body = super::rtf::to_text(&rtf),
            None => m.warnings.push("compressed RTF body not readable".into()),
        }
    }
}

/// Fills `to` and `cc` from the recipient storages, in their order.
fn read_recipients(cf: &mut Cfb, dir: &Path, enc: &'static Encoding, m: &mut Message) {
    for sub in storages(cf, dir, "__recip_version1.0_#") {
        let p = Props::read(cf, &sub, 8);
        let name = string(cf, &p, DISPLAY_NAME, enc, m);
        let address = [SMTP_ADDRESS, EMAIL_ADDRESS]
            .into_iter()
            .filter_map(|id| string(cf, &p, id, enc, m))
            .find(|a| a.contains('@'));
        let a = Address { name, address };
        match p.long(RECIPIENT_TYPE) {
            Some(2) => m.cc.push(a),
            Some(3) => {} // Bcc: not part of what the recipients saw
            _ => m.to.push(a),
        }
    }
}

/// Describes the attachments; gives the storages of those that are messages themselves.
fn read_attachments(
    cf: &mut Cfb,
    dir: &Path,
    enc: &'static Encoding,
    m: &mut Message,
) -> Vec<PathBuf> {
    let mut embedded = Vec::new();
    for sub in storages(cf, dir, "__attach_version1.0_#") {
        let p = Props::read(cf, &sub, 8);
        let name = string(cf, &p, ATTACH_LONG_FILENAME, enc, m)
            .or_else(|| string(cf, &p, ATTACH_FILENAME, enc, m))
            .or_else(|| string(cf, &p, DISPLAY_NAME, enc, m));
        let object = sub.join(format!("__substg1.0_{ATTACH_DATA:04X}{PT_OBJECT:04X}"));
        let data_len = stream_len(
            cf,
            &sub.join(format!("__substg1.0_{ATTACH_DATA:04X}{PT_BINARY:04X}")),
        );
        let is_message = cf.is_storage(&object);
        let content_type = if is_message {
            "message/rfc822".to_string()
        } else {
            string(cf, &p, ATTACH_MIME_TAG, enc, m)
                .map(|t| t.to_ascii_lowercase())
                .unwrap_or_else(|| "application/octet-stream".into())
        };
        let size = data_len
            .or_else(|| p.long(ATTACH_SIZE).map(|n| n as usize))
            .unwrap_or(0);
        m.attachments.push(Attachment {
            name,
            content_type,
            size,
        });
        if is_message {
            embedded.push(object);
        }
    }
    embedded
}

/// The child storages of `dir` whose names start with `prefix`, in name order.
fn storages(cf: &mut Cfb, dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = match cf.read_storage(dir) {
        Ok(entries) => entries
            .filter(|e| e.is_storage() && e.name().starts_with(prefix))
            .map(|e| e.path().to_path_buf())
            .collect(),
        Err(_) => Vec::new(),
    };
    out.sort();
    out
}

fn stream(cf: &mut Cfb, path: &Path) -> Option<Vec<u8>> {
    if !cf.is_stream(path) {
        return None;
    }
    let mut s = cf.open_stream(path).ok()?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).ok()?;
    Some(buf)
}

fn stream_len(cf: &mut Cfb, path: &Path) -> Option<usize> {
    cf.entry(path)
        .ok()
        .filter(|e| e.is_stream())
        .map(|e| e.len() as usize)
}
