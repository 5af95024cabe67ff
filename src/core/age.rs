//! The example project ages with the clock: shipped with its release
//! planned on a fixed day, it would show that release as already past once
//! that day has gone by. Opened after it, every instant of the example
//! moves by the same whole number of weeks, so that weekdays and hours
//! stay as written and the scheduled release lies in the coming days
//! again. The file itself is never changed: `embargo check` of it shows it
//! as it is.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeDelta, Utc};

use crate::core::model::Project;

/// How far ahead of the clock an aged release lies at least: two days, the
/// packagers' preferred lead time, so that the notices before it are not
/// late the moment the example opens.
pub const LEAD: TimeDelta = TimeDelta::days(2);

/// The scheduled release of `project`: the earliest planned instant of a
/// release not yet published.
pub fn scheduled_release(project: &Project) -> Option<DateTime<Utc>> {
    project
        .releases
        .iter()
        .filter(|r| r.published.is_none())
        .filter_map(|r| r.planned)
        .min()
}

/// How many whole weeks the project must move ahead at `now`: none while
/// its scheduled release is still ahead (or it has none), else the fewest
/// that put the release at least [`LEAD`] ahead of `now`.
pub fn weeks_behind(project: &Project, now: DateTime<Utc>) -> i64 {
    let Some(planned) = scheduled_release(project) else {
        return 0;
    };
    if planned > now {
        return 0;
    }
    let week = TimeDelta::weeks(1).num_seconds();
    let behind = (now + LEAD - planned).num_seconds();
    (behind + week - 1).div_euclid(week)
}

/// `project` with every instant in it moved by `weeks` whole weeks: every
/// value that is an RFC 3339 instant or a date, and every "YYYY-MM-DD
/// HH:MM UTC" a journal line carries. Identifiers (a CVE ID, a commit) and
/// words are left alone.
pub fn shifted(project: &Project, weeks: i64) -> Project {
    if weeks == 0 {
        return project.clone();
    }
    let by = TimeDelta::weeks(weeks);
    let mut value = match serde_json::to_value(project) {
        Ok(v) => v,
        Err(_) => return project.clone(),
    };
    shift_value(&mut value, by);
    serde_json::from_value(value).unwrap_or_else(|_| project.clone())
}

/// `project` as opened at `now`: moved ahead by [`weeks_behind`] weeks,
/// with the number of weeks.
pub fn aged(project: &Project, now: DateTime<Utc>) -> (Project, i64) {
    let weeks = weeks_behind(project, now);
    (shifted(project, weeks), weeks)
}

/// What the app says when it opens the example moved by `weeks`.
pub fn example_notice(weeks: i64) -> String {
    let base = "this is the example project; File › Save As keeps a copy";
    match weeks {
        0 => base.to_owned(),
        1 => {
            format!("{base}; its dates moved 1 week ahead, so its release lies in the coming days")
        }
        n => format!(
            "{base}; its dates moved {n} weeks ahead, so its release lies in the coming days"
        ),
    }
}

fn shift_value(value: &mut serde_json::Value, by: TimeDelta) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            if let Some(t) = shift_text(s, by) {
                *s = t;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift_value(v, by)),
        Value::Object(map) => map.values_mut().for_each(|v| shift_value(v, by)),
        _ => {}
    }
}

/// The text `s` with its instants moved by `by`, or `None` when it has none.
fn shift_text(s: &str, by: TimeDelta) -> Option<String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        let t = t.with_timezone(&Utc) + by;
        return Some(t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        && s.len() == 10
    {
        return Some((d + by).format("%Y-%m-%d").to_string());
    }
    // "2026-12-01 14:00 UTC" inside a journal line: 20 ASCII characters.
    const LEN: usize = "2026-12-01 14:00 UTC".len();
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut from, mut i, mut changed) = (0, 0, false);
    while i + LEN <= bytes.len() {
        let at_boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let candidate = s.get(i..i + LEN).filter(|c| c.ends_with(" UTC"));
        let parsed = candidate
            .filter(|_| at_boundary)
            .and_then(|c| NaiveDateTime::parse_from_str(&c[..LEN - 4], "%Y-%m-%d %H:%M").ok());
        if let Some(t) = parsed {
            out.push_str(&s[from..i]);
            out.push_str(&(t + by).format("%Y-%m-%d %H:%M UTC").to_string());
            i += LEN;
            from = i;
            changed = true;
        } else {
            i += 1;
        }
    }
    changed.then(|| {
        out.push_str(&s[from..]);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::store::example;
    use chrono::Datelike;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn the_example_is_left_as_it_is_while_its_release_lies_ahead() {
        let p = example().expect("the example parses");
        assert_eq!(scheduled_release(&p), Some(t("2026-12-01T14:00:00Z")));
        assert_eq!(weeks_behind(&p, t("2026-11-23T12:00:00Z")), 0);
        assert_eq!(weeks_behind(&p, t("2026-12-01T13:59:00Z")), 0);
        assert_eq!(aged(&p, t("2026-11-23T12:00:00Z")).0, p);
    }

    #[test]
    fn a_past_release_moves_ahead_by_whole_weeks_into_the_coming_days() {
        let p = example().expect("the example parses");
        for (now, weeks, release) in [
            ("2026-12-01T14:00:00Z", 1, "2026-12-08T14:00:00Z"),
            ("2026-12-06T14:00:00Z", 1, "2026-12-08T14:00:00Z"),
            // Less than two days ahead: one more week.
            ("2026-12-06T14:00:01Z", 2, "2026-12-15T14:00:00Z"),
            ("2027-03-10T09:00:00Z", 15, "2027-03-16T14:00:00Z"),
        ] {
            let (aged, n) = aged(&p, t(now));
            assert_eq!(n, weeks, "{now}");
            let planned = scheduled_release(&aged).expect("still scheduled");
            assert_eq!(planned, t(release), "{now}");
            assert!(planned - t(now) >= LEAD && planned - t(now) < LEAD + TimeDelta::weeks(1));
            assert_eq!(planned.weekday(), chrono::Weekday::Tue);
        }
    }

    #[test]
    fn every_instant_moves_and_nothing_else() {
        let p = example().expect("the example parses");
        let a = shifted(&p, 2);
        let w = TimeDelta::weeks(2);
        for (i, j) in p.issues.iter().zip(&a.issues) {
            assert_eq!(j.intake.received, i.intake.received + w);
            assert_eq!(j.reporter.deadline, i.reporter.deadline.map(|d| d + w));
            assert_eq!(j.cve, i.cve, "identifiers stay");
            assert_eq!(j.fix_commits, i.fix_commits);
            for (e, f) in i.journal.iter().zip(&j.journal) {
                assert_eq!(f.at, e.at + w);
            }
        }
        for (r, s) in p.releases.iter().zip(&a.releases) {
            assert_eq!(s.planned, r.planned.map(|t| t + w));
            assert_eq!(s.published, r.published.map(|t| t + w));
            assert_eq!(s.version, r.version);
        }
        // The journal's own words about an instant move with it.
        let said = |p: &Project| {
            p.issues
                .iter()
                .flat_map(|i| &i.journal)
                .map(|e| e.event.describe())
                .find(|d| d.starts_with("release set to 4.12.3 at"))
                .expect("the plan is journaled")
        };
        assert_eq!(said(&p), "release set to 4.12.3 at 2026-12-01 14:00 UTC");
        assert_eq!(said(&a), "release set to 4.12.3 at 2026-12-15 14:00 UTC");
        assert_eq!(shifted(&a, -2), p, "and back");
    }

    #[test]
    fn text_shifting_leaves_identifiers_and_words() {
        let w = TimeDelta::weeks(1);
        assert_eq!(shift_text("CVE-2026-41807", w), None);
        assert_eq!(shift_text("Tuesday.", w), None);
        assert_eq!(
            shift_text(
                "4.12.3 at 2026-12-01 14:00 UTC, then x2026-12-01 14:00 UTC",
                w
            )
            .as_deref(),
            Some("4.12.3 at 2026-12-08 14:00 UTC, then x2026-12-01 14:00 UTC")
        );
        assert_eq!(shift_text("2026-12-23", w).as_deref(), Some("2026-12-30"));
    }
}
