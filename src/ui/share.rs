//! The embargoed-download panel: make credentials for every private list
//! that has none, rotate or revoke one list's, and write the web server's
//! files; new passwords are shown once, with a copy button, until hidden.
//! Hashing and writing run in a job; passwords are zeroized when hidden.
//! Once the release is marked published its credentials expire at once
//! ([`ShareCommand::Expire`]). Every job is a call of
//! [`crate::workflows::share`], as `embargo share` is.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use super::command::{Command, Confirm, JobResult, Made, ShareCommand, ShareDone};
use super::state::{EmbargoApp, SharePanel};
use crate::core::model::{Project, ShareState};
use crate::core::ports::Watch;
use crate::workflows::share as files;

fn job(
    file: Option<PathBuf>,
    project: Project,
    issue: String,
    command: ShareCommand,
    now: DateTime<Utc>,
    watch: &dyn Watch,
) -> Result<Made, String> {
    if command == ShareCommand::Expire {
        // A project never saved has no download directory beside it.
        let out = file.and_then(|f| files::default_out(&project, &issue, &f).ok());
        let done = files::expire_after_publication(&project, &issue, out.as_deref(), now)
            .map_err(|e| e.to_string())?;
        let dir = done.as_ref().filter(|d| !d.files.is_empty()).and(out);
        return Ok(Made {
            prepared: done,
            dir,
        });
    }
    let file = file.ok_or(
        "Save the project first: the download's files are written in a directory beside it.",
    )?;
    let (mut rotate, mut revoke) = (Vec::new(), Vec::new());
    match command {
        ShareCommand::Rotate(list) => rotate.push(list),
        ShareCommand::Revoke(list) => revoke.push(list),
        _ => {}
    }
    let request =
        files::app_request(&project, &issue, &file, rotate, revoke).map_err(|e| e.to_string())?;
    let done = files::prepare(&project, &request, now, watch).map_err(|e| e.to_string())?;
    Ok(Made {
        prepared: Some(done),
        dir: Some(request.out),
    })
}

impl EmbargoApp {
    /// Apply a share-panel command.
    pub(super) fn apply_share(&mut self, command: ShareCommand) {
        match &command {
            ShareCommand::Hide => {
                self.view.share.shown.clear();
                return;
            }
            ShareCommand::Mail(list) => {
                self.compose_fix_availability(list);
                return;
            }
            ShareCommand::SetUrl(url) => {
                self.open_doc_with(|d, now| {
                    crate::core::ops::set_embargo_url(&mut d.project, url, now);
                    Ok(())
                });
                return;
            }
            _ => {}
        }
        let (Some(doc), Some(issue)) = (&self.doc, self.view.selected_issue.clone()) else {
            return;
        };
        let (file, project, now) = (doc.path.clone(), doc.project.clone(), self.now());
        self.spawn_job("download credentials", move |progress| {
            JobResult::Share(ShareDone::Made(job(
                file, project, issue, command, now, progress,
            )))
        });
    }

    /// Handle the job's result.
    pub(super) fn on_share_job(&mut self, done: ShareDone) {
        let ShareDone::Made(result) = done;
        match result {
            Ok(Made { prepared, dir }) => {
                let (Some(issue), Some(mut prepared)) =
                    (self.view.selected_issue.clone(), prepared)
                else {
                    return;
                };
                let recorded = !prepared.changed()
                    || self
                        .open_doc_with(|d, now| {
                            files::record(&mut d.project, &issue, &prepared, now)
                        })
                        .is_some();
                if !recorded {
                    return;
                }
                if prepared.expired > 0 {
                    // The passwords shown no longer let anyone in.
                    self.view.share.shown.clear();
                }
                self.view.share.shown.append(&mut prepared.made);
                if prepared.expired > 0 {
                    self.done(format!(
                        "the release is public: {} download credential(s) expired",
                        prepared.expired
                    ));
                }
                if let Some(dir) = dir {
                    if prepared.expired == 0 {
                        self.done(format!("wrote the download's files in {}", dir.display()));
                    }
                    self.view.share.written = Some(dir);
                }
            }
            Err(e) => self.fail(e),
        }
    }
}

/// Draw the panel for the selected issue's release.
pub(super) fn panel(
    ui: &mut egui::Ui,
    panel: &SharePanel,
    release: Option<&crate::core::model::Release>,
    url: &str,
    commands: &mut Vec<Command>,
) {
    let send = |commands: &mut Vec<Command>, c| commands.push(Command::Share(c));
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.label(egui::RichText::new("Embargoed download").strong());
        let Some(release) = release else {
            ui.label("Plan the release first: the credentials belong to it.");
            return;
        };
        ui.horizontal(|ui| {
            // The text being typed lives in egui's memory until Enter or
            // leaving the field sends it.
            let id = ui.make_persistent_id("embargo url");
            let mut text = ui
                .data_mut(|d| d.get_temp::<String>(id))
                .unwrap_or_else(|| url.to_owned());
            let label = ui.label("Download address");
            let edit = ui
                .add(
                    egui::TextEdit::singleline(&mut text)
                        .hint_text("https://share.example.org/embargo/{version}/")
                        .desired_width(340.0),
                )
                .labelled_by(label.id)
                .on_hover_text("Where the web server serves the release's files; {version} marks the version. The fix-availability mail states it.");
            if edit.lost_focus() && text.trim() != url.trim() {
                send(commands, ShareCommand::SetUrl(text.clone()));
            }
            if edit.has_focus() {
                ui.data_mut(|d| d.insert_temp(id, text));
            } else {
                ui.data_mut(|d| d.remove::<String>(id));
            }
        });
        if url.trim().is_empty() {
            ui.weak("Set the download address (here, or Project › Settings › Publication › Embargoed download address) so the fix-availability mail can state it.");
        }
        if ui
            .button("Make download credentials")
            .on_hover_text("One usercode per private list without one; writes .htpasswd, .htdigest and nginx/Apache configuration")
            .clicked()
        {
            send(commands, ShareCommand::Make);
        }
        for c in &release.shares {
            ui.horizontal(|ui| {
                let state = match c.state {
                    ShareState::Active => "active",
                    ShareState::Revoked => "revoked",
                    ShareState::Expired => "expired",
                };
                ui.label(format!("{}  ({})  {state}", c.list, c.user));
                if c.state == ShareState::Active {
                    let ask = |message: String, yes: &str, then: ShareCommand| {
                        Command::Ask(Box::new(Confirm {
                            message,
                            yes: yes.to_owned(),
                            command: Command::Share(then),
                            discard_first: false,
                        }))
                    };
                    if ui
                        .small_button("Rotate")
                        .on_hover_text("A new password for this list; the old one stops working")
                        .clicked()
                    {
                        commands.push(ask(
                            format!(
                                "Rotate the download password of {}? The one they have stops \
                                 working at once; mail them the new one.",
                                c.list
                            ),
                            "Rotate",
                            ShareCommand::Rotate(c.list.clone()),
                        ));
                    }
                    if ui
                        .small_button("Revoke")
                        .on_hover_text("This list can no longer download the files")
                        .clicked()
                    {
                        commands.push(ask(
                            format!(
                                "Revoke the download access of {}? They can no longer fetch \
                                 the embargoed files; this cannot be undone.",
                                c.list
                            ),
                            "Revoke",
                            ShareCommand::Revoke(c.list.clone()),
                        ));
                    }
                }
            });
        }
        if !panel.shown.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Shown once, never stored: mail each to its list now (or copy it).",
            );
            for s in &panel.shown {
                ui.label(format!("{}  (user {})", s.list, s.user));
                ui.horizontal(|ui| {
                    ui.add_space(16.0);
                    ui.monospace(s.password.as_str());
                    if ui
                        .small_button("Copy")
                        .on_hover_text(format!("Copy the password of {}", s.list))
                        .clicked()
                    {
                        ui.ctx().copy_text(s.password.to_string());
                    }
                    if ui
                        .small_button("Mail it")
                        .on_hover_text(format!(
                            "Compose the fix-availability mail to {} with these credentials (sent encrypted)",
                            s.list
                        ))
                        .clicked()
                    {
                        send(commands, ShareCommand::Mail(s.list.clone()));
                    }
                });
            }
            if ui.button("Hide passwords").clicked() {
                send(commands, ShareCommand::Hide);
            }
        }
        if let Some(dir) = &panel.written {
            ui.label(egui::RichText::new(format!("Files in {}", dir.display())).weak());
        }
    });
}
