//! The app's actions that have a keyboard shortcut, as one table: each
//! entry's label, its shortcut, where the menu shows it and the command it
//! sends. The menu bar draws its entries from it, the Help menu lists it and
//! the frame loop reads the keyboard through it, so a shortcut shown is a
//! shortcut that works. Like the step kinds, an action is referred to by its
//! typed id.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::{Command, PathPurpose, SettingsCommand, TeamCommand};

/// An action's typed id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActionId {
    /// File › Open….
    Open,
    /// File › Save.
    Save,
    /// Edit › Undo.
    Undo,
    /// Edit › Mark step done.
    MarkDone,
    /// View › Journal.
    Journal,
    /// View › Previous step.
    PreviousStep,
    /// View › Next step.
    NextStep,
    /// View › Previous issue.
    PreviousIssue,
    /// View › Next issue.
    NextIssue,
    /// View › Due (the steps part of issue #22).
    Due,
    /// Project › Settings… (part "settings" of #22).
    ProjectSettings,
    /// View › Go to the step's form.
    FocusForm,
    /// File › Sync with the team.
    Sync,
}

/// The menu an action is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    /// File.
    File,
    /// Edit.
    Edit,
    /// View.
    View,
    /// Project.
    Project,
}

/// When the shortcut is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// Whenever no dialog is open.
    Always,
    /// Not while a text field has the keyboard (there the field's own
    /// meaning of the keys wins, e.g. Ctrl+Z undoes typing).
    OutsideText,
    /// Only while an issue is selected.
    WithIssue,
}

/// One action.
#[derive(Clone, Copy, Debug)]
pub struct Action {
    /// Its id.
    pub id: ActionId,
    /// The menu entry's text (Undo names what it undoes when it can).
    pub label: &'static str,
    /// Its keyboard shortcut.
    pub shortcut: KeyboardShortcut,
    /// The menu it is in.
    pub menu: Menu,
    /// When the shortcut is read.
    pub when: When,
    /// What the Help menu says it does.
    pub help: &'static str,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

/// Every action with a shortcut, in menu order.
pub const ACTIONS: [Action; 13] = [
    Action {
        id: ActionId::Open,
        label: "Open…",
        shortcut: key(Modifiers::COMMAND, Key::O),
        menu: Menu::File,
        when: When::Always,
        help: "open a project",
    },
    Action {
        id: ActionId::Save,
        label: "Save",
        shortcut: key(Modifiers::COMMAND, Key::S),
        menu: Menu::File,
        when: When::Always,
        help: "save",
    },
    Action {
        id: ActionId::Sync,
        label: "Sync with the team",
        shortcut: key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Y),
        menu: Menu::File,
        when: When::Always,
        help: "save, commit, fetch, merge field by field and push the team's private repository",
    },
    Action {
        id: ActionId::Undo,
        label: "Undo",
        shortcut: key(Modifiers::COMMAND, Key::Z),
        menu: Menu::Edit,
        when: When::OutsideText,
        help: "undo the last field edit (outside a text field)",
    },
    Action {
        id: ActionId::MarkDone,
        label: "Mark step done",
        shortcut: key(Modifiers::COMMAND, Key::Enter),
        menu: Menu::Edit,
        when: When::WithIssue,
        help: "mark the step done (the note typed under it goes into the journal)",
    },
    Action {
        id: ActionId::Journal,
        label: "Journal",
        shortcut: key(Modifiers::COMMAND, Key::J),
        menu: Menu::View,
        when: When::Always,
        help: "show or hide the journal",
    },
    Action {
        id: ActionId::PreviousStep,
        label: "Previous step",
        shortcut: key(Modifiers::ALT, Key::ArrowLeft),
        menu: Menu::View,
        when: When::WithIssue,
        help: "previous step",
    },
    Action {
        id: ActionId::NextStep,
        label: "Next step",
        shortcut: key(Modifiers::ALT, Key::ArrowRight),
        menu: Menu::View,
        when: When::WithIssue,
        help: "next step",
    },
    Action {
        id: ActionId::PreviousIssue,
        label: "Previous issue",
        shortcut: key(Modifiers::ALT, Key::ArrowUp),
        menu: Menu::View,
        when: When::Always,
        help: "previous issue in the list",
    },
    Action {
        id: ActionId::NextIssue,
        label: "Next issue",
        shortcut: key(Modifiers::ALT, Key::ArrowDown),
        menu: Menu::View,
        when: When::Always,
        help: "next issue in the list",
    },
    Action {
        id: ActionId::Due,
        label: "Due",
        shortcut: key(Modifiers::COMMAND, Key::D),
        menu: Menu::View,
        when: When::Always,
        help: "show or hide what must happen today and this week, across all issues",
    },
    Action {
        id: ActionId::ProjectSettings,
        label: "Settings…",
        shortcut: key(Modifiers::COMMAND, Key::Comma),
        menu: Menu::Project,
        when: When::Always,
        help: "the project's settings: mail, signing key, repository, publication, time, playbook",
    },
    Action {
        id: ActionId::FocusForm,
        label: "Go to the step's form",
        shortcut: key(Modifiers::COMMAND, Key::L),
        menu: Menu::View,
        when: When::WithIssue,
        help: "move the keyboard focus to the first field of the step's form",
    },
];

impl ActionId {
    /// The command the action sends.
    pub fn command(self) -> Command {
        match self {
            Self::Open => Command::AskPath(PathPurpose::Open),
            Self::Save => Command::Save,
            Self::Undo => Command::Undo,
            Self::MarkDone => Command::MarkSelectedStepDone,
            Self::Journal => Command::ToggleJournal,
            Self::PreviousStep => Command::NeighbourStep { forward: false },
            Self::NextStep => Command::NeighbourStep { forward: true },
            Self::PreviousIssue => Command::NeighbourIssue { down: false },
            Self::NextIssue => Command::NeighbourIssue { down: true },
            Self::Due => Command::ToggleDue,
            Self::ProjectSettings => Command::Settings(SettingsCommand::Open),
            Self::FocusForm => Command::FocusStepForm,
            Self::Sync => Command::Team(TeamCommand::Sync),
        }
    }

    /// Its entry in the table.
    pub fn action(self) -> &'static Action {
        ACTIONS
            .iter()
            .find(|a| a.id == self)
            .expect("every action id has its entry (tested)")
    }
}

impl Menu {
    /// The menu's name in the menu bar.
    pub fn name(self) -> &'static str {
        match self {
            Self::File => "File",
            Self::Edit => "Edit",
            Self::View => "View",
            Self::Project => "Project",
        }
    }
}

impl Action {
    /// The shortcut as the menu shows it, e.g. `Ctrl+S`.
    pub fn shortcut_text(&self, ctx: &egui::Context) -> String {
        ctx.format_shortcut(&self.shortcut)
    }
}

/// The commands of the shortcuts pressed this frame (consumed from the
/// input), read only while no dialog is open. `text_focus`: a text field
/// has the keyboard; `issue`: an issue is selected.
pub fn pressed(ctx: &egui::Context, text_focus: bool, issue: bool) -> Vec<Command> {
    ACTIONS
        .iter()
        .filter(|a| match a.when {
            When::Always => true,
            When::OutsideText => !text_focus,
            When::WithIssue => issue,
        })
        .filter(|a| ctx.input_mut(|i| i.consume_shortcut(&a.shortcut)))
        .map(|a| a.id.command())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_has_one_entry_and_no_two_share_a_shortcut() {
        for (i, a) in ACTIONS.iter().enumerate() {
            assert_eq!(a.id.action().label, a.label);
            for b in &ACTIONS[i + 1..] {
                assert_ne!(a.id, b.id, "{:?} is in the table twice", a.id);
                assert_ne!(
                    a.shortcut, b.shortcut,
                    "{} and {} share a shortcut",
                    a.label, b.label
                );
                assert_ne!(a.label, b.label);
                assert_ne!(a.id.command(), b.id.command());
            }
        }
    }
}
