//! The Due window (View › Due): what must happen today and this week across
//! every issue of the project (notices to send, the start of packaging, the
//! release, the oss-security post and what follows), each with its time in
//! the home zone and in UTC and a button that goes to the step that does
//! it. The list is [`crate::core::due::due`], the one `embargo due` prints.
//! Above it, the corrections to send ([`crate::core::told::corrections`]):
//! who was told a value that has changed since, with a button that opens
//! the notice window on the correction.
//! A report the Cyber Resilience Act asks has a "Draft report" button
//! beside it: the draft ([`crate::core::render::cra::report`], the text
//! `embargo export --format cra-report` writes) opens in a window of its
//! own, to copy into the reporting platform.

use chrono::{DateTime, Utc};

use super::command::Command;
use super::state::Document;
use crate::core::due::{self, Horizon};

/// Draw the Due window while `open`.
pub(super) fn window(
    ctx: &egui::Context,
    doc: Option<&Document>,
    open: &mut bool,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    if !*open {
        return;
    }
    egui::Window::new("Due")
        .open(open)
        .default_pos([40.0, 60.0])
        .default_size([860.0, 360.0])
        .show(ctx, |ui| {
            let Some(doc) = doc else {
                ui.label("Open a project to see what is due.");
                return;
            };
            draft_window(ui, doc);
            // Computed again only when the project changes or a minute passes.
            let key = (doc.version(), super::picker::minute(now));
            let items = super::picker::kept(ui, "due", &key, || {
                due::due(&doc.project, &doc.playbook, now)
            });
            let home = doc.project.time.home_zone;
            ui.label(
                egui::RichText::new(format!(
                    "Now: {} · times in {} and UTC",
                    due::home_and_utc(now, home),
                    home.name()
                ))
                .weak(),
            );
            corrections(ui, doc, commands);
            if items.is_empty() {
                ui.label("Nothing is due today or this week.");
                return;
            }
            egui::ScrollArea::both().show(ui, |ui| {
                for horizon in [Horizon::Overdue, Horizon::Today, Horizon::ThisWeek] {
                    let rows: Vec<_> = items.iter().filter(|i| i.horizon == horizon).collect();
                    if rows.is_empty() {
                        continue;
                    }
                    ui.add_space(4.0);
                    let heading = egui::RichText::new(horizon.label()).strong();
                    ui.label(if horizon == Horizon::Overdue {
                        heading.color(ui.visuals().error_fg_color)
                    } else {
                        heading
                    });
                    // The button first: a long line of what is due may run past
                    // the window's edge, and the way to its step stays in sight.
                    egui::Grid::new(("due", horizon.label()))
                        .num_columns(4)
                        .striped(true)
                        .show(ui, |ui| {
                            for item in rows {
                                let issue = item.issues.first().cloned().unwrap_or_default();
                                ui.push_id(
                                    (
                                        item.release.as_str(),
                                        item.milestone.id(),
                                        item.duty.map(|d| d.id()),
                                        issue.as_str(),
                                    ),
                                    |ui| {
                                        ui.horizontal(|ui| {
                                            go_to(ui, doc, item, &issue, commands);
                                            if item.duty.is_some_and(|d| d.is_cra())
                                                && ui
                                                    .button("Draft report")
                                                    .on_hover_text(format!(
                                                        "The Cyber Resilience Act's early \
                                                         warning, notification and final \
                                                         report of {issue}, drafted from it"
                                                    ))
                                                    .clicked()
                                            {
                                                ui.data_mut(|d| {
                                                    d.insert_temp(draft_id(), Some(issue.clone()));
                                                });
                                            }
                                        });
                                    },
                                );
                                ui.label(due::home_and_utc(item.at, home));
                                let what = ui.label(&item.what);
                                if let Some(kind) = item.duty {
                                    what.on_hover_text(kind.explanation());
                                }
                                ui.label(&item.release).on_hover_text(format!(
                                    "release {} of {}",
                                    item.release,
                                    item.issues.join(", ")
                                ));
                                ui.end_row();
                            }
                        });
                }
            });
        });
}

/// The corrections to send across the project's issues, each with the
/// button that drafts it.
fn corrections(ui: &mut egui::Ui, doc: &Document, commands: &mut Vec<Command>) {
    let due: Vec<(String, Vec<crate::core::told::Correction>)> = doc
        .project
        .issues
        .iter()
        .map(|i| {
            (
                i.id.clone(),
                crate::core::told::corrections(&doc.project, i),
            )
        })
        .filter(|(_, c)| !c.is_empty())
        .collect();
    if due.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(
        egui::RichText::new("Corrections to send")
            .strong()
            .color(ui.visuals().warn_fg_color),
    );
    for (issue, list) in due {
        ui.horizontal(|ui| {
            if ui
                .button(format!("Draft the correction for {issue}"))
                .on_hover_text("Open the notice window on the correction mail")
                .clicked()
            {
                commands.push(Command::SelectIssue(issue.clone()));
                commands.push(Command::Mail(super::command::MailCommand::DraftCorrection));
            }
            let who: Vec<String> = list.iter().map(crate::core::told::describe).collect();
            ui.label(who.join("; "));
        });
    }
}

/// The button that opens the step doing `item`.
fn go_to(
    ui: &mut egui::Ui,
    doc: &Document,
    item: &due::DueItem,
    issue: &str,
    commands: &mut Vec<Command>,
) {
    if ui
        .button(format!("Go to {issue}"))
        .on_hover_text(format!("Open the step “{}”", item.step))
        .clicked()
    {
        commands.push(Command::SelectIssue(issue.to_owned()));
        if let Some(i) = doc.playbook.steps.iter().position(|s| s.key() == item.step) {
            commands.push(Command::SelectStep(i));
        }
    }
}

/// Where the Due window keeps the issue whose report draft is open.
fn draft_id() -> egui::Id {
    egui::Id::unique("due cra draft")
}

/// The window with the Cyber Resilience Act report draft of the issue the
/// "Draft report" button chose, while it is open.
fn draft_window(ui: &egui::Ui, doc: &Document) {
    let Some(issue) = ui
        .data(|d| d.get_temp::<Option<String>>(draft_id()))
        .flatten()
    else {
        return;
    };
    let key = (doc.version(), issue.clone());
    let text = super::picker::kept(ui, "cra draft", &key, || {
        doc.project
            .issue(&issue)
            .ok_or_else(|| format!("{issue} is no longer in the project"))
            .and_then(|i| {
                crate::core::render::cra::report(&doc.project, i).map_err(|e| e.to_string())
            })
    });
    let mut open = true;
    egui::Window::new(format!("Cyber Resilience Act report: {issue}"))
        .id(egui::Id::unique("due cra draft window"))
        .open(&mut open)
        .default_size([640.0, 480.0])
        .show(ui.ctx(), |ui| match &*text {
            Ok(text) => {
                if ui.button("Copy to the clipboard").clicked() {
                    ui.ctx().copy_text(text.clone());
                }
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let mut shown = text.as_str();
                    ui.add(
                        egui::TextEdit::multiline(&mut shown)
                            .font(egui::TextStyle::Monospace)
                            .desired_width(f32::INFINITY),
                    );
                });
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
        });
    if !open {
        ui.data_mut(|d| d.remove::<Option<String>>(draft_id()));
    }
}
