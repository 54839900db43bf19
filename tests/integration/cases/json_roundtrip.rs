//! Property: a `Case` survives its JSON (the shape `casebook cases --json` prints and the store
//! keeps) unchanged: every field, any text (controls, NUL, astral characters), any date with any
//! sub-second precision, any confidence in 0–1. Also the cases the real pipeline makes from the
//! corpus round-trip.

use std::path::PathBuf;

use casebook::model::{
    Case, CaseMessage, Confidence, Entities, Kind, Removal, RemovalReason, Role, Source, Status,
};
use chrono::{DateTime, Utc};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "\\PC{0,40}", "[\\x00-\\x1f\"\\\\]{0,8}"]
}

fn date() -> impl Strategy<Value = Option<DateTime<Utc>>> {
    // 1970 … 2100, with none, milli, micro or nano precision.
    let nanos = prop_oneof![
        Just(0u32),
        (0u32..1000).prop_map(|n| n * 1_000_000),
        0u32..1_000_000_000
    ];
    proptest::option::of(
        (0i64..4_102_444_800, nanos)
            .prop_filter_map("in range", |(s, n)| DateTime::from_timestamp(s, n)),
    )
}

fn words() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(text(), 0..4)
}

fn message() -> impl Strategy<Value = CaseMessage> {
    (
        (1usize..100, text(), any::<bool>(), date(), text()),
        (
            proptest::option::of(text()),
            any::<bool>(),
            proptest::collection::vec((text(), text()), 0..3),
            (text(), 1usize..1000),
            proptest::sample::select(vec![
                Kind::Report,
                Kind::InfoRequest,
                Kind::StatusPing,
                Kind::Analysis,
                Kind::ActionPlan,
                Kind::CustomerUpdate,
                Kind::Confirmation,
                Kind::Closure,
            ]),
        ),
    )
        .prop_map(
            |(
                (index, from, engineer, date, text),
                (greeting, status_ping, removed, (path, at), kind),
            )| {
                CaseMessage {
                    index,
                    from,
                    role: if engineer {
                        Role::Engineer
                    } else {
                        Role::Customer
                    },
                    kind,
                    date,
                    text,
                    greeting,
                    status_ping,
                    removed: removed
                        .into_iter()
                        .map(|(rule, text)| Removal {
                            reason: RemovalReason::Signature,
                            rule,
                            text,
                        })
                        .collect(),
                    source: Source { path, index: at },
                }
            },
        )
}

fn entities() -> impl Strategy<Value = Entities> {
    (
        words(),
        words(),
        words(),
        words(),
        words(),
        words(),
        words(),
        words(),
        words(),
    )
        .prop_map(
            |(case_ids, products, versions, error_codes, files, commands, kb, hashes, urls)| {
                Entities {
                    case_ids,
                    products,
                    versions,
                    error_codes,
                    files,
                    commands,
                    kb,
                    hashes,
                    urls,
                }
            },
        )
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            text(),
            text(),
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
        ),
        (
            any::<bool>(),
            date(),
            date(),
            proptest::collection::vec(message(), 0..4),
        ),
        (text(), text(), text(), text(), words(), words()),
        (entities(), proptest::array::uniform5(0.0f32..=1.0), text()),
    )
        .prop_map(
            |(
                (id, title, language, customer, priority),
                (resolved, opened, closed, messages),
                (problem, analysis, cause, resolution, steps, diagnostics),
                (entities, c, fingerprint),
            )| Case {
                id,
                title,
                language,
                customer,
                priority,
                status: if resolved {
                    Status::Resolved
                } else {
                    Status::Unresolved
                },
                opened,
                closed,
                messages,
                problem,
                analysis,
                cause,
                resolution,
                steps,
                diagnostics,
                entities,
                confidence: Confidence {
                    problem: c[0],
                    analysis: c[1],
                    cause: c[2],
                    resolution: c[3],
                    steps: c[4],
                },
                fingerprint,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn case_json_round_trips(case in case()) {
        let json = serde_json::to_string(&case).unwrap();
        let back: Case = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &case);
        // And the pretty form (what `casebook show --json` prints) reads back the same.
        let pretty = serde_json::to_string_pretty(&case).unwrap();
        prop_assert_eq!(serde_json::from_str::<Case>(&pretty).unwrap(), case);
    }
}

#[test]
fn corpus_cases_round_trip() {
    let corpus = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"));
    let read = casebook::ingest::read_paths(&[corpus], &mut casebook::ingest::NoProgress);
    let cases = casebook::pipeline::cases(
        read.messages,
        &casebook::config::Config::default(),
        casebook::pipeline::Publish::default(),
    );
    assert!(cases.len() >= 24, "{} cases", cases.len());
    for case in cases {
        let json = serde_json::to_string(&case).unwrap();
        let back: Case = serde_json::from_str(&json).unwrap();
        assert_eq!(back, case, "{json}");
    }
}
