//! The form of a step: one editor per [`Field`] the step's kind lists, each
//! editing the draft of the issue (committed by the app when no text field
//! has focus), except the release, which is a project-level change sent as a
//! command. Every input is tied to its visible label for screen readers and
//! tests.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};

use super::command::Command;
use super::state::{Document, ReleaseForm};
use super::widgets::keyed;
use crate::core::model::{
    AffectedRange, Credit, CveState, FixCommit, Identifier, ImpactKind, IntakeChannel, Issue,
    Project, Release, ReleaseStrategy, Severity, Verdict,
};
use crate::core::playbook::Field;
use crate::core::render::advisory;

// Every input of a form has an id from data: a text field's is its label
// (unique in its form), a group of widgets is drawn in `keyed` with the
// field's name and, in a list, the row's index. None depends on how many
// widgets came before it, so a line that appears or disappears above a
// field (a "Still to do" line the typed letter settled) never takes its
// focus away.

fn text(ui: &mut egui::Ui, label: &str, value: &mut String) -> egui::Response {
    let l = ui.label(label);
    let r = ui
        .add(
            egui::TextEdit::singleline(value)
                .id_salt(("field", label))
                .desired_width(360.0),
        )
        .labelled_by(l.id);
    ui.end_row();
    r
}

fn multiline(ui: &mut egui::Ui, label: &str, value: &mut String) {
    let l = ui.label(label);
    ui.add(
        egui::TextEdit::multiline(value)
            .id_salt(("field", label))
            .desired_rows(3)
            .desired_width(360.0),
    )
    .labelled_by(l.id);
    ui.end_row();
}

fn opt_text(ui: &mut egui::Ui, label: &str, value: &mut Option<String>) {
    let mut s = value.clone().unwrap_or_default();
    text(ui, label, &mut s);
    *value = if s.trim().is_empty() { None } else { Some(s) };
}

fn to_jiff(d: NaiveDate) -> jiff::civil::Date {
    jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8).unwrap_or_default()
}

fn from_jiff(d: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
}

/// A date picker with hour and minute, in UTC.
fn instant_utc(ui: &mut egui::Ui, id: &str, value: &mut DateTime<Utc>) {
    let mut date = to_jiff(value.date_naive());
    let mut hour = value.hour();
    let mut minute = value.minute();
    keyed(ui, ("instant", id), |ui| {
        ui.horizontal(|ui| {
            ui.add(
                egui_extras::DatePickerButton::new(&mut date)
                    .id_salt(id)
                    .show_icon(false),
            );
            ui.add(egui::DragValue::new(&mut hour).range(0..=23).prefix("hh "))
                .on_hover_text("hour (UTC)");
            ui.add(
                egui::DragValue::new(&mut minute)
                    .range(0..=59)
                    .prefix("mm "),
            )
            .on_hover_text("minute");
            ui.label("UTC");
        });
    });
    if let Some(d) = from_jiff(date)
        && let Some(t) = d.and_hms_opt(hour, minute, 0)
    {
        *value = Utc.from_utc_datetime(&t);
    }
}

/// The "actively exploited" flag; once set, when the coordinator became
/// aware of it, and, for a project that ships in the EU, whether each
/// report the Cyber Resilience Act asks was submitted (the duties in the
/// Due window are settled by these boxes).
fn exploited(ui: &mut egui::Ui, project: &Project, i: &mut Issue, now: DateTime<Utc>) {
    ui.label("");
    keyed(ui, "exploited", |ui| {
        ui.checkbox(
            &mut i.actively_exploited,
            "Actively exploited (or imminent)",
        )
    });
    ui.end_row();
    if !i.actively_exploited {
        return;
    }
    ui.label("Aware since");
    // Shown to the minute, as the editor edits it: only a change by hand
    // records an instant of its own (else the journal's entry stands).
    let since = crate::core::duties::exploited_since(i).unwrap_or(now);
    let shown = since
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(since);
    let mut edited = shown;
    instant_utc(ui, "exploited since", &mut edited);
    if edited != shown {
        i.exploited_aware = Some(edited);
    }
    ui.end_row();
    if !project.publication.ships_in_eu {
        return;
    }
    let reports = [
        (
            "cra early warning",
            "CRA early warning submitted (Art. 14(2)(a), 24 hours)",
            &mut i.cra.early_warning,
        ),
        (
            "cra notification",
            "CRA vulnerability notification submitted (Art. 14(2)(b), 72 hours)",
            &mut i.cra.notification,
        ),
        (
            "cra final report",
            "CRA final report submitted (Art. 14(2)(c), 14 days after the fix)",
            &mut i.cra.final_report,
        ),
    ];
    for (key, label, at) in reports {
        ui.label("");
        let mut sent = at.is_some();
        if keyed(ui, key, |ui| ui.checkbox(&mut sent, label))
            .on_hover_text(
                "Regulation (EU) 2024/2847, Article 14: through the single reporting \
                 platform to the CSIRT designated as coordinator and ENISA. View › Due \
                 drafts the text.",
            )
            .changed()
        {
            *at = sent.then_some(now);
        }
        ui.end_row();
    }
}

fn severity_name(s: Option<Severity>) -> String {
    s.map_or_else(|| "not set".to_owned(), |s| s.to_string())
}

/// The early advisory text, and a button that fills it from the template
/// with the issue's data (disabled, saying what is missing, until it can).
fn early_advisory(ui: &mut egui::Ui, project: &Project, i: &mut Issue) {
    multiline(ui, "Early advisory", &mut i.early_advisory);
    ui.label("");
    let missing = advisory::check_template(project, i);
    let button = keyed(ui, "fill early advisory", |ui| {
        ui.add_enabled(missing.is_empty(), egui::Button::new("Fill from template"))
    });
    let button = if missing.is_empty() {
        button.on_hover_text("Replace the text with the template filled from this issue")
    } else {
        let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
        button.on_disabled_hover_text(format!("The template needs:\n{}", list.join("\n")))
    };
    if button.clicked()
        && let Ok(text) = advisory::default_early_advisory(project, i)
    {
        i.early_advisory = text;
    }
    ui.end_row();
}

/// Draw the editors of `fields`; the release-time picker goes below them.
#[allow(clippy::too_many_arguments)]
pub(super) fn form(
    ui: &mut egui::Ui,
    doc: &Document,
    fields: &[Field],
    draft: &mut Issue,
    release: Option<&Release>,
    release_form: &mut Option<ReleaseForm>,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let mut picker = false;
    egui::Grid::new("step form")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for field in fields {
                if matches!(field, Field::EarlyAdvisory) {
                    early_advisory(ui, &doc.project, draft);
                } else if matches!(field, Field::Exploited) {
                    exploited(ui, &doc.project, draft, now);
                } else {
                    field_ui(ui, *field, draft, release, &mut picker, now, commands);
                }
            }
        });
    if picker {
        ui.separator();
        super::picker::release_picker(ui, doc, draft, release, release_form, now, commands);
    }
}

#[allow(clippy::too_many_lines)] // one arm per field, each short
fn field_ui(
    ui: &mut egui::Ui,
    field: Field,
    i: &mut Issue,
    release: Option<&Release>,
    pending_picker: &mut bool,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    match field {
        Field::IntakeChannel => {
            ui.label("Report came in");
            keyed(ui, "intake channel", |ui| {
                ui.horizontal(|ui| {
                    let is_mail = matches!(i.intake.channel, IntakeChannel::Mail { .. });
                    if ui.radio(is_mail, "by private mail").clicked() && !is_mail {
                        i.intake.channel = IntakeChannel::Mail {
                            from: String::new(),
                            subject: String::new(),
                            date: String::new(),
                            message_id: String::new(),
                        };
                    }
                    if ui
                        .radio(
                            matches!(i.intake.channel, IntakeChannel::PublicIssue { .. }),
                            "in a public tracker",
                        )
                        .clicked()
                        && !matches!(i.intake.channel, IntakeChannel::PublicIssue { .. })
                    {
                        i.intake.channel = IntakeChannel::PublicIssue { url: String::new() };
                    }
                })
            });
            ui.end_row();
            match &mut i.intake.channel {
                IntakeChannel::Mail {
                    from,
                    subject,
                    date,
                    message_id,
                } => {
                    text(ui, "From:", from);
                    text(ui, "Subject:", subject);
                    text(ui, "Date:", date);
                    text(ui, "Message-ID:", message_id);
                }
                IntakeChannel::PublicIssue { url } => {
                    text(ui, "Issue URL", url);
                }
                IntakeChannel::Unrecorded => {}
            }
        }
        Field::Received => {
            ui.label("Received");
            instant_utc(ui, "received", &mut i.intake.received);
            ui.end_row();
        }
        Field::Reporter => {
            text(ui, "Reporter", &mut i.reporter.name);
            text(ui, "Reporter contact", &mut i.reporter.contact);
        }
        Field::Credit => {
            let mut choice = match &i.reporter.credit {
                None => 0,
                Some(Credit::Anonymous) => 1,
                Some(Credit::Named(_)) => 2,
            };
            let before = choice;
            egui::ComboBox::from_label("Credit")
                .selected_text(["not asked yet", "no credit (anonymous)", "credit by name"][choice])
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut choice, 0, "not asked yet");
                    ui.selectable_value(&mut choice, 1, "no credit (anonymous)");
                    ui.selectable_value(&mut choice, 2, "credit by name");
                });
            ui.end_row();
            if choice != before {
                i.reporter.credit = match choice {
                    1 => Some(Credit::Anonymous),
                    2 => Some(Credit::Named(i.reporter.name.clone())),
                    _ => None,
                };
            }
            if let Some(Credit::Named(name)) = &mut i.reporter.credit {
                text(ui, "Credit as", name);
            }
        }
        Field::ReporterDeadline => {
            let mut has = i.reporter.deadline.is_some();
            keyed(ui, "has deadline", |ui| {
                ui.checkbox(&mut has, "Reporter has a disclosure deadline")
            });
            ui.end_row();
            match (has, &mut i.reporter.deadline) {
                (true, Some(d)) => {
                    ui.label("Deadline");
                    instant_utc(ui, "deadline", d);
                    ui.end_row();
                }
                (true, None) => i.reporter.deadline = Some(now + chrono::TimeDelta::days(90)),
                (false, _) => i.reporter.deadline = None,
            }
        }
        Field::ReporterHasCve => {
            let mut v = i.reporter.has_cve;
            egui::ComboBox::from_label("Reporter already has a CVE")
                .selected_text(match v {
                    None => "not asked yet",
                    Some(true) => "yes",
                    Some(false) => "no",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut v, None, "not asked yet");
                    ui.selectable_value(&mut v, Some(true), "yes");
                    ui.selectable_value(&mut v, Some(false), "no");
                });
            ui.end_row();
            i.reporter.has_cve = v;
        }
        Field::Verdict => {
            ui.label("Verdict");
            keyed(ui, "verdict", |ui| {
                ui.horizontal(|ui| {
                    ui.radio_value(&mut i.verdict, Verdict::Pending, "pending");
                    ui.radio_value(&mut i.verdict, Verdict::Security, "security issue");
                    ui.radio_value(&mut i.verdict, Verdict::NotSecurity, "not a security issue");
                })
            });
            ui.end_row();
        }
        Field::Severity => {
            let mut v = i.severity;
            egui::ComboBox::from_label("Severity")
                .selected_text(severity_name(v))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut v, None, "not set");
                    for s in Severity::ALL {
                        ui.selectable_value(&mut v, Some(s), s.to_string());
                    }
                });
            ui.end_row();
            i.severity = v;
            text(ui, "Severity confirmed by", &mut i.severity_confirmed_by);
        }
        Field::Cvss => super::cvss::field(ui, i),
        Field::ImpactKind => {
            let mut v = i.impact_kind;
            egui::ComboBox::from_label("Kind of impact")
                .selected_text(v.map_or("not set", ImpactKind::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut v, None, "not set");
                    for k in ImpactKind::ALL {
                        ui.selectable_value(&mut v, Some(k), k.label());
                    }
                });
            ui.end_row();
            i.impact_kind = v;
        }
        Field::Affected => {
            ui.label("Affected versions");
            keyed(ui, "affected", |ui| {
                ui.vertical(|ui| {
                    let mut remove = None;
                    for (n, range) in i.affected.iter_mut().enumerate() {
                        keyed(ui, ("range", n), |ui| {
                            ui.horizontal(|ui| {
                                let l = ui.label("from");
                                ui.add(
                                    egui::TextEdit::singleline(&mut range.introduced)
                                        .desired_width(80.0),
                                )
                                .labelled_by(l.id);
                                let l = ui.label("fixed in");
                                let mut fixed = range.fixed.clone().unwrap_or_default();
                                ui.add(
                                    egui::TextEdit::singleline(&mut fixed)
                                        .desired_width(80.0)
                                        .hint_text("unreleased"),
                                )
                                .labelled_by(l.id);
                                range.fixed = if fixed.trim().is_empty() {
                                    None
                                } else {
                                    Some(fixed)
                                };
                                if ui
                                    .small_button("Remove")
                                    .on_hover_text("Remove this range")
                                    .clicked()
                                {
                                    remove = Some(n);
                                }
                            })
                        });
                    }
                    if let Some(n) = remove {
                        i.affected.remove(n);
                    }
                    if ui.small_button("Add a version range").clicked() {
                        i.affected.push(AffectedRange {
                            introduced: String::new(),
                            fixed: None,
                        });
                    }
                })
            });
            ui.end_row();
        }
        Field::Description => multiline(ui, "Description", &mut i.description),
        Field::Impact => multiline(ui, "Impact", &mut i.impact),
        Field::Mitigation => multiline(ui, "Mitigation", &mut i.mitigation),
        Field::Cwe => opt_text(ui, "CWE", &mut i.cwe),
        Field::Exploited => {
            ui.label("");
            keyed(ui, "exploited", |ui| {
                ui.checkbox(
                    &mut i.actively_exploited,
                    "Actively exploited (or imminent)",
                )
            });
            ui.end_row();
        }
        Field::Cve => {
            let mut state = match i.cve {
                CveState::NotNeeded => 0,
                CveState::ToRequest => 1,
                CveState::Requested => 2,
                CveState::Assigned { .. } => 3,
            };
            let before = state;
            let names = ["not needed", "to request", "requested", "assigned"];
            egui::ComboBox::from_label("CVE")
                .selected_text(names[state])
                .show_ui(ui, |ui| {
                    for (n, name) in names.iter().enumerate() {
                        ui.selectable_value(&mut state, n, *name);
                    }
                });
            ui.end_row();
            if state != before {
                i.cve = match state {
                    0 => CveState::NotNeeded,
                    1 => CveState::ToRequest,
                    2 => CveState::Requested,
                    _ => CveState::Assigned { id: String::new() },
                };
            }
            if let CveState::Assigned { id } = &mut i.cve {
                text(ui, "CVE or GCVE ID", id);
                // GCVE-0-YYYY-NNNN is CVE-YYYY-NNNN: kept as the CVE.
                if let Some(cve) = crate::core::model::gcve_to_cve(id) {
                    *id = cve;
                }
            }
        }
        Field::OtherIds => {
            ui.label("Other identifiers");
            keyed(ui, "other ids", |ui| {
                ui.vertical(|ui| {
                    let mut remove = None;
                    for (n, ident) in i.other_ids.iter_mut().enumerate() {
                        keyed(ui, ("identifier", n), |ui| {
                            ui.horizontal(|ui| {
                                let l = ui.label("scheme");
                                ui.add(
                                    egui::TextEdit::singleline(&mut ident.scheme)
                                        .desired_width(70.0),
                                )
                                .labelled_by(l.id);
                                let l = ui.label("ID");
                                ui.add(
                                    egui::TextEdit::singleline(&mut ident.id).desired_width(160.0),
                                )
                                .labelled_by(l.id);
                                if ui.small_button("Remove").clicked() {
                                    remove = Some(n);
                                }
                            })
                        });
                    }
                    if let Some(n) = remove {
                        i.other_ids.remove(n);
                    }
                    if ui.small_button("Add an identifier").clicked() {
                        i.other_ids.push(Identifier {
                            scheme: "GHSA".into(),
                            id: String::new(),
                        });
                    }
                })
            });
            ui.end_row();
        }
        Field::Strategy => {
            ui.label("Release strategy");
            keyed(ui, "strategy", |ui| {
                ui.vertical(|ui| {
                    let mut v = i.strategy;
                    ui.radio_value(
                        &mut v,
                        Some(ReleaseStrategy::PatchLevel),
                        "patch-level release with the backported fix",
                    );
                    ui.radio_value(
                        &mut v,
                        Some(ReleaseStrategy::NextRelease),
                        "in the next release",
                    );
                    i.strategy = v;
                })
            });
            ui.end_row();
        }
        Field::FixCommits => {
            ui.label("Fix commits");
            keyed(ui, "fix commits", |ui| {
                ui.vertical(|ui| {
                    let mut remove = None;
                    for (n, c) in i.fix_commits.iter_mut().enumerate() {
                        keyed(ui, ("fix commit", n), |ui| {
                            ui.horizontal(|ui| {
                                let l = ui.label("commit");
                                ui.add(egui::TextEdit::singleline(&mut c.id).desired_width(110.0))
                                    .labelled_by(l.id);
                                let l = ui.label("branch");
                                ui.add(
                                    egui::TextEdit::singleline(&mut c.branch).desired_width(90.0),
                                )
                                .labelled_by(l.id);
                                let l = ui.label("summary");
                                ui.add(
                                    egui::TextEdit::singleline(&mut c.summary).desired_width(200.0),
                                )
                                .labelled_by(l.id);
                                if ui.small_button("Remove").clicked() {
                                    remove = Some(n);
                                }
                            })
                        });
                    }
                    if let Some(n) = remove {
                        i.fix_commits.remove(n);
                    }
                    if ui.small_button("Add a commit").clicked() {
                        i.fix_commits.push(FixCommit {
                            id: String::new(),
                            branch: String::new(),
                            summary: String::new(),
                        });
                    }
                })
            });
            ui.end_row();
        }
        Field::IntroducedCommit => opt_text(ui, "Introducing commit", &mut i.introduced_commit),
        // `form` draws it with its template button; this is the plain editor.
        Field::EarlyAdvisory => multiline(ui, "Early advisory", &mut i.early_advisory),
        // The picker is wider than a form row: it goes below the grid.
        Field::Release => *pending_picker = true,
        Field::Published => {
            ui.label("Published");
            // Asks first, and can be taken back (the steps part: picker.rs).
            keyed(ui, "publish now", |ui| {
                super::picker::publication(ui, release, now, commands)
            });
            ui.end_row();
        }
        Field::PocShared => {
            ui.label("");
            keyed(ui, "poc shared", |ui| {
                ui.checkbox(
                    &mut i.poc_shared_with_distros,
                    "A proof of concept or exploit was shared with the distros list",
                )
                .on_hover_text(
                    "The distros list asks that it be posted publicly to oss-security within 7 \
                     days of the disclosure; Embargo lists that as a duty.",
                )
            });
            ui.end_row();
            if i.poc_shared_with_distros {
                ui.label("");
                let mut posted = i.poc_posted.is_some();
                if keyed(ui, "poc posted", |ui| {
                    ui.checkbox(&mut posted, "It has been posted publicly")
                })
                .changed()
                {
                    i.poc_posted = posted.then_some(now);
                }
                ui.end_row();
            }
        }
    }
}
