//! The command line: every wizard action as a subcommand of the same binary,
//! on the same core. With no subcommand the desktop app starts.
//!
//! Exit codes: 0 success, 1 failure (invalid project, refused action, I/O
//! error) with one clear message on stderr, 2 usage error (from clap).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

use crate::adapters::{playbooks, store};
use crate::core::model::{PlaybookRef, Project, validate};
use crate::core::ops::{self, StepAction};
use crate::core::playbook::{BUILTIN_NAMES, Playbook, issue_progress, step_states};
use crate::core::render::{self, ReportFormat};

/// Coordinate an embargoed security release: guided wizard, release-time
/// picker, journal and write-up.
#[derive(Debug, Parser)]
#[command(name = "embargo", version, about, long_about = None)]
pub struct Cli {
    /// What to do; without a subcommand the desktop app starts on the most
    /// recent project, or on the example project.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the example project (a fictional mail server) in the desktop app.
    Example,
    /// Open a project in the desktop app.
    Open {
        /// The project file (`NAME.embargo.ron`).
        file: PathBuf,
    },
    /// Create a new, empty project file.
    New {
        /// The project's name, e.g. "Exim".
        #[arg(long)]
        name: String,
        /// The built-in playbook its issues follow.
        #[arg(long, value_enum, default_value_t = BuiltinPlaybook::Exim)]
        playbook: BuiltinPlaybook,
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
    /// Write the write-up of an issue: its timeline from report to publication.
    Report {
        /// The project file.
        file: PathBuf,
        /// The issue's ID.
        #[arg(long)]
        issue: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
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

/// Write-up formats.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// HTML.
    Html,
}

/// The present instant: `EMBARGO_NOW` (RFC 3339) when set, for reproducible
/// scripts and tests, else the system clock.
pub fn now() -> Result<DateTime<Utc>> {
    match std::env::var("EMBARGO_NOW") {
        Ok(s) => Ok(DateTime::parse_from_rfc3339(&s)
            .with_context(|| {
                format!("EMBARGO_NOW=`{s}` is not an RFC 3339 instant such as 2026-12-08T14:00:00Z")
            })?
            .with_timezone(&Utc)),
        Err(_) => Ok(Utc::now()),
    }
}

/// Load a project and its playbook, or explain why not.
pub fn load_project(file: &Path) -> Result<(Project, Playbook)> {
    let project = store::load(file)?;
    let playbook = playbooks::load(&project.playbook, Some(file))?;
    Ok((project, playbook))
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
    let problems = validate(&project, &BUILTIN_NAMES);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        bail!(
            "{} is not a valid project:\n{}",
            file.display(),
            list.join("\n")
        );
    }
    let now = now()?;
    let mut issues = Vec::new();
    for issue in &project.issues {
        let states = step_states(&project, issue, &playbook, now);
        let (settled, total) = issue_progress(&states);
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
        }
    }
    Ok(())
}

fn new_project(name: &str, playbook: BuiltinPlaybook, file: &Path) -> Result<()> {
    if file.exists() {
        bail!(
            "{} already exists: choose another file name, or open it",
            file.display()
        );
    }
    let project = Project::new(name, PlaybookRef::Builtin(playbook.name().to_owned()));
    let _lock = store::ProjectLock::acquire(file, "embargo new")?;
    store::save(file, &project)?;
    println!("created {} ({} playbook)", file.display(), playbook.name());
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
    let _lock = store::ProjectLock::acquire(file, "embargo step")?;
    let (mut project, playbook) = load_project(file)?;
    let (key, action) = match (done, skip, reopen) {
        (Some(k), _, _) => (k, StepAction::Done),
        (_, Some(k), _) => (k, StepAction::Skip(reason.unwrap_or_default())),
        (_, _, Some(k)) => (k, StepAction::Reopen),
        _ => bail!("say which step: --done STEP, --skip STEP --reason TEXT or --reopen STEP"),
    };
    let now = now()?;
    ops::mark_step(&mut project, &playbook, issue, &key, action, note, now)?;
    store::save(file, &project)?;
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

fn report(file: &Path, issue: &str, format: Format, out: Option<&Path>) -> Result<()> {
    let (project, playbook) = load_project(file)?;
    let issue = project
        .issue(issue)
        .ok_or_else(|| ops::OpError::NoIssue(issue.to_owned()))?;
    let format = match format {
        Format::Md => ReportFormat::Markdown,
        Format::Html => ReportFormat::Html,
    };
    let text = render::writeup(&project, issue, &playbook, format)?;
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

/// What the desktop app starts on.
#[derive(Debug, PartialEq, Eq)]
pub enum Gui {
    /// The most recent project, or the example.
    Default,
    /// The example project.
    Example,
    /// This file.
    File(PathBuf),
}

/// Run a parsed command line. `Ok(Some(gui))` means: start the desktop app.
pub fn run(cli: Cli) -> Result<Option<Gui>> {
    match cli.command {
        None => Ok(Some(Gui::Default)),
        Some(Command::Example) => Ok(Some(Gui::Example)),
        Some(Command::Open { file }) => {
            if !file.exists() {
                bail!(
                    "{} does not exist: check the path, or create it with `embargo new`",
                    file.display()
                );
            }
            Ok(Some(Gui::File(file)))
        }
        Some(Command::New {
            name,
            playbook,
            file,
        }) => new_project(&name, playbook, &file).map(|()| None),
        Some(Command::Check { file, json }) => {
            let stdout = std::io::stdout();
            check(&file, json, &mut stdout.lock()).map(|()| None)
        }
        Some(Command::Step {
            file,
            issue,
            done,
            skip,
            reopen,
            reason,
            note,
            json,
        }) => step(&file, &issue, done, skip, reopen, reason, &note, json).map(|()| None),
        Some(Command::Report {
            file,
            issue,
            format,
            out,
        }) => report(&file, &issue, format, out.as_deref()).map(|()| None),
    }
}
