//! Every message of the app, below every view: the [`Command`]s a view or a
//! shortcut asks for, each panel's own commands, and what a background job
//! reports back ([`JobResult`]); and the [`Queue`] they wait in until the
//! frame loop handles them, after drawing. Like rerun's `SystemCommand`,
//! this module imports nothing from the rest of `ui`: views, handlers and
//! the frame loop all depend on it, never the other way round.

use std::collections::VecDeque;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::adapters::openpgp::KeyInfo;
use crate::adapters::prefs::Prefs;
use crate::adapters::store;
use crate::adapters::vault::Keeping;
use crate::core::guard::Embargoed;
use crate::core::model::{
    Milestone, NoticeState, Project, Recipient, RepoSettings, SigningKeyRef, TimeSettings,
};
use crate::core::ops::StepAction;
use crate::core::playbook::Playbook;
use crate::core::settings::ProjectSettings;
use crate::workflows::guard::Leak;
use crate::workflows::share as files;
use crate::workflows::sign::{SignError, Signed};

/// What a path typed or picked is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    /// Open a project.
    Open,
    /// Save the project under a new name.
    SaveAs,
    /// Save the write-up of the selected issue.
    WriteUp,
    /// Save the disclosure timeline as an iCalendar file.
    Calendar,
    /// Save the selected issue's CVE JSON 5 record.
    CveRecord,
    /// Save a CSAF or OpenVEX document of the selected issue's release.
    ReleaseDocument(crate::workflows::export::ReleaseFormat),
    /// Choose the secret key file that opens an encrypted project.
    ProjectKey,
}

/// A change the UI asks for; applied once per frame, after drawing.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open the encrypted project the unlock dialog is for, with the key
    /// chosen there.
    OpenEncrypted(PathBuf),
    /// The key file for the unlock dialog.
    SetUnlockKey(PathBuf),
    /// Undo the last field edit.
    Undo,
    /// A new, unsaved project.
    NewProject {
        /// Its name.
        name: String,
        /// Built-in playbook name.
        playbook: String,
    },
    /// Open the example project (unsaved).
    OpenExample,
    /// Open a project file (in a job).
    Open(PathBuf),
    /// Save to the document's path (in a job).
    Save,
    /// Save under a new path (in a job) and continue there.
    SaveAs(PathBuf),
    /// Show the path dialog for a purpose.
    AskPath(PathPurpose),
    /// Open the system file dialog (in a job) for a purpose.
    Browse(PathPurpose),
    /// Select an issue.
    SelectIssue(String),
    /// Add an issue with this title.
    AddIssue(String),
    /// Rename an issue.
    RenameIssue {
        /// Its ID.
        id: String,
        /// The new title.
        title: String,
    },
    /// Delete an issue (after confirmation).
    DeleteIssue(String),
    /// Select a step of the wizard by index.
    SelectStep(usize),
    /// Mark, skip or reopen a step of the selected issue.
    MarkStep {
        /// The step's key.
        key: String,
        /// What to do.
        action: StepAction,
        /// Note for the journal.
        note: String,
    },
    /// Acknowledge a failing check of a step.
    Acknowledge {
        /// The step's key.
        key: String,
        /// The check.
        check: String,
    },
    /// Plan the selected issue into a release.
    PlanRelease {
        /// Release version.
        version: String,
        /// Planned instant.
        planned: DateTime<Utc>,
    },
    /// Record the selected issue's release as published now.
    PublishNow,
    /// Move a milestone of the selected issue's release (`None`: back to its default).
    MoveMilestone {
        /// Which milestone.
        milestone: Milestone,
        /// Where to.
        at: Option<DateTime<Utc>>,
    },
    /// Write the selected issue's timeline as an iCalendar file (in a job).
    WriteCalendar(PathBuf),
    /// Show a notice in the status bar.
    Notice(String),
    /// Replace the project's time settings.
    SetTime(TimeSettings),
    /// Show the write-up of the selected issue.
    ShowWriteUp,
    /// Draft the "not a security issue" reply with this reason.
    DraftReply(String),
    /// Write the shown write-up to a file (in a job).
    WriteWriteUp(PathBuf),
    /// Write the selected issue's CVE record to a file (in a job).
    WriteCveRecord(PathBuf),
    /// Write a CSAF or OpenVEX document of the selected issue's release
    /// to a file (in a job).
    WriteReleaseDocument(crate::workflows::export::ReleaseFormat, PathBuf),
    /// Close the window (after the unsaved-changes prompt, if any).
    Quit,
    /// Change the theme or UI scale, and keep the choice (in a job).
    SetPrefs(Prefs),
    /// A command of the signing panel.
    Signing(SignCommand),
    /// A command of the git panel.
    Git(GitCommand),
    /// A command of the embargoed-download panel.
    Share(ShareCommand),
    /// Ask before doing something that cannot be taken back.
    Ask(Box<Confirm>),
    /// A command of the recipients and notice windows.
    Mail(MailCommand),
    /// Save, then close the window once saved (the prompt on close).
    SaveAndQuit,
    /// Ask to close the window (File › Quit): the prompt on close with
    /// unsaved changes comes first.
    Close,
    /// Forget the unsaved changes of the open document (the user confirmed).
    DiscardChanges,
    /// The error dialog was dismissed: show the next error, if any.
    DismissError,
    /// Hide the pop-up of the notice with this id.
    DismissPopup(u64),
    /// Show or hide the journal window.
    ToggleJournal,
    /// Select the issue listed after (`down`) or before the selected one.
    NeighbourIssue {
        /// After (else before).
        down: bool,
    },
    /// Select the next (`forward`) or the previous step of the wizard.
    NeighbourStep {
        /// The next (else the previous).
        forward: bool,
    },
    /// Mark the selected step done, with the note typed under it.
    MarkSelectedStepDone,

    // The steps part of issue #22 (handlers/steps.rs).
    /// Take back the record that the selected issue's release went public.
    Unpublish,
    /// Show or hide the Due window: what must happen today and this week.
    ToggleDue,
    // Part "settings" of #22 (items 9, 13, 17): the Project › Settings window.
    /// A command of the Project › Settings window.
    Settings(SettingsCommand),
    // Issue #22, mail part.
    /// Run the export `retry` again, replacing the file at `path` (the user
    /// confirmed).
    ReplaceFile {
        /// The file to replace.
        path: PathBuf,
        /// The export's command.
        retry: Box<Command>,
    },
    // Typing and layout (issue #22, typing part).
    /// Give the keyboard focus to the first field of the selected step's
    /// form (View › Go to the step's form).
    FocusStepForm,
    // --- The "repo" part of #22: building from a chosen commit, the base
    // tag, fix commits and tags picked from the repository, intake from a
    // raw mail, pushing after publication, the write-up's redaction.
    /// A command of the build, repository and intake parts.
    Repo(RepoCommand),
    /// Sync with the team's repository, or a command of its conflicts window.
    Team(TeamCommand),
}

/// What the Sync button, File › Sync and the conflicts window ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamCommand {
    /// Save, then sync with the team's repository (in a job).
    Sync,
    /// Sync again with these resolutions of the conflicts shown.
    SyncResolved(Vec<crate::workflows::sync::Resolution>),
    /// Close the conflicts window without merging.
    CloseConflicts,
    /// Read where the project stands against the team's repository (in a
    /// job, no network).
    Refresh,
    /// Show or hide the members window (Project › Team members…).
    ToggleMembers,
    /// Add this member; their certificate is read from the file first (in
    /// a job), when one is named.
    AddMember {
        /// The member (without certificate).
        member: crate::core::model::Member,
        /// Their certificate's file, if any.
        cert: Option<PathBuf>,
    },
    /// Remove the member with this address.
    RemoveMember(String),
}

/// What a job of the team's repository reports.
pub enum TeamDone {
    /// Where the project at this path stands, or why it cannot be synced.
    Standing(PathBuf, Result<crate::workflows::sync::Standing, String>),
    /// A member's certificate was read for adding them: the member with
    /// it, or why not.
    MemberCert(Result<crate::core::model::Member, String>),
    /// A sync finished, or why not.
    Synced {
        /// The project file.
        path: PathBuf,
        /// The project as saved when the sync started, to merge edits
        /// made meanwhile.
        started_from: Box<Project>,
        /// The document version the sync saved first, if it saved one.
        saved: Option<u64>,
        /// What the sync did.
        outcome: Result<crate::workflows::sync::Report, String>,
    },
}

/// What the build step, the repository pickers, the intake from a raw mail
/// and the push after publication ask the app to do (the "repo" part of #22).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepoCommand {
    /// Read the repository's branches, tags and recent commits for the
    /// selected issue (in a job).
    ReadSources,
    /// Set (empty: clear) the base tag of the selected issue's release.
    SetBaseTag(String),
    /// Open a directory with the desktop's opener (in a job).
    OpenFolder(PathBuf),
    /// Ask where to save the write-up as an HTML page.
    SaveWriteUpHtml,
    /// Fill the selected issue's intake from this raw report mail.
    IntakeFromMail(Vec<u8>),
    /// Choose a `.eml` file with the system dialog (in a job) and fill the
    /// intake from it.
    OpenEml,
    /// Read this `.eml` file (in a job) and fill the intake from it.
    ReadEml(PathBuf),
    /// Put the report's headers, a separator and its text on the clipboard
    /// (OpenSSL's private tracker).
    CopyForTracker,
    /// Add a commit picked from the repository as a fix commit of the
    /// selected issue.
    AddFixCommit(crate::core::model::FixCommit),
    /// Push the fix and the release tag to the public remotes (in a job),
    /// through the guard, once the release is recorded as published.
    PushPublic,
}

/// What a job of the "repo" part of #22 reports.
pub enum RepoDone {
    /// The repository's sources for this issue, or why they cannot be read.
    Sources(String, Result<crate::workflows::artifacts::Sources, String>),
    /// A build of the release artifacts finished, into this directory.
    Built {
        /// The release the files belong to.
        release: String,
        /// Where the files were to go.
        out: PathBuf,
        /// What was built, or why not.
        outcome: Result<crate::workflows::artifacts::Built, SignError>,
    },
    /// The folder was handed to the desktop's opener, or why not.
    Opened(Result<PathBuf, String>),
    /// A `.eml` file was read (`None`: no file chosen), or why not.
    Eml(Option<Result<Vec<u8>, String>>),
    /// The push for this issue ran: what was pushed, or why not (with
    /// git's output when it got that far).
    Pushed(String, Result<crate::workflows::guard::Pushed, String>),
}

/// A question waiting for a yes.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    /// The question.
    pub message: String,
    /// The button that confirms.
    pub yes: String,
    /// What confirming does.
    pub command: Command,
    /// Whether confirming first discards the open document's unsaved changes.
    pub discard_first: bool,
}

/// What a background job of the app returns.
pub enum JobResult {
    /// A project was opened.
    Opened {
        /// Its file.
        path: PathBuf,
        /// The project.
        project: Project,
        /// Its playbook.
        playbook: Playbook,
        /// The lock taken on its file.
        lock: store::ProjectLock,
        /// Plain or encrypted at rest.
        keeping: Keeping,
    },
    /// The project was saved.
    Saved {
        /// Where.
        path: PathBuf,
        /// The document version saved.
        generation: u64,
        /// The lock on a new location (Save As).
        lock: Option<store::ProjectLock>,
    },
    /// The system file dialog returned (`None`: cancelled or no dialog).
    Picked {
        /// What the path is for.
        purpose: PathPurpose,
        /// The path picked.
        path: Option<PathBuf>,
    },
    /// The recent-projects list was read.
    Recent(Vec<PathBuf>),
    /// The display preferences were read or kept.
    Prefs(Prefs),
    /// An output file was written.
    Wrote(PathBuf),
    /// A job of the signing panel finished.
    Signing(SignDone),
    /// A job of the git panel finished.
    Git(GitJobDone),
    /// A job of the embargoed-download panel finished.
    Share(ShareDone),
    /// A job of the mail windows finished.
    Mail(MailDone),
    /// A job of the Project › Settings window finished (part "settings" of #22).
    Settings(SettingsDone),
    /// A job of the "repo" part of #22 finished.
    Repo(RepoDone),
    /// A job of the team's repository finished.
    Team(TeamDone),
    /// A job failed.
    Failed {
        /// What was being done.
        what: String,
        /// Why it failed.
        error: String,
    },
    // Issue #22, mail part.
    /// An export was not written because a file exists at its path: ask
    /// before `retry` runs again to replace it.
    Exists {
        /// The file there.
        path: PathBuf,
        /// The export's command.
        retry: Command,
    },
}

/// What the signing panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum SignCommand {
    /// Open the system dialog to pick files (in a job).
    Browse,
    /// Add these files to the list (their sizes are read in a job).
    Add(Vec<PathBuf>),
    /// Remove the file at this index from the list.
    Remove(usize),
    /// Sign every listed file (in a job), using the typed passphrase.
    SignAll,
    /// Stop the running signing job.
    Cancel,
    /// Set or clear the project's signing key.
    SetKey(Option<SigningKeyRef>),
    /// Close the key form without changing the key.
    CloseKeyForm,
    /// Load and inspect the project's key (in a job).
    InspectKey,
}

/// A file waiting to be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    /// Its path.
    pub path: PathBuf,
    /// Its size, once read; or why it cannot be signed.
    pub size: Result<u64, String>,
}

/// A signature made and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// The signed file.
    pub file: PathBuf,
    /// Its signature.
    pub signature: PathBuf,
    /// The verifying fingerprint, or why it did not verify.
    pub verified: Result<String, String>,
}

/// What a signing-panel job reports.
pub enum SignDone {
    /// The key was loaded and inspected.
    Key(SigningKeyRef, Result<KeyInfo, String>),
    /// File sizes were read.
    Sized(Vec<FileRow>),
    /// The dialog returned these files (empty: cancelled or no dialog).
    Picked(Vec<PathBuf>),
    /// Signing (or building the artifacts) finished: the release, the
    /// files signed and verified, or why not.
    Signed {
        /// The release the files belong to.
        release: String,
        /// The signatures made and verified, or why not.
        outcome: Result<Signed, SignError>,
    },
}

/// What the git panel asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GitCommand {
    /// Run the guard for the selected issue (in a job).
    Check,
    /// Install the pre-push hook (in a job).
    InstallHook,
    /// Remove the pre-push hook (in a job).
    RemoveHook,
    /// Build and sign the release artifacts (in a job).
    Build,
    /// Replace the project's repository settings, then check again.
    SetRepo(Box<RepoSettings>),
}

/// The guard's findings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GitStatus {
    /// Embargoed commits on public remotes.
    pub leaks: Vec<Leak>,
    /// Recorded fix commits missing from the repository.
    pub missing: Vec<Embargoed>,
    /// Fix commits whose message lacks the CVE ID.
    pub missing_cve: Vec<String>,
    /// Words of embargoed issues the public remotes show (the leak check),
    /// each described in one line.
    pub exposures: Vec<String>,
    /// Public remotes looked at.
    pub public_remotes: Vec<String>,
    /// Embargoed commits checked.
    pub checked: usize,
    /// Whether our pre-push hook is installed.
    pub hook: bool,
}

/// What a git job reports.
#[derive(Debug)]
pub enum GitJobDone {
    /// The guard ran for this issue.
    Checked(String, Result<GitStatus, String>),
    /// The hook was installed or removed (a message), or why not.
    Hook(Result<String, String>),
}

/// What the panel asks the app to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareCommand {
    /// Make credentials for lists without any, and write the files.
    Make,
    /// New password for this list.
    Rotate(String),
    /// Withdraw this list's credentials.
    Revoke(String),
    /// Forget the shown passwords.
    Hide,
    /// Open the fix-availability mail to this list, carrying its shown
    /// password in memory.
    Mail(String),
    /// Set the project's embargoed download address (`{version}` marks
    /// the release's version).
    SetUrl(String),
    /// The release was marked published: expire its credentials and empty
    /// the password files beside the project.
    Expire,
}

/// A password shown once (zeroized when dropped).
pub type Shown = files::NewCredential;

/// What a finished credentials job made.
pub struct Made {
    /// What changed, or `None` when there was nothing to do (an expiry
    /// with no active credential).
    pub prepared: Option<files::Prepared>,
    /// Where the files were written, when they were.
    pub dir: Option<PathBuf>,
}

/// What the job reports.
pub enum ShareDone {
    /// New, rotated, revoked or expired credentials and the directory
    /// written; or why not.
    Made(Result<Made, String>),
}

/// What the mail windows ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum MailCommand {
    /// Open the recipients window on the project's recipients.
    OpenRecipients,
    /// Replace the project's recipients and the notice state of an issue.
    SetRecipients {
        /// The recipients, in order.
        recipients: Vec<Recipient>,
        /// The issue and its notice state, when one is selected.
        notices: Option<(String, Vec<NoticeState>)>,
    },
    /// Import the certificate of the recipient in this row from a file (in a job).
    ImportCert {
        /// The row.
        row: usize,
        /// The certificate file.
        path: PathBuf,
    },
    /// Open the notice window for the selected issue.
    OpenCompose,
    /// Save the previewed mail as `.eml` in this directory (in a job).
    SaveEml(PathBuf),
    /// Send the previewed mail by SMTP (in a job).
    Send,
    // Issue #22, mail part.
    /// Open the notice window on a step's template: sending that mail
    /// settles the step.
    ComposeStep {
        /// The step's key.
        key: String,
        /// Its template.
        template: String,
    },
    /// Read the addresses the user IDs of the project's recipient
    /// certificates name (in a job).
    ReadCertAddresses,
    /// Open the notice window on the correction of the selected issue, to
    /// everyone who was told a value that has changed since.
    DraftCorrection,
}

/// What a mail job reports.
pub enum MailDone {
    /// A certificate was read for a row: fingerprint and armored text, or why not.
    Cert {
        /// The row.
        row: usize,
        /// The result: fingerprint, armored text and the addresses its
        /// user IDs name.
        result: Result<(String, String, Vec<String>), String>,
    },
    /// The addresses the user IDs of certificates name, by fingerprint.
    CertAddresses(Vec<(String, Vec<String>)>),
    /// The project's own text of each template by name (`None`: it has
    /// none), or why it cannot be read.
    Overrides(std::collections::HashMap<String, Result<Option<String>, String>>),
    /// The mail was saved or sent.
    Delivered(Box<crate::workflows::notice::Delivered>),
    /// Nothing left: why, and where the draft is kept if it got that far.
    Failed(String),
}

/// The tabs of the Project › Settings window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SettingsTab {
    /// Sender and SMTP server.
    #[default]
    Mail,
    /// The release signing key.
    SigningKey,
    /// The private repository and the release names.
    Repository,
    /// What advisories and records say.
    Publication,
    /// Zones, hours, release time, blackouts.
    Time,
    /// The playbook followed.
    Playbook,
}

impl SettingsTab {
    /// Every tab, in order.
    pub const ALL: [SettingsTab; 6] = [
        Self::Mail,
        Self::SigningKey,
        Self::Repository,
        Self::Publication,
        Self::Time,
        Self::Playbook,
    ];

    /// Its name, as the window and the error messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Mail => "Mail",
            Self::SigningKey => "Signing key",
            Self::Repository => "Repository",
            Self::Publication => "Publication",
            Self::Time => "Time",
            Self::Playbook => "Playbook",
        }
    }
}

/// A file the Project › Settings window picks with the system dialog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsFile {
    /// The signing key file.
    KeyFile,
    /// The CA certificate the SMTP server is checked against.
    SmtpCa,
    /// A playbook file.
    Playbook,
}

/// What the Project › Settings window asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum SettingsCommand {
    /// Open the window on a copy of the project's settings.
    Open,
    /// Open it on this tab (the signing panel opens the Signing key tab).
    OpenTab(SettingsTab),
    /// Check these settings and, when they keep every rule (and the
    /// playbook loads), apply them to the project, journaled; the window
    /// closes.
    Apply(Box<ProjectSettings>),
    /// Close the window, dropping the copy.
    Cancel,
    /// List gpg-agent's secret keys for this GnuPG home ("": the default),
    /// in a job.
    ListAgentKeys(String),
    /// Inspect this key (its expiry), in a job.
    InspectKey(SigningKeyRef),
    /// Pick a file with the system dialog, in a job.
    Browse(SettingsFile),
}

/// What a job of the Project › Settings window reports.
pub enum SettingsDone {
    /// gpg-agent's secret keys for the GnuPG home, or why not.
    AgentKeys(String, Result<Vec<KeyInfo>, String>),
    /// The key inspected, or why not.
    Key(SigningKeyRef, Result<KeyInfo, String>),
    /// The system dialog returned (`None`: cancelled or no dialog).
    Picked(SettingsFile, Option<PathBuf>),
    /// The settings' playbook was loaded (or why not), to apply them with.
    Playbook(Box<ProjectSettings>, Result<Playbook, String>),
}

/// How many commands one frame handles at most; the rest wait for the
/// next frame (a command that keeps raising commands cannot hang the UI).
pub const PER_FRAME: usize = 64;

/// Commands waiting to be handled, first in, first out. A command raised
/// while another is handled joins the back of the queue: it is handled
/// after every command raised before it, never inside the one that raised it.
#[derive(Debug)]
pub struct Queue<C> {
    waiting: VecDeque<C>,
}

impl<C> Default for Queue<C> {
    fn default() -> Self {
        Self {
            waiting: VecDeque::new(),
        }
    }
}

impl<C> Queue<C> {
    /// Queue `command` behind those waiting.
    pub fn push(&mut self, command: C) {
        self.waiting.push_back(command);
    }

    /// The command to handle next.
    pub fn pop(&mut self) -> Option<C> {
        self.waiting.pop_front()
    }

    /// How many commands wait.
    pub fn len(&self) -> usize {
        self.waiting.len()
    }

    /// Whether none waits.
    pub fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// The waiting commands, next first.
    pub fn iter(&self) -> impl Iterator<Item = &C> {
        self.waiting.iter()
    }

    /// Handle waiting commands in order with `handle`, which may queue more
    /// through the queue it is given, up to `limit` commands. Returns
    /// whether some are left (for the next frame).
    pub fn run<S>(
        state: &mut S,
        queue: impl Fn(&mut S) -> &mut Self,
        limit: usize,
        mut handle: impl FnMut(&mut S, C),
    ) -> bool {
        for _ in 0..limit {
            let Some(command) = queue(state).pop() else {
                return false;
            };
            handle(state, command);
        }
        !queue(state).is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy state: what was handled, in order, and the queue.
    #[derive(Default)]
    struct Toy {
        handled: Vec<&'static str>,
        queue: Queue<&'static str>,
    }

    fn handle(toy: &mut Toy, c: &'static str) {
        toy.handled.push(c);
        // "a" raises "c" and "d" while it is handled; "loop" raises itself.
        match c {
            "a" => {
                toy.queue.push("c");
                toy.queue.push("d");
            }
            "loop" => toy.queue.push("loop"),
            _ => {}
        }
    }

    #[test]
    fn commands_raised_while_handling_wait_behind_those_already_queued() {
        let mut toy = Toy::default();
        toy.queue.push("a");
        toy.queue.push("b");
        let left = Queue::run(&mut toy, |t| &mut t.queue, PER_FRAME, handle);
        assert!(!left);
        // Recursing would have handled c and d before b.
        assert_eq!(toy.handled, ["a", "b", "c", "d"]);
        assert!(toy.queue.is_empty());
    }

    #[test]
    fn a_frame_handles_at_most_its_limit_and_keeps_the_rest_in_order() {
        let mut toy = Toy::default();
        toy.queue.push("loop");
        toy.queue.push("b");
        assert!(Queue::run(&mut toy, |t| &mut t.queue, 3, handle));
        assert_eq!(toy.handled, ["loop", "b", "loop"]);
        assert_eq!(toy.queue.iter().copied().collect::<Vec<_>>(), ["loop"]);
        assert!(Queue::run(&mut toy, |t| &mut t.queue, 2, handle));
        assert_eq!(toy.handled.len(), 5);
    }
}
