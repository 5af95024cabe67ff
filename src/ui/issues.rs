//! The left panel: the project's issues with their progress, a filter, and
//! add, rename and delete (with confirmation).

use super::command::{Command, Confirm};
use super::state::{Document, ViewState};
use crate::core::playbook::{issue_progress, step_states};

/// Height of an issue's progress bar in the list.
const PROGRESS_HEIGHT: f32 = 4.0;
/// Space below each issue of the list.
const ROW_GAP: f32 = 4.0;

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
    // The selected issue's own actions, and the rename editor, sit above
    // the list, so every row of the list has the same height and only the
    // rows in sight are laid out (a project of 500 issues costs no more per
    // frame than one of 20).
    if let Some(id) = view.selected_issue.clone()
        && let Some(issue) = doc.project.issue(&id)
    {
        let title = match &view.draft {
            Some(d) => d.title.as_str(),
            None => issue.title.as_str(),
        };
        match &mut renaming {
            Some((rid, text)) if *rid == id => {
                ui.horizontal(|ui| {
                    let label = ui.label(format!("Rename {rid}"));
                    let edit = ui.text_edit_singleline(text).labelled_by(label.id);
                    if !edit.has_focus() && !edit.lost_focus() {
                        edit.request_focus();
                    }
                    let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("OK").clicked() || enter {
                        commands.push(Command::RenameIssue {
                            id: rid.clone(),
                            title: text.clone(),
                        });
                    }
                    if ui.button("Cancel").clicked()
                        || ui.input(|i| i.key_pressed(egui::Key::Escape))
                    {
                        commands.push(Command::SelectIssue(rid.clone()));
                    }
                });
            }
            _ => {
                ui.horizontal(|ui| {
                    ui.label(&issue.id);
                    if ui.small_button("Rename").clicked() {
                        renaming = Some((issue.id.clone(), title.to_owned()));
                    }
                    if ui.small_button("Delete…").clicked() {
                        confirm = Some(delete_confirm(&issue.id, title));
                    }
                });
            }
        }
        ui.separator();
    }

    let rows: Vec<&crate::core::model::Issue> = doc
        .project
        .issues
        .iter()
        .filter(|issue| matches_filter(issue, &filter))
        .collect();
    if rows.is_empty() && !doc.project.issues.is_empty() {
        ui.label(format!(
            "No issue matches “{}”: change the filter or clear it to see all {}.",
            view.issue_filter,
            doc.project.issues.len()
        ));
    }
    let spacing = ui.spacing().item_spacing.y;
    let line = ui.text_style_height(&egui::TextStyle::Button) + 2.0 * ui.spacing().button_padding.y;
    let row_height = line + spacing + PROGRESS_HEIGHT + ROW_GAP;
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("issue list")
        .auto_shrink([false, false]);
    // A selection made elsewhere (Alt+Up/Down, a command) is scrolled into
    // sight the frame it changes.
    let seen_id = egui::Id::unique("embargo: issue list selection");
    let seen: Option<String> = ui.data(|d| d.get_temp(seen_id));
    if seen != view.selected_issue {
        ui.data_mut(|d| d.insert_temp(seen_id, view.selected_issue.clone()));
        if let Some(index) = rows
            .iter()
            .position(|i| Some(i.id.as_str()) == view.selected_issue.as_deref())
        {
            let visible_id = egui::Id::unique("embargo: issue list visible");
            let visible: std::ops::Range<usize> =
                ui.data(|d| d.get_temp(visible_id)).unwrap_or(0..usize::MAX);
            if !visible.contains(&index) {
                let half = (visible.len().min(rows.len()) / 2) as f32;
                scroll = scroll.vertical_scroll_offset(
                    ((index as f32 - half).max(0.0)) * (row_height + spacing),
                );
            }
        }
    }
    scroll.show_rows(ui, row_height, rows.len(), |ui, range| {
        let visible_id = egui::Id::unique("embargo: issue list visible");
        ui.data_mut(|d| d.insert_temp(visible_id, range.clone()));
        for issue in &rows[range] {
            let selected = view.selected_issue.as_deref() == Some(issue.id.as_str());
            // Show the draft's title for the selected issue, so edits appear at once.
            let title = match (&view.draft, selected) {
                (Some(d), true) => d.title.as_str(),
                _ => issue.title.as_str(),
            };
            let (settled, total) = *view
                .progress
                .by_issue
                .entry(issue.id.clone())
                .or_insert_with(|| {
                    issue_progress(&step_states(&doc.project, issue, &doc.playbook, now))
                });
            ui.push_id(&issue.id, |ui| {
                ui.set_height(row_height);
                // One line per issue: a long title is cut short here and
                // shown whole in the tooltip and the wizard's heading.
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
                let response = ui
                    .selectable_label(selected, format!("{}  {}", issue.id, title))
                    .on_hover_text(format!(
                        "{}  {}\n{} of {} steps settled{}",
                        issue.id,
                        title,
                        settled,
                        total,
                        issue
                            .severity
                            .map(|s| format!(" · {s}"))
                            .unwrap_or_default()
                    ));
                ui.add(
                    egui::ProgressBar::new(settled as f32 / total.max(1) as f32)
                        .desired_height(PROGRESS_HEIGHT),
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
            });
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
            issue.identifier().unwrap_or("")
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
