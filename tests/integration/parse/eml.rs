//! The MIME reader (`.eml`) with exact expected fields: multipart, HTML-only, RFC 2047,
//! quoted-printable, base64, mislabelled GB2312, forwarded `message/rfc822`, attachments.

use std::path::Path;

use casebook::ingest::parse_bytes;
use casebook::model::{format_date, Address, Attachment, Format, Message};

fn parse(raw: &[u8]) -> Vec<Message> {
    parse_bytes(raw, Path::new("m.eml")).expect("message parses")
}

fn addr(name: Option<&str>, address: &str) -> Address {
    Address {
        name: name.map(String::from),
        address: Some(address.to_string()),
    }
}

const MULTIPART: &str = "Return-Path: <lina@customer.example>
From: =?UTF-8?B?5p2O5aic?= <lina@customer.example>
To: support@northwind.example, \"Berg, Anna\" <anna@northwind.example>
Cc: =?gb2312?B?wO7EyA==?= <li@customer.example>
Subject: =?UTF-8?Q?RE:_[Case:_CAS-10001-ABC123]_Backup_job_fails_?=
 =?UTF-8?Q?with_0x80070005?=
Date: Wed, 1 Mar 2023 17:15:00 +0800 (CST)
Message-ID: <abc@customer.example>
In-Reply-To: <xyz@northwind.example>
References: <root@northwind.example>
 <xyz@northwind.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"outer\"

--outer
Content-Type: multipart/alternative; boundary=\"alt\"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Hi team,
the job still fails =E2=80=94 see the log.

--alt
Content-Type: text/html; charset=utf-8

<p>Hi team, <b>HTML</b> version</p>
--alt--

--outer
Content-Type: text/plain; name=\"setup.log\"
Content-Disposition: attachment; filename=\"setup.log\"
Content-Transfer-Encoding: base64

MDEyMzQ1Njc4OQ==
--outer--
";

#[test]
fn multipart_prefers_plain_and_describes_attachments() {
    let msgs = parse(MULTIPART.as_bytes());
    assert_eq!(msgs.len(), 1);
    let m = &msgs[0];
    assert_eq!(m.format, Format::Eml);
    assert_eq!(m.source.index, 1);
    assert_eq!(
        m.subject,
        "RE: [Case: CAS-10001-ABC123] Backup job fails with 0x80070005"
    );
    assert_eq!(m.from, addr(Some("李娜"), "lina@customer.example"));
    assert_eq!(
        m.to,
        vec![
            addr(None, "support@northwind.example"),
            addr(Some("Berg, Anna"), "anna@northwind.example")
        ]
    );
    assert_eq!(m.cc, vec![addr(Some("李娜"), "li@customer.example")]);
    assert_eq!(
        m.date.map(|d| format_date(&d)).as_deref(),
        Some("2023-03-01T09:15:00Z")
    );
    assert_eq!(m.message_id.as_deref(), Some("<abc@customer.example>"));
    assert_eq!(m.in_reply_to.as_deref(), Some("<xyz@northwind.example>"));
    assert_eq!(
        m.references,
        vec!["<root@northwind.example>", "<xyz@northwind.example>"]
    );
    assert_eq!(m.body, "Hi team,\nthe job still fails — see the log.\n");
    assert!(!m.html);
    assert_eq!(m.charset, "UTF-8");
    assert_eq!(m.decode_errors, 0);
    assert_eq!(
        m.attachments,
        vec![Attachment {
            name: Some("setup.log".into()),
            content_type: "text/plain".into(),
            size: 10
        }]
    );
    assert!(m.warnings.is_empty(), "{:?}", m.warnings);
}

#[test]
fn html_only_becomes_text() {
    let raw = "From: a@x.example\nSubject: html\nDate: 1 Mar 2023 09:15 +0000\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>Please run <b>chkdsk /f</b>.</p><p>Thanks &amp; regards</p></body></html>\n";
    let m = &parse(raw.as_bytes())[0];
    assert!(m.html);
    assert_eq!(m.body, "Please run chkdsk /f.\n\nThanks & regards");
    assert_eq!(m.from, addr(None, "a@x.example"));
}

#[test]
fn gb2312_label_with_gbk_only_characters_decodes_cleanly() {
    // 镕 and 堃 are GBK-only; the sender's client still labels the part GB2312.
    let body = encoding_rs::GBK.encode("朱镕基和王堃的服务器已恢复。").0;
    let subject = encoding_rs::GBK.encode("回复：服务器恢复").0;
    let mut raw = b"From: ops@customer.example\nSubject: ".to_vec();
    raw.extend_from_slice(&subject); // raw 8-bit header, as old Chinese clients send
    raw.extend_from_slice(
        b"\nDate: Mon, 6 Mar 2023 10:00:00 +0800\nContent-Type: text/plain; charset=\"gb2312\"\nContent-Transfer-Encoding: 8bit\n\n",
    );
    raw.extend_from_slice(&body);
    let m = &parse(&raw)[0];
    assert_eq!(m.subject, "回复：服务器恢复");
    assert_eq!(m.body, "朱镕基和王堃的服务器已恢复。");
    assert_eq!(m.charset, "gb18030");
    assert_eq!(m.decode_errors, 0);
    assert!(!m.body.contains('\u{FFFD}'));
}

#[test]
fn base64_gbk_body_and_missing_label_is_sniffed() {
    let text = "请您收集系统日志并提供给我们进一步分析，谢谢您的配合。";
    let gbk = encoding_rs::GBK.encode(text).0;
    let b64 = base64_encode(&gbk);
    let raw = format!("From: x@y.example\nSubject: t\nDate: Mon, 6 Mar 2023 10:00:00 +0800\nContent-Transfer-Encoding: base64\n\n{b64}\n");
    let m = &parse(raw.as_bytes())[0];
    assert_eq!(m.body, text);
    assert_eq!(m.charset, "GBK");
    assert_eq!(m.decode_errors, 0);
}

#[test]
fn forwarded_message_follows_its_carrier() {
    let raw = "From: Anna <anna@northwind.example>
To: team@northwind.example
Subject: Fwd: disk full
Date: Tue, 7 Mar 2023 08:00:00 +0000
Message-ID: <fwd@northwind.example>
Content-Type: multipart/mixed; boundary=b

--b
Content-Type: text/plain

See below.
--b
Content-Type: message/rfc822
Content-Disposition: attachment; filename=\"original.eml\"

From: Li Na <lina@customer.example>
Subject: disk full
Date: Mon, 6 Mar 2023 23:00:00 +0000
Message-ID: <orig@customer.example>

The disk is full again.
--b--
";
    let msgs = parse(raw.as_bytes());
    assert_eq!(msgs.len(), 2);
    assert_eq!(msgs[0].source.index, 1);
    assert_eq!(msgs[0].body, "See below.");
    assert_eq!(msgs[0].attachments.len(), 1);
    assert_eq!(msgs[0].attachments[0].content_type, "message/rfc822");
    assert_eq!(msgs[0].attachments[0].name.as_deref(), Some("original.eml"));
    let f = &msgs[1];
    assert_eq!(f.source.index, 2);
    assert_eq!(f.format, Format::Eml);
    assert_eq!(f.subject, "disk full");
    assert_eq!(f.from, addr(Some("Li Na"), "lina@customer.example"));
    assert_eq!(f.message_id.as_deref(), Some("<orig@customer.example>"));
    assert_eq!(
        f.date.map(|d| format_date(&d)).as_deref(),
        Some("2023-03-06T23:00:00Z")
    );
    // The line break before a boundary belongs to the boundary (RFC 2046 5.1.1).
    assert_eq!(f.body, "The disk is full again.");
}

#[test]
fn bad_date_is_a_warning_not_a_failure() {
    let m = &parse(b"From: a@x.example\nSubject: s\nDate: sometime last week\n\nbody\n")[0];
    assert_eq!(m.date, None);
    assert_eq!(m.warnings, vec!["unparseable date \"sometime last week\""]);
    assert_eq!(m.body, "body\n");
}

/// A small standard base64 encoder, so the test does not depend on the reader to build input.
fn base64_encode(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn raw_gbk_headers_without_any_label_are_sniffed() {
    let mut raw = b"From: ".to_vec();
    raw.extend_from_slice(&encoding_rs::GBK.encode("许翔 <xu@bank.example>").0);
    raw.extend_from_slice(b"\nSubject: ");
    raw.extend_from_slice(
        &encoding_rs::GBK
            .encode("回复：离线升级失败，请协助分析日志")
            .0,
    );
    raw.extend_from_slice(b"\nDate: Mon, 15 Aug 2022 18:16:12 +0800\n\n");
    raw.extend_from_slice(&encoding_rs::GBK.encode("问题已解决，请关单。").0);
    let m = &parse(&raw)[0];
    assert_eq!(m.subject, "回复：离线升级失败，请协助分析日志");
    assert_eq!(m.from, addr(Some("许翔"), "xu@bank.example"));
    assert_eq!(m.body, "问题已解决，请关单。");
    assert_eq!(m.charset, "GBK");
}

/// The defects of issue 13, one message each, with the exact fields they now give.
#[test]
fn real_world_breakage_is_read_like_a_mail_client() {
    // A text part sent inline with a file name is the body when nothing came before it.
    let m = &parse(b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\nContent-Disposition: inline; filename=note.txt\n\nthe note\n--x--\n")[0];
    assert_eq!((m.body.as_str(), m.attachments.len()), ("the note", 0));
    // `Content-Type: text` with no subtype is text/plain.
    let m = &parse(b"Subject: s\nContent-Type: text\n\nplain words\n")[0];
    assert_eq!((m.body.as_str(), m.attachments.len()), ("plain words\n", 0));
    // Blanks and comments inside the media type, a comment after the charset (RFC 2045).
    let m = &parse(
        b"Subject: s\nContent-Type: text /plain; charset=iso-8859-1 (Plain text)\n\nFr\xf6sche\n",
    )[0];
    assert_eq!(
        (m.body.as_str(), m.charset.as_str(), m.attachments.len()),
        ("Fr\u{f6}sche\n", "windows-1252", 0)
    );
    // UTF-7 bodies are decoded.
    let m = &parse(b"Subject: s\nContent-Type: text/plain; charset=UTF-7\n\nFr+APY-sche\n")[0];
    assert_eq!(
        (m.body.as_str(), m.charset.as_str()),
        ("Frösche\n", "UTF-7")
    );
    // No blank line between a part's headers and its body.
    let m = &parse(b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\nbody line\n--x--\n")[0];
    assert_eq!(m.body, "body line");
    // Raw 8-bit bytes inside an encoded word are read in the word's charset and reported;
    // an RFC 2231 language tag does not stop the decoding.
    let m = &parse(b"Subject: =?iso-8859-1?Q?Fr\xf6sche?= =?utf-8*en?q?und_Hasen?=\nTo: <a@b.example> Doe\nDate: Thu, 10 Jul 1997 14:53:31 EST5EDT\n\nx\n")[0];
    assert_eq!(m.subject, "Fröscheund Hasen");
    assert_eq!(m.to, vec![addr(Some("Doe"), "a@b.example")]);
    assert_eq!(
        m.date.as_ref().map(format_date).as_deref(),
        Some("1997-07-10T19:53:31Z")
    );
    assert!(m.warnings.contains(
        &"Subject: 1 raw 8-bit byte(s) inside an encoded word, read with the word's charset"
            .to_string()
    ));
    // The same in a display name (legacy/009: To names lost their umlauts).
    let m = &parse(b"To: =?iso-8859-1?Q?J\xfcrgen_M\xfcller?= <j@x.example>\n\nx\n")[0];
    assert_eq!(
        m.to,
        vec![addr(Some("J\u{fc}rgen M\u{fc}ller"), "j@x.example")]
    );
    assert_eq!(m.decode_errors, 0);
    assert!(m.warnings.contains(
        &"To: 2 raw 8-bit byte(s) inside an encoded word, read with the word's charset".to_string()
    ));
    // An undecodable byte in a header is counted and named.
    let m = &parse(b"Subject: =?utf-8?B?/w==?=\n\nx\n")[0];
    assert_eq!((m.subject.as_str(), m.decode_errors), ("\u{FFFD}", 1));
    assert!(m
        .warnings
        .iter()
        .any(|w| w.starts_with("Subject: 1 undecodable")));
}

fn names(m: &Message) -> Vec<Option<&str>> {
    m.attachments.iter().map(|a| a.name.as_deref()).collect()
}

/// The MIME-structure defects of issue 13 (2 and 8) and their kin, one message each, exact fields.
#[test]
fn broken_structure_is_read_like_a_mail_client() {
    // HTML in multipart/related in multipart/mixed, the outer boundary a prefix of the inner
    // (Eudora): the HTML is the body, the image and the file are attachments.
    let m = &parse(b"Subject: s\nContent-Type: multipart/mixed; boundary=\"==_X\"\n\n--==_X\nContent-Type: multipart/related; boundary=\"==_X.REL\"\n\n--==_X.REL\nContent-Type: text/html\n\n<p>Die Hasen</p>\n--==_X.REL\nContent-Type: image/png; name=\"b.png\"\n\npng\n--==_X.REL--\n\n--==_X\nContent-Type: text/plain; name=\"f.txt\"\nContent-Disposition: attachment; filename=\"f.txt\"\n\nfile\n--==_X--\n")[0];
    assert_eq!(
        (m.body.as_str(), names(m)),
        ("Die Hasen", vec![Some("b.png"), Some("f.txt")])
    );
    // The header section starts with a line of blanks: the message is still read.
    let m = &parse(b" \nFrom: a@b.example\nSubject: still read\n\nbody\n")[0];
    assert_eq!(
        (
            m.subject.as_str(),
            m.from.address.as_deref(),
            m.body.as_str()
        ),
        ("still read", Some("a@b.example"), "body\n")
    );
    // No blank line after the message's headers: the body starts at the first non-header line.
    let m = &parse(b"From: a@b.example\nSubject: s\ncounter to RFC 2822, no blank line\n")[0];
    assert_eq!(
        (m.subject.as_str(), m.body.as_str()),
        ("s", "counter to RFC 2822, no blank line\n")
    );
    // A nested multipart that reuses its parent's boundary keeps the text and the attachment.
    let m = &parse(b"Subject: s\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: application/pdf; name=\"r.pdf\"\nContent-Transfer-Encoding: base64\n\nJVBERg==\n--b--\n")[0];
    assert_eq!((m.body.as_str(), names(m)), ("hello", vec![Some("r.pdf")]));
    assert_eq!(m.attachments[0].size, 4);
    // Boundaries `a--` and `a----`: the line `--a----` opens the inner multipart.
    let m = &parse(b"Content-Type: multipart/mixed; boundary=\"a--\"\n\n--a--\nContent-Type: multipart/mixed; boundary=\"a----\"\n\n--a----\nContent-Type: text/plain\n\nbody\n--a------\nContent-Type: text/html\n\nbody2\n--a----")[0];
    assert_eq!((m.body.as_str(), m.attachments.len()), ("body", 0));
    // An RFC 2231 boundary (`boundary*=charset''value`, mutt).
    let m = &parse(b"Content-Type: multipart/mixed;\n\tboundary*=\"ansi-x3.4-1968''EeQf\"\n\n--EeQf\nContent-Type: text/plain\n\npart 1\n--EeQf--\n")[0];
    assert_eq!(m.body, "part 1");
    // A text part named only in its Content-Type, first in the message, is the body.
    let m = &parse(b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; name=\"msg.txt\"\n\nmirror\n--x\nContent-Type: text/plain; name=\"msg.txt\"\n\nmirror\n--x--\n")[0];
    assert_eq!(
        (m.body.as_str(), names(m)),
        ("mirror", vec![Some("msg.txt")])
    );
    // A quoted file name's backslashes are quoted-pairs (Netscape's unescaped Windows paths).
    let m = &parse(b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\nt\n--x\nContent-Type: image/png\nContent-Disposition: inline; filename=\"C:\\TEMP\\nsmailEG.png\"\n\npng\n--x--\n")[0];
    assert_eq!(names(m), vec![Some("C:TEMPnsmailEG.png")]);
    // Raw GBK file names are read in the message's charset, not as Latin-1.
    let mut raw = b"Subject: s\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; charset=gbk\n\n".to_vec();
    raw.extend_from_slice(&encoding_rs::GBK.encode("请查看附件中的日志").0);
    raw.extend_from_slice(b"\n--x\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"");
    raw.extend_from_slice(&encoding_rs::GBK.encode("系统日志.zip").0);
    raw.extend_from_slice(b"\"\n\nzip\n--x--\n");
    let m = &parse(&raw)[0];
    assert_eq!(
        (m.body.as_str(), names(m), m.decode_errors),
        ("请查看附件中的日志", vec![Some("系统日志.zip")], 0)
    );
}

/// Dates and addresses of issue 13 (5 and 7) through a whole message.
#[test]
fn obsolete_dates_and_addresses() {
    let date = |d: &str| {
        let raw = format!("From: a@b.example\nDate: {d}\n\nx\n");
        parse(raw.as_bytes())[0].date.as_ref().map(format_date)
    };
    // RFC 5322 appendix A.5 and A.6.3: comments and folds everywhere, a two-digit year.
    let m = &parse(b"From: Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>\nDate: Thu,\n 13\n Feb\n 69\n 23:32\n -0330 (Newfoundland Time)\n\nx\n")[0];
    assert_eq!(m.from, addr(Some("Pete"), "pete@silly.test"));
    assert_eq!(
        m.date.as_ref().map(format_date).as_deref(),
        Some("1969-02-14T03:02:00Z")
    );
    assert_eq!(
        date("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600").as_deref(),
        Some("1997-11-21T15:55:06Z")
    );
    assert_eq!(
        date("21 Nov 97 09:55:06 GMT").as_deref(),
        Some("1997-11-21T09:55:06Z")
    );
    // Obsolete zones: EDT is -0400; a military letter means -0000 (RFC 5322 §4.3).
    assert_eq!(
        date("Fri, 21 Nov 1997 09:55:06 EDT").as_deref(),
        Some("1997-11-21T13:55:06Z")
    );
    assert_eq!(
        date("Fri, 21 Nov 1997 09:55:06 Q").as_deref(),
        Some("1997-11-21T09:55:06Z")
    );
    // A comment beside a bare address is not its name (RFC 5322 §3.4, Python's email).
    let to = |v: &str| parse(format!("To: {v}\n\nx\n").as_bytes())[0].to.clone();
    assert_eq!(
        to("jdoe@example.com (John Doe)"),
        vec![Address {
            name: None,
            address: Some("jdoe@example.com".into())
        }]
    );
    assert_eq!(
        to("John (middle) Doe <jd@x.test>, Undisclosed recipients:;"),
        vec![addr(Some("John Doe"), "jd@x.test")]
    );
    assert_eq!(
        to("Foo Bar <foo@bar.example"),
        vec![addr(Some("Foo Bar"), "foo@bar.example")]
    );
}
