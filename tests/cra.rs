//! The Cyber Resilience Act's reports (#24 item 7), on the command line at
//! fixed clocks: a project that ships in the EU (`embargo settings
//! --ships-in-eu`) with an issue marked actively exploited (`embargo issue
//! set … exploited yes`, `exploited-since`) owes an early warning within 24
//! hours of awareness, a notification within 72 hours and a final report
//! within 14 days of the fix release; `embargo check` warns once each is due
//! and errs once it is overdue, `embargo due` and the .ics list them, `embargo
//! issue set cra-…` marks them submitted, and `embargo export --format
//! cra-report` drafts their text. Not in the EU, or not exploited: nothing.

mod support;

use std::path::Path;
use std::process::Output;

use embargo::adapters::store;

use support::{embargo_at as embargo, stdout_ok as ok};

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("JSON")
}

/// The example (which ships in the EU), saved in `dir`, with its
/// POSTBOTE-2 marked exploited since 23 November 08:00 UTC.
fn exploited(dir: &Path) -> String {
    let path = dir.join("p.embargo.ron");
    let p = store::example().expect("the example parses");
    std::fs::write(&path, store::project_to_string(&p)).expect("written");
    let file = path.to_str().expect("utf-8").to_owned();
    let now = "2026-11-23T10:00:00Z";
    ok(&embargo(now, &["settings", &file, "--ships-in-eu", "yes"]));
    ok(&embargo(
        now,
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-2",
            "exploited",
            "yes",
        ],
    ));
    ok(&embargo(
        now,
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-2",
            "exploited-since",
            "2026-11-23T08:00:00Z",
        ],
    ));
    file
}

fn cra_duties(file: &str, now: &str) -> Vec<(String, String, String)> {
    let v = json(&embargo(now, &["check", file, "--json"]));
    v.as_array()
        .expect("issues")
        .iter()
        .find(|i| i["id"] == "POSTBOTE-2")
        .expect("present")["duties"]
        .as_array()
        .expect("duties")
        .iter()
        .filter(|d| d["duty"].as_str().is_some_and(|k| k.starts_with("cra_")))
        .map(|d| {
            (
                d["duty"].as_str().expect("a kind").to_owned(),
                d["level"].as_str().expect("a level").to_owned(),
                d["deadline"].as_str().expect("an instant").to_owned(),
            )
        })
        .collect()
}

#[test]
fn check_warns_once_due_and_errs_once_overdue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = exploited(dir.path());
    let s = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        cra_duties(&file, "2026-11-23T12:00:00Z"),
        [
            s("cra_early_warning", "warning", "2026-11-24T08:00:00Z"),
            s("cra_notification", "warning", "2026-11-26T08:00:00Z"),
        ]
    );
    assert_eq!(
        cra_duties(&file, "2026-11-24T09:00:00Z"),
        [
            s("cra_early_warning", "error", "2026-11-24T08:00:00Z"),
            s("cra_notification", "warning", "2026-11-26T08:00:00Z"),
        ]
    );
    // The text form says it too, citing the article.
    let text = ok(&embargo("2026-11-24T09:00:00Z", &["check", &file]));
    assert!(
        text.contains("! duty cra_early_warning    ERROR (overdue): CRA early warning"),
        "{text}"
    );
    assert!(text.contains("Art. 14(2)(a)"), "{text}");
    // Submitted: settled.
    ok(&embargo(
        "2026-11-24T09:30:00Z",
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-2",
            "cra-early-warning",
            "2026-11-24T09:30:00Z",
        ],
    ));
    assert_eq!(
        cra_duties(&file, "2026-11-27T00:00:00Z"),
        [s("cra_notification", "error", "2026-11-26T08:00:00Z")]
    );
    // The journal has the submission, as any field the wizard edits.
    let shown = json(&embargo(
        "2026-11-27T00:00:00Z",
        &["issue", "show", &file, "--issue", "POSTBOTE-2", "--json"],
    ));
    assert_eq!(shown["cra"]["early_warning"], "2026-11-24T09:30:00Z");
    assert_eq!(shown["exploited_aware"], "2026-11-23T08:00:00Z");
    assert!(
        shown["journal"]
            .as_array()
            .expect("journal")
            .iter()
            .any(|e| e["event"]["FieldChanged"]["field"] == "CRA early warning")
    );
}

#[test]
fn the_final_report_is_due_within_14_days_of_the_fix_release() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = exploited(dir.path());
    let publish = embargo(
        "2026-12-01T14:05:00Z",
        &["publish", &file, "--issue", "POSTBOTE-2"],
    );
    ok(&publish);
    let final_of = |now: &str| {
        cra_duties(&file, now)
            .into_iter()
            .find(|d| d.0 == "cra_final_report")
    };
    let d = final_of("2026-12-10T00:00:00Z").expect("due once the fix is out");
    assert_eq!(
        (d.1.as_str(), d.2.as_str()),
        ("warning", "2026-12-15T14:05:00Z")
    );
    let d = final_of("2026-12-15T14:06:00Z").expect("still owed");
    assert_eq!(d.1, "error");
    // embargo due lists it, going to the step that holds the flag.
    let due = json(&embargo("2026-12-10T00:00:00Z", &["due", &file, "--json"]));
    let item = due
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["duty"] == "cra_final_report")
        .expect("listed");
    assert_eq!(item["at"], "2026-12-15T14:05:00Z");
    assert_eq!(item["issues"], serde_json::json!(["POSTBOTE-2"]));
    assert_eq!(item["step"], "triage");
}

#[test]
fn not_in_the_eu_or_not_exploited_owes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = exploited(dir.path());
    let now = "2026-11-24T09:00:00Z";
    ok(&embargo(now, &["settings", &file, "--ships-in-eu", "no"]));
    assert!(cra_duties(&file, now).is_empty());
    let settings = json(&embargo(now, &["settings", &file, "--json"]));
    assert_eq!(
        settings["publication"].get("ships_in_eu"),
        None,
        "left out when no"
    );
    let o = embargo(
        now,
        &[
            "export",
            &file,
            "--issue",
            "POSTBOTE-2",
            "--format",
            "cra-report",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("project/publication/ships_in_eu") && err.contains("--ships-in-eu yes"),
        "{err}"
    );

    ok(&embargo(now, &["settings", &file, "--ships-in-eu", "yes"]));
    assert!(
        ok(&embargo(now, &["settings", &file])).contains("ships in the EU    yes"),
        "the text form shows it"
    );
    ok(&embargo(
        now,
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-2",
            "exploited",
            "no",
        ],
    ));
    assert!(cra_duties(&file, now).is_empty());
    let o = embargo(
        now,
        &[
            "export",
            &file,
            "--issue",
            "POSTBOTE-2",
            "--format",
            "cra-report",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("issue/actively_exploited"));

    let bad = embargo(now, &["settings", &file, "--ships-in-eu", "maybe"]);
    assert_eq!(bad.status.code(), Some(2));
    let bad = embargo(
        now,
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-2",
            "exploited-since",
            "yesterday",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_report_draft_matches_its_golden_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = exploited(dir.path());
    ok(&embargo(
        "2026-11-23T15:00:00Z",
        &[
            "issue",
            "set",
            &file,
            "--issue",
            "POSTBOTE-2",
            "cra-early-warning",
            "2026-11-23T15:00:00Z",
        ],
    ));
    let got = ok(&embargo(
        "2026-11-24T09:00:00Z",
        &[
            "export",
            &file,
            "--issue",
            "POSTBOTE-2",
            "--format",
            "cra-report",
        ],
    ));
    for want in [
        "Regulation (EU) 2024/2847, Article 14 (applies from 11 September 2026,\nArticle 71(2))",
        "1. Early warning (Article 14(2)(a))\nSubmitted 2026-11-23 15:00 UTC.",
        "2. Vulnerability notification (Article 14(2)(b))\nDue by 2026-11-26 08:00 UTC (72 hours after becoming aware).",
        "3. Final report (Article 14(2)(c))\nFalls due once a corrective or mitigating measure is available",
        "Aware of active exploitation since: 2026-11-23 08:00 UTC",
        "Identifiers:   CVE-2026-41807",
        "- Postbote 4.0.0 up to, but not including, 4.12.3",
        "Corrective or mitigating measures users can take: Remove PLAIN from auth_mechanisms",
        "Under embargo until 2026-12-01 14:00 UTC",
        "Malicious actor: [fill in:",
        "Member States where the product is made available: [fill in",
    ] {
        assert!(got.contains(want), "missing {want:?} in:\n{got}");
    }
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cra-report-POSTBOTE-2.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).expect("golden updated");
    }
    let want =
        std::fs::read_to_string(&golden).expect("golden file exists (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(got, want, "the draft differs from {}", golden.display());
}

#[test]
fn the_calendar_has_the_reports_with_alarms() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = exploited(dir.path());
    let ics = ok(&embargo(
        "2026-11-23T12:00:00Z",
        &["ics", &file, "--issue", "POSTBOTE-2"],
    ));
    let unfolded = ics.replace("\r\n ", "");
    for kind in ["cra_early_warning", "cra_notification", "cra_final_report"] {
        assert!(
            unfolded.contains(&format!("UID:postbote-postbote-2-{kind}@embargo")),
            "{kind} missing:\n{unfolded}"
        );
    }
    assert!(unfolded.contains("Report under the Cyber Resilience Act for POSTBOTE-2."));
    assert!(unfolded.contains("Article 14(2)(c)"));
}
