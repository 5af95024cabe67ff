//! The signing panel of the build-and-sign step: the project's key with
//! what the coordinator must see before using it (user IDs, fingerprint,
//! expiry, refusal), the files to sign (system dialog, drag and drop, or a
//! typed path), one "Sign all" button, a progress bar per file and overall
//! with cancel, and afterwards each signature verified against the key.
//! Loading the key, reading file sizes, signing and verifying all run in
//! background jobs; the typed passphrase (key files only) is moved into the
//! job, zeroized there, and wiped from the text field's undo history.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};

pub(super) use super::command::SignDone as JobDone;
use super::command::{
    Command, FileRow, JobResult, ResultRow, SettingsCommand, SettingsTab, SignCommand,
};
pub(super) use super::state::FileProgress;
use super::state::{EmbargoApp, KeyForm, SigningPanel};
use crate::adapters::openpgp::{self, KeySource, Passphrase};
use crate::core::model::{KeyLocation, Release, SigningKeyRef};
use crate::core::ops;
use crate::core::ports::Watch;
use crate::jobs::Progress;
use crate::workflows::{
    self,
    keys::KeyRequest,
    sign::{SignError, Verification},
};

/// Extensions offered by the file dialog.
const EXTENSIONS: [&str; 7] = ["gz", "xz", "bz2", "zip", "tgz", "patch", "diff"];

impl From<&Verification> for ResultRow {
    fn from(v: &Verification) -> Self {
        Self {
            file: v.file.clone(),
            signature: v.signature.clone(),
            verified: v
                .result
                .as_ref()
                .map(|good| good.signer.clone())
                .map_err(Clone::clone),
        }
    }
}

/// Shows a signing run in the job's progress (status bar) and the per-file
/// bars of the panel.
pub(super) struct JobWatch<'a> {
    progress: &'a Progress,
    files: Arc<FileProgress>,
}

impl<'a> JobWatch<'a> {
    /// A watcher over the job's `progress` and the panel's per-file bars.
    pub(super) fn new(progress: &'a Progress, files: Arc<FileProgress>) -> Self {
        Self { progress, files }
    }
}

impl Watch for JobWatch<'_> {
    fn say(&self, what: &str) {
        self.progress.say(what);
    }

    fn set(&self, done: u64, total: u64) {
        self.progress.set(done, total);
    }

    fn item(&self, index: usize, done: u64, total: u64) {
        if let Some((_, d, t)) = self.files.files.get(index) {
            d.store(done, Ordering::Relaxed);
            t.store(total, Ordering::Relaxed);
        }
    }

    fn is_cancelled(&self) -> bool {
        self.progress.is_cancelled()
    }
}

/// The name of the signing job (building artifacts runs under it too, so
/// the two never overlap).
pub(super) const SIGN_JOB: &str = "signing";
const TEXT_ID: &str = "signing passphrase";

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl EmbargoApp {
    /// Apply a signing-panel command.
    pub(super) fn apply_signing(&mut self, command: SignCommand) {
        match command {
            SignCommand::Browse => self.spawn_job("file dialog", move |_| {
                let files = rfd::FileDialog::new()
                    .set_title("Files to sign")
                    .add_filter("Tarballs and patches", &EXTENSIONS)
                    .add_filter("All files", &["*"])
                    .pick_files()
                    .unwrap_or_default();
                JobResult::Signing(JobDone::Picked(files))
            }),
            SignCommand::Add(paths) => {
                let known: Vec<PathBuf> = self
                    .view
                    .signing
                    .files
                    .iter()
                    .map(|f| f.path.clone())
                    .collect();
                let new: Vec<PathBuf> = paths.into_iter().filter(|p| !known.contains(p)).collect();
                if new.is_empty() {
                    return;
                }
                self.spawn_job("reading file sizes", move |_| {
                    let rows = new
                        .into_iter()
                        .map(|path| {
                            let size = match std::fs::metadata(&path) {
                                Ok(m) if m.is_file() => Ok(m.len()),
                                Ok(_) => Err("not a regular file".to_owned()),
                                Err(e) => Err(e.to_string()),
                            };
                            FileRow { path, size }
                        })
                        .collect();
                    JobResult::Signing(JobDone::Sized(rows))
                });
            }
            SignCommand::Remove(i) => {
                if i < self.view.signing.files.len() {
                    self.view.signing.files.remove(i);
                }
            }
            SignCommand::Cancel => self.cancel_job(SIGN_JOB),
            SignCommand::SetKey(key) => {
                self.open_doc_with(|d, now| {
                    ops::set_signing_key(&mut d.project, key, now);
                    Ok(())
                });
                self.view.signing.key_form = None;
                self.view.signing.key = None;
                self.view.signing.key_requested = None;
            }
            SignCommand::SignAll => self.start_signing(),
            SignCommand::CloseKeyForm => self.view.signing.key_form = None,
            SignCommand::InspectKey => self.inspect_key(),
        }
    }

    fn start_signing(&mut self) {
        let Some(doc) = &self.doc else { return };
        let Some(key) = doc.project.signing.clone() else {
            self.view.signing.error = Some(
                "Set the signing key first (Change key…, or Project › Settings › Signing key)."
                    .into(),
            );
            return;
        };
        let Some(release) = self
            .view
            .draft
            .as_ref()
            .and_then(|i| doc.project.release_of(&i.id))
            .map(|r| r.id.clone())
        else {
            self.view.signing.error =
                Some("Plan the release first: signed files are recorded in it.".into());
            return;
        };
        let panel = &mut self.view.signing;
        let paths: Vec<PathBuf> = panel
            .files
            .iter()
            .filter(|f| f.size.is_ok())
            .map(|f| f.path.clone())
            .collect();
        if paths.is_empty() {
            panel.error = Some("Add the tarball and the patch to sign first.".into());
            return;
        }
        let passphrase = (!panel.passphrase.is_empty())
            .then(|| Passphrase::new(std::mem::take(&mut *panel.passphrase)));
        let files = Arc::new(FileProgress {
            files: paths
                .iter()
                .map(|p| (file_name(p), AtomicU64::new(0), AtomicU64::new(0)))
                .collect(),
        });
        panel.running = Some(files.clone());
        panel.error = None;
        panel.results.clear();
        let sums = panel.sums;
        let now = self.now();
        self.spawn_job(SIGN_JOB, move |progress| {
            let request = KeyRequest::new(KeySource::from_project(&key), passphrase);
            let watch = JobWatch::new(progress, files);
            let outcome = workflows::sign::unlock_and_sign(request, &paths, sums, now, &watch);
            JobResult::Signing(JobDone::Signed { release, outcome })
        });
    }

    /// Handle a signing-panel job's result.
    pub(super) fn on_signing_job(&mut self, done: JobDone) {
        match done {
            JobDone::Key(key, info) => self.view.signing.key = Some((key, info)),
            JobDone::Picked(files) if files.is_empty() => {
                self.notice("no file chosen (type the path instead if no dialog appeared)")
            }
            JobDone::Picked(files) => self.send(Command::Signing(SignCommand::Add(files))),
            JobDone::Sized(rows) => self.view.signing.files.extend(rows),
            JobDone::Signed { release, outcome } => {
                self.view.signing.running = None;
                match outcome {
                    Ok(signed) => {
                        let count = signed.verified.len();
                        self.open_doc_with(|d, now| {
                            ops::record_artifacts(&mut d.project, &release, signed.artifacts, now)
                        });
                        self.view.signing.results =
                            signed.verified.iter().map(ResultRow::from).collect();
                        self.view.signing.files.clear();
                        self.done(format!(
                            "signed and verified {count} file(s); recorded in release {release}"
                        ));
                    }
                    Err(e) => {
                        if let SignError::Unverified(checks) = &e {
                            let bad = checks.iter().filter(|c| c.result.is_err()).count();
                            self.view.signing.results =
                                checks.iter().map(ResultRow::from).collect();
                            self.failed(format!(
                                "{bad} of {} signature(s) did NOT verify; nothing was recorded",
                                checks.len()
                            ));
                        } else {
                            self.failed(format!("Signing failed: {e}"));
                        }
                        self.view.signing.error = Some(e.to_string());
                    }
                }
            }
        }
    }

    /// Load and inspect the project's key.
    fn inspect_key(&mut self) {
        let Some(key) = self.doc.as_ref().and_then(|d| d.project.signing.clone()) else {
            return;
        };
        let now = self.now();
        self.spawn_job("key", move |_| {
            let info = workflows::keys::inspect(&KeySource::from_project(&key), now)
                .map_err(|e| e.to_string());
            JobResult::Signing(JobDone::Key(key, info))
        });
    }
}

/// Draw the panel. `release` is the selected issue's release, if planned.
pub(super) fn panel(
    ui: &mut egui::Ui,
    panel: &mut SigningPanel,
    key: Option<&SigningKeyRef>,
    release: Option<&Release>,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let key = key.cloned();
    if let Some(k) = &key
        && panel.key.as_ref().map(|(for_key, _)| for_key) != Some(k)
        && panel.key_requested.as_ref() != Some(k)
    {
        panel.key_requested = Some(k.clone());
        commands.push(Command::Signing(SignCommand::InspectKey));
    }
    if !panel.initialised {
        panel.sums = true;
        panel.initialised = true;
    }
    let send = |commands: &mut Vec<Command>, c: SignCommand| commands.push(Command::Signing(c));
    let passphrase_id = ui.make_persistent_id(TEXT_ID);

    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.label(egui::RichText::new("Sign files").strong());
        // The key.
        ui.horizontal_wrapped(|ui| {
            ui.label("Signing key:");
            match (&key, &panel.key) {
                (None, _) => {
                    ui.label(egui::RichText::new("none set").color(ui.visuals().warn_fg_color));
                }
                (Some(k), Some((for_key, Ok(info)))) if for_key == k => {
                    ui.label(info.label());
                    if let Some(e) = info.expires {
                        ui.label(format!("expires {}", e.format("%Y-%m-%d")));
                    }
                }
                (Some(k), Some((for_key, Err(e)))) if for_key == k => {
                    ui.label(egui::RichText::new(e).color(ui.visuals().error_fg_color));
                }
                (Some(k), _) => {
                    ui.spinner();
                    ui.label(KeySource::from_project(k).describe());
                }
            }
            if ui.button("Change key…").clicked() {
                panel.key_form = Some(form_for(key.as_ref()));
            }
            if ui
                .button("Pick from gpg-agent…")
                .on_hover_text("Project › Settings › Signing key: gpg-agent's secret keys, with their expiry")
                .clicked()
            {
                commands.push(Command::Settings(SettingsCommand::OpenTab(
                    SettingsTab::SigningKey,
                )));
            }
        });
        if let Some((for_key, Ok(info))) = &panel.key
            && Some(for_key) == key.as_ref()
        {
            if let Err(e) = info.check() {
                ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            } else if let Some(w) = info.warning(now) {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {w}"));
            }
        }
        if let Some(form) = panel.key_form.as_mut() {
            key_form(ui, form, commands);
        }
        ui.add_space(4.0);

        // The files.
        let running = panel.running.clone();
        ui.add_enabled_ui(running.is_none(), |ui| {
            // Wrapped, so that "Add" stays in a narrow window.
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Add files…")
                    .on_hover_text("Tarballs (.tar.gz .tar.xz .tar.bz2 .zip) and patches (.patch .diff); you can also drop files onto the window")
                    .clicked()
                {
                    send(commands, SignCommand::Browse);
                }
                let label = ui.label("or path");
                let typed = ui
                    .add(egui::TextEdit::singleline(&mut panel.typed).desired_width(300.0))
                    .labelled_by(label.id);
                let enter = typed.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if (ui.button("Add").clicked() || enter) && !panel.typed.trim().is_empty() {
                    let path = PathBuf::from(panel.typed.trim());
                    panel.typed.clear();
                    send(commands, SignCommand::Add(vec![path]));
                }
            });
            if panel.files.is_empty() {
                ui.label(egui::RichText::new("No files yet: add the release tarball and the standalone patch.").weak());
            }
            for (i, f) in panel.files.iter().enumerate() {
                ui.horizontal(|ui| {
                    let name = format!("Remove {} from the list", file_name(&f.path));
                    if super::widgets::icon_button(ui, "✖", &name).clicked() {
                        send(commands, SignCommand::Remove(i));
                    }
                    ui.label(file_name(&f.path)).on_hover_text(f.path.display().to_string());
                    match &f.size {
                        Ok(n) => ui.label(egui::RichText::new(human_size(*n)).weak()),
                        Err(e) => ui.colored_label(ui.visuals().error_fg_color, e),
                    };
                });
            }
            ui.checkbox(&mut panel.sums, "Also write SHA256SUMS and SHA512SUMS");
            if matches!(key.as_ref().map(|k| &k.location), Some(KeyLocation::KeyFile { .. })) {
                ui.horizontal(|ui| {
                    let label = ui.label("Key passphrase");
                    ui.add(
                        egui::TextEdit::singleline(&mut *panel.passphrase)
                            .id(passphrase_id)
                            .password(true)
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                });
            }
        });

        ui.horizontal(|ui| {
            let ready = running.is_none()
                && key.is_some()
                && release.is_some()
                && panel.files.iter().any(|f| f.size.is_ok());
            let why = if key.is_none() {
                "Set the signing key first"
            } else if release.is_none() {
                "Plan the release first (Release plan step)"
            } else {
                "Add files to sign first"
            };
            if ui
                .add_enabled(ready, egui::Button::new("Sign all"))
                .on_disabled_hover_text(why)
                .clicked()
            {
                send(commands, SignCommand::SignAll);
                // The passphrase has left the field: forget its undo history.
                ui.ctx()
                    .data_mut(|d| d.remove::<egui::text_edit::TextEditState>(passphrase_id));
            }
            if running.is_some() && ui.button("Cancel").clicked() {
                send(commands, SignCommand::Cancel);
            }
        });

        if let Some(files) = &running {
            let mut all_done = 0;
            let mut all_total = 0;
            for (name, done, total) in &files.files {
                let (d, t) = (done.load(Ordering::Relaxed), total.load(Ordering::Relaxed));
                all_done += d;
                all_total += t;
                let fraction = if t == 0 { 0.0 } else { d as f32 / t as f32 };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(format!("{name}  {} / {}", human_size(d), human_size(t))),
                );
            }
            let total: u64 = panel.files.iter().filter_map(|f| f.size.clone().ok()).sum();
            let fraction = all_done as f32 / total.max(all_total).max(1) as f32;
            ui.add(
                egui::ProgressBar::new(fraction)
                    .show_percentage()
                    .text(format!("all files  {}", human_size(all_done))),
            );
        }
        if let Some(e) = &panel.error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        for r in &panel.results {
            match &r.verified {
                Ok(fpr) => ui.label(format!("✔ {}  good signature by {fpr}", file_name(&r.signature))),
                Err(e) => ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("✖ {}  {e}", file_name(&r.signature)),
                ),
            };
        }
        if let Some(r) = release
            && !r.artifacts.is_empty()
        {
            ui.collapsing(format!("Recorded in release {} ({})", r.id, r.artifacts.len()), |ui| {
                for a in &r.artifacts {
                    let signed = if a.signature.is_some() { "signed" } else { "" };
                    ui.label(format!("{}  {}  {signed}", file_name(std::path::Path::new(&a.path)), human_size(a.size)))
                        .on_hover_text(format!("sha256 {}", a.sha256));
                }
            });
        }
    });
}

fn form_for(key: Option<&SigningKeyRef>) -> KeyForm {
    match key.map(|k| (k, &k.location)) {
        Some((k, KeyLocation::GpgAgent { homedir })) => KeyForm {
            agent: true,
            fingerprint: k.fingerprint.clone(),
            homedir: homedir.clone().unwrap_or_default(),
            key_file: String::new(),
        },
        Some((k, KeyLocation::KeyFile { path })) => KeyForm {
            agent: false,
            fingerprint: k.fingerprint.clone(),
            homedir: String::new(),
            key_file: path.clone(),
        },
        None => KeyForm {
            agent: true,
            ..KeyForm::default()
        },
    }
}

fn key_form(ui: &mut egui::Ui, form: &mut KeyForm, commands: &mut Vec<Command>) {
    ui.indent("key form", |ui| {
        ui.horizontal(|ui| {
            ui.radio_value(
                &mut form.agent,
                true,
                "In gpg-agent (keys on smartcards too)",
            );
            ui.radio_value(&mut form.agent, false, "In a key file");
        });
        if form.agent {
            ui.horizontal(|ui| {
                let l = ui.label("Fingerprint");
                ui.add(egui::TextEdit::singleline(&mut form.fingerprint).desired_width(360.0))
                    .labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                let l = ui.label("GnuPG home (empty: default)");
                ui.add(egui::TextEdit::singleline(&mut form.homedir).desired_width(260.0))
                    .labelled_by(l.id);
            });
        } else {
            ui.horizontal(|ui| {
                let l = ui.label("Key file");
                ui.add(egui::TextEdit::singleline(&mut form.key_file).desired_width(360.0))
                    .labelled_by(l.id);
            });
        }
        ui.horizontal(|ui| {
            let agent_fingerprint = openpgp::agent_fingerprint(&form.fingerprint);
            let valid = if form.agent {
                agent_fingerprint.is_some()
            } else {
                !form.key_file.trim().is_empty()
            };
            if ui
                .add_enabled(valid, egui::Button::new("Use this key"))
                .on_disabled_hover_text("Type the full fingerprint (hex) or the key file's path")
                .clicked()
            {
                let location = if form.agent {
                    KeyLocation::GpgAgent {
                        homedir: Some(form.homedir.trim().to_owned()).filter(|h| !h.is_empty()),
                    }
                } else {
                    KeyLocation::KeyFile {
                        path: form.key_file.trim().to_owned(),
                    }
                };
                commands.push(Command::Signing(SignCommand::SetKey(Some(SigningKeyRef {
                    fingerprint: if form.agent {
                        agent_fingerprint.unwrap_or_default()
                    } else {
                        String::new()
                    },
                    location,
                }))));
            }
            if ui.button("Cancel").clicked() {
                commands.push(Command::Signing(SignCommand::CloseKeyForm));
            }
        });
    });
}
