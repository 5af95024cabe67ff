//! The wizard of the selected issue: its progress, the step list with each
//! step's computed status, and the step view (help, what is left, failing
//! checks, the form, actions, notes, Back / Mark done / Skip / Next). Also the
//! journal window and the text window for write-ups and drafted replies.

use chrono::{DateTime, Utc};

use super::command::{Command, Confirm, PathPurpose};
use super::fields;
use super::state::{Document, ViewState};
use super::widgets::{first_focusable, focus_and_show, keyed, show_focused};
use crate::core::ops::StepAction;
use crate::core::playbook::{
    Action, Status, StepState, issue_progress, kind_def, step_states_with,
};

/// The colour and icon of a status.
pub(super) fn status_look(status: &Status, ui: &egui::Ui) -> (&'static str, egui::Color32) {
    let v = ui.visuals();
    match status {
        Status::Done => ("✔", egui::Color32::from_rgb(0x2e, 0x9d, 0x4f)),
        Status::Ready => ("▶", v.hyperlink_color),
        Status::Blocked(_) => ("⏸", v.weak_text_color()),
        Status::Warning(_) => ("⚠", v.warn_fg_color),
        Status::Skipped(_) => ("»", v.weak_text_color()),
        Status::NotApplicable(_) => ("–", v.weak_text_color()),
    }
}

/// Draw the wizard in the central panel.
pub(super) fn wizard(
    ui: &mut egui::Ui,
    doc: Option<&Document>,
    view: &mut ViewState,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let Some(doc) = doc else {
        ui.centered_and_justified(|ui| {
            ui.label("Open a project (File › Open…) or create one (File › New project…).")
        });
        return;
    };
    let Some(draft) = &view.draft else {
        ui.centered_and_justified(|ui| {
            ui.label(if doc.project.issues.is_empty() {
                "Add the first issue on the left: type the report's title and press Add issue."
            } else {
                "Select an issue on the left to walk through its steps."
            })
        });
        return;
    };
    let verdicts = super::picker::step_verdicts(ui, doc, draft, now);
    let states = step_states_with(&doc.project, draft, &doc.playbook, now, &verdicts);
    let (settled, total) = issue_progress(&states);

    ui.horizontal(|ui| {
        ui.heading(format!("{}  {}", draft.id, draft.title));
        if let Some(cve) = draft.identifier() {
            ui.label(egui::RichText::new(cve).strong());
        }
        if let Some(s) = draft.severity {
            ui.label(format!("· {s}"));
        }
    });
    ui.add(
        egui::ProgressBar::new(settled as f32 / total.max(1) as f32)
            .text(format!("{settled} of {total} steps settled")),
    );
    ui.add_space(4.0);

    // The step list and the step view are panels inside the central panel,
    // on the window's background already: filling their area again
    // (another 0.8 million pixels, a layer of overdraw on every frame)
    // would change nothing on screen, so their frames keep their margins
    // and leave the fill out.
    let side = super::widgets::panel_frame(egui::Frame::side_top_panel(ui.style()));
    let central = super::widgets::panel_frame(egui::Frame::central_panel(ui.style()));
    egui::Panel::left("steps")
        .frame(side)
        .resizable(true)
        .default_size(240.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                let mut phase = None;
                for (i, state) in states.iter().enumerate() {
                    let p = state.step.phase();
                    if phase != Some(p) {
                        phase = Some(p);
                        ui.add_space(4.0);
                        ui.label(egui::RichText::new(p.label()).small().strong());
                    }
                    let (icon, colour) = status_look(&state.status, ui);
                    let text = egui::RichText::new(format!("{icon}  {}", state.step.title()))
                        .color(colour);
                    let r = ui.selectable_label(i == view.selected_step, text);
                    let r = match state.status.reason() {
                        "" => r.on_hover_text(state.status.name()),
                        reason => r.on_hover_text(format!("{}: {reason}", state.status.name())),
                    };
                    if r.clicked() {
                        commands.push(Command::SelectStep(i));
                    }
                }
            });
        });

    let index = view.selected_step.min(states.len().saturating_sub(1));
    egui::CentralPanel::default().frame(central).show(ui, |ui| {
        let Some(state) = states.get(index) else {
            return;
        };
        // The step's buttons are pinned below its scrolling view, so that
        // Back, Next and Mark done are always in sight and in one place.
        let full = ui.available_rect_before_wrap();
        let nav_id = ui.make_persistent_id("step buttons height");
        let nav_height: f32 = ui.data(|d| d.get_temp(nav_id)).unwrap_or(70.0);
        let split = (full.max.y - nav_height).max(full.min.y);
        let top = egui::Rect::from_min_max(full.min, egui::pos2(full.max.x, split));
        let bottom = egui::Rect::from_min_max(egui::pos2(full.min.x, split), full.max);
        ui.scope_builder(egui::UiBuilder::new().max_rect(top), |ui| {
            egui::ScrollArea::vertical()
                .id_salt("step view")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    show_focused(ui, |ui| step_view(ui, doc, view, state, now, commands));
                });
        });
        let used = ui
            .scope_builder(egui::UiBuilder::new().max_rect(bottom), |ui| {
                ui.separator();
                step_buttons(ui, view, state, index, states.len(), commands);
            })
            .response
            .rect
            .height();
        if (used - nav_height).abs() > 0.5 {
            ui.data_mut(|d| d.insert_temp(nav_id, used));
            ui.ctx().request_repaint();
        }
    });
}

fn step_view(
    ui: &mut egui::Ui,
    doc: &Document,
    view: &mut ViewState,
    state: &StepState<'_>,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let def = kind_def(state.step.kind);
    let key = state.step.key().to_owned();
    ui.label(egui::RichText::new(state.step.phase().label()).small());
    ui.heading(state.step.title());
    let (icon, colour) = status_look(&state.status, ui);
    // A reason that is a finding's, listed below with its Acknowledge
    // button, is not said twice.
    let status_text = match state.status.reason() {
        r if r.is_empty() || state.findings.iter().any(|f| f.reason == r) => {
            format!("{icon} {}", state.status.name())
        }
        r => format!("{icon} {}: {r}", state.status.name()),
    };
    ui.label(egui::RichText::new(status_text).color(colour));
    ui.add_space(6.0);
    if let Some(text) = &state.step.text {
        ui.label(text);
        ui.add_space(4.0);
    }
    if state.step.kind != crate::core::playbook::StepKind::Checklist {
        ui.label(egui::RichText::new(def.help).italics());
    }
    if state.step.optional {
        ui.label(egui::RichText::new("Optional: it holds nothing up.").small());
    }
    ui.add_space(6.0);

    if !state.todo.is_empty() {
        ui.label(egui::RichText::new("Still to do").strong());
        for t in &state.todo {
            ui.label(format!("• {t}"));
        }
        ui.add_space(4.0);
    }
    for f in &state.findings {
        keyed(ui, ("finding", f.check), |ui| {
            ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(format!("⚠ {}", f.reason)).color(ui.visuals().warn_fg_color))
                .on_hover_text(format!(
                    "Check `{}`. {}",
                    f.check,
                    crate::core::checks::explain(f.check)
                ));
            if ui
                .small_button(format!("Acknowledge ({})", f.check))
                .on_hover_text("Record in the journal that you know and accept this; the note below goes with it.")
                .clicked()
            {
                commands.push(Command::Acknowledge { key: key.clone(), check: f.check.to_owned() });
            }
        })
        });
    }
    for f in &state.acknowledged {
        ui.label(egui::RichText::new(format!("✔ acknowledged: {}", f.reason)).weak())
            .on_hover_text(crate::core::checks::explain(f.check));
    }

    // The form, the actions and the notes: each in a child `Ui` whose id
    // comes from the step's key, so the lines above (still to do, findings)
    // may come and go without moving a field's id and taking its focus.
    let focus = std::mem::take(&mut view.focus_form);
    let ((), first) = first_focusable(ui, |ui| {
        keyed(ui, ("step form", &key), |ui| {
            step_body(ui, doc, view, state, &key, now, commands);
        });
    });
    if focus && let Some(id) = first {
        focus_and_show(ui, id);
    }
}

/// The form, the actions and the notes of a step.
fn step_body(
    ui: &mut egui::Ui,
    doc: &Document,
    view: &mut ViewState,
    state: &StepState<'_>,
    key: &str,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let def = kind_def(state.step.kind);
    if !def.fields.is_empty() {
        ui.add_space(6.0);
        ui.separator();
        let release = view
            .draft
            .as_ref()
            .and_then(|d| doc.project.release_of(&d.id));
        if let Some(draft) = view.draft.as_mut() {
            fields::form(
                ui,
                doc,
                def.fields,
                draft,
                release,
                &mut view.release_form,
                now,
                commands,
            );
        }
        if let (Some(id), true) = (
            view.draft.as_ref().map(|d| d.id.clone()),
            def.fields
                .contains(&crate::core::playbook::Field::IntakeChannel),
        ) {
            super::intake::panel(ui, doc, &mut view.repo, &id, commands);
        }
        if let (Some(draft), true) = (
            view.draft.as_ref(),
            def.fields
                .contains(&crate::core::playbook::Field::FixCommits),
        ) {
            super::gitpanel::fix_commit_picker(ui, &mut view.repo, draft, commands);
        }
        if let (Some(draft), true) = (
            view.draft.as_ref(),
            def.fields
                .contains(&crate::core::playbook::Field::Published),
        ) {
            let release = doc.project.release_of(&draft.id);
            super::gitpanel::push_panel(ui, &view.repo, &draft.id, release, commands);
        }
    }

    for (n, action) in def.actions.iter().enumerate() {
        ui.add_space(6.0);
        keyed(ui, ("action", n), |ui| {
            action_ui(ui, doc, view, action, now, commands)
        });
    }

    // A step that sends a notice composes it (mail part of #22).
    super::mail::compose_button(ui, state.step.kind, key, commands);

    ui.add_space(6.0);
    ui.separator();
    if let Some(draft) = view.draft.as_mut() {
        let label = ui.label("Notes on this step");
        let notes = draft.step_notes.entry(key.to_owned()).or_default();
        ui.add(
            egui::TextEdit::multiline(notes)
                .id_salt("step notes")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if notes.is_empty() {
            draft.step_notes.remove(key);
        }
    }
}

/// One action of a step's kind: its button or panel.
fn action_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    view: &mut ViewState,
    action: &Action,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    match action {
        Action::DraftNotSecurityReply => {
            ui.horizontal(|ui| {
                let label = ui.label("Why it is not a security issue");
                ui.text_edit_singleline(&mut view.reply_reason)
                    .labelled_by(label.id);
            });
            if ui.button(action.label()).clicked() {
                commands.push(Command::DraftReply(view.reply_reason.clone()));
            }
        }
        Action::WriteUp => {
            if ui.button(action.label()).clicked() {
                commands.push(Command::ShowWriteUp);
            }
        }
        Action::GitGuard => {
            if let Some(draft) = view.draft.as_ref() {
                let id = draft.id.clone();
                let idle = crate::core::guard::nothing_to_guard(&doc.project, draft, now);
                super::gitpanel::guard_panel(
                    ui,
                    &mut view.git,
                    &doc.project.repo,
                    &id,
                    &idle,
                    false,
                    commands,
                );
            }
        }
        Action::BuildArtifacts => {
            let issue = view.draft.as_ref();
            let ready = if view.signing.running.is_some() {
                Err("Busy: wait for the running job")
            } else if issue.and_then(|d| doc.project.release_of(&d.id)).is_none() {
                Err("Plan the release first")
            } else if doc.project.signing.is_none() {
                Err("Set the signing key first (Change key…, or Project › Settings › Signing key)")
            } else if issue.is_none_or(|d| d.fix_commits.is_empty()) {
                Err("Record the fix commits first")
            } else if doc.project.repo.path.trim().is_empty() {
                Err("Set the repository path first (Project › Settings › Repository › Path)")
            } else {
                Ok(())
            };
            let release = issue.and_then(|d| doc.project.release_of(&d.id));
            let id = issue.map(|d| d.id.clone()).unwrap_or_default();
            super::gitpanel::build_panel(ui, &mut view.repo, &id, release, ready, commands);
        }
        Action::ShareCredentials => {
            let release = view
                .draft
                .as_ref()
                .and_then(|d| doc.project.release_of(&d.id));
            super::share::panel(
                ui,
                &view.share,
                release,
                &doc.project.publication.embargo_url,
                commands,
            );
        }
        Action::ExportCveRecord => {
            if let Some(draft) = view.draft.as_ref() {
                let problems = crate::core::render::cve::check(&doc.project, draft);
                if problems.is_empty() {
                    ui.label(
                        "✔ The CVE record is complete and follows the CVE 5.1 schema's rules.",
                    );
                } else {
                    ui.label(egui::RichText::new("The CVE record is not complete yet:").strong());
                    for p in &problems {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {p}"))
                            .on_hover_text(crate::core::render::cve::explain_field(&p.field));
                    }
                }
                if ui
                    .add_enabled(problems.is_empty(), egui::Button::new(action.label()))
                    .on_disabled_hover_text("Complete the fields listed above first")
                    .clicked()
                {
                    commands.push(Command::AskPath(PathPurpose::CveRecord));
                }
                let planned = doc.project.release_of(&draft.id).is_some();
                ui.horizontal(|ui| {
                    use crate::workflows::export::ReleaseFormat;
                    for (format, label) in [
                        (ReleaseFormat::Csaf, "Export CSAF advisory…"),
                        (ReleaseFormat::CsafVex, "Export CSAF VEX…"),
                        (ReleaseFormat::OpenVex, "Export OpenVEX…"),
                    ] {
                        if ui
                            .add_enabled(planned, egui::Button::new(label))
                            .on_disabled_hover_text(
                                "Plan the release first: the documents cover it",
                            )
                            .clicked()
                        {
                            commands.push(Command::AskPath(PathPurpose::ReleaseDocument(format)));
                        }
                    }
                });
            }
        }
        Action::SignFiles => {
            let release = view
                .draft
                .as_ref()
                .and_then(|d| doc.project.release_of(&d.id));
            super::signing::panel(
                ui,
                &mut view.signing,
                doc.project.signing.as_ref(),
                release,
                now,
                commands,
            );
        }
    }
}

/// The step's note line and its buttons, each always in the same place:
/// Back and Next first, then one slot that says "Mark done" or, once the
/// step is marked, "Reopen…" (which asks first), then "Skip with reason".
/// A second click where "Mark done" was never reopens the step, and Next
/// does not move when the step is marked.
fn step_buttons(
    ui: &mut egui::Ui,
    view: &mut ViewState,
    state: &StepState<'_>,
    index: usize,
    count: usize,
    commands: &mut Vec<Command>,
) {
    let key = state.step.key().to_owned();
    keyed(ui, "step buttons", |ui| {
        ui.horizontal(|ui| {
            let label = ui.label("Journal note or skip reason");
            ui.add(
                egui::TextEdit::singleline(&mut view.step_line)
                    .id_salt("step line")
                    .desired_width(ui.available_width().clamp(120.0, 320.0)),
            )
            .labelled_by(label.id);
        });
        ui.add_space(4.0);
        // Every slot as wide as the widest of its texts; the row wraps in a
        // narrow window, always the same way for a step.
        let slot = egui::vec2(96.0, 0.0);
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(index > 0, egui::Button::new("◀ Back").min_size(slot))
                .on_hover_text("Alt+Left")
                .clicked()
            {
                commands.push(Command::SelectStep(index - 1));
            }
            if ui
                .add_enabled(
                    index + 1 < count,
                    egui::Button::new("Next ▶").min_size(slot),
                )
                .on_hover_text("Alt+Right")
                .clicked()
            {
                commands.push(Command::SelectStep(index + 1));
            }
            ui.separator();
            if state.marked {
                if ui
                    .add(egui::Button::new("Reopen…").min_size(slot))
                    .on_hover_text("Open this step again (asks first; journaled)")
                    .clicked()
                {
                    commands.push(Command::Ask(Box::new(Confirm {
                        message: format!(
                            "Reopen “{}”? It was marked {}; reopening is journaled.",
                            state.step.title(),
                            state.status.name()
                        ),
                        yes: "Reopen".into(),
                        command: Command::MarkStep {
                            key: key.clone(),
                            action: StepAction::Reopen,
                            note: view.step_line.clone(),
                        },
                        discard_first: false,
                    })));
                }
            } else {
                let can_mark =
                    !matches!(state.status, Status::Blocked(_) | Status::NotApplicable(_));
                if ui
                    .add_enabled(can_mark, egui::Button::new("Mark done").min_size(slot))
                    .on_hover_text("Ctrl+Enter; the note above goes into the journal")
                    .on_disabled_hover_text(format!("This step is {}", state.status))
                    .clicked()
                {
                    commands.push(Command::MarkStep {
                        key: key.clone(),
                        action: StepAction::Done,
                        note: view.step_line.clone(),
                    });
                }
            }
            let reason = view.step_line.trim().to_owned();
            if ui
                .add_enabled(
                    !reason.is_empty(),
                    egui::Button::new("Skip with reason").min_size(slot),
                )
                .on_disabled_hover_text("Type the reason in the field above first")
                .clicked()
            {
                commands.push(Command::MarkStep {
                    key: key.clone(),
                    action: StepAction::Skip(reason),
                    note: String::new(),
                });
            }
        });
    });
}

/// The mail windows, the journal window, the text window and the time
/// settings window.
pub(super) fn windows(
    ctx: &egui::Context,
    doc: Option<&Document>,
    view: &mut ViewState,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    super::mail::windows(ctx, doc, &mut view.mail, now, commands);
    super::due::window(ctx, doc, &mut view.show_due, now, commands);
    if let Some(mut form) = view.time_form.take()
        && super::settings::time_window(ctx, &mut form, now.date_naive(), commands)
    {
        view.time_form = Some(form);
    }
    if view.show_journal {
        let mut open = true;
        egui::Window::new("Journal")
            .open(&mut open)
            .default_size([640.0, 400.0])
            .show(ctx, |ui| {
                journal(ui, doc, view);
            });
        view.show_journal = open;
    }
    if let Some((title, text)) = view.text_window.clone() {
        let mut open = true;
        let mut save = false;
        egui::Window::new(title.clone())
            .open(&mut open)
            .default_size([640.0, 480.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Copy").clicked() {
                        ui.ctx().copy_text(text.clone());
                    }
                    if title.starts_with("Write-up") && ui.button("Save as…").clicked() {
                        save = true;
                    }
                    if title.starts_with("Write-up") {
                        super::gitpanel::writeup_options(ui, &mut view.writeup_addresses, commands);
                    }
                });
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let mut shown = text.as_str();
                    ui.add(
                        egui::TextEdit::multiline(&mut shown)
                            .code_editor()
                            .desired_width(f32::INFINITY),
                    );
                });
            });
        if save {
            commands.push(Command::AskPath(PathPurpose::WriteUp));
        }
        if !open {
            view.text_window = None;
        }
    }
}

fn journal(ui: &mut egui::Ui, doc: Option<&Document>, view: &mut ViewState) {
    let (Some(doc), Some(issue)) = (doc, &view.draft) else {
        ui.label("Select an issue to see its journal.");
        return;
    };
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.text_edit_singleline(&mut view.journal_filter)
            .labelled_by(label.id);
        ui.label(format!("times in {}", doc.project.time.home_zone));
    });
    let filter = view.journal_filter.to_lowercase();
    let zone = doc.project.time.home_zone;
    let current = doc.project.issue(&issue.id).unwrap_or(issue);
    if current.journal.is_empty() {
        ui.label(
            "Nothing journaled yet: marking, skipping or acknowledging a step adds a line here.",
        );
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        egui::Grid::new("journal")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                ui.strong("When");
                ui.strong("Step");
                ui.strong("What happened");
                ui.strong("Note");
                ui.end_row();
                for e in current.journal.iter().rev() {
                    let step = e
                        .step
                        .as_deref()
                        .map(|k| {
                            doc.playbook
                                .step(k)
                                .map(|s| s.title().to_owned())
                                .unwrap_or_else(|| k.to_owned())
                        })
                        .unwrap_or_default();
                    let what = e.event.describe();
                    let line = format!("{step} {what} {}", e.note).to_lowercase();
                    if !filter.is_empty() && !line.contains(&filter) {
                        continue;
                    }
                    ui.label(
                        e.at.with_timezone(&zone)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                    );
                    ui.label(step);
                    ui.label(what);
                    ui.label(&e.note);
                    ui.end_row();
                }
            });
    });
}
