//! The draft of the reports the Cyber Resilience Act (Regulation (EU)
//! 2024/2847, Article 14) asks of a manufacturer for an actively exploited
//! vulnerability: the early warning, the vulnerability notification and the
//! final report, each with its deadline from [`crate::core::duties`] and
//! what the issue already says of it (product, versions, nature of the
//! flaw, measures taken and those users can take, the fix). What only the
//! coordinator knows (the Member States where the product is made
//! available, what is known of the attacker) is left as a marked gap to
//! fill in, never guessed. Rendered from `assets/templates/cra-report.txt.j2`.

use chrono::{DateTime, Utc};
use minijinja::context;

use super::{ExportError, FieldProblem, facts};
use crate::core::duties::{self, Duty, DutyKind};
use crate::core::model::{Issue, Project};

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// Where one report stands, in a sentence.
fn status(duty: Option<&Duty>, what_starts_it: &str, otherwise: &str) -> String {
    match duty {
        Some(d) => match d.done {
            Some(at) => format!("Submitted {}.", utc(at)),
            None => format!("Due by {} ({what_starts_it}).", utc(d.deadline)),
        },
        None => otherwise.to_owned(),
    }
}

/// What an early warning or notification that is not owed says.
const NOT_OWED: &str = "Not owed under Article 14: the coordinator became aware before 11 \
                        September 2026, when it began to apply (Article 71(2)).";

/// What is missing for the reports of `issue`: the project must say it
/// ships in the EU, the issue must be marked actively exploited.
fn problems(project: &Project, issue: &Issue) -> Vec<FieldProblem> {
    let mut out = Vec::new();
    if !project.publication.ships_in_eu {
        out.push(FieldProblem::new(
            "project/publication/ships_in_eu",
            "the project does not say it ships in the EU, so the Cyber Resilience Act's \
             reports do not apply: set it in Project › Settings › Publication or with \
             `embargo settings FILE --ships-in-eu yes`",
        ));
    }
    if !issue.actively_exploited {
        out.push(FieldProblem::new(
            "issue/actively_exploited",
            format!(
                "{} is not marked actively exploited; Article 14 reports only actively \
                 exploited vulnerabilities: `embargo issue set FILE --issue {} exploited yes`",
                issue.id, issue.id
            ),
        ));
    }
    out
}

/// The draft text of the Cyber Resilience Act reports of `issue`.
///
/// # Errors
/// [`ExportError::Incomplete`] when the project does not ship in the EU or
/// the issue is not actively exploited; a template error otherwise.
pub fn report(project: &Project, issue: &Issue) -> Result<String, ExportError> {
    let problems = problems(project, issue);
    if !problems.is_empty() {
        return Err(ExportError::Incomplete {
            what: format!("the Cyber Resilience Act report of {}", issue.id),
            problems,
        });
    }
    // Owed now (the final report once the fix is out), and as planned.
    let all: Vec<Duty> = duties::duties(project)
        .into_iter()
        .filter(|d| d.issue == issue.id)
        .collect();
    let planned_final = duties::planned(project, issue)
        .into_iter()
        .find(|d| d.kind == DutyKind::CraFinalReport);
    let of = |kind: DutyKind| all.iter().find(|d| d.kind == kind);
    let aware = duties::exploited_since(issue).expect("checked: actively exploited");
    let product = project.publication.product_or(&project.name).to_owned();
    let manufacturer = project.publication.vendor_or(&project.name).to_owned();
    let release = project.release_of(&issue.id);
    let mut ids: Vec<String> = issue.cve_id().map(str::to_owned).into_iter().collect();
    ids.extend(issue.other_ids.iter().map(|x| x.id.clone()));
    let affected: Vec<String> = issue
        .affected
        .iter()
        .map(|r| match facts::fixed_version(project, issue, r) {
            Some(f) => format!("{product} {} up to, but not including, {f}", r.introduced),
            None => format!("{product} {} and later (no fix yet)", r.introduced),
        })
        .collect();
    let fix = match release {
        Some(r) => match r.published {
            Some(at) => format!("{product} {} was released {}.", r.version, utc(at)),
            None => match r.planned {
                Some(at) => format!(
                    "A fix is prepared for {product} {}, to be released {} (under embargo \
                     until then).",
                    r.version,
                    utc(at)
                ),
                None => format!("A fix is prepared for {product} {}.", r.version),
            },
        },
        None => "No corrective release is planned yet.".to_owned(),
    };
    let advisory = release.and_then(|r| r.published).and_then(|at| {
        facts::fill(
            &project.publication.advisory_url,
            "date",
            &at.format("%Y%m%d").to_string(),
        )
    });
    let sensitivity = match release.and_then(|r| r.published) {
        Some(_) => "The vulnerability and its fix are public.".to_owned(),
        None => match release.and_then(|r| r.planned) {
            Some(at) => format!(
                "Under embargo until {}: share with the CSIRT and ENISA only.",
                utc(at)
            ),
            None => "Under embargo: no public disclosure yet.".to_owned(),
        },
    };
    let ctx = context! {
        manufacturer => manufacturer,
        contact => project.mail.from.trim().to_owned(),
        product => product,
        issue => context! {
            id => issue.id.clone(),
            title => issue.title.clone(),
            description => issue.description.trim().to_owned(),
            impact => issue.impact.trim().to_owned(),
            mitigation => issue.mitigation.trim().to_owned(),
            severity => issue.severity.map(|s| s.to_string()),
            cvss => issue.cvss.as_ref().map(|c| c.vector.clone()),
            cwe => issue.cwe.clone(),
        },
        ids => ids.join(", "),
        aware => utc(aware),
        affected => affected,
        fix => fix,
        advisory => advisory,
        sensitivity => sensitivity,
        early => status(
            of(DutyKind::CraEarlyWarning),
            "24 hours after becoming aware",
            NOT_OWED,
        ),
        notification => status(
            of(DutyKind::CraNotification),
            "72 hours after becoming aware",
            NOT_OWED,
        ),
        final_report => status(
            of(DutyKind::CraFinalReport),
            "14 days after the fix release was published",
            &if aware < duties::cra_applies_from() {
                NOT_OWED.to_owned()
            } else {
                let planned = planned_final
                    .map(|d| {
                        format!(
                            " (by {} if the fix is released as planned)",
                            utc(d.deadline)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "Falls due once a corrective or mitigating measure is available (the \
                     fix release is published): no later than 14 days after it{planned}."
                )
            },
        ),
    };
    Ok(super::render("cra-report.txt", ctx)?)
}
