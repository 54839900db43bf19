//! Publishing through the pipeline: redaction by default, `keep_pii` keeps everything.

use casebook::config::Config;
use casebook::model::{Address, Format, Message, Source};
use casebook::pipeline::{cases, Publish};

fn message() -> Message {
    let mut m = Message::new(
        Source {
            path: "one.eml".into(),
            index: 1,
        },
        Format::Eml,
    );
    m.subject = "Backup fails with 0x80070005".into();
    m.from = Address {
        name: Some("Li Na".into()),
        address: Some("lina@customer.example".into()),
    };
    m.body = "Li Na here: the backup fails with 0x80070005. Call me at 13812345678 or write to \
              lina@customer.example."
        .into();
    m
}

#[test]
fn published_case_hides_names_addresses_and_phones() {
    let out = cases(
        vec![message()],
        &Config::default(),
        Publish { keep_pii: false },
    );
    assert_eq!(out.len(), 1);
    let m = &out[0].messages[0];
    assert_eq!(m.from, "[customer-1]");
    assert_eq!(
        m.text,
        "[customer-1] here: the backup fails with 0x80070005. Call me at [phone] or write to [email]."
    );
    assert_eq!(out[0].entities.error_codes, ["0x80070005"]);
}

#[test]
fn keep_pii_publishes_the_thread_as_written() {
    let out = cases(
        vec![message()],
        &Config::default(),
        Publish { keep_pii: true },
    );
    let m = &out[0].messages[0];
    assert_eq!(m.from, "Li Na");
    assert_eq!(m.text, message().body);
}
