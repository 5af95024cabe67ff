//! `embargo issue add|list|show|set|note|delete`: the issues of a project, every
//! field the wizard's forms edit and the notes of each step, from a script. `set` names the field and
//! takes its value (list-valued fields take `--add` and `--remove`); the
//! edit is committed as the wizard commits a form — through
//! [`ops::commit_issue`] on an edited copy, one journal entry per changed
//! field, under the step of the playbook whose form edits that field.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde::Serialize;

use super::Outcome;
use super::edit::{self, Usage};
use crate::core::model::{
    AffectedRange, Credit, CveState, FixCommit, GCVE_MAX_LEN, Identifier, ImpactKind,
    IntakeChannel, Issue, ReleaseStrategy, Severity, Verdict, gcve_to_cve, is_valid_cve_id,
    is_valid_gcve_id,
};
use crate::core::ops;
use crate::core::playbook::{Field, Playbook, issue_progress, kind_def, step_states};

/// `embargo issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: IssueCommand,
}

/// The subcommands of `embargo issue`.
#[derive(Debug, Subcommand)]
pub enum IssueCommand {
    /// Add an issue; its ID (the project's prefix and the next number) is printed.
    Add {
        /// The project file.
        file: PathBuf,
        /// The issue's title, e.g. "Heap overflow in the SMTP DATA parser".
        #[arg(long)]
        title: String,
        /// Print JSON: `{id, title}`.
        #[arg(long)]
        json: bool,
    },
    /// List the issues: ID, title, CVE, severity, release, steps settled.
    List {
        /// The project file.
        file: PathBuf,
        /// Print JSON: an array of `{id, title, cve, severity, release, planned, settled, total}`.
        #[arg(long)]
        json: bool,
    },
    /// Show every field of an issue and its notice state.
    Show {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// Print JSON: the issue as the project file holds it, journal included.
        #[arg(long)]
        json: bool,
    },
    /// Delete an issue and take it out of its release (journaled in the project).
    Delete {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// Print JSON: `{deleted}`.
        #[arg(long)]
        json: bool,
    },
    /// Set the notes of one step of an issue (the wizard's "Notes on this
    /// step"); an empty text removes them.
    Note {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// The step's key, as `embargo check` lists them.
        #[arg(long)]
        step: String,
        /// The notes.
        #[arg(allow_hyphen_values = true, required_unless_present = "from_file")]
        text: Option<String>,
        /// Read the notes from this file.
        #[arg(long, value_name = "FILE", conflicts_with = "text")]
        from_file: Option<PathBuf>,
        /// Print JSON: `{issue, step, notes}`.
        #[arg(long)]
        json: bool,
    },
    /// Set a field of an issue, or add to and remove from a list-valued one.
    ///
    /// Fields and their values: title TEXT; intake-from, intake-subject,
    /// intake-date, intake-message-id HEADER (the report came by mail);
    /// intake-url URL (the report is a public issue); received INSTANT;
    /// reporter-name, reporter-contact TEXT; credit not-asked|anonymous|NAME;
    /// reporter-deadline INSTANT|none; reporter-has-cve yes|no|not-asked;
    /// verdict pending|security|not-security;
    /// severity low|moderate|high|critical|none; severity-confirmed-by
    /// NAME (who agreed with the severity; "" clears); cvss VECTOR ("" clears;
    /// refused unless it scores);
    /// impact-kind rce|privilege-escalation|information-disclosure|
    /// denial-of-service|other|none; description, impact, mitigation,
    /// early-advisory TEXT; cwe CWE-NNN ("" clears); exploited yes|no;
    /// exploited-since INSTANT|none (when you became aware it is exploited:
    /// the Cyber Resilience Act's clocks count from it); cra-early-warning,
    /// cra-notification, cra-final-report INSTANT|none (when that report
    /// was submitted); poc-shared yes|no (a proof of concept or exploit
    /// was shared with the distros list); poc-posted INSTANT|none (when it
    /// was posted publicly);
    /// cve not-needed|to-request|requested|CVE-YYYY-NNNN (GCVE-0-YYYY-NNNN is
    /// kept as its CVE); gcve not-needed|to-request|requested|GCVE-GNA-YYYY-NNNN;
    /// strategy patch-level|next-release|none; introduced-commit HASH (the
    /// full hash of the commit that introduced the flaw; "" clears). Lists, with --add/--remove:
    /// affected INTRODUCED or INTRODUCED..FIXED; other-ids SCHEME:ID;
    /// fix-commits COMMIT@BRANCH or "COMMIT@BRANCH: SUMMARY" (removed by COMMIT).
    /// INSTANT is RFC 3339, e.g. 2026-12-08T14:00:00Z.
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true)
        .args(["value", "from_file", "add", "remove"])))]
    Set {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// The field (see above).
        #[arg(value_parser = parse_field)]
        field: IssueField,
        /// The new value of a field that holds one value.
        #[arg(allow_hyphen_values = true, conflicts_with_all = ["from_file", "add", "remove"])]
        value: Option<String>,
        /// Read the new value from this file (for the long texts).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["add", "remove"])]
        from_file: Option<PathBuf>,
        /// Add this item to a list-valued field (repeatable).
        #[arg(long, value_name = "ITEM", allow_hyphen_values = true)]
        add: Vec<String>,
        /// Remove this item from a list-valued field (repeatable).
        #[arg(long, value_name = "ITEM", allow_hyphen_values = true)]
        remove: Vec<String>,
        /// Print JSON: `{issue, field, value, changed, journaled, step}`.
        #[arg(long)]
        json: bool,
    },
}

/// A field of an issue that `embargo issue set` edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // each is described in FIELDS
pub enum IssueField {
    Title,
    IntakeFrom,
    IntakeSubject,
    IntakeDate,
    IntakeMessageId,
    IntakeUrl,
    Received,
    ReporterName,
    ReporterContact,
    Credit,
    ReporterDeadline,
    ReporterHasCve,
    Verdict,
    Severity,
    Cvss,
    ImpactKind,
    SeverityConfirmedBy,
    Affected,
    Description,
    Impact,
    Mitigation,
    Cwe,
    Exploited,
    ExploitedSince,
    CraEarlyWarning,
    CraNotification,
    CraFinalReport,
    PocShared,
    PocPosted,
    Cve,
    Gcve,
    OtherIds,
    Strategy,
    FixCommits,
    IntroducedCommit,
    EarlyAdvisory,
}

/// One field: its name on the command line, whether it is a list, the
/// wizard's form field that edits it (whose step the edit is journaled
/// under), and its name in the journal ([`ops::issue_fields`]).
struct FieldDef {
    field: IssueField,
    name: &'static str,
    list: bool,
    form: Field,
    journal: &'static str,
}

const fn def(
    field: IssueField,
    name: &'static str,
    list: bool,
    form: Field,
    journal: &'static str,
) -> FieldDef {
    FieldDef {
        field,
        name,
        list,
        form,
        journal,
    }
}

/// The table of fields.
const FIELDS: &[FieldDef] = &[
    def(
        IssueField::Title,
        "title",
        false,
        Field::IntakeChannel,
        "title",
    ),
    def(
        IssueField::IntakeFrom,
        "intake-from",
        false,
        Field::IntakeChannel,
        "intake",
    ),
    def(
        IssueField::IntakeSubject,
        "intake-subject",
        false,
        Field::IntakeChannel,
        "intake",
    ),
    def(
        IssueField::IntakeDate,
        "intake-date",
        false,
        Field::IntakeChannel,
        "intake",
    ),
    def(
        IssueField::IntakeMessageId,
        "intake-message-id",
        false,
        Field::IntakeChannel,
        "intake",
    ),
    def(
        IssueField::IntakeUrl,
        "intake-url",
        false,
        Field::IntakeChannel,
        "intake",
    ),
    def(
        IssueField::Received,
        "received",
        false,
        Field::Received,
        "received",
    ),
    def(
        IssueField::ReporterName,
        "reporter-name",
        false,
        Field::Reporter,
        "reporter name",
    ),
    def(
        IssueField::ReporterContact,
        "reporter-contact",
        false,
        Field::Reporter,
        "reporter contact",
    ),
    def(IssueField::Credit, "credit", false, Field::Credit, "credit"),
    def(
        IssueField::ReporterDeadline,
        "reporter-deadline",
        false,
        Field::ReporterDeadline,
        "reporter deadline",
    ),
    def(
        IssueField::ReporterHasCve,
        "reporter-has-cve",
        false,
        Field::ReporterHasCve,
        "reporter has CVE",
    ),
    def(
        IssueField::Verdict,
        "verdict",
        false,
        Field::Verdict,
        "verdict",
    ),
    def(
        IssueField::Severity,
        "severity",
        false,
        Field::Severity,
        "severity",
    ),
    def(IssueField::Cvss, "cvss", false, Field::Cvss, "CVSS"),
    def(
        IssueField::SeverityConfirmedBy,
        "severity-confirmed-by",
        false,
        Field::Severity,
        "severity confirmed by",
    ),
    def(
        IssueField::ImpactKind,
        "impact-kind",
        false,
        Field::ImpactKind,
        "impact kind",
    ),
    def(
        IssueField::Affected,
        "affected",
        true,
        Field::Affected,
        "affected versions",
    ),
    def(
        IssueField::Description,
        "description",
        false,
        Field::Description,
        "description",
    ),
    def(IssueField::Impact, "impact", false, Field::Impact, "impact"),
    def(
        IssueField::Mitigation,
        "mitigation",
        false,
        Field::Mitigation,
        "mitigation",
    ),
    def(IssueField::Cwe, "cwe", false, Field::Cwe, "CWE"),
    def(
        IssueField::Exploited,
        "exploited",
        false,
        Field::Exploited,
        "actively exploited",
    ),
    def(
        IssueField::ExploitedSince,
        "exploited-since",
        false,
        Field::Exploited,
        "exploited since",
    ),
    def(
        IssueField::CraEarlyWarning,
        "cra-early-warning",
        false,
        Field::Exploited,
        "CRA early warning",
    ),
    def(
        IssueField::CraNotification,
        "cra-notification",
        false,
        Field::Exploited,
        "CRA notification",
    ),
    def(
        IssueField::PocShared,
        "poc-shared",
        false,
        Field::PocShared,
        "proof of concept shared with the distros list",
    ),
    def(
        IssueField::PocPosted,
        "poc-posted",
        false,
        Field::PocShared,
        "proof of concept posted",
    ),
    def(
        IssueField::CraFinalReport,
        "cra-final-report",
        false,
        Field::Exploited,
        "CRA final report",
    ),
    def(IssueField::Cve, "cve", false, Field::Cve, "CVE"),
    def(IssueField::Gcve, "gcve", false, Field::Cve, "CVE"),
    def(
        IssueField::OtherIds,
        "other-ids",
        true,
        Field::OtherIds,
        "other IDs",
    ),
    def(
        IssueField::Strategy,
        "strategy",
        false,
        Field::Strategy,
        "strategy",
    ),
    def(
        IssueField::FixCommits,
        "fix-commits",
        true,
        Field::FixCommits,
        "fix commits",
    ),
    def(
        IssueField::IntroducedCommit,
        "introduced-commit",
        false,
        Field::IntroducedCommit,
        "introducing commit",
    ),
    def(
        IssueField::EarlyAdvisory,
        "early-advisory",
        false,
        Field::EarlyAdvisory,
        "early advisory",
    ),
];

fn field_def(field: IssueField) -> &'static FieldDef {
    FIELDS
        .iter()
        .find(|d| d.field == field)
        .expect("every IssueField has an entry in FIELDS (checked by a test)")
}

fn field_names() -> Vec<&'static str> {
    FIELDS.iter().map(|d| d.name).collect()
}

/// A field's name on the command line, or a message listing the fields (and
/// the nearest one, when one is near).
fn parse_field(s: &str) -> Result<IssueField, String> {
    FIELDS
        .iter()
        .find(|d| d.name == s.trim())
        .map(|d| d.field)
        .ok_or_else(|| edit::unknown(s, &field_names(), "a field of an issue"))
}

/// The key of the first step of the playbook whose form edits `form`: the
/// step a wizard edit of that field is journaled under.
fn step_of(playbook: &Playbook, form: Field) -> Option<&str> {
    playbook
        .steps
        .iter()
        .find(|s| kind_def(s.kind).fields.contains(&form))
        .map(|s| s.key())
}

/// Run `embargo issue`.
pub fn issue(args: IssueArgs) -> Result<Outcome> {
    match args.command {
        IssueCommand::Add { file, title, json } => edit::exit_code(add(&file, &title, json)),
        IssueCommand::List { file, json } => edit::exit_code(list(&file, json)),
        IssueCommand::Show { file, issue, json } => edit::exit_code(show(&file, &issue, json)),
        IssueCommand::Delete { file, issue, json } => edit::exit_code(delete(&file, &issue, json)),
        IssueCommand::Note {
            file,
            issue,
            step,
            text,
            from_file,
            json,
        } => {
            let text = match from_file {
                Some(path) => std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                None => text.unwrap_or_default(),
            };
            edit::exit_code(note(&file, &issue, &step, &text, json))
        }
        IssueCommand::Set {
            file,
            issue,
            field,
            value,
            from_file,
            add,
            remove,
            json,
        } => {
            let value = match from_file {
                Some(path) => Some(
                    std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?,
                ),
                None => value,
            };
            edit::exit_code(set(
                &file,
                &issue,
                field,
                Change { value, add, remove },
                json,
            ))
        }
    }
}

#[derive(Serialize)]
struct AddedJson<'a> {
    id: &'a str,
    title: &'a str,
}

fn add(file: &Path, title: &str, json: bool) -> Result<()> {
    let (id, title) = edit::change(file, "embargo issue add", |p, _, now| {
        let id = ops::add_issue(p, title, now)?;
        let title = p.issue(&id).map(|i| i.title.clone()).unwrap_or_default();
        Ok((id, title))
    })?;
    if json {
        edit::print_json(&AddedJson {
            id: &id,
            title: &title,
        })
    } else {
        println!("{id}");
        Ok(())
    }
}

#[derive(Serialize)]
struct ListJson<'a> {
    id: &'a str,
    title: &'a str,
    cve: String,
    severity: Option<String>,
    release: Option<&'a str>,
    planned: Option<String>,
    settled: usize,
    total: usize,
}

fn list(file: &Path, json: bool) -> Result<()> {
    let (project, playbook) = super::load_project(file)?;
    let now = super::now()?;
    let rows: Vec<ListJson<'_>> = project
        .issues
        .iter()
        .map(|i| {
            let (settled, total) = issue_progress(&step_states(&project, i, &playbook, now));
            let release = project.release_of(&i.id);
            ListJson {
                id: &i.id,
                title: &i.title,
                cve: field_text(i, "CVE"),
                severity: i.severity.map(|s| s.to_string()),
                release: release.map(|r| r.version.as_str()),
                planned: release
                    .and_then(|r| r.planned)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                settled,
                total,
            }
        })
        .collect();
    if json {
        return edit::print_json(&rows);
    }
    for r in &rows {
        println!(
            "{:<16} {:<12} {:<20} {:<10} {:>2}/{:<2} {}",
            r.id,
            r.release.unwrap_or("-"),
            r.cve,
            r.severity.as_deref().unwrap_or("-"),
            r.settled,
            r.total,
            r.title
        );
    }
    Ok(())
}

/// The journal's rendering of one field of an issue.
fn field_text(issue: &Issue, journal_name: &str) -> String {
    ops::issue_fields(issue)
        .into_iter()
        .find(|(name, _)| *name == journal_name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

fn show(file: &Path, id: &str, json: bool) -> Result<()> {
    let (project, _) = super::load_project(file)?;
    let issue = project
        .issue(id)
        .ok_or_else(|| ops::OpError::NoIssue(id.to_owned()))?;
    if json {
        return edit::print_json(issue);
    }
    println!("{}  {}", issue.id, issue.title);
    for (name, value) in ops::issue_fields(issue) {
        if name != "title" {
            println!("  {name:<20} {value}");
        }
    }
    if let Some(r) = project.release_of(id) {
        let planned = r
            .planned
            .map(|t| format!(" at {}", t.format("%Y-%m-%d %H:%M UTC")))
            .unwrap_or_default();
        println!("  {:<20} {}{planned}", "release", r.version);
    }
    for n in &issue.notices {
        let accepted = match n.accepted {
            None => "not answered",
            Some(true) => "accepted",
            Some(false) => "declined",
        };
        let notified = n
            .notified_at
            .map(|t| {
                format!(
                    "notified {} ({})",
                    t.format("%Y-%m-%d %H:%M UTC"),
                    n.message_id
                )
            })
            .unwrap_or_else(|| "not notified".to_owned());
        let patch = if n.wants_patch {
            ", wants the patch"
        } else {
            ""
        };
        println!("  notice {:<13} {notified}, {accepted}{patch}", n.recipient);
    }
    println!("  {:<20} {} entries", "journal", issue.journal.len());
    Ok(())
}

#[derive(Serialize)]
struct DeletedJson<'a> {
    deleted: &'a str,
}

fn delete(file: &Path, id: &str, json: bool) -> Result<()> {
    edit::change(file, "embargo issue delete", |p, _, now| {
        ops::delete_issue(p, id, now)?;
        Ok(())
    })?;
    if json {
        edit::print_json(&DeletedJson { deleted: id })
    } else {
        println!("deleted {id}");
        Ok(())
    }
}

#[derive(Serialize)]
struct NoteJson<'a> {
    issue: &'a str,
    step: &'a str,
    notes: String,
}

/// Set the notes of a step as the wizard's notes field does: on an edited
/// copy committed under that step (notes are kept, not journaled).
fn note(file: &Path, id: &str, step: &str, text: &str, json: bool) -> Result<()> {
    let notes = edit::change(file, "embargo issue note", |p, playbook, now| {
        if playbook.step(step).is_none() {
            let known: Vec<&str> = playbook.steps.iter().map(|s| s.key()).collect();
            return Err(ops::OpError::NoStep {
                step: step.to_owned(),
                known: known.join(", "),
            }
            .into());
        }
        let mut edited = p
            .issue(id)
            .ok_or_else(|| ops::OpError::NoIssue(id.to_owned()))?
            .clone();
        let text = text.trim_end();
        if text.trim().is_empty() {
            edited.step_notes.remove(step);
        } else {
            edited.step_notes.insert(step.to_owned(), text.to_owned());
        }
        ops::commit_issue(p, &edited, Some(step), now)?;
        Ok(edited.step_notes.get(step).cloned().unwrap_or_default())
    })?;
    if json {
        edit::print_json(&NoteJson {
            issue: id,
            step,
            notes,
        })
    } else {
        println!("{id} {step}: {} note line(s)", notes.lines().count());
        Ok(())
    }
}

/// What `issue set` was asked to do with a field.
struct Change {
    value: Option<String>,
    add: Vec<String>,
    remove: Vec<String>,
}

#[derive(Serialize)]
struct SetJson<'a> {
    issue: &'a str,
    field: &'static str,
    value: String,
    changed: bool,
    journaled: usize,
    step: Option<String>,
}

fn set(file: &Path, id: &str, field: IssueField, change: Change, json: bool) -> Result<()> {
    let d = field_def(field);
    let (changed, journaled, step, value) =
        edit::change(file, "embargo issue set", |p, playbook, now| {
            let current = p
                .issue(id)
                .ok_or_else(|| ops::OpError::NoIssue(id.to_owned()))?;
            if field == IssueField::Title {
                let Some(title) = change.value.as_deref() else {
                    return Err(Usage("give the new title".into()).into());
                };
                let before = current.journal.len();
                ops::rename_issue(p, id, title, now)?;
                let issue = p.issue(id).expect("renamed");
                let journaled = issue.journal.len() - before;
                return Ok((journaled > 0, journaled, None, issue.title.clone()));
            }
            let mut edited = current.clone();
            apply(&mut edited, d, change)?;
            let differs = edited != *current;
            let step = step_of(playbook, d.form).map(str::to_owned);
            // A change the journal's rendering does not show (a mail header
            // beside From and Subject) is kept unjournaled, as in the wizard.
            let journaled = ops::commit_issue(p, &edited, step.as_deref(), now)?;
            let issue = p.issue(id).expect("committed");
            Ok((differs, journaled, step, field_text(issue, d.journal)))
        })?;
    if json {
        return edit::print_json(&SetJson {
            issue: id,
            field: d.name,
            value,
            changed,
            journaled,
            step,
        });
    }
    if !changed {
        println!("{id} {}: unchanged", d.name);
    } else {
        println!("{id} {}: {value}", d.name);
    }
    Ok(())
}

/// Change `field` of `issue` as asked, or say why the value cannot be used.
fn apply(issue: &mut Issue, d: &FieldDef, change: Change) -> Result<(), Usage> {
    if d.list {
        if change.value.is_some() {
            return Err(Usage(format!(
                "{} holds a list: give --add ITEM or --remove ITEM",
                d.name
            )));
        }
        for item in &change.remove {
            remove_item(issue, d, item)?;
        }
        for item in &change.add {
            add_item(issue, d, item)?;
        }
        return Ok(());
    }
    if !change.add.is_empty() || !change.remove.is_empty() {
        return Err(Usage(format!(
            "{} holds one value, not a list: give the value itself, without --add or --remove",
            d.name
        )));
    }
    let Some(raw) = change.value else {
        return Err(Usage(format!("give the new value of {}", d.name)));
    };
    let value = raw.trim();
    let text = || value.to_owned();
    let opt_text = || Some(value.to_owned()).filter(|v| !v.is_empty());
    let i = issue;
    match d.field {
        IssueField::Title => unreachable!("renamed through ops::rename_issue"),
        IssueField::IntakeFrom
        | IssueField::IntakeSubject
        | IssueField::IntakeDate
        | IssueField::IntakeMessageId => {
            if !matches!(i.intake.channel, IntakeChannel::Mail { .. }) {
                i.intake.channel = IntakeChannel::Mail {
                    from: String::new(),
                    subject: String::new(),
                    date: String::new(),
                    message_id: String::new(),
                };
            }
            let IntakeChannel::Mail {
                from,
                subject,
                date,
                message_id,
            } = &mut i.intake.channel
            else {
                unreachable!("made a mail channel above")
            };
            let header = match d.field {
                IssueField::IntakeFrom => from,
                IssueField::IntakeSubject => subject,
                IssueField::IntakeDate => date,
                _ => message_id,
            };
            *header = text();
        }
        IssueField::IntakeUrl => i.intake.channel = IntakeChannel::PublicIssue { url: text() },
        IssueField::Received => i.intake.received = edit::parse_instant(value, d.name)?,
        IssueField::ReporterName => i.reporter.name = text(),
        IssueField::ReporterContact => i.reporter.contact = text(),
        IssueField::Credit => {
            i.reporter.credit = match value.to_ascii_lowercase().as_str() {
                "not-asked" | "" => None,
                "anonymous" => Some(Credit::Anonymous),
                _ => Some(Credit::Named(text())),
            }
        }
        IssueField::ReporterDeadline => {
            i.reporter.deadline = match value {
                "none" | "" => None,
                v => Some(edit::parse_instant(v, d.name)?),
            }
        }
        IssueField::ReporterHasCve => i.reporter.has_cve = edit::parse_answer(value, d.name)?,
        IssueField::Verdict => {
            i.verdict =
                match edit::one_of(value, &["pending", "security", "not-security"], "a verdict")? {
                    "pending" => Verdict::Pending,
                    "security" => Verdict::Security,
                    _ => Verdict::NotSecurity,
                }
        }
        IssueField::Severity => {
            let names = ["low", "moderate", "high", "critical", "none"];
            let n = edit::one_of(value, &names, "a severity")?;
            i.severity = Severity::ALL
                .into_iter()
                .find(|s| s.to_string().eq_ignore_ascii_case(n));
        }
        IssueField::Cvss => {
            i.cvss = ops::check_cvss(value)
                .map_err(|e| Usage(format!("cvss: {e}")))?
                .map(|c| c.cvss);
        }
        IssueField::SeverityConfirmedBy => value.trim().clone_into(&mut i.severity_confirmed_by),
        IssueField::ImpactKind => {
            let names = [
                "rce",
                "privilege-escalation",
                "information-disclosure",
                "denial-of-service",
                "other",
                "none",
            ];
            let n = edit::one_of(value, &names, "a kind of impact")?;
            i.impact_kind = names
                .iter()
                .position(|k| *k == n)
                .and_then(|p| ImpactKind::ALL.get(p).copied());
        }
        IssueField::Description => i.description = raw.trim_end().to_owned(),
        IssueField::Impact => i.impact = raw.trim_end().to_owned(),
        IssueField::Mitigation => i.mitigation = raw.trim_end().to_owned(),
        IssueField::EarlyAdvisory => i.early_advisory = raw.trim_end().to_owned(),
        IssueField::Cwe => i.cwe = opt_text(),
        IssueField::IntroducedCommit => i.introduced_commit = opt_text(),
        IssueField::Exploited => {
            i.actively_exploited = edit::parse_answer(value, d.name)?
                .ok_or_else(|| Usage("exploited: give yes or no".into()))?;
        }
        IssueField::PocShared => {
            i.poc_shared_with_distros = edit::parse_answer(value, d.name)?
                .ok_or_else(|| Usage("poc-shared: give yes or no".into()))?;
        }
        IssueField::PocPosted => {
            i.poc_posted = match value {
                "none" | "" => None,
                v => Some(edit::parse_instant(v, d.name)?),
            };
        }
        IssueField::ExploitedSince
        | IssueField::CraEarlyWarning
        | IssueField::CraNotification
        | IssueField::CraFinalReport => {
            let at = match value {
                "none" | "" => None,
                v => Some(edit::parse_instant(v, d.name)?),
            };
            match d.field {
                IssueField::ExploitedSince => i.exploited_aware = at,
                IssueField::CraEarlyWarning => i.cra.early_warning = at,
                IssueField::CraNotification => i.cra.notification = at,
                _ => i.cra.final_report = at,
            }
        }
        IssueField::Cve | IssueField::Gcve => {
            let v = value.trim();
            i.cve = match v.to_ascii_lowercase().as_str() {
                "not-needed" => CveState::NotNeeded,
                "to-request" => CveState::ToRequest,
                "requested" => CveState::Requested,
                _ if is_valid_cve_id(v) => CveState::Assigned { id: v.to_owned() },
                // GCVE-0-YYYY-NNNN is CVE-YYYY-NNNN: kept as the CVE.
                _ if gcve_to_cve(v).is_some() => CveState::Assigned {
                    id: gcve_to_cve(v).unwrap_or_default(),
                },
                _ if d.field == IssueField::Gcve && is_valid_gcve_id(v) => {
                    CveState::Assigned { id: v.to_owned() }
                }
                _ if is_valid_gcve_id(v) => {
                    return Err(Usage(format!(
                        "cve: `{v}` is a GCVE ID of another numbering authority than the CVE Program; set it with `gcve {v}`"
                    )));
                }
                _ if d.field == IssueField::Gcve => {
                    return Err(Usage(format!(
                        "gcve: `{}` is neither a GCVE ID (GCVE-GNA-YYYY-NNNN: GCVE-, the numbering authority's number, a dash, then printable characters without spaces, at most {GCVE_MAX_LEN} bytes, as GCVE-BCP-04 says) nor a CVE ID nor one of not-needed, to-request, requested",
                        v.escape_debug()
                    )));
                }
                _ => {
                    return Err(Usage(format!(
                        "cve: `{value}` is neither a CVE ID (CVE-YYYY-NNNN) nor one of not-needed, to-request, requested"
                    )));
                }
            }
        }
        IssueField::Strategy => {
            let n = edit::one_of(
                value,
                &["patch-level", "next-release", "none"],
                "a release strategy",
            )?;
            i.strategy = match n {
                "patch-level" => Some(ReleaseStrategy::PatchLevel),
                "next-release" => Some(ReleaseStrategy::NextRelease),
                _ => None,
            };
        }
        IssueField::Affected | IssueField::OtherIds | IssueField::FixCommits => {
            unreachable!("list fields are handled above")
        }
    }
    Ok(())
}

fn affected_of(item: &str) -> Result<AffectedRange, Usage> {
    let (introduced, fixed) = match item.split_once("..") {
        Some((a, b)) => (a.trim(), Some(b.trim()).filter(|b| !b.is_empty())),
        None => (item.trim(), None),
    };
    if introduced.is_empty() {
        return Err(Usage(format!(
            "affected: `{item}` names no first affected version; give INTRODUCED or INTRODUCED..FIXED, e.g. 4.90..4.99.3"
        )));
    }
    Ok(AffectedRange {
        introduced: introduced.to_owned(),
        fixed: fixed.map(str::to_owned),
    })
}

fn identifier_of(item: &str) -> Result<Identifier, Usage> {
    match item.split_once(':') {
        Some((scheme, id)) if !scheme.trim().is_empty() && !id.trim().is_empty() => {
            Ok(Identifier {
                scheme: scheme.trim().to_owned(),
                id: id.trim().to_owned(),
            })
        }
        _ => Err(Usage(format!(
            "other-ids: `{item}` is not SCHEME:ID, e.g. GHSA:GHSA-xxxx-xxxx-xxxx"
        ))),
    }
}

fn commit_of(item: &str) -> Result<FixCommit, Usage> {
    let bad = || {
        Usage(format!(
            "fix-commits: `{item}` is not COMMIT@BRANCH or \"COMMIT@BRANCH: SUMMARY\", e.g. \"1a2b3c4@exim-4.99+fixes: Fix the DATA parser\""
        ))
    };
    let (id, rest) = item.split_once('@').ok_or_else(bad)?;
    // A branch name never holds a colon (git refuses it in a ref).
    let (branch, summary) = rest.split_once(':').unwrap_or((rest, ""));
    let (id, branch) = (id.trim(), branch.trim());
    if id.is_empty() || branch.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(bad());
    }
    Ok(FixCommit {
        id: id.to_owned(),
        branch: branch.to_owned(),
        summary: summary.trim().to_owned(),
    })
}

fn add_item(i: &mut Issue, d: &FieldDef, item: &str) -> Result<(), Usage> {
    match d.field {
        IssueField::Affected => {
            let range = affected_of(item)?;
            if !i.affected.contains(&range) {
                i.affected.push(range);
            }
        }
        IssueField::OtherIds => {
            let ident = identifier_of(item)?;
            if !i.other_ids.contains(&ident) {
                i.other_ids.push(ident);
            }
        }
        IssueField::FixCommits => {
            let commit = commit_of(item)?;
            match i
                .fix_commits
                .iter_mut()
                .find(|c| c.id == commit.id && c.branch == commit.branch)
            {
                Some(c) => *c = commit,
                None => i.fix_commits.push(commit),
            }
        }
        _ => unreachable!("only list fields take items"),
    }
    Ok(())
}

fn remove_item(i: &mut Issue, d: &FieldDef, item: &str) -> Result<(), Usage> {
    let item = item.trim();
    let before = match d.field {
        IssueField::Affected => {
            let n = i.affected.len();
            let range = affected_of(item)?;
            // A bare INTRODUCED removes its range whatever it is fixed in.
            i.affected.retain(|r| {
                if item.contains("..") {
                    *r != range
                } else {
                    r.introduced != range.introduced
                }
            });
            n - i.affected.len()
        }
        IssueField::OtherIds => {
            let n = i.other_ids.len();
            i.other_ids
                .retain(|x| format!("{}:{}", x.scheme, x.id) != item && x.id != item);
            n - i.other_ids.len()
        }
        IssueField::FixCommits => {
            let n = i.fix_commits.len();
            let (id, branch) = item.split_once('@').unwrap_or((item, ""));
            let branch = branch.split_once(':').map_or(branch, |(b, _)| b).trim();
            i.fix_commits
                .retain(|c| !(c.id == id.trim() && (branch.is_empty() || c.branch == branch)));
            n - i.fix_commits.len()
        }
        _ => unreachable!("only list fields take items"),
    };
    if before == 0 {
        return Err(Usage(format!(
            "{}: `{item}` is not in the list (see `embargo issue show`)",
            d.name
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_in_the_table_once_and_names_a_journaled_field() {
        let issue = Issue::new("X-1", "t", chrono::Utc::now());
        let journaled: Vec<&str> = ops::issue_fields(&issue).iter().map(|(n, _)| *n).collect();
        for d in FIELDS {
            assert_eq!(field_def(d.field).name, d.name, "{} once", d.name);
            assert!(journaled.contains(&d.journal), "{} → {}", d.name, d.journal);
            assert_eq!(parse_field(d.name), Ok(d.field));
        }
        // 30 since gcve (#24 item 5); 34 with the Cyber Resilience Act's
        // awareness and reports (#24 item 7); 36 with the proof of concept
        // shared with the distros list and posted.
        assert_eq!(FIELDS.len(), 36);
    }

    #[test]
    fn a_misspelled_field_is_named_with_the_list() {
        let e = parse_field("sevrity").expect_err("misspelled");
        assert!(e.contains("did you mean `severity`?"), "{e}");
        assert!(e.contains("fix-commits"), "lists the fields: {e}");
    }
}
