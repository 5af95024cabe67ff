//! The figures of a disclosure (#24 item 4) on the command line, at a fixed
//! clock: `embargo stats` in its three forms (text, JSON with its
//! documented shape, CSV with its header), `embargo report --format json`,
//! and the write-up's Figures section, for the example's released issue
//! and its open ones (whose figures say they are not known yet).

mod support;

use std::path::Path;
use std::process::Output;

use embargo::adapters::store;
use embargo::core::model::{Event, JournalEntry, Project};

const NOW: &str = "2026-12-02T06:00:00Z";

fn embargo(args: &[&str]) -> Output {
    support::embargo_at(NOW, args)
}

use support::stdout_ok as stdout;

fn save(dir: &Path, p: &Project) -> String {
    let path = dir.join("p.embargo.ron");
    std::fs::write(&path, store::project_to_string(p)).expect("written");
    path.to_str().expect("utf-8").to_owned()
}

/// The example with the reporter acknowledged 50 minutes after the report
/// and the oss-security post an hour after the release of POSTBOTE-1.
fn example() -> Project {
    let mut p = store::example().expect("the example parses");
    let i = p.issue_mut("POSTBOTE-1").expect("present");
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&chrono::Utc)
    };
    i.journal.push(
        JournalEntry::new(
            at("2026-09-21T17:30:00Z"),
            Some("intake_record"),
            Event::MailSent {
                to: "mira@research.example".into(),
                subject: "Re: DKIM-Signature folding lets me inject headers".into(),
            },
        )
        .with_note("template reporter-ack, Message-ID <ack@postbote.example>"),
    );
    i.journal.push(JournalEntry::new(
        at("2026-10-13T15:02:00Z"),
        Some("publish_release"),
        Event::MailSent {
            to: "oss-security@lists.openwall.com".into(),
            subject: "Postbote 4.12.2: CVE-2026-31122".into(),
        },
    ));
    p
}

#[test]
fn stats_as_json_have_the_documented_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = save(dir.path(), &example());
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&embargo(&["stats", &file, "--json"]))).expect("JSON");
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&v), ["as_of", "issues", "project", "totals"]);
    assert_eq!(v["as_of"], NOW);
    let one = &v["issues"][0];
    assert_eq!(
        keys(one),
        [
            "acknowledge",
            "identifier",
            "issue",
            "lists",
            "oss_security_post",
            "published",
            "release",
            "report_to_release",
            "reported",
            "severity",
            "severity_changes",
            "title",
        ]
    );
    assert_eq!(one["issue"], "POSTBOTE-1");
    assert_eq!(
        one["acknowledge"],
        serde_json::json!({
            "from": "2026-09-21T16:40:00Z",
            "to": "2026-09-21T17:30:00Z",
            "minutes": 50,
            "missing": null,
        })
    );
    assert_eq!(one["identifier"]["id"], "CVE-2026-31122");
    assert_eq!(one["identifier"]["minutes"], 2540);
    assert_eq!(one["lists"][0]["address"], "distros@vs.openwall.org");
    assert_eq!(one["lists"][0]["embargo"]["minutes"], 7502);
    assert_eq!(one["lists"][0]["lead"]["minutes"], 4472);
    assert_eq!(one["oss_security_post"]["minutes"], 60);
    assert_eq!(one["oss_security_post"]["in_time"], true);
    assert_eq!(one["oss_security_post"]["deadline"], "2026-10-14T14:02:00Z");
    assert_eq!(one["report_to_release"]["days"], 21.9);
    // The open issue: no made-up number, a reason instead.
    let open = &v["issues"][1];
    assert_eq!(open["issue"], "POSTBOTE-2");
    assert_eq!(
        open["report_to_release"]["minutes"],
        serde_json::Value::Null
    );
    assert_eq!(open["report_to_release"]["days"], serde_json::Value::Null);
    assert_eq!(
        open["report_to_release"]["missing"],
        "not released yet (planned for 2026-12-01 14:00 UTC)"
    );
    assert_eq!(open["severity_changes"][0]["to"], "High");
    assert_eq!(open["severity_changes"][0]["at"], "2026-11-16T10:10:00Z");
    assert_eq!(open["severity_changes"][1]["from"], "High");
    assert_eq!(open["severity_changes"][1]["to"], "Critical");
    assert_eq!(open["severity_changes"][1]["after_notice"], true);
    let totals = &v["totals"];
    assert_eq!(
        keys(totals),
        [
            "acknowledge",
            "identifier",
            "issues",
            "lists",
            "oss_security_late",
            "oss_security_missing",
            "oss_security_post",
            "released",
            "report_to_release",
            "severity_changes",
            "severity_changes_after_notice",
        ]
    );
    assert_eq!(totals["issues"], 3);
    assert_eq!(totals["released"], 1);
    assert_eq!(totals["identifier"]["median_minutes"], (2540 + 1548) / 2);
    assert_eq!(totals["identifier"]["known"], 2);
    assert_eq!(totals["identifier"]["not_known"], 1);
    assert_eq!(totals["lists"][0]["over_14_days"], 0);
}

#[test]
fn stats_as_csv_and_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = save(dir.path(), &example());
    let csv = stdout(&embargo(&["stats", &file, "--csv"]));
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], embargo::core::figures::CSV_HEADER);
    assert_eq!(
        rows[1],
        "POSTBOTE-1,Header injection through a crafted DKIM signature,Moderate,4.12.2,\
         2026-09-21T16:40:00Z,2026-10-13T14:02:00Z,0.83,CVE-2026-31122,42.33,125.03,74.53,\
         125.03,1.00,yes,0,21.9,"
    );
    assert!(rows[2].starts_with("POSTBOTE-2,"), "{}", rows[2]);
    assert!(
        rows[2].ends_with(",acknowledge;embargo;lead;oss_security_post;report_to_release"),
        "{}",
        rows[2]
    );
    assert!(
        rows[4].starts_with("all,median of 3 issue(s),"),
        "{}",
        rows[4]
    );
    assert_eq!(rows.len(), 5);

    let text = stdout(&embargo(&["stats", &file]));
    assert!(
        text.starts_with(
            "Postbote: figures of 3 issue(s), 1 released (as of 2026-12-02 06:00 UTC)"
        ),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("  Reporter acknowledged after ") && l.ends_with(" 50 min")),
        "{text}"
    );
    assert!(text.contains("Embargo on Openwall distros"), "{text}");
    assert!(text.contains("not known yet: not released yet (planned for 2026-12-01 14:00 UTC)"));
    assert!(text.contains("\nTotals\n"), "{text}");

    // A year with none of them, and a bad year.
    let none = stdout(&embargo(&["stats", &file, "--json", "--year", "2025"]));
    let v: serde_json::Value = serde_json::from_str(&none).expect("JSON");
    assert_eq!(v["totals"]["issues"], 0);
    assert_eq!(
        v["totals"]["identifier"]["median_minutes"],
        serde_json::Value::Null
    );
    let bad = embargo(&["stats", &file, "--year", "26"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("give a year such as 2026"));
    let both = embargo(&["stats", &file, "--json", "--csv"]);
    assert_eq!(both.status.code(), Some(2), "one form at a time");
}

#[test]
fn report_as_json_gives_the_figures_and_withholds_addresses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = save(dir.path(), &example());
    let args = ["report", &file, "--issue", "POSTBOTE-1", "--format", "json"];
    let v: serde_json::Value = serde_json::from_str(&stdout(&embargo(&args))).expect("JSON");
    assert_eq!(v["issue"], "POSTBOTE-1");
    assert_eq!(v["cve"], "CVE-2026-31122");
    assert_eq!(v["published"], "2026-10-13T14:02:00Z");
    assert_eq!(v["figures"]["acknowledge"]["minutes"], 50);
    assert_eq!(v["figures"]["lists"][0]["address"], "[address withheld]");
    assert_eq!(v["figures"]["lists"][0]["name"], "Openwall distros");
    let mut shown = args.to_vec();
    shown.push("--include-addresses");
    let v: serde_json::Value = serde_json::from_str(&stdout(&embargo(&shown))).expect("JSON");
    assert_eq!(
        v["figures"]["lists"][0]["address"],
        "distros@vs.openwall.org"
    );
}

#[test]
fn the_write_up_has_a_figures_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = save(dir.path(), &example());
    let md = stdout(&embargo(&["report", &file, "--issue", "POSTBOTE-1"]));
    let section = md
        .split("## Figures\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Figures section");
    for line in [
        "- Reporter acknowledged after: 50 min",
        "- Identifier after: 1 d 18 h 20 min (CVE-2026-31122)",
        "- Embargo on Openwall distros: 5 d 5 h 2 min",
        "- Lead time of Openwall distros: 3 d 2 h 32 min",
        "- oss-security post after the release: 1 h (in time)",
        "- Severity changes: none recorded",
        "- Report to release: 21.9 days",
    ] {
        assert!(section.contains(line), "{line} missing from:\n{section}");
    }
    // The open issue's write-up says what is not known yet.
    let md = stdout(&embargo(&["report", &file, "--issue", "POSTBOTE-2"]));
    assert!(
        md.contains("- Report to release: not known yet: not released yet (planned for 2026-12-01 14:00 UTC)"),
        "{md}"
    );
    assert!(md.contains(
        "- Severity changes: 2026-11-16 10:10 UTC: not assessed → High; \
         2026-11-18 09:00 UTC: High → Critical (after the lists were told)"
    ));
}
