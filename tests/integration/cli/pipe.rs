//! A reader that stops early (`casebook parse … | head`) ends the command quietly: no panic,
//! no "Broken pipe" message.

use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_stops_the_command_without_a_panic() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casebook"))
        .args(["parse", "--json"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, with most of the output still to come.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(&first, b"{\"source\":{\"path");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}
