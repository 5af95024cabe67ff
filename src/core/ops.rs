//! The operations the wizard and the command line share: add, rename and
//! delete issues, mark steps done or skipped, acknowledge checks, plan a
//! release, commit an edited issue with one journal entry per changed
//! field, replace the recipients and a recipient's notice state, and change
//! the project's settings (time, repository, signing key, mail,
//! publication). Each is a pure change of the [`Project`] in memory,
//! journaled with the instant it is given.

use chrono::{DateTime, Utc};

use crate::core::model::{
    Artifact, Credit, CveState, Event, IntakeChannel, Issue, JournalEntry, KeyLocation,
    MailSettings, Member, Milestone, NoticeState, PlaybookRef, Project, PublicationSettings,
    Recipient, Release, ReleaseStrategy, RepoSettings, SigningKeyRef, TimeSettings, Verdict,
};
use crate::core::playbook::{Playbook, Status, step_states};

/// Why an operation was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpError {
    /// No issue has this ID.
    #[error("there is no issue `{0}` in this project (see `embargo check FILE` for the IDs)")]
    NoIssue(String),
    /// The playbook has no step with this key.
    #[error("the playbook has no step `{step}`; its steps are: {known}")]
    NoStep {
        /// The key asked for.
        step: String,
        /// The keys it has.
        known: String,
    },
    /// The step cannot be marked done in its state.
    #[error("step `{step}` cannot be marked done: it is {status}")]
    NotReady {
        /// The step's key.
        step: String,
        /// Its status with the reason.
        status: String,
    },
    /// A skip needs a reason.
    #[error("say why step `{0}` is skipped (the reason goes into the journal)")]
    NoReason(String),
    /// A title must not be empty.
    #[error("an issue needs a title")]
    EmptyTitle,
    /// The issue is in no release.
    #[error("issue `{0}` is not planned into a release yet: plan the release first")]
    NoRelease(String),
    /// No release has this ID.
    #[error("there is no release `{0}` in this project; plan one first (its ID is its version)")]
    NoReleaseId(String),
    /// The issue's release was not recorded as published.
    #[error("the release of `{0}` is not recorded as published, so there is nothing to take back")]
    NotPublished(String),
    /// A release version that cannot become a file name.
    #[error("`{}` cannot be a release version: {}", .0.escape_debug(), crate::core::model::VERSION_RULE)]
    BadVersion(String),
    /// A setting breaks one of its rules (the Project › Settings window).
    #[error(transparent)]
    Setting(#[from] crate::core::settings::SettingError),
    /// A member to add or remove cannot be.
    #[error("{0}")]
    Member(String),
}

/// What to do with a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepAction {
    /// Mark it done.
    Done,
    /// Skip it, with the reason.
    Skip(String),
    /// Open a done or skipped step again.
    Reopen,
}

fn issue_mut<'a>(project: &'a mut Project, id: &str) -> Result<&'a mut Issue, OpError> {
    project
        .issue_mut(id)
        .ok_or_else(|| OpError::NoIssue(id.to_owned()))
}

/// Add a new issue with `title`; returns its ID.
pub fn add_issue(
    project: &mut Project,
    title: &str,
    now: DateTime<Utc>,
) -> Result<String, OpError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(OpError::EmptyTitle);
    }
    let id = project.next_issue_id();
    let mut issue = Issue::new(id.clone(), title, now);
    issue
        .journal
        .push(JournalEntry::new(now, None, Event::Created));
    project.issues.push(issue);
    Ok(id)
}

/// Rename an issue.
pub fn rename_issue(
    project: &mut Project,
    id: &str,
    title: &str,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(OpError::EmptyTitle);
    }
    let issue = issue_mut(project, id)?;
    if issue.title != title {
        issue.title = title.to_owned();
        issue.journal.push(JournalEntry::new(
            now,
            None,
            Event::FieldChanged {
                field: "title".into(),
                value: title.to_owned(),
            },
        ));
    }
    Ok(())
}

/// Delete an issue and take it out of its release. The deletion is recorded
/// in the project journal.
pub fn delete_issue(project: &mut Project, id: &str, now: DateTime<Utc>) -> Result<Issue, OpError> {
    let pos = project
        .issues
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| OpError::NoIssue(id.to_owned()))?;
    let issue = project.issues.remove(pos);
    for r in &mut project.releases {
        r.issues.retain(|i| i != id);
    }
    project.journal.push(
        JournalEntry::new(now, None, Event::Note)
            .with_note(format!("deleted issue {id}: {}", issue.title)),
    );
    Ok(issue)
}

/// Mark a step done, skip it or reopen it, with an optional note.
pub fn mark_step(
    project: &mut Project,
    playbook: &Playbook,
    issue_id: &str,
    step: &str,
    action: StepAction,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    if playbook.step(step).is_none() {
        return Err(OpError::NoStep {
            step: step.to_owned(),
            known: playbook
                .steps
                .iter()
                .map(|s| s.key())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let issue = project
        .issue(issue_id)
        .ok_or_else(|| OpError::NoIssue(issue_id.to_owned()))?;
    let event = match action {
        StepAction::Done => {
            let states = step_states(project, issue, playbook, now);
            let state = states
                .iter()
                .find(|s| s.step.key() == step)
                .expect("the step exists: checked above");
            if matches!(state.status, Status::Blocked(_) | Status::NotApplicable(_)) {
                return Err(OpError::NotReady {
                    step: step.to_owned(),
                    status: state.status.to_string(),
                });
            }
            Event::StepDone
        }
        StepAction::Skip(reason) => {
            let reason = reason.trim().to_owned();
            if reason.is_empty() {
                return Err(OpError::NoReason(step.to_owned()));
            }
            Event::StepSkipped { reason }
        }
        StepAction::Reopen => Event::StepReopened,
    };
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(now, Some(step), event).with_note(note.trim()));
    Ok(())
}

/// Acknowledge a failing check of a step: the coordinator knows and accepts it.
pub fn acknowledge_check(
    project: &mut Project,
    issue_id: &str,
    step: &str,
    check: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    issue_mut(project, issue_id)?.journal.push(
        JournalEntry::new(
            now,
            Some(step),
            Event::CheckAcknowledged {
                check: check.to_owned(),
            },
        )
        .with_note(note.trim()),
    );
    Ok(())
}

/// Plan the issue into a release with `version` at `planned`, creating the
/// release if no release of that version exists. The issue leaves any other
/// release.
pub fn plan_release(
    project: &mut Project,
    issue_id: &str,
    version: &str,
    planned: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    issue_mut(project, issue_id)?;
    let version = version.trim();
    if !crate::core::model::is_valid_version(version) {
        return Err(OpError::BadVersion(version.to_owned()));
    }
    for r in &mut project.releases {
        if r.version != version {
            r.issues.retain(|i| i != issue_id);
        }
    }
    match project.releases.iter_mut().find(|r| r.version == version) {
        Some(r) => {
            r.planned = planned;
            if !r.issues.iter().any(|i| i == issue_id) {
                r.issues.push(issue_id.to_owned());
            }
        }
        None => project.releases.push(Release {
            id: version.to_owned(),
            version: version.to_owned(),
            planned,
            published: None,
            base_tag: None,
            issues: vec![issue_id.to_owned()],
            artifacts: Vec::new(),
            milestones: Default::default(),
            shares: Vec::new(),
        }),
    }
    let value = match planned {
        Some(p) => format!("{version} at {}", p.format("%Y-%m-%d %H:%M UTC")),
        None => version.to_owned(),
    };
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            now,
            Some("release_plan"),
            Event::FieldChanged {
                field: "release".into(),
                value,
            },
        ));
    Ok(())
}

/// Move a milestone of the issue's release to `at`, or back to its default
/// offset from the release with `None`.
pub fn move_milestone(
    project: &mut Project,
    issue_id: &str,
    milestone: Milestone,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    issue_mut(project, issue_id)?;
    let release = project
        .releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == issue_id))
        .ok_or_else(|| OpError::NoRelease(issue_id.to_owned()))?;
    let value = match at {
        Some(t) => {
            release.milestones.insert(milestone, t);
            t.format("%Y-%m-%d %H:%M UTC").to_string()
        }
        None => {
            release.milestones.remove(&milestone);
            "default".to_owned()
        }
    };
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            now,
            Some("release_plan"),
            Event::FieldChanged {
                field: format!("milestone {}", milestone.label()),
                value,
            },
        ));
    Ok(())
}

/// Replace the project's time settings, journaled in the project.
pub fn set_time(project: &mut Project, time: TimeSettings, now: DateTime<Utc>) {
    if project.time == time {
        return;
    }
    let zones: Vec<&str> = time.zones.iter().map(|z| z.name()).collect();
    let value = format!(
        "home {}, zones {}, release at {:02}:{:02} {}, {} blackout(s)",
        time.home_zone.name(),
        zones.join(" "),
        time.anchor.hour,
        time.anchor.minute,
        time.anchor.zone.name(),
        time.blackouts.len()
    );
    project.time = time;
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "time settings".into(),
            value,
        },
    ));
}

/// Replace the share credentials of release `release_id` with `shares`,
/// journaling `what` in the issue (never a password: the caller passes
/// hashes only).
pub fn set_shares(
    project: &mut Project,
    issue_id: &str,
    release_id: &str,
    shares: Vec<crate::core::model::ShareCredential>,
    what: &str,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let release = release_mut(project, release_id)?;
    release.shares = shares;
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            now,
            Some("embargoed_share"),
            Event::FieldChanged {
                field: "share credentials".into(),
                value: what.to_owned(),
            },
        ));
    Ok(())
}

/// Set the project's embargoed download address (`{version}` marks the
/// release's version); journaled in the project.
pub fn set_embargo_url(project: &mut Project, url: &str, now: DateTime<Utc>) {
    let url = url.trim();
    if project.publication.embargo_url == url {
        return;
    }
    project.publication.embargo_url = url.to_owned();
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "embargoed download address".into(),
            value: url.to_owned(),
        },
    ));
}

/// Replace the project's repository settings; journaled in the project.
pub fn set_repo(project: &mut Project, repo: RepoSettings, now: DateTime<Utc>) {
    if project.repo == repo {
        return;
    }
    let value = format!(
        "{}; public {}; private {}",
        repo.path,
        repo.public_remotes.join(" "),
        repo.private_remotes.join(" ")
    );
    project.repo = repo;
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "repository".into(),
            value,
        },
    ));
}

/// Set (or clear) the project's signing key; journaled in the project.
pub fn set_signing_key(project: &mut Project, key: Option<SigningKeyRef>, now: DateTime<Utc>) {
    if project.signing == key {
        return;
    }
    let value = match &key {
        None => String::new(),
        Some(k) => match &k.location {
            KeyLocation::GpgAgent { homedir: None } => format!("{} in gpg-agent", k.fingerprint),
            KeyLocation::GpgAgent { homedir: Some(h) } => {
                format!("{} in gpg-agent ({h})", k.fingerprint)
            }
            KeyLocation::KeyFile { path } => format!("key file {path}"),
        },
    };
    project.signing = key;
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "signing key".into(),
            value,
        },
    ));
}

/// Mark the issue's release as published at `at`.
pub fn publish_release(
    project: &mut Project,
    issue_id: &str,
    at: DateTime<Utc>,
) -> Result<(), OpError> {
    issue_mut(project, issue_id)?;
    if let Some(r) = project
        .releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == issue_id))
    {
        r.published = Some(at);
    }
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            at,
            Some("publish_release"),
            Event::FieldChanged {
                field: "published".into(),
                value: at.format("%Y-%m-%d %H:%M UTC").to_string(),
            },
        ));
    Ok(())
}

/// Take back the record that the issue's release went public (a click
/// made too early): it is planned again, unpublished, journaled as the
/// publication was. Returns the instant the record said. What went public
/// meanwhile (mails, expired download credentials) stays as it is.
pub fn unpublish_release(
    project: &mut Project,
    issue_id: &str,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, OpError> {
    issue_mut(project, issue_id)?;
    let release = project
        .releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == issue_id))
        .ok_or_else(|| OpError::NoRelease(issue_id.to_owned()))?;
    let was = release
        .published
        .take()
        .ok_or_else(|| OpError::NotPublished(issue_id.to_owned()))?;
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            now,
            Some("publish_release"),
            Event::FieldChanged {
                field: "published".into(),
                value: String::new(),
            },
        ));
    Ok(was)
}

/// A span of time for people: "6 days 2 hours", "3 hours", "12 minutes".
pub fn fmt_span(span: chrono::TimeDelta) -> String {
    let span = span.abs();
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    let (days, hours) = (span.num_days(), span.num_hours() % 24);
    match (days, hours) {
        (0, 0) => plural(span.num_minutes(), "minute"),
        (0, h) => plural(h, "hour"),
        (d, 0) => plural(d, "day"),
        (d, h) => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

/// How far publishing at `at` lies from the planned release instant, as
/// the confirmation of "Record as published now" and `embargo publish`
/// say it: "6 days 2 hours before the planned release (Tue 2026-12-01
/// 14:00 UTC)".
pub fn publication_offset(planned: Option<DateTime<Utc>>, at: DateTime<Utc>) -> String {
    let Some(planned) = planned else {
        return "with no release instant planned".to_owned();
    };
    let when = planned.format("%a %Y-%m-%d %H:%M UTC");
    let span = planned - at;
    if span.num_minutes() == 0 {
        format!("at the planned release ({when})")
    } else if span > chrono::TimeDelta::zero() {
        format!("{} before the planned release ({when})", fmt_span(span))
    } else {
        format!("{} after the planned release ({when})", fmt_span(span))
    }
}

/// Set (or, with an empty `tag`, clear) the base tag of the issue's
/// release: the tag the standalone patch starts from. Journaled in the
/// issue under `step` (the build step's key); nothing changes when it is
/// the same.
pub fn set_base_tag(
    project: &mut Project,
    issue_id: &str,
    tag: &str,
    step: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    issue_mut(project, issue_id)?;
    let tag = tag.trim();
    let value = (!tag.is_empty()).then(|| tag.to_owned());
    let release = project
        .releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == issue_id))
        .ok_or_else(|| OpError::NoRelease(issue_id.to_owned()))?;
    if release.base_tag == value {
        return Ok(());
    }
    release.base_tag = value;
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            now,
            step,
            Event::FieldChanged {
                field: "base tag".into(),
                value: if tag.is_empty() {
                    "none".into()
                } else {
                    tag.to_owned()
                },
            },
        ));
    Ok(())
}

/// Journal in the issue that its release's `branch` and `tag` were pushed
/// to the public `remotes` (under `step`, the step that pushed).
pub fn record_push(
    project: &mut Project,
    issue_id: &str,
    branch: &str,
    tag: &str,
    remotes: &[String],
    step: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    issue_mut(project, issue_id)?
        .journal
        .push(JournalEntry::new(
            now,
            step,
            Event::FieldChanged {
                field: "pushed to public git".into(),
                value: format!("{branch} and {tag} to {}", remotes.join(", ")),
            },
        ));
    Ok(())
}

fn release_mut<'p>(project: &'p mut Project, release_id: &str) -> Result<&'p mut Release, OpError> {
    project
        .releases
        .iter_mut()
        .find(|r| r.id == release_id)
        .ok_or_else(|| OpError::NoReleaseId(release_id.to_owned()))
}

/// Record files made for release `release_id` (signed tarballs and
/// patches, checksum lists): an artifact with the same path is replaced.
/// Each is journaled in the project and in every issue of the release.
pub fn record_artifacts(
    project: &mut Project,
    release_id: &str,
    artifacts: Vec<Artifact>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let release = release_mut(project, release_id)?;
    let issues = release.issues.clone();
    let mut entries = Vec::new();
    for artifact in artifacts {
        let what = match &artifact.signer {
            Some(signer) => format!("{} (signed by {signer})", artifact.path),
            None => artifact.path.clone(),
        };
        entries.push(JournalEntry::new(
            now,
            Some("build_and_sign"),
            Event::ArtifactMade { path: what },
        ));
        match release
            .artifacts
            .iter_mut()
            .find(|a| a.path == artifact.path)
        {
            Some(old) => *old = artifact,
            None => release.artifacts.push(artifact),
        }
    }
    for issue in project.issues.iter_mut().filter(|i| issues.contains(&i.id)) {
        issue.journal.extend(entries.iter().cloned());
    }
    project.journal.extend(entries);
    Ok(())
}

fn short(s: String) -> String {
    const MAX: usize = 80;
    let one_line = s.replace('\n', " ");
    if one_line.chars().count() > MAX {
        let cut: String = one_line.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

fn cve_text(c: &CveState) -> String {
    match c {
        CveState::NotNeeded => "not needed".into(),
        CveState::ToRequest => "to request".into(),
        CveState::Requested => "requested".into(),
        CveState::Assigned { id } => id.clone(),
    }
}

fn credit_text(c: Option<&Credit>) -> String {
    match c {
        None => "not asked".into(),
        Some(Credit::Anonymous) => "anonymous".into(),
        Some(Credit::Named(n)) => format!("credit as {n}"),
    }
}

fn intake_text(c: &IntakeChannel) -> String {
    match c {
        IntakeChannel::Unrecorded => "not recorded".into(),
        IntakeChannel::Mail { from, subject, .. } => format!("mail from {from}: {subject}"),
        IntakeChannel::PublicIssue { url } => url.clone(),
    }
}

fn yes_no(b: Option<bool>) -> String {
    match b {
        None => "not asked".into(),
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
    }
}

fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

/// A CVSS vector that was checked: what the issue keeps and its base score.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedCvss {
    /// The vector with its version, as the issue keeps it.
    pub cvss: crate::core::model::Cvss,
    /// Its base score, 0.0 to 10.0.
    pub score: f64,
    /// The score's rating: `NONE`, `LOW`, `MEDIUM`, `HIGH` or `CRITICAL`.
    pub rating: String,
}

/// Check a CVSS 3.1 or 4.0 vector typed for an issue, as the wizard's field
/// (while it is typed) and `embargo issue set cvss` both do: `Ok(None)` for
/// an empty one (it clears the vector), the vector and its base score when
/// it can be scored, else why not (the vector is then not kept).
pub fn check_cvss(vector: &str) -> Result<Option<CheckedCvss>, String> {
    let Some(cvss) = cvss_of(vector) else {
        return Ok(None);
    };
    let score = crate::core::render::cve::cvss_score(cvss.version, &cvss.vector)?;
    Ok(Some(CheckedCvss {
        cvss,
        score: score.base_score,
        rating: score.base_severity,
    }))
}

/// The fields of an issue a person edits, with a short rendering of each.
fn fields(i: &Issue) -> Vec<(&'static str, String)> {
    vec![
        ("title", i.title.clone()),
        ("intake", intake_text(&i.intake.channel)),
        (
            "received",
            i.intake.received.format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        ("reporter name", i.reporter.name.clone()),
        ("reporter contact", i.reporter.contact.clone()),
        ("credit", credit_text(i.reporter.credit.as_ref())),
        (
            "reporter deadline",
            i.reporter
                .deadline
                .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
                .unwrap_or_default(),
        ),
        ("reporter has CVE", yes_no(i.reporter.has_cve)),
        (
            "verdict",
            match i.verdict {
                Verdict::Pending => "pending",
                Verdict::Security => "security issue",
                Verdict::NotSecurity => "not a security issue",
            }
            .into(),
        ),
        ("CVE", cve_text(&i.cve)),
        (
            "other IDs",
            list(&i.other_ids, |x| format!("{} {}", x.scheme, x.id)),
        ),
        (
            "severity",
            i.severity.map(|s| s.to_string()).unwrap_or_default(),
        ),
        ("severity confirmed by", i.severity_confirmed_by.clone()),
        (
            "CVSS",
            i.cvss
                .as_ref()
                .map(|c| c.vector.clone())
                .unwrap_or_default(),
        ),
        (
            "impact kind",
            i.impact_kind
                .map(|k| k.label().to_owned())
                .unwrap_or_default(),
        ),
        (
            "affected versions",
            list(&i.affected, |r| match &r.fixed {
                Some(f) => format!("{} before {f}", r.introduced),
                None => format!("{} and later", r.introduced),
            }),
        ),
        ("description", i.description.clone()),
        ("impact", i.impact.clone()),
        ("mitigation", i.mitigation.clone()),
        ("CWE", i.cwe.clone().unwrap_or_default()),
        ("actively exploited", i.actively_exploited.to_string()),
        ("exploited since", utc_text(i.exploited_aware)),
        ("CRA early warning", utc_text(i.cra.early_warning)),
        ("CRA notification", utc_text(i.cra.notification)),
        ("CRA final report", utc_text(i.cra.final_report)),
        (
            "proof of concept shared with the distros list",
            yes_no(Some(i.poc_shared_with_distros)),
        ),
        ("proof of concept posted", utc_text(i.poc_posted)),
        (
            "strategy",
            match i.strategy {
                None => String::new(),
                Some(ReleaseStrategy::PatchLevel) => "patch-level release".into(),
                Some(ReleaseStrategy::NextRelease) => "next release".into(),
            },
        ),
        (
            "fix commits",
            list(&i.fix_commits, |c| format!("{} on {}", c.id, c.branch)),
        ),
        (
            "introducing commit",
            i.introduced_commit.clone().unwrap_or_default(),
        ),
        ("early advisory", i.early_advisory.clone()),
    ]
}

/// Replace the issue with the same ID by `edited`, journaling each changed
/// field under `step`. Step notes are kept as edited; the journal is the
/// stored one (an edit never rewrites history). Returns how many fields
/// changed.
pub fn commit_issue(
    project: &mut Project,
    edited: &Issue,
    step: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, OpError> {
    let current = issue_mut(project, &edited.id)?;
    let before = fields(current);
    let after = fields(edited);
    let journal = std::mem::take(&mut current.journal);
    *current = edited.clone();
    current.journal = journal;
    let mut changed = 0;
    for ((field, old), (_, new)) in before.into_iter().zip(after) {
        if old != new {
            changed += 1;
            current.journal.push(JournalEntry::new(
                now,
                step,
                Event::FieldChanged {
                    field: field.to_owned(),
                    value: short(new),
                },
            ));
        }
    }
    Ok(changed)
}

/// The CVSS vector typed for an issue: `None` when empty, else the vector
/// (trimmed) with its version read from its prefix (`CVSS:4.0` is 4.0,
/// anything else 3.1), as the wizard's field and `embargo issue set cvss`
/// both take it.
pub fn cvss_of(vector: &str) -> Option<crate::core::model::Cvss> {
    use crate::core::model::{Cvss, CvssVersion};
    let vector = vector.trim();
    if vector.is_empty() {
        return None;
    }
    let version = if vector.starts_with("CVSS:4.0") {
        CvssVersion::V4_0
    } else {
        CvssVersion::V3_1
    };
    Some(Cvss {
        version,
        vector: vector.to_owned(),
    })
}

fn utc_text(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// The fields of an issue a person edits, each with the short rendering
/// that [`commit_issue`] journals (`embargo issue show` prints them).
pub fn issue_fields(issue: &Issue) -> Vec<(&'static str, String)> {
    fields(issue)
}

fn notice_text(n: &NoticeState) -> String {
    let mut parts = Vec::new();
    if let Some(at) = n.notified_at {
        let id = if n.message_id.is_empty() {
            String::new()
        } else {
            format!(" ({})", n.message_id)
        };
        parts.push(format!("notified {}{id}", at.format("%Y-%m-%d %H:%M UTC")));
    }
    parts.push(
        match n.accepted {
            None => "embargo not answered",
            Some(true) => "accepted the embargo",
            Some(false) => "declined the embargo",
        }
        .to_owned(),
    );
    if n.wants_patch {
        parts.push("wants the patch".to_owned());
    }
    parts.join(", ")
}

/// What changed between two lists of recipients, address by address: who
/// was added, removed or changed (with the role, certificate and
/// encryption each now has).
fn recipients_change(old: &[Recipient], new: &[Recipient]) -> String {
    list_change(
        old,
        new,
        |r| &r.address,
        |r| {
            let cert = match &r.cert_fingerprint {
                Some(f) => format!(", certificate {f}"),
                None => String::new(),
            };
            let encrypt = if r.must_encrypt { ", encrypted" } else { "" };
            format!("{} ({}{cert}{encrypt})", r.address.trim(), r.role.short())
        },
    )
}

/// What changed between two lists whose items are known by an address
/// (compared without case or surrounding blanks): each item added or
/// changed, as `what` describes it, then each removed, by its address;
/// "reordered" when nothing else changed.
fn list_change<T: PartialEq>(
    old: &[T],
    new: &[T],
    address: impl Fn(&T) -> &str,
    what: impl Fn(&T) -> String,
) -> String {
    let same = |a: &T, b: &T| address(a).trim().eq_ignore_ascii_case(address(b).trim());
    let mut parts = Vec::new();
    for n in new {
        match old.iter().find(|o| same(o, n)) {
            None => parts.push(format!("added {}", what(n))),
            Some(o) if o != n => parts.push(format!("changed {}", what(n))),
            Some(_) => {}
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|n| same(o, n))) {
        parts.push(format!("removed {}", address(o).trim()));
    }
    if parts.is_empty() {
        parts.push("reordered".to_owned());
    }
    parts.join("; ")
}

/// Take `states` into the notice state of issue `issue_id`: each replaces the
/// state of its address (compared without case) where it stands, or is
/// added; the state of every other address is kept. Each state that changes is journaled in the issue.
pub fn set_notices(
    project: &mut Project,
    issue_id: &str,
    states: Vec<NoticeState>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    let issue = issue_mut(project, issue_id)?;
    let mut entries = Vec::new();
    for state in &states {
        let before = issue
            .notice(&state.recipient)
            .cloned()
            .unwrap_or_else(|| NoticeState::new(state.recipient.clone()));
        let after = NoticeState {
            recipient: before.recipient.clone(),
            ..state.clone()
        };
        if before != after {
            entries.push(JournalEntry::new(
                now,
                None,
                Event::FieldChanged {
                    field: format!("notice state of {}", state.recipient),
                    value: notice_text(state),
                },
            ));
        }
    }
    for state in states {
        match issue
            .notices
            .iter_mut()
            .find(|n| n.recipient.eq_ignore_ascii_case(&state.recipient))
        {
            Some(n) => *n = state,
            None => issue.notices.push(state),
        }
    }
    issue.journal.extend(entries);
    Ok(())
}

/// Replace the project's recipients (the recipients window's Apply, `embargo
/// recipients`), and take `notices` into an issue's notice state (see
/// [`set_notices`]). A change of the recipients is journaled in the project.
pub fn set_recipients(
    project: &mut Project,
    recipients: Vec<Recipient>,
    notices: Option<(String, Vec<NoticeState>)>,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    if let Some((id, _)) = &notices {
        issue_mut(project, id)?;
    }
    if project.recipients != recipients {
        project.journal.push(JournalEntry::new(
            now,
            None,
            Event::FieldChanged {
                field: "recipients".into(),
                value: recipients_change(&project.recipients, &recipients),
            },
        ));
        project.recipients = recipients;
    }
    if let Some((id, states)) = notices {
        set_notices(project, &id, states, now)?;
    }
    Ok(())
}

/// Replace the project's team (`embargo members`, the members window):
/// journaled in the project, member by member, as the recipients are. For
/// a project encrypted to its team, the next save encrypts to the new list.
pub fn set_members(project: &mut Project, members: Vec<Member>, now: DateTime<Utc>) {
    if project.members == members {
        return;
    }
    let value = list_change(
        &project.members,
        &members,
        |m| &m.address,
        |m| match &m.cert_fingerprint {
            Some(f) => format!("{} <{}> (certificate {f})", m.name.trim(), m.address.trim()),
            None => format!("{} <{}>", m.name.trim(), m.address.trim()),
        },
    );
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "members".into(),
            value,
        },
    ));
    project.members = members;
}

/// Add `member` to the team (the members window's Add, `embargo members
/// add`), journaled: refused when the address is not one or is a member's
/// already.
pub fn add_member(
    project: &mut Project,
    member: Member,
    now: DateTime<Utc>,
) -> Result<(), OpError> {
    check_new_member(project, &member)?;
    let mut members = project.members.clone();
    members.push(member);
    set_members(project, members, now);
    Ok(())
}

/// Why `member` cannot be added to the team: an address that is not one,
/// or one a member has already.
pub fn check_new_member(project: &Project, member: &Member) -> Result<(), OpError> {
    let address = member.address.trim();
    if !crate::core::model::looks_like_address(address) {
        return Err(OpError::Member(format!(
            "`{}` is not a mail address (name@domain)",
            address.escape_debug()
        )));
    }
    if project.member(address).is_some() {
        return Err(OpError::Member(format!(
            "{address} is a member already; change them with `embargo members set`"
        )));
    }
    Ok(())
}

/// Where the member with `address` (compared without case or surrounding
/// blanks) is in the team, or an error listing the members.
pub fn member_position(project: &Project, address: &str) -> Result<usize, OpError> {
    let address = address.trim();
    project
        .members
        .iter()
        .position(|m| m.address.trim().eq_ignore_ascii_case(address))
        .ok_or_else(|| {
            let known: Vec<&str> = project.members.iter().map(|m| m.address.as_str()).collect();
            OpError::Member(format!(
                "`{address}` is not a member; the members are: {}",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ))
        })
}

/// Remove the member with `address` from the team (journaled); the member
/// removed, or why not.
pub fn remove_member(
    project: &mut Project,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Member, OpError> {
    let i = member_position(project, address)?;
    let mut members = project.members.clone();
    let removed = members.remove(i);
    set_members(project, members, now);
    Ok(removed)
}

/// Replace the project's outgoing mail settings (never a secret: the SMTP
/// password is asked when sending); journaled in the project.
pub fn set_mail(project: &mut Project, mail: MailSettings, now: DateTime<Utc>) {
    if project.mail == mail {
        return;
    }
    let ca = if mail.smtp_ca.is_empty() {
        String::new()
    } else {
        format!(", CA {}", mail.smtp_ca)
    };
    let value = format!(
        "from {}; server {}:{}; user {}{ca}",
        mail.from, mail.smtp_host, mail.smtp_port, mail.smtp_user
    );
    project.mail = mail;
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "mail settings".into(),
            value,
        },
    ));
}

/// Set the playbook the project follows (a built-in one or a file's path);
/// journaled in the project. The caller loads the playbook itself first,
/// so a playbook that does not load is never set.
pub fn set_playbook(project: &mut Project, playbook: PlaybookRef, now: DateTime<Utc>) {
    if project.playbook == playbook {
        return;
    }
    let value = match &playbook {
        PlaybookRef::Builtin(name) => format!("built-in {name}"),
        PlaybookRef::File(path) => format!("file {path}"),
    };
    project.playbook = playbook;
    project.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "playbook".into(),
            value,
        },
    ));
}

/// Replace what the advisories and records say about the project (names,
/// CNA, addresses); one journal entry in the project per changed field. The
/// embargoed download address goes through [`set_embargo_url`], as the
/// app's download panel sets it.
pub fn set_publication(
    project: &mut Project,
    publication: PublicationSettings,
    now: DateTime<Utc>,
) {
    set_embargo_url(project, &publication.embargo_url, now);
    let old = &project.publication;
    let changed: Vec<(&str, String)> = [
        ("vendor", &old.vendor, &publication.vendor),
        ("product", &old.product, &publication.product),
        (
            "CNA organisation ID",
            &old.cna_org_id,
            &publication.cna_org_id,
        ),
        (
            "CNA short name",
            &old.cna_short_name,
            &publication.cna_short_name,
        ),
        (
            "public repository address",
            &old.repo_url,
            &publication.repo_url,
        ),
        ("commit address", &old.commit_url, &publication.commit_url),
        (
            "advisory address",
            &old.advisory_url,
            &publication.advisory_url,
        ),
        (
            "download address",
            &old.download_url,
            &publication.download_url,
        ),
        (
            "severity policy address",
            &old.severity_policy_url,
            &publication.severity_policy_url,
        ),
        (
            "OSV database prefix",
            &old.osv_prefix,
            &publication.osv_prefix,
        ),
    ]
    .into_iter()
    .filter(|(_, a, b)| a != b)
    .map(|(field, _, b)| (field, b.trim().to_owned()))
    .collect();
    let mut changed = changed;
    if old.ships_in_eu != publication.ships_in_eu {
        let yes = if publication.ships_in_eu { "yes" } else { "no" };
        changed.push(("ships in the EU (Cyber Resilience Act)", yes.to_owned()));
    }
    if old.id_authority != publication.id_authority {
        let value = publication.id_authority.map_or_else(
            || "as the playbook says".to_owned(),
            crate::core::model::IdAuthority::describe,
        );
        changed.push(("identifiers", value));
    }
    let embargo_url = project.publication.embargo_url.clone();
    project.publication = PublicationSettings {
        embargo_url,
        ..publication
    };
    for (field, value) in changed {
        project.journal.push(JournalEntry::new(
            now,
            None,
            Event::FieldChanged {
                field: field.to_owned(),
                value,
            },
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cvss_vector_is_scored_or_refused_with_the_reason() {
        assert_eq!(check_cvss("  "), Ok(None));
        let v = check_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
            .expect("valid")
            .expect("a vector");
        assert_eq!((v.score, v.rating.as_str()), (9.8, "CRITICAL"));
        assert_eq!(v.cvss.version, crate::core::model::CvssVersion::V3_1);
        let e = check_cvss("CVSS:3.1/AV:N/AC:Q").expect_err("invalid");
        assert!(e.contains("CVSS:3.1/AV:N/AC:Q"), "{e}");
        assert!(check_cvss("AV:N/AC:L").is_err(), "no version prefix");
    }
    use crate::core::model::{PlaybookRef, Severity};
    use crate::core::playbook::builtin;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
            .expect("valid")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_publication_is_taken_back_and_journaled_both_ways() {
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "bug", now()).expect("added");
        let planned = DateTime::parse_from_rfc3339("2026-11-29T14:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        plan_release(&mut p, &id, "1.0.1", Some(planned), now()).expect("planned");
        assert_eq!(
            unpublish_release(&mut p, &id, now()),
            Err(OpError::NotPublished(id.clone()))
        );
        let early = now() - chrono::TimeDelta::hours(2);
        publish_release(&mut p, &id, early).expect("published");
        assert_eq!(unpublish_release(&mut p, &id, now()), Ok(early));
        assert_eq!(p.releases[0].published, None);
        assert_eq!(p.releases[0].planned, Some(planned), "still planned");
        let events: Vec<String> = p.issues[0]
            .journal
            .iter()
            .filter(|e| e.step.as_deref() == Some("publish_release"))
            .map(|e| e.event.describe())
            .collect();
        assert_eq!(
            events,
            ["published set to 2026-11-23 10:00 UTC", "published cleared"]
        );
    }

    #[test]
    fn the_offset_from_the_planned_release_is_said_in_days_and_hours() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("valid")
                .with_timezone(&Utc)
        };
        let planned = Some(at("2026-12-01T14:00:00Z"));
        assert_eq!(
            publication_offset(planned, at("2026-11-25T12:00:00Z")),
            "6 days 2 hours before the planned release (Tue 2026-12-01 14:00 UTC)"
        );
        assert_eq!(
            publication_offset(planned, at("2026-12-01T17:00:00Z")),
            "3 hours after the planned release (Tue 2026-12-01 14:00 UTC)"
        );
        assert_eq!(
            publication_offset(planned, at("2026-12-01T14:00:20Z")),
            "at the planned release (Tue 2026-12-01 14:00 UTC)"
        );
        assert_eq!(
            publication_offset(planned, at("2026-11-30T14:00:00Z")),
            "1 day before the planned release (Tue 2026-12-01 14:00 UTC)"
        );
        assert_eq!(
            publication_offset(planned, at("2026-12-01T13:48:00Z")),
            "12 minutes before the planned release (Tue 2026-12-01 14:00 UTC)"
        );
        assert_eq!(
            publication_offset(None, at("2026-12-01T13:48:00Z")),
            "with no release instant planned"
        );
    }

    #[test]
    fn record_artifacts_replaces_by_path_and_journals() {
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "bug", now()).expect("added");
        let art = |sha: &str| Artifact {
            path: "/r/x-1.0.1.tar.xz".into(),
            kind: crate::core::model::ArtifactKind::Tarball,
            size: 3,
            sha256: sha.into(),
            signature: Some("/r/x-1.0.1.tar.xz.asc".into()),
            signer: Some("ABCD".into()),
        };
        assert_eq!(
            record_artifacts(&mut p, "1.0.1", vec![art("aa")], now()),
            Err(OpError::NoReleaseId("1.0.1".into()))
        );
        plan_release(&mut p, &id, "1.0.1", None, now()).expect("planned");
        record_artifacts(&mut p, "1.0.1", vec![art("aa")], now()).expect("recorded");
        record_artifacts(&mut p, "1.0.1", vec![art("bb")], now()).expect("recorded");
        assert_eq!(p.releases[0].artifacts, vec![art("bb")]);
        let journaled = |j: &[JournalEntry]| {
            j.iter()
                .filter(|e| matches!(&e.event, Event::ArtifactMade { path } if path.contains("signed by ABCD")))
                .count()
        };
        assert_eq!(journaled(&p.issues[0].journal), 2);
        assert_eq!(journaled(&p.journal), 2);
    }

    #[test]
    fn a_version_that_cannot_be_a_file_name_is_not_planned() {
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "bug", now()).expect("added");
        let before = p.clone();
        for bad in ["../../x", ".1", "1.0/evil", "4.12.3 final", ""] {
            let e = plan_release(&mut p, &id, bad, None, now()).expect_err(bad);
            assert!(
                e.to_string()
                    .contains("cannot be a release version: a version may hold only"),
                "{e}"
            );
            assert_eq!(p, before, "nothing changed for {bad:?}");
        }
        plan_release(&mut p, &id, " 4.99.3-rc1 ", None, now()).expect("planned");
        assert_eq!(p.releases[0].version, "4.99.3-rc1");
    }

    #[test]
    fn add_rename_delete() {
        let mut p = Project::new("Mail Server", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "  Overflow ", now()).expect("added");
        assert_eq!(id, "MAIL-SERVER-1");
        assert_eq!(p.issues[0].title, "Overflow");
        assert_eq!(add_issue(&mut p, " ", now()), Err(OpError::EmptyTitle));
        rename_issue(&mut p, &id, "Heap overflow", now()).expect("renamed");
        assert_eq!(p.issues[0].journal.len(), 2);
        plan_release(&mut p, &id, "1.0.1", None, now()).expect("planned");
        delete_issue(&mut p, &id, now()).expect("deleted");
        assert!(p.issues.is_empty());
        assert!(p.releases[0].issues.is_empty());
        assert_eq!(
            delete_issue(&mut p, &id, now()).map(|_| ()),
            Err(OpError::NoIssue(id))
        );
    }

    #[test]
    fn marking_steps_follows_their_status() {
        let book = builtin("exim").expect("builtin");
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "bug", now()).expect("added");
        let err = mark_step(&mut p, &book, &id, "no_friday", StepAction::Done, "", now())
            .expect_err("blocked");
        assert!(matches!(err, OpError::NotReady { .. }), "{err}");
        let err = mark_step(&mut p, &book, &id, "nope", StepAction::Done, "", now())
            .expect_err("unknown");
        assert!(
            err.to_string().contains("intake_record"),
            "lists the known steps: {err}"
        );
        let err = mark_step(
            &mut p,
            &book,
            &id,
            "no_friday",
            StepAction::Skip(" ".into()),
            "",
            now(),
        );
        assert_eq!(err, Err(OpError::NoReason("no_friday".into())));
        mark_step(
            &mut p,
            &book,
            &id,
            "keep_notes",
            StepAction::Done,
            "journal it is",
            now(),
        )
        .expect("ready step");
        let last = p.issues[0].journal.last().expect("journaled");
        assert_eq!(last.event, Event::StepDone);
        assert_eq!(last.note, "journal it is");
    }

    #[test]
    fn recipients_and_notice_state_are_replaced_and_journaled() {
        use crate::core::model::RecipientRole;
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "bug", now()).expect("added");
        let distros = Recipient::new("distros", "distros@vs.openwall.org", RecipientRole::Distros);
        let vendor = Recipient::new("", "sec@v.example", RecipientRole::Vendor);
        let mut kept = NoticeState::new("gone@old.example");
        kept.accepted = Some(true);
        p.issues[0].notices.push(kept.clone());
        let mut accepted = NoticeState::new("DISTROS@vs.openwall.org");
        accepted.accepted = Some(true);
        accepted.wants_patch = true;
        set_recipients(
            &mut p,
            vec![distros.clone(), vendor.clone()],
            Some((
                id.clone(),
                vec![accepted.clone(), NoticeState::new("sec@v.example")],
            )),
            now(),
        )
        .expect("set");
        assert_eq!(p.recipients, vec![distros.clone(), vendor]);
        assert_eq!(p.journal.len(), 1);
        assert!(
            matches!(&p.journal[0].event, Event::FieldChanged { field, value }
            if field == "recipients" && value == "added distros@vs.openwall.org (distros); added sec@v.example (vendor)")
        );
        let i = &p.issues[0];
        assert_eq!(
            i.notices.len(),
            3,
            "the state of an address no longer listed is kept"
        );
        assert_eq!(i.notice("distros@vs.openwall.org"), Some(&accepted));
        // Only the state that changed is journaled.
        assert_eq!(i.journal.len(), 2);
        assert_eq!(
            i.journal[1].event,
            Event::FieldChanged {
                field: "notice state of DISTROS@vs.openwall.org".into(),
                value: "accepted the embargo, wants the patch".into()
            }
        );
        // The same again changes nothing and journals nothing.
        let before = p.clone();
        set_recipients(
            &mut p,
            before.recipients.clone(),
            Some((id.clone(), vec![accepted])),
            now(),
        )
        .expect("set");
        assert_eq!(p, before);
        assert_eq!(
            set_recipients(&mut p, vec![distros], Some(("X-9".into(), vec![])), now()),
            Err(OpError::NoIssue("X-9".into()))
        );
        assert_eq!(p, before, "refused before anything changed");
    }

    #[test]
    fn mail_and_publication_settings_are_journaled_per_change() {
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let mail = MailSettings {
            from: "X <sec@x.example>".into(),
            smtp_host: "smtp.x.example".into(),
            smtp_port: 587,
            smtp_user: "sec".into(),
            smtp_ca: String::new(),
        };
        set_mail(&mut p, mail.clone(), now());
        set_mail(&mut p, mail.clone(), now());
        assert_eq!(p.mail, mail);
        assert_eq!(p.journal.len(), 1);
        let mut publication = p.publication.clone();
        publication.vendor = "X Org".into();
        publication.embargo_url = "https://s.x.example/{version}/".into();
        set_publication(&mut p, publication.clone(), now());
        assert_eq!(p.publication, publication);
        let fields: Vec<&str> = p
            .journal
            .iter()
            .map(|e| match &e.event {
                Event::FieldChanged { field, .. } => field.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(
            fields,
            ["mail settings", "embargoed download address", "vendor"]
        );
        set_publication(&mut p, publication, now());
        assert_eq!(p.journal.len(), 3, "nothing changed, nothing journaled");
    }

    #[test]
    fn a_cvss_vector_takes_its_version_from_its_prefix() {
        use crate::core::model::CvssVersion;
        assert_eq!(cvss_of("  "), None);
        assert_eq!(
            cvss_of(" CVSS:4.0/AV:N ").map(|c| (c.version, c.vector)),
            Some((CvssVersion::V4_0, "CVSS:4.0/AV:N".to_owned()))
        );
        assert_eq!(
            cvss_of("CVSS:3.1/AV:N").map(|c| c.version),
            Some(CvssVersion::V3_1)
        );
    }

    #[test]
    fn commit_journals_each_changed_field() {
        let mut p = Project::new("X", PlaybookRef::Builtin("exim".into()));
        let id = add_issue(&mut p, "bug", now()).expect("added");
        let mut edited = p.issues[0].clone();
        edited.severity = Some(Severity::High);
        edited.description = "long ".repeat(40);
        edited.journal.clear(); // a stale draft must not rewrite history
        assert_eq!(
            commit_issue(&mut p, &edited, Some("severity"), now()),
            Ok(2)
        );
        let i = p.issue(&id).expect("exists");
        assert_eq!(i.journal.len(), 3);
        assert_eq!(
            i.journal[1].event,
            Event::FieldChanged {
                field: "severity".into(),
                value: "High".into()
            }
        );
        assert!(
            matches!(&i.journal[2].event, Event::FieldChanged { value, .. } if value.ends_with('…'))
        );
        assert_eq!(commit_issue(&mut p, &edited, None, now()), Ok(0));
    }

    #[test]
    fn members_are_added_once_and_removed_by_address_each_journaled() {
        let mut p = Project::new("P", PlaybookRef::Builtin("exim".into()));
        add_member(&mut p, Member::new("Ada", "ada@p.example"), now()).expect("added");
        let again = add_member(&mut p, Member::new("Ada", "ADA@p.example"), now());
        assert!(
            matches!(&again, Err(OpError::Member(m)) if m.contains("a member already")),
            "{again:?}"
        );
        let bad = add_member(&mut p, Member::new("Bob", "bob at p"), now());
        assert!(matches!(&bad, Err(OpError::Member(m)) if m.contains("not a mail address")));
        assert_eq!(p.members.len(), 1);
        let missing = remove_member(&mut p, "carol@p.example", now());
        assert!(
            matches!(&missing, Err(OpError::Member(m)) if m.contains("the members are: ada@p.example")),
            "{missing:?}"
        );
        let removed = remove_member(&mut p, " Ada@P.example ", now()).expect("removed");
        assert_eq!(removed.name, "Ada");
        assert!(p.members.is_empty());
        let said: Vec<String> = p.journal.iter().map(|e| e.event.describe()).collect();
        assert_eq!(
            said,
            [
                "members set to added Ada <ada@p.example>",
                "members set to removed ada@p.example"
            ]
        );
    }
}
