//! The desktop app (egui/eframe). Views read the state and push
//! [`Command`]s; the frame loop handles them once per frame, after drawing.
//! Disk, dialogs and everything else that may block run as background jobs.
//!
//! Layout: menu bar on top, the project's issues on the left, the selected
//! issue's wizard in the middle (step list and step view), a status bar at the
//! bottom with the running job.
//!
//! Layers, each importing only from those before it (tests/architecture.rs
//! fails on an import cycle between these files):
//! 1. `command` — every message: the commands, each panel's commands, the
//!    jobs' results and the queue. Imports nothing from `ui`.
//! 2. `state` — the app's state ([`EmbargoApp`], the document, the view
//!    state and each panel's working copy) and the primitives every handler
//!    uses (notices, starting a job, changing the document).
//! 3. `actions` — the table of actions with a shortcut (label, shortcut,
//!    command), read by the menu and by the frame loop.
//! 4. Views: `widgets`, `fields`, `picker`, `settings` (and
//!    `project_settings`, the Project › Settings window), `issues`, `notify`,
//!    `menu`, and the panels `signing`, `gitpanel`, `share`, `mail` (each also
//!    holds its panel's handlers, `impl EmbargoApp`, beside its view);
//!    `wizard` composes the step views. A view takes what it reads, the view
//!    state it edits and a command sink; it starts no job and changes no
//!    document while drawing.
//! 5. `handlers` — one arm per command, by topic (`file`, `issue`, `export`,
//!    `jobs`), and the queue's run: a command raised while one is handled
//!    waits behind the others, never recursed.
//! 6. `app` — the frame loop; this module starts it.

pub mod actions;
pub mod app;
pub mod command;
mod cvss;
mod due;
mod fields;
mod gitpanel;
mod handlers;
mod intake;
mod issues;
mod mail;
mod menu;
mod notify;
mod picker;
mod project_settings;
mod settings;
mod share;
mod signing;
pub mod state;
pub mod team;
mod widgets;
mod wizard;

use std::sync::Arc;

pub use command::Command;
pub use state::{Document, EmbargoApp, Startup};
pub use widgets::window_background;

use crate::cli::Gui;

/// The app's clock for the value of `EMBARGO_NOW` (`None`: unset): the
/// system clock, or one set to that instant at start and running on from
/// there, as [`crate::core::ports::set_now`] reads it for the CLI too.
pub fn clock_from(
    value: Option<&str>,
) -> Result<Arc<dyn crate::core::ports::Clock>, crate::core::ports::BadNow> {
    Ok(match crate::core::ports::set_now(value)? {
        Some(at) => Arc::new(crate::core::ports::SetClock::starting_at(at)),
        None => Arc::new(crate::core::ports::SystemClock),
    })
}

/// Start the desktop app on what the command line asked for, at the
/// present `EMBARGO_NOW` sets, if set (refused when it is no instant).
pub fn run(gui: Gui) -> eframe::Result<()> {
    let clock = clock_from(std::env::var(crate::core::ports::NOW_VAR).ok().as_deref())
        .map_err(|e| eframe::Error::AppCreation(Box::new(e)))?;
    let (startup, landing) = match gui {
        Gui::File(f, landing) => (Startup::File(f), landing),
        Gui::Example(landing) => (Startup::Example, landing),
        Gui::Default => (Startup::RecentOrExample, None),
    };
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Embargo")
            .with_app_id("org.embargo.Embargo")
            .with_icon(
                eframe::icon_data::from_png_bytes(include_bytes!(
                    "../../assets/icons/hicolor/256x256/apps/org.embargo.Embargo.png"
                ))
                .expect("the embedded icon is a valid PNG (tests/packaging.rs checks it)"),
            )
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Embargo",
        options,
        Box::new(move |cc| {
            let mut app = EmbargoApp::new(
                &cc.egui_ctx,
                startup,
                clock,
                crate::adapters::recent::config_dir(),
            );
            if let Some(l) = landing {
                app.land_on(l.issue, l.step);
            }
            app.exit_after_first_frame =
                std::env::var_os("EMBARGO_EXIT_AFTER_FIRST_FRAME").is_some_and(|v| v == "1");
            Ok(Box::new(app))
        }),
    )
}

impl eframe::App for EmbargoApp {
    /// The window's background is the colour eframe clears it to, the
    /// panels' own colour: the panels leave their fill out (see
    /// `widgets::background`), since painting it is a full layer of overdraw on
    /// every frame for a software rasteriser, and a clear costs next to
    /// nothing.
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        window_background(visuals).to_normalized_gamma_f32()
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
        if self.exit_after_first_frame {
            // The start-up benchmark (benches/startup.rs) times launch to here.
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
