//! The reference for the start-up benchmark: the smallest eframe app (one
//! window, one label) with the same native options as Embargo, closing
//! itself after its first frame. `benches/startup.rs` times it beside
//! `embargo example` so the ratio shows what Embargo adds to eframe's own
//! start-up (window, GL context, fonts).

fn main() -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("bare")
            .with_inner_size([1280.0, 800.0]),
        ..Default::default()
    };
    eframe::run_ui_native("bare", options, |ui, _frame| {
        ui.label("first frame");
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    })
}
