//! The Project › Settings window's commands: open it on a copy of the
//! project's settings, list gpg-agent's secret keys and inspect a key file
//! (in jobs), pick files, and Apply — the settings checked with the rules
//! `embargo settings` keeps (`core::settings`), the playbook loaded in a job
//! when it changes, then one change of the project, journaled.

use std::path::PathBuf;

use crate::adapters::openpgp::KeySource;
use crate::adapters::playbooks;
use crate::core::model::PlaybookRef;
use crate::core::playbook::Playbook;
use crate::core::settings::{self, ProjectSettings};
use crate::ui::command::{JobResult, SettingsCommand, SettingsDone, SettingsFile};
use crate::ui::state::{EmbargoApp, SettingsForm};
use crate::workflows;

const KEYS_JOB: &str = "gpg-agent's keys";
const KEY_JOB: &str = "signing key";

impl EmbargoApp {
    pub(super) fn apply_settings(&mut self, command: SettingsCommand) {
        match command {
            SettingsCommand::Open => {
                self.apply_settings(SettingsCommand::OpenTab(Default::default()))
            }
            SettingsCommand::OpenTab(tab) => {
                if let Some(doc) = &self.doc {
                    let mut form = SettingsForm::of(&doc.project);
                    form.tab = tab;
                    self.view.project_settings = Some(form);
                }
            }
            SettingsCommand::Cancel => self.view.project_settings = None,
            SettingsCommand::ListAgentKeys(homedir) => {
                let Some(form) = self.view.project_settings.as_mut() else {
                    return;
                };
                if self.jobs.running().contains_key(KEYS_JOB) {
                    return;
                }
                form.agent_requested = Some(homedir.clone());
                form.agent_keys = None;
                let now = self.now();
                self.spawn(KEYS_JOB, move |_| {
                    let home = Some(PathBuf::from(&homedir)).filter(|h| !h.as_os_str().is_empty());
                    let keys = workflows::keys::agent_keys(home.as_deref(), now)
                        .map_err(|e| e.to_string());
                    JobResult::Settings(SettingsDone::AgentKeys(homedir, keys))
                });
            }
            SettingsCommand::InspectKey(key) => {
                let Some(form) = self.view.project_settings.as_mut() else {
                    return;
                };
                if self.jobs.running().contains_key(KEY_JOB) {
                    return; // asked again once it is done
                }
                form.key_requested = Some(key.clone());
                let now = self.now();
                self.spawn(KEY_JOB, move |_| {
                    let info = workflows::keys::inspect(&KeySource::from_project(&key), now)
                        .map_err(|e| e.to_string());
                    JobResult::Settings(SettingsDone::Key(key, info))
                });
            }
            SettingsCommand::Browse(file) => self.spawn("file dialog", move |_| {
                let dialog = rfd::FileDialog::new();
                let dialog = match file {
                    SettingsFile::KeyFile => dialog
                        .set_title("Signing key file")
                        .add_filter("Armored keys", &["asc", "key", "gpg"]),
                    SettingsFile::SmtpCa => dialog
                        .set_title("CA certificate of the SMTP server")
                        .add_filter("PEM certificates", &["pem", "crt"]),
                    SettingsFile::Playbook => dialog
                        .set_title("Playbook file")
                        .add_filter("Playbooks", &["ron", "toml"]),
                };
                let path = dialog.add_filter("All files", &["*"]).pick_file();
                JobResult::Settings(SettingsDone::Picked(file, path))
            }),
            SettingsCommand::Apply(s) => self.apply_project_settings(*s),
        }
    }

    /// Apply checked settings; a changed playbook is loaded first, in a job.
    fn apply_project_settings(&mut self, s: ProjectSettings) {
        if let Err(e) = settings::check(&s) {
            self.refuse_settings(e.to_string());
            return;
        }
        let Some(doc) = &self.doc else { return };
        if s == ProjectSettings::of(&doc.project) {
            // Nothing changed: nothing to journal, nothing to save.
            self.view.project_settings = None;
            return;
        }
        if s.playbook == doc.project.playbook {
            self.commit_settings(s, None);
            return;
        }
        if let Some(form) = self.view.project_settings.as_mut() {
            form.applying = true;
        }
        let file = doc.path.clone();
        self.spawn("loading the playbook", move |_| {
            let book = playbooks::load(&s.playbook, file.as_deref()).map_err(|e| e.to_string());
            JobResult::Settings(SettingsDone::Playbook(Box::new(s), book))
        });
    }

    fn refuse_settings(&mut self, error: String) {
        match self.view.project_settings.as_mut() {
            Some(form) => {
                form.applying = false;
                form.error = Some(error.clone());
                self.failed(error);
            }
            None => self.fail(error),
        }
    }

    fn commit_settings(&mut self, s: ProjectSettings, playbook: Option<Playbook>) {
        let changed = self.open_doc_with(|d, now| {
            settings::apply(&mut d.project, s, now)?;
            if let Some(book) = playbook {
                d.playbook = book;
            }
            Ok(())
        });
        if changed.is_some() {
            let steps = self.doc.as_ref().map_or(0, |d| d.playbook.steps.len());
            if self.view.selected_step >= steps {
                self.view.selected_step = 0;
            }
            self.view.project_settings = None;
            self.view.signing.key = None;
            self.view.signing.key_requested = None;
            self.view.git.requested = None;
            self.view.release_form = None;
            self.done("Project settings applied");
        }
    }

    pub(super) fn on_settings_job(&mut self, done: SettingsDone) {
        match done {
            SettingsDone::Playbook(s, book) => match book {
                Ok(book) => self.commit_settings(*s, Some(book)),
                Err(e) => {
                    let place = settings::PLAYBOOK;
                    let name = match &s.playbook {
                        PlaybookRef::Builtin(n) => n.clone(),
                        PlaybookRef::File(f) => f.clone(),
                    };
                    self.refuse_settings(format!(
                        "the playbook {name} cannot be loaded: {e}; fix it in {place}"
                    ));
                }
            },
            other => {
                let Some(form) = self.view.project_settings.as_mut() else {
                    return;
                };
                match other {
                    SettingsDone::AgentKeys(home, keys) => form.agent_keys = Some((home, keys)),
                    SettingsDone::Key(key, info) => form.key_info = Some((key, info)),
                    SettingsDone::Picked(_, None) => {}
                    SettingsDone::Picked(file, Some(path)) => {
                        let path = path.display().to_string();
                        match file {
                            SettingsFile::KeyFile => form.key_file = path,
                            SettingsFile::SmtpCa => form.settings.mail.smtp_ca = path,
                            SettingsFile::Playbook => form.playbook_file = path,
                        }
                    }
                    SettingsDone::Playbook(..) => {}
                }
            }
        }
    }
}
