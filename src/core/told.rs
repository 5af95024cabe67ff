//! Notices that remember: what each recipient was told about an issue, and
//! who must hear of a change.
//!
//! Every sent or saved notice records, on each recipient's notice state
//! ([`crate::core::model::NoticeState::told`]), the facts its template
//! stated: severity, public disclosure instant, affected and fixed
//! versions, identifiers ([`stated`] reads which from the template's
//! variables, so a project's own template is judged by what it uses).
//! [`corrections`] compares them with the issue as it is now and lists,
//! per recipient, each fact that changed since, with the old and the new
//! value: the step that sent the notice warns about it, the app lists it
//! under “Corrections to send” with a button that drafts the `correction`
//! mail, and `embargo corrections` prints it. Once the release is
//! published the disclosure instant is no longer compared: the embargo is
//! over. Pure code.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::core::model::{Issue, Project, Told};
use crate::core::render::facts;

/// One fact a notice states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact {
    /// The severity.
    Severity,
    /// The public disclosure instant.
    Release,
    /// The affected version ranges.
    Affected,
    /// The fixed version.
    Fixed,
    /// The identifiers (CVE and others).
    Identifiers,
}

impl Fact {
    /// Every fact, in the order corrections list them.
    pub const ALL: [Fact; 5] = [
        Self::Severity,
        Self::Release,
        Self::Affected,
        Self::Fixed,
        Self::Identifiers,
    ];

    /// Its identifier in JSON and the journal.
    pub fn id(self) -> &'static str {
        match self {
            Self::Severity => "severity",
            Self::Release => "release",
            Self::Affected => "affected",
            Self::Fixed => "fixed",
            Self::Identifiers => "identifiers",
        }
    }

    /// A label for people, as the correction mail names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Severity => "Severity",
            Self::Release => "Public disclosure",
            Self::Affected => "Affected versions",
            Self::Fixed => "Fixed in",
            Self::Identifiers => "Identifiers",
        }
    }

    /// Whether a template that uses the variable `path` (a dotted path
    /// such as `release.at`) states this fact.
    fn used_by(self, path: &str) -> bool {
        let top = path.split('.').next().unwrap_or(path);
        match self {
            Self::Severity => path == "issue.severity",
            Self::Release => {
                matches!(
                    path,
                    "release.at"
                        | "release.date"
                        | "release.time"
                        | "release.weekday"
                        | "release.utc"
                        | "release.days_from_now"
                ) || matches!(top, "timeline" | "packaging_start")
            }
            Self::Affected => matches!(top, "affected" | "affected_text"),
            Self::Fixed => path == "release.version",
            Self::Identifiers => {
                matches!(path, "issue.cve" | "issue.gcve" | "issue.identifiers")
                    || top.starts_with("identifier")
            }
        }
    }
}

/// The facts a template using the variables `paths` states.
pub fn stated<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<Fact> {
    let paths: Vec<&str> = paths.into_iter().collect();
    Fact::ALL
        .into_iter()
        .filter(|f| paths.iter().any(|p| f.used_by(p)))
        .collect()
}

/// The facts of `issue` as a notice states them now, every one filled in
/// (`at`, `template` and `saved` are left empty).
pub fn current(project: &Project, issue: &Issue) -> Told {
    let release = project.release_of(&issue.id);
    let mut ids: Vec<String> = issue.cve_id().map(str::to_owned).into_iter().collect();
    for other in &issue.other_ids {
        if !ids.iter().any(|i| i.eq_ignore_ascii_case(&other.id)) {
            ids.push(other.id.clone());
        }
    }
    Told {
        severity: issue.severity,
        release: release.and_then(facts::release_date),
        affected: Some(
            issue
                .affected
                .iter()
                .map(|a| {
                    format!(
                        "{} up to before {}",
                        a.introduced,
                        facts::fixed_version(project, issue, a).unwrap_or_else(|| "unknown".into())
                    )
                })
                .collect(),
        ),
        fixed: release.map(|r| r.version.clone()),
        identifiers: Some(ids),
        ..Told::default()
    }
}

/// The values of `facts` taken from `now` (the issue's current facts):
/// what a mail stating them tells its recipients.
pub fn telling(now: &Told, facts: &[Fact]) -> Told {
    let mut t = Told::default();
    for f in facts {
        match f {
            Fact::Severity => t.severity = now.severity,
            Fact::Release => t.release = now.release,
            Fact::Affected => t.affected.clone_from(&now.affected),
            Fact::Fixed => t.fixed.clone_from(&now.fixed),
            Fact::Identifiers => t.identifiers.clone_from(&now.identifiers),
        }
    }
    t
}

/// `told` updated with what `new` states: each fact `new` states replaces
/// the old one; the others stay as they were.
pub fn merge(told: &mut Told, new: &Told) {
    if new.severity.is_some() {
        told.severity = new.severity;
    }
    if new.release.is_some() {
        told.release = new.release;
    }
    if new.affected.is_some() {
        told.affected.clone_from(&new.affected);
    }
    if new.fixed.is_some() {
        told.fixed.clone_from(&new.fixed);
    }
    if new.identifiers.is_some() {
        told.identifiers.clone_from(&new.identifiers);
    }
}

/// `told` with what `new` states put over it ([`merge`] into a copy).
pub fn merged(told: &Told, new: &Told) -> Told {
    let mut t = told.clone();
    merge(&mut t, new);
    t
}

fn text_of(told: &Told, fact: Fact) -> Option<String> {
    let list = |v: &Vec<String>, none: &str| {
        if v.is_empty() {
            none.to_owned()
        } else {
            facts::and_list(v)
        }
    };
    match fact {
        Fact::Severity => told
            .severity
            .map(|s| s.to_string())
            .or(Some("not assessed".into())),
        Fact::Release => Some(
            told.release
                .map_or("not planned".into(), |t| fmt_at(t).to_string()),
        ),
        Fact::Affected => told.affected.as_ref().map(|v| list(v, "none recorded")),
        Fact::Fixed => Some(told.fixed.clone().unwrap_or_else(|| "no release".into())),
        Fact::Identifiers => told
            .identifiers
            .as_ref()
            .map(|v| list(v, "none assigned yet")),
    }
}

fn stated_in(told: &Told, fact: Fact) -> bool {
    match fact {
        Fact::Severity => told.severity.is_some(),
        Fact::Release => told.release.is_some(),
        Fact::Affected => told.affected.is_some(),
        Fact::Fixed => told.fixed.is_some(),
        Fact::Identifiers => told.identifiers.is_some(),
    }
}

/// An instant as the mails state it: `2026-12-08 14:00 UTC`.
pub fn fmt_at(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// One fact that changed since a recipient was told it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Which fact.
    pub fact: Fact,
    /// Its label for people.
    pub label: &'static str,
    /// What the recipient was told.
    pub old: String,
    /// What it is now.
    pub new: String,
}

/// The facts in `told` that differ from `now`, with both values. The
/// disclosure instant is left out once `published` (the embargo is over).
pub fn changes(told: &Told, now: &Told, published: bool) -> Vec<Change> {
    Fact::ALL
        .into_iter()
        .filter(|f| stated_in(told, *f))
        .filter(|f| !(published && *f == Fact::Release))
        .filter_map(|f| {
            let (old, new) = (text_of(told, f)?, text_of(now, f)?);
            (old != new).then_some(Change {
                fact: f,
                label: f.label(),
                old,
                new,
            })
        })
        .collect()
}

/// A recipient who was told something that has changed since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// Their address.
    pub recipient: String,
    /// When the last mail that told them something was sent or saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub told_at: Option<DateTime<Utc>>,
    /// That mail's template.
    pub template: String,
    /// Whether that mail was only saved as `.eml` (if it was sent from a
    /// mail client, they were told).
    pub saved: bool,
    /// What changed.
    pub changes: Vec<Change>,
}

/// Everyone who was told a fact of `issue` that has changed since, with
/// what changed, in the order of the issue's notice states.
pub fn corrections(project: &Project, issue: &Issue) -> Vec<Correction> {
    let now = current(project, issue);
    let published = project
        .release_of(&issue.id)
        .is_some_and(|r| r.published.is_some());
    issue
        .notices
        .iter()
        .filter_map(|n| {
            let told = n.told.as_ref()?;
            let changes = changes(told, &now, published);
            (!changes.is_empty()).then(|| Correction {
                recipient: n.recipient.clone(),
                told_at: told.at,
                template: told.template.clone(),
                saved: told.saved,
                changes,
            })
        })
        .collect()
}

/// One line for people: who was told what, and what it is now.
pub fn describe(c: &Correction) -> String {
    let what: Vec<String> = c
        .changes
        .iter()
        .map(|ch| format!("{} {} -> {}", ch.label.to_lowercase(), ch.old, ch.new))
        .collect();
    let when = c
        .told_at
        .map(|t| format!(" on {}", t.format("%Y-%m-%d")))
        .unwrap_or_default();
    let how = if c.saved {
        format!(
            "the `{}` mail saved{when} (sent from a mail client?)",
            c.template
        )
    } else {
        format!("the `{}` mail{when}", c.template)
    };
    format!("{} was told by {how}: {}", c.recipient, what.join("; "))
}

/// The changes a mail to `addresses` corrects, merged over them: for each
/// fact that changed for any of them, the old values they were told
/// (“Low or Moderate” when they were told different ones) and the new one.
pub fn merged_changes(project: &Project, issue: &Issue, addresses: &[String]) -> Vec<Change> {
    let all = corrections(project, issue);
    let mut out: Vec<Change> = Vec::new();
    for c in all.iter().filter(|c| {
        addresses
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&c.recipient))
    }) {
        for ch in &c.changes {
            match out.iter_mut().find(|o| o.fact == ch.fact) {
                Some(o) => {
                    if !o.old.split(" or ").any(|v| v == ch.old) {
                        o.old = format!("{} or {}", o.old, ch.old);
                    }
                }
                None => out.push(ch.clone()),
            }
        }
    }
    out.sort_by_key(|c| c.fact);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{
        AffectedRange, CveState, NoticeState, PlaybookRef, Release, Severity,
    };

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn project() -> Project {
        let mut p = Project::new("Demo", PlaybookRef::Builtin("exim".into()));
        let mut i = Issue::new("DEMO-1", "x", at("2026-11-01T10:00:00Z"));
        i.severity = Some(Severity::Moderate);
        i.affected.push(AffectedRange {
            introduced: "1.0.0".into(),
            fixed: None,
        });
        p.issues.push(i);
        p.releases.push(Release {
            id: "1".into(),
            version: "1.0.1".into(),
            planned: Some(at("2026-11-10T14:00:00Z")),
            published: None,
            base_tag: None,
            issues: vec!["DEMO-1".into()],
            artifacts: Vec::new(),
            milestones: Default::default(),
            shares: Vec::new(),
        });
        p
    }

    #[test]
    fn a_template_states_the_facts_its_variables_name() {
        assert_eq!(
            stated([
                "issue.severity",
                "release.at",
                "issue.title",
                "affected_text"
            ]),
            vec![Fact::Severity, Fact::Release, Fact::Affected]
        );
        assert_eq!(
            stated(["release.version", "issue.cve"]),
            vec![Fact::Fixed, Fact::Identifiers]
        );
        assert!(stated(["issue.title", "project", "sender"]).is_empty());
    }

    #[test]
    fn what_was_told_is_recorded_and_a_change_names_who_heard_the_old_value() {
        let mut p = project();
        let now = current(&p, &p.issues[0]);
        assert_eq!(now.severity, Some(Severity::Moderate));
        assert_eq!(now.release, Some(at("2026-11-10T14:00:00Z")));
        assert_eq!(
            now.affected,
            Some(vec!["1.0.0 up to before 1.0.1".to_owned()])
        );
        assert_eq!(now.fixed.as_deref(), Some("1.0.1"));
        assert_eq!(now.identifiers, Some(Vec::new()));
        // The distros list was told everything; the maintainers only the
        // severity and the date (as the advance notice states them).
        let mut distros = NoticeState::new("distros@vs.openwall.org");
        let mut all = telling(&now, &Fact::ALL);
        all.at = Some(at("2026-11-03T10:00:00Z"));
        all.template = "distros-notice".into();
        distros.told = Some(all);
        let mut maintainers = NoticeState::new("m@demo.example");
        maintainers.told = Some(telling(&now, &[Fact::Severity, Fact::Release]));
        p.issues[0].notices = vec![distros, maintainers];
        assert!(corrections(&p, &p.issues[0]).is_empty(), "nothing changed");
        // The severity goes up, a CVE is assigned and the fixed version
        // moves.
        p.issues[0].severity = Some(Severity::High);
        p.issues[0].cve = CveState::Assigned {
            id: "CVE-2026-1234".into(),
        };
        p.releases[0].version = "1.0.2".into();
        let c = corrections(&p, &p.issues[0]);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].recipient, "distros@vs.openwall.org");
        let facts: Vec<Fact> = c[0].changes.iter().map(|ch| ch.fact).collect();
        assert_eq!(
            facts,
            vec![
                Fact::Severity,
                Fact::Affected,
                Fact::Fixed,
                Fact::Identifiers
            ]
        );
        assert_eq!(
            (c[0].changes[0].old.as_str(), c[0].changes[0].new.as_str()),
            ("Moderate", "High")
        );
        assert_eq!(c[0].changes[3].old, "none assigned yet");
        assert_eq!(c[0].changes[3].new, "CVE-2026-1234");
        assert_eq!(c[1].recipient, "m@demo.example");
        assert_eq!(c[1].changes.len(), 1, "only the severity was told");
        assert!(describe(&c[0]).contains("severity Moderate -> High"));
        assert!(
            describe(&c[0]).contains("on 2026-11-03"),
            "{}",
            describe(&c[0])
        );
        // A new release instant is a change until the release is public.
        p.releases[0].planned = Some(at("2026-11-12T14:00:00Z"));
        let c = corrections(&p, &p.issues[0]);
        assert_eq!(c[1].changes[1].fact, Fact::Release);
        assert_eq!(c[1].changes[1].old, "2026-11-10 14:00 UTC");
        assert_eq!(c[1].changes[1].new, "2026-11-12 14:00 UTC");
        p.releases[0].published = Some(at("2026-11-12T14:02:00Z"));
        let c = corrections(&p, &p.issues[0]);
        assert!(
            c.iter()
                .all(|c| c.changes.iter().all(|ch| ch.fact != Fact::Release))
        );
    }

    #[test]
    fn a_later_mail_replaces_only_what_it_states() {
        let mut told = Told {
            severity: Some(Severity::Low),
            release: Some(at("2026-11-10T14:00:00Z")),
            ..Told::default()
        };
        merge(
            &mut told,
            &Told {
                severity: Some(Severity::High),
                ..Told::default()
            },
        );
        assert_eq!(told.severity, Some(Severity::High));
        assert_eq!(told.release, Some(at("2026-11-10T14:00:00Z")));
    }

    #[test]
    fn recipients_told_different_old_values_get_one_merged_change() {
        let mut p = project();
        let mut a = NoticeState::new("a@x.example");
        a.told = Some(Told {
            severity: Some(Severity::Low),
            ..Told::default()
        });
        let mut b = NoticeState::new("b@x.example");
        b.told = Some(Told {
            severity: Some(Severity::Moderate),
            ..Told::default()
        });
        p.issues[0].notices = vec![a, b];
        p.issues[0].severity = Some(Severity::High);
        let m = merged_changes(
            &p,
            &p.issues[0],
            &["a@x.example".into(), "B@x.example".into()],
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].old, "Low or Moderate");
        assert_eq!(m[0].new, "High");
        assert!(merged_changes(&p, &p.issues[0], &["c@x.example".into()]).is_empty());
    }
}
