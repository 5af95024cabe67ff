//! The commands of the "repo" part of issue #22: reading what the
//! repository offers (branches, tags, recent commits) for the build step
//! and the pickers, the release's base tag, a finished build of the
//! release artifacts (labelled as a build, with its output directory and
//! warnings), opening that directory with the desktop's opener; saving
//! the write-up as HTML; the intake from a raw report mail (pasted,
//! dropped or opened) and its copy for OpenSSL's private tracker; the push
//! of a published release's fix and tag to the public remotes. Everything
//! that touches git or the desktop runs in a job.

use std::path::{Path, PathBuf};

use crate::core::ops;
use crate::ui::command::{JobResult, PathPurpose, RepoCommand, RepoDone, ResultRow};
use crate::ui::state::EmbargoApp;
use crate::workflows::{self, sign::SignError};

/// The name of the job reading the repository's lists.
const SOURCES_JOB: &str = "reading the repository";

/// Hand `dir` to the desktop's opener (`xdg-open`; `open` on macOS) and
/// wait for it to take it.
fn open_folder(dir: &Path) -> Result<PathBuf, String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let status = std::process::Command::new(opener)
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| {
            format!(
                "cannot open {}: the desktop's opener `{opener}` did not start ({e}); open the \
                 folder in your file manager",
                dir.display()
            )
        })?;
    if status.success() {
        Ok(dir.to_owned())
    } else {
        Err(format!(
            "cannot open {}: `{opener}` failed ({status}); open the folder in your file manager",
            dir.display()
        ))
    }
}

/// Read a `.eml` file for the intake, refusing what is not a regular file
/// or is too large.
fn read_eml(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let what = |e: &dyn std::fmt::Display| format!("cannot read {}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(|e| what(&e))?;
    let meta = file.metadata().map_err(|e| what(&e))?;
    if !meta.is_file() {
        return Err(what(&"not a regular file"));
    }
    let mut raw = Vec::new();
    file.take(crate::core::import::MAX_REPORT_MAIL as u64 + 1)
        .read_to_end(&mut raw)
        .map_err(|e| what(&e))?;
    Ok(raw)
}

impl EmbargoApp {
    /// Fill the selected issue's intake from a raw mail, journaled as an
    /// edit of the intake step.
    fn intake_from_mail(&mut self, raw: &[u8]) {
        let Some(id) = self.view.selected_issue.clone() else {
            return;
        };
        match crate::core::import::parse_report_mail(raw) {
            Ok(mail) => {
                if let Some(draft) = self.view.draft.as_mut() {
                    mail.apply(draft);
                }
                self.commit_draft();
                self.view.repo.mail_error = None;
                self.notice(match mail.received {
                    Some(_) => "filled From, Subject, Date, Message-ID and Received from the mail",
                    None => {
                        "filled From, Subject, Date and Message-ID from the mail; its Date is \
                             not a valid date, so set Received yourself"
                    }
                });
                self.view.repo.mail = Some((id, mail));
            }
            Err(e) => self.view.repo.mail_error = Some(e),
        }
    }

    /// Apply a command of the "repo" part.
    pub(super) fn apply_repo(&mut self, command: RepoCommand) {
        match command {
            RepoCommand::ReadSources => self.read_sources(),
            RepoCommand::SetBaseTag(tag) => {
                let Some(issue) = self.view.selected_issue.clone() else {
                    return;
                };
                let step = self.selected_step_key();
                self.open_doc_with(|d, now| {
                    ops::set_base_tag(&mut d.project, &issue, &tag, step.as_deref(), now)
                });
                self.view.repo.base_tag = None;
            }
            RepoCommand::SaveWriteUpHtml => {
                self.ask_path(PathPurpose::WriteUp);
                if let Some((_, name)) = self.view.path_dialog.as_mut()
                    && let Some(stem) = name.strip_suffix(".md")
                {
                    *name = format!("{stem}.html");
                }
            }
            RepoCommand::IntakeFromMail(raw) => self.intake_from_mail(&raw),
            RepoCommand::OpenEml => self.spawn_job("file dialog", move |_| {
                let picked = rfd::FileDialog::new()
                    .set_title("The report mail")
                    .add_filter("Mail", &["eml", "txt"])
                    .add_filter("All files", &["*"])
                    .pick_file();
                JobResult::Repo(RepoDone::Eml(picked.map(|p| read_eml(&p))))
            }),
            RepoCommand::ReadEml(path) => self.spawn_job("reading the mail", move |_| {
                JobResult::Repo(RepoDone::Eml(Some(read_eml(&path))))
            }),
            RepoCommand::CopyForTracker => {
                let text = match (&self.view.repo.mail, &self.view.selected_issue) {
                    (Some((for_issue, mail)), Some(id)) if for_issue == id => mail.tracker_text(),
                    _ => {
                        self.notice("paste or open the report mail first");
                        return;
                    }
                };
                self.ctx.copy_text(text);
                self.done("copied the report's headers and text for the private tracker");
            }
            RepoCommand::AddFixCommit(commit) => {
                let Some(draft) = self.view.draft.as_mut() else {
                    return;
                };
                if draft.fix_commits.iter().any(|c| c.id == commit.id) {
                    return;
                }
                draft.fix_commits.push(commit);
                self.view.repo.fix_pick = None;
                self.commit_draft();
            }
            RepoCommand::PushPublic => {
                let (Some(doc), Some(issue)) = (&self.doc, self.view.selected_issue.clone()) else {
                    return;
                };
                let project = doc.project.clone();
                let file = doc.path.clone();
                let now = self.now();
                self.view.repo.pushed = None;
                self.spawn_job("git push", move |_| {
                    let pushed =
                        workflows::guard::push_public(&project, file.as_deref(), &issue, now)
                            .map_err(|e| e.to_string());
                    JobResult::Repo(RepoDone::Pushed(issue, pushed))
                });
            }
            RepoCommand::OpenFolder(dir) => self.spawn_job("open folder", move |_| {
                JobResult::Repo(RepoDone::Opened(open_folder(&dir)))
            }),
        }
    }

    fn read_sources(&mut self) {
        let (Some(doc), Some(issue)) = (&self.doc, self.view.selected_issue.clone()) else {
            return;
        };
        if doc.project.repo.path.trim().is_empty() {
            self.view.repo.sources = Some((
                issue,
                Err(
                    "Set the project's repository path first (Project › Settings › Repository \
                     › Path)."
                        .into(),
                ),
            ));
            return;
        }
        let project = doc.project.clone();
        let file = doc.path.clone();
        self.spawn_job(SOURCES_JOB, move |_| {
            let sources = workflows::artifacts::sources(&project, file.as_deref(), &issue)
                .map_err(|e| e.to_string());
            JobResult::Repo(RepoDone::Sources(issue, sources))
        });
    }

    /// Handle a job's result of the "repo" part.
    pub(in crate::ui) fn on_repo_job(&mut self, done: RepoDone) {
        match done {
            RepoDone::Sources(issue, sources) => self.view.repo.sources = Some((issue, sources)),
            RepoDone::Built {
                release,
                out,
                outcome,
            } => self.on_built(release, out, outcome),
            RepoDone::Opened(Ok(dir)) => self.notice(format!("opened {}", dir.display())),
            RepoDone::Opened(Err(e)) => self.failed(e),
            RepoDone::Pushed(issue, Ok(pushed)) => {
                let step = self.selected_step_key();
                self.open_doc_with(|d, now| {
                    ops::record_push(
                        &mut d.project,
                        &issue,
                        &pushed.branch,
                        &pushed.tag,
                        &pushed.remotes,
                        step.as_deref(),
                        now,
                    )
                });
                self.done(format!(
                    "pushed {} and {} to {}",
                    pushed.branch,
                    pushed.tag,
                    pushed.remotes.join(", ")
                ));
                self.view.repo.pushed = Some((issue, Ok(pushed.output)));
            }
            RepoDone::Pushed(issue, Err(e)) => {
                self.failed(format!("Nothing more was pushed: {e}"));
                self.view.repo.pushed = Some((issue, Err(e)));
            }
            RepoDone::Eml(None) => {
                self.notice(
                    "no file chosen (paste the mail's source instead if no dialog appeared)",
                );
            }
            RepoDone::Eml(Some(Ok(raw))) => self.intake_from_mail(&raw),
            RepoDone::Eml(Some(Err(e))) => self.view.repo.mail_error = Some(e),
        }
    }

    fn on_built(
        &mut self,
        release: String,
        out: PathBuf,
        outcome: Result<workflows::artifacts::Built, SignError>,
    ) {
        self.view.signing.running = None;
        // A new tag exists now: read the lists again.
        self.view.repo.sources_requested = None;
        match outcome {
            Ok(built) => {
                let count = built.files.len();
                if let Some(signed) = built.signed {
                    self.open_doc_with(|d, now| {
                        ops::record_artifacts(&mut d.project, &release, signed.artifacts, now)
                    });
                    self.view.signing.results =
                        signed.verified.iter().map(ResultRow::from).collect();
                }
                let mut text = format!(
                    "built and signed {count} file(s) in {}; recorded in release {release}",
                    out.display()
                );
                for w in &built.warnings {
                    text.push_str(&format!("; {w}"));
                }
                self.done(text);
                self.view.repo.built = Some((out, built.warnings));
            }
            Err(e) => {
                if let SignError::Unverified(checks) = &e {
                    let bad = checks.iter().filter(|c| c.result.is_err()).count();
                    self.view.signing.results = checks.iter().map(ResultRow::from).collect();
                    self.failed(format!(
                        "{bad} of {} signature(s) did NOT verify; nothing was recorded",
                        checks.len()
                    ));
                    self.view.repo.built = Some((out, Vec::new()));
                } else {
                    self.failed(format!("Building the release artifacts failed: {e}"));
                }
                self.view.repo.build_error =
                    Some(format!("Building the release artifacts failed: {e}"));
            }
        }
    }
}
