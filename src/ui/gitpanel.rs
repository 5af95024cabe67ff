//! The git side in the wizard: the embargo guard (is any embargoed fix
//! commit reachable from a public remote? do the fix commits name the
//! CVE?), the pre-push hook switch, and "Build release artifacts", which
//! makes the signed tag, the tarballs and the standalone patch and signs
//! them with their checksum lists in one background job, each signature
//! verified. All git work runs in jobs, each a call of the same workflow
//! `embargo guard` and `embargo artifacts` call ([`crate::workflows`]); the
//! panel shows the last result.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use chrono::{DateTime, Utc};

use super::command::{Command, GitCommand, GitJobDone, GitStatus, JobResult};
use super::signing::{FileProgress, JobDone, JobWatch, SIGN_JOB};
use super::state::{EmbargoApp, GitPanel, RepoForm};
use crate::adapters::openpgp::{KeySource, Passphrase};
use crate::core::checks::explain;
use crate::core::model::{Project, RepoSettings};
use crate::workflows::{
    self,
    artifacts::{Choices, Plan},
    keys::KeyRequest,
    sign::SignError,
};

impl RepoForm {
    fn from(r: &RepoSettings) -> Self {
        Self {
            path: r.path.clone(),
            public: r.public_remotes.join(" "),
            private: r.private_remotes.join(" "),
            version_file: r.version_file.clone(),
            version_pattern: r.version_pattern.clone(),
            tag: r.tag_template.clone(),
            tarball: r.tarball_template.clone(),
        }
    }

    fn apply(&self, base: &RepoSettings) -> RepoSettings {
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect();
        RepoSettings {
            path: self.path.trim().to_owned(),
            public_remotes: words(&self.public),
            private_remotes: words(&self.private),
            version_file: self.version_file.trim().to_owned(),
            version_pattern: self.version_pattern.clone(),
            tag_template: self.tag.trim().to_owned(),
            tarball_template: self.tarball.trim().to_owned(),
            tarball_formats: base.tarball_formats.clone(),
        }
    }
}

fn check(
    project_file: Option<PathBuf>,
    project: &Project,
    issue: &str,
    now: DateTime<Utc>,
) -> Result<GitStatus, String> {
    let guarded = workflows::guard::check(project, project_file.as_deref(), Some(issue), now)
        .map_err(|e| e.to_string())?;
    Ok(GitStatus {
        missing_cve: guarded.missing_cve.into_iter().map(|m| m.commit).collect(),
        leaks: guarded.report.leaks,
        missing: guarded.report.missing,
        public_remotes: guarded.report.public_remotes,
        checked: guarded.report.checked,
        hook: guarded.hook,
    })
}

impl EmbargoApp {
    /// Apply a git-panel command.
    pub(super) fn apply_git(&mut self, command: GitCommand) {
        let Some(doc) = &self.doc else { return };
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        let project = doc.project.clone();
        let file = doc.path.clone();
        let now = self.now();
        match command {
            GitCommand::Check => self.spawn_job("embargo guard", move |_| {
                JobResult::Git(GitJobDone::Checked(
                    issue.clone(),
                    check(file, &project, &issue, now),
                ))
            }),
            GitCommand::InstallHook | GitCommand::RemoveHook => {
                let install = command == GitCommand::InstallHook;
                self.view.git.requested = None;
                self.spawn_job("pre-push hook", move |_| {
                    let run = || -> Result<String, String> {
                        let file =
                            file.ok_or("save the project to a file first: the hook names it")?;
                        if install {
                            workflows::guard::install_hook(&project, &file)
                                .map(|p| format!("installed {}", p.display()))
                                .map_err(|e| e.to_string())
                        } else {
                            workflows::guard::remove_hook(&project, Some(&file))
                                .map(|removed| {
                                    if removed {
                                        "removed the pre-push hook"
                                    } else {
                                        "no hook was installed"
                                    }
                                    .to_owned()
                                })
                                .map_err(|e| e.to_string())
                        }
                    };
                    JobResult::Git(GitJobDone::Hook(run()))
                });
            }
            GitCommand::Build => self.start_build(file, project, issue),
            GitCommand::SetRepo(repo) => {
                self.open_doc_with(|d, now| {
                    crate::core::ops::set_repo(&mut d.project, *repo, now);
                    Ok(())
                });
                self.view.git.form = None;
                self.view.git.requested = None;
            }
        }
    }

    fn start_build(&mut self, file: Option<PathBuf>, project: Project, issue: String) {
        let (plan, release) =
            match Plan::for_release(&project, file.as_deref(), &issue, Choices::default()) {
                Ok(planned) => planned,
                Err(e) => {
                    self.view.signing.error = Some(e.to_string());
                    return;
                }
            };
        let Some(key) = project.signing.clone() else {
            self.view.signing.error = Some(
                "Set the signing key first (Change key…, or Project › Settings › Signing key)."
                    .into(),
            );
            return;
        };
        let files = Arc::new(FileProgress {
            files: plan
                .file_names()
                .into_iter()
                .map(|n| (n, AtomicU64::new(0), AtomicU64::new(0)))
                .collect(),
        });
        let panel = &mut self.view.signing;
        let passphrase = (!panel.passphrase.is_empty())
            .then(|| Passphrase::new(std::mem::take(&mut *panel.passphrase)));
        panel.running = Some(files.clone());
        panel.error = None;
        panel.results.clear();
        let now = self.now();
        self.spawn_job(SIGN_JOB, move |progress| {
            let request = KeyRequest::new(KeySource::from_project(&key), passphrase);
            let watch = JobWatch::new(progress, files);
            let outcome =
                workflows::artifacts::build(&plan, Some(request), now, &watch).and_then(|built| {
                    built
                        .signed
                        .ok_or_else(|| SignError::NotReady("nothing was signed".into()))
                });
            JobResult::Signing(JobDone::Signed { release, outcome })
        });
    }

    /// Handle a git job's result.
    pub(super) fn on_git_job(&mut self, done: GitJobDone) {
        match done {
            GitJobDone::Checked(issue, status) => {
                if let Ok(s) = &status
                    && !s.leaks.is_empty()
                {
                    self.failed(format!(
                        "EMBARGO BROKEN: {} fix commit(s) of {issue} are on a public remote",
                        s.leaks.len()
                    ));
                }
                self.view.git.status = Some((issue, status));
            }
            GitJobDone::Hook(Ok(message)) => {
                self.done(message);
                self.send(Command::Git(GitCommand::Check));
            }
            GitJobDone::Hook(Err(e)) => self.fail(e),
        }
    }
}

/// Draw the guard panel for `issue`.
pub(super) fn guard_panel(
    ui: &mut egui::Ui,
    panel: &mut GitPanel,
    repo: &RepoSettings,
    issue: &str,
    nothing_to_guard: &str,
    busy: bool,
    commands: &mut Vec<Command>,
) {
    if panel.requested.as_deref() != Some(issue) {
        panel.requested = Some(issue.to_owned());
        commands.push(Command::Git(GitCommand::Check));
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.label(egui::RichText::new("Embargo guard").strong());
        match &panel.status {
            Some((for_issue, Ok(s))) if for_issue == issue => {
                if s.checked == 0 {
                    // Why none (core::guard::nothing_to_guard): no fix
                    // commit yet, or a release already public.
                    ui.label(nothing_to_guard)
                        .on_hover_text(explain("embargo-leak"));
                } else if s.leaks.is_empty() {
                    ui.label(format!(
                        "✔ {} embargoed commit(s), none reachable from the public remotes ({})",
                        s.checked,
                        if s.public_remotes.is_empty() {
                            "none".to_owned()
                        } else {
                            s.public_remotes.join(", ")
                        }
                    ))
                    .on_hover_text(explain("embargo-leak"));
                } else {
                    for l in &s.leaks {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            format!(
                                "✖ EMBARGO BROKEN: {} is on {}",
                                &l.commit[..12.min(l.commit.len())],
                                l.refs.join(", ")
                            ),
                        )
                        .on_hover_text(explain("embargo-leak"));
                    }
                }
                for m in &s.missing {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "⚠ {} is not in the repository: fetch it or correct the ID",
                            m.commit
                        ),
                    )
                    .on_hover_text(explain("fix-commit-missing"));
                }
                for c in &s.missing_cve {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "⚠ the message of {} does not name the CVE ID",
                            &c[..12.min(c.len())]
                        ),
                    )
                    .on_hover_text(explain("cve-in-message"));
                }
                ui.label(if s.hook {
                    "The pre-push hook refuses pushes of embargoed commits to public remotes."
                } else {
                    "No pre-push hook: nothing stops a push of the fix to a public remote."
                })
                .on_hover_text(explain("pre-push-hook"));
            }
            Some((for_issue, Err(e))) if for_issue == issue => {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            _ => {
                ui.spinner();
            }
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(!busy, egui::Button::new("Check now"))
                .clicked()
            {
                commands.push(Command::Git(GitCommand::Check));
            }
            let hook = matches!(&panel.status, Some((i, Ok(s))) if i == issue && s.hook);
            if !hook
                && ui
                    .add_enabled(!busy, egui::Button::new("Install pre-push hook"))
                    .clicked()
            {
                commands.push(Command::Git(GitCommand::InstallHook));
            }
            if hook
                && ui
                    .add_enabled(!busy, egui::Button::new("Remove pre-push hook"))
                    .clicked()
            {
                commands.push(Command::Git(GitCommand::RemoveHook));
            }
            if panel.form.is_none() && ui.button("Repository settings…").clicked() {
                panel.form = Some(RepoForm::from(repo));
            }
        });
        if let Some(form) = panel.form.as_mut() {
            egui::Grid::new("repo form").num_columns(2).show(ui, |ui| {
                for (label, value, hint) in [
                    (
                        "Private repository",
                        &mut form.path,
                        "~/src/project-security",
                    ),
                    ("Public remotes", &mut form.public, "origin github"),
                    ("Private remotes", &mut form.private, "security"),
                    ("Version file", &mut form.version_file, "src/version.h"),
                    (
                        "Version pattern",
                        &mut form.version_pattern,
                        "#define VERSION \"{version}\"",
                    ),
                    ("Tag template", &mut form.tag, "project-{version}"),
                    ("Tarball template", &mut form.tarball, "project-{version}"),
                ] {
                    let l = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .hint_text(hint)
                            .desired_width(320.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
            });
            ui.label(
                egui::RichText::new("Every remote not marked private counts as public.").weak(),
            );
            let mut cancel = false;
            ui.horizontal(|ui| {
                if ui.button("Save repository settings").clicked() {
                    commands.push(Command::Git(GitCommand::SetRepo(Box::new(
                        form.apply(repo),
                    ))));
                }
                cancel = ui.button("Cancel").clicked();
            });
            if cancel {
                panel.form = None;
            }
        }
    });
}

/// Draw the "Build release artifacts" action.
pub(super) fn build_button(
    ui: &mut egui::Ui,
    ready: Result<(), &str>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        let button = ui
            .add_enabled(ready.is_ok(), egui::Button::new("Build release artifacts"))
            .on_hover_text(
                "From the private repository: check the work tree and the version file, make the \
                 signed tag, the tarballs and the standalone patch, then sign them and write the \
                 checksum lists",
            );
        if let Err(why) = ready {
            button.clone().on_disabled_hover_text(why);
            ui.label(egui::RichText::new(why).weak());
        }
        if button.clicked() {
            commands.push(Command::Git(GitCommand::Build));
        }
    });
}
