//! The app's state, its commands and their application, the background jobs
//! it starts and what it does with their results, autosave, the window title
//! and the prompt on close with unsaved changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::adapters::openpgp::Passphrase;
use crate::adapters::openpgp::atrest::Opener;
use crate::adapters::vault::{self, Keeping};
use crate::adapters::{playbooks, recent, store};
use crate::core::model::{Issue, PlaybookRef, Project};
use crate::core::ops::{self, StepAction};
use crate::core::playbook::{self, Playbook};
use crate::core::ports::Clock;
use crate::core::render::{self, ReportFormat};
use crate::jobs::{Jobs, Progress};

/// How long after the last change an autosave starts.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(1500);

/// The notices kept for the history (View › Notifications…).
const MAX_NOTICES: usize = 100;

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
        milestone: crate::core::model::Milestone,
        /// Where to.
        at: Option<DateTime<Utc>>,
    },
    /// Write the selected issue's timeline as an iCalendar file (in a job).
    WriteCalendar(PathBuf),
    /// Show a notice in the status bar.
    Notice(String),
    /// Replace the project's time settings.
    SetTime(crate::core::model::TimeSettings),
    /// Show the write-up of the selected issue.
    ShowWriteUp,
    /// Draft the "not a security issue" reply with this reason.
    DraftReply(String),
    /// Write the shown write-up to a file (in a job).
    WriteWriteUp(PathBuf),
    /// Write the selected issue's CVE record to a file (in a job).
    WriteCveRecord(PathBuf),
    /// Close the window (after the unsaved-changes prompt, if any).
    Quit,
    /// Change the theme or UI scale, and keep the choice (in a job).
    SetPrefs(crate::adapters::prefs::Prefs),
    /// A command of the signing panel.
    Signing(super::signing::SignCommand),
    /// A command of the git panel.
    Git(super::gitpanel::GitCommand),
    /// A command of the embargoed-download panel.
    Share(super::share::ShareCommand),
    /// Ask before doing something that cannot be taken back.
    Ask(Box<Confirm>),
    /// A command of the recipients and notice windows.
    Mail(super::mail::MailCommand),
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
    generation: u64,
    saved_generation: u64,
    last_change: Instant,
    lock: Option<store::ProjectLock>,
    serial: u64,
    /// Plain, or encrypted at rest to a certificate: how it is saved.
    pub keeping: Keeping,
    /// The project before the last field edit, and what that edit was.
    undo: Option<(Project, String)>,
}

/// Tells documents apart, so that what is cached for one is not shown for the next.
static DOCUMENT_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Document {
    fn new(
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

    fn touch(&mut self) {
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
    /// The text.
    pub text: String,
    /// When it was raised.
    pub at: Instant,
    /// What it tells.
    pub kind: NoticeKind,
    /// Whether its pop-up is still to be shown or showing (cleared when it
    /// is dismissed or has timed out; never set again).
    pub popup: bool,
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
    pub passphrase: zeroize::Zeroizing<String>,
}

impl UnlockDialog {
    fn new(path: PathBuf) -> Self {
        Self {
            path,
            use_key_file: false,
            key_file: None,
            passphrase: zeroize::Zeroizing::new(String::new()),
        }
    }

    /// Where the key is, as the dialog says; the passphrase moves out of
    /// the dialog into it.
    fn opener(&mut self) -> Opener {
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
    pub(super) progress: super::issues::ProgressCache,
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
    pub time_form: Option<super::settings::TimeForm>,
    /// The signing panel of the build-and-sign step.
    pub signing: super::signing::SigningPanel,
    /// The embargo guard panel.
    pub git: super::gitpanel::GitPanel,
    /// The embargoed-download panel.
    pub share: super::share::SharePanel,
    /// The recipients and notice windows.
    pub mail: super::mail::MailPanel,
}

/// What a background job of the app returns.
pub(super) enum JobResult {
    Opened {
        path: PathBuf,
        project: Project,
        playbook: Playbook,
        lock: store::ProjectLock,
        keeping: Keeping,
    },
    Saved {
        path: PathBuf,
        generation: u64,
        lock: Option<store::ProjectLock>,
    },
    Picked {
        purpose: PathPurpose,
        path: Option<PathBuf>,
    },
    Recent(Vec<PathBuf>),
    Prefs(crate::adapters::prefs::Prefs),
    Wrote(PathBuf),
    Signing(super::signing::JobDone),
    Git(super::gitpanel::GitJobDone),
    Share(super::share::ShareDone),
    Mail(super::mail::JobDone),
    Failed {
        what: String,
        error: String,
    },
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
    pub pending_errors: std::collections::VecDeque<String>,
    /// Notices for the status bar, newest last.
    pub notices: Vec<Notice>,
    /// Close the window once the first frame is drawn (the start-up
    /// benchmark sets it through `EMBARGO_EXIT_AFTER_FIRST_FRAME=1`).
    pub exit_after_first_frame: bool,
    /// Theme and UI scale, as chosen (View menu) and kept in the
    /// configuration directory.
    pub prefs: crate::adapters::prefs::Prefs,
    applied_prefs: Option<crate::adapters::prefs::Prefs>,
    commands: Vec<Command>,
    jobs: Jobs<JobResult>,
    clock: Arc<dyn Clock>,
    config_dir: Option<PathBuf>,
    startup_pending: bool,
    /// The issue and step to show once the project being opened is open.
    landing: Option<(String, Option<String>)>,
    quit_after_save: bool,
    /// The save running was started by autosave (its notice is Info).
    autosaving: bool,
    close_confirmed: bool,
    quit_requested: bool,
    last_title: String,
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
    /// The app, starting on `startup`. `config_dir` keeps the recent-projects
    /// list; `None` keeps no list.
    pub fn new(
        ctx: &egui::Context,
        startup: Startup,
        clock: Arc<dyn Clock>,
        config_dir: Option<PathBuf>,
    ) -> Self {
        let repaint = ctx.clone();
        let mut app = Self {
            doc: None,
            view: ViewState::default(),
            recent: Vec::new(),
            error: None,
            pending_errors: std::collections::VecDeque::new(),
            notices: Vec::new(),
            exit_after_first_frame: false,
            prefs: crate::adapters::prefs::Prefs::default(),
            applied_prefs: None,
            commands: Vec::new(),
            jobs: Jobs::new(Arc::new(move || repaint.request_repaint())),
            clock,
            config_dir: config_dir.clone(),
            startup_pending: false,
            landing: None,
            quit_after_save: false,
            autosaving: false,
            close_confirmed: false,
            quit_requested: false,
            last_title: String::new(),
        };
        app.spawn("recent projects", move |_| {
            JobResult::Recent(config_dir.as_deref().map(recent::load).unwrap_or_default())
        });
        let prefs_dir = app.config_dir.clone();
        app.spawn("preferences", move |_| {
            JobResult::Prefs(
                prefs_dir
                    .as_deref()
                    .map(crate::adapters::prefs::load)
                    .unwrap_or_default(),
            )
        });
        match startup {
            Startup::File(path) => app.apply(Command::Open(path)),
            Startup::Example => app.apply(Command::OpenExample),
            Startup::RecentOrExample => app.startup_pending = true,
        }
        app
    }

    /// The present instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Queue a command for the end of the frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Whether a background job runs.
    pub fn is_busy(&self) -> bool {
        self.jobs.is_busy()
    }

    /// The selected issue as edited (the draft), if any.
    pub fn selected_issue(&self) -> Option<&Issue> {
        self.view.draft.as_ref()
    }

    fn push_notice(&mut self, text: String, kind: NoticeKind, popup: bool) {
        self.notices.push(Notice {
            text,
            at: Instant::now(),
            kind,
            popup,
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

    /// The error dialog was dismissed: show the next error, if any.
    pub(super) fn dismiss_error(&mut self) {
        self.error = self.pending_errors.pop_front();
    }

    fn spawn(&mut self, name: &str, work: impl FnOnce(&Progress) -> JobResult + Send + 'static) {
        if let Err(e) = self.jobs.spawn(name, work) {
            self.notice(e.to_string());
        }
    }

    /// Write `text` to `path` in a job, as a private output file (the
    /// calendar, the write-up, the CVE record).
    fn spawn_write(&mut self, name: &str, path: PathBuf, text: String) {
        self.spawn(
            name,
            move |_| match crate::adapters::outfile::write_private(&path, text) {
                Ok(()) => JobResult::Wrote(path),
                Err(e) => JobResult::Failed {
                    what: format!("Writing {}", path.display()),
                    error: format!("{e}. Choose a directory you can write to."),
                },
            },
        );
    }

    /// Start a named background job (for the app's other modules).
    pub(super) fn spawn_job(
        &mut self,
        name: &str,
        work: impl FnOnce(&Progress) -> JobResult + Send + 'static,
    ) {
        self.spawn(name, work);
    }

    /// Ask the running job `name` to stop.
    pub(super) fn cancel_job(&mut self, name: &str) {
        if let Some(running) = self.jobs.running().get(name) {
            running.progress.cancel();
        }
    }

    /// One frame: job results, shortcuts, drawing, commands, autosave, title.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        for finished in self.jobs.poll() {
            match finished.result {
                Ok(result) => self.on_job(result),
                Err(panic) => self.fail(format!("{} failed unexpectedly: {panic}", finished.name)),
            }
        }
        self.apply_prefs(&ctx);
        self.handle_close(&ctx);
        self.take_dropped_files(&ctx);
        self.shortcuts(&ctx);
        self.draw(ui);
        self.maybe_commit_draft(&ctx);
        for command in std::mem::take(&mut self.commands) {
            self.apply(command);
        }
        self.autosave(&ctx);
        self.update_title(&ctx);
    }

    /// Bring the theme and scale in line with the preferences; a zoom made
    /// with Ctrl+Plus/Minus becomes the preferred scale.
    fn apply_prefs(&mut self, ctx: &egui::Context) {
        use crate::adapters::prefs::Theme;
        if let Some(applied) = self.applied_prefs
            && applied == self.prefs
            && (ctx.zoom_factor() - applied.scale).abs() > 0.001
        {
            self.apply(Command::SetPrefs(crate::adapters::prefs::Prefs {
                scale: ctx.zoom_factor(),
                ..applied
            }));
        }
        if self.applied_prefs == Some(self.prefs) {
            return;
        }
        ctx.set_theme(match self.prefs.theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        });
        ctx.set_zoom_factor(self.prefs.scale);
        self.applied_prefs = Some(self.prefs);
    }

    fn handle_close(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            self.commit_draft();
            if self.doc.as_ref().is_some_and(Document::is_dirty) {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.view.close_prompt = true;
            }
        }
    }

    /// Files dropped onto the window join the signing list.
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() || self.doc.is_none() {
            return;
        }
        self.notice(format!(
            "{} file(s) added to the signing list (step: Tarball and standalone patch, signed)",
            dropped.len()
        ));
        self.send(Command::Signing(super::signing::SignCommand::Add(dropped)));
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let modal_open = self.view.confirm.is_some()
            || self.view.path_dialog.is_some()
            || self.view.new_project.is_some()
            || self.view.close_prompt
            || self.error.is_some();
        if modal_open {
            return;
        }
        let pressed = |m: Modifiers, k: Key| {
            ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)))
        };
        if pressed(Modifiers::COMMAND, Key::S) {
            self.send(Command::Save);
        }
        if pressed(Modifiers::COMMAND, Key::O) {
            self.send(Command::AskPath(PathPurpose::Open));
        }
        if pressed(Modifiers::COMMAND, Key::J) {
            self.view.show_journal = !self.view.show_journal;
        }
        // In a text field, Ctrl+Z is the field's own undo.
        if !ctx.egui_wants_keyboard_input() && pressed(Modifiers::COMMAND, Key::Z) {
            self.send(Command::Undo);
        }
        for (key, down) in [(Key::ArrowDown, true), (Key::ArrowUp, false)] {
            if pressed(Modifiers::ALT, key)
                && let Some(id) = self.neighbour_issue(down)
            {
                self.send(Command::SelectIssue(id));
            }
        }
        if self.view.draft.is_none() {
            return;
        }
        if pressed(Modifiers::COMMAND, Key::Enter)
            && let Some(key) = self.selected_step_key()
        {
            let note = std::mem::take(&mut self.view.step_line);
            self.send(Command::MarkStep {
                key,
                action: StepAction::Done,
                note,
            });
        }
        let steps = self.doc.as_ref().map_or(0, |d| d.playbook.steps.len());
        if pressed(Modifiers::ALT, Key::ArrowRight) && self.view.selected_step + 1 < steps {
            self.send(Command::SelectStep(self.view.selected_step + 1));
        }
        if pressed(Modifiers::ALT, Key::ArrowLeft) && self.view.selected_step > 0 {
            self.send(Command::SelectStep(self.view.selected_step - 1));
        }
    }

    /// The issue listed after (`down`) or before the selected one, under the
    /// list's filter; the first listed when none is selected.
    fn neighbour_issue(&self, down: bool) -> Option<String> {
        let doc = self.doc.as_ref()?;
        let filter = self.view.issue_filter.to_lowercase();
        let listed: Vec<&str> = doc
            .project
            .issues
            .iter()
            .filter(|i| super::issues::matches_filter(i, &filter))
            .map(|i| i.id.as_str())
            .collect();
        let at = self
            .view
            .selected_issue
            .as_deref()
            .and_then(|id| listed.iter().position(|l| *l == id));
        let next = match (at, down) {
            (None, _) => Some(0),
            (Some(i), true) => Some(i + 1),
            (Some(i), false) => i.checked_sub(1),
        };
        next.and_then(|i| listed.get(i)).map(|id| (*id).to_owned())
    }

    /// The key of the selected step.
    pub fn selected_step_key(&self) -> Option<String> {
        let doc = self.doc.as_ref()?;
        doc.playbook
            .steps
            .get(self.view.selected_step)
            .map(|s| s.key().to_owned())
    }

    fn draw(&mut self, ui: &mut egui::Ui) {
        let now = self.now();
        super::menu::menu_bar(ui, self);
        self.status_bar(ui);
        egui::Panel::left("issues")
            .resizable(true)
            .default_size(280.0)
            .show(ui, |ui| super::issues::issue_list(ui, self));
        egui::CentralPanel::default().show(ui, |ui| super::wizard::wizard(ui, self, now));
        super::menu::dialogs(ui.ctx(), self);
        super::wizard::windows(ui.ctx(), self);
        super::notify::history_window(ui.ctx(), self);
        super::notify::popups(ui.ctx(), self);
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((name, running)) = self.jobs.running().iter().next() {
                    ui.spinner();
                    let message = running.progress.message();
                    ui.label(if message.is_empty() {
                        name.clone()
                    } else {
                        format!("{name}: {message}")
                    });
                    if let Some(f) = running.progress.fraction() {
                        ui.add(
                            egui::ProgressBar::new(f)
                                .desired_width(160.0)
                                .show_percentage(),
                        );
                    }
                } else if let Some(n) = self.notices.last() {
                    ui.label(&n.text);
                } else {
                    ui.label("Ready");
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if let Some(doc) = &self.doc {
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

    fn on_job(&mut self, result: JobResult) {
        match result {
            JobResult::Opened {
                path,
                project,
                playbook,
                lock,
                keeping,
            } => {
                if let Some(notice) = lock.takeover_notice() {
                    self.notice(notice);
                }
                self.recent.retain(|p| p != &path);
                self.recent.insert(0, path.clone());
                let mut doc = Document::new(Some(path.clone()), project, playbook, Some(lock));
                let encrypted = keeping.describe().map(str::to_owned);
                doc.keeping = keeping;
                self.set_document(doc);
                self.done(match encrypted {
                    Some(to) => format!("opened {}, kept encrypted to {to}", path.display()),
                    None => format!("opened {}", path.display()),
                });
            }
            JobResult::Saved {
                path,
                generation,
                lock,
            } => {
                if let Some(doc) = &mut self.doc {
                    if lock.is_some() {
                        doc.lock = lock;
                        doc.path = Some(path.clone());
                        self.recent.retain(|p| p != &path);
                        self.recent.insert(0, path.clone());
                    }
                    if doc.path.as_deref() == Some(path.as_path()) {
                        doc.saved_generation = doc.saved_generation.max(generation);
                    }
                }
                if std::mem::take(&mut self.autosaving) {
                    self.notice(format!("saved {}", path.display()));
                } else {
                    self.done(format!("saved {}", path.display()));
                }
                if self.quit_after_save && !self.doc.as_ref().is_some_and(Document::is_dirty) {
                    self.quit_after_save = false;
                    self.apply(Command::Quit);
                }
            }
            JobResult::Picked { purpose, path } => match path {
                Some(p) => {
                    self.view.path_dialog = None;
                    self.apply(match purpose {
                        PathPurpose::Open => Command::Open(p),
                        PathPurpose::SaveAs => Command::SaveAs(p),
                        PathPurpose::WriteUp => Command::WriteWriteUp(p),
                        PathPurpose::Calendar => Command::WriteCalendar(p),
                        PathPurpose::CveRecord => Command::WriteCveRecord(p),
                        PathPurpose::ProjectKey => Command::SetUnlockKey(p),
                    });
                }
                None => self.notice("no file chosen (type the path instead if no dialog appeared)"),
            },
            JobResult::Prefs(prefs) => self.prefs = prefs,
            JobResult::Recent(list) => {
                for p in list {
                    if !self.recent.contains(&p) {
                        self.recent.push(p);
                    }
                }
                if std::mem::take(&mut self.startup_pending) {
                    match self.recent.first().filter(|p| p.exists()).cloned() {
                        Some(p) => self.apply(Command::Open(p)),
                        None => self.apply(Command::OpenExample),
                    }
                }
            }
            JobResult::Wrote(path) => self.done(format!("wrote {}", path.display())),
            JobResult::Signing(done) => self.on_signing_job(done),
            JobResult::Git(done) => self.on_git_job(done),
            JobResult::Share(done) => self.on_share_job(done),
            JobResult::Mail(done) => self.on_mail_job(done),
            JobResult::Failed { what, error } => {
                self.quit_after_save = false;
                self.autosaving = false;
                self.fail(format!("{what} failed.\n\n{error}"));
            }
        }
    }

    fn set_document(&mut self, doc: Document) {
        self.view = ViewState {
            issue_filter: std::mem::take(&mut self.view.issue_filter),
            ..ViewState::default()
        };
        // Start on the first issue with work left, else the first one.
        let now = self.clock.now();
        let first = doc
            .project
            .issues
            .iter()
            .find(|i| {
                playbook::step_states(&doc.project, i, &doc.playbook, now)
                    .iter()
                    .any(|s| !s.status.is_settled())
            })
            .or(doc.project.issues.first())
            .map(|i| i.id.clone());
        self.doc = Some(doc);
        if let Some(id) = first {
            self.select_issue(&id);
        }
        if let Some((issue, step)) = self.landing.take() {
            self.land(&issue, step.as_deref());
        }
    }

    /// Show `issue` (and its step `step`) once the project being opened is
    /// open, or now if one is (`embargo open FILE --issue ID --step KEY`).
    pub fn land_on(&mut self, issue: String, step: Option<String>) {
        if self.doc.is_some() && !self.jobs.is_running("open") {
            self.land(&issue, step.as_deref());
        } else {
            self.landing = Some((issue, step));
        }
    }

    fn land(&mut self, issue: &str, step: Option<&str>) {
        let Some(doc) = &self.doc else { return };
        if doc.project.issue(issue).is_none() {
            self.notice(format!("there is no issue {issue} in this project"));
            return;
        }
        self.select_issue(issue);
        let Some(key) = step else { return };
        let index = self
            .doc
            .as_ref()
            .and_then(|d| d.playbook.steps.iter().position(|s| s.key() == key));
        match index {
            Some(i) => self.select_step(i),
            None => self.notice(format!("the playbook has no step {key}")),
        }
    }

    fn select_issue(&mut self, id: &str) {
        self.commit_draft();
        let Some(doc) = &self.doc else { return };
        let Some(issue) = doc.project.issue(id) else {
            return;
        };
        let states = playbook::step_states(&doc.project, issue, &doc.playbook, self.clock.now());
        // Land on the first step that can be worked on.
        let step = states
            .iter()
            .position(|s| {
                !s.status.is_settled() && !matches!(s.status, playbook::Status::Blocked(_))
            })
            .unwrap_or(0);
        self.view.selected_issue = Some(id.to_owned());
        self.view.draft = Some(issue.clone());
        self.view.release_form = None;
        self.select_step(step);
    }

    fn select_step(&mut self, index: usize) {
        self.commit_draft();
        self.view.selected_step = index;
        self.view.draft_step = self.selected_step_key();
        self.view.step_line.clear();
    }

    /// Commit the draft when it differs and no text field is being typed in.
    fn maybe_commit_draft(&mut self, ctx: &egui::Context) {
        if !ctx.egui_wants_keyboard_input() {
            self.commit_draft();
        }
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

    /// Undo the last field edit (committing one still being typed first).
    fn undo(&mut self) {
        self.commit_draft();
        let Some(doc) = &mut self.doc else { return };
        match doc.undo.take() {
            Some((before, what)) => {
                doc.project = before;
                doc.touch();
                self.refresh_draft();
                self.notice(format!("undid {what}"));
            }
            None => self.notice(
                "nothing to undo: only the last field edit can be undone (steps and journal entries stay)",
            ),
        }
    }

    /// Reload the draft from the project (after a change made elsewhere).
    fn refresh_draft(&mut self) {
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

    /// Before replacing the open document: save its pending changes if it has
    /// a file, or ask before discarding them if it never had one. Returns
    /// whether to go on now.
    fn guard_unsaved(&mut self, next: &Command) -> bool {
        let Some(doc) = &self.doc else { return true };
        if !doc.is_dirty() {
            return true;
        }
        if doc.path.is_some() {
            self.apply(Command::Save);
            return true;
        }
        self.view.confirm = Some(Confirm {
            message: "The current project has never been saved. Discard its changes?".into(),
            yes: "Discard changes".into(),
            command: next.clone(),
            discard_first: true,
        });
        false
    }

    /// Apply one command now.
    pub fn apply(&mut self, command: Command) {
        if matches!(
            command,
            Command::NewProject { .. } | Command::OpenExample | Command::Open(_)
        ) && !self.guard_unsaved(&command)
        {
            return;
        }
        match command {
            Command::NewProject { name, playbook } => match playbook::builtin(&playbook) {
                Ok(book) => {
                    let project = Project::new(name.trim(), PlaybookRef::Builtin(playbook));
                    self.set_document(Document::new(None, project, book, None));
                    self.notice("new project: add its first issue on the left, then save it");
                }
                Err(e) => self.fail(e.to_string()),
            },
            Command::OpenExample => {
                let opened = store::example().map_err(|e| e.to_string()).and_then(|p| {
                    playbooks::load(&p.playbook, None)
                        .map(|b| (p, b))
                        .map_err(|e| e.to_string())
                });
                match opened {
                    Ok((project, book)) => {
                        self.set_document(Document::new(None, project, book, None));
                        self.notice("this is the example project; File › Save As keeps a copy");
                    }
                    Err(e) => self.fail(format!("The example project cannot be opened: {e}")),
                }
            }
            Command::Open(path) => {
                if self.doc.as_ref().and_then(|d| d.path.as_ref()) == Some(&path) {
                    self.notice(format!("{} is already open", path.display()));
                    return;
                }
                if store::is_sealed(&path) {
                    self.view.unlock = Some(UnlockDialog::new(path));
                    return;
                }
                self.start_open(path, None);
            }
            Command::Undo => self.undo(),
            Command::SetUnlockKey(key) => {
                if let Some(u) = &mut self.view.unlock {
                    u.key_file = Some(key);
                    u.use_key_file = true;
                }
            }
            Command::OpenEncrypted(path) => {
                let Some(mut dialog) = self.view.unlock.take() else {
                    return;
                };
                if dialog.path != path {
                    self.view.unlock = Some(dialog);
                    return;
                }
                let opener = dialog.opener();
                self.start_open(path, Some(opener));
            }
            Command::Save => {
                self.commit_draft();
                let Some(doc) = &self.doc else { return };
                match doc.path.clone() {
                    None => self.apply(Command::AskPath(PathPurpose::SaveAs)),
                    Some(path) => self.start_save(path, false),
                }
            }
            Command::SaveAs(path) => {
                self.commit_draft();
                // An encrypted project stays encrypted, under a name that says so.
                let sealed = self
                    .doc
                    .as_ref()
                    .is_some_and(|d| matches!(d.keeping, Keeping::Sealed(_)));
                let path = if sealed && !store::is_sealed(&path) {
                    store::sealed_path(&path)
                } else {
                    path
                };
                let same = self.doc.as_ref().and_then(|d| d.path.as_ref()) == Some(&path);
                self.start_save(path, !same);
            }
            Command::AskPath(purpose) => {
                let suggestion = match purpose {
                    PathPurpose::SaveAs => self
                        .doc
                        .as_ref()
                        .map(|d| {
                            format!(
                                "{}{}",
                                crate::core::model::slug(&d.project.name),
                                store::EXTENSION
                            )
                        })
                        .unwrap_or_default(),
                    PathPurpose::WriteUp => self
                        .view
                        .selected_issue
                        .as_ref()
                        .map(|id| format!("{id}-writeup.md"))
                        .unwrap_or_default(),
                    PathPurpose::Calendar => self
                        .view
                        .selected_issue
                        .as_ref()
                        .map(|id| format!("{id}-timeline.ics"))
                        .unwrap_or_default(),
                    PathPurpose::CveRecord => self
                        .view
                        .draft
                        .as_ref()
                        .map(render::cve::file_name)
                        .unwrap_or_default(),
                    PathPurpose::Open | PathPurpose::ProjectKey => String::new(),
                };
                // A name made from data is offered only if it stays where it is saved.
                let suggestion = crate::core::model::safe_file_name(&suggestion)
                    .map(str::to_owned)
                    .unwrap_or_default();
                self.view.path_dialog = Some((purpose, suggestion));
            }
            Command::Browse(purpose) => self.spawn("file dialog", move |_| {
                let dialog = rfd::FileDialog::new();
                let path = match purpose {
                    PathPurpose::Open => dialog
                        .add_filter("Embargo project", &["ron", "pgp"])
                        .pick_file(),
                    PathPurpose::ProjectKey => dialog
                        .add_filter("OpenPGP secret key", &["asc", "gpg", "key", "pgp"])
                        .add_filter("All files", &["*"])
                        .pick_file(),
                    PathPurpose::SaveAs => {
                        dialog.add_filter("Embargo project", &["ron"]).save_file()
                    }
                    PathPurpose::WriteUp => dialog.add_filter("Markdown", &["md"]).save_file(),
                    PathPurpose::Calendar => dialog.add_filter("iCalendar", &["ics"]).save_file(),
                    PathPurpose::CveRecord => {
                        dialog.add_filter("CVE JSON 5", &["json"]).save_file()
                    }
                };
                JobResult::Picked { purpose, path }
            }),
            Command::SelectIssue(id) => self.select_issue(&id),
            Command::AddIssue(title) => {
                if let Some(id) =
                    self.open_doc_with(|d, now| ops::add_issue(&mut d.project, &title, now))
                {
                    self.view.new_issue_title.clear();
                    self.select_issue(&id);
                }
            }
            Command::RenameIssue { id, title } => {
                if self
                    .open_doc_with(|d, now| ops::rename_issue(&mut d.project, &id, &title, now))
                    .is_some()
                {
                    self.view.renaming = None;
                }
            }
            Command::DeleteIssue(id) => {
                if self.view.selected_issue.as_deref() == Some(id.as_str()) {
                    self.commit_draft();
                    self.view.draft = None;
                    self.view.selected_issue = None;
                }
                if self
                    .open_doc_with(|d, now| ops::delete_issue(&mut d.project, &id, now))
                    .is_some()
                {
                    self.notice(format!("deleted {id}"));
                }
            }
            Command::SelectStep(i) => self.select_step(i),
            Command::MarkStep { key, action, note } => {
                let Some(issue) = self.view.selected_issue.clone() else {
                    return;
                };
                let done = self.open_doc_with(|d, now| {
                    ops::mark_step(
                        &mut d.project,
                        &d.playbook,
                        &issue,
                        &key,
                        action,
                        &note,
                        now,
                    )
                });
                if done.is_some() {
                    self.view.step_line.clear();
                }
            }
            Command::Acknowledge { key, check } => {
                let Some(issue) = self.view.selected_issue.clone() else {
                    return;
                };
                let note = std::mem::take(&mut self.view.step_line);
                self.open_doc_with(|d, now| {
                    ops::acknowledge_check(&mut d.project, &issue, &key, &check, &note, now)
                });
            }
            Command::PlanRelease { version, planned } => {
                let Some(issue) = self.view.selected_issue.clone() else {
                    return;
                };
                if version.trim().is_empty() {
                    self.fail("Give the release a version, e.g. 4.12.3.");
                    return;
                }
                self.open_doc_with(|d, now| {
                    ops::plan_release(&mut d.project, &issue, &version, Some(planned), now)
                });
            }
            Command::PublishNow => {
                let Some(issue) = self.view.selected_issue.clone() else {
                    return;
                };
                self.open_doc_with(|d, now| ops::publish_release(&mut d.project, &issue, now));
            }
            Command::MoveMilestone { milestone, at } => {
                let Some(issue) = self.view.selected_issue.clone() else {
                    return;
                };
                self.open_doc_with(|d, now| {
                    ops::move_milestone(&mut d.project, &issue, milestone, at, now)
                });
            }
            Command::WriteCalendar(path) => {
                self.view.path_dialog = None;
                let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
                    return;
                };
                let plan = playbook::issue_plan(&doc.project, &doc.playbook, issue);
                let (Some(planned), Some(release)) =
                    (plan.release, doc.project.release_of(&issue.id))
                else {
                    self.fail("Plan the release first: the calendar holds its milestones.");
                    return;
                };
                let list = plan.milestones.resolve(planned, plan.rules.process);
                let text = render::ics::calendar(
                    &doc.project.name,
                    &issue.id,
                    &release.version,
                    &list,
                    self.clock.now(),
                );
                self.spawn_write("calendar", path, text);
            }
            Command::Notice(text) => self.notice(text),
            Command::SetTime(time) => {
                self.open_doc_with(|d, now| {
                    ops::set_time(&mut d.project, time, now);
                    Ok(())
                });
                self.view.release_form = None; // shown in the new home zone
            }
            Command::ShowWriteUp => {
                self.commit_draft();
                let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
                    return;
                };
                match render::writeup(&doc.project, issue, &doc.playbook, ReportFormat::Markdown) {
                    Ok(text) => {
                        self.view.text_window = Some((format!("Write-up of {}", issue.id), text))
                    }
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Command::DraftReply(reason) => {
                let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
                    return;
                };
                match render::not_security_reply(&doc.project, issue, &reason) {
                    Ok(text) => {
                        self.view.text_window = Some(("Reply: not a security issue".into(), text))
                    }
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Command::WriteWriteUp(path) => {
                let Some((_, text)) = self.view.text_window.clone() else {
                    return;
                };
                self.view.path_dialog = None;
                self.spawn_write("write-up", path, text);
            }
            Command::WriteCveRecord(path) => {
                self.view.path_dialog = None;
                self.commit_draft();
                let (Some(doc), Some(issue)) = (&self.doc, &self.view.draft) else {
                    return;
                };
                match render::cve::record(&doc.project, issue) {
                    Ok(record) => {
                        let text = render::cve::to_json(&record);
                        self.spawn_write("CVE record", path, text);
                    }
                    Err(e) => self.fail(e.to_string()),
                }
            }
            Command::Signing(c) => self.apply_signing(c),
            Command::Git(c) => self.apply_git(c),
            Command::Share(c) => self.apply_share(c),
            Command::Ask(confirm) => self.view.confirm = Some(*confirm),
            Command::SetPrefs(prefs) => {
                self.prefs = prefs.clamped();
                if let Some(dir) = self.config_dir.clone() {
                    let prefs = self.prefs;
                    self.spawn("preferences", move |_| {
                        match crate::adapters::prefs::save(&dir, &prefs) {
                            Ok(()) => JobResult::Prefs(prefs),
                            Err(e) => JobResult::Failed {
                                what: "saving the display preferences".into(),
                                error: e.to_string(),
                            },
                        }
                    });
                }
            }
            Command::Mail(c) => self.apply_mail(c),
            Command::Quit => {
                self.close_confirmed = true;
                self.view.close_prompt = false;
                self.quit_requested = true;
            }
        }
    }

    /// Open `path` in a job; `opener` is the key of an encrypted project.
    fn start_open(&mut self, path: PathBuf, opener: Option<Opener>) {
        let config_dir = self.config_dir.clone();
        self.spawn("open", move |p| {
            p.say(format!("opening {}", path.display()));
            match open_job(&path, config_dir.as_deref(), opener) {
                Ok((project, playbook, lock, keeping)) => JobResult::Opened {
                    path,
                    project,
                    playbook,
                    lock,
                    keeping,
                },
                Err(error) => JobResult::Failed {
                    what: format!("Opening {}", path.display()),
                    error,
                },
            }
        });
    }

    fn start_save(&mut self, path: PathBuf, new_location: bool) {
        let Some(doc) = &self.doc else { return };
        let project = doc.project.clone();
        let keeping = doc.keeping.clone();
        let generation = doc.generation;
        let config_dir = self.config_dir.clone();
        self.view.path_dialog = None;
        self.spawn("save", move |p| {
            p.say(format!("saving {}", path.display()));
            let lock = if new_location {
                match store::ProjectLock::acquire(&path, "embargo (desktop app)") {
                    Ok(l) => Some(l),
                    Err(e) => {
                        return JobResult::Failed {
                            what: format!("Saving {}", path.display()),
                            error: e.to_string(),
                        };
                    }
                }
            } else {
                None
            };
            match vault::save(&path, &project, &keeping) {
                Ok(()) => {
                    if new_location && let Some(dir) = &config_dir {
                        let _ = recent::remember(dir, &path);
                    }
                    JobResult::Saved {
                        path,
                        generation,
                        lock,
                    }
                }
                Err(e) => JobResult::Failed {
                    what: format!("Saving {}", path.display()),
                    error: e.to_string(),
                },
            }
        });
    }

    fn autosave(&mut self, ctx: &egui::Context) {
        let Some(doc) = &self.doc else { return };
        if doc.path.is_none()
            || !doc.is_dirty()
            || self.jobs.is_running("save")
            || self.error.is_some()
        {
            return;
        }
        let waited = doc.last_change.elapsed();
        if waited >= AUTOSAVE_AFTER {
            self.autosaving = true;
            self.apply(Command::Save);
        } else {
            ctx.request_repaint_after(AUTOSAVE_AFTER - waited);
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.doc {
            Some(d) => format!(
                "{}{} ({}) — Embargo",
                if d.is_dirty() { "● " } else { "" },
                d.project.name,
                d.display_name()
            ),
            None => "Embargo".to_owned(),
        };
        if title != self.last_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.last_title = title;
        }
        if self.quit_requested {
            self.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The window title as last set.
    pub fn title(&self) -> &str {
        &self.last_title
    }

    /// Discard unsaved changes of a never-saved document (after the user confirmed).
    pub(super) fn discard_changes(&mut self) {
        if let Some(doc) = &mut self.doc {
            doc.saved_generation = doc.generation;
        }
    }

    /// Ask to save and quit once saved.
    pub(super) fn save_and_quit(&mut self) {
        self.quit_after_save = true;
        self.view.close_prompt = false;
        self.apply(Command::Save);
    }
}

fn open_job(
    path: &Path,
    config_dir: Option<&Path>,
    opener: Option<Opener>,
) -> Result<(Project, Playbook, store::ProjectLock, Keeping), String> {
    let lock =
        store::ProjectLock::acquire(path, "embargo (desktop app)").map_err(|e| e.to_string())?;
    let (project, keeping) = vault::open(path, || {
        opener.unwrap_or(Opener::Agent {
            homedir: None,
            passphrase: None,
        })
    })
    .map_err(|e| e.to_string())?;
    let playbook = playbooks::load(&project.playbook, Some(path)).map_err(|e| e.to_string())?;
    if let Some(dir) = config_dir {
        let _ = recent::remember(dir, path);
    }
    Ok((project, playbook, lock, keeping))
}
