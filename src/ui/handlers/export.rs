//! Export commands: the write-up and the not-a-security-issue reply shown
//! in the text window, and the files written in jobs — the write-up, the
//! timeline as iCalendar, the CVE JSON 5 record, a
//! release's CSAF and OpenVEX documents. An export never replaces
//! a file silently: when one is at its path the job leaves it, and the app
//! asks whether to replace it ([`JobResult::Exists`]); confirmed, the
//! export runs again with leave to replace that one file.

use std::path::PathBuf;

use crate::core::render::{self, ReportFormat};
use crate::ui::command::{Command, Confirm, JobResult};
use crate::ui::state::EmbargoApp;
use crate::workflows::export;

impl EmbargoApp {
    pub(super) fn write_calendar(&mut self, path: PathBuf) {
        self.view.path_dialog = None;
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        match export::calendar(&doc.project, &doc.playbook, issue, self.clock.now()) {
            Ok(text) => {
                let retry = Command::WriteCalendar(path.clone());
                self.spawn_export("calendar", path, text, retry);
            }
            Err(export::ExportError::NotPlanned(_)) => {
                self.fail("Plan the release first: the calendar holds its milestones.");
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn show_write_up(&mut self) {
        self.commit_draft();
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        let addresses = self.writeup_addresses();
        match export::writeup(
            &doc.project,
            &doc.playbook,
            issue,
            ReportFormat::Markdown,
            addresses,
        ) {
            Ok(text) => self.view.text_window = Some((format!("Write-up of {}", issue.id), text)),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Whether the write-up shows addresses, as the write-up window says.
    fn writeup_addresses(&self) -> render::Addresses {
        if self.view.writeup_addresses {
            render::Addresses::Shown
        } else {
            render::Addresses::Withheld
        }
    }

    pub(super) fn draft_reply(&mut self, reason: String) {
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        match render::not_security_reply(&doc.project, issue, &reason) {
            Ok(text) => self.view.text_window = Some(("Reply: not a security issue".into(), text)),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Write the write-up to `path`, rendered afresh in the format its name
    /// asks for (`.html`: HTML, else Markdown), addresses as the window says.
    pub(super) fn write_write_up(&mut self, path: PathBuf) {
        self.view.path_dialog = None;
        let addresses = self.writeup_addresses();
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        let format = ReportFormat::for_path(&path);
        match export::writeup(&doc.project, &doc.playbook, issue, format, addresses) {
            Ok(text) => {
                let retry = Command::WriteWriteUp(path.clone());
                self.spawn_export("write-up", path, text, retry);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn write_cve_record(&mut self, path: PathBuf) {
        self.view.path_dialog = None;
        self.commit_draft();
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        match export::cve_record(&doc.project, issue) {
            Ok(record) => {
                let retry = Command::WriteCveRecord(path.clone());
                self.spawn_export("CVE record", path, record.text, retry);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Write the CSAF or OpenVEX document of the selected issue's release
    /// to `path` (asking before an existing file is replaced).
    pub(super) fn write_release_document(&mut self, format: export::ReleaseFormat, path: PathBuf) {
        self.view.path_dialog = None;
        self.commit_draft();
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        let Some(release) = doc.project.release_of(&issue.id) else {
            self.fail(format!(
                "{} has no planned release yet: plan it in the wizard's “Plan the release” step first",
                issue.id
            ));
            return;
        };
        match export::release_document(&doc.project, release, format, self.clock.now()) {
            Ok(d) => {
                let retry = Command::WriteReleaseDocument(format, path.clone());
                self.spawn_export("release document", path, d.text, retry);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Write an export in a job: a file at `path` is replaced only when the
    /// user agreed to replace it; else the job reports it and `retry` (the
    /// command that made this export) is asked about. Every export of the
    /// app to a path the user chose goes through here.
    pub(super) fn spawn_export(&mut self, name: &str, path: PathBuf, text: String, retry: Command) {
        let replace = self.view.replace_file.take().is_some_and(|p| p == path);
        self.spawn_job(name, move |_| {
            match export::write_new(&path, &text, replace) {
                Ok(()) => JobResult::Wrote(path),
                Err(export::ExportError::Exists(path)) => JobResult::Exists { path, retry },
                Err(e) => JobResult::Failed {
                    what: format!("Writing {}", path.display()),
                    error: e.to_string(),
                },
            }
        });
    }

    /// An export found a file at its path: ask before replacing it.
    pub(super) fn ask_replace(&mut self, path: PathBuf, retry: Command) {
        self.view.confirm = Some(Confirm {
            message: format!(
                "{} exists already. Replace it with this export? The file there is lost.",
                path.display()
            ),
            yes: "Replace".into(),
            command: Command::ReplaceFile {
                path,
                retry: Box::new(retry),
            },
            discard_first: false,
        });
    }

    /// Run the export `retry` again, replacing the file at `path` (the user
    /// confirmed).
    pub(super) fn replace_file(&mut self, path: PathBuf, retry: Command) {
        self.view.replace_file = Some(path);
        self.handle(retry);
        // The leave is for that export only, even if it stopped early.
        self.view.replace_file = None;
    }
}
