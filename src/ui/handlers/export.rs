//! Export commands: the write-up and the not-a-security-issue reply shown
//! in the text window, and the files written in jobs — the write-up, the
//! timeline as iCalendar, the CVE JSON 5 record.

use std::path::PathBuf;

use crate::core::render::{self, ReportFormat};
use crate::ui::state::EmbargoApp;

impl EmbargoApp {
    pub(super) fn write_calendar(&mut self, path: PathBuf) {
        self.view.path_dialog = None;
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        let plan = crate::core::schedule::issue_plan(&doc.project, &doc.playbook, issue);
        let (Some(planned), Some(release)) = (plan.release, doc.project.release_of(&issue.id))
        else {
            self.fail("Plan the release first: the calendar holds its milestones.");
            return;
        };
        let list = plan.milestones.resolve(planned, plan.rules.process);
        let text = render::ics::calendar(
            &doc.project.name,
            &issue.id,
            &release.version,
            &list,
            self.clock.now(),
        );
        self.spawn_write("calendar", path, text);
    }

    pub(super) fn show_write_up(&mut self) {
        self.commit_draft();
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        match render::writeup(&doc.project, issue, &doc.playbook, ReportFormat::Markdown) {
            Ok(text) => self.view.text_window = Some((format!("Write-up of {}", issue.id), text)),
            Err(e) => self.fail(e.to_string()),
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

    pub(super) fn write_write_up(&mut self, path: PathBuf) {
        let Some((_, text)) = self.view.text_window.clone() else {
            return;
        };
        self.view.path_dialog = None;
        self.spawn_write("write-up", path, text);
    }

    pub(super) fn write_cve_record(&mut self, path: PathBuf) {
        self.view.path_dialog = None;
        self.commit_draft();
        let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
            return;
        };
        match render::cve::record(&doc.project, issue) {
            Ok(record) => {
                let text = render::cve::to_json(&record);
                self.spawn_write("CVE record", path, text);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }
}
