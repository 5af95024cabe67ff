//! The Project › Settings window: everything the project file holds that the
//! wizard does not ask for — mail (sender, SMTP server, a CA to trust; never
//! a password, which is asked when sending), the signing key (picked from
//! gpg-agent's secret keys, typed, or a key file, with its expiry), the
//! repository, what advisories and records say, the time settings and the
//! playbook. It edits a copy: Apply checks it with the rules `embargo
//! settings` checks (`core::settings`) and sends it as one command,
//! journaled; Cancel drops it. Each field's label is the name the error
//! messages give it ("Project › Settings › Mail › From").

use chrono::{DateTime, Utc};

use super::command::{Command, SettingsCommand, SettingsFile};
use super::state::{Document, KeyPlace, SettingsForm, SettingsTab, TimeForm, ViewState};
use crate::adapters::openpgp::KeyInfo;
use crate::core::model::{
    IdAuthority, KeyLocation, PlaybookRef, Project, SigningKeyRef, TarballFormat,
};
use crate::core::playbook::BUILTIN_NAMES;
use crate::core::settings::{self, Place, ProjectSettings};

impl SettingsForm {
    /// A copy of `project`'s settings to edit, on the Mail tab.
    pub(super) fn of(project: &Project) -> Self {
        let settings = ProjectSettings::of(project);
        let (key_place, fingerprint, homedir, key_file) = match &settings.signing {
            None => (KeyPlace::None, String::new(), String::new(), String::new()),
            Some(k) => match &k.location {
                KeyLocation::GpgAgent { homedir } => (
                    KeyPlace::Agent,
                    k.fingerprint.clone(),
                    homedir.clone().unwrap_or_default(),
                    String::new(),
                ),
                KeyLocation::KeyFile { path } => {
                    (KeyPlace::File, String::new(), String::new(), path.clone())
                }
            },
        };
        let (playbook_builtin, playbook_name, playbook_file) = match &settings.playbook {
            PlaybookRef::Builtin(n) => (true, n.clone(), String::new()),
            PlaybookRef::File(f) => (false, BUILTIN_NAMES[0].to_owned(), f.clone()),
        };
        Self {
            smtp_port: settings.mail.smtp_port.to_string(),
            public_remotes: settings.repo.public_remotes.join(" "),
            private_remotes: settings.repo.private_remotes.join(" "),
            time: TimeForm {
                time: settings.time.clone(),
                new_zone: String::new(),
            },
            settings,
            tab: SettingsTab::Mail,
            key_place,
            fingerprint,
            homedir,
            key_file,
            playbook_builtin,
            playbook_name,
            playbook_file,
            agent_keys: None,
            agent_requested: None,
            key_info: None,
            key_requested: None,
            error: None,
            applying: false,
        }
    }

    /// The signing key as the fields say (`None`: no key).
    pub(super) fn signing_key(&self) -> Option<SigningKeyRef> {
        match self.key_place {
            KeyPlace::None => None,
            KeyPlace::Agent => Some(SigningKeyRef {
                fingerprint: settings::agent_fingerprint(&self.fingerprint)
                    .unwrap_or_else(|| self.fingerprint.trim().to_owned()),
                location: KeyLocation::GpgAgent {
                    homedir: Some(self.homedir.trim().to_owned()).filter(|h| !h.is_empty()),
                },
            }),
            KeyPlace::File => Some(SigningKeyRef {
                fingerprint: String::new(),
                location: KeyLocation::KeyFile {
                    path: self.key_file.trim().to_owned(),
                },
            }),
        }
    }

    /// The settings as edited, or why a typed value is not one.
    pub(super) fn edited(&self) -> Result<ProjectSettings, String> {
        let mut s = self.settings.clone();
        let port = self.smtp_port.trim();
        s.mail.smtp_port = if port.is_empty() {
            0
        } else {
            port.parse().map_err(|_| {
                format!(
                    "`{port}` is not a port number (1 to 65535, e.g. 587); fix it in {}",
                    settings::SMTP_PORT
                )
            })?
        };
        let words = |t: &str| t.split_whitespace().map(str::to_owned).collect();
        s.repo.public_remotes = words(&self.public_remotes);
        s.repo.private_remotes = words(&self.private_remotes);
        s.signing = self.signing_key();
        s.time = self.time.time.clone();
        s.playbook = if self.playbook_builtin {
            PlaybookRef::Builtin(self.playbook_name.clone())
        } else {
            PlaybookRef::File(self.playbook_file.trim().to_owned())
        };
        Ok(s)
    }
}

/// A one-line text field labelled with its place's field name.
fn field(ui: &mut egui::Ui, place: Place, value: &mut String, hint: &str) {
    let l = ui.label(place.field);
    ui.add(
        egui::TextEdit::singleline(value)
            .id_salt(("project settings", place.tab, place.field))
            .hint_text(hint)
            .desired_width(380.0),
    )
    .labelled_by(l.id);
    ui.end_row();
}

fn browse(ui: &mut egui::Ui, what: &str, file: SettingsFile, commands: &mut Vec<Command>) {
    if ui
        .button("Browse…")
        .on_hover_text(format!("Pick the {what} with the system's file dialog"))
        .clicked()
    {
        commands.push(Command::Settings(SettingsCommand::Browse(file)));
    }
}

fn mail_tab(ui: &mut egui::Ui, form: &mut SettingsForm, commands: &mut Vec<Command>) {
    egui::Grid::new("settings mail")
        .num_columns(2)
        .show(ui, |ui| {
            let m = &mut form.settings.mail;
            field(
                ui,
                settings::MAIL_FROM,
                &mut m.from,
                "Exim Security <security@exim.org>",
            );
            field(
                ui,
                settings::SMTP_HOST,
                &mut m.smtp_host,
                "smtp.example.org",
            );
            field(ui, settings::SMTP_PORT, &mut form.smtp_port, "587");
            field(ui, settings::SMTP_USER, &mut m.smtp_user, "security");
            let l = ui.label(settings::SMTP_CA.field);
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut m.smtp_ca)
                        .id_salt("project settings smtp ca")
                        .hint_text("empty: only the usual roots")
                        .desired_width(300.0),
                )
                .labelled_by(l.id);
                browse(ui, "CA certificate (PEM)", SettingsFile::SmtpCa, commands);
            });
            ui.end_row();
        });
    ui.weak("The SMTP password is asked each time a notice is sent and never kept in the project.");
}

fn expiry(info: &KeyInfo) -> String {
    let when = match info.expires {
        Some(e) => format!("expires {}", e.format("%Y-%m-%d")),
        None => "does not expire".to_owned(),
    };
    match info.check() {
        Ok(()) => when,
        Err(e) => format!("{when} — {e}"),
    }
}

fn key_tab(
    ui: &mut egui::Ui,
    form: &mut SettingsForm,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        ui.radio_value(
            &mut form.key_place,
            KeyPlace::Agent,
            "In gpg-agent (keys on smartcards too)",
        );
        ui.radio_value(&mut form.key_place, KeyPlace::File, "In a key file");
        ui.radio_value(&mut form.key_place, KeyPlace::None, "No signing key");
    });
    match form.key_place {
        KeyPlace::None => {
            ui.label("Artifacts and notices cannot be signed without a key.");
        }
        KeyPlace::Agent => agent_key(ui, form, now, commands),
        KeyPlace::File => {
            ui.horizontal(|ui| {
                let l = ui.label(settings::SIGNING_KEY_FILE.field);
                ui.add(
                    egui::TextEdit::singleline(&mut form.key_file)
                        .id_salt("project settings key file")
                        .hint_text("release-key.asc")
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
                browse(
                    ui,
                    "armored secret key file",
                    SettingsFile::KeyFile,
                    commands,
                );
            });
            let key = form
                .signing_key()
                .filter(|k| settings::check_signing_key(k).is_ok());
            if let Some(k) = &key
                && form.key_requested.as_ref() != Some(k)
            {
                commands.push(Command::Settings(SettingsCommand::InspectKey(k.clone())));
            }
            match (&key, &form.key_info) {
                (Some(k), Some((for_key, Ok(info)))) if for_key == k => {
                    ui.label(format!("{} — {}", info.label(), expiry(info)));
                    if let Some(w) = info.warning(now) {
                        ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {w}"));
                    }
                }
                (Some(k), Some((for_key, Err(e)))) if for_key == k => {
                    ui.colored_label(ui.visuals().error_fg_color, e);
                }
                (Some(_), _) => {
                    ui.spinner();
                }
                (None, _) => {}
            }
        }
    }
}

fn agent_key(
    ui: &mut egui::Ui,
    form: &mut SettingsForm,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let l = ui.label("GnuPG home (empty: default)");
        ui.add(
            egui::TextEdit::singleline(&mut form.homedir)
                .id_salt("project settings gnupg home")
                .desired_width(260.0),
        )
        .labelled_by(l.id);
        if ui
            .button("List gpg-agent's keys")
            .on_hover_text("Read the secret keys GnuPG holds in this home")
            .clicked()
        {
            commands.push(Command::Settings(SettingsCommand::ListAgentKeys(
                form.homedir.trim().to_owned(),
            )));
        }
    });
    // Listed once when the tab is first shown; again on the button.
    if form.agent_requested.is_none() {
        commands.push(Command::Settings(SettingsCommand::ListAgentKeys(
            form.homedir.trim().to_owned(),
        )));
    }
    let typed = settings::agent_fingerprint(&form.fingerprint);
    ui.label(egui::RichText::new("gpg-agent's secret keys").strong());
    match &form.agent_keys {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("reading gpg-agent's keys…");
            });
        }
        Some((_, Err(e))) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Some((_, Ok(keys))) if keys.is_empty() => {
            ui.label("GnuPG holds no secret key here: import one, or type its fingerprint below.");
        }
        Some((_, Ok(keys))) => {
            let mut picked = None;
            for k in keys {
                ui.push_id(("agent key", &k.fingerprint), |ui| {
                    let chosen = typed.as_deref() == Some(k.fingerprint.as_str());
                    if ui
                        .selectable_label(chosen, format!("{} — {}", k.label(), expiry(k)))
                        .on_hover_text("Use this key")
                        .clicked()
                    {
                        picked = Some(k.fingerprint.clone());
                    }
                });
            }
            if let Some(f) = picked {
                form.fingerprint = f;
            }
        }
    }
    ui.horizontal(|ui| {
        let l = ui.label(settings::SIGNING_KEY.field);
        ui.add(
            egui::TextEdit::singleline(&mut form.fingerprint)
                .id_salt("project settings fingerprint")
                .hint_text("pick above, or type the full fingerprint")
                .desired_width(380.0),
        )
        .labelled_by(l.id);
    });
    let listed = form.agent_keys.as_ref().and_then(|(_, keys)| {
        keys.as_ref()
            .ok()?
            .iter()
            .find(|k| Some(&k.fingerprint) == typed.as_ref())
    });
    match (typed, listed) {
        (Some(_), Some(info)) => {
            ui.label(format!("Chosen: {} — {}", info.label(), expiry(info)));
            if let Some(w) = info.warning(now) {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {w}"));
            }
        }
        (Some(f), None) => {
            if form.agent_keys.is_some() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{f} is not among the secret keys listed above"),
                );
            }
        }
        (None, _) if !form.fingerprint.trim().is_empty() => {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "not a fingerprint: at least 16 hex digits, the full fingerprint preferred",
            );
        }
        (None, _) => {}
    }
}

fn repo_tab(ui: &mut egui::Ui, form: &mut SettingsForm) {
    egui::Grid::new("settings repository")
        .num_columns(2)
        .show(ui, |ui| {
            let r = &mut form.settings.repo;
            field(
                ui,
                settings::REPO_PATH,
                &mut r.path,
                "path of the private clone",
            );
            field(
                ui,
                settings::PUBLIC_REMOTES,
                &mut form.public_remotes,
                "origin github (space separated)",
            );
            field(
                ui,
                settings::PRIVATE_REMOTES,
                &mut form.private_remotes,
                "security (every other remote counts as public)",
            );
            field(
                ui,
                settings::VERSION_FILE,
                &mut r.version_file,
                "src/version.h",
            );
            field(
                ui,
                settings::VERSION_PATTERN,
                &mut r.version_pattern,
                "#define VERSION \"{version}\"",
            );
            field(
                ui,
                settings::TAG_TEMPLATE,
                &mut r.tag_template,
                "project-{version}",
            );
            field(
                ui,
                settings::TARBALL_TEMPLATE,
                &mut r.tarball_template,
                "project-{version}",
            );
            ui.label(settings::TARBALL_FORMATS.field);
            ui.horizontal(|ui| {
                for f in TarballFormat::ALL {
                    let mut on = r.tarball_formats.contains(&f);
                    if ui.checkbox(&mut on, f.extension()).changed() {
                        r.tarball_formats.retain(|x| *x != f);
                        if on {
                            r.tarball_formats.push(f);
                            r.tarball_formats.sort();
                        }
                    }
                }
            });
            ui.end_row();
        });
    ui.weak("The base tag of a patch is chosen per release, where the release is built.");
}

fn publication_tab(ui: &mut egui::Ui, form: &mut SettingsForm) {
    egui::Grid::new("settings publication")
        .num_columns(2)
        .show(ui, |ui| {
            let p = &mut form.settings.publication;
            field(
                ui,
                settings::VENDOR,
                &mut p.vendor,
                "empty: the project's name",
            );
            field(
                ui,
                settings::PRODUCT,
                &mut p.product,
                "empty: the project's name",
            );
            field(
                ui,
                settings::CNA_ORG_ID,
                &mut p.cna_org_id,
                "00000000-0000-4000-9000-000000000000",
            );
            field(ui, settings::CNA_SHORT_NAME, &mut p.cna_short_name, "exim");
            field(
                ui,
                settings::REPO_URL,
                &mut p.repo_url,
                "https://github.com/exim/exim.git",
            );
            field(
                ui,
                settings::COMMIT_URL,
                &mut p.commit_url,
                "https://…/commit/{commit}",
            );
            field(
                ui,
                settings::ADVISORY_URL,
                &mut p.advisory_url,
                "https://…/secadv_{date}.txt",
            );
            field(
                ui,
                settings::DOWNLOAD_URL,
                &mut p.download_url,
                "https://…/{file}",
            );
            field(
                ui,
                settings::SEVERITY_POLICY_URL,
                &mut p.severity_policy_url,
                "https://…/security/policy",
            );
            field(
                ui,
                settings::EMBARGO_URL,
                &mut p.embargo_url,
                "https://share.example.org/embargo/{version}/",
            );
            field(
                ui,
                settings::OSV_PREFIX,
                &mut p.osv_prefix,
                "registered with OSV, e.g. CURL",
            );
            ui.label(settings::SHIPS_IN_EU.field);
            ui.checkbox(
                &mut p.ships_in_eu,
                "The product is placed on the EU market (Cyber Resilience Act)",
            )
            .on_hover_text(
                "Regulation (EU) 2024/2847, Article 14: an actively exploited issue then owes \
                 an early warning within 24 hours of becoming aware, a notification within 72 \
                 hours and a final report within 14 days of the fix; Embargo lists them as \
                 duties. They apply from 11 September 2026 (Article 71(2)).",
            );
            ui.end_row();
            id_authority_row(ui, &mut p.id_authority);
        });
}

/// The Identifiers row: as the playbook says, CVE, or GCVE of a numbering
/// authority whose number is typed beside it.
fn id_authority_row(ui: &mut egui::Ui, authority: &mut Option<IdAuthority>) {
    let label = ui.label(settings::ID_AUTHORITY.field);
    ui.horizontal(|ui| {
        let shown = authority.map_or_else(|| "As the playbook says".to_owned(), IdAuthority::describe);
        egui::ComboBox::from_id_salt("id authority")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(authority, None, "As the playbook says");
                ui.selectable_value(authority, Some(IdAuthority::Cve), "CVE");
                if !matches!(authority, Some(IdAuthority::Gcve { .. })) {
                    ui.selectable_value(authority, Some(IdAuthority::Gcve { gna: 1 }), "GCVE…");
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(IdAuthority::Gcve { gna }) = authority {
            let gna_label = ui.label("GNA number");
            ui.add(egui::DragValue::new(gna).range(1..=u64::from(u32::MAX)))
                .labelled_by(gna_label.id)
                .on_hover_text("The GCVE numbering authority's number in gcve.eu's directory, e.g. 1 for CIRCL");
        }
    });
    ui.end_row();
}

fn playbook_tab(ui: &mut egui::Ui, form: &mut SettingsForm, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.radio_value(&mut form.playbook_builtin, true, "Built-in playbook");
        ui.radio_value(&mut form.playbook_builtin, false, "Playbook file");
    });
    if form.playbook_builtin {
        egui::ComboBox::new("project settings playbook", "Which built-in playbook")
            .selected_text(form.playbook_name.clone())
            .show_ui(ui, |ui| {
                for name in BUILTIN_NAMES {
                    ui.selectable_value(&mut form.playbook_name, name.to_owned(), name);
                }
            });
    } else {
        ui.horizontal(|ui| {
            let l = ui.label("Playbook file");
            ui.add(
                egui::TextEdit::singleline(&mut form.playbook_file)
                    .id_salt("project settings playbook file")
                    .hint_text("relative to the project file")
                    .desired_width(320.0),
            )
            .labelled_by(l.id);
            browse(ui, "playbook file", SettingsFile::Playbook, commands);
        });
    }
    ui.weak("Steps already settled keep their journal; the new playbook's steps are shown.");
}

/// Draw the window, when open.
pub(super) fn window(
    ctx: &egui::Context,
    doc: Option<&Document>,
    view: &mut ViewState,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let Some(form) = view.project_settings.as_mut() else {
        return;
    };
    if doc.is_none() {
        view.project_settings = None;
        return;
    }
    let mut open = true;
    egui::Window::new("Project settings")
        .open(&mut open)
        .default_size([640.0, 560.0])
        .vscroll(true)
        .show(ctx, |ui| {
            ui.horizontal_wrapped(|ui| {
                for tab in SettingsTab::ALL {
                    ui.selectable_value(&mut form.tab, tab, tab.name());
                }
            });
            ui.separator();
            match form.tab {
                SettingsTab::Mail => mail_tab(ui, form, commands),
                SettingsTab::SigningKey => key_tab(ui, form, now, commands),
                SettingsTab::Repository => repo_tab(ui, form),
                SettingsTab::Publication => publication_tab(ui, form),
                SettingsTab::Time => {
                    ui.push_id("project settings time", |ui| {
                        super::settings::time_fields(ui, &mut form.time, now.date_naive());
                    });
                }
                SettingsTab::Playbook => playbook_tab(ui, form, commands),
            }
            ui.separator();
            if let Some(e) = &form.error {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            ui.horizontal(|ui| {
                if form.applying {
                    ui.spinner();
                    ui.label("loading the playbook…");
                }
                if ui
                    .add_enabled(!form.applying, egui::Button::new("Apply"))
                    .on_hover_text("Check the settings and change the project (journaled)")
                    .clicked()
                {
                    match form.edited().and_then(|s| {
                        settings::check(&s).map_err(|e| e.to_string())?;
                        Ok(s)
                    }) {
                        Ok(s) => {
                            form.error = None;
                            commands.push(Command::Settings(SettingsCommand::Apply(Box::new(s))));
                        }
                        Err(e) => form.error = Some(e),
                    }
                }
                if ui
                    .button("Cancel")
                    .on_hover_text("Close without changing the project")
                    .clicked()
                {
                    commands.push(Command::Settings(SettingsCommand::Cancel));
                }
            });
        });
    if !open {
        commands.push(Command::Settings(SettingsCommand::Cancel));
    }
}
