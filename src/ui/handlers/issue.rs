//! Issue commands: selecting an issue or a step (and their neighbours),
//! adding, renaming and deleting issues, marking and acknowledging steps,
//! the release plan and its milestones, the time settings, undo, and
//! showing a new document on its first issue with work left.

use chrono::{DateTime, Utc};

use crate::core::model::Milestone;
use crate::core::ops::{self, StepAction};
use crate::core::playbook;
use crate::ui::command::{Command, ShareCommand};
use crate::ui::state::{Document, EmbargoApp, ViewState};

impl EmbargoApp {
    pub(super) fn add_issue(&mut self, title: String) {
        if let Some(id) = self.open_doc_with(|d, now| ops::add_issue(&mut d.project, &title, now)) {
            self.view.new_issue_title.clear();
            self.select_issue(&id);
        }
    }

    pub(super) fn rename_issue(&mut self, id: String, title: String) {
        if self
            .open_doc_with(|d, now| ops::rename_issue(&mut d.project, &id, &title, now))
            .is_some()
        {
            self.view.renaming = None;
        }
    }

    pub(super) fn delete_issue(&mut self, id: String) {
        if self.view.selected_issue.as_deref() == Some(id.as_str()) {
            self.commit_draft();
            self.view.draft = None;
            self.view.selected_issue = None;
        }
        if self
            .open_doc_with(|d, now| ops::delete_issue(&mut d.project, &id, now))
            .is_some()
        {
            self.notice(format!("deleted {id}"));
        }
    }

    pub(super) fn mark_step(&mut self, key: String, action: StepAction, note: String) {
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        let done = self.open_doc_with(|d, now| {
            ops::mark_step(
                &mut d.project,
                &d.playbook,
                &issue,
                &key,
                action,
                &note,
                now,
            )
        });
        if done.is_some() {
            self.view.step_line.clear();
        }
    }

    /// Mark the selected step done with the note typed under it (Ctrl+Enter).
    pub(super) fn mark_selected_step_done(&mut self) {
        if self.view.draft.is_none() {
            return;
        }
        let Some(key) = self.selected_step_key() else {
            return;
        };
        let note = std::mem::take(&mut self.view.step_line);
        self.mark_step(key, StepAction::Done, note);
    }

    pub(super) fn acknowledge(&mut self, key: String, check: String) {
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        let note = std::mem::take(&mut self.view.step_line);
        self.open_doc_with(|d, now| {
            ops::acknowledge_check(&mut d.project, &issue, &key, &check, &note, now)
        });
    }

    pub(super) fn plan_release(&mut self, version: String, planned: DateTime<Utc>) {
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        if version.trim().is_empty() {
            self.fail("Give the release a version, e.g. 4.12.3.");
            return;
        }
        self.open_doc_with(|d, now| {
            ops::plan_release(&mut d.project, &issue, &version, Some(planned), now)
        });
    }

    pub(super) fn publish_now(&mut self) {
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        if self
            .open_doc_with(|d, now| ops::publish_release(&mut d.project, &issue, now))
            .is_some()
        {
            // Public now: the download's credentials expire (workflows::share).
            self.send(Command::Share(ShareCommand::Expire));
        }
    }

    pub(super) fn move_milestone(&mut self, milestone: Milestone, at: Option<DateTime<Utc>>) {
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        self.open_doc_with(|d, now| {
            ops::move_milestone(&mut d.project, &issue, milestone, at, now)
        });
    }

    pub(super) fn set_time(&mut self, time: crate::core::model::TimeSettings) {
        // The rules `embargo settings` keeps (core::settings).
        if let Err(e) = crate::core::settings::check_time(&time) {
            self.fail(e.to_string());
            return;
        }
        self.open_doc_with(|d, now| {
            ops::set_time(&mut d.project, time, now);
            Ok(())
        });
        self.view.release_form = None; // shown in the new home zone
    }

    /// Select the issue listed after (`down`) or before the selected one
    /// (Alt+Down, Alt+Up).
    pub(super) fn neighbour_issue(&mut self, down: bool) {
        if let Some(id) = self.neighbour_issue_id(down) {
            self.select_issue(&id);
        }
    }

    /// Select the next (`forward`) or the previous step (Alt+Right, Alt+Left).
    pub(super) fn neighbour_step(&mut self, forward: bool) {
        if self.view.draft.is_none() {
            return;
        }
        let steps = self.doc.as_ref().map_or(0, |d| d.playbook.steps.len());
        let at = self.view.selected_step;
        if forward && at + 1 < steps {
            self.select_step(at + 1);
        } else if !forward && at > 0 {
            self.select_step(at - 1);
        }
    }

    /// The issue listed after (`down`) or before the selected one, under the
    /// list's filter; the first listed when none is selected.
    fn neighbour_issue_id(&self, down: bool) -> Option<String> {
        let doc = self.doc.as_ref()?;
        let filter = self.view.issue_filter.to_lowercase();
        let listed: Vec<&str> = doc
            .project
            .issues
            .iter()
            .filter(|i| crate::ui::issues::matches_filter(i, &filter))
            .map(|i| i.id.as_str())
            .collect();
        let at = self
            .view
            .selected_issue
            .as_deref()
            .and_then(|id| listed.iter().position(|l| *l == id));
        let next = match (at, down) {
            (None, _) => Some(0),
            (Some(i), true) => Some(i + 1),
            (Some(i), false) => i.checked_sub(1),
        };
        next.and_then(|i| listed.get(i)).map(|id| (*id).to_owned())
    }

    pub(super) fn set_document(&mut self, doc: Document) {
        self.view = ViewState {
            issue_filter: std::mem::take(&mut self.view.issue_filter),
            ..ViewState::default()
        };
        // Start on the first issue with work left, else the first one.
        let now = self.clock.now();
        let first = doc
            .project
            .issues
            .iter()
            .find(|i| {
                playbook::step_states(&doc.project, i, &doc.playbook, now)
                    .iter()
                    .any(|s| !s.status.is_settled())
            })
            .or(doc.project.issues.first())
            .map(|i| i.id.clone());
        self.doc = Some(doc);
        if let Some(id) = first {
            self.select_issue(&id);
        }
        if let Some((issue, step)) = self.landing.take() {
            self.land(&issue, step.as_deref());
        }
    }

    /// Show `issue` (and its step `step`) once the project being opened is
    /// open, or now if one is (`embargo open FILE --issue ID --step KEY`).
    pub fn land_on(&mut self, issue: String, step: Option<String>) {
        if self.doc.is_some() && !self.jobs.is_running("open") {
            self.land(&issue, step.as_deref());
        } else {
            self.landing = Some((issue, step));
        }
    }

    pub(super) fn land(&mut self, issue: &str, step: Option<&str>) {
        let Some(doc) = &self.doc else { return };
        if doc.project.issue(issue).is_none() {
            self.notice(format!("there is no issue {issue} in this project"));
            return;
        }
        self.select_issue(issue);
        let Some(key) = step else { return };
        let index = self
            .doc
            .as_ref()
            .and_then(|d| d.playbook.steps.iter().position(|s| s.key() == key));
        match index {
            Some(i) => self.select_step(i),
            None => self.notice(format!("the playbook has no step {key}")),
        }
    }

    pub(super) fn select_issue(&mut self, id: &str) {
        self.commit_draft();
        let Some(doc) = &self.doc else { return };
        let Some(issue) = doc.project.issue(id) else {
            return;
        };
        let states = playbook::step_states(&doc.project, issue, &doc.playbook, self.clock.now());
        // Land on the first step that can be worked on.
        let step = states
            .iter()
            .position(|s| {
                !s.status.is_settled() && !matches!(s.status, playbook::Status::Blocked(_))
            })
            .unwrap_or(0);
        self.view.selected_issue = Some(id.to_owned());
        self.view.draft = Some(issue.clone());
        self.view.release_form = None;
        self.select_step(step);
    }

    pub(super) fn select_step(&mut self, index: usize) {
        self.commit_draft();
        self.view.selected_step = index;
        self.view.draft_step = self.selected_step_key();
        self.view.step_line.clear();
    }

    /// Undo the last field edit (committing one still being typed first).
    pub(super) fn undo(&mut self) {
        self.commit_draft();
        let Some(doc) = &mut self.doc else { return };
        match doc.undo.take() {
            Some((before, what)) => {
                doc.project = before;
                doc.touch();
                self.refresh_draft();
                self.notice(format!("undid {what}"));
            }
            None => self.notice(
                "nothing to undo: only the last field edit can be undone (steps and journal entries stay)",
            ),
        }
    }
}
