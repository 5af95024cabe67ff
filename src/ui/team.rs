//! The team in the app: the Sync button in the status bar with where the
//! project stands against the team's repository (commits to push and to
//! take, an uncommitted change), and the conflicts window a sync opens when
//! both sides changed a field differently: each conflict with the base
//! value, both values and who set them, to take one side or type a value;
//! "Merge and sync" runs the sync again with those resolutions. The sync
//! itself is `workflows::sync`, the one `embargo sync` runs.

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

/// What the app knows of the team's repository.
#[derive(Clone, Debug, Default)]
pub struct TeamView {
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
