//! The assessment's CVSS field: the vector is checked as it is typed
//! ([`crate::core::ops::check_cvss`], the same check `embargo issue set
//! cvss` makes) and its base score shown; a vector that cannot be scored
//! is refused — the issue keeps the last good one (or none) and the reason
//! is shown under the field. What is typed lives in egui's memory, keyed by
//! the issue, so a half-typed vector survives the frames it is refused in.

use crate::core::model::{CvssVersion, Issue};
use crate::core::ops;

/// Draw the CVSS row of the step form's grid for `issue`.
pub(super) fn field(ui: &mut egui::Ui, issue: &mut Issue) {
    let stored = issue
        .cvss
        .as_ref()
        .map(|c| c.vector.clone())
        .unwrap_or_default();
    let memory = egui::Id::unique(("cvss typed", issue.id.as_str()));
    // What is typed, and the stored vector it was typed against: a change
    // made elsewhere (undo, another issue) starts the field afresh.
    let mut typed: (String, String) = ui
        .data_mut(|d| d.get_temp(memory))
        .filter(|(_, against): &(String, String)| *against == stored)
        .unwrap_or_else(|| (stored.clone(), stored.clone()));
    let label = ui.label("CVSS vector");
    ui.vertical(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut typed.0)
                .id_salt(("cvss vector", issue.id.as_str()))
                .hint_text("CVSS:3.1/AV:N/AC:L/… or CVSS:4.0/AV:N/…")
                .desired_width(360.0),
        )
        .labelled_by(label.id);
        match ops::check_cvss(&typed.0) {
            Ok(None) => {
                issue.cvss = None;
                ui.label(egui::RichText::new("No vector: the severity stands alone.").weak());
            }
            Ok(Some(checked)) => {
                let version = match checked.cvss.version {
                    CvssVersion::V3_1 => "3.1",
                    CvssVersion::V4_0 => "4.0",
                };
                issue.cvss = Some(checked.cvss);
                ui.label(format!(
                    "✔ CVSS {version} base score {:.1} ({})",
                    checked.score, checked.rating
                ));
            }
            Err(e) => {
                ui.colored_label(ui.visuals().error_fg_color, format!("✖ Not kept: {e}"));
            }
        }
    });
    ui.end_row();
    typed.1 = issue
        .cvss
        .as_ref()
        .map(|c| c.vector.clone())
        .unwrap_or_default();
    ui.data_mut(|d| d.insert_temp(memory, typed));
}
