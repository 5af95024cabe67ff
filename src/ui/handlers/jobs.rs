//! What the app does with a finished background job's result: a project
//! opened or saved, a path picked, the recent list and the preferences
//! read, a file written, a failure; each panel's results go to its own
//! handler. What a result asks for next is queued, not run inside.

use crate::ui::command::{Command, JobResult, PathPurpose, TeamCommand};
use crate::ui::state::{Document, EmbargoApp};

impl EmbargoApp {
    pub(in crate::ui) fn on_job(&mut self, result: JobResult) {
        match result {
            JobResult::Opened {
                path,
                project,
                playbook,
                lock,
                keeping,
            } => {
                if let Some(notice) = lock.takeover_notice() {
                    self.notice(notice);
                }
                self.recent.retain(|p| p != &path);
                self.recent.insert(0, path.clone());
                let mut doc = Document::new(Some(path.clone()), project, playbook, Some(lock));
                let encrypted = keeping.describe().map(str::to_owned);
                doc.keeping = keeping;
                self.set_document(doc);
                self.send(Command::Team(TeamCommand::Refresh));
                self.done(match encrypted {
                    Some(to) => format!("opened {}, kept encrypted to {to}", path.display()),
                    None => format!("opened {}", path.display()),
                });
            }
            JobResult::Saved {
                path,
                generation,
                lock,
            } => {
                if let Some(doc) = &mut self.doc {
                    if lock.is_some() {
                        doc.lock = lock;
                        doc.path = Some(path.clone());
                        self.recent.retain(|p| p != &path);
                        self.recent.insert(0, path.clone());
                    }
                    if doc.path.as_deref() == Some(path.as_path()) {
                        doc.saved_generation = doc.saved_generation.max(generation);
                    }
                }
                self.send(Command::Team(TeamCommand::Refresh));
                if std::mem::take(&mut self.autosaving) {
                    self.notice(format!("saved {}", path.display()));
                } else {
                    self.done(format!("saved {}", path.display()));
                }
                if self.quit_after_save && !self.doc.as_ref().is_some_and(Document::is_dirty) {
                    self.quit_after_save = false;
                    self.send(Command::Quit);
                }
            }
            JobResult::Picked { purpose, path } => match path {
                Some(p) => {
                    self.view.path_dialog = None;
                    self.send(match purpose {
                        PathPurpose::Open => Command::Open(p),
                        PathPurpose::SaveAs => Command::SaveAs(p),
                        PathPurpose::WriteUp => Command::WriteWriteUp(p),
                        PathPurpose::Calendar => Command::WriteCalendar(p),
                        PathPurpose::CveRecord => Command::WriteCveRecord(p),
                        PathPurpose::ReleaseDocument(f) => Command::WriteReleaseDocument(f, p),
                        PathPurpose::ProjectKey => Command::SetUnlockKey(p),
                    });
                }
                None => self.notice("no file chosen (type the path instead if no dialog appeared)"),
            },
            JobResult::Prefs(prefs) => self.prefs = prefs,
            JobResult::Recent(list) => {
                for p in list {
                    if !self.recent.contains(&p) {
                        self.recent.push(p);
                    }
                }
                if std::mem::take(&mut self.startup_pending) {
                    match self.recent.first().filter(|p| p.exists()).cloned() {
                        Some(p) => self.send(Command::Open(p)),
                        None => self.send(Command::OpenExample),
                    }
                }
            }
            JobResult::Wrote(path) => self.done(format!("wrote {}", path.display())),
            JobResult::Exists { path, retry } => self.ask_replace(path, retry),
            JobResult::Signing(done) => self.on_signing_job(done),
            JobResult::Git(done) => self.on_git_job(done),
            JobResult::Share(done) => self.on_share_job(done),
            JobResult::Mail(done) => self.on_mail_job(done),
            JobResult::Settings(done) => self.on_settings_job(done),
            JobResult::Repo(done) => self.on_repo_job(done),
            JobResult::Team(done) => self.on_team_job(done),
            JobResult::Failed { what, error } => {
                self.quit_after_save = false;
                self.autosaving = false;
                self.fail(format!("{what} failed.\n\n{error}"));
            }
        }
    }
}
