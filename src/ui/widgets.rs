//! Small widgets the views share.

/// A small button showing only `icon`, whose accessible name (what a screen
/// reader says and kittest finds) and tooltip are `name`.
pub(crate) fn icon_button(ui: &mut egui::Ui, icon: &str, name: &str) -> egui::Response {
    let response = ui.small_button(icon);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
    response.on_hover_text(name)
}

/// Draw `add_contents` in a child `Ui` whose id comes from `salt` (data:
/// a field's key, an issue's id, a row's key) and the parent's stable
/// scope id, never from how many widgets came before it. Every widget
/// inside without an explicit id then keeps its id — and with it the
/// keyboard focus, a text cursor, an open combo box — when lines above it
/// appear or disappear (a "Still to do" line settled by the letter just
/// typed). The pattern for every form: `keyed(ui, key, |ui| …)` around
/// each field, row or group of widgets whose neighbours may change.
pub(crate) fn keyed<R>(
    ui: &mut egui::Ui,
    salt: impl egui::AsIdSalt,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let id = ui.make_persistent_id(salt);
    ui.scope_builder(egui::UiBuilder::new().scope_id(id), add_contents)
        .inner
}

/// Draw `add_contents` and return, with its result, the id of the first
/// enabled widget it drew that takes the keyboard focus (in Tab order).
pub(crate) fn first_focusable<R>(
    ui: &mut egui::Ui,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> (R, Option<egui::Id>) {
    let layer = ui.layer_id();
    let count = |ui: &egui::Ui| {
        ui.ctx()
            .viewport(|v| v.this_pass.widgets.get_layer(layer).count())
    };
    let before = count(ui);
    let inner = add_contents(ui);
    let first = ui.ctx().viewport(|v| {
        v.this_pass
            .widgets
            .get_layer(layer)
            .skip(before)
            .find(|w| w.enabled && w.sense.is_focusable() && w.sense.interactive())
            .map(|w| w.id)
    });
    (inner, first)
}

/// Give the keyboard focus to `id` and scroll the enclosing scroll area so
/// that it is in view.
pub(crate) fn focus_and_show(ui: &egui::Ui, id: egui::Id) {
    ui.memory_mut(|m| m.request_focus(id));
    if let Some(rect) = ui
        .ctx()
        .viewport(|v| v.this_pass.widgets.get(id).map(|w| w.rect))
    {
        ui.scroll_to_rect(rect, None);
    }
}

/// Draw a scroll area's contents with `add_contents`; when a widget drawn
/// in them got the keyboard focus since the last frame (Tab, a shortcut),
/// scroll so that it is in view — a control below the fold is never
/// focused unseen.
pub(crate) fn show_focused<R>(
    ui: &mut egui::Ui,
    add_contents: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let layer = ui.layer_id();
    let before = ui
        .ctx()
        .viewport(|v| v.this_pass.widgets.get_layer(layer).count());
    let inner = add_contents(ui);
    let Some(focused) = ui.memory(|m| m.focused()) else {
        return inner;
    };
    let seen = ui.make_persistent_id("focus seen by this scroll area");
    if ui.data(|d| d.get_temp::<egui::Id>(seen)) == Some(focused) {
        return inner;
    }
    let rect = ui.ctx().viewport(|v| {
        v.this_pass
            .widgets
            .get_layer(layer)
            .skip(before)
            .find(|w| w.id == focused)
            .map(|w| w.rect)
    });
    if let Some(rect) = rect {
        ui.data_mut(|d| d.insert_temp(seen, focused));
        if !ui.clip_rect().contains_rect(rect) {
            ui.scroll_to_rect(rect, None);
        }
    }
    inner
}

/// The colour of the window's background: the panels' colour in `visuals`.
/// eframe clears the window to it before each frame (the app's
/// `clear_color`), and the top-level panels leave it out of their frames:
/// painted, it is a full layer of overdraw on every frame for a software
/// rasteriser (Mesa's llvmpipe), where the clear costs next to nothing.
pub fn window_background(visuals: &egui::Visuals) -> egui::Color32 {
    visuals.panel_fill
}

/// The app's window-wide background: the panels' colour, which eframe clears
/// the window to ([`window_background`]), so that the top-level
/// panels need not paint it (their frames are [`panel_frame`]). `draw` is
/// run in a `Ui` that declares that colour as its background, so that
/// what blends into the background (the scroll areas' fades) still finds it
/// up the `Ui` stack.
pub(super) fn background<R>(ui: &mut egui::Ui, draw: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let fill = egui::Frame::NONE.fill(window_background(ui.visuals()));
    ui.scope_builder(
        egui::UiBuilder::new().ui_stack_info(egui::UiStackInfo::default().with_frame(fill)),
        draw,
    )
    .inner
}

/// The frame of a panel: `frame` (the panel's default) without its fill,
/// which is the window's background already (see [`background`]).
pub(super) fn panel_frame(frame: egui::Frame) -> egui::Frame {
    frame.fill(egui::Color32::TRANSPARENT)
}
