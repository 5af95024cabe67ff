//! What the app does with each command, by topic: `file` (open, save,
//! new, the example, the file dialogs, preferences, quitting), `issue`
//! (selection, the issue list, steps, the release plan, time settings,
//! undo), `export` (write-up, reply, calendar, CVE record), `settings` (the
//! Project › Settings window), `team` (Sync and its conflicts) and `jobs` (what a finished background job
//! hands back). The signing, git, download and
//! mail panels keep their handlers beside their views (`apply_signing`,
//! `apply_git`, `apply_share`, `apply_mail`). This module routes: one arm
//! per command, and the queue that runs them after drawing — a command
//! raised while one is handled waits in the queue, never recursed.

mod export;
mod file;
mod issue;
mod jobs;
mod repo;
mod settings;
mod steps;
mod team;

use crate::ui::command::{Command, PER_FRAME, Queue};
use crate::ui::state::{EmbargoApp, HANDLED_KEPT};

impl EmbargoApp {
    /// Handle the queued commands, and those they raise, in order (at most
    /// [`PER_FRAME`]; the rest wait for the next frame).
    pub(crate) fn run_commands(&mut self) {
        if Queue::run(self, |a| &mut a.commands, PER_FRAME, Self::handle) {
            self.ctx.request_repaint();
        }
    }

    /// Apply one command now, then whatever it raised (for callers outside
    /// a frame: tests, benchmarks, start-up).
    pub fn apply(&mut self, command: Command) {
        self.handle(command);
        self.run_commands();
    }

    /// Handle one command; what it raises is queued.
    fn handle(&mut self, command: Command) {
        if self.handled.len() == HANDLED_KEPT {
            self.handled.pop_front();
        }
        self.handled.push_back(command.clone());
        if matches!(
            command,
            Command::NewProject { .. } | Command::OpenExample | Command::Open(_)
        ) && !self.guard_unsaved(&command)
        {
            return;
        }
        match command {
            Command::NewProject { name, playbook } => self.new_project(name, playbook),
            Command::OpenExample => self.open_example(),
            Command::Open(path) => self.open(path),
            Command::SetUnlockKey(key) => self.set_unlock_key(key),
            Command::OpenEncrypted(path) => self.open_encrypted(path),
            Command::Save => self.save(),
            Command::SaveAs(path) => self.save_as(path),
            Command::SaveAndQuit => self.save_and_quit(),
            Command::AskPath(purpose) => self.ask_path(purpose),
            Command::Browse(purpose) => self.browse(purpose),
            Command::SetPrefs(prefs) => self.set_prefs(prefs),
            Command::DiscardChanges => self.discard_changes(),
            Command::Close => self.close_asked = true,
            Command::Quit => self.quit(),
            Command::Undo => self.undo(),
            Command::SelectIssue(id) => self.select_issue(&id),
            Command::NeighbourIssue { down } => self.neighbour_issue(down),
            Command::AddIssue(title) => self.add_issue(title),
            Command::RenameIssue { id, title } => self.rename_issue(id, title),
            Command::DeleteIssue(id) => self.delete_issue(id),
            Command::SelectStep(i) => self.select_step(i),
            Command::NeighbourStep { forward } => self.neighbour_step(forward),
            Command::MarkStep { key, action, note } => self.mark_step(key, action, note),
            Command::MarkSelectedStepDone => self.mark_selected_step_done(),
            Command::Acknowledge { key, check } => self.acknowledge(key, check),
            Command::PlanRelease { version, planned } => self.plan_release(version, planned),
            Command::PublishNow => self.publish_now(),
            Command::MoveMilestone { milestone, at } => self.move_milestone(milestone, at),
            Command::SetTime(time) => self.set_time(time),
            Command::WriteCalendar(path) => self.write_calendar(path),
            Command::ShowWriteUp => self.show_write_up(),
            Command::DraftReply(reason) => self.draft_reply(reason),
            Command::WriteWriteUp(path) => self.write_write_up(path),
            Command::WriteCveRecord(path) => self.write_cve_record(path),
            Command::WriteReleaseDocument(format, path) => {
                self.write_release_document(format, path);
            }
            Command::Notice(text) => self.notice(text),
            Command::DismissError => self.dismiss_error(),
            Command::DismissPopup(id) => {
                for n in self.notices.iter_mut().filter(|n| n.id == id) {
                    n.popup = false;
                }
            }
            Command::ToggleJournal => self.view.show_journal = !self.view.show_journal,
            Command::Ask(confirm) => self.view.confirm = Some(*confirm),
            Command::Signing(c) => self.apply_signing(c),
            Command::Git(c) => self.apply_git(c),
            Command::Share(c) => self.apply_share(c),
            Command::Mail(c) => self.apply_mail(c),
            Command::Unpublish => self.unpublish(),
            Command::ToggleDue => self.view.show_due = !self.view.show_due,
            Command::Settings(c) => self.apply_settings(c),
            Command::ReplaceFile { path, retry } => self.replace_file(path, *retry),
            Command::FocusStepForm => self.view.focus_form = self.view.draft.is_some(),
            Command::Repo(c) => self.apply_repo(c),
            Command::Team(c) => self.apply_team(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::core::ports::FixedClock;
    use crate::ui::command::PathPurpose;
    use crate::ui::state::Startup;

    fn example() -> EmbargoApp {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .expect("valid")
            .with_timezone(&chrono::Utc);
        EmbargoApp::new(
            &egui::Context::default(),
            Startup::Example,
            Arc::new(FixedClock(now)),
            None,
        )
    }

    #[test]
    fn a_command_raised_while_handling_one_is_queued_behind_the_others() {
        let mut app = example();
        assert!(app.doc.as_ref().is_some_and(|d| d.path.is_none()));
        app.handled.clear();
        // Save of a never-saved project raises "ask for a path".
        app.send(Command::Save);
        app.send(Command::Notice("after save".into()));
        app.run_commands();
        let order: Vec<&Command> = app.handled().collect();
        assert_eq!(
            order,
            [
                &Command::Save,
                &Command::Notice("after save".into()),
                &Command::AskPath(PathPurpose::SaveAs),
            ],
            "handled in the order raised, not recursed"
        );
        assert!(app.view.path_dialog.is_some());
        assert!(app.commands.is_empty());
    }

    #[test]
    fn handling_one_command_does_not_handle_what_it_raises() {
        let mut app = example();
        app.handle(Command::Save);
        assert!(app.view.path_dialog.is_none(), "not asked yet");
        assert_eq!(
            app.commands.iter().collect::<Vec<_>>(),
            [&Command::AskPath(PathPurpose::SaveAs)]
        );
        app.run_commands();
        assert!(app.view.path_dialog.is_some());
    }

    #[test]
    fn a_frame_handles_at_most_its_share_and_the_next_frame_the_rest() {
        let mut app = example();
        for i in 0..PER_FRAME + 5 {
            app.send(Command::Notice(format!("n{i}")));
        }
        app.run_commands();
        assert_eq!(app.commands.len(), 5);
        app.run_commands();
        assert!(app.commands.is_empty());
        assert_eq!(
            app.notices.last().map(|n| n.text.as_str()),
            Some(format!("n{}", PER_FRAME + 4).as_str())
        );
    }
}
