//! The team's repository in the app: File › Sync and the status bar's Sync
//! button save the project and run `workflows::sync::sync` in a job (the
//! function `embargo sync` runs), the conflicts window's "Merge and sync"
//! runs it again with the resolutions picked, and where the project stands
//! is read after it is opened, saved or synced. A project changed while a
//! sync ran is merged with what the sync brought (`core::merge`, with the
//! project as saved when the sync started as the base), so nothing typed
//! meanwhile is lost. The members window adds and removes members through
//! `ops::set_members`, as `embargo members` does.

use std::path::PathBuf;

use crate::adapters::openpgp::atrest::Opener;
use crate::adapters::openpgp::mime;
use crate::adapters::store;
use crate::adapters::vault;
use crate::core::merge;
use crate::core::model::Member;
use crate::core::ops;
use crate::ui::command::{Command, JobResult, TeamCommand, TeamDone};
use crate::ui::state::EmbargoApp;
use crate::ui::team::{ConflictsView, MemberForm};
use crate::workflows::sync::{self, Merge, Options, Resolution};

/// The job name of a sync.
const SYNC_JOB: &str = "sync";

impl EmbargoApp {
    pub(in crate::ui) fn apply_team(&mut self, command: TeamCommand) {
        match command {
            TeamCommand::Sync => self.start_sync(Vec::new()),
            TeamCommand::SyncResolved(resolutions) => {
                self.view.team.conflicts = None;
                self.start_sync(resolutions);
            }
            TeamCommand::CloseConflicts => self.view.team.conflicts = None,
            TeamCommand::Refresh => self.refresh_standing(),
            TeamCommand::ToggleMembers => {
                self.view.team.members = match self.view.team.members {
                    Some(_) => None,
                    None => Some(MemberForm::default()),
                };
            }
            TeamCommand::AddMember { member, cert } => match cert {
                None => self.add_member(member),
                Some(path) => self.spawn("certificate", move |_| {
                    let result = mime::import_cert_file(&path)
                        .map(|(fpr, text)| Member {
                            cert_fingerprint: Some(fpr),
                            cert: Some(text),
                            ..member
                        })
                        .map_err(|e| e.to_string());
                    JobResult::Team(TeamDone::MemberCert(result))
                }),
            },
            TeamCommand::RemoveMember(address) => {
                self.open_doc_with(|d, now| ops::remove_member(&mut d.project, &address, now));
            }
        }
    }

    /// Add `member` to the team (journaled) through [`ops::add_member`],
    /// whose refusal the form shows.
    fn add_member(&mut self, member: Member) {
        let Some(doc) = &self.doc else { return };
        // A refusal shows in the form rather than in an error dialog.
        if let Err(e) = ops::check_new_member(&doc.project, &member) {
            if let Some(form) = &mut self.view.team.members {
                form.error = Some(e.to_string());
            }
            return;
        }
        let added = self.open_doc_with(|d, now| ops::add_member(&mut d.project, member, now));
        if added.is_some()
            && let Some(form) = &mut self.view.team.members
        {
            *form = MemberForm::default();
        }
    }

    /// Read where the project stands against its team repository (no
    /// network), for the status bar.
    pub(in crate::ui) fn refresh_standing(&mut self) {
        let Some(path) = self.doc.as_ref().and_then(|d| d.path.clone()) else {
            self.view.team.standing = None;
            return;
        };
        self.spawn("sync status", move |_| {
            let standing = sync::standing(&path, None).map_err(|e| e.to_string());
            JobResult::Team(TeamDone::Standing(path, standing))
        });
    }

    fn start_sync(&mut self, resolutions: Vec<Resolution>) {
        self.commit_draft();
        let Some(doc) = &self.doc else { return };
        let Some(path) = doc.path.clone() else {
            self.fail(
                "This project is not saved yet. Save it in a clone of your team's private \
                 repository (File › Save As), then sync.",
            );
            return;
        };
        let project = doc.project.clone();
        let keeping = doc.keeping.clone();
        let dirty = doc.is_dirty();
        let generation = doc.generation;
        self.spawn(SYNC_JOB, move |p| {
            p.say("saving".to_owned());
            let mut saved = None;
            let outcome = (|| -> Result<sync::Report, String> {
                if dirty {
                    vault::save(&path, &project, &keeping).map_err(|e| e.to_string())?;
                    saved = Some(generation);
                }
                let opener = store::is_sealed(&path).then_some(Opener::Agent {
                    homedir: None,
                    passphrase: None,
                });
                let options = Options {
                    remote: None,
                    allow_hosts: Vec::new(),
                    resolutions,
                    opener: opener.as_ref(),
                };
                sync::sync(&path, &options, p).map_err(|e| e.to_string())
            })();
            // What the file held when the sync started: the base for edits
            // made meanwhile.
            let started_from = Box::new(project);
            JobResult::Team(TeamDone::Synced {
                path,
                started_from,
                saved,
                outcome,
            })
        });
    }

    pub(in crate::ui) fn on_team_job(&mut self, done: TeamDone) {
        match done {
            TeamDone::MemberCert(Ok(member)) => self.add_member(member),
            TeamDone::MemberCert(Err(e)) => {
                if let Some(form) = &mut self.view.team.members {
                    form.error = Some(format!("The certificate cannot be read: {e}"));
                }
            }
            TeamDone::Standing(path, standing) => {
                if self.doc.as_ref().and_then(|d| d.path.as_ref()) == Some(&path) {
                    self.view.team.standing = Some(standing);
                }
            }
            TeamDone::Synced {
                path,
                started_from,
                saved,
                outcome,
            } => {
                if let (Some(generation), Some(doc)) = (saved, &mut self.doc)
                    && doc.path.as_ref() == Some(&path)
                {
                    doc.saved_generation = doc.saved_generation.max(generation);
                }
                self.on_synced(path, *started_from, outcome);
                self.send(Command::Team(TeamCommand::Refresh));
            }
        }
    }

    fn on_synced(
        &mut self,
        path: PathBuf,
        started_from: crate::core::model::Project,
        outcome: Result<sync::Report, String>,
    ) {
        let report = match outcome {
            Ok(r) => r,
            Err(e) => {
                self.fail(format!("Sync failed; nothing was pushed.\n\n{e}"));
                return;
            }
        };
        let same_doc = self.doc.as_ref().and_then(|d| d.path.as_ref()) == Some(&path);
        if report.merge == Merge::Conflict {
            let n = report.conflicts.len();
            self.view.team.conflicts = Some(ConflictsView::new(report.conflicts));
            self.notice(format!(
                "sync stopped: {n} field(s) changed on both sides; nothing was pushed"
            ));
            return;
        }
        if let (Some(synced), true) = (report.project, same_doc) {
            self.take_synced(&started_from, synced);
        }
        let mut said = match report.merge {
            Merge::FastForward => "took the team's changes".to_owned(),
            Merge::Merged => "merged the team's changes with yours".to_owned(),
            _ => "up to date".to_owned(),
        };
        if report.pushed {
            said.push_str(&format!(", pushed to {}/{}", report.remote, report.branch));
        }
        self.done(format!("Synced: {said}"));
    }

    /// Show the project the sync left in the file, with the edits made in
    /// the app while it ran merged in.
    fn take_synced(
        &mut self,
        started_from: &crate::core::model::Project,
        synced: crate::core::model::Project,
    ) {
        self.commit_draft();
        let Some(doc) = &mut self.doc else { return };
        if doc.project == *started_from {
            doc.project = synced;
            doc.undo = None;
            doc.touch();
            doc.saved_generation = doc.generation;
        } else {
            // Where both changed a field, the merge keeps the edit made here.
            let merged = merge::merge(started_from, &doc.project, &synced);
            doc.project = merged.project;
            doc.undo = None;
            // Edits made meanwhile are not saved yet.
            doc.touch();
            if !merged.conflicts.is_empty() {
                let fields: Vec<&str> = merged.conflicts.iter().map(|c| c.path.as_str()).collect();
                let text = format!(
                    "The sync brought values of fields you edited while it ran ({}); your \
                     edits are kept, not saved yet. Sync again to share them.",
                    fields.join(", ")
                );
                self.refresh_draft();
                self.fail(text);
                return;
            }
        }
        self.refresh_draft();
    }
}
