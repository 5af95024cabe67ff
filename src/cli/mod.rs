//! The command line: every wizard action as a subcommand of the same binary,
//! on the same core. With no subcommand the desktop app starts.
//!
//! Exit codes: 0 success, 1 failure (invalid project, refused action, I/O
//! error) with one clear message on stderr, 2 usage error (from clap).

mod edit;
pub mod export;
mod git;
pub mod issue;
mod mail;
pub mod merge_driver;
pub mod plan;
pub mod progress;
pub mod recipients;
pub mod release;
pub mod settings;
mod share;
mod sign;
pub mod stats;
pub mod team;
mod vault;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::adapters::{playbooks, store};
use crate::core::model::{PlaybookRef, Project};
use crate::core::ops::{self, StepAction};
use crate::core::playbook::{Playbook, issue_progress, step_states};
use crate::core::render::ReportFormat;
use crate::core::schedule::{self, IssuePlan, Level, Rules, Verdict, ZoneRow};
use chrono_tz::Tz;

/// Coordinate an embargoed security release: guided wizard, release-time
/// picker, journal and write-up.
#[derive(Debug, Parser)]
#[command(name = "embargo", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand the desktop app starts on the most
    /// recent project, or on the example project.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// How a project kept encrypted at rest is opened.
    #[command(flatten)]
    pub unlock: vault::Unlock,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the example project (a fictional mail server) in the desktop app.
    Example {
        /// Show this issue first.
        #[arg(long)]
        issue: Option<String>,
        /// And this step of it (its key, as `embargo check` lists them).
        #[arg(long, requires = "issue")]
        step: Option<String>,
    },
    /// Open a project in the desktop app.
    Open {
        /// The project file (`NAME.embargo.ron`, or `.pgp` when encrypted).
        file: PathBuf,
        /// Show this issue first.
        #[arg(long)]
        issue: Option<String>,
        /// And this step of it (its key, as `embargo check` lists them).
        #[arg(long, requires = "issue")]
        step: Option<String>,
    },
    /// Create a new, empty project file.
    New {
        /// The project's name, e.g. "Exim".
        #[arg(long)]
        name: String,
        /// The playbook its issues follow: a built-in one (exim, openssl),
        /// or a playbook file of your own (RON; checked before the project
        /// is made, and named relative to the project file when beside it).
        #[arg(long, value_name = "exim|openssl|FILE", value_parser = parse_playbook, default_value = "exim")]
        playbook: PlaybookChoice,
        /// Where to write it; refused if the file exists.
        file: PathBuf,
    },
    /// Load and validate a project; list each issue's steps with their status.
    Check {
        /// The project file.
        file: PathBuf,
        /// Print JSON: an array of issues, each with `id` and
        /// `steps: [{kind, key, title, status, reason}]`.
        #[arg(long)]
        json: bool,
    },
    /// Mark a step of an issue done, or skip it with a reason.
    #[command(group(clap::ArgGroup::new("action").required(true).args(["done", "skip", "reopen"])))]
    Step {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// Mark this step done.
        #[arg(long, value_name = "STEP")]
        done: Option<String>,
        /// Skip this step (needs --reason).
        #[arg(long, value_name = "STEP", requires = "reason")]
        skip: Option<String>,
        /// Open this done or skipped step again.
        #[arg(long, value_name = "STEP")]
        reopen: Option<String>,
        /// Why the step is skipped.
        #[arg(long)]
        reason: Option<String>,
        /// A note for the journal.
        #[arg(long, default_value = "")]
        note: String,
        /// Print the step's new status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a release instant against the rules and show it across the zones.
    ///
    /// Exit 0 when no rule gives an error, 1 otherwise.
    When {
        /// The instant, RFC 3339, e.g. 2026-12-08T14:00:00Z.
        #[arg(value_parser = parse_instant)]
        instant: DateTime<Utc>,
        /// Zones to show and check (IANA names, comma separated); default: the
        /// project's, else UTC and the zones Exim names.
        #[arg(long, value_delimiter = ',', value_parser = parse_zone)]
        zones: Vec<Tz>,
        /// A project file, to apply its rules and an issue's facts.
        #[arg(long, requires = "issue")]
        project: Option<PathBuf>,
        /// The issue (with --project).
        #[arg(long, requires = "project")]
        issue: Option<String>,
        /// Print JSON: `{instant, zones: [...], verdicts: [{rule, level, reason, source}]}`.
        #[arg(long)]
        json: bool,
    },
    /// Print the next release instant that passes every rule.
    Suggest {
        /// Look from this date (YYYY-MM-DD, UTC) or instant (RFC 3339) on; default: now.
        #[arg(long, value_parser = parse_after)]
        after: Option<DateTime<Utc>>,
        /// A project file, to apply its rules, anchor and an issue's facts.
        #[arg(long, requires = "issue")]
        project: Option<PathBuf>,
        /// The issue (with --project).
        #[arg(long, requires = "project")]
        issue: Option<String>,
        /// Print JSON: `{instant, zones: [...], verdicts: [...]}`.
        #[arg(long)]
        json: bool,
    },
    /// Export an issue's disclosure timeline as an iCalendar file.
    Ics {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Sign files with detached ASCII-armored signatures (`FILE.asc`),
    /// optionally writing SHA256SUMS and SHA512SUMS in the same read; every
    /// signature is verified afterwards.
    Sign(sign::SignArgs),
    /// Verify a detached signature over a file against a certificate.
    ///
    /// Exit 0 when it verifies, 1 when it does not.
    Verify(sign::VerifyArgs),
    /// Check that no embargoed fix commit is reachable from a public remote;
    /// install or remove the pre-push hook that keeps it so.
    ///
    /// Exit 0 when the embargo holds, 1 when an embargoed commit is public.
    Guard(git::GuardArgs),
    /// Make a release's signed tag, tarballs, standalone patch, checksums and
    /// signatures; every signature is verified afterwards.
    Artifacts(git::ArtifactsArgs),
    /// Push a published release's branch and tag to the public remotes,
    /// through the guard (the Publish step's push).
    ///
    /// Exit 0 when pushed, 1 when refused (not published yet, another
    /// issue's embargoed fix on the branch) or when git push fails.
    Push(git::PushArgs),
    /// Make credentials for the embargoed download (one usercode per private
    /// list; passwords printed once) and the web server's files.
    Share(share::ShareArgs),
    /// Write the write-up of an issue: its timeline from report to publication.
    Report {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// Output format (default: html for an --out name ending in .html or
        /// .htm, else md). JSON: `{project, issue, title, cve,
        /// severity, release, published, figures}`.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Show the reporters' and recipients' mail addresses (withheld
        /// by default).
        #[arg(long)]
        include_addresses: bool,
    },
    /// Export an issue's CVE JSON 5.1 or OSV record or early advisory, or a
    /// release's security advisory, announcement or records.
    Export(export::ExportArgs),
    /// Import a CVE JSON 5 record into an issue and save the project.
    ImportCve(export::ImportArgs),
    /// Render, check and save (`.eml`) or send (SMTP) a notice of an issue.
    ///
    /// Exit 0 when saved or sent, 1 when a check or the sending fails.
    Mail(mail::MailArgs),
    /// List who was told a value of an issue (severity, disclosure instant,
    /// affected or fixed versions, identifiers) that has changed since, and
    /// what changed: they get the `correction` mail (`embargo mail
    /// --template correction`).
    ///
    /// Exit 0 whether or not corrections are due.
    Corrections(mail::CorrectionsArgs),
    /// Keep a project encrypted at rest (`NAME.embargo.ron.pgp`) to the
    /// coordinator's own certificate; the plain file and its backup are
    /// removed. Other subcommands then open it with gpg-agent or
    /// --project-key-file, and save it encrypted.
    Encrypt(vault::EncryptArgs),
    /// Keep an encrypted project as a plain file again.
    Decrypt(vault::DecryptArgs),
    /// Add, list and show issues; set any field the wizard edits, and the
    /// notes of a step.
    Issue(issue::IssueArgs),
    /// Plan an issue into a release at an instant, checked against the
    /// release-time rules as `embargo when` checks it.
    ///
    /// Exit 1, with nothing changed, when a rule gives an error that no
    /// --accept acknowledges.
    Plan(plan::PlanArgs),
    /// List, add, remove, import (a list of addresses) and change the
    /// recipients of notices, with their OpenPGP certificates.
    Recipients(recipients::RecipientsArgs),
    /// Record where a recipient stands for an issue: accepted the embargo,
    /// wants the patch, notified by a mail sent elsewhere.
    NoticeState(recipients::NoticeStateArgs),
    /// Record that an issue's release went public now (the wizard's "Record
    /// as published now").
    Publish(release::PublishArgs),
    /// Move a milestone of an issue's disclosure timeline, or put it back at
    /// its default offset from the release.
    Milestone(release::MilestoneArgs),
    /// List what must happen today and this week across every issue
    /// (notices to send, packaging start, release, oss-security post), with
    /// the time in the home zone and UTC: the app's View › Due.
    Due {
        /// The project file.
        file: PathBuf,
        /// Print JSON: an array of `{horizon, at, home, milestone, what,
        /// release, issues, step}` (`horizon`: overdue, today, this_week).
        #[arg(long)]
        json: bool,
    },
    /// Show the project's settings, or change them with flags: time zones,
    /// release hour, signing key, repository, mail server, publication.
    Settings(settings::SettingsArgs),
    /// The figures of every issue and their totals, for a project's yearly
    /// report: time to acknowledge the reporter and to an identifier,
    /// embargo and lead time of each list, how late the oss-security post
    /// was, severity changes, days from report to release.
    Stats(stats::StatsArgs),
    /// Merge two versions of a project against their common ancestor,
    /// field by field: the git merge driver (`merge.embargo.driver` is
    /// `embargo merge-driver %O %A %B %P`).
    ///
    /// Writes the merged project over OURS and exits 0; exit 1 with OURS
    /// untouched and the conflicts listed on stderr when both sides changed
    /// a field differently; exit 2 when an input is not a plain project.
    MergeDriver(merge_driver::MergeDriverArgs),
    /// Share the project with the team through its private git repository:
    /// commit the local change, fetch, merge field by field, push.
    ///
    /// A conflict (both sides changed a field differently) stops before
    /// anything is pushed: exit 1 with each conflict listed; resolve with
    /// --take or --value, or in the app. A remote the project lists as
    /// public, or one on a public forge not allowed with --allow-host, is
    /// refused (exit 1) before anything is fetched or sent.
    Sync(team::SyncArgs),
    /// List, add, remove and change the team's members (name, address,
    /// OpenPGP certificate); an encrypted project is encrypted to every
    /// member's certificate.
    Members(team::MembersArgs),
}

/// Built-in playbooks.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum BuiltinPlaybook {
    /// Exim's security release process.
    Exim,
    /// OpenSSL's handling of security issues.
    Openssl,
}

impl BuiltinPlaybook {
    fn name(self) -> &'static str {
        match self {
            Self::Exim => "exim",
            Self::Openssl => "openssl",
        }
    }
}

/// The playbook `embargo new` is given.
#[derive(Clone, Debug)]
pub enum PlaybookChoice {
    /// A built-in one.
    Builtin(BuiltinPlaybook),
    /// A playbook file of the user's.
    File(PathBuf),
}

fn parse_playbook(s: &str) -> std::result::Result<PlaybookChoice, String> {
    match <BuiltinPlaybook as ValueEnum>::from_str(s, false) {
        Ok(b) => Ok(PlaybookChoice::Builtin(b)),
        Err(_) if s.trim().is_empty() => {
            Err("give a built-in playbook (exim, openssl) or a playbook file".to_owned())
        }
        Err(_) => Ok(PlaybookChoice::File(PathBuf::from(s))),
    }
}

/// Write-up formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// HTML.
    Html,
    /// JSON: the issue's header and its figures (`embargo stats` gives
    /// them for every issue).
    Json,
}

fn parse_instant(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{e}: give an RFC 3339 instant such as 2026-12-08T14:00:00Z"))
}

fn parse_after(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Ok(d.and_time(chrono::NaiveTime::MIN).and_utc()),
        Err(_) => parse_instant(s)
            .map_err(|_| "give a date (2026-12-08) or an RFC 3339 instant".to_owned()),
    }
}

fn parse_zone(s: &str) -> std::result::Result<Tz, String> {
    s.trim()
        .parse::<Tz>()
        .map_err(|_| format!("`{s}` is not an IANA time zone name such as Europe/Berlin"))
}

/// The present instant: `EMBARGO_NOW` (RFC 3339) when set, for reproducible
/// scripts and tests, else the system clock.
pub fn now() -> Result<DateTime<Utc>> {
    let value = std::env::var(crate::core::ports::NOW_VAR).ok();
    match crate::core::ports::set_now(value.as_deref()) {
        Ok(set) => Ok(set.unwrap_or_else(Utc::now)),
        Err(e) => Err(anyhow::anyhow!(e.reason.clone()).context(e.to_string())),
    }
}

/// Read a secret (passphrase, password) from file descriptor `fd` with
/// `read`; `what` names it in the error.
fn read_fd<T>(
    fd: u32,
    what: &str,
    read: impl FnOnce(std::fs::File) -> std::io::Result<T>,
) -> Result<T> {
    let fail = || format!("cannot read the {what} from file descriptor {fd}");
    let file = std::fs::File::open(format!("/dev/fd/{fd}")).with_context(fail)?;
    read(file).with_context(fail)
}

/// Load a project and its playbook, or explain why not.
pub fn load_project(file: &Path) -> Result<(Project, Playbook)> {
    let project = vault::open(file)?;
    let playbook = playbooks::load(&project.playbook, Some(file))?;
    Ok((project, playbook))
}

/// Open a project to change it: refused, with `embargo check`'s message,
/// unless it validates, before anything is done to it or for it (a mail
/// sent, a credential made). Saving checks again ([`store::check_valid`]).
fn open_to_write(file: &Path) -> Result<Project> {
    let project = vault::open(file)?;
    store::check_valid(file, &project)?;
    Ok(project)
}

/// [`load_project`] for a subcommand that changes the project: refused
/// unless it validates (see [`open_to_write`]).
fn load_to_write(file: &Path) -> Result<(Project, Playbook)> {
    let project = open_to_write(file)?;
    let playbook = playbooks::load(&project.playbook, Some(file))?;
    Ok((project, playbook))
}

/// Take the lock of a project file for `program`; a lock left by a process
/// that died is taken over, and that is said on stderr as the app says it.
fn lock(file: &Path, program: &str) -> Result<store::ProjectLock> {
    let lock = store::ProjectLock::acquire(file, program)?;
    if let Some(notice) = lock.takeover_notice() {
        eprintln!("note: {notice}");
    }
    Ok(lock)
}

/// An error and its causes on one line, as `{:#}` joins them, without a
/// cause whose text the message already carries (a [`store::StoreError`]
/// names its OS error, which is also its source).
pub fn error_text(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if text.is_empty() {
            text = part;
        } else if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
    }
    text
}

#[derive(Serialize)]
struct StepJson<'a> {
    kind: &'a str,
    key: &'a str,
    title: &'a str,
    status: &'a str,
    reason: String,
}

#[derive(Serialize)]
struct IssueJson<'a> {
    id: &'a str,
    title: &'a str,
    settled: usize,
    total: usize,
    steps: Vec<StepJson<'a>>,
    /// Where each time rule's clock started for this issue's release.
    clocks: Vec<ClockJson>,
    /// The duties of disclosure day that are due: a warning once due, an
    /// error once overdue.
    duties: Vec<DutyJson>,
}

#[derive(Serialize)]
struct ClockJson {
    rule: schedule::Rule,
    level: Level,
    clock: schedule::ClockStart,
    counted_from: Option<DateTime<Utc>>,
    reason: String,
}

#[derive(Serialize)]
struct DutyJson {
    duty: crate::core::duties::DutyKind,
    level: Level,
    due: DateTime<Utc>,
    deadline: DateTime<Utc>,
    what: String,
}

fn status_mark(name: &str) -> &'static str {
    match name {
        "done" => "✓",
        "ready" => "→",
        "blocked" => "·",
        "warning" => "!",
        "skipped" => "↷",
        _ => "–",
    }
}

fn check(file: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let (project, playbook) = load_project(file)?;
    store::check_valid(file, &project)?;
    let now = now()?;
    let mut issues = Vec::new();
    let duties = crate::core::duties::open_duties(&project, now);
    for issue in &project.issues {
        let verdicts = crate::core::playbook::step_verdicts(&project, issue, &playbook, now);
        let states =
            crate::core::playbook::step_states_with(&project, issue, &playbook, now, &verdicts);
        let (settled, total) = issue_progress(&states);
        let clocks = verdicts
            .iter()
            .map(|sv| &sv.verdict)
            .filter(|v| v.counted_from.is_some())
            .map(|v| ClockJson {
                rule: v.rule,
                level: v.level,
                clock: v.clock,
                counted_from: v.counted_from,
                reason: v.reason.clone(),
            })
            .collect();
        let duties = duties
            .iter()
            .filter(|d| d.issue == issue.id)
            .filter_map(|d| {
                d.level(now).map(|level| DutyJson {
                    duty: d.kind,
                    level,
                    due: d.due,
                    deadline: d.deadline,
                    what: d.describe(),
                })
            })
            .collect();
        let steps = states
            .iter()
            .map(|s| StepJson {
                kind: s.step.kind.id(),
                key: s.step.key(),
                title: s.step.title(),
                status: s.status.name(),
                reason: s.status.reason().to_owned(),
            })
            .collect();
        issues.push(IssueJson {
            id: &issue.id,
            title: &issue.title,
            settled,
            total,
            steps,
            clocks,
            duties,
        });
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &issues)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{}: {} ({} playbook), {} issue(s), valid",
            file.display(),
            project.name,
            playbook.name,
            project.issues.len()
        )?;
        for i in &issues {
            writeln!(
                out,
                "\n{}  {}  [{}/{} steps settled]",
                i.id, i.title, i.settled, i.total
            )?;
            for s in &i.steps {
                let reason = if s.reason.is_empty() {
                    String::new()
                } else {
                    format!(": {}", s.reason)
                };
                writeln!(
                    out,
                    "  {} {:<26} {}{}",
                    status_mark(s.status),
                    s.key,
                    s.status,
                    reason
                )?;
            }
            for c in &i.clocks {
                if let Some(t) = c.counted_from {
                    writeln!(
                        out,
                        "  clock {:<20} counts from {} ({}): {}",
                        c.rule,
                        c.clock.label(),
                        t.format("%Y-%m-%d %H:%M UTC"),
                        c.reason
                    )?;
                }
            }
            for d in &i.duties {
                let level = if d.level == Level::Error {
                    "ERROR (overdue)"
                } else {
                    "warning (due)"
                };
                writeln!(out, "  ! duty {:<20} {level}: {}", d.duty.id(), d.what)?;
            }
        }
    }
    Ok(())
}

fn new_project(name: &str, playbook: &PlaybookChoice, file: &Path) -> Result<()> {
    if file.exists() {
        bail!(
            "{} already exists: choose another file name, or open it",
            file.display()
        );
    }
    let (reference, shown) = match playbook {
        PlaybookChoice::Builtin(b) => (
            PlaybookRef::Builtin(b.name().to_owned()),
            b.name().to_owned(),
        ),
        PlaybookChoice::File(path) => {
            if !path.is_file() {
                bail!(
                    "`{}` is neither a built-in playbook (exim, openssl) nor a playbook file: check the name or the path",
                    path.display()
                );
            }
            let book = playbooks::load_file(path)?;
            (
                PlaybookRef::File(playbooks::reference_from(path, file)?),
                book.name,
            )
        }
    };
    let project = Project::new(name, reference);
    let _lock = lock(file, "embargo new")?;
    vault::save(file, &project)?;
    println!("created {} ({shown} playbook)", file.display());
    Ok(())
}

#[allow(clippy::too_many_arguments)] // mirrors the subcommand's flags one to one
fn step(
    file: &Path,
    issue: &str,
    done: Option<String>,
    skip: Option<String>,
    reopen: Option<String>,
    reason: Option<String>,
    note: &str,
    json: bool,
) -> Result<()> {
    let _lock = lock(file, "embargo step")?;
    let (mut project, playbook) = load_to_write(file)?;
    let (key, action) = match (done, skip, reopen) {
        (Some(k), _, _) => (k, StepAction::Done),
        (_, Some(k), _) => (k, StepAction::Skip(reason.unwrap_or_default())),
        (_, _, Some(k)) => (k, StepAction::Reopen),
        _ => bail!("say which step: --done STEP, --skip STEP --reason TEXT or --reopen STEP"),
    };
    let now = now()?;
    ops::mark_step(&mut project, &playbook, issue, &key, action, note, now)?;
    vault::save(file, &project)?;
    let issue_ref = project.issue(issue).expect("the operation found the issue");
    let states = step_states(&project, issue_ref, &playbook, now);
    let state = states
        .iter()
        .find(|s| s.step.key() == key)
        .expect("the operation found the step");
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&StepJson {
                kind: state.step.kind.id(),
                key: state.step.key(),
                title: state.step.title(),
                status: state.status.name(),
                reason: state.status.reason().to_owned(),
            })?
        );
    } else {
        println!("{issue} {key}: {}", state.status);
    }
    Ok(())
}

/// The plan of an issue of a project file, and the project's shown zones.
fn plan_of(file: &Path, issue: &str) -> Result<(Project, Playbook, IssuePlan)> {
    let (project, playbook) = load_project(file)?;
    let i = project
        .issue(issue)
        .ok_or_else(|| ops::OpError::NoIssue(issue.to_owned()))?;
    let plan = crate::core::playbook::issue_plan(&project, &playbook, i);
    Ok((project, playbook, plan))
}

#[derive(Serialize)]
struct WhenJson<'a> {
    instant: String,
    zones: &'a [ZoneRow],
    verdicts: &'a [Verdict],
}

fn print_instant(
    instant: DateTime<Utc>,
    zones: &[ZoneRow],
    verdicts: &[Verdict],
    json: bool,
) -> Result<()> {
    let instant_text = instant.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    if json {
        let j = WhenJson {
            instant: instant_text,
            zones,
            verdicts,
        };
        println!("{}", serde_json::to_string_pretty(&j)?);
        return Ok(());
    }
    println!("{instant_text}\n");
    println!(
        "{:<22} {:<22} {:<4} {:<5} PART OF DAY",
        "ZONE", "LOCAL TIME", "DAY", "+/-"
    );
    for z in zones {
        let local = DateTime::parse_from_rfc3339(&z.local)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default();
        let day = match z.day_offset {
            0 => String::new(),
            d => format!("{d:+}d"),
        };
        println!(
            "{:<22} {:<22} {:<4} {:<5} {:?}",
            z.zone,
            format!("{local} {}", z.abbreviation),
            z.weekday,
            day,
            z.period
        );
    }
    println!();
    for v in verdicts {
        let level = match v.level {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Error => "ERROR",
        };
        let counted = v.counted_from.map_or(String::new(), |t| {
            format!(
                " (counts from {}, {})",
                v.clock.label(),
                t.format("%Y-%m-%d %H:%M UTC")
            )
        });
        println!(
            "{level:<8} {:<20} [{}] {}{counted}",
            v.rule,
            v.source.label(),
            v.reason
        );
    }
    Ok(())
}

fn when(
    instant: DateTime<Utc>,
    zones: Vec<Tz>,
    project: Option<(&Path, &str)>,
    json: bool,
) -> Result<Outcome> {
    let now = now()?;
    let (shown, verdicts, working_hours) = match project {
        Some((file, issue)) => {
            let (p, _, mut plan) = plan_of(file, issue)?;
            let shown = if zones.is_empty() {
                p.time.shown_zones()
            } else {
                zones.clone()
            };
            if !zones.is_empty() {
                plan.rules.zones = zones;
            }
            // The rules of the project's playbook, as its picker shows them.
            let verdicts = schedule::judge(now, instant, &plan);
            (shown, verdicts, plan.rules.working_hours)
        }
        None => {
            let zones = if zones.is_empty() {
                crate::core::model::TimeSettings::default_zones()
            } else {
                zones
            };
            let rules = Rules::with_zones(zones.clone());
            let verdicts =
                schedule::evaluate(now, instant, &rules, &[], &schedule::Milestones::default());
            (zones, verdicts, rules.working_hours)
        }
    };
    let table = schedule::zone_table(instant, &shown, working_hours);
    print_instant(instant, &table, &verdicts, json)?;
    Ok(Outcome::Exit(u8::from(
        schedule::worst(&verdicts) == Level::Error,
    )))
}

fn suggest(
    after: Option<DateTime<Utc>>,
    project: Option<(&Path, &str)>,
    json: bool,
) -> Result<Outcome> {
    let now = now()?;
    let (shown, plan) = match project {
        Some((file, issue)) => {
            let (p, _, plan) = plan_of(file, issue)?;
            (p.time.shown_zones(), plan)
        }
        None => {
            let zones = crate::core::model::TimeSettings::default_zones();
            (
                zones.clone(),
                IssuePlan {
                    rules: Rules::with_zones(zones),
                    issues: Vec::new(),
                    milestones: schedule::Milestones::default(),
                    release: None,
                    published: None,
                    anchor: Default::default(),
                    // No playbook: every rule holds.
                    steps: schedule::RULES.iter().map(|r| r.step).collect(),
                },
            )
        }
    };
    // Milestones are derived from the suggested release, except those that
    // already happened.
    let mut plan = plan;
    plan.milestones.moved.clear();
    let Some(instant) = schedule::suggest_for(now, after, &plan) else {
        // Say which rules stand in the way on the first candidate day.
        let first = schedule::rules::anchor_on(
            plan.anchor,
            after.map_or(now, |a| a.max(now)).date_naive() + chrono::TimeDelta::days(1),
        );
        let blocking: Vec<String> = first
            .map(|t| {
                schedule::judge(now, t, &plan)
                    .into_iter()
                    .filter(|v| v.level != Level::Ok)
                    .map(|v| format!("  {}: {}", v.rule, v.reason))
                    .collect()
            })
            .unwrap_or_default();
        bail!(
            "no instant in the next {} days passes every rule; for example:\n{}",
            schedule::rules::SUGGEST_DAYS,
            blocking.join("\n")
        );
    };
    let verdicts = schedule::judge(now, instant, &plan);
    let table = schedule::zone_table(instant, &shown, plan.rules.working_hours);
    print_instant(instant, &table, &verdicts, json)?;
    Ok(Outcome::Exit(0))
}

fn due(file: &Path, json: bool) -> Result<()> {
    let (project, playbook) = load_project(file)?;
    let now = now()?;
    let items = crate::core::due::due(&project, &playbook, now);
    if json {
        edit::print_json(&items)?;
        return Ok(());
    }
    let home = project.time.home_zone;
    println!(
        "{}: due at {}",
        project.name,
        crate::core::due::home_and_utc(now, home)
    );
    if items.is_empty() {
        println!("nothing is due today or this week");
    }
    let mut heading = None;
    for item in &items {
        if heading != Some(item.horizon) {
            heading = Some(item.horizon);
            println!("{}", item.horizon.label());
        }
        println!(
            "  {:<34} {} — {} ({}), step {}",
            crate::core::due::home_and_utc(item.at, home),
            item.what,
            item.release,
            item.issues.join(", "),
            item.step
        );
    }
    Ok(())
}

fn ics(file: &Path, issue: &str, out: Option<&Path>) -> Result<()> {
    let (project, playbook) = load_project(file)?;
    let issue = project
        .issue(issue)
        .ok_or_else(|| ops::OpError::NoIssue(issue.to_owned()))?;
    let text = crate::workflows::export::calendar(&project, &playbook, issue, now()?)?;
    match out {
        Some(path) => crate::workflows::export::write(path, &text)?,
        None => print!("{text}"),
    }
    Ok(())
}

fn report(
    file: &Path,
    issue: &str,
    format: Option<Format>,
    out: Option<&Path>,
    include_addresses: bool,
) -> Result<()> {
    let (project, playbook) = load_project(file)?;
    let issue = project
        .issue(issue)
        .ok_or_else(|| ops::OpError::NoIssue(issue.to_owned()))?;
    let addresses = if include_addresses {
        crate::core::render::Addresses::Shown
    } else {
        crate::core::render::Addresses::Withheld
    };
    let json = matches!(format, Some(Format::Json));
    let format = match format {
        Some(Format::Md) => ReportFormat::Markdown,
        Some(Format::Html) => ReportFormat::Html,
        Some(Format::Json) | None => out.map(ReportFormat::for_path).unwrap_or_default(),
    };
    let text = if json {
        crate::workflows::export::report_json(&project, &playbook, issue, addresses)?
    } else {
        crate::workflows::export::writeup(&project, &playbook, issue, format, addresses)?
    };
    match out {
        Some(path) => crate::workflows::export::write(path, &text)?,
        None => print!("{text}"),
    }
    Ok(())
}

/// What the desktop app starts on.
#[derive(Debug, PartialEq, Eq)]
pub enum Gui {
    /// The most recent project, or the example.
    Default,
    /// The example project, on an issue if given.
    Example(Option<Landing>),
    /// This file, on an issue if given.
    File(PathBuf, Option<Landing>),
}

/// The issue (and step) the app shows first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landing {
    /// The issue's ID.
    pub issue: String,
    /// A step's key.
    pub step: Option<String>,
}

/// What `run` asks `main` to do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit with this code.
    Exit(u8),
    /// Start the desktop app.
    Gui(Gui),
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    let done = |r: Result<()>| r.map(|()| Outcome::Exit(0));
    vault::set_unlock(cli.unlock);
    match cli.command {
        None => Ok(Outcome::Gui(Gui::Default)),
        Some(Command::Example { issue, step }) => Ok(Outcome::Gui(Gui::Example(
            issue.map(|issue| Landing { issue, step }),
        ))),
        Some(Command::Open { file, issue, step }) => {
            if !file.exists() {
                bail!(
                    "{} does not exist: check the path, or create it with `embargo new`",
                    file.display()
                );
            }
            Ok(Outcome::Gui(Gui::File(
                file,
                issue.map(|issue| Landing { issue, step }),
            )))
        }
        Some(Command::New {
            name,
            playbook,
            file,
        }) => done(new_project(&name, &playbook, &file)),
        Some(Command::Check { file, json }) => {
            let stdout = std::io::stdout();
            done(check(&file, json, &mut stdout.lock()))
        }
        Some(Command::When {
            instant,
            zones,
            project,
            issue,
            json,
        }) => when(
            instant,
            zones,
            project.as_deref().zip(issue.as_deref()),
            json,
        ),
        Some(Command::Suggest {
            after,
            project,
            issue,
            json,
        }) => suggest(after, project.as_deref().zip(issue.as_deref()), json),
        Some(Command::Ics { file, issue, out }) => done(ics(&file, &issue, out.as_deref())),
        Some(Command::Step {
            file,
            issue,
            done,
            skip,
            reopen,
            reason,
            note,
            json,
        }) => {
            let result = step(&file, &issue, done, skip, reopen, reason, &note, json);
            result.map(|()| Outcome::Exit(0))
        }
        Some(Command::Report {
            file,
            issue,
            format,
            out,
            include_addresses,
        }) => done(report(
            &file,
            &issue,
            format,
            out.as_deref(),
            include_addresses,
        )),
        Some(Command::Sign(args)) => sign::sign(args),
        Some(Command::Verify(args)) => sign::verify(args),
        Some(Command::Guard(args)) => git::guard(args),
        Some(Command::Artifacts(args)) => git::artifacts(args),
        Some(Command::Push(args)) => git::push(args),
        Some(Command::Share(args)) => share::share(args),
        Some(Command::Export(args)) => done(export::export(&args)),
        Some(Command::ImportCve(args)) => done(export::import_cve(&args)),
        Some(Command::Mail(args)) => mail::mail(args),
        Some(Command::Corrections(args)) => mail::corrections(args),
        Some(Command::Encrypt(args)) => done(vault::encrypt(&args)),
        Some(Command::Decrypt(args)) => done(vault::decrypt(&args)),
        Some(Command::Issue(args)) => issue::issue(args),
        Some(Command::Plan(args)) => plan::plan(args),
        Some(Command::Recipients(args)) => recipients::recipients(args),
        Some(Command::NoticeState(args)) => recipients::notice_state(args),
        Some(Command::Settings(args)) => settings::settings(args),
        Some(Command::Publish(args)) => release::publish(args),
        Some(Command::Due { file, json }) => {
            due(&file, json)?;
            Ok(Outcome::Exit(0))
        }
        Some(Command::Milestone(args)) => release::milestone(args),
        Some(Command::Stats(args)) => stats::stats(&args),
        Some(Command::MergeDriver(args)) => merge_driver::merge_driver(&args),
        Some(Command::Sync(args)) => team::sync(&args),
        Some(Command::Members(args)) => team::members(args),
    }
}
