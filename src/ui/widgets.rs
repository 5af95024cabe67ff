//! Small widgets the views share.

/// A small button showing only `icon`, whose accessible name (what a screen
/// reader says and kittest finds) and tooltip are `name`.
pub(crate) fn icon_button(ui: &mut egui::Ui, icon: &str, name: &str) -> egui::Response {
    let response = ui.small_button(icon);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    response.on_hover_text(name)
}
