//! The left panel: the project's issues with their progress, a filter, and
//! add, rename and delete (with confirmation).

use super::command::{Command, Confirm};
use super::state::{Document, ViewState};
use crate::core::playbook::{issue_progress, step_states};

/// Draw the issue list.
pub(super) fn issue_list(
    ui: &mut egui::Ui,
    doc: Option<&Document>,
    view: &mut ViewState,
    now: chrono::DateTime<chrono::Utc>,
    commands: &mut Vec<Command>,
) {
    let Some(doc) = doc else {
        ui.add_space(12.0);
        ui.label("No project is open.");
        ui.label("Use File › Open… or File › New project….");
        return;
    };
    ui.horizontal(|ui| {
        ui.heading(&doc.project.name);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if super::widgets::icon_button(ui, "◀", "Hide the issue list").clicked() {
                view.issues_collapsed = true;
            }
        });
    });
    ui.label(format!("{} playbook", doc.playbook.name));
    ui.separator();

    ui.horizontal(|ui| {
        let label = ui.label("New issue");
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut view.new_issue_title)
                    .hint_text("title of the report")
                    .desired_width(110.0),
            )
            .labelled_by(label.id);
        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let title = view.new_issue_title.trim().to_owned();
        if (ui
            .add_enabled(!title.is_empty(), egui::Button::new("Add issue"))
            .clicked()
            || enter)
            && !title.is_empty()
        {
            commands.push(Command::AddIssue(title));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut view.issue_filter)
                .hint_text("ID, title or CVE")
                .desired_width(140.0),
        )
        .labelled_by(label.id);
    });
    ui.separator();

    let key = (doc.version(), now.timestamp() / 60);
    if view.progress.key != Some(key) {
        view.progress.key = Some(key);
        view.progress.by_issue.clear();
    }
    let filter = view.issue_filter.to_lowercase();
    let mut confirm = None;
    let mut renaming = view.renaming.take();
    if doc.project.issues.is_empty() {
        ui.label("No issues yet: type the title of a report above and press Add issue.");
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        let mut shown = 0;
        for issue in &doc.project.issues {
            if !matches_filter(issue, &filter) {
                continue;
            }
            shown += 1;
            let selected = view.selected_issue.as_deref() == Some(issue.id.as_str());
            // Show the draft's title for the selected issue, so edits appear at once.
            let title = match (&view.draft, selected) {
                (Some(d), true) => d.title.as_str(),
                _ => issue.title.as_str(),
            };
            if let Some((id, text)) = &mut renaming
                && *id == issue.id
            {
                ui.horizontal(|ui| {
                    let label = ui.label(format!("Rename {id}"));
                    let edit = ui.text_edit_singleline(text).labelled_by(label.id);
                    if !edit.has_focus() && !edit.lost_focus() {
                        edit.request_focus();
                    }
                    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("OK").clicked() || enter {
                        commands.push(Command::RenameIssue {
                            id: id.clone(),
                            title: text.clone(),
                        });
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        commands.push(Command::SelectIssue(id.clone()));
                    }
                });
                continue;
            }
            let (settled, total) = *view
                .progress
                .by_issue
                .entry(issue.id.clone())
                .or_insert_with(|| {
                    issue_progress(&step_states(&doc.project, issue, &doc.playbook, now))
                });
            let response = ui
                .selectable_label(selected, format!("{}  {}", issue.id, title))
                .on_hover_text(format!(
                    "{} of {} steps settled{}",
                    settled,
                    total,
                    issue
                        .severity
                        .map(|s| format!(" · {s}"))
                        .unwrap_or_default()
                ));
            ui.add(
                egui::ProgressBar::new(settled as f32 / total.max(1) as f32).desired_height(4.0),
            );
            if response.clicked() {
                commands.push(Command::SelectIssue(issue.id.clone()));
            }
            response.context_menu(|ui| {
                if ui.button("Rename").clicked() {
                    renaming = Some((issue.id.clone(), issue.title.clone()));
                }
                if ui.button("Delete…").clicked() {
                    confirm = Some(delete_confirm(&issue.id, &issue.title));
                }
            });
            if selected {
                ui.horizontal(|ui| {
                    if ui.small_button("Rename").clicked() {
                        renaming = Some((issue.id.clone(), title.to_owned()));
                    }
                    if ui.small_button("Delete…").clicked() {
                        confirm = Some(delete_confirm(&issue.id, title));
                    }
                });
            }
            ui.add_space(4.0);
        }
        if shown == 0 && !doc.project.issues.is_empty() {
            ui.label(format!(
                "No issue matches “{}”: change the filter or clear it to see all {}.",
                view.issue_filter,
                doc.project.issues.len()
            ));
        }
    });
    // A rename is cancelled by selecting; otherwise it stays open.
    if !commands
        .iter()
        .any(|c| matches!(c, Command::SelectIssue(_) | Command::RenameIssue { .. }))
    {
        view.renaming = renaming;
    }
    if confirm.is_some() {
        view.confirm = confirm;
    }
}

/// Whether `issue` is listed under the lower-cased `filter` (ID, title or
/// CVE ID contains it; an empty filter lists all).
pub(super) fn matches_filter(issue: &crate::core::model::Issue, filter: &str) -> bool {
    filter.is_empty()
        || format!(
            "{} {} {}",
            issue.id,
            issue.title,
            issue.cve_id().unwrap_or("")
        )
        .to_lowercase()
        .contains(filter)
}

fn delete_confirm(id: &str, title: &str) -> Confirm {
    Confirm {
        message: format!(
            "Delete {id} “{title}” and its journal? This cannot be undone once saved."
        ),
        yes: "Delete".into(),
        command: Command::DeleteIssue(id.to_owned()),
        discard_first: false,
    }
}
