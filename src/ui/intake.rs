//! The intake from a raw report mail, below the intake step's form: paste
//! the mail's source (or drop or open a `.eml`) and the From, Subject,
//! Date and Message-ID fields and "Received" are filled from its headers
//! ([`crate::core::import::parse_report_mail`]); for an OpenSSL project,
//! "Copy for the private tracker" puts the headers, a separator and the
//! mail's text on the clipboard, as its process asks.

use super::command::{Command, RepoCommand};
use super::state::{Document, RepoPanel};

/// Draw the raw-mail intake for the issue `issue`.
pub(super) fn panel(
    ui: &mut egui::Ui,
    doc: &Document,
    panel: &mut RepoPanel,
    issue: &str,
    commands: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        let label = ui.label("Raw report mail");
        ui.add(
            egui::TextEdit::multiline(&mut panel.pasted_mail)
                .id_salt(("raw report mail", issue))
                .hint_text(
                    "Paste the report's full source (headers and text), drop its .eml onto the \
                     window, or open the .eml",
                )
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_enabled(
                    !panel.pasted_mail.trim().is_empty(),
                    egui::Button::new("Fill from mail"),
                )
                .on_hover_text("Fill From, Subject, Date, Message-ID and Received from its headers")
                .on_disabled_hover_text("Paste the mail's source above first")
                .clicked()
            {
                commands.push(Command::Repo(RepoCommand::IntakeFromMail(
                    panel.pasted_mail.as_bytes().to_vec(),
                )));
            }
            if ui.button("Open .eml…").clicked() {
                commands.push(Command::Repo(RepoCommand::OpenEml));
            }
            if doc.playbook.name.to_ascii_lowercase().contains("openssl") {
                let read = panel.mail.as_ref().is_some_and(|(i, _)| i == issue);
                if ui
                    .add_enabled(read, egui::Button::new("Copy for the private tracker"))
                    .on_hover_text("The headers, a separator line and the mail's text")
                    .on_disabled_hover_text("Paste or open the report mail first")
                    .clicked()
                {
                    commands.push(Command::Repo(RepoCommand::CopyForTracker));
                }
            }
        });
        if let Some(e) = &panel.mail_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
    });
}
