//! The recipients window (Project › Recipients…) and the notice window
//! (Project › Compose notice…).
//!
//! The recipients window edits a copy of the project's recipients and of
//! the selected issue's notice state in one table (name, address, role,
//! certificate fingerprint, must-encrypt; notified, accepted the embargo,
//! wants the patch), adds rows one by one or from a pasted
//! list of addresses, imports a certificate from a file in a job, and
//! applies everything as one command. The notice window previews a mail
//! rendered from a template, lists the checks it fails, and saves it as an
//! `.eml` file or sends it by SMTP in a background job. A mail that waits
//! for the release to be marked published (and fails no other check) asks
//! first, with a reason that is journaled. The SMTP password
//! and the key passphrase are typed into password fields, moved into the
//! job, zeroized there, and never stored.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::command::MailDone as JobDone;
use super::command::{Command, JobResult, MailCommand};
use super::state::{
    BeforePublication, ComposeForm, ConfirmEarly, Document, EmbargoApp, MailPanel, RecipientsForm,
};
use crate::adapters::mail::SmtpPassword;
use crate::adapters::openpgp::{Passphrase, mime};
use crate::core::model::{NoticeState, Project, Recipient, RecipientRole};
use crate::core::notice as checks;
use crate::core::render::mail::{self as mails, Draft, TEMPLATES};
use crate::workflows::notice;

const PASSWORD_ID: &str = "smtp password";
const PASSPHRASE_ID: &str = "mail key passphrase";

fn role_combo(
    ui: &mut egui::Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    role: &mut RecipientRole,
) -> egui::Response {
    egui::ComboBox::from_id_salt(id)
        .selected_text(role.label())
        .show_ui(ui, |ui| {
            for r in RecipientRole::ALL {
                ui.selectable_value(role, r, r.label());
            }
        })
        .response
}

fn short_fpr(f: &str) -> String {
    let tail: String = f
        .chars()
        .rev()
        .take(16)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    tail
}

/// Draw the recipients window; returns `false` when it is closed.
fn recipients_window(
    ctx: &egui::Context,
    form: &mut RecipientsForm,
    commands: &mut Vec<Command>,
) -> bool {
    let mut open = true;
    let mut close = false;
    // No wider than the screen: the table scrolls sideways instead.
    let fits = ctx.content_rect().width() - 16.0;
    egui::Window::new("Recipients")
        .open(&mut open)
        .default_size([1240.0_f32.min(fits), 480.0])
        .max_width(fits)
        .show(ctx, |ui| {
            match &form.issue {
                Some(id) => ui.label(format!("Notice state for {id}")),
                None => ui.label("Select an issue to see and edit its notice state."),
            };
            if form.recipients.is_empty() {
                ui.label(
                    "No recipients yet: press Add recipient for one, or paste a list of \
                     addresses below. Start with the private maintainers list and \
                     distros@vs.openwall.org.",
                );
            }
            let mut remove = None;
            egui::ScrollArea::both()
                .max_height(300.0)
                .max_width(fits - 24.0)
                // Shown, so that a narrow window's cut-off columns are seen to scroll.
                .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
                .show(ui, |ui| {
                    egui::Grid::new("recipients table")
                        .striped(true)
                        .num_columns(9)
                        .show(ui, |ui| {
                            let heads = [
                                "Name",
                                "Address",
                                "Role",
                                "Certificate",
                                "Encrypt",
                                "Notified",
                                "Accepted",
                                "Wants patch",
                                "",
                            ]
                            .map(|h| ui.strong(h).id);
                            ui.end_row();
                            for (i, r) in form.recipients.iter_mut().enumerate() {
                                // A grid cell narrows a text field to its last width:
                                // give it its size outright.
                                ui.add_sized(
                                    [140.0, 20.0],
                                    egui::TextEdit::singleline(&mut r.name).hint_text("name"),
                                )
                                .labelled_by(heads[0]);
                                // A grid cell narrows a text field to its last width:
                                // give it its size outright.
                                ui.add_sized(
                                    [200.0, 20.0],
                                    egui::TextEdit::singleline(&mut r.address).hint_text("address"),
                                )
                                .labelled_by(heads[1]);
                                role_combo(ui, ("role", i), &mut r.role).labelled_by(heads[2]);
                                ui.horizontal(|ui| {
                                    match &r.cert_fingerprint {
                                        Some(f) => {
                                            ui.monospace(short_fpr(f)).on_hover_text(f.as_str());
                                        }
                                        None => {
                                            ui.weak("none");
                                        }
                                    }
                                    if ui.small_button("Import…").clicked() {
                                        form.cert_row = Some(i);
                                    }
                                });
                                ui.checkbox(&mut r.must_encrypt, "")
                                    .on_hover_text("Mail to them must be encrypted")
                                    .labelled_by(heads[4]);
                                if let Some(n) = form.notices.get_mut(i) {
                                    match n.notified_at {
                                        Some(at) => {
                                            ui.label(at.format("%Y-%m-%d %H:%M").to_string())
                                                .on_hover_text(format!(
                                                    "{} ({})",
                                                    n.message_id, n.template
                                                ));
                                        }
                                        None => {
                                            ui.weak("not yet");
                                        }
                                    }
                                    let text = match n.accepted {
                                        None => "not asked",
                                        Some(true) => "yes",
                                        Some(false) => "no",
                                    };
                                    egui::ComboBox::from_id_salt(("accepted", i))
                                        .selected_text(text)
                                        .show_ui(ui, |ui| {
                                            ui.selectable_value(&mut n.accepted, None, "not asked");
                                            ui.selectable_value(&mut n.accepted, Some(true), "yes");
                                            ui.selectable_value(&mut n.accepted, Some(false), "no");
                                        })
                                        .response
                                        .labelled_by(heads[6]);
                                    ui.checkbox(&mut n.wants_patch, "").labelled_by(heads[7]);
                                } else {
                                    for _ in 0..3 {
                                        ui.weak("–");
                                    }
                                }
                                let name = format!("Remove recipient {}", i + 1);
                                if super::widgets::icon_button(ui, "🗑", &name).clicked() {
                                    remove = Some(i);
                                }
                                ui.end_row();
                            }
                        });
                });
            if let Some(i) = remove {
                form.recipients.remove(i);
                if i < form.notices.len() {
                    form.notices.remove(i);
                }
            }
            if ui.button("Add recipient").clicked() {
                form.recipients
                    .push(Recipient::new("", "", RecipientRole::Vendor));
                if form.issue.is_some() {
                    form.notices.push(NoticeState::default());
                }
            }
            if let Some(row) = form.cert_row {
                ui.separator();
                ui.horizontal(|ui| {
                    let name = form
                        .recipients
                        .get(row)
                        .map(|r| r.address.clone())
                        .unwrap_or_default();
                    let label = ui.label(format!("Certificate file for {name}"));
                    ui.add(egui::TextEdit::singleline(&mut form.cert_path).desired_width(320.0))
                        .labelled_by(label.id);
                    if ui.button("Import certificate").clicked() && !form.cert_path.is_empty() {
                        commands.push(Command::Mail(MailCommand::ImportCert {
                            row,
                            path: PathBuf::from(form.cert_path.trim()),
                        }));
                    }
                    if ui.button("Cancel").clicked() {
                        form.cert_row = None;
                    }
                });
            }
            ui.separator();
            ui.label("Import from a pasted list of addresses (one a line, or comma separated):");
            let label = ui.label("Pasted addresses");
            ui.add(
                egui::TextEdit::multiline(&mut form.pasted)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.horizontal(|ui| {
                let mut role = form.pasted_role.unwrap_or(RecipientRole::Vendor);
                let label = ui.label("Role of the pasted addresses");
                role_combo(ui, "pasted role", &mut role).labelled_by(label.id);
                form.pasted_role = Some(role);
                if ui.button("Add pasted addresses").clicked() {
                    let mut probe =
                        Project::new("", crate::core::model::PlaybookRef::Builtin(String::new()));
                    probe.recipients = form.recipients.clone();
                    let (new, skipped) = mails::parse_pasted(&probe, &form.pasted, role);
                    form.message = Some(if skipped.is_empty() {
                        format!("added {} recipient(s)", new.len())
                    } else {
                        format!(
                            "added {} recipient(s); not addresses: {}",
                            new.len(),
                            skipped.join(", ")
                        )
                    });
                    for r in new {
                        form.recipients.push(r);
                        if form.issue.is_some() {
                            form.notices.push(NoticeState::default());
                        }
                    }
                    form.pasted.clear();
                }
            });
            if let Some(m) = &form.message {
                ui.label(m);
            }
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button("Apply").clicked() {
                    let notices = form.issue.clone().map(|id| {
                        let states = form
                            .recipients
                            .iter()
                            .zip(&form.notices)
                            .map(|(r, n)| NoticeState {
                                recipient: r.address.trim().to_owned(),
                                ..n.clone()
                            })
                            .filter(|n| {
                                !n.recipient.is_empty()
                                    && *n != NoticeState::new(n.recipient.clone())
                            })
                            .collect();
                        (id, states)
                    });
                    commands.push(Command::Mail(MailCommand::SetRecipients {
                        recipients: form
                            .recipients
                            .iter()
                            .filter(|r| !r.address.trim().is_empty())
                            .cloned()
                            .collect(),
                        notices,
                    }));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    open && !close
}

/// The handed-over download password, when the mail goes to exactly the
/// list it belongs to.
fn handed<'a>(to: &[Recipient], share: Option<&'a (String, Zeroizing<String>)>) -> Option<&'a str> {
    notice::carried(
        to,
        share.map(|(list, password)| (Some(list.as_str()), password.as_str())),
    )
}

/// Render the preview of `form` with the shipped templates, and the checks
/// as far as the UI thread can tell (a certificate counts as usable when one
/// is imported; the sending job checks it fully).
fn preview(
    project: &Project,
    playbook: &crate::core::playbook::Playbook,
    form: &ComposeForm,
    share: Option<&(String, Zeroizing<String>)>,
    now: DateTime<Utc>,
) -> Result<(Draft, Vec<checks::Failure>), String> {
    let issue = project
        .issue(&form.issue)
        .ok_or_else(|| format!("no issue {}", form.issue))?;
    let to = mails::pick_recipients(project, &form.to).map_err(|e| e.to_string())?;
    let mut draft = mails::render(
        project,
        playbook,
        issue,
        &form.template,
        None,
        &to,
        handed(&to, share),
        now,
    )
    .map_err(|e| e.to_string())?;
    draft.before_publication = reason_for(form);
    let cert = |r: &Recipient| match &r.cert {
        Some(_) => Ok(()),
        None => Err("no certificate is imported".to_owned()),
    };
    // bcrypt is too slow for every frame: the sending job verifies it.
    let password = |_: &crate::core::model::ShareCredential| Ok(());
    let failures = checks::check(
        project,
        issue,
        &draft,
        now,
        &checks::Verify {
            cert: &cert,
            share_password: &password,
        },
    );
    Ok((draft, failures))
}

/// The reason given to send `form`'s mail before publication, if it was
/// given for this template and these recipients.
fn reason_for(form: &ComposeForm) -> Option<String> {
    form.before_publication
        .as_ref()
        .filter(|b| b.template == form.template && b.to == form.to)
        .map(|b| b.reason.clone())
}

/// The confirmation before a mail goes before publication; returns the
/// command to run once confirmed.
fn confirm_early(ctx: &egui::Context, form: &mut ComposeForm) -> Option<MailCommand> {
    let ask = form.confirm.as_mut()?;
    let mut go = None;
    let mut cancel = false;
    let verb = match ask.action {
        MailCommand::Send => "Send",
        _ => "Save",
    };
    egui::Window::new("Before publication?")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(&ask.message);
            ui.label(
                "Only go ahead if the mail must leave now (the release is public in fact, \
                 or the list agreed). The reason is written into the issue's journal.",
            );
            let label = ui.label("Reason (journaled)");
            ui.add(egui::TextEdit::singleline(&mut ask.reason).desired_width(360.0))
                .labelled_by(label.id);
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        !ask.reason.trim().is_empty(),
                        egui::Button::new(format!("{verb} before publication")),
                    )
                    .clicked()
                {
                    go = Some(ask.action.clone());
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        });
    if let Some(action) = go {
        let reason = ask.reason.trim().to_owned();
        form.before_publication = Some(BeforePublication {
            template: form.template.clone(),
            to: form.to.clone(),
            reason,
        });
        form.confirm = None;
        return Some(action);
    }
    if cancel {
        form.confirm = None;
    }
    None
}

fn compose_window(
    ctx: &egui::Context,
    doc: Option<&Document>,
    panel: &mut MailPanel,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) -> bool {
    let running = panel.running.clone();
    let Some(doc) = doc else {
        return false;
    };
    let mut open = true;
    let Some(form) = panel.compose.as_mut() else {
        return false;
    };
    egui::Window::new(format!("Notice for {}", form.issue))
        .open(&mut open)
        .default_size([680.0, 620.0])
        .show(ctx, |ui| {
            let password_id = ui.make_persistent_id(PASSWORD_ID);
            let passphrase_id = ui.make_persistent_id(PASSPHRASE_ID);
            // Secrets leave their fields for the job: forget their undo history.
            let forget = |ui: &egui::Ui| {
                ui.ctx().data_mut(|d| {
                    d.remove::<egui::text_edit::TextEditState>(password_id);
                    d.remove::<egui::text_edit::TextEditState>(passphrase_id);
                });
            };
            egui::ComboBox::from_label("Template")
                .selected_text(mails::template(&form.template).map_or("choose…", |t| t.title))
                .show_ui(ui, |ui| {
                    for t in &TEMPLATES {
                        ui.selectable_value(&mut form.template, t.name.to_owned(), t.title);
                    }
                });
            ui.horizontal(|ui| {
                let label = ui.label("To (names, roles or addresses; empty: the template's)");
                ui.add(egui::TextEdit::singleline(&mut form.to).desired_width(260.0))
                    .labelled_by(label.id);
            });
            ui.separator();
            if let Some((list, _)) = &panel.share_password {
                ui.label(format!(
                    "Carries the download password of {list} when addressed to it (held in memory only)."
                ));
            }
            let result = preview(
                &doc.project,
                &doc.playbook,
                form,
                panel.share_password.as_ref(),
                now,
            );
            let ready = match &result {
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    false
                }
                Ok((draft, failures)) => {
                    egui::Grid::new("mail headers")
                        .num_columns(2)
                        .show(ui, |ui| {
                            ui.label("Subject");
                            ui.strong(&draft.subject);
                            ui.end_row();
                            ui.label("To");
                            ui.label(draft.to.join(", "));
                            ui.end_row();
                            if !draft.bcc.is_empty() {
                                ui.label("Bcc");
                                ui.label(draft.bcc.join(", "));
                                ui.end_row();
                            }
                            ui.label("Form");
                            ui.label(
                                match (doc.project.signing.is_some(), draft.must_encrypt()) {
                                    (_, true) => "PGP/MIME signed and encrypted",
                                    (true, false) => "PGP/MIME signed",
                                    (false, false) => "plain text",
                                },
                            );
                            ui.end_row();
                        });
                    egui::ScrollArea::vertical()
                        .max_height(260.0)
                        .show(ui, |ui| {
                            ui.monospace(&draft.body);
                        });
                    for f in failures {
                        ui.colored_label(ui.visuals().error_fg_color, format!("✖ {f}"))
                            .on_hover_text(crate::core::checks::explain(f.check));
                    }
                    failures.is_empty() || early(failures).is_some()
                }
            };
            // A mail that only waits for publication asks first.
            let waits = result
                .as_ref()
                .ok()
                .and_then(|(_, f)| early(f))
                .map(|f| f.message.clone());
            let mut go = |form: &mut ComposeForm,
                          action: MailCommand,
                          ui: &egui::Ui,
                          waits: Option<&String>| match waits {
                Some(message) => {
                    form.confirm = Some(ConfirmEarly {
                        message: message.clone(),
                        reason: String::new(),
                        action,
                    });
                }
                None => {
                    commands.push(Command::Mail(action));
                    forget(ui);
                }
            };
            ui.separator();
            if doc.project.signing.is_some() {
                ui.horizontal(|ui| {
                    let label = ui.label("Key passphrase (key files)");
                    ui.add(
                        egui::TextEdit::singleline(&mut *panel.passphrase)
                            .id(passphrase_id)
                            .password(true)
                            .desired_width(200.0),
                    )
                    .labelled_by(label.id);
                });
            }
            ui.horizontal(|ui| {
                let label = ui.label("Save .eml in");
                ui.add(egui::TextEdit::singleline(&mut form.eml_dir).desired_width(260.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        ready && running.is_none() && !form.eml_dir.trim().is_empty(),
                        egui::Button::new("Save .eml"),
                    )
                    .clicked()
                {
                    let dir = PathBuf::from(form.eml_dir.trim());
                    go(form, MailCommand::SaveEml(dir), ui, waits.as_ref());
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("SMTP server");
                ui.add(
                    egui::TextEdit::singleline(&mut form.smtp)
                        .hint_text(format!(
                            "{}:{}",
                            doc.project.mail.smtp_host, doc.project.mail.smtp_port
                        ))
                        .desired_width(200.0),
                )
                .labelled_by(label.id);
                if !doc.project.mail.smtp_user.is_empty() {
                    let label = ui.label(format!("Password for {}", doc.project.mail.smtp_user));
                    ui.add(
                        egui::TextEdit::singleline(&mut *panel.password)
                            .id(password_id)
                            .password(true)
                            .desired_width(160.0),
                    )
                    .labelled_by(label.id);
                }
                if ui
                    .add_enabled(ready && running.is_none(), egui::Button::new("Send"))
                    .clicked()
                {
                    go(form, MailCommand::Send, ui, waits.as_ref());
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label("SMTP CA certificate");
                ui.add(
                    egui::TextEdit::singleline(&mut form.smtp_ca)
                        .hint_text(if doc.project.mail.smtp_ca.is_empty() {
                            "only for a server your own CA signed (PEM file)"
                        } else {
                            doc.project.mail.smtp_ca.as_str()
                        })
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            });
            if let Some(r) = &running {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(r);
                });
            }
            match &form.outcome {
                Some(Ok(s)) => {
                    ui.label(s);
                }
                Some(Err(e)) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                None => {}
            }
            if let Some(action) = confirm_early(ui.ctx(), form) {
                go(form, action, ui, None);
            }
        });
    open
}

/// The one failure that a reason to send before publication lets pass, when
/// it is the only one.
fn early(failures: &[checks::Failure]) -> Option<&checks::Failure> {
    match failures {
        [only] if only.check == checks::BEFORE_PUBLICATION => Some(only),
        _ => None,
    }
}

/// Draw the mail windows that are open.
pub(super) fn windows(
    ctx: &egui::Context,
    doc: Option<&Document>,
    panel: &mut MailPanel,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    if let Some(mut form) = panel.recipients.take()
        && recipients_window(ctx, &mut form, commands)
    {
        panel.recipients = Some(form);
    }
    if panel.compose.is_some() && !compose_window(ctx, doc, panel, now, commands) {
        panel.compose = None;
        panel.share_password = None;
    }
}

impl EmbargoApp {
    /// Open the notice window on the fix-availability mail to `list`,
    /// handing it the list's new download password (from the download
    /// panel, in memory).
    pub(super) fn compose_fix_availability(&mut self, list: &str) {
        let Some(issue) = self.view.draft.as_ref().map(|i| i.id.clone()) else {
            self.notice("select an issue first");
            return;
        };
        let Some(shown) = self.view.share.shown.iter().find(|s| s.list == list) else {
            self.notice(format!(
                "the password of {list} is no longer shown: rotate its credentials to mail a new one"
            ));
            return;
        };
        self.view.mail.share_password = Some((list.to_owned(), shown.password.clone()));
        self.view.mail.compose = Some(ComposeForm {
            issue,
            template: "fix-availability".to_owned(),
            to: list.to_owned(),
            ..ComposeForm::default()
        });
    }

    /// Apply a command of the mail windows.
    pub(super) fn apply_mail(&mut self, command: MailCommand) {
        match command {
            MailCommand::OpenRecipients => {
                let Some(doc) = &self.doc else { return };
                let issue = self.view.draft.as_ref();
                let recipients = doc.project.recipients.clone();
                let notices = issue
                    .map(|i| {
                        recipients
                            .iter()
                            .map(|r| {
                                i.notice(&r.address)
                                    .cloned()
                                    .unwrap_or_else(|| NoticeState::new(r.address.clone()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.view.mail.recipients = Some(RecipientsForm {
                    recipients,
                    issue: issue.map(|i| i.id.clone()),
                    notices,
                    ..RecipientsForm::default()
                });
            }
            MailCommand::SetRecipients {
                recipients,
                notices,
            } => {
                self.open_doc_with(|d, now| {
                    crate::core::ops::set_recipients(&mut d.project, recipients, notices, now)
                });
            }
            MailCommand::ImportCert { row, path } => self.spawn_job("certificate", move |_| {
                let result = mime::import_cert_file(&path).map_err(|e| e.to_string());
                JobResult::Mail(JobDone::Cert { row, result })
            }),
            MailCommand::OpenCompose => {
                self.view.mail.share_password = None;
                let Some(issue) = self.view.draft.as_ref().map(|i| i.id.clone()) else {
                    self.notice("select an issue first");
                    return;
                };
                self.view.mail.compose = Some(ComposeForm {
                    issue,
                    template: "advance-notice".to_owned(),
                    ..ComposeForm::default()
                });
            }
            MailCommand::SaveEml(dir) => self.start_delivery(Some(dir)),
            MailCommand::Send => self.start_delivery(None),
        }
    }

    fn start_delivery(&mut self, eml: Option<PathBuf>) {
        self.commit_draft();
        let Some(doc) = &self.doc else { return };
        let Some(form) = self.view.mail.compose.clone() else {
            return;
        };
        let project = doc.project.clone();
        let playbook = doc.playbook.clone();
        let file = doc.path.clone();
        let panel = &mut self.view.mail;
        let secrets = notice::Given {
            passphrase: (!panel.passphrase.is_empty())
                .then(|| Passphrase::new(std::mem::take(&mut *panel.passphrase))),
            smtp_password: (!panel.password.is_empty())
                .then(|| SmtpPassword::new(std::mem::take(&mut *panel.password))),
        };
        let share = panel.share_password.clone();
        panel.running = Some(if eml.is_some() { "saving" } else { "sending" }.to_owned());
        let now = self.now();
        let output = match eml {
            Some(dir) => notice::Output::Eml(dir),
            None => notice::Output::Send {
                smtp: Some(form.smtp.trim())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
                ca: Some(form.smtp_ca.trim())
                    .filter(|c| !c.is_empty())
                    .map(PathBuf::from),
            },
        };
        self.spawn_job("mail", move |progress| {
            let mut secrets = secrets;
            let reason = reason_for(&form);
            let request = notice::Request {
                project: &project,
                playbook: &playbook,
                project_file: file.as_deref(),
                issue: &form.issue,
                template: &form.template,
                to: &form.to,
                before_publication: reason.as_deref(),
                share_password: share
                    .as_ref()
                    .map(|(list, password)| (Some(list.as_str()), password.as_str())),
                output: &output,
                now,
            };
            let r = notice::deliver(&request, &mut secrets, progress);
            JobResult::Mail(match r {
                Ok(d) => JobDone::Delivered(Box::new(d)),
                Err(e) => JobDone::Failed(e.to_string()),
            })
        });
    }

    /// Take in what a mail job reports.
    pub(super) fn on_mail_job(&mut self, done: JobDone) {
        match done {
            JobDone::Cert { row, result } => {
                let Some(form) = self.view.mail.recipients.as_mut() else {
                    return;
                };
                let said = match result {
                    Ok((fpr, text)) => {
                        let message = form.recipients.get_mut(row).map(|r| {
                            let message = format!("imported certificate {fpr} for {}", r.address);
                            r.cert_fingerprint = Some(fpr);
                            r.cert = Some(text);
                            message
                        });
                        form.cert_row = None;
                        form.cert_path.clear();
                        message.map(Ok)
                    }
                    Err(e) => Some(Err(e)),
                };
                if let Some(said) = said {
                    form.message = Some(match &said {
                        Ok(m) | Err(m) => m.clone(),
                    });
                    match said {
                        Ok(m) => self.done(m),
                        Err(e) => self.failed(e),
                    }
                }
            }
            JobDone::Delivered(delivered) => {
                self.view.mail.running = None;
                self.open_doc_with(|d, now| notice::record(&mut d.project, &delivered, now));
                let mut summary = delivered.summary();
                if !delivered.warnings.is_empty() {
                    summary = format!("{summary} ({})", delivered.warnings.join("; "));
                }
                self.done(summary.clone());
                if let Some(f) = self.view.mail.compose.as_mut() {
                    f.outcome = Some(Ok(summary));
                    // The reason was for that mail: the next one asks again.
                    f.before_publication = None;
                }
            }
            JobDone::Failed(e) => {
                self.view.mail.running = None;
                self.failed(format!("The mail was not sent: {e}"));
                if let Some(f) = self.view.mail.compose.as_mut() {
                    f.outcome = Some(Err(e));
                }
            }
        }
    }
}
