//! The recipients window (Project › Recipients…) and the notice window
//! (Project › Compose notice…).
//!
//! The recipients window edits a copy of the project's recipients and of
//! the selected issue's notice state in one table (name, address, role,
//! certificate fingerprint, must-encrypt; notified, accepted the embargo,
//! wants the patch), adds rows one by one or from a pasted
//! list of addresses, imports a certificate from a file in a job, and
//! applies everything as one command; a certificate whose user IDs do not
//! name its recipient's address is flagged (the addresses are read in a
//! job). The notice window renders a mail from a template (the project's
//! own `templates/NAME.txt.j2`, read in a job, else the shipped one) into
//! an editable subject and body, lists the checks the edited text fails,
//! and saves it as an `.eml` file or sends it by SMTP in a background job;
//! a step that sends a notice opens it with its template (“Compose…”), and
//! sending it settles the step. A mail that waits for the release to be
//! marked published (and fails no other check) asks first, with a reason
//! that is journaled; one that would carry embargoed details unencrypted
//! asks too. The window names the patch a mail attaches (the distros
//! notice's, inside the encryption) or why it does not, and lists the
//! corrections to send (who was told a value that has changed since, old
//! and new) with a button that drafts the `correction` mail to them. The
//! SMTP password
//! and the key passphrase are typed into password fields, moved into the
//! job, zeroized there, and never stored.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

use super::command::MailDone as JobDone;
use super::command::{Command, JobResult, MailCommand};
use super::state::{
    BeforePublication, ComposeForm, ConfirmEarly, ConfirmPlain, Document, EmbargoApp, MailPanel,
    NoticeEdit, RecipientsForm,
};
use crate::adapters::mail::SmtpPassword;
use crate::adapters::openpgp::{Passphrase, mime};
use crate::core::model::{NoticeState, Project, Recipient, RecipientRole};
use crate::core::notice as checks;
use crate::core::render::mail::{self as mails, Draft, TEMPLATES};
use crate::core::told;
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
/// Why the certificate of `r` may be somebody else's, when its user IDs
/// (read in a job into `addresses`) do not name its address.
fn cert_flag(r: &Recipient, addresses: &HashMap<String, Vec<String>>) -> Option<String> {
    r.cert.as_ref()?;
    let known = addresses.get(r.cert_fingerprint.as_deref()?)?;
    checks::cert_mismatch(&r.address, known)
}

fn recipients_window(
    ctx: &egui::Context,
    form: &mut RecipientsForm,
    addresses: &HashMap<String, Vec<String>>,
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
                                    if let Some(why) = cert_flag(r, addresses) {
                                        ui.colored_label(ui.visuals().warn_fg_color, "⚠")
                                            .on_hover_text(why);
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
            for r in &form.recipients {
                if let Some(why) = cert_flag(r, addresses) {
                    ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {why}"));
                }
            }
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

/// Render the mail of `form` as the template gives it (before the user's
/// edit): with the project's own template when it has one, as the sending
/// job renders it.
fn render_preview(
    project: &Project,
    playbook: &crate::core::playbook::Playbook,
    form: &ComposeForm,
    share: Option<&(String, Zeroizing<String>)>,
    now: DateTime<Utc>,
) -> Result<Draft, String> {
    let issue = project
        .issue(&form.issue)
        .ok_or_else(|| format!("no issue {}", form.issue))?;
    let custom = match form.overrides.as_ref().map(|o| o.get(&form.template)) {
        None => {
            return Err(
                "reading the project's own templates (templates/ beside the project file)…"
                    .to_owned(),
            );
        }
        Some(None) => None,
        Some(Some(Ok(text))) => text.as_deref(),
        Some(Some(Err(e))) => return Err(e.clone()),
    };
    let to = mails::pick_recipients(project, &form.to).map_err(|e| e.to_string())?;
    let mut draft = mails::render(
        project,
        playbook,
        issue,
        &form.template,
        custom,
        &to,
        handed(&to, share),
        now,
    )
    .map_err(|e| e.to_string())?;
    draft.before_publication = reason_for(form);
    Ok(draft)
}

/// The edit of `form` if it was made for its template.
fn current_edit(form: &ComposeForm) -> Option<&NoticeEdit> {
    form.edit.as_ref().filter(|e| e.template == form.template)
}

/// The checks of `draft` as far as the UI thread can tell (a certificate
/// counts as usable when one is imported; the sending job checks it
/// fully).
fn preview_checks(
    project: &Project,
    issue: &str,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Vec<checks::Failure> {
    let Some(issue) = project.issue(issue) else {
        return Vec::new();
    };
    let cert = |r: &Recipient| match &r.cert {
        Some(_) => Ok(()),
        None => Err("no certificate is imported".to_owned()),
    };
    // bcrypt is too slow for every frame: the sending job verifies it.
    let password = |_: &crate::core::model::ShareCredential| Ok(());
    checks::check(
        project,
        issue,
        draft,
        now,
        &checks::Verify {
            cert: &cert,
            share_password: &password,
        },
    )
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

/// The confirmation before embargoed details go out unencrypted; returns
/// the command to run once confirmed.
fn confirm_plain(ctx: &egui::Context, form: &mut ComposeForm) -> Option<MailCommand> {
    let ask = form.confirm_plain.as_ref()?;
    let mut go = None;
    let mut cancel = false;
    let verb = match ask.action {
        MailCommand::Send => "Send",
        _ => "Save",
    };
    egui::Window::new("Send unencrypted?")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(&ask.message);
            ui.label(
                "Only go ahead if every recipient agreed to get it in clear text, or the \
                 details are not secret any more.",
            );
            ui.horizontal(|ui| {
                if ui.button(format!("{verb} unencrypted")).clicked() {
                    go = Some(ask.action.clone());
                }
                if ui.button("Cancel").clicked() {
                    cancel = true;
                }
            });
        });
    if go.is_some() || cancel {
        form.confirm_plain = None;
    }
    go
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
            corrections_to_send(ui, &doc.project, form);
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
            let result = render_preview(
                &doc.project,
                &doc.playbook,
                form,
                panel.share_password.as_ref(),
                now,
            )
            .map(|mut draft| {
                // The rendered text is where an edit starts. An edit is kept
                // while the template stays (other recipients keep it too:
                // typed text is never thrown away by typing elsewhere); an
                // unedited text follows the rendering.
                let rendered = (draft.subject.clone(), draft.body.clone());
                let kept = current_edit(form).is_some_and(|e| {
                    let mut probe = draft.clone();
                    notice::apply_edit(
                        &mut probe,
                        &notice::Edited {
                            subject: &e.subject,
                            body: &e.body,
                        },
                    );
                    (probe.subject, probe.body) != rendered
                });
                if kept {
                    let e = form.edit.as_ref().expect("kept: there is one");
                    notice::apply_edit(
                        &mut draft,
                        &notice::Edited {
                            subject: &e.subject,
                            body: &e.body,
                        },
                    );
                } else {
                    form.edit = Some(NoticeEdit {
                        template: form.template.clone(),
                        subject: rendered.0,
                        body: rendered.1,
                        changed: false,
                    });
                }
                if let Some(e) = form.edit.as_mut() {
                    e.changed = kept;
                }
                let failures = preview_checks(&doc.project, &form.issue, &draft, now);
                (draft, failures)
            });
            let ready = match &result {
                Err(e) => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                    false
                }
                Ok((draft, failures)) => {
                    let edit = form.edit.as_mut().expect("set above");
                    egui::Grid::new("mail headers")
                        .num_columns(2)
                        .show(ui, |ui| {
                            let label = ui.label("Subject");
                            ui.add(
                                egui::TextEdit::singleline(&mut edit.subject)
                                    .id_salt("notice subject")
                                    .desired_width(520.0),
                            )
                            .labelled_by(label.id);
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
                            if let Some(plan) = &draft.patch {
                                ui.label("Attachment");
                                match notice_patch_line(plan) {
                                    Ok(line) => ui.label(line),
                                    Err(line) => {
                                        ui.colored_label(ui.visuals().warn_fg_color, line)
                                    }
                                };
                                ui.end_row();
                            }
                        });
                    let label = ui.label("Body");
                    egui::ScrollArea::vertical()
                        .id_salt("notice body scroll")
                        .max_height(260.0)
                        .show(ui, |ui| {
                            ui.add(
                                egui::TextEdit::multiline(&mut edit.body)
                                    .id_salt("notice body")
                                    .code_editor()
                                    .desired_rows(12)
                                    .desired_width(f32::INFINITY),
                            )
                            .labelled_by(label.id);
                        });
                    if edit.changed
                        && ui
                            .button("Back to the template's text")
                            .on_hover_text("Drop the edit and start again from the rendered text")
                            .clicked()
                    {
                        form.edit = None;
                    }
                    for f in failures {
                        ui.colored_label(ui.visuals().error_fg_color, format!("✖ {f}"))
                            .on_hover_text(crate::core::checks::explain(f.check));
                    }
                    for r in &draft.recipients {
                        if let Some(why) = cert_flag(r, &panel.cert_addresses) {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {why}"));
                        }
                    }
                    failures.is_empty() || early(failures).is_some()
                }
            };
            // A mail that only waits for publication asks first; one with
            // embargoed details in clear asks too.
            let waits = result
                .as_ref()
                .ok()
                .and_then(|(_, f)| early(f))
                .map(|f| f.message.clone());
            let plain = result.as_ref().ok().and_then(|(draft, _)| {
                let issue = doc.project.issue(&form.issue)?;
                checks::unencrypted_embargoed(&doc.project, issue, draft)
            });
            if let Some(p) = &plain {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {p}"));
            }
            let mut go = |form: &mut ComposeForm,
                          action: MailCommand,
                          ui: &egui::Ui,
                          waits: Option<&String>,
                          plain: Option<&String>| {
                if let Some(message) = waits {
                    form.confirm = Some(ConfirmEarly {
                        message: message.clone(),
                        reason: String::new(),
                        action,
                    });
                } else if let Some(message) = plain {
                    form.confirm_plain = Some(ConfirmPlain {
                        message: message.clone(),
                        action,
                    });
                } else {
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
                    go(
                        form,
                        MailCommand::SaveEml(dir),
                        ui,
                        waits.as_ref(),
                        plain.as_ref(),
                    );
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
                    go(form, MailCommand::Send, ui, waits.as_ref(), plain.as_ref());
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
                go(form, action, ui, None, plain.as_ref());
            }
            if let Some(action) = confirm_plain(ui.ctx(), form) {
                go(form, action, ui, None, None);
            }
        });
    open
}

/// The notice window's “Corrections to send”: who was told a fact of the
/// issue that has changed since, with the old and new values, and a
/// button that drafts the correction to all of them.
fn corrections_to_send(ui: &mut egui::Ui, project: &Project, form: &mut ComposeForm) {
    let Some(issue) = project.issue(&form.issue) else {
        return;
    };
    let due = told::corrections(project, issue);
    if due.is_empty() {
        return;
    }
    ui.group(|ui| {
        ui.strong("Corrections to send");
        for c in &due {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("⚠ {}", told::describe(c)),
            );
        }
        let drafted = form.template == mails::CORRECTION && form.to.trim().is_empty();
        if ui
            .add_enabled(!drafted, egui::Button::new("Draft the correction"))
            .on_hover_text(
                "Compose the correction mail to everyone listed: what changed, old and new; \
                 it is checked, signed and encrypted like every notice.",
            )
            .clicked()
        {
            form.template = mails::CORRECTION.to_owned();
            form.to.clear();
        }
    });
}

/// The notice window's line about the patch of a mail that carries one:
/// `Ok` when it is attached, `Err` (shown as a warning) when not.
fn notice_patch_line(plan: &checks::PatchPlan) -> Result<String, String> {
    match (&plan.source, plan.attached) {
        (Some(_), true) => Ok(format!("{} (encrypted with the mail)", plan.file_name)),
        (None, _) => Err("no patch yet: the release records no patch file and the issue no fix commits; the text says so".to_owned()),
        (Some(_), false) => Err(format!(
            "{} is not attached: the mail is not encrypted (tick “Encrypt” for its recipients)",
            plan.file_name
        )),
    }
}

/// The one failure that a reason to send before publication lets pass, when
/// it is the only one.
fn early(failures: &[checks::Failure]) -> Option<&checks::Failure> {
    match failures {
        [only] if only.check == checks::BEFORE_PUBLICATION => Some(only),
        _ => None,
    }
}

/// The “Compose…” button of a step that sends a notice (its kind has a
/// template): it opens the notice window on that template, and sending it
/// settles the step.
pub(super) fn compose_button(
    ui: &mut egui::Ui,
    kind: crate::core::playbook::StepKind,
    key: &str,
    commands: &mut Vec<Command>,
) {
    let Some(template) = checks::step_template(kind) else {
        return;
    };
    let title = mails::template(template).map_or(template, |t| t.title);
    ui.add_space(6.0);
    let clicked = ui.push_id(("compose", key), |ui| {
        ui.button("Compose…")
            .on_hover_text(format!(
                "Open the notice window on the “{title}” mail; edit it there. Sending it settles this step."
            ))
            .clicked()
    });
    if clicked.inner {
        commands.push(Command::Mail(MailCommand::ComposeStep {
            key: key.to_owned(),
            template: template.to_owned(),
        }));
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
        && recipients_window(ctx, &mut form, &panel.cert_addresses, commands)
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
        self.open_compose(ComposeForm {
            issue,
            template: "fix-availability".to_owned(),
            to: list.to_owned(),
            ..ComposeForm::default()
        });
    }

    /// Open the notice window on `form`, and read in jobs what its preview
    /// needs from the disk: the project's own templates (the preview
    /// renders what will be sent) and the addresses the recipients'
    /// certificates name.
    fn open_compose(&mut self, mut form: ComposeForm) {
        let file = self.doc.as_ref().and_then(|d| d.path.clone());
        match file {
            Some(file) => self.spawn_job("templates", move |_| {
                let read = TEMPLATES
                    .iter()
                    .map(|t| {
                        let text = notice::override_text(&file, t.name).map_err(|e| e.to_string());
                        (t.name.to_owned(), text)
                    })
                    .collect();
                JobResult::Mail(JobDone::Overrides(read))
            }),
            // A project never saved has no templates beside it.
            None => form.overrides = Some(HashMap::new()),
        }
        self.view.mail.compose = Some(form);
        self.send(Command::Mail(MailCommand::ReadCertAddresses));
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
                self.send(Command::Mail(MailCommand::ReadCertAddresses));
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
                let result = mime::import_cert_file(&path)
                    .and_then(|(fpr, text)| {
                        let addresses = mime::cert_addresses(&text)?;
                        Ok((fpr, text, addresses))
                    })
                    .map_err(|e| e.to_string());
                JobResult::Mail(JobDone::Cert { row, result })
            }),
            MailCommand::ReadCertAddresses => {
                let Some(doc) = &self.doc else { return };
                let certs: Vec<(String, String)> = doc
                    .project
                    .recipients
                    .iter()
                    .filter_map(|r| Some((r.cert_fingerprint.clone()?, r.cert.clone()?)))
                    .filter(|(fpr, _)| !self.view.mail.cert_addresses.contains_key(fpr))
                    .collect();
                if certs.is_empty() {
                    return;
                }
                self.spawn_job("certificate addresses", move |_| {
                    let read = certs
                        .into_iter()
                        .filter_map(|(fpr, text)| Some((fpr, mime::cert_addresses(&text).ok()?)))
                        .collect();
                    JobResult::Mail(JobDone::CertAddresses(read))
                });
            }
            MailCommand::ComposeStep { key, template } => {
                self.view.mail.share_password = None;
                let Some(issue) = self.view.draft.as_ref().map(|i| i.id.clone()) else {
                    self.notice("select an issue first");
                    return;
                };
                self.open_compose(ComposeForm {
                    issue,
                    template: template.clone(),
                    step: Some((key, template)),
                    ..ComposeForm::default()
                });
            }
            MailCommand::OpenCompose => {
                self.view.mail.share_password = None;
                let Some(issue) = self.view.draft.as_ref().map(|i| i.id.clone()) else {
                    self.notice("select an issue first");
                    return;
                };
                self.open_compose(ComposeForm {
                    issue,
                    template: "advance-notice".to_owned(),
                    ..ComposeForm::default()
                });
            }
            MailCommand::DraftCorrection => {
                self.view.mail.share_password = None;
                let Some(issue) = self.view.draft.as_ref().map(|i| i.id.clone()) else {
                    self.notice("select an issue first");
                    return;
                };
                self.open_compose(ComposeForm {
                    issue,
                    template: mails::CORRECTION.to_owned(),
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
            // What the window shows is what leaves: the job's own rendering
            // tells whether it was edited.
            let edit = current_edit(&form);
            // Sending the step's own template settles the step.
            let step = form
                .step
                .as_ref()
                .filter(|(_, template)| *template == form.template)
                .map(|(key, _)| key.as_str());
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
                edited: edit.map(|e| notice::Edited {
                    subject: &e.subject,
                    body: &e.body,
                }),
                step,
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
                    Ok((fpr, text, addresses)) => {
                        let message = form.recipients.get_mut(row).map(|r| {
                            let mut message =
                                format!("imported certificate {fpr} for {}", r.address);
                            if let Some(why) = checks::cert_mismatch(&r.address, &addresses) {
                                message = format!("{message}; but {why}");
                            }
                            r.cert_fingerprint = Some(fpr.clone());
                            r.cert = Some(text);
                            message
                        });
                        self.view.mail.cert_addresses.insert(fpr, addresses);
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
            JobDone::CertAddresses(read) => self.view.mail.cert_addresses.extend(read),
            JobDone::Overrides(read) => {
                if let Some(f) = self.view.mail.compose.as_mut() {
                    f.overrides = Some(read);
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
