//! The app's state: the open document, the view state (selection, typed
//! text, open dialogs and each panel's working copy), the notices, the
//! running jobs and the command queue; the few operations every handler
//! builds on (notices, starting a job, changing the document through
//! `core::ops`, committing the draft); and [`AppRef`], what a view reads
//! while it draws. It imports only the messages (`command`).

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

pub use super::command::SettingsTab;
use super::command::{
    Command, Confirm, FileRow, GitStatus, JobResult, MailCommand, PathPurpose, Queue, ResultRow,
    Shown,
};
use crate::adapters::openpgp::atrest::Opener;
use crate::adapters::openpgp::{KeyInfo, Passphrase};
use crate::adapters::store;
use crate::adapters::vault::Keeping;
use crate::core::model::{
    Issue, NoticeState, Project, Recipient, RecipientRole, SigningKeyRef, TimeSettings,
};
use crate::core::ops;
use crate::core::playbook::Playbook;
use crate::core::ports::Clock;
use crate::jobs::{Jobs, Progress};

/// How long after the last change an autosave starts.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(1500);

/// The notices kept for the history (View › Notifications…).
pub(super) const MAX_NOTICES: usize = 100;

/// What the app opens first.
#[derive(Clone, Debug)]
pub enum Startup {
    /// This project file.
    File(PathBuf),
    /// The most recent project if it still exists, else the example.
    RecentOrExample,
    /// The example project.
    Example,
}

/// The open project.
#[derive(Debug)]
pub struct Document {
    /// Where it is saved; `None` for a new or example project.
    pub path: Option<PathBuf>,
    /// The project.
    pub project: Project,
    /// Its playbook.
    pub playbook: Playbook,
    pub(super) generation: u64,
    pub(super) saved_generation: u64,
    pub(super) last_change: Instant,
    pub(super) lock: Option<store::ProjectLock>,
    pub(super) serial: u64,
    /// Plain, or encrypted at rest to a certificate: how it is saved.
    pub keeping: Keeping,
    /// The project before the last field edit, and what that edit was.
    pub(super) undo: Option<(Project, String)>,
}

/// Tells documents apart, so that what is cached for one is not shown for the next.
static DOCUMENT_SERIAL: AtomicU64 = AtomicU64::new(0);

impl Document {
    pub(super) fn new(
        path: Option<PathBuf>,
        project: Project,
        playbook: Playbook,
        lock: Option<store::ProjectLock>,
    ) -> Self {
        Self {
            path,
            project,
            playbook,
            generation: 0,
            saved_generation: 0,
            last_change: Instant::now(),
            lock,
            serial: DOCUMENT_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            keeping: Keeping::Plain,
            undo: None,
        }
    }

    /// Which document and which version of it: changes with every edit and
    /// differs between documents.
    pub(super) fn version(&self) -> (u64, u64) {
        (self.serial, self.generation)
    }

    /// What Edit › Undo would undo: the last field edit, if nothing else
    /// changed the project since.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.as_ref().map(|(_, what)| what.as_str())
    }

    /// Whether there are changes not yet on disk.
    pub fn is_dirty(&self) -> bool {
        self.generation != self.saved_generation
    }

    pub(super) fn touch(&mut self) {
        self.generation += 1;
        self.last_change = Instant::now();
    }

    /// The file name shown in the title.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            None => "not saved".to_owned(),
        }
    }
}

/// The release form's working values.
#[derive(Clone, Debug)]
pub struct ReleaseForm {
    /// The issue they belong to.
    pub issue: String,
    /// Version typed.
    pub version: String,
    /// The zone the date and time are read in.
    pub zone: chrono_tz::Tz,
    /// Date picked.
    pub date: jiff::civil::Date,
    /// Hour.
    pub hour: u32,
    /// Minute.
    pub minute: u32,
}

/// What a notice tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// Status only (autosave, a lock taken over): the status bar and the
    /// notification history, no pop-up.
    Info,
    /// A job the user started has finished: a pop-up notification.
    Done,
    /// Something failed: a pop-up notification, or the error dialog.
    Error,
}

/// A notice: in the status bar while newest, in the history (View ›
/// Notifications…) for the session, and — for finished jobs and errors —
/// a pop-up notification shown once.
#[derive(Clone, Debug)]
pub struct Notice {
    /// Tells it apart from every other notice of the session.
    pub id: u64,
    /// The text.
    pub text: String,
    /// When it was raised.
    pub at: Instant,
    /// What it tells.
    pub kind: NoticeKind,
    /// Whether its pop-up is still to be shown or showing (cleared when it
    /// is dismissed or has timed out; never set again).
    pub popup: bool,
    /// The job it says is still running: the status bar shows it only
    /// while that job runs (the history keeps it).
    pub while_running: Option<String>,
}

/// How long a pop-up notification stays unless dismissed.
pub const POPUP_FOR: Duration = Duration::from_secs(8);

/// The dialog that asks for the key of an encrypted project.
#[derive(Debug)]
pub struct UnlockDialog {
    /// The encrypted project file.
    pub path: PathBuf,
    /// Open it with a key file rather than gpg-agent.
    pub use_key_file: bool,
    /// The key file chosen.
    pub key_file: Option<PathBuf>,
    /// The passphrase typed (zeroized when dropped, never saved).
    pub passphrase: Zeroizing<String>,
}

impl UnlockDialog {
    pub(super) fn new(path: PathBuf) -> Self {
        Self {
            path,
            use_key_file: false,
            key_file: None,
            passphrase: Zeroizing::new(String::new()),
        }
    }

    /// Where the key is, as the dialog says; the passphrase moves out of
    /// the dialog into it.
    pub(super) fn opener(&mut self) -> Opener {
        let typed = std::mem::take(&mut *self.passphrase);
        let passphrase = (!typed.is_empty()).then(|| Passphrase::new(typed));
        match (&self.key_file, self.use_key_file) {
            (Some(path), true) => Opener::File {
                path: path.clone(),
                passphrase,
            },
            _ => Opener::Agent {
                homedir: None,
                passphrase,
            },
        }
    }
}

/// UI-only state: selection, typed text, open dialogs.
#[derive(Debug, Default)]
pub struct ViewState {
    /// Each issue's progress (steps settled, steps) as the list shows it,
    /// computed once per document version and minute.
    pub(super) progress: ProgressCache,
    /// The selected issue's ID.
    pub selected_issue: Option<String>,
    /// The selected step's index in the playbook.
    pub selected_step: usize,
    /// The editable copy of the selected issue; committed when no text field has focus.
    pub draft: Option<Issue>,
    /// The step the draft's edits are journaled under.
    pub draft_step: Option<String>,
    /// Issue list filter.
    pub issue_filter: String,
    /// Title for a new issue.
    pub new_issue_title: String,
    /// Issue being renamed, with the title typed so far.
    pub renaming: Option<(String, String)>,
    /// A confirmation dialog.
    pub confirm: Option<Confirm>,
    /// The path dialog: purpose and the path typed so far.
    pub path_dialog: Option<(PathPurpose, String)>,
    /// The new-project dialog: name and playbook.
    pub new_project: Option<(String, String)>,
    /// The note or skip reason typed under the step.
    pub step_line: String,
    /// Whether the journal window is open.
    pub show_journal: bool,
    /// Whether the notification history is open.
    pub show_notifications: bool,
    /// Journal filter.
    pub journal_filter: String,
    /// A text window: title and text (write-up, drafted reply).
    pub text_window: Option<(String, String)>,
    /// The reason typed for the not-a-security-issue reply.
    pub reply_reason: String,
    /// The release form.
    pub release_form: Option<ReleaseForm>,
    /// The prompt on close with unsaved changes is shown.
    pub close_prompt: bool,
    /// The key dialog of an encrypted project being opened.
    pub unlock: Option<UnlockDialog>,
    /// The time settings window, when open.
    pub time_form: Option<TimeForm>,
    /// The signing panel of the build-and-sign step.
    pub signing: SigningPanel,
    /// The embargo guard panel.
    pub git: GitPanel,
    /// The embargoed-download panel.
    pub share: SharePanel,
    /// The recipients and notice windows.
    pub mail: MailPanel,

    // The steps part of issue #22.
    /// Whether the Due window (what must happen today and this week) is open.
    pub show_due: bool,
    /// The Project › Settings window, when open (part "settings" of #22).
    pub project_settings: Option<SettingsForm>,
    // Issue #22, mail part.
    /// The file the user agreed to replace with the next export written to
    /// it; taken by that export.
    pub replace_file: Option<PathBuf>,
    // Typing and layout (issue #22, typing part).
    /// The shortcut asked for the keyboard focus on the step's form: the
    /// step view gives it to the form's first field when it next draws.
    pub focus_form: bool,
    /// The issue list is collapsed to a narrow strip.
    pub issues_collapsed: bool,
    // --- The "repo" part of #22.
    /// The build step's choices, the repository's lists, the intake from a
    /// raw mail, the push after publication.
    pub repo: RepoPanel,
    /// Whether the write-up shows reporters' and recipients' addresses
    /// (left out unless asked for).
    pub writeup_addresses: bool,
    /// The team's repository: where the project stands, the conflicts a
    /// sync stopped on.
    pub team: super::team::TeamView,
}

/// The state of the "repo" part of #22: what the repository offers, what
/// the build starts from, the last build's output, the raw report mail
/// read, and the last push.
#[derive(Debug, Default)]
pub struct RepoPanel {
    /// The repository's sources, for the issue they were read for.
    pub sources: Option<(String, Result<crate::workflows::artifacts::Sources, String>)>,
    /// The issue whose sources were last asked for.
    pub(super) sources_requested: Option<String>,
    /// The commit or tag typed or picked to build from; empty: the default
    /// (the tip of the release branch).
    pub from: String,
    /// The base tag as typed, for the issue it was typed for.
    pub base_tag: Option<(String, String)>,
    /// Where the last build wrote its files, and what it warned about.
    pub built: Option<(PathBuf, Vec<String>)>,
    /// Why the last build failed.
    pub build_error: Option<String>,
    /// The raw report mail pasted, being typed.
    pub pasted_mail: String,
    /// The report mail last read, for the issue it filled.
    pub mail: Option<(String, crate::core::import::ReportMail)>,
    /// Why the last mail could not be read.
    pub mail_error: Option<String>,
    /// The commit picked in the fix-commit list, not added yet.
    pub fix_pick: Option<String>,
    /// What the last push printed (or why it was refused), for its issue.
    pub pushed: Option<(String, Result<String, String>)>,
}

/// Bytes read per file of a running job, shared with the job.
#[derive(Debug, Default)]
pub struct FileProgress {
    /// Per file: (name, bytes done, bytes total).
    pub files: Vec<(String, AtomicU64, AtomicU64)>,
}

/// The key form: where the key lives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyForm {
    /// In gpg-agent (else a key file).
    pub agent: bool,
    /// Fingerprint (gpg-agent).
    pub fingerprint: String,
    /// GnuPG home, empty for the default (gpg-agent).
    pub homedir: String,
    /// Key file path.
    pub key_file: String,
}

/// The panel's state.
#[derive(Default)]
pub struct SigningPanel {
    /// Files to sign.
    pub files: Vec<FileRow>,
    /// A path typed in the fallback field.
    pub typed: String,
    /// Write SHA256SUMS and SHA512SUMS.
    pub sums: bool,
    /// The passphrase typed for a key file; taken by the job.
    pub passphrase: Zeroizing<String>,
    /// The key form, when open.
    pub key_form: Option<KeyForm>,
    /// The key inspected, for the key reference it was made from.
    pub key: Option<(SigningKeyRef, Result<KeyInfo, String>)>,
    /// The key reference last sent for inspection.
    pub(super) key_requested: Option<SigningKeyRef>,
    /// Progress of the running job.
    pub running: Option<Arc<FileProgress>>,
    /// Signatures of the last run.
    pub results: Vec<ResultRow>,
    /// Why the last run failed.
    pub error: Option<String>,
    /// Whether the sums option was set from its default.
    pub(super) initialised: bool,
}

impl std::fmt::Debug for SigningPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningPanel")
            .field("files", &self.files)
            .field("sums", &self.sums)
            .field("results", &self.results)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// The panel's state.
#[derive(Debug, Default)]
pub struct GitPanel {
    /// The last result, for the issue it was made for.
    pub status: Option<(String, Result<GitStatus, String>)>,
    pub(super) requested: Option<String>,
    /// The repository settings being edited.
    pub form: Option<RepoForm>,
}

/// The repository settings as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepoForm {
    /// Local private repository.
    pub path: String,
    /// Public remotes, space separated.
    pub public: String,
    /// Private remotes, space separated.
    pub private: String,
    /// Version file.
    pub version_file: String,
    /// Version pattern with `{version}`.
    pub version_pattern: String,
    /// Tag template.
    pub tag: String,
    /// Tarball template.
    pub tarball: String,
}

/// The panel's state.
#[derive(Default)]
pub struct SharePanel {
    /// Passwords made in this session, until hidden.
    pub shown: Vec<Shown>,
    /// Where the files were written last.
    pub written: Option<PathBuf>,
}

impl std::fmt::Debug for SharePanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharePanel")
            .field("shown", &self.shown.len())
            .field("written", &self.written)
            .finish()
    }
}

/// The recipients window's working copy.
#[derive(Clone, Debug, Default)]
pub struct RecipientsForm {
    /// The recipients as edited.
    pub recipients: Vec<Recipient>,
    /// The selected issue, whose notice state is shown.
    pub issue: Option<String>,
    /// That issue's notice state as edited, one per recipient row.
    pub notices: Vec<NoticeState>,
    /// The pasted list of addresses.
    pub pasted: String,
    /// The role given to pasted addresses.
    pub pasted_role: Option<RecipientRole>,
    /// The certificate file path typed, per row being imported.
    pub cert_path: String,
    /// The row whose certificate is being imported.
    pub cert_row: Option<usize>,
    /// The last message (import result, skipped pasted pieces).
    pub message: Option<String>,
}

/// The notice window's state.
#[derive(Clone, Debug, Default)]
pub struct ComposeForm {
    /// The issue.
    pub issue: String,
    /// The template's name.
    pub template: String,
    /// Recipients typed (names, roles or addresses); empty: the template's roles.
    pub to: String,
    /// Directory for `.eml` files.
    pub eml_dir: String,
    /// `HOST:PORT` for SMTP; empty: the project's.
    pub smtp: String,
    /// A PEM file with the user's own CA for the SMTP server's certificate;
    /// empty: the project's `smtp_ca`.
    pub smtp_ca: String,
    /// The reason given to send this mail before the release is marked
    /// published, for the template and recipients it was given for.
    pub before_publication: Option<BeforePublication>,
    /// The confirmation asked before a mail goes before publication.
    pub confirm: Option<ConfirmEarly>,
    /// What the last job said.
    pub outcome: Option<Result<String, String>>,
    // Issue #22, mail part: the step a notice is composed for, its edited
    // text, and the question before embargoed details go out in clear.
    /// The key of the step whose “Compose…” opened the window, and that
    /// step's template: sending that template settles the step.
    pub step: Option<(String, String)>,
    /// The subject and body as edited, starting from the rendered text.
    pub edit: Option<NoticeEdit>,
    /// The confirmation asked before embargoed details go out unencrypted.
    pub confirm_plain: Option<ConfirmPlain>,
    /// The project's own text of each template by name (`None` inside: it
    /// has none; `Err`: it cannot be read), read in a job when the window
    /// opens; `None` until then.
    pub overrides: Option<HashMap<String, Result<Option<String>, String>>>,
}

/// The subject and body of a notice as the user edits them, with the
/// template they were rendered from (another template starts again from
/// its rendered text; other recipients keep an edit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoticeEdit {
    /// The template rendered.
    pub template: String,
    /// The subject line.
    pub subject: String,
    /// The body.
    pub body: String,
    /// Whether the text differs from the rendered one.
    pub changed: bool,
}

/// The question asked before a mail with embargoed details goes out
/// unencrypted: why, and what to do once confirmed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfirmPlain {
    /// What goes out in clear, to whom.
    pub message: String,
    /// Send it, or save it as `.eml` in this directory.
    pub action: MailCommand,
}

/// A reason to send one mail before the release is marked published.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BeforePublication {
    /// The template it was given for.
    pub template: String,
    /// The recipients it was given for, as typed.
    pub to: String,
    /// Why the mail must go now.
    pub reason: String,
}

/// The question asked before a mail goes before publication: what it says,
/// the reason being typed, and what to do once confirmed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfirmEarly {
    /// Why the mail waits (the check's message).
    pub message: String,
    /// The reason typed.
    pub reason: String,
    /// Send it, or save it as `.eml` in this directory.
    pub action: MailCommand,
}

/// The mail windows' state.
#[derive(Default)]
pub struct MailPanel {
    /// The recipients window, when open.
    pub recipients: Option<RecipientsForm>,
    /// The notice window, when open.
    pub compose: Option<ComposeForm>,
    /// The SMTP password typed; taken by the sending job.
    pub password: Zeroizing<String>,
    /// The key passphrase typed; taken by the job.
    pub passphrase: Zeroizing<String>,
    /// The embargoed download's password of one list, handed over from the
    /// download panel for that list's fix-availability mail; held in memory
    /// only, and forgotten when the notice window closes.
    pub share_password: Option<(String, Zeroizing<String>)>,
    /// Whether a mail job runs, with its last progress text.
    pub running: Option<String>,
    /// Issue #22, mail part: the addresses the user IDs of each recipient
    /// certificate name, by fingerprint (read in a job), to flag a
    /// certificate that does not name its recipient.
    pub cert_addresses: HashMap<String, Vec<String>>,
}

impl std::fmt::Debug for MailPanel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailPanel")
            .field("recipients", &self.recipients)
            .field("compose", &self.compose)
            .field("running", &self.running)
            .finish_non_exhaustive()
    }
}

/// Working copy of the settings and the zone being typed.
#[derive(Clone, Debug)]
pub struct TimeForm {
    /// The settings as edited.
    pub time: TimeSettings,
    /// A zone name being typed, to add.
    pub new_zone: String,
}

/// Where the signing key is, as chosen in the Project › Settings window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KeyPlace {
    /// In gpg-agent.
    #[default]
    Agent,
    /// In a key file.
    File,
    /// No signing key.
    None,
}

/// The Project › Settings window's working copy: the settings as edited
/// (Apply sends them, Cancel drops them), the values typed as text, and
/// what its jobs found (gpg-agent's keys, the chosen key's expiry).
#[derive(Clone, Debug)]
pub struct SettingsForm {
    /// The settings as edited (mail, publication and the repository's
    /// text fields in place; the rest is built from the fields below).
    pub settings: crate::core::settings::ProjectSettings,
    /// The tab shown.
    pub tab: SettingsTab,
    /// The SMTP port as typed.
    pub smtp_port: String,
    /// Public remotes, space separated.
    pub public_remotes: String,
    /// Private remotes, space separated.
    pub private_remotes: String,
    /// Where the signing key is.
    pub key_place: KeyPlace,
    /// The key's fingerprint (gpg-agent).
    pub fingerprint: String,
    /// GnuPG home, empty for the default (gpg-agent).
    pub homedir: String,
    /// The key file's path.
    pub key_file: String,
    /// The time settings and the zone being typed (the time window's fields).
    pub time: TimeForm,
    /// A built-in playbook (else a file).
    pub playbook_builtin: bool,
    /// The built-in playbook's name.
    pub playbook_name: String,
    /// The playbook file's path.
    pub playbook_file: String,
    /// gpg-agent's secret keys for a GnuPG home, or why they could not be listed.
    pub agent_keys: Option<(String, Result<Vec<KeyInfo>, String>)>,
    /// The GnuPG home whose keys were last asked for.
    pub agent_requested: Option<String>,
    /// The key file inspected, for the key reference it was made from.
    pub key_info: Option<(SigningKeyRef, Result<KeyInfo, String>)>,
    /// The key reference last sent for inspection.
    pub key_requested: Option<SigningKeyRef>,
    /// Why the last Apply was refused.
    pub error: Option<String>,
    /// Whether an Apply waits for its playbook to load.
    pub applying: bool,
}

/// The issues' progress, kept until the document changes or a minute
/// passes (time-dependent checks may then change): computing every issue's
/// step states each frame costs milliseconds on a project of hundreds.
#[derive(Debug, Default)]
pub struct ProgressCache {
    pub(super) key: Option<((u64, u64), i64)>,
    pub(super) by_issue: HashMap<String, (usize, usize)>,
}

/// The application.
pub struct EmbargoApp {
    /// The open project, if any.
    pub doc: Option<Document>,
    /// UI-only state.
    pub view: ViewState,
    /// Recently opened projects.
    pub recent: Vec<PathBuf>,
    /// The error shown in a dialog, if any.
    pub error: Option<String>,
    /// Errors raised while one is shown, each shown after the one before is
    /// dismissed.
    pub pending_errors: VecDeque<String>,
    /// Notices for the status bar, newest last.
    pub notices: Vec<Notice>,
    /// Close the window once the first frame is drawn (the start-up
    /// benchmark sets it through `EMBARGO_EXIT_AFTER_FIRST_FRAME=1`).
    pub exit_after_first_frame: bool,
    /// Theme and UI scale, as chosen (View menu) and kept in the
    /// configuration directory.
    pub prefs: crate::adapters::prefs::Prefs,
    pub(super) applied_prefs: Option<crate::adapters::prefs::Prefs>,
    /// Commands waiting to be handled (after drawing).
    pub(super) commands: Queue<Command>,
    /// The last commands handled, newest last (at most [`HANDLED_KEPT`]).
    pub(super) handled: VecDeque<Command>,
    pub(super) jobs: Jobs<JobResult>,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) config_dir: Option<PathBuf>,
    pub(super) startup_pending: bool,
    /// The issue and step to show once the project being opened is open.
    pub(super) landing: Option<(String, Option<String>)>,
    pub(super) quit_after_save: bool,
    /// The save running was started by autosave (its notice is Info).
    pub(super) autosaving: bool,
    pub(super) close_confirmed: bool,
    pub(super) quit_requested: bool,
    /// File › Quit asked to close the window.
    pub(super) close_asked: bool,
    pub(super) last_title: String,
    /// The id the next notice gets.
    pub(super) next_notice: u64,
    /// The egui context, to wake the next frame.
    pub(super) ctx: egui::Context,
}

impl std::fmt::Debug for EmbargoApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbargoApp")
            .field("doc", &self.doc.as_ref().map(|d| &d.path))
            .field("jobs", &self.jobs)
            .finish_non_exhaustive()
    }
}

impl EmbargoApp {
    /// The present instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Queue a command for the end of the frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The last commands handled (at most [`HANDLED_KEPT`]), oldest first:
    /// what the app did in the last frames, for diagnostics and tests.
    pub fn handled(&self) -> impl Iterator<Item = &Command> {
        self.handled.iter()
    }

    /// Whether a background job runs.
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy()
    }

    /// The selected issue as edited (the draft), if any.
    pub fn selected_issue(&self) -> Option<&Issue> {
        self.view.draft.as_ref()
    }

    pub(super) fn push_notice(&mut self, text: String, kind: NoticeKind, popup: bool) {
        self.next_notice += 1;
        self.notices.push(Notice {
            id: self.next_notice,
            text,
            at: Instant::now(),
            kind,
            popup,
            while_running: None,
        });
        if self.notices.len() > MAX_NOTICES {
            self.notices.remove(0);
        }
    }

    /// A status notice: status bar and history, no pop-up.
    pub(super) fn notice(&mut self, text: impl Into<String>) {
        self.push_notice(text.into(), NoticeKind::Info, false);
    }

    /// A job the user started has finished: a pop-up notification.
    pub(super) fn done(&mut self, text: impl Into<String>) {
        self.push_notice(text.into(), NoticeKind::Done, true);
    }

    /// Something failed and a panel shows it in place: a pop-up
    /// notification too, so it is not missed.
    pub(super) fn failed(&mut self, text: impl Into<String>) {
        self.push_notice(text.into(), NoticeKind::Error, true);
    }

    /// Something failed: the error dialog (after any shown before it) and
    /// the history. The same error raised again while it is shown or waiting
    /// is not queued twice.
    pub(super) fn fail(&mut self, text: impl Into<String>) {
        let text = text.into();
        if self.error.as_ref() == Some(&text) || self.pending_errors.contains(&text) {
            return;
        }
        self.push_notice(text.clone(), NoticeKind::Error, false);
        if self.error.is_none() {
            self.error = Some(text);
        } else {
            self.pending_errors.push_back(text);
        }
    }

    pub(super) fn spawn(
        &mut self,
        name: &str,
        work: impl FnOnce(&Progress) -> JobResult + Send + 'static,
    ) {
        if let Err(e) = self.jobs.spawn(name, work) {
            self.notice(e.to_string());
            if let Some(n) = self.notices.last_mut() {
                n.while_running = Some(e.0);
            }
        }
    }

    /// Start a named background job (for the app's other modules).
    pub(super) fn spawn_job(
        &mut self,
        name: &str,
        work: impl FnOnce(&Progress) -> JobResult + Send + 'static,
    ) {
        self.spawn(name, work);
    }

    /// The error dialog was dismissed: show the next error, if any.
    pub(super) fn dismiss_error(&mut self) {
        self.error = self.pending_errors.pop_front();
    }

    /// Ask the running job `name` to stop.
    pub(super) fn cancel_job(&mut self, name: &str) {
        if let Some(running) = self.jobs.running().get(name) {
            running.progress.cancel();
        }
    }

    /// The key of the selected step.
    pub fn selected_step_key(&self) -> Option<String> {
        let doc = self.doc.as_ref()?;
        doc.playbook
            .steps
            .get(self.view.selected_step)
            .map(|s| s.key().to_owned())
    }

    pub(super) fn commit_draft(&mut self) {
        let now = self.clock.now();
        let (Some(doc), Some(draft)) = (&mut self.doc, &self.view.draft) else {
            return;
        };
        let Some(current) = doc.project.issue(&draft.id) else {
            return;
        };
        let same = current.title == draft.title && {
            let mut a = current.clone();
            a.journal.clear();
            let mut b = draft.clone();
            b.journal.clear();
            a == b
        };
        if same {
            return;
        }
        let before = doc.project.clone();
        match ops::commit_issue(
            &mut doc.project,
            draft,
            self.view.draft_step.as_deref(),
            now,
        ) {
            Ok(_) => {
                doc.undo = Some((before, format!("the edit of {}", draft.id)));
                doc.touch();
                self.refresh_draft();
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Reload the draft from the project (after a change made elsewhere).
    pub(super) fn refresh_draft(&mut self) {
        let fresh = self
            .doc
            .as_ref()
            .zip(self.view.selected_issue.as_ref())
            .and_then(|(d, id)| d.project.issue(id).cloned());
        self.view.draft = fresh;
    }

    pub(super) fn open_doc_with<T>(
        &mut self,
        f: impl FnOnce(&mut Document, DateTime<Utc>) -> Result<T, ops::OpError>,
    ) -> Option<T> {
        self.commit_draft();
        let now = self.clock.now();
        let doc = self.doc.as_mut()?;
        match f(doc, now) {
            Ok(v) => {
                // Journaled actions are not undone; nor is an edit before them.
                doc.undo = None;
                doc.touch();
                self.refresh_draft();
                Some(v)
            }
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }

    /// The window title as last set.
    pub fn title(&self) -> &str {
        &self.last_title
    }
}

/// How many handled commands [`EmbargoApp::handled`] keeps.
pub const HANDLED_KEPT: usize = 64;

/// The job shown in the status bar: its name, what it says and how far it is.
#[derive(Clone, Debug)]
pub struct JobLine {
    /// The job's name.
    pub name: String,
    /// What it says it does.
    pub message: String,
    /// How far it is, when it knows.
    pub fraction: Option<f32>,
}

/// What a view reads while it draws: the document and the app's state
/// other than the view state it edits. Views get this, the view state and
/// a command sink; they change nothing else.
#[derive(Clone, Copy)]
pub struct AppRef<'a> {
    /// The open document.
    pub doc: Option<&'a Document>,
    /// Recently opened projects.
    pub recent: &'a [PathBuf],
    /// The error the dialog shows.
    pub error: Option<&'a str>,
    /// The session's notices, newest last.
    pub notices: &'a [Notice],
    /// Theme and scale as chosen.
    pub prefs: crate::adapters::prefs::Prefs,
    /// Whether a background job runs.
    pub busy: bool,
    /// The job the status bar shows.
    pub running: Option<&'a JobLine>,
    /// The names of the running jobs.
    pub running_jobs: &'a [&'a str],
    /// The present instant.
    pub now: DateTime<Utc>,
    /// The instant the clock was set to at start (`EMBARGO_NOW`), if it
    /// is not the system's.
    pub clock_set: Option<DateTime<Utc>>,
    /// Whether a sync runs (the Sync button waits for it).
    pub syncing: bool,
}
