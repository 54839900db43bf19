//! Scoring on a hand-built case and inline gold.

use super::*;
use crate::segment::tests::{ct, msg};
use crate::segment::{segment, SegmentConfig};

fn case() -> Case {
    let mut t = ct(vec![
        msg("Li Na", "Backup job fails with 0x80070005 since Monday.", false),
        msg("Sam", "The VSS writer log shows access denied for the service account.\nAction plan:\n1. Grant the service account Modify\n2. Re-run the backup job", false),
        msg("Li Na", "It works now, thanks.", false),
    ]);
    for m in &mut t.thread.messages {
        m.subject = "RE: [Case: CAS-10001-ABC123] |P2|ACME| Backup job fails".into();
    }
    segment(&t, &SegmentConfig::default())
}

const GOLD: &str = r#"[{
  "id": "CAS-10001-ABC123", "language": "en", "title": "Backup job fails",
  "customer": "ACME", "priority": "P2", "status": "resolved",
  "opened": "2023-03-01", "closed": "2023-03-03",
  "problem": {"contains": ["BACKUP job fails"], "not": ["Best regards"]},
  "analysis": {"contains": ["VSS writer"], "not": []},
  "cause": {"contains": ["service account"], "not": ["restarted"]},
  "resolution": {"contains": ["grant the service account"], "not": ["VSS writer log"]},
  "steps": ["Grant the service account", "Re-run"],
  "entities": {"error_codes": ["0x80070005"], "files": [], "commands": [], "versions": [], "kb": []},
  "traits": []
}, {
  "id": "CAS-99999-ZZZZZZ", "problem": {"contains": ["x"]}
}]"#;

#[test]
fn every_field_of_a_matching_case_passes_and_a_missing_case_fails_all() {
    let gold: Vec<GoldCase> = serde_json::from_str(GOLD).unwrap();
    let s = score(&gold, &[case()]);
    assert_eq!(s.cases, 2);
    assert!(s.fields.iter().all(|f| f.passed == 1 && f.total == 2));
    assert_eq!(s.failures.len(), FIELDS.len());
    assert_eq!(s.failures[0].case, "CAS-99999-ZZZZZZ");
    assert_eq!(s.failures[0].why, "no case with this id");
}

#[test]
fn failures_say_why() {
    let mut gold: Vec<GoldCase> = serde_json::from_str(GOLD).unwrap();
    gold.truncate(1);
    gold[0].resolution.not = vec!["Modify".into()];
    gold[0].steps = vec!["Grant".into()];
    gold[0].entities.kb = vec!["KB5005565".into()];
    let s = score(&gold, &[case()]);
    let why: Vec<(&str, &str)> = s
        .failures
        .iter()
        .map(|f| (f.field.as_str(), f.why.as_str()))
        .collect();
    assert_eq!(
        why,
        [
            ("resolution", "contains \"Modify\""),
            (
                "steps",
                "2 steps, gold has 1: [\"Grant the service account Modify\", \"Re-run the backup job\"]"
            ),
            ("entities", "missing kb:KB5005565"),
        ]
    );
    assert_eq!(table(&s).lines().nth(5), Some("steps           0/1   0.00"));
}

#[test]
fn commands_match_with_extra_arguments() {
    let got = vec!["dism /online /cleanup-image /restorehealth /source:wim".to_string()];
    assert!(found(&got, "DISM /Online /Cleanup-Image /RestoreHealth"));
    assert!(!found(&got, "dism /online /cleanup"));
}
