//! Notifications: a pop-up in the bottom-right corner for each job the user
//! started when it finishes and for each error a panel shows in place, each
//! shown once — until dismissed or [`POPUP_FOR`] has passed — and never
//! again; and the session's history of every notice (View ›
//! Notifications…). Errors that stop the user get the error dialog instead
//! (see `menu.rs`). Also the status bar: the running job with its
//! progress, else the newest notice, and whether the project is saved.

use std::time::Instant;

use super::command::Command;
use super::state::{AppRef, Notice, NoticeKind, POPUP_FOR};

/// Clear the pop-up of every notice shown for [`POPUP_FOR`] (before drawing).
pub(super) fn expire_popups(notices: &mut [Notice]) {
    let now = Instant::now();
    for n in notices {
        if n.popup && now.duration_since(n.at) >= POPUP_FOR {
            n.popup = false;
        }
    }
}

/// The pop-up notifications that are due, newest at the bottom.
pub(super) fn popups(ctx: &egui::Context, notices: &[Notice], out: &mut Vec<Command>) {
    let now = Instant::now();
    let showing: Vec<&Notice> = notices.iter().filter(|n| n.popup).collect();
    if showing.is_empty() {
        return;
    }
    let first_due = showing
        .iter()
        .map(|n| POPUP_FOR.saturating_sub(now.duration_since(n.at)))
        .min()
        .unwrap_or(POPUP_FOR);
    ctx.request_repaint_after(first_due);
    egui::Area::new(egui::Id::unique("notifications"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
        .order(egui::Order::Foreground)
        .interactable(true)
        .show(ctx, |ui| {
            ui.set_max_width(420.0);
            for n in showing {
                let (icon, colour) = match n.kind {
                    NoticeKind::Error => ("✖", ui.visuals().error_fg_color),
                    _ => ("✔", ui.visuals().text_color()),
                };
                let mut dismiss = false;
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(egui::RichText::new(format!("{icon} {}", n.text)).color(colour));
                        dismiss = ui
                            .small_button("Dismiss")
                            .on_hover_text(
                                "Hide this notification (View › Notifications… keeps it)",
                            )
                            .clicked();
                    });
                });
                if dismiss {
                    out.push(Command::DismissPopup(n.id));
                }
            }
        });
}

/// The window listing this session's notices, newest first.
pub(super) fn history_window(ctx: &egui::Context, notices: &[Notice], show: &mut bool) {
    if !*show {
        return;
    }
    let mut open = true;
    egui::Window::new("Notifications")
        .open(&mut open)
        .default_size([560.0, 320.0])
        .show(ctx, |ui| {
            if notices.is_empty() {
                ui.label(
                    "Nothing yet. Finished jobs (saving, signing, sending a notice) and errors \
                     are listed here as they happen.",
                );
                return;
            }
            let now = Instant::now();
            egui::ScrollArea::vertical().show(ui, |ui| {
                egui::Grid::new("notice history")
                    .striped(true)
                    .num_columns(2)
                    .show(ui, |ui| {
                        for n in notices.iter().rev() {
                            let ago = now.duration_since(n.at).as_secs();
                            ui.label(match ago {
                                0..60 => format!("{ago} s ago"),
                                _ => format!("{} min ago", ago / 60),
                            });
                            let text = egui::RichText::new(&n.text);
                            ui.label(match n.kind {
                                NoticeKind::Error => text.color(ui.visuals().error_fg_color),
                                _ => text,
                            });
                            ui.end_row();
                        }
                    });
            });
        });
    *show = open;
}

/// The status bar: the running job (name, what it says, progress), else the
/// newest notice; on the right, whether the project is encrypted and saved,
/// and the Sync button of a project in a team repository.
pub(super) fn status_bar(
    ui: &mut egui::Ui,
    app: &AppRef<'_>,
    team: &super::team::TeamView,
    out: &mut Vec<Command>,
) {
    egui::Panel::bottom("status")
        .frame(super::widgets::panel_frame(egui::Frame::side_top_panel(
            ui.style(),
        )))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(running) = app.running {
                    ui.spinner();
                    ui.label(if running.message.is_empty() {
                        running.name.clone()
                    } else {
                        format!("{}: {}", running.name, running.message)
                    });
                    if let Some(f) = running.fraction {
                        ui.add(
                            egui::ProgressBar::new(f)
                                .desired_width(160.0)
                                .show_percentage(),
                        );
                    }
                } else if let Some(n) = app.notices.iter().rev().find(|n| {
                    // "… is still running" is over once that job has ended.
                    n.while_running
                        .as_deref()
                        .is_none_or(|job| app.running_jobs.contains(&job))
                }) {
                    ui.label(&n.text);
                } else {
                    ui.label("Ready");
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(at) = app.clock_set {
                        ui.label(
                        egui::RichText::new(format!(
                            "Clock set by EMBARGO_NOW: started at {}",
                            at.format("%Y-%m-%d %H:%M UTC")
                        ))
                        .color(ui.visuals().warn_fg_color),
                    )
                    .on_hover_text(
                        "A rehearsal: the app's present started at EMBARGO_NOW and runs on from \
                         there; rules, journal entries and keys are judged at it. Start the app \
                         without EMBARGO_NOW for the real time.",
                    );
                        ui.separator();
                    }
                    if let Some(doc) = app.doc {
                        super::team::status(ui, team, app.syncing, out);
                        if let Some(to) = doc.keeping.describe() {
                            ui.label("encrypted at rest").on_hover_text(format!(
                                "Saved as an OpenPGP message to {to}: the file, its backup and \
                             its temporary files hold no plain text"
                            ));
                            ui.separator();
                        }
                        let state = match (&doc.path, doc.is_dirty()) {
                            (None, _) => "not saved: use File › Save As".to_owned(),
                            (Some(_), true) => "unsaved changes (autosave on)".to_owned(),
                            (Some(_), false) => "all changes saved".to_owned(),
                        };
                        ui.label(state);
                    }
                });
            });
        });
}
