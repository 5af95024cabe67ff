//! The git side in the wizard: the embargo guard (is any embargoed fix
//! commit reachable from a public remote? do the public remotes name the
//! issue in a branch, tag or commit message? do the fix commits name the
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

use super::command::{
    Command, GitCommand, GitJobDone, GitStatus, JobResult, RepoCommand, RepoDone,
};
use super::signing::{FileProgress, JobWatch, SIGN_JOB};
use super::state::{EmbargoApp, GitPanel, RepoForm, RepoPanel};
use crate::adapters::openpgp::{KeySource, Passphrase};
use crate::core::checks::explain;
use crate::core::model::{Project, Release, RepoSettings};
use crate::workflows::{
    self,
    artifacts::{Choices, Plan},
    keys::KeyRequest,
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
        exposures: guarded.exposures.iter().map(|e| e.describe()).collect(),
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
        let typed = self.view.repo.from.trim().to_owned();
        // Built from what is chosen, else the tip of the release branch as
        // read from the repository, else HEAD: never silently from the
        // last recorded fix commit.
        let from = if typed.is_empty() {
            match &self.view.repo.sources {
                Some((for_issue, Ok(s))) if *for_issue == issue => s.default_from(),
                _ => "HEAD".to_owned(),
            }
        } else {
            typed
        };
        let choices = Choices {
            commit: Some(from),
            ..Choices::default()
        };
        let (plan, release) = match Plan::for_release(&project, file.as_deref(), &issue, choices) {
            Ok(planned) => planned,
            Err(e) => {
                self.view.repo.build_error = Some(e.to_string());
                return;
            }
        };
        let Some(key) = project.signing.clone() else {
            self.view.repo.build_error = Some(
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
        self.view.repo.build_error = None;
        self.view.repo.built = None;
        let now = self.now();
        let out = plan.out.clone();
        self.spawn_job(SIGN_JOB, move |progress| {
            let request = KeyRequest::new(KeySource::from_project(&key), passphrase);
            let watch = JobWatch::new(progress, files);
            let outcome = workflows::artifacts::build(&plan, Some(request), now, &watch);
            JobResult::Repo(RepoDone::Built {
                release,
                out,
                outcome,
            })
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
                } else if let Ok(s) = &status
                    && !s.exposures.is_empty()
                {
                    self.failed(format!(
                        "EMBARGO BROKEN: the public remotes name {issue} in {} place(s)",
                        s.exposures.len()
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
                if s.exposures.is_empty() {
                    if s.checked > 0 || !s.public_remotes.is_empty() {
                        ui.label(
                            "✔ No branch, tag or commit message on the public remotes names \
                             this issue (its IDs, fix subjects).",
                        )
                        .on_hover_text(explain("public-mention"));
                    }
                } else {
                    for e in &s.exposures {
                        ui.colored_label(
                            ui.visuals().error_fg_color,
                            format!("✖ EMBARGO BROKEN: {e}"),
                        )
                        .on_hover_text(explain("public-mention"));
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

fn short(id: &str) -> &str {
    &id[..12.min(id.len())]
}

/// Draw the build of the release artifacts for `issue`: what it builds
/// from (the tip of the release branch unless a commit or tag is typed or
/// picked), the release's base tag (picked from the repository's tags; a
/// missing one is said: no standalone patch), the "Build release
/// artifacts" button, and after a build the output directory with "Open
/// folder" and what the build warned about.
pub(super) fn build_panel(
    ui: &mut egui::Ui,
    panel: &mut RepoPanel,
    issue: &str,
    release: Option<&Release>,
    ready: Result<(), &str>,
    commands: &mut Vec<Command>,
) {
    if panel.sources_requested.as_deref() != Some(issue) {
        panel.sources_requested = Some(issue.to_owned());
        commands.push(Command::Repo(RepoCommand::ReadSources));
    }
    let sources = match &panel.sources {
        Some((for_issue, s)) if for_issue == issue => Some(s),
        _ => None,
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.label(egui::RichText::new("Release artifacts").strong());
        let default = match sources {
            Some(Ok(s)) => {
                let tip = s.tip.as_deref().map(short).unwrap_or("no commit");
                match &s.release_branch {
                    Some(b) => format!("HEAD of the release branch {b} ({tip})"),
                    None => format!("HEAD ({tip})"),
                }
            }
            Some(Err(e)) => {
                ui.colored_label(ui.visuals().error_fg_color, e);
                "HEAD".to_owned()
            }
            None => "reading the repository…".to_owned(),
        };
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("Build from");
            ui.push_id(("build from", issue), |ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut panel.from)
                        .hint_text(default.as_str())
                        .desired_width(260.0),
                )
                .labelled_by(l.id);
                if let Some(Ok(s)) = sources {
                    egui::ComboBox::from_label("Pick a branch, tag or commit to build from")
                        .selected_text("pick…")
                        .show_ui(ui, |ui| {
                            for (name, id) in &s.refs.branches {
                                ui.selectable_value(
                                    &mut panel.from,
                                    name.clone(),
                                    format!("branch {name} ({})", short(id)),
                                );
                            }
                            for t in &s.refs.tags {
                                ui.selectable_value(&mut panel.from, t.clone(), format!("tag {t}"));
                            }
                            for (id, summary) in s.refs.commits.iter().take(30) {
                                ui.selectable_value(
                                    &mut panel.from,
                                    id.clone(),
                                    format!("{} {summary}", short(id)),
                                );
                            }
                        });
                }
            });
        });
        let from = panel.from.trim();
        ui.label(if from.is_empty() {
            format!("Builds from: {default}")
        } else {
            format!("Builds from: {from} (chosen; clear the field for {default})")
        });
        if let Some(r) = release {
            let stored = r.base_tag.clone().unwrap_or_default();
            if panel.base_tag.as_ref().is_none_or(|(i, _)| i != issue) {
                panel.base_tag = Some((issue.to_owned(), stored.clone()));
            }
            if let Some((_, typed)) = panel.base_tag.as_mut() {
                ui.horizontal_wrapped(|ui| {
                    let l = ui.label("Base tag");
                    ui.push_id(("base tag", issue), |ui| {
                        let edit = ui
                            .add(
                                egui::TextEdit::singleline(typed)
                                    .hint_text("the tag of the release this one fixes")
                                    .desired_width(200.0),
                            )
                            .labelled_by(l.id);
                        let enter = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        if let Some(Ok(s)) = sources {
                            let before = typed.clone();
                            egui::ComboBox::from_label("Pick the base tag")
                                .selected_text("pick…")
                                .show_ui(ui, |ui| {
                                    for t in &s.refs.tags {
                                        ui.selectable_value(typed, t.clone(), t.as_str());
                                    }
                                });
                            if *typed != before {
                                commands.push(Command::Repo(RepoCommand::SetBaseTag(typed.clone())));
                            }
                        }
                        if (enter || ui
                            .add_enabled(typed.trim() != stored, egui::Button::new("Use this base tag"))
                            .clicked())
                            && typed.trim() != stored
                        {
                            commands.push(Command::Repo(RepoCommand::SetBaseTag(typed.clone())));
                        }
                    });
                });
            }
            if r.base_tag.is_none() {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "⚠ No base tag: the standalone patch will be missing. Pick the tag of the \
                     release this one fixes above.",
                );
            }
        }
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
        if let Some(e) = &panel.build_error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        if let Some((dir, warnings)) = &panel.built {
            for w in warnings {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {w}"));
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("Output directory: {}", dir.display()));
                if ui
                    .button("Open folder")
                    .on_hover_text("Open the directory with the desktop's file manager")
                    .clicked()
                {
                    commands.push(Command::Repo(RepoCommand::OpenFolder(dir.clone())));
                }
            });
        }
    });
}

/// The write-up window's options: whether addresses are shown (changing it
/// renders the write-up again) and "Save as HTML…".
pub(super) fn writeup_options(
    ui: &mut egui::Ui,
    addresses: &mut bool,
    commands: &mut Vec<Command>,
) {
    if ui
        .button("Save as HTML…")
        .on_hover_text("Write the write-up as an HTML page")
        .clicked()
    {
        commands.push(Command::Repo(RepoCommand::SaveWriteUpHtml));
    }
    if ui
        .checkbox(addresses, "Include reporter and recipient addresses")
        .on_hover_text("Left out by default, so the write-up can be handed on as it is")
        .changed()
    {
        commands.push(Command::ShowWriteUp);
    }
}

/// Below the fix step's form: pick a fix commit from the latest commits of
/// the branch checked out in the repository (read in a job), and add it
/// with its branch and summary; typing one in the rows above stays
/// possible.
pub(super) fn fix_commit_picker(
    ui: &mut egui::Ui,
    panel: &mut RepoPanel,
    issue: &crate::core::model::Issue,
    commands: &mut Vec<Command>,
) {
    if panel.sources_requested.as_deref() != Some(issue.id.as_str()) {
        panel.sources_requested = Some(issue.id.clone());
        commands.push(Command::Repo(RepoCommand::ReadSources));
    }
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        match &panel.sources {
            Some((for_issue, Ok(s))) if *for_issue == issue.id => {
                let candidates: Vec<&(String, String)> = s
                    .refs
                    .commits
                    .iter()
                    .filter(|(id, _)| !issue.fix_commits.iter().any(|c| c.id == *id))
                    .collect();
                let shown = panel
                    .fix_pick
                    .as_deref()
                    .and_then(|p| candidates.iter().find(|(id, _)| id == p))
                    .map_or_else(
                        || "pick…".to_owned(),
                        |(id, summary)| format!("{} {summary}", short(id)),
                    );
                ui.push_id(("fix commit pick", issue.id.as_str()), |ui| {
                    egui::ComboBox::from_label("Pick a fix commit")
                        .selected_text(shown)
                        .width(200.0)
                        .show_ui(ui, |ui| {
                            for (id, summary) in &candidates {
                                ui.selectable_value(
                                    &mut panel.fix_pick,
                                    Some(id.clone()),
                                    format!("{} {summary}", short(id)),
                                );
                            }
                        });
                });
                let picked = panel
                    .fix_pick
                    .as_ref()
                    .and_then(|p| candidates.iter().find(|(id, _)| id == p));
                if ui
                    .add_enabled(picked.is_some(), egui::Button::new("Add as fix commit"))
                    .on_disabled_hover_text("Pick a commit in the list first")
                    .clicked()
                    && let Some((id, summary)) = picked
                {
                    commands.push(Command::Repo(RepoCommand::AddFixCommit(
                        crate::core::model::FixCommit {
                            id: id.clone(),
                            branch: s.refs.head_branch.clone().unwrap_or_default(),
                            summary: summary.clone(),
                        },
                    )));
                }
            }
            Some((for_issue, Err(e))) if *for_issue == issue.id => {
                // The guard beside it says why in full; here it is the tooltip.
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "⚠ No list of commits: the repository cannot be read",
                )
                .on_hover_text(e);
            }
            _ => {
                ui.spinner();
                ui.label("reading the repository's commits…");
            }
        }
        if ui
            .button("Read the repository again")
            .on_hover_text("Read its branches, tags and commits again")
            .clicked()
        {
            commands.push(Command::Repo(RepoCommand::ReadSources));
        }
    });
}

/// In the Publish step: push the release branch and the tag to the public
/// remotes (asked first; through the guard), offered only once the release
/// is recorded as published; git's output below.
pub(super) fn push_panel(
    ui: &mut egui::Ui,
    panel: &RepoPanel,
    issue: &str,
    release: Option<&Release>,
    commands: &mut Vec<Command>,
) {
    ui.add_space(6.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_max_width(ui.available_width());
        ui.label(egui::RichText::new("Public git").strong());
        let published = release.is_some_and(|r| r.published.is_some());
        if ui
            .add_enabled(
                published,
                egui::Button::new("Push the fix and the tag to the public remotes"),
            )
            .on_hover_text(
                "git push of the release branch and the release tag to every public remote, \
                 after the guard checked it carries no other issue's embargoed fix",
            )
            .on_disabled_hover_text("Record the release as published first")
            .clicked()
        {
            commands.push(Command::Ask(Box::new(super::command::Confirm {
                message: "Push the release branch and the release tag to every public remote? \
                          A push cannot be taken back."
                    .into(),
                yes: "Push".into(),
                command: Command::Repo(RepoCommand::PushPublic),
                discard_first: false,
            })));
        }
        if !published {
            ui.label(
                egui::RichText::new("Offered once the release is recorded as published.").weak(),
            );
        }
        if let Some((for_issue, result)) = &panel.pushed
            && for_issue == issue
        {
            let (mut text, ok) = match result {
                Ok(out) => (out.as_str(), true),
                Err(e) => (e.as_str(), false),
            };
            if !ok {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    "✖ The push did not go through:",
                );
            }
            let l = ui.label("git's output");
            ui.add(
                egui::TextEdit::multiline(&mut text)
                    .code_editor()
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(l.id);
        }
    });
}
