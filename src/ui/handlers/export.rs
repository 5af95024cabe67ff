//! Export commands: the write-up and the not-a-security-issue reply shown
//! in the text window, and the files written in jobs — the write-up, the
//! timeline as iCalendar, the CVE JSON 5 record.

use std::path::PathBuf;

use crate::core::render::{self, ReportFormat};
use crate::ui::state::EmbargoApp;
use crate::workflows::export;

impl EmbargoApp {
    pub(super) fn write_calendar(&mut self, path: PathBuf) {
        self.view.path_dialog = None;
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        match export::calendar(&doc.project, &doc.playbook, issue, self.clock.now()) {
            Ok(text) => self.spawn_write("calendar", path, text),
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
            Ok(text) => self.spawn_write("write-up", path, text),
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
            Ok(record) => self.spawn_write("CVE record", path, record.text),
            Err(e) => self.fail(e.to_string()),
        }
    }
}
