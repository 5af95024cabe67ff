//! The public part of an issue's write-up: what a project publishes after
//! the release, as Exim did for its 2023 and 2025 issues — a summary, the
//! affected versions and the conditions to be vulnerable, the fix and where
//! it is, the credits, and a dated timeline in UTC. The coordinator's step
//! log stays a separate section of the write-up (see [`super::writeup`]).
//! A short Figures section measures the disclosure
//! ([`crate::core::figures`]).
//!
//! Nothing here names a fix commit or a download before the release is
//! published: until then the fix lives in the private repository.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::facts;
use super::{Addresses, withhold_addresses};
use crate::core::model::{Event, Issue, Project};
use crate::core::playbook::Playbook;

/// One dated line of the public timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Dated {
    /// `YYYY-MM-DD HH:MM UTC`.
    pub at: String,
    /// What happened, in a few words.
    pub what: String,
}

/// The public sections of a write-up, ready for the templates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PublicPart {
    /// What is wrong and what an attacker gains.
    pub summary: Vec<String>,
    /// The affected versions, one line per range, then what is not affected.
    pub affected: Vec<String>,
    /// The conditions to be vulnerable and the mitigation.
    pub conditions: Vec<String>,
    /// The fixed release and where the fix is.
    pub fix: Vec<String>,
    /// One line per person with all their parts.
    pub credits: Vec<String>,
    /// Report, CVE, notices and release, in time order, in UTC.
    pub timeline: Vec<Dated>,
    /// The figures of the disclosure ([`crate::core::figures`]): what each
    /// measures and its value, or why it is not known yet.
    pub figures: Vec<Figure>,
}

/// One line of the Figures section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Figure {
    /// What it measures, e.g. "Embargo on Openwall distros".
    pub label: String,
    /// Its value, e.g. "5 d 5 h 2 min", or "not known yet: …".
    pub value: String,
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The public sections of `issue`'s write-up.
pub(crate) fn public_part(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    addresses: Addresses,
) -> PublicPart {
    let product = project.publication.product_or(&project.name);
    let release = project.release_of(&issue.id);
    let published = release.and_then(|r| r.published);
    let hide = |s: String| match addresses {
        Addresses::Withheld => withhold_addresses(&s),
        Addresses::Shown => s,
    };

    let summary: Vec<String> = [issue.description.trim(), issue.impact.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .map(|s| hide(s.to_owned()))
        .collect();

    let mut affected: Vec<String> = issue
        .affected
        .iter()
        .map(|r| match facts::fixed_version(project, issue, r) {
            Some(f) => format!("{product} {} up to, but not including, {f}.", r.introduced),
            None => format!(
                "{product} {} and later on its branch (no fix).",
                r.introduced
            ),
        })
        .collect();
    if let Some(v) = issue
        .affected
        .iter()
        .map(|r| r.introduced.as_str())
        .min_by(|a, b| facts::version_cmp(a, b))
    {
        affected.push(format!("Versions before {v} are not affected."));
    }

    let mut conditions = Vec::new();
    if let Some(area) = issue
        .cvss
        .as_ref()
        .and_then(|c| super::advisory::area(&c.vector))
    {
        conditions.push(format!("Attack: {area} (from the CVSS vector)."));
    }
    if let Some(s) = issue.severity {
        conditions.push(format!("Severity: {s}."));
    }
    conditions.push(if issue.mitigation.trim().is_empty() {
        "Mitigation: none known; upgrade.".to_owned()
    } else {
        hide(format!("Mitigation: {}", issue.mitigation.trim()))
    });

    let mut fix = Vec::new();
    match (release, published) {
        (Some(r), Some(at)) => {
            fix.push(format!(
                "Fixed in {product} {}, released {}.",
                r.version,
                utc(at)
            ));
            for c in &issue.fix_commits {
                let place = facts::fill(&project.publication.commit_url, "commit", &c.id)
                    .unwrap_or_else(|| format!("commit {}", c.id));
                fix.push(hide(format!("{}: {place}", c.summary.trim())));
            }
            for a in &r.artifacts {
                let file = a.path.rsplit(['/', '\\']).next().unwrap_or(&a.path);
                let at = facts::fill(&project.publication.download_url, "file", file)
                    .unwrap_or_else(|| file.to_owned());
                fix.push(format!("Download: {at} (SHA-256 {})", a.sha256));
            }
        }
        (Some(r), None) => fix.push(format!(
            "To be fixed in {product} {}; not released yet.",
            r.version
        )),
        (None, _) => fix.push("No release is planned yet.".to_owned()),
    }

    let credits = facts::people(issue)
        .into_iter()
        .map(|p| {
            let roles: Vec<String> = p.roles.iter().map(|r| r.cve_type().to_owned()).collect();
            hide(format!("{}: {}", p.name, facts::and_list(&roles)))
        })
        .collect();

    let mut timeline: Vec<(DateTime<Utc>, String)> =
        vec![(issue.intake.received, "Report received.".to_owned())];
    for e in &issue.journal {
        match &e.event {
            Event::FieldChanged { field, value } if field == "CVE" => {
                timeline.push((e.at, format!("{value} assigned.")));
            }
            Event::MailSent { to, .. } => {
                timeline.push((e.at, hide(format!("Notice sent to {to}."))));
            }
            _ => {}
        }
    }
    if let (Some(r), Some(at)) = (release, published) {
        timeline.push((at, format!("{product} {} released.", r.version)));
    }
    timeline.sort_by_key(|(at, _)| *at);

    let figures = crate::core::figures::of_issue(project, playbook, issue)
        .lines()
        .into_iter()
        .map(|(label, value)| Figure {
            label: hide(label),
            value: hide(value),
        })
        .collect();

    PublicPart {
        figures,
        summary,
        affected,
        conditions,
        fix,
        credits,
        timeline: timeline
            .into_iter()
            .map(|(at, what)| Dated { at: utc(at), what })
            .collect(),
    }
}
