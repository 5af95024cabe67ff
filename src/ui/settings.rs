//! The project's time settings window: home zone, key zones, working hours,
//! the preferred release time and blackout days. Edits a copy; "Apply" sends
//! it as one command, journaled in the project.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::command::Command;
use super::state::TimeForm;
use crate::core::model::{Blackout, TimeSettings};

fn zone_field(ui: &mut egui::Ui, label: &str, zone: &mut Tz, id: &str) {
    egui::ComboBox::new(id, label)
        .selected_text(zone.name())
        .height(300.0)
        .show_ui(ui, |ui| {
            for z in chrono_tz::TZ_VARIANTS {
                ui.selectable_value(zone, z, z.name());
            }
        });
}

fn date_field(ui: &mut egui::Ui, date: &mut NaiveDate, id: &str) {
    let mut d = jiff::civil::Date::new(date.year() as i16, date.month() as i8, date.day() as i8)
        .unwrap_or_default();
    ui.add(
        egui_extras::DatePickerButton::new(&mut d)
            .id_salt(id)
            .show_icon(false),
    );
    if let Some(n) = NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
    {
        *date = n;
    }
}

/// The time settings' fields, editing `form` (the time window's, or the
/// Time tab of the Project › Settings window).
pub(super) fn time_fields(ui: &mut egui::Ui, form: &mut TimeForm, today: NaiveDate) {
    let t = &mut form.time;
    zone_field(
        ui,
        "Home zone (the journal is shown in it)",
        &mut t.home_zone,
        "home zone",
    );
    ui.separator();
    ui.label(egui::RichText::new("Key zones").strong())
            .on_hover_text("Shown on the world clock and checked by the rules: no Friday or weekend in any of them.");
    if t.zones.is_empty() {
        ui.label("No key zones: add the zones of your users and packagers below, or reset to the defaults.");
    }
    let mut remove = None;
    let mut up = None;
    for (n, z) in t.zones.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(z.name());
            if n > 0
                && ui
                    .small_button("Up")
                    .on_hover_text(format!("Move {} up", z.name()))
                    .clicked()
            {
                up = Some(n);
            }
            if ui
                .small_button("Remove")
                .on_hover_text(format!("Remove {}", z.name()))
                .clicked()
            {
                remove = Some(n);
            }
        });
    }
    if let Some(n) = remove {
        t.zones.remove(n);
    }
    if let Some(n) = up {
        t.zones.swap(n, n - 1);
    }
    ui.horizontal(|ui| {
        let l = ui.label("Add zone");
        ui.add(
            egui::TextEdit::singleline(&mut form.new_zone)
                .hint_text("e.g. Australia/Sydney")
                .desired_width(180.0),
        )
        .labelled_by(l.id);
        let parsed = form.new_zone.trim().parse::<Tz>();
        let valid = parsed.as_ref().is_ok_and(|z| !t.zones.contains(z));
        if ui.add_enabled(valid, egui::Button::new("Add")).clicked()
            && let Ok(z) = parsed
        {
            t.zones.push(z);
            form.new_zone.clear();
        }
        if !form.new_zone.trim().is_empty() && form.new_zone.trim().parse::<Tz>().is_err() {
            ui.label(
                egui::RichText::new("not an IANA zone name").color(ui.visuals().warn_fg_color),
            );
        }
    });
    if ui.small_button("Reset to the default zones").clicked() {
        t.zones = TimeSettings::default_zones();
    }
    ui.separator();
    ui.horizontal(|ui| {
        ui.label("Working hours");
        ui.add(
            egui::DragValue::new(&mut t.working_hours.0)
                .range(0..=23)
                .suffix(":00"),
        )
        .on_hover_text("start of the working day");
        ui.label("to");
        ui.add(
            egui::DragValue::new(&mut t.working_hours.1)
                .range(1..=24)
                .suffix(":00"),
        )
        .on_hover_text("end of the working day");
    });
    ui.horizontal(|ui| {
        ui.label("Preferred release time");
        ui.add(
            egui::DragValue::new(&mut t.anchor.hour)
                .range(0..=23)
                .prefix("hh "),
        )
        .on_hover_text("hour of the preferred release time");
        ui.add(
            egui::DragValue::new(&mut t.anchor.minute)
                .range(0..=59)
                .prefix("mm "),
        )
        .on_hover_text("minute of the preferred release time");
    });
    zone_field(ui, "in zone", &mut t.anchor.zone, "anchor zone");
    ui.separator();
    ui.label(egui::RichText::new("Blackout days").strong())
        .on_hover_text("Holidays and conferences: no release on these days in any key zone.");
    if t.blackouts.is_empty() {
        ui.label("None: add the holidays and conferences of your team and your packagers.");
    }
    let mut remove = None;
    for (n, b) in t.blackouts.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            let l = ui.label("name");
            ui.add(egui::TextEdit::singleline(&mut b.name).desired_width(140.0))
                .labelled_by(l.id);
            date_field(ui, &mut b.from, &format!("blackout from {n}"));
            ui.label("to");
            date_field(ui, &mut b.to, &format!("blackout to {n}"));
            if b.to < b.from {
                b.to = b.from;
            }
            if ui.small_button("Remove").clicked() {
                remove = Some(n);
            }
        });
    }
    if let Some(n) = remove {
        t.blackouts.remove(n);
    }
    if ui.small_button("Add a blackout").clicked() {
        t.blackouts.push(Blackout {
            name: "Holiday".into(),
            from: today,
            to: today,
        });
    }
}

/// Draw the window; returns `false` when it is closed.
pub(super) fn time_window(
    ctx: &egui::Context,
    form: &mut TimeForm,
    today: NaiveDate,
    commands: &mut Vec<Command>,
) -> bool {
    let mut open = true;
    let mut apply = false;
    let mut cancel = false;
    egui::Window::new("Time zones and release rules")
        .open(&mut open)
        .default_size([520.0, 560.0])
        .show(ctx, |ui| {
            time_fields(ui, form, today);
            ui.separator();
            ui.horizontal(|ui| {
                if ui.button("Apply").clicked() {
                    apply = true;
                }
                if ui
                    .button("Cancel")
                    .on_hover_text("Close without changing the project")
                    .clicked()
                {
                    cancel = true;
                }
            });
        });
    if apply {
        commands.push(Command::SetTime(form.time.clone()));
    }
    open && !apply && !cancel
}
