//! The team in the app: the Sync button in the status bar with where the
//! project stands against the team's repository (commits to push and to
//! take, an uncommitted change), and the conflicts window a sync opens when
//! both sides changed a field differently: each conflict with the base
//! value, both values and who set them, to take one side or type a value;
//! "Merge and sync" runs the sync again with those resolutions. The sync
//! itself is `workflows::sync`, the one `embargo sync` runs. Also the
//! members window (Project › Team members…): the team an encrypted project
//! is encrypted to and journal entries are credited to, as `embargo
//! members` lists and changes it.

use super::command::{Command, TeamCommand};
use crate::core::merge::Side;
use crate::workflows::sync::{Resolution, Standing};

/// How one conflict is to be resolved, as picked in the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Not decided yet.
    Undecided,
    /// Take one side's value.
    Side(Side),
    /// Use the value typed.
    Typed,
}

/// The conflicts window's working state.
#[derive(Clone, Debug, Default)]
pub struct ConflictsView {
    /// The conflicts the last sync stopped on.
    pub conflicts: Vec<crate::core::merge::Conflict>,
    /// How each is to be resolved.
    pub picks: Vec<Pick>,
    /// The value typed for each (starts as ours).
    pub typed: Vec<String>,
}

impl ConflictsView {
    /// The window for `conflicts`, nothing decided.
    pub fn new(conflicts: Vec<crate::core::merge::Conflict>) -> Self {
        let typed = conflicts.iter().map(|c| c.ours.clone()).collect();
        Self {
            picks: vec![Pick::Undecided; conflicts.len()],
            typed,
            conflicts,
        }
    }

    /// The resolutions picked, once every conflict has one.
    pub fn resolutions(&self) -> Option<Vec<Resolution>> {
        self.conflicts
            .iter()
            .zip(&self.picks)
            .zip(&self.typed)
            .map(|((c, pick), typed)| match pick {
                Pick::Undecided => None,
                Pick::Side(side) => Some(Resolution::Take {
                    path: c.path.clone(),
                    side: *side,
                }),
                Pick::Typed => Some(Resolution::Value {
                    path: c.path.clone(),
                    text: typed.clone(),
                }),
            })
            .collect()
    }
}

/// The members window's add form.
#[derive(Clone, Debug, Default)]
pub struct MemberForm {
    /// Name typed.
    pub name: String,
    /// Address typed.
    pub address: String,
    /// Certificate file typed (empty: none).
    pub cert: String,
    /// Why the last add was refused, shown under the form.
    pub error: Option<String>,
}

/// What the app knows of the team's repository.
#[derive(Clone, Debug, Default)]
pub struct TeamView {
    /// The members window, while open.
    pub members: Option<MemberForm>,
    /// Where the project stands (as of the last fetch), or why it cannot
    /// be synced (no repository, no remote); `None` until first read.
    pub standing: Option<Result<Standing, String>>,
    /// The conflicts window, while open.
    pub conflicts: Option<ConflictsView>,
}

/// The status bar's Sync button and standing, for a project in a team
/// repository (nothing otherwise: File › Sync says how to set one up).
pub(super) fn status(ui: &mut egui::Ui, team: &TeamView, busy: bool, out: &mut Vec<Command>) {
    let Some(Ok(s)) = &team.standing else {
        return;
    };
    let mut text = if s.ahead == 0 && s.behind == 0 {
        "Sync: up to date".to_owned()
    } else {
        format!("Sync: {} to push, {} to take", s.ahead, s.behind)
    };
    if s.changed {
        text.push_str(", changed");
    }
    let button = ui
        .add_enabled(!busy, egui::Button::new(text).small())
        .on_hover_text(format!(
            "Sync with {}/{}: {} commit(s) to push, {} to take (as of the last fetch){}. \
             Commits your change, fetches, merges field by field and pushes (File › Sync, {}).",
            s.remote,
            s.branch,
            s.ahead,
            s.behind,
            if s.changed {
                "; the project has changes not yet committed"
            } else {
                ""
            },
            SHORTCUT
        ));
    if button.clicked() {
        out.push(Command::Team(TeamCommand::Sync));
    }
    ui.separator();
}

/// The shortcut of File › Sync, as the tooltips name it.
const SHORTCUT: &str = "Ctrl+Shift+Y";

/// The conflicts window, while a sync waits for resolutions.
pub(super) fn conflicts_window(ctx: &egui::Context, team: &mut TeamView, out: &mut Vec<Command>) {
    let Some(view) = &mut team.conflicts else {
        return;
    };
    let mut open = true;
    egui::Window::new("Sync: conflicts")
        .open(&mut open)
        .default_pos([60.0, 80.0])
        .default_size([760.0, 360.0])
        .collapsible(false)
        .show(ctx, |ui| {
            ui.label(
                "Both sides changed these fields differently. Nothing was pushed; your change \
                 is committed locally. Pick a value for each, then merge.",
            );
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(ui.available_height() - 40.0)
                .show(ui, |ui| {
                    for (i, c) in view.conflicts.iter().enumerate() {
                        ui.push_id(("conflict", i), |ui| {
                            row(ui, c, &mut view.picks[i], &mut view.typed[i]);
                        });
                        ui.separator();
                    }
                });
            let ready = view.resolutions();
            ui.horizontal(|ui| {
                let merge = ui
                    .add_enabled(ready.is_some(), egui::Button::new("Merge and sync"))
                    .on_disabled_hover_text("Pick a value for every conflict first");
                if merge.clicked()
                    && let Some(r) = ready
                {
                    out.push(Command::Team(TeamCommand::SyncResolved(r)));
                }
                if ui.button("Cancel").clicked() {
                    out.push(Command::Team(TeamCommand::CloseConflicts));
                }
            });
        });
    if !open {
        out.push(Command::Team(TeamCommand::CloseConflicts));
    }
}

fn by(who: &Option<String>) -> String {
    who.as_deref()
        .map(|w| format!(" (by {w})"))
        .unwrap_or_default()
}

fn row(ui: &mut egui::Ui, c: &crate::core::merge::Conflict, pick: &mut Pick, typed: &mut String) {
    ui.label(egui::RichText::new(&c.path).strong().monospace());
    if let Some(base) = &c.base {
        ui.label(egui::RichText::new(format!("was: {base}")).weak());
    }
    ui.radio_value(
        pick,
        Pick::Side(Side::Ours),
        format!("Keep yours: {}{}", c.ours, by(&c.ours_by)),
    );
    ui.radio_value(
        pick,
        Pick::Side(Side::Theirs),
        format!("Take theirs: {}{}", c.theirs, by(&c.theirs_by)),
    );
    ui.horizontal(|ui| {
        let radio = ui.radio_value(pick, Pick::Typed, "Use this value:");
        let edit = ui
            .add(
                egui::TextEdit::singleline(typed)
                    .id_salt(("conflict value", &c.path))
                    .desired_width(360.0),
            )
            .labelled_by(radio.id);
        if edit.changed() {
            *pick = Pick::Typed;
        }
    });
}

/// The members window (Project › Team members…), while open.
pub(super) fn members_window(
    ctx: &egui::Context,
    members: Option<&[crate::core::model::Member]>,
    team: &mut TeamView,
    out: &mut Vec<Command>,
) {
    let (Some(form), Some(members)) = (&mut team.members, members) else {
        return;
    };
    let mut open = true;
    egui::Window::new("Team members")
        .open(&mut open)
        .default_pos([80.0, 100.0])
        .default_size([640.0, 320.0])
        .show(ctx, |ui| {
            ui.label(
                "The team working this project: journal entries are credited to them, and an \
                 encrypted project is encrypted to each certificate at every save.",
            );
            ui.separator();
            if members.is_empty() {
                ui.label(egui::RichText::new("No members yet.").weak());
            }
            egui::Grid::new("members").striped(true).show(ui, |ui| {
                for m in members {
                    ui.label(&m.name);
                    ui.label(&m.address);
                    ui.label(
                        egui::RichText::new(
                            m.cert_fingerprint.as_deref().unwrap_or("no certificate"),
                        )
                        .monospace(),
                    );
                    if ui
                        .button("Remove")
                        .on_hover_text(format!("Remove {} from the team", m.address))
                        .clicked()
                    {
                        out.push(Command::Team(TeamCommand::RemoveMember(m.address.clone())));
                    }
                    ui.end_row();
                }
            });
            ui.separator();
            egui::Grid::new("add member").num_columns(2).show(ui, |ui| {
                for (label, value, hint) in [
                    ("Name", &mut form.name, "Ada Lovelace"),
                    ("Address", &mut form.address, "ada@example.org"),
                    ("Certificate file", &mut form.cert, "~/ada.asc (optional)"),
                ] {
                    let l = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .id_salt(("member", label))
                            .hint_text(hint)
                            .desired_width(320.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
            });
            if let Some(e) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let ready = !form.name.trim().is_empty() && !form.address.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Add member"))
                .on_disabled_hover_text("Type the member's name and address first")
                .clicked()
            {
                let cert = form.cert.trim();
                out.push(Command::Team(TeamCommand::AddMember {
                    member: crate::core::model::Member::new(form.name.trim(), form.address.trim()),
                    cert: (!cert.is_empty()).then(|| crate::adapters::expand_home(cert)),
                }));
            }
        });
    if !open {
        out.push(Command::Team(TeamCommand::ToggleMembers));
    }
}
