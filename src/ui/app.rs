//! The frame loop: each frame takes in the finished jobs' results, reads
//! the shortcuts (from the action table), draws every view — which read the
//! state and push commands, changing nothing else — and then handles the
//! queued commands, autosaves and sets the window title. Also where the app
//! is made. The types it is made of live in `state` and `command`; they are
//! re-exported here under their old paths.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

pub use super::command::{Command, Confirm, PathPurpose};
use super::command::{JobResult, Queue};
pub use super::state::{
    AUTOSAVE_AFTER, AppRef, Document, EmbargoApp, JobLine, Notice, NoticeKind, POPUP_FOR,
    ReleaseForm, Startup, UnlockDialog, ViewState,
};
use super::{actions, issues, menu, notify, project_settings, wizard};
use crate::adapters::recent;
use crate::core::ports::Clock;
use crate::jobs::Jobs;

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
            pending_errors: VecDeque::new(),
            notices: Vec::new(),
            exit_after_first_frame: false,
            prefs: crate::adapters::prefs::Prefs::default(),
            applied_prefs: None,
            commands: Queue::default(),
            handled: VecDeque::new(),
            jobs: Jobs::new(Arc::new(move || repaint.request_repaint())),
            clock,
            config_dir: config_dir.clone(),
            startup_pending: false,
            landing: None,
            quit_after_save: false,
            autosaving: false,
            close_confirmed: false,
            quit_requested: false,
            close_asked: false,
            last_title: String::new(),
            next_notice: 0,
            ctx: ctx.clone(),
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
        notify::expire_popups(&mut self.notices);
        let drawn = self.draw(ui);
        for command in drawn {
            self.send(command);
        }
        self.maybe_commit_draft(&ctx);
        self.run_commands();
        self.autosave(&ctx);
        self.run_commands();
        self.update_title(&ctx);
    }

    /// The shortcuts of the action table pressed this frame, unless a dialog
    /// is open.
    fn shortcuts(&mut self, ctx: &egui::Context) {
        let modal_open = self.view.confirm.is_some()
            || self.view.path_dialog.is_some()
            || self.view.new_project.is_some()
            || self.view.close_prompt
            || self.error.is_some();
        if modal_open {
            return;
        }
        let text_focus = ctx.egui_wants_keyboard_input();
        for command in actions::pressed(ctx, text_focus, self.view.draft.is_some()) {
            self.send(command);
        }
    }

    /// Draw every view; returns the commands they pushed.
    fn draw(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        super::widgets::background(ui, |ui| self.draw_views(ui))
    }

    /// [`Self::draw`] on the window's background.
    fn draw_views(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut out = Vec::new();
        let running = self
            .jobs
            .running()
            .iter()
            .next()
            .map(|(name, running)| JobLine {
                name: name.clone(),
                message: running.progress.message(),
                fraction: running.progress.fraction(),
            });
        let running_jobs: Vec<&str> = self.jobs.running().keys().map(String::as_str).collect();
        let app = AppRef {
            doc: self.doc.as_ref(),
            recent: &self.recent,
            error: self.error.as_deref(),
            notices: &self.notices,
            prefs: self.prefs,
            busy: self.jobs.is_busy(),
            running: running.as_ref(),
            running_jobs: &running_jobs,
            now: self.clock.now(),
            clock_set: self.clock.set_at(),
            syncing: self.jobs.is_running("sync"),
        };
        let view = &mut self.view;
        let side = super::widgets::panel_frame(egui::Frame::side_top_panel(ui.style()));
        let central = super::widgets::panel_frame(egui::Frame::central_panel(ui.style()));
        menu::menu_bar(ui, &app, view, &mut out);
        notify::status_bar(ui, &app, &view.team, &mut out);
        // The issue list: resizable, and collapsible to a strip with one
        // button, which leaves the wizard the width of a small screen.
        if view.issues_collapsed {
            egui::Panel::left("issues collapsed")
                .frame(side)
                .resizable(false)
                .exact_size(34.0)
                .show(ui, |ui| {
                    if super::widgets::icon_button(ui, "▶", "Show the issue list").clicked() {
                        view.issues_collapsed = false;
                    }
                });
        } else {
            egui::Panel::left("issues")
                .frame(side)
                .resizable(true)
                .default_size(240.0)
                .min_size(160.0)
                .show(ui, |ui| {
                    issues::issue_list(ui, app.doc, view, app.now, &mut out)
                });
        }
        egui::CentralPanel::default().frame(central).show(ui, |ui| {
            wizard::wizard(ui, app.doc, view, app.now, &mut out)
        });
        menu::dialogs(ui.ctx(), &app, view, &mut out);
        wizard::windows(ui.ctx(), app.doc, view, app.now, &mut out);
        project_settings::window(ui.ctx(), app.doc, view, app.now, &mut out);
        super::team::conflicts_window(ui.ctx(), &mut view.team, &mut out);
        super::team::members_window(
            ui.ctx(),
            app.doc.map(|d| d.project.members.as_slice()),
            &mut view.team,
            &mut out,
        );
        notify::history_window(ui.ctx(), app.notices, &mut view.show_notifications);
        notify::popups(ui.ctx(), app.notices, &mut out);
        out
    }

    /// Bring the theme and scale in line with the preferences; a zoom made
    /// with Ctrl+Plus/Minus becomes the preferred scale.
    fn apply_prefs(&mut self, ctx: &egui::Context) {
        use crate::adapters::prefs::Theme;
        if let Some(applied) = self.applied_prefs
            && applied == self.prefs
            && (ctx.zoom_factor() - applied.scale).abs() > 0.001
        {
            self.send(Command::SetPrefs(crate::adapters::prefs::Prefs {
                scale: ctx.zoom_factor(),
                ..applied
            }));
        }
        if self.applied_prefs == Some(self.prefs) {
            return;
        }
        let theme = match self.prefs.theme {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        };
        if ctx.options(|o| o.theme_preference) != theme {
            ctx.set_theme(theme);
            // This frame's window was cleared to the old theme's background
            // before it was drawn (see `widgets::background`): draw it once
            // more.
            ctx.request_repaint();
        }
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
        // A dropped report mail fills the intake (#22); the rest are signed.
        let (mails, dropped): (Vec<PathBuf>, Vec<PathBuf>) = dropped
            .into_iter()
            .partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml")));
        for mail in mails {
            self.send(Command::Repo(super::command::RepoCommand::ReadEml(mail)));
        }
        if dropped.is_empty() {
            return;
        }
        self.notice(format!(
            "{} file(s) added to the signing list (step: Tarball and standalone patch, signed)",
            dropped.len()
        ));
        self.send(Command::Signing(super::command::SignCommand::Add(dropped)));
    }

    /// Commit the draft when it differs and no text field is being typed in.
    fn maybe_commit_draft(&mut self, ctx: &egui::Context) {
        if !ctx.egui_wants_keyboard_input() {
            self.commit_draft();
        }
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
            self.send(Command::Save);
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
        // File › Quit asks, and the prompt on close answers; Quit has answered.
        if std::mem::take(&mut self.close_asked) || std::mem::take(&mut self.quit_requested) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
