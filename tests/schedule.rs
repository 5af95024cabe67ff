//! Release-time planning against outside references: zone conversions
//! compared with the system tz database through GNU `date`, the `when`,
//! `suggest` and `ics` commands, and the calendar parsed back.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use embargo::core::model::TimeSettings;
use embargo::core::schedule::zone_table;

const NOW: &str = "2026-11-23T12:00:00Z";

fn embargo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", NOW)
        .output()
        .expect("the binary runs")
}

/// Instants around the 2026 and 2027 DST changes of the US and Europe
/// (including the weeks when they differ), hourly, plus a spread over years.
fn instants() -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    for (y, m, d) in [
        (2026, 3, 8),
        (2026, 3, 29),
        (2026, 10, 25),
        (2026, 11, 1),
        (2027, 3, 14),
        (2027, 3, 28),
    ] {
        let start = Utc
            .with_ymd_and_hms(y, m, d, 0, 0, 0)
            .single()
            .expect("valid")
            - TimeDelta::hours(18);
        out.extend((0..40).map(|h| start + TimeDelta::hours(h) + TimeDelta::minutes(30)));
    }
    let base = Utc
        .with_ymd_and_hms(2020, 1, 1, 0, 0, 0)
        .single()
        .expect("valid");
    out.extend((0..120).map(|k| base + TimeDelta::hours(k * 977)));
    out
}

#[test]
fn zone_table_agrees_with_the_system_tz_database() {
    let mut zones = TimeSettings::default_zones();
    zones.extend([
        chrono_tz::Australia::Sydney,
        chrono_tz::Asia::Kolkata,
        chrono_tz::America::Sao_Paulo,
    ]);
    let instants = instants();
    assert!(instants.len() >= 300);
    for zone in zones {
        // One `date` process per zone, reading every instant from stdin.
        let mut child = Command::new("date")
            .args(["-f", "-", "+%Y-%m-%dT%H:%M:%S%:z %a"])
            .env("TZ", zone.name())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("GNU date is installed");
        let input: String = instants
            .iter()
            .map(|t| format!("@{}\n", t.timestamp()))
            .collect();
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("written");
        let out = child.wait_with_output().expect("date ran");
        assert!(out.status.success());
        let theirs: Vec<String> = String::from_utf8(out.stdout)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect();
        assert_eq!(theirs.len(), instants.len());
        for (t, want) in instants.iter().zip(theirs) {
            let row = &zone_table(*t, &[zone], (9, 18))[0];
            let ours = format!("{} {}", row.local, row.weekday);
            // chrono writes +00:00 for UTC as date does.
            assert_eq!(ours, want, "{} at {}", zone.name(), t.to_rfc3339());
        }
    }
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

#[test]
fn when_prints_zones_and_verdicts_with_the_contract_shape() {
    let o = embargo(&["when", "2026-12-08T14:00:00Z", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    assert_eq!(v["instant"], "2026-12-08T14:00:00Z");
    let tokyo = v["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .find(|z| z["zone"] == "Asia/Tokyo")
        .expect("Tokyo");
    assert_eq!(tokyo["local"], "2026-12-08T23:00:00+09:00");
    assert_eq!(tokyo["weekday"], "Tue");
    for verdict in v["verdicts"].as_array().expect("verdicts") {
        assert!(["ok", "warning", "error"].contains(&verdict["level"].as_str().expect("level")));
        assert!(
            verdict["rule"].is_string()
                && verdict["reason"].is_string()
                && verdict["source"].is_string()
        );
    }

    // A Friday: exit 1, with the rule named.
    let o = embargo(&["when", "2026-12-11T14:00:00Z", "--zones", "UTC,Asia/Tokyo"]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("ERROR    no_friday"), "{text}");
    assert!(text.contains("Asia/Tokyo"), "{text}");

    assert_eq!(
        embargo(&["when", "next tuesday"]).status.code(),
        Some(2),
        "bad instant is a usage error"
    );
    assert_eq!(
        embargo(&["when", "2026-12-08T14:00:00Z", "--zones", "Mars/Olympus"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn when_and_suggest_apply_a_projects_rules() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.embargo.ron");
    std::fs::write(&file, embargo::adapters::store::EXAMPLE.1).expect("copied");
    let f = file.to_str().expect("utf-8");
    // POSTBOTE-2's reporter deadline is 2027-02-14.
    let o = embargo(&[
        "when",
        "2027-02-16T14:00:00Z",
        "--project",
        f,
        "--issue",
        "POSTBOTE-2",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let deadline = v["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|x| x["rule"] == "reporter_deadline")
        .expect("rule");
    assert_eq!(deadline["level"], "error");
    assert_eq!(deadline["source"], "reporter");
    // The project's home zone (Europe/Berlin) is among the zones shown.
    assert!(
        v["zones"]
            .as_array()
            .expect("zones")
            .iter()
            .any(|z| z["zone"] == "Europe/Berlin")
    );

    let o = embargo(&[
        "suggest",
        "--after",
        "2026-12-10",
        "--project",
        f,
        "--issue",
        "POSTBOTE-2",
        "--json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = json(&o);
    // Thursday 10 December 14:00 UTC passes every rule.
    assert_eq!(v["instant"], "2026-12-10T14:00:00Z");
    assert!(
        v["verdicts"]
            .as_array()
            .expect("verdicts")
            .iter()
            .all(|x| x["level"] == "ok")
    );

    let o = embargo(&["suggest", "--after", "2026-12-11"]);
    assert_eq!(o.status.code(), Some(0));
    // Monday and Tuesday would have the packagers start on the weekend
    // (the sources go out two days before the release).
    assert!(
        String::from_utf8_lossy(&o.stdout).starts_with("2026-12-16T14:00:00Z"),
        "Friday, the weekend and a weekend packaging start are skipped"
    );

    // The example's POSTBOTE-2 is released Tuesday 1 December: its
    // packagers get their sources on Sunday, and `when` says so.
    let o = embargo(&[
        "when",
        "2026-12-01T14:00:00Z",
        "--project",
        f,
        "--issue",
        "POSTBOTE-2",
        "--json",
    ]);
    let v = json(&o);
    let sunday = v["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .find(|x| {
            x["rule"] == "packager_lead_time"
                && x["level"] == "warning"
                && x["reason"].as_str().is_some_and(|r| r.contains("a Sunday"))
        });
    assert!(sunday.is_some(), "{v}");
}

#[test]
fn the_calendar_parses_back_with_stable_uids() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.embargo.ron");
    std::fs::write(&file, embargo::adapters::store::EXAMPLE.1).expect("copied");
    let f = file.to_str().expect("utf-8");
    let out = dir.path().join("t.ics");
    let o = embargo(&[
        "ics",
        f,
        "--issue",
        "POSTBOTE-2",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n"),
        "CRLF line ends, as RFC 5545 wants"
    );
    let cal: Calendar = text.parse().expect("parses as iCalendar");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    // Seven milestones of the Exim timeline, the public heads-up
    // (pre-announcement) before them, then the duty of disclosure day (the
    // oss-security post, #24), which carries its alarms.
    assert_eq!(
        events.len(),
        9,
        "seven milestones, the pre-announcement and one duty"
    );
    let milestones = events
        .iter()
        .filter(|e| {
            !e.get_uid()
                .is_some_and(|u| u.ends_with("oss_security_post@embargo"))
        })
        .count();
    assert_eq!(
        milestones, 8,
        "the Exim timeline has seven milestones and the pre-announcement"
    );
    let pre = events
        .iter()
        .find(|e| e.get_uid() == Some("postbote-postbote-2-pre_announcement@embargo"))
        .expect("pre-announcement event");
    assert_eq!(pre.property_value("CLASS"), Some("PRIVATE"));
    assert!(
        text.contains("PRODID:-//Embargo//Embargo "),
        "a real PRODID: {text}"
    );
    assert!(text.matches("BEGIN:VALARM").count() >= 8, "{text}");
    let release = events
        .iter()
        .find(|e| e.get_uid() == Some("postbote-postbote-2-release@embargo"))
        .expect("release event");
    let start = release.get_start().expect("DTSTART");
    assert_eq!(
        start,
        icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(
            Utc.with_ymd_and_hms(2026, 12, 1, 14, 0, 0)
                .single()
                .expect("valid")
        ))
    );
    assert!(release.get_summary().is_some_and(|s| s.contains("4.12.3")));

    // Exported again, the UIDs are the same.
    let again = embargo(&["ics", f, "--issue", "POSTBOTE-2"]);
    let cal2: Calendar = String::from_utf8(again.stdout)
        .expect("utf-8")
        .parse()
        .expect("parses");
    let uids = |c: &Calendar| -> Vec<String> {
        c.components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => e.get_uid().map(str::to_owned),
                _ => None,
            })
            .collect()
    };
    assert_eq!(uids(&cal), uids(&cal2));

    let o = embargo(&["ics", f, "--issue", "POSTBOTE-3"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no planned release"));
}
