//! Notifications: a pop-up in the bottom-right corner for each job the user
//! started when it finishes and for each error a panel shows in place, each
//! shown once — until dismissed or [`POPUP_FOR`] has passed — and never
//! again; and the session's history of every notice (View ›
//! Notifications…). Errors that stop the user get the error dialog instead
//! (see `menu.rs`).

use std::time::Instant;

use super::app::{EmbargoApp, NoticeKind, POPUP_FOR};

/// The pop-up notifications that are due, newest at the bottom.
pub(super) fn popups(ctx: &egui::Context, app: &mut EmbargoApp) {
    let now = Instant::now();
    for n in &mut app.notices {
        if n.popup && now.duration_since(n.at) >= POPUP_FOR {
            n.popup = false;
        }
    }
    let showing: Vec<usize> = (0..app.notices.len())
        .filter(|&i| app.notices[i].popup)
        .collect();
    if showing.is_empty() {
        return;
    }
    let first_due = showing
        .iter()
        .map(|&i| POPUP_FOR.saturating_sub(now.duration_since(app.notices[i].at)))
        .min()
        .unwrap_or(POPUP_FOR);
    ctx.request_repaint_after(first_due);
    egui::Area::new(egui::Id::unique("notifications"))
        .anchor(egui::Align2::RIGHT_BOTTOM, [-12.0, -36.0])
        .order(egui::Order::Foreground)
        .interactable(true)
        .show(ctx, |ui| {
            ui.set_max_width(420.0);
            for i in showing {
                let n = &app.notices[i];
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
                    app.notices[i].popup = false;
                }
            }
        });
}

/// The window listing this session's notices, newest first.
pub(super) fn history_window(ctx: &egui::Context, app: &mut EmbargoApp) {
    if !app.view.show_notifications {
        return;
    }
    let mut open = true;
    egui::Window::new("Notifications")
        .open(&mut open)
        .default_size([560.0, 320.0])
        .show(ctx, |ui| {
            if app.notices.is_empty() {
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
                        for n in app.notices.iter().rev() {
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
    app.view.show_notifications = open;
}
