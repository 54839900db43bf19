//! The exit status of the commands that read mail (`parse`, `cases`, `ingest`, `build`) on an
//! empty folder, a folder of junk only, and a folder with one good and one bad file without and
//! with `--strict`: the same for every command, as README.md ("Exit status") documents.

use std::path::Path;

use crate::support::casebook;

/// What is in the input folder.
#[derive(Clone, Copy)]
enum Input {
    Empty,
    Junk,
    /// One readable `.eml` and one junk file.
    Mixed,
}

/// Runs `command` on a folder holding `input` (with a scratch store and KB folder where the
/// command needs them); checks the exit status and the last stderr line.
fn check(command: &str, input: Input, strict: bool, code: i32, last_line: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("mail");
    std::fs::create_dir(&mail).unwrap();
    if matches!(input, Input::Junk | Input::Mixed) {
        std::fs::write(mail.join("junk.bin"), b"\x00\x01binary").unwrap();
    }
    if matches!(input, Input::Mixed) {
        let eml = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/eml/en-backup-nas-1.eml");
        std::fs::copy(eml, mail.join("a.eml")).unwrap();
    }
    let mut cmd = casebook();
    cmd.arg(command).arg(&mail);
    if matches!(command, "ingest" | "build") {
        cmd.arg("--store").arg(dir.path().join("store"));
    }
    let kb = dir.path().join("kb");
    if command == "build" {
        cmd.arg("--out").arg(&kb);
    }
    if strict {
        cmd.arg("--strict");
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{command}: {stderr}");
    let junk_reported = stderr.lines().any(|l| {
        l.ends_with(
        "junk.bin: unsupported format: not a case export, RFC 5322 message, mbox or maildir file",
    )
    });
    assert_eq!(junk_reported, !matches!(input, Input::Empty), "{stderr}");
    match last_line {
        Some(line) => assert_eq!(stderr.lines().last(), Some(line), "{stderr}"),
        None => assert!(!stderr.contains("casebook: "), "{stderr}"),
    }
    if command == "build" {
        // The KB is rendered only from a run that did not fail.
        assert_eq!(kb.join("README.md").exists(), code == 0, "{stderr}");
    }
}

const EMPTY: Option<&str> = Some("casebook: no mail found in the inputs");
const JUNK: Option<&str> = Some("casebook: nothing could be read (1 failed)");
const STRICT: Option<&str> = Some("casebook: --strict: 1 input(s) failed");

macro_rules! exit_status_tests {
    ($($name:ident: $command:literal, $input:ident, strict = $strict:literal => $code:literal, $line:expr;)*) => {
        $(
            #[test]
            fn $name() {
                check($command, Input::$input, $strict, $code, $line);
            }
        )*
    };
}

exit_status_tests! {
    parse_empty_folder_fails: "parse", Empty, strict = false => 1, EMPTY;
    parse_junk_only_fails: "parse", Junk, strict = false => 1, JUNK;
    parse_one_bad_file_passes: "parse", Mixed, strict = false => 0, None;
    parse_one_bad_file_fails_strict: "parse", Mixed, strict = true => 1, STRICT;
    cases_empty_folder_fails: "cases", Empty, strict = false => 1, EMPTY;
    cases_junk_only_fails: "cases", Junk, strict = false => 1, JUNK;
    cases_one_bad_file_passes: "cases", Mixed, strict = false => 0, None;
    cases_one_bad_file_fails_strict: "cases", Mixed, strict = true => 1, STRICT;
    ingest_empty_folder_fails: "ingest", Empty, strict = false => 1, EMPTY;
    ingest_junk_only_fails: "ingest", Junk, strict = false => 1, JUNK;
    ingest_one_bad_file_passes: "ingest", Mixed, strict = false => 0, None;
    ingest_one_bad_file_fails_strict: "ingest", Mixed, strict = true => 1, STRICT;
    build_empty_folder_fails: "build", Empty, strict = false => 1, EMPTY;
    build_junk_only_fails: "build", Junk, strict = false => 1, JUNK;
    build_one_bad_file_passes: "build", Mixed, strict = false => 0, None;
    build_one_bad_file_fails_strict: "build", Mixed, strict = true => 1, STRICT;
}
