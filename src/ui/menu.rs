//! The menu bar and the app's dialogs: new project, the path dialog (a typed
//! path beside the system file dialog, which may be unavailable), confirmations,
//! the prompt on close with unsaved changes, and the error dialog.

use super::actions::{ACTIONS, ActionId};
use super::command::{Command, MailCommand, PathPurpose, TeamCommand};
use super::state::{AppRef, TimeForm, UnlockDialog, ViewState};
use crate::core::playbook::BUILTIN_NAMES;

/// A menu entry of the action table: its label (or `label`), its shortcut
/// and, when clicked, its command.
fn action_entry(
    ui: &mut egui::Ui,
    id: ActionId,
    label: Option<String>,
    enabled: bool,
    out: &mut Vec<Command>,
) -> egui::Response {
    let action = id.action();
    let text = label.unwrap_or_else(|| action.label.to_owned());
    let response = ui.add_enabled(
        enabled,
        egui::Button::new(text).shortcut_text(action.shortcut_text(ui.ctx())),
    );
    if response.clicked() {
        out.push(id.command());
    }
    response
}

/// The menu bar.
pub(super) fn menu_bar(
    ui: &mut egui::Ui,
    app: &AppRef<'_>,
    view: &mut ViewState,
    out: &mut Vec<Command>,
) {
    egui::Panel::top("menu")
        .frame(super::widgets::panel_frame(egui::Frame::side_top_panel(ui.style())))
        .show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui.button("New project…").clicked() {
                    view.new_project = Some(("New project".into(), "exim".into()));
                }
                action_entry(ui, ActionId::Open, None, true, out);
                ui.menu_button("Open recent", |ui| {
                    if app.recent.is_empty() {
                        ui.label("No recent projects yet");
                    }
                    for path in app.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            out.push(Command::Open(path.clone()));
                        }
                    }
                });
                if ui.button("Open the example project").clicked() {
                    out.push(Command::OpenExample);
                }
                ui.separator();
                let has_doc = app.doc.is_some();
                action_entry(ui, ActionId::Save, None, has_doc, out);
                if ui
                    .add_enabled(has_doc, egui::Button::new("Save As…"))
                    .clicked()
                {
                    out.push(Command::AskPath(PathPurpose::SaveAs));
                }
                ui.separator();
                let saved = app.doc.is_some_and(|d| d.path.is_some());
                action_entry(ui, ActionId::Sync, None, saved && !app.syncing, out);
                ui.separator();
                if ui.button("Quit").clicked() {
                    out.push(Command::Close);
                }
            });
            ui.menu_button("Edit", |ui| {
                let label = app.doc.and_then(|d| d.undo_label());
                action_entry(
                    ui,
                    ActionId::Undo,
                    label.map(|what| format!("Undo {what}")),
                    label.is_some(),
                    out,
                )
                .on_hover_text(
                    "Undo the last edit of an issue's fields; steps marked and journal entries stay",
                );
                ui.separator();
                action_entry(ui, ActionId::MarkDone, None, view.draft.is_some(), out)
                    .on_hover_text("The note typed under the step goes into the journal")
                    .on_disabled_hover_text("Select an issue first");
            });
            ui.menu_button("Project", |ui| {
                let time = app.doc.map(|d| d.project.time.clone());
                if ui
                    .add_enabled(
                        time.is_some(),
                        egui::Button::new("Time zones and release rules…"),
                    )
                    .clicked()
                    && let Some(time) = time
                {
                    view.time_form = Some(TimeForm {
                        time,
                        new_zone: String::new(),
                    });
                }
                let open = app.doc.is_some();
                if ui
                    .add_enabled(open, egui::Button::new("Recipients…"))
                    .clicked()
                {
                    out.push(Command::Mail(MailCommand::OpenRecipients));
                }
                if ui
                    .add_enabled(open, egui::Button::new("Team members…"))
                    .clicked()
                {
                    out.push(Command::Team(TeamCommand::ToggleMembers));
                }
                if ui
                    .add_enabled(view.draft.is_some(), egui::Button::new("Compose notice…"))
                    .on_disabled_hover_text("Select an issue first")
                    .clicked()
                {
                    out.push(Command::Mail(MailCommand::OpenCompose));
                }
                ui.separator();
                action_entry(ui, ActionId::ProjectSettings, None, app.doc.is_some(), out)
                    .on_hover_text(
                        "Mail, signing key, repository, publication, time and playbook",
                    );
            });
            ui.menu_button("View", |ui| {
                let journal = ActionId::Journal.action();
                let mut shown = view.show_journal;
                let text = format!("{} ({})", journal.label, journal.shortcut_text(ui.ctx()));
                if ui.checkbox(&mut shown, text).changed() {
                    out.push(journal.id.command());
                }
                // Shows or hides the Due window (the steps part of #22).
                let due = if view.show_due { "Hide Due" } else { "Due" };
                action_entry(ui, ActionId::Due, Some(due.to_owned()), true, out);
                ui.checkbox(&mut view.show_notifications, "Notifications");
                ui.separator();
                let issue = view.draft.is_some();
                for id in [
                    ActionId::PreviousStep,
                    ActionId::NextStep,
                    ActionId::FocusForm,
                ] {
                    action_entry(ui, id, None, issue, out);
                }
                let issues = app.doc.is_some_and(|d| !d.project.issues.is_empty());
                for id in [ActionId::PreviousIssue, ActionId::NextIssue] {
                    action_entry(ui, id, None, issues, out);
                }
                ui.separator();
                view_prefs(ui, app, out);
            });
            ui.menu_button("Help", |ui| {
                for a in &ACTIONS {
                    ui.label(format!("{}: {}", a.shortcut_text(ui.ctx()), a.help));
                }
                ui.label("Tab / Shift+Tab: next / previous control; Space or Enter presses it");
            });
        });
    });
}

fn modal<R>(ctx: &egui::Context, id: &str, content: impl FnOnce(&mut egui::Ui) -> R) -> (R, bool) {
    let response = egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_max_width(520.0);
        content(ui)
    });
    let escape = response.should_close();
    (response.inner, escape)
}

/// Every modal dialog that is open.
pub(super) fn dialogs(
    ctx: &egui::Context,
    app: &AppRef<'_>,
    view: &mut ViewState,
    out: &mut Vec<Command>,
) {
    if let Some(error) = app.error {
        let (ok, escape) = modal(ctx, "error", |ui| {
            ui.heading("Something went wrong");
            ui.label(error);
            ui.add_space(8.0);
            ui.button("OK").clicked()
        });
        if ok || escape {
            out.push(Command::DismissError);
        }
        return;
    }

    if view.close_prompt {
        let has_path = app.doc.is_some_and(|d| d.path.is_some());
        let (choice, escape) = modal(ctx, "close", |ui| {
            ui.heading("Unsaved changes");
            ui.label("The project has changes that are not saved yet.");
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let mut choice = None;
                let save = if has_path {
                    "Save and quit"
                } else {
                    "Save As…"
                };
                if ui.button(save).clicked() {
                    choice = Some(0);
                }
                if ui.button("Quit without saving").clicked() {
                    choice = Some(1);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(2);
                }
                choice
            })
            .inner
        });
        match (choice, escape) {
            (Some(0), _) if has_path => out.push(Command::SaveAndQuit),
            (Some(0), _) => {
                view.close_prompt = false;
                out.push(Command::AskPath(PathPurpose::SaveAs));
            }
            (Some(1), _) => out.push(Command::Quit),
            (Some(_), _) | (None, true) => view.close_prompt = false,
            (None, false) => {}
        }
        return;
    }

    if let Some(confirm) = view.confirm.clone() {
        let (yes, escape) = modal(ctx, "confirm", |ui| {
            ui.label(&confirm.message);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let yes = ui.button(&confirm.yes).clicked();
                let no = ui.button("Cancel").clicked();
                (yes, no)
            })
            .inner
        });
        if yes.0 {
            view.confirm = None;
            if confirm.discard_first {
                out.push(Command::DiscardChanges);
            }
            out.push(confirm.command);
        } else if yes.1 || escape {
            view.confirm = None;
        }
        return;
    }

    if let Some((mut name, mut playbook)) = view.new_project.clone() {
        let (action, escape) = modal(ctx, "new project", |ui| {
            ui.heading("New project");
            let label = ui.label("Project name");
            let edit = ui.text_edit_singleline(&mut name).labelled_by(label.id);
            edit.request_focus_once(ui);
            egui::ComboBox::from_label("Playbook")
                .selected_text(&playbook)
                .show_ui(ui, |ui| {
                    for b in BUILTIN_NAMES {
                        ui.selectable_value(&mut playbook, b.to_owned(), b);
                    }
                });
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let create = ui
                    .add_enabled(!name.trim().is_empty(), egui::Button::new("Create"))
                    .clicked()
                    || (edit.lost_focus()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter))
                        && !name.trim().is_empty());
                let cancel = ui.button("Cancel").clicked();
                (create, cancel)
            })
            .inner
        });
        if action.0 {
            view.new_project = None;
            out.push(Command::NewProject { name, playbook });
        } else if action.1 || escape {
            view.new_project = None;
        } else {
            view.new_project = Some((name, playbook));
        }
        return;
    }

    if view.path_dialog.is_none()
        && let Some(mut dialog) = view.unlock.take()
    {
        let (action, escape) = modal(ctx, "unlock", |ui| unlock_dialog(ui, &mut dialog));
        match action {
            Some(Unlock::Open) => out.push(Command::OpenEncrypted(dialog.path.clone())),
            Some(Unlock::Choose) => out.push(Command::AskPath(PathPurpose::ProjectKey)),
            Some(Unlock::Cancel) => {
                out.push(Command::Notice(format!(
                    "{} was not opened",
                    dialog.path.display()
                )));
                return;
            }
            None if escape => return,
            None => {}
        }
        // Kept until the command takes it (Open) or the user cancels.
        view.unlock = Some(dialog);
        return;
    }

    if let Some((purpose, mut typed)) = view.path_dialog.clone() {
        let browsing = app.busy;
        let (action, escape) = modal(ctx, "path", |ui| {
            ui.heading(purpose_title(purpose));
            ui.label("Type the file's path, or browse with the system dialog.");
            let label = ui.label("Path");
            let edit = ui
                .add(egui::TextEdit::singleline(&mut typed).desired_width(480.0))
                .labelled_by(label.id);
            edit.request_focus_once(ui);
            let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                let ok = ui
                    .add_enabled(
                        !typed.trim().is_empty(),
                        egui::Button::new(purpose_verb(purpose)),
                    )
                    .clicked()
                    || (enter && !typed.trim().is_empty());
                let browse = ui
                    .add_enabled(!browsing, egui::Button::new("Browse…"))
                    .clicked();
                let cancel = ui.button("Cancel").clicked();
                (ok, browse, cancel)
            })
            .inner
        });
        let path = crate::adapters::expand_home(typed.trim());
        if action.0 {
            view.path_dialog = None;
            out.push(match purpose {
                PathPurpose::Open => Command::Open(path),
                PathPurpose::SaveAs => Command::SaveAs(path),
                PathPurpose::WriteUp => Command::WriteWriteUp(path),
                PathPurpose::Calendar => Command::WriteCalendar(path),
                PathPurpose::CveRecord => Command::WriteCveRecord(path),
                PathPurpose::ReleaseDocument(f) => Command::WriteReleaseDocument(f, path),
                PathPurpose::ProjectKey => Command::SetUnlockKey(path),
            });
        } else if action.1 {
            view.path_dialog = Some((purpose, typed));
            out.push(Command::Browse(purpose));
        } else if action.2 || escape {
            view.path_dialog = None;
        } else {
            view.path_dialog = Some((purpose, typed));
        }
    }
}

fn purpose_title(p: PathPurpose) -> &'static str {
    match p {
        PathPurpose::Open => "Open project",
        PathPurpose::SaveAs => "Save project as",
        PathPurpose::WriteUp => "Save the write-up",
        PathPurpose::Calendar => "Export the timeline as a calendar",
        PathPurpose::CveRecord => "Export the CVE JSON 5 record",
        PathPurpose::ReleaseDocument(f) => match f {
            crate::workflows::export::ReleaseFormat::Csaf => "Export the CSAF advisory",
            crate::workflows::export::ReleaseFormat::CsafVex => "Export the CSAF VEX document",
            crate::workflows::export::ReleaseFormat::OpenVex => "Export the OpenVEX document",
        },
        PathPurpose::ProjectKey => "Choose the key file",
    }
}

fn purpose_verb(p: PathPurpose) -> &'static str {
    match p {
        PathPurpose::Open => "Open",
        PathPurpose::ProjectKey => "Choose",
        PathPurpose::SaveAs
        | PathPurpose::WriteUp
        | PathPurpose::Calendar
        | PathPurpose::CveRecord
        | PathPurpose::ReleaseDocument(_) => "Save",
    }
}

trait FocusOnce {
    fn request_focus_once(&self, ui: &egui::Ui);
}

impl FocusOnce for egui::Response {
    /// Focus the field when its dialog first appears.
    fn request_focus_once(&self, ui: &egui::Ui) {
        let key = self.id.with("focused once");
        let first = ui.ctx().data_mut(|d| {
            let seen = d.get_temp::<bool>(key).unwrap_or(false);
            d.insert_temp(key, true);
            !seen
        });
        if first {
            self.request_focus();
        }
    }
}

/// The View menu's theme and UI scale choices.
fn view_prefs(ui: &mut egui::Ui, app: &AppRef<'_>, out: &mut Vec<Command>) {
    use crate::adapters::prefs::{SCALE_RANGE, Theme};
    let mut prefs = app.prefs;
    ui.label("Theme");
    for (theme, name, tip) in [
        (
            Theme::System,
            "Follow the system",
            "Light or dark as the desktop is set",
        ),
        (Theme::Light, "Light", "Always light"),
        (Theme::Dark, "Dark", "Always dark"),
    ] {
        ui.radio_value(&mut prefs.theme, theme, name)
            .on_hover_text(tip);
    }
    ui.separator();
    ui.horizontal(|ui| {
        let label = ui.label("UI scale");
        ui.add(
            egui::Slider::new(&mut prefs.scale, SCALE_RANGE)
                .step_by(0.05)
                .custom_formatter(|v, _| format!("{:.0} %", v * 100.0)),
        )
        .labelled_by(label.id)
        .on_hover_text("Ctrl+Plus and Ctrl+Minus change it too; Ctrl+0 resets it");
        if ui.button("Reset").on_hover_text("Back to 100 %").clicked() {
            prefs.scale = 1.0;
        }
    });
    if prefs != app.prefs {
        out.push(Command::SetPrefs(prefs));
    }
}

/// What the user chose in the unlock dialog.
enum Unlock {
    Open,
    Choose,
    Cancel,
}

/// The key dialog of an encrypted project: gpg-agent or a key file, and a
/// passphrase (optional: the agent can ask through its own prompt).
fn unlock_dialog(ui: &mut egui::Ui, d: &mut UnlockDialog) -> Option<Unlock> {
    let name = d
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    ui.heading("Open an encrypted project");
    ui.label(format!(
        "{name} is kept encrypted at rest. Choose the secret key that opens it."
    ));
    ui.add_space(4.0);
    ui.radio_value(&mut d.use_key_file, false, "The key in GnuPG (gpg-agent)")
        .on_hover_text("GnuPG's agent decrypts; if the key has a passphrase and none is typed below, its own prompt asks for it");
    ui.horizontal(|ui| {
        ui.radio_value(&mut d.use_key_file, true, "A secret key file")
            .on_hover_text("A key exported with `gpg --export-secret-keys --armor`");
        let shown = d
            .key_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none chosen".to_owned());
        ui.label(shown);
    });
    let mut action = None;
    if ui.button("Choose key file…").clicked() {
        action = Some(Unlock::Choose);
    }
    ui.add_space(4.0);
    let label = ui.label("Passphrase (leave empty to let gpg-agent ask)");
    let edit = ui
        .add(egui::TextEdit::singleline(&mut *d.passphrase).password(true))
        .labelled_by(label.id);
    edit.request_focus_once(ui);
    let ready = !d.use_key_file || d.key_file.is_some();
    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if ui.add_enabled(ready, egui::Button::new("Open")).clicked() || (enter && ready) {
            action = Some(Unlock::Open);
        }
        if ui.button("Cancel").clicked() {
            action = Some(Unlock::Cancel);
        }
    });
    action
}
