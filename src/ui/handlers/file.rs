//! File and window commands: a new project, the example, opening (an
//! encrypted project through its key dialog), saving and Save As in jobs,
//! the path dialog and the system file dialog, the display preferences,
//! discarding changes and quitting.

use std::path::{Path, PathBuf};

use crate::adapters::openpgp::atrest::Opener;
use crate::adapters::vault::{self, Keeping};
use crate::adapters::{playbooks, recent, store};
use crate::core::model::{PlaybookRef, Project};
use crate::core::playbook::{self, Playbook};
use crate::core::render;
use crate::ui::command::{Command, Confirm, JobResult, PathPurpose};
use crate::ui::state::{Document, EmbargoApp, UnlockDialog};

impl EmbargoApp {
    pub(super) fn new_project(&mut self, name: String, playbook: String) {
        match playbook::builtin(&playbook) {
            Ok(book) => {
                let project = Project::new(name.trim(), PlaybookRef::Builtin(playbook));
                self.set_document(Document::new(None, project, book, None));
                self.notice("new project: add its first issue on the left, then save it");
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn open_example(&mut self) {
        let opened = store::example().map_err(|e| e.to_string()).and_then(|p| {
            playbooks::load(&p.playbook, None)
                .map(|b| (p, b))
                .map_err(|e| e.to_string())
        });
        match opened {
            Ok((project, book)) => {
                // Its release moves into the coming days once past (core::age).
                let (project, weeks) = crate::core::age::aged(&project, self.clock.now());
                self.set_document(Document::new(None, project, book, None));
                self.notice(crate::core::age::example_notice(weeks));
            }
            Err(e) => self.fail(format!("The example project cannot be opened: {e}")),
        }
    }

    pub(super) fn open(&mut self, path: PathBuf) {
        if self.doc.as_ref().and_then(|d| d.path.as_ref()) == Some(&path) {
            self.notice(format!("{} is already open", path.display()));
            return;
        }
        if store::is_sealed(&path) {
            self.view.unlock = Some(UnlockDialog::new(path));
            return;
        }
        self.start_open(path, None);
    }

    pub(super) fn set_unlock_key(&mut self, key: PathBuf) {
        if let Some(u) = &mut self.view.unlock {
            u.key_file = Some(key);
            u.use_key_file = true;
        }
    }

    pub(super) fn open_encrypted(&mut self, path: PathBuf) {
        let Some(mut dialog) = self.view.unlock.take() else {
            return;
        };
        if dialog.path != path {
            self.view.unlock = Some(dialog);
            return;
        }
        let opener = dialog.opener();
        self.start_open(path, Some(opener));
    }

    /// Save to the document's path (in a job), or ask for one.
    pub(super) fn save(&mut self) {
        self.commit_draft();
        let Some(doc) = &self.doc else { return };
        match doc.path.clone() {
            None => self.send(Command::AskPath(PathPurpose::SaveAs)),
            Some(path) => self.start_save(path, false),
        }
    }

    pub(super) fn save_as(&mut self, path: PathBuf) {
        self.commit_draft();
        // An encrypted project stays encrypted, under a name that says so.
        let sealed = self
            .doc
            .as_ref()
            .is_some_and(|d| matches!(d.keeping, Keeping::Sealed(_)));
        let path = if sealed && !store::is_sealed(&path) {
            store::sealed_path(&path)
        } else {
            path
        };
        let same = self.doc.as_ref().and_then(|d| d.path.as_ref()) == Some(&path);
        self.start_save(path, !same);
    }

    /// Save, and quit once saved (the prompt on close).
    pub(super) fn save_and_quit(&mut self) {
        self.quit_after_save = true;
        self.view.close_prompt = false;
        self.save();
    }

    pub(super) fn ask_path(&mut self, purpose: PathPurpose) {
        let suggestion = match purpose {
            PathPurpose::SaveAs => self
                .doc
                .as_ref()
                .map(|d| {
                    format!(
                        "{}{}",
                        crate::core::model::slug(&d.project.name),
                        store::EXTENSION
                    )
                })
                .unwrap_or_default(),
            PathPurpose::WriteUp => self
                .view
                .selected_issue
                .as_ref()
                .map(|id| format!("{id}-writeup.md"))
                .unwrap_or_default(),
            PathPurpose::Calendar => self
                .view
                .selected_issue
                .as_ref()
                .map(|id| format!("{id}-timeline.ics"))
                .unwrap_or_default(),
            PathPurpose::CveRecord => self
                .view
                .draft
                .as_ref()
                .map(render::cve::file_name)
                .unwrap_or_default(),
            PathPurpose::ReleaseDocument(f) => self
                .doc
                .as_ref()
                .zip(self.view.draft.as_ref())
                .and_then(|(d, i)| {
                    let r = d.project.release_of(&i.id)?;
                    Some(crate::workflows::export::release_document_name(
                        &d.project, r, f,
                    ))
                })
                .unwrap_or_default(),
            PathPurpose::Open | PathPurpose::ProjectKey => String::new(),
        };
        // A name made from data is offered only if it stays where it is saved.
        let suggestion = crate::core::model::safe_file_name(&suggestion)
            .map(str::to_owned)
            .unwrap_or_default();
        self.view.path_dialog = Some((purpose, suggestion));
    }

    pub(super) fn browse(&mut self, purpose: PathPurpose) {
        self.spawn("file dialog", move |_| {
            let dialog = rfd::FileDialog::new();
            let path = match purpose {
                PathPurpose::Open => dialog
                    .add_filter("Embargo project", &["ron", "pgp"])
                    .pick_file(),
                PathPurpose::ProjectKey => dialog
                    .add_filter("OpenPGP secret key", &["asc", "gpg", "key", "pgp"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                PathPurpose::SaveAs => dialog.add_filter("Embargo project", &["ron"]).save_file(),
                PathPurpose::WriteUp => dialog
                    .add_filter("Markdown", &["md"])
                    .add_filter("HTML", &["html", "htm"])
                    .save_file(),
                PathPurpose::Calendar => dialog.add_filter("iCalendar", &["ics"]).save_file(),
                PathPurpose::CveRecord => dialog.add_filter("CVE JSON 5", &["json"]).save_file(),
                PathPurpose::ReleaseDocument(_) => dialog.add_filter("JSON", &["json"]).save_file(),
            };
            JobResult::Picked { purpose, path }
        });
    }

    pub(super) fn set_prefs(&mut self, prefs: crate::adapters::prefs::Prefs) {
        self.prefs = prefs.clamped();
        if let Some(dir) = self.config_dir.clone() {
            let prefs = self.prefs;
            self.spawn("preferences", move |_| {
                match crate::adapters::prefs::save(&dir, &prefs) {
                    Ok(()) => JobResult::Prefs(prefs),
                    Err(e) => JobResult::Failed {
                        what: "saving the display preferences".into(),
                        error: e.to_string(),
                    },
                }
            });
        }
    }

    /// Discard unsaved changes of a never-saved document (after the user confirmed).
    pub(super) fn discard_changes(&mut self) {
        if let Some(doc) = &mut self.doc {
            doc.saved_generation = doc.generation;
        }
    }

    pub(super) fn quit(&mut self) {
        self.close_confirmed = true;
        self.view.close_prompt = false;
        self.quit_requested = true;
    }

    /// Before replacing the open document: save its pending changes if it has
    /// a file, or ask before discarding them if it never had one. Returns
    /// whether to go on now.
    pub(super) fn guard_unsaved(&mut self, next: &Command) -> bool {
        let Some(doc) = &self.doc else { return true };
        if !doc.is_dirty() {
            return true;
        }
        if doc.path.is_some() {
            // Now, not queued: the save must take this document, not the next.
            self.save();
            return true;
        }
        self.view.confirm = Some(Confirm {
            message: "The current project has never been saved. Discard its changes?".into(),
            yes: "Discard changes".into(),
            command: next.clone(),
            discard_first: true,
        });
        false
    }

    /// Open `path` in a job; `opener` is the key of an encrypted project.
    pub(super) fn start_open(&mut self, path: PathBuf, opener: Option<Opener>) {
        let config_dir = self.config_dir.clone();
        self.spawn("open", move |p| {
            p.say(format!("opening {}", path.display()));
            match open_job(&path, config_dir.as_deref(), opener) {
                Ok((project, playbook, lock, keeping)) => JobResult::Opened {
                    path,
                    project,
                    playbook,
                    lock,
                    keeping,
                },
                Err(error) => JobResult::Failed {
                    what: format!("Opening {}", path.display()),
                    error,
                },
            }
        });
    }

    pub(super) fn start_save(&mut self, path: PathBuf, new_location: bool) {
        let Some(doc) = &self.doc else { return };
        let project = doc.project.clone();
        let keeping = doc.keeping.clone();
        let generation = doc.generation;
        let config_dir = self.config_dir.clone();
        self.view.path_dialog = None;
        self.spawn("save", move |p| {
            p.say(format!("saving {}", path.display()));
            let lock = if new_location {
                match store::ProjectLock::acquire(&path, "embargo (desktop app)") {
                    Ok(l) => Some(l),
                    Err(e) => {
                        return JobResult::Failed {
                            what: format!("Saving {}", path.display()),
                            error: e.to_string(),
                        };
                    }
                }
            } else {
                None
            };
            match vault::save(&path, &project, &keeping) {
                Ok(()) => {
                    if new_location && let Some(dir) = &config_dir {
                        let _ = recent::remember(dir, &path);
                    }
                    JobResult::Saved {
                        path,
                        generation,
                        lock,
                    }
                }
                Err(e) => JobResult::Failed {
                    what: format!("Saving {}", path.display()),
                    error: e.to_string(),
                },
            }
        });
    }
}

fn open_job(
    path: &Path,
    config_dir: Option<&Path>,
    opener: Option<Opener>,
) -> Result<(Project, Playbook, store::ProjectLock, Keeping), String> {
    let lock =
        store::ProjectLock::acquire(path, "embargo (desktop app)").map_err(|e| e.to_string())?;
    let (project, keeping) = vault::open(path, || {
        opener.unwrap_or(Opener::Agent {
            homedir: None,
            passphrase: None,
        })
    })
    .map_err(|e| e.to_string())?;
    let playbook = playbooks::load(&project.playbook, Some(path)).map_err(|e| e.to_string())?;
    if let Some(dir) = config_dir {
        let _ = recent::remember(dir, path);
    }
    Ok((project, playbook, lock, keeping))
}
