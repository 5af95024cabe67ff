//! `embargo plan FILE --issue ID --release VERSION --at INSTANT`: the
//! wizard's release-time picker from a script. The instant is checked
//! against the release-time rules as `embargo when --project` checks it, on
//! the project as it will be once planned; a rule that gives an error
//! refuses the plan unless the coordinator acknowledges it with
//! `--accept RULE`. Each acknowledged rule (warning or error) is journaled
//! as the wizard's Acknowledge button journals it ([`ops::acknowledge_check`]
//! under the step that reports it), after the plan itself
//! ([`ops::plan_release`]).

use std::fmt::Display;
use std::path::PathBuf;

use anyhow::{Result, bail};
use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::Outcome;
use super::edit;
use crate::core::model::Project;
use crate::core::ops;
use crate::core::playbook::{Playbook, StepKind, step_states};
use crate::core::schedule::{self, Level, Verdict};

/// `embargo plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue's ID.
    #[arg(long)]
    pub issue: String,
    /// The release's version, e.g. 4.99.3; the release is made if the
    /// project has none of that version, and the issue leaves any other.
    #[arg(long, value_name = "VERSION")]
    pub release: String,
    /// The release instant, RFC 3339, e.g. 2026-12-08T14:00:00Z.
    #[arg(long, value_name = "INSTANT", value_parser = super::parse_instant)]
    pub at: DateTime<Utc>,
    /// Acknowledge this failing rule (repeatable): an error no longer
    /// refuses the plan, and the acknowledgement is journaled.
    #[arg(long = "accept", value_name = "RULE", value_parser = parse_rule)]
    pub accept: Vec<RuleId>,
    /// A note journaled with each acknowledgement.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Print JSON: `{issue, release, planned, verdicts: [{rule, level,
    /// reason, source}], accepted: [{rule, step}]}`.
    #[arg(long)]
    pub json: bool,
}

/// A release-time rule as the command line names it: the typed rule.
pub type RuleId = schedule::Rule;

/// The one place `--accept` reads a rule: its ID, or a message listing the
/// rules (with the nearest one).
pub fn parse_rule(s: &str) -> Result<RuleId, String> {
    s.trim().parse::<RuleId>().map_err(|_| {
        let ids = schedule::Rule::ALL.map(schedule::Rule::id);
        edit::unknown(s, &ids, "a release-time rule")
    })
}

/// The ID a rule is journaled by, as its acknowledgement in the wizard.
fn id_of(rule: &RuleId) -> String {
    rule.to_string()
}

/// Whether a rule and an ID as a check or verdict carries it are the same.
fn is(rule: impl Display, id: impl Display) -> bool {
    rule.to_string() == id.to_string()
}

#[derive(Serialize)]
struct Accepted {
    rule: String,
    step: String,
}

#[derive(Serialize)]
struct PlanJson<'a> {
    issue: &'a str,
    release: &'a str,
    planned: String,
    verdicts: &'a [Verdict],
    accepted: &'a [Accepted],
}

/// The step that reports `rule` as a finding for the issue, else the
/// playbook's release-plan step (a rule no step reports yet).
fn reporting_step(
    project: &Project,
    playbook: &Playbook,
    issue: &str,
    rule: &RuleId,
    now: DateTime<Utc>,
) -> String {
    let Some(i) = project.issue(issue) else {
        return StepKind::ReleasePlan.id().to_owned();
    };
    let states = step_states(project, i, playbook, now);
    states
        .iter()
        .find(|s| s.findings.iter().any(|f| is(rule, f.check)))
        .or_else(|| states.iter().find(|s| s.step.kind == StepKind::ReleasePlan))
        .map_or_else(
            || StepKind::ReleasePlan.id().to_owned(),
            |s| s.step.key().to_owned(),
        )
}

/// Run `embargo plan`.
pub fn plan(args: PlanArgs) -> Result<Outcome> {
    let at = args.at;
    let text = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let (verdicts, accepted) = edit::change(
        &args.file,
        "embargo plan",
        |project, playbook, now| {
            let mut planned = project.clone();
            ops::plan_release(&mut planned, &args.issue, &args.release, Some(at), now)?;
            let issue = planned.issue(&args.issue).expect("planned it");
            let plan = crate::core::playbook::issue_plan(&planned, playbook, issue);
            let verdicts = schedule::judge(now, at, &plan);
            let failing: Vec<&Verdict> = verdicts.iter().filter(|v| v.level != Level::Ok).collect();
            for rule in &args.accept {
                if !failing.iter().any(|v| is(rule, v.rule)) {
                    bail!(
                        "--accept {rule}: that rule passes at {text}, so there is nothing to acknowledge; leave it out"
                    );
                }
            }
            let refused: Vec<String> = failing
                .iter()
                .filter(|v| v.level == Level::Error && !args.accept.iter().any(|r| is(r, v.rule)))
                .map(|v| format!("{}: {}", v.rule, v.reason))
                .collect();
            if !refused.is_empty() {
                bail!(
                    "not planned: {text} breaks {} rule(s) — {}; choose another instant (`embargo suggest`), or give --accept RULE for each rule you knowingly accept",
                    refused.len(),
                    refused.join("; ")
                );
            }
            let mut accepted = Vec::new();
            for rule in &args.accept {
                let step = reporting_step(&planned, playbook, &args.issue, rule, now);
                ops::acknowledge_check(
                    &mut planned,
                    &args.issue,
                    &step,
                    &id_of(rule),
                    &args.note,
                    now,
                )?;
                accepted.push(Accepted {
                    rule: rule.to_string(),
                    step,
                });
            }
            *project = planned;
            Ok((verdicts, accepted))
        },
    )?;
    if args.json {
        edit::print_json(&PlanJson {
            issue: &args.issue,
            release: args.release.trim(),
            planned: text,
            verdicts: &verdicts,
            accepted: &accepted,
        })?;
    } else {
        for v in verdicts.iter().filter(|v| v.level != Level::Ok) {
            let level = if v.level == Level::Error {
                "ERROR"
            } else {
                "warning"
            };
            let acked = if accepted.iter().any(|a| is(&a.rule, v.rule)) {
                " (accepted)"
            } else {
                ""
            };
            println!("{level:<8} {:<20} {}{acked}", v.rule, v.reason);
        }
        println!(
            "planned {} into {} at {text}",
            args.issue,
            args.release.trim()
        );
    }
    Ok(Outcome::Exit(0))
}
