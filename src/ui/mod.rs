//! The desktop app (egui/eframe). The UI reads the open document and pushes
//! [`app::Command`]s; the app applies them once per frame. Disk, dialogs and
//! everything else that may block run as background jobs.
//!
//! Layout: menu bar on top, the project's issues on the left, the selected
//! issue's wizard in the middle (step list and step view), a status bar at the
//! bottom with the running job.

pub mod app;
mod fields;
mod gitpanel;
mod issues;
mod mail;
mod menu;
mod notify;
mod picker;
mod settings;
mod share;
mod signing;
mod wizard;

use std::sync::Arc;

pub use app::{Command, Document, EmbargoApp, Startup};

use crate::cli::Gui;

/// Start the desktop app on what the command line asked for.
pub fn run(gui: Gui) -> eframe::Result<()> {
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
                Arc::new(crate::core::ports::SystemClock),
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
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
        if self.exit_after_first_frame {
            // The start-up benchmark (benches/startup.rs) times launch to here.
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}

/// A small button showing only `icon`, whose accessible name (what a screen
/// reader says and kittest finds) and tooltip are `name`.
pub(crate) fn icon_button(ui: &mut egui::Ui, icon: &str, name: &str) -> egui::Response {
    let response = ui.small_button(icon);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    response.on_hover_text(name)
}
