//! Mails made from templates: the reporter's acknowledgement, the
//! not-a-security-issue reply, the advance notice, the distros and vendor
//! notice, the support-customer pre-notification, the public
//! pre-announcement, the fix-availability notice, the release announcement
//! and the oss-security post. Each template is shipped in
//! `assets/templates/` and may be overridden per project (the caller reads
//! the override; nothing here touches files).
//!
//! A template starts with header lines (`Subject:` is required; `To:`,
//! `Cc:` and `Bcc:` are optional, comma separated), then a blank line, then
//! the body. The rendered [`Draft`] adds the project's recipients chosen for
//! the mail: vendors and support customers as Bcc, everyone else as To.
//!
//! Facts the issue does not have yet (a planned release, a severity, the
//! reporter's address, a list's embargoed download) are left out of the
//! template's context, so a template that uses one fails with
//! [`MailError::Undefined`], naming it and saying what to fill in, before
//! anything can be sent.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::facts;
use crate::core::model::{
    Credit, IntakeChannel, Issue, Milestone, Project, Recipient, RecipientRole, Told,
};
use crate::core::notice::{PatchPlan, patch_plan};
use crate::core::playbook::{Playbook, issue_plan};
use crate::core::share;
use crate::core::told;

/// One mail template shipped with Embargo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailTemplate {
    /// Its name on the command line and the override's file name
    /// (`NAME.txt.j2`), e.g. `distros-notice`.
    pub name: &'static str,
    /// A label for people.
    pub title: &'static str,
    /// The recipients it goes to unless others are chosen.
    pub roles: &'static [RecipientRole],
    /// Whether it carries embargoed details (which must not reach a public
    /// list before the release).
    pub embargoed_details: bool,
    /// Whether it starts an embargo: it must state the release date and time.
    pub starts_embargo: bool,
    /// Whether it announces the release itself: it waits until the release
    /// is marked published, whoever it goes to.
    pub after_publication: bool,
    /// Whether it points at the release's files: it needs recorded
    /// artifacts.
    pub needs_artifacts: bool,
    /// The shipped text.
    pub text: &'static str,
}

/// Every shipped mail template, in the order of a disclosure.
pub const TEMPLATES: [MailTemplate; 10] = [
    MailTemplate {
        name: "reporter-ack",
        title: "Reporter acknowledgement",
        roles: &[],
        embargoed_details: true,
        starts_embargo: false,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/reporter-ack.txt.j2"),
    },
    MailTemplate {
        name: "not-security-reply",
        title: "Not a security issue (reply)",
        roles: &[],
        embargoed_details: false,
        starts_embargo: false,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/not-security-reply.txt.j2"),
    },
    MailTemplate {
        name: "advance-notice",
        title: "Advance notice without details",
        roles: &[RecipientRole::Maintainers],
        embargoed_details: false,
        starts_embargo: false,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/advance-notice.txt.j2"),
    },
    MailTemplate {
        name: "distros-notice",
        title: "Distros and vendor notice [vs]",
        roles: &[RecipientRole::Distros, RecipientRole::Vendor],
        embargoed_details: true,
        starts_embargo: true,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/distros-notice.txt.j2"),
    },
    MailTemplate {
        name: "customer-notice",
        title: "Support-customer pre-notification",
        roles: &[RecipientRole::SupportCustomer],
        embargoed_details: true,
        starts_embargo: true,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/customer-notice.txt.j2"),
    },
    MailTemplate {
        name: "pre-announcement",
        title: "Public pre-announcement",
        roles: &[RecipientRole::Announce, RecipientRole::OssSecurity],
        embargoed_details: false,
        starts_embargo: false,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/pre-announcement.txt.j2"),
    },
    MailTemplate {
        name: "fix-availability",
        title: "Fix availability (embargoed download)",
        roles: &[RecipientRole::Distros],
        embargoed_details: true,
        starts_embargo: false,
        after_publication: false,
        needs_artifacts: true,
        text: include_str!("../../../assets/templates/fix-availability.txt.j2"),
    },
    MailTemplate {
        name: "release-announcement",
        title: "Release announcement",
        roles: &[RecipientRole::Announce],
        embargoed_details: true,
        starts_embargo: false,
        after_publication: true,
        needs_artifacts: true,
        text: include_str!("../../../assets/templates/release-announcement.txt.j2"),
    },
    MailTemplate {
        name: "oss-security",
        title: "oss-security post",
        roles: &[RecipientRole::OssSecurity],
        embargoed_details: true,
        starts_embargo: false,
        after_publication: true,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/oss-security.txt.j2"),
    },
    MailTemplate {
        name: CORRECTION,
        title: "Correction of an earlier notice",
        roles: &[],
        embargoed_details: true,
        starts_embargo: false,
        after_publication: false,
        needs_artifacts: false,
        text: include_str!("../../../assets/templates/correction.txt.j2"),
    },
];

/// The template that tells recipients what changed since an earlier
/// notice; without chosen recipients it goes to everyone who was told a
/// value that has changed ([`crate::core::told::corrections`]).
pub const CORRECTION: &str = "correction";

/// The shipped template with this name.
pub fn template(name: &str) -> Option<&'static MailTemplate> {
    TEMPLATES.iter().find(|t| t.name == name)
}

/// The names of the shipped templates, comma separated, for messages.
pub fn template_names() -> String {
    TEMPLATES
        .iter()
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A rendered mail, before signing, encryption or sending.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// The template it was made from.
    pub template: String,
    /// The subject line.
    pub subject: String,
    /// `To:` mailboxes.
    pub to: Vec<String>,
    /// `Cc:` mailboxes.
    pub cc: Vec<String>,
    /// `Bcc:` mailboxes (envelope only when sent).
    pub bcc: Vec<String>,
    /// The plain-text body, lines ending in `\n`.
    pub body: String,
    /// The project's recipients this mail reaches (with their roles, flags
    /// and certificates), plus a bare entry for every other address.
    #[serde(skip)]
    pub recipients: Vec<Recipient>,
    /// Whether the template carries embargoed details.
    pub embargoed_details: bool,
    /// Whether the template starts an embargo.
    pub starts_embargo: bool,
    /// Whether the body carries the embargoed download's password (then it
    /// must go out encrypted).
    pub carries_password: bool,
    /// The recipient list whose embargoed download credentials the mail
    /// states, when it states them.
    #[serde(skip)]
    pub share_list: Option<String>,
    /// Why the mail goes before the release is marked published, when the
    /// user says it must (`--before-publication --reason`, or the notice
    /// window's confirmation); journaled with the mail.
    #[serde(skip)]
    pub before_publication: Option<String>,
    /// The `Message-ID` this mail answers (with angle brackets): the
    /// recorded report's, for a mail to the reporter, so that it is
    /// threaded under the report (`In-Reply-To` and `References`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<String>,
    /// The facts the mail states, as they are now: recorded on each
    /// recipient's notice state when it is sent or saved.
    #[serde(skip)]
    pub told: Told,
    /// The patch the mail carries, when its template carries one (see
    /// [`crate::core::notice::patch_plan`]).
    #[serde(skip)]
    pub patch: Option<PatchPlan>,
}

impl Draft {
    /// Every recipient address (To, Cc and Bcc), without names.
    pub fn addresses(&self) -> Vec<String> {
        self.to
            .iter()
            .chain(&self.cc)
            .chain(&self.bcc)
            .map(|m| address_of(m))
            .collect()
    }

    /// Whether the mail must go out encrypted: it carries a password, or
    /// one of its recipients must get encrypted mail.
    pub fn must_encrypt(&self) -> bool {
        self.carries_password || self.recipients.iter().any(|r| r.must_encrypt)
    }
}

/// The bare address of a mailbox `Name <addr>` (or of a bare address).
pub fn address_of(mailbox: &str) -> String {
    let m = mailbox.trim();
    match (m.rfind('<'), m.rfind('>')) {
        (Some(a), Some(b)) if a < b => m[a + 1..b].trim().to_owned(),
        _ => m.to_owned(),
    }
}

/// A mail could not be made.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// No shipped template has this name.
    #[error("there is no mail template `{0}`; choose one of: {names}", names = template_names())]
    UnknownTemplate(String),
    /// The template uses facts the issue does not have.
    #[error("the template `{template}` uses {} not defined for {issue}:\n{}", plural(.missing), hints(.missing))]
    Undefined {
        /// The template's name.
        template: String,
        /// The issue's ID.
        issue: String,
        /// The undefined variables, e.g. `release` or `issue.severity`.
        missing: Vec<String>,
    },
    /// The template does not parse or fails to render.
    #[error("the template `{template}` cannot be rendered: {detail}; fix the template")]
    Template {
        /// The template's name.
        template: String,
        /// minijinja's message, with the line.
        detail: String,
    },
    /// The header lines are wrong.
    #[error(
        "the template `{template}` has a bad header: {detail}; start it with `Subject: ...`, optional To:/Cc:/Bcc: lines, then a blank line"
    )]
    Header {
        /// The template's name.
        template: String,
        /// What is wrong.
        detail: String,
    },
    /// A recipient asked for by name is not in the project.
    #[error(
        "no recipient, role or address `{0}` in the project; add it under Project › Recipients, or give a role (maintainers, distros, vendor, support-customer, reporter, announce, oss-security) or an address"
    )]
    UnknownRecipient(String),
    /// The mail would reach nobody.
    #[error(
        "the mail `{0}` has no recipient; add recipients with that role to the project or give --to"
    )]
    NoRecipient(String),
}

fn plural(missing: &[String]) -> &'static str {
    if missing.len() == 1 {
        "a variable"
    } else {
        "variables"
    }
}

fn hints(missing: &[String]) -> String {
    missing
        .iter()
        .map(|m| format!("  `{m}`: {}", hint(m)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn hint(var: &str) -> &'static str {
    let top = var.split('.').next().unwrap_or(var);
    match (top, var) {
        ("release", _) => "plan the issue into a release with a date and time first",
        ("packaging_start", _) => "plan the issue into a release with a date and time first",
        (_, "issue.severity") => "assess the issue's severity first",
        (_, "issue.cve") => "record the CVE state first",
        (_, "share.url") => {
            "set the embargoed download address in Project › Settings › Publication › Embargoed download address (CLI: embargo settings --embargo-url), e.g. https://share.example.org/embargo/{version}/"
        }
        (_, "share.password") => {
            "the download password is never stored: make or rotate this list's credentials (Embargoed download step, or `embargo share --rotate LIST`) and hand the new one in (the panel's “Mail it” button, or `embargo mail --share-password-fd N`)"
        }
        ("share", _) => {
            "address the mail to one private list that has active download credentials (Embargoed download step, or `embargo share`)"
        }
        ("reporter_contact" | "reporter_name", _) => "record the reporter's name and address first",
        ("reason", _) => "write the reason as the note of the “not a security issue” step",
        ("changes", _) => {
            "nothing to correct: none of the recipients chosen was told a value that has changed since (`embargo corrections FILE --issue ID` lists who needs a correction)"
        }
        ("reporter_deadline", _) => {
            "this fact is optional: guard it with `{% if ... is defined %}`"
        }
        _ => "no such variable: check its spelling in the template",
    }
}

fn fmt_at(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The context a mail template sees for `issue`, to the recipients `to`.
/// Facts that are unknown are absent (see the module documentation).
pub fn context(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    to: &[Recipient],
    share_password: Option<&str>,
    now: DateTime<Utc>,
) -> Value {
    let mut ctx = Map::new();
    ctx.insert("project".into(), json!(project.name));
    // The signature line: the sender's name, without the address.
    let from = project.mail.from.trim();
    let name = from
        .split('<')
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches('"');
    let sender = if from.is_empty() {
        format!("The {} security team", project.name)
    } else if name.is_empty() {
        from.to_owned()
    } else {
        name.to_owned()
    };
    ctx.insert("sender".into(), json!(sender));
    ctx.insert("now".into(), json!(fmt_at(now)));
    let mut i = Map::new();
    i.insert("id".into(), json!(issue.id));
    i.insert("title".into(), json!(issue.title));
    // The identifier, CVE or GCVE (templates have always called it `cve`),
    // and its scheme: the assigned ID's, else the project's authority's.
    i.insert("cve".into(), json!(issue.identifier()));
    i.insert("identifier".into(), json!(issue.identifier()));
    let scheme = match issue.identifier() {
        Some(id) if id.starts_with("GCVE-") => "GCVE",
        Some(_) => "CVE",
        None => crate::core::playbook::id_authority(project, playbook).scheme(),
    };
    i.insert("scheme".into(), json!(scheme));
    if let Some(s) = issue.severity {
        i.insert("severity".into(), json!(s.to_string()));
    }
    i.insert("description".into(), json!(issue.description));
    i.insert("impact".into(), json!(issue.impact));
    i.insert("mitigation".into(), json!(issue.mitigation));
    i.insert("cwe".into(), json!(issue.cwe));
    ctx.insert("issue".into(), Value::Object(i));
    ctx.insert(
        "impact_class".into(),
        json!(
            issue
                .impact_kind
                .map(|k| k.label().to_owned())
                .unwrap_or_else(|| "not classified yet".to_owned())
        ),
    );
    if !issue.reporter.name.trim().is_empty() {
        ctx.insert("reporter_name".into(), json!(issue.reporter.name));
    }
    if !issue.reporter.contact.trim().is_empty() {
        ctx.insert("reporter_contact".into(), json!(issue.reporter.contact));
    }
    ctx.insert(
        "reporter_deadline".into(),
        json!(issue.reporter.deadline.map(fmt_at)),
    );
    let report_subject = match &issue.intake.channel {
        IntakeChannel::Mail { subject, .. } => subject.clone(),
        _ => issue.title.clone(),
    };
    ctx.insert("report_subject".into(), json!(report_subject.clone()));
    // The not-security reply's own names.
    ctx.insert("subject".into(), json!(report_subject));
    if let Some(reason) = issue
        .step_notes
        .get("not_security_reply")
        .filter(|r| !r.trim().is_empty())
    {
        ctx.insert("reason".into(), json!(reason));
    }
    let release = project.release_of(&issue.id);
    let affected: Vec<Value> = issue
        .affected
        .iter()
        .map(|a| {
            json!({
                "introduced": a.introduced,
                "fixed": facts::fixed_version(project, issue, a).unwrap_or_else(|| "unknown".into()),
            })
        })
        .collect();
    ctx.insert("affected".into(), Value::Array(affected.clone()));
    let people = facts::people(issue);
    let credit = match (&issue.reporter.credit, people.is_empty()) {
        (Some(Credit::Anonymous), true) | (None, true) => Value::Null,
        _ => json!(facts::and_list(
            &people.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
        )),
    };
    ctx.insert("credit".into(), credit);
    ctx.insert(
        "signing_key".into(),
        json!(project.signing.as_ref().map(|s| s.fingerprint.clone())),
    );
    // The team's own address, for questions (the sender's address).
    let contact = address_of(&project.mail.from);
    ctx.insert(
        "contact".into(),
        json!((!contact.is_empty()).then_some(contact)),
    );
    ctx.insert(
        "cvss".into(),
        json!(issue.cvss.as_ref().map(|c| c.vector.clone())),
    );
    // Whether a proof of concept goes to the list: the list's policy makes
    // its public posting due within 7 days of the disclosure (#24).
    ctx.insert("poc_shared".into(), json!(issue.poc_shared_with_distros));
    // Affected versions as one phrase, for prose.
    let affected_text: Vec<String> = affected
        .iter()
        .map(|a| {
            format!(
                "{} up to before {}",
                a["introduced"].as_str().unwrap_or_default(),
                a["fixed"].as_str().unwrap_or_default()
            )
        })
        .collect();
    ctx.insert(
        "affected_text".into(),
        json!(facts::and_list(&affected_text)),
    );
    // Where the fixes are: the branches of the fix commits, in order.
    let mut branches: Vec<String> = Vec::new();
    for c in &issue.fix_commits {
        if !c.branch.trim().is_empty() && !branches.contains(&c.branch) {
            branches.push(c.branch.clone());
        }
    }
    ctx.insert("fix_branches".into(), json!(branches));
    ctx.insert(
        "repo_url".into(),
        json!(
            (!project.publication.repo_url.trim().is_empty())
                .then(|| project.publication.repo_url.clone())
        ),
    );
    // Exim's announcements carry a "conditions to be vulnerable" section
    // and the +fixes branch; OpenSSL's do not.
    ctx.insert(
        "exim_form".into(),
        json!(
            !issue_plan(project, playbook, issue)
                .rules
                .process
                .openssl_prenotification
        ),
    );
    if let Some(r) = release {
        ctx.insert(
            "advisory_url".into(),
            json!(facts::advisory_url(project, r)),
        );
        let downloads: Vec<Value> = r
            .artifacts
            .iter()
            .filter(|a| a.kind != crate::core::model::ArtifactKind::Checksums)
            .map(|a| {
                let file = a.path.rsplit('/').next().unwrap_or(&a.path).to_owned();
                let url = facts::fill(&project.publication.download_url, "file", &file);
                json!({"file": file, "sha256": a.sha256, "url": url})
            })
            .collect();
        ctx.insert("downloads".into(), Value::Array(downloads));
        // Where the release will appear: the download address up to the
        // file name.
        let base = project.publication.download_url.trim();
        let base = base.split("{file}").next().unwrap_or(base).trim();
        ctx.insert(
            "download_base".into(),
            json!((!base.is_empty()).then_some(base)),
        );
        let tag = facts::fill(&project.repo.tag_template, "version", &r.version)
            .filter(|t| !t.trim().is_empty());
        ctx.insert("tag".into(), json!(tag));
        if let Some(planned) = facts::release_date(r) {
            ctx.insert(
                "release".into(),
                json!({
                    "version": r.version,
                    "date": planned.format("%Y-%m-%d").to_string(),
                    "time": planned.format("%H:%M UTC").to_string(),
                    "at": fmt_at(planned),
                    "utc": planned.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    "weekday": planned.format("%A").to_string(),
                    "days_from_now": (planned - now).num_days(),
                }),
            );
            let plan = issue_plan(project, playbook, issue);
            let fix = plan
                .milestones
                .resolve(planned, plan.rules.process)
                .into_iter()
                .find(|m| m.milestone == Milestone::FixAvailability)
                .map_or(planned, |m| m.at);
            ctx.insert("packaging_start".into(), json!(fmt_at(fix)));
            // The proposed timeline, as the distros notice states it.
            let timeline: Vec<Value> = plan
                .milestones
                .resolve(planned, plan.rules.process)
                .into_iter()
                .map(|m| json!({"at": fmt_at(m.at), "what": m.milestone.label()}))
                .collect();
            ctx.insert("timeline".into(), Value::Array(timeline));
        }
    } else {
        ctx.insert("advisory_url".into(), Value::Null);
        ctx.insert("downloads".into(), Value::Array(Vec::new()));
        ctx.insert("download_base".into(), Value::Null);
        ctx.insert("tag".into(), Value::Null);
    }
    let names: Vec<String> = to.iter().map(|r| r.name.clone()).collect();
    ctx.insert("recipients".into(), json!(names));
    // What changed since these recipients were told (the correction
    // mail's list); absent when nothing did.
    let addresses: Vec<String> = to.iter().map(|r| r.address.clone()).collect();
    let changes = told::merged_changes(project, issue, &addresses);
    if !changes.is_empty() {
        ctx.insert("changes".into(), json!(changes));
    }
    // The embargoed download of the one list this mail goes to: its address
    // and usercode from the release, the password only when handed in (it
    // is never stored; see `core::share`).
    if let Some(list) = share_list(project, issue, to)
        && let Some(r) = project.release_of(&issue.id)
        && let Some(c) = share::active(r, &list)
    {
        let mut s = Map::new();
        s.insert("user".into(), json!(c.user));
        if let Some(url) = share::download_url(project, r) {
            s.insert("url".into(), json!(url));
        }
        if let Some(p) = share_password {
            s.insert("password".into(), json!(p));
        }
        ctx.insert("share".into(), Value::Object(s));
    }
    Value::Object(ctx)
}

/// The list whose embargoed download a mail to `to` states: the one list it
/// goes to, when that list has active credentials for the issue's release.
fn share_list(project: &Project, issue: &Issue, to: &[Recipient]) -> Option<String> {
    match to {
        [only] => project
            .release_of(&issue.id)
            .and_then(|r| share::active(r, &only.name))
            .map(|c| c.list.clone()),
        _ => None,
    }
}

/// The variables `text` uses (dotted paths) that `ctx` does not define,
/// shortest first: `release` rather than `release.date` when the whole
/// release is missing.
///
/// Also every variable it uses (dotted paths): which facts a mail states
/// is read from them ([`told::stated`]).
fn variables_of(
    text: &str,
    ctx: &Value,
    name: &str,
) -> Result<(Vec<String>, Vec<String>), MailError> {
    let mut env = Environment::new();
    env.add_template("t", text)
        .map_err(|e| MailError::Template {
            template: name.to_owned(),
            detail: format!("{e:#}"),
        })?;
    let tmpl = env.get_template("t").map_err(|e| MailError::Template {
        template: name.to_owned(),
        detail: format!("{e:#}"),
    })?;
    let mut missing = BTreeSet::new();
    let used = tmpl.undeclared_variables(true);
    for path in &used {
        let mut at = ctx;
        let mut walked = Vec::new();
        for seg in path.split('.') {
            walked.push(seg);
            match at.get(seg) {
                Some(v) => at = v,
                None => {
                    // Globals minijinja knows (range, loop helpers) are not ours to report.
                    if walked.len() > 1 || env.globals().all(|(g, _)| g != seg) {
                        missing.insert(walked.join("."));
                    }
                    break;
                }
            }
            if !at.is_object() {
                break;
            }
        }
    }
    Ok((missing.into_iter().collect(), used.into_iter().collect()))
}

/// How much work (minijinja's fuel: about one unit per instruction) one
/// mail may take: the shipped templates need a few thousand.
const TEMPLATE_FUEL: u64 = 2_000_000;

/// Render `template` (the shipped one, or `override_text` from the
/// project's own templates) for `issue` to `to` (the recipients chosen; when
/// empty, the project's recipients with the template's roles).
/// `share_password` is the embargoed download's password of the one list
/// the mail goes to, handed over in memory when it was made; a mail that
/// uses it must go out encrypted.
#[allow(clippy::too_many_arguments)] // each argument is a separate fact the mail needs
pub fn render(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    template_name: &str,
    override_text: Option<&str>,
    to: &[Recipient],
    share_password: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Draft, MailError> {
    let shipped = template(template_name)
        .ok_or_else(|| MailError::UnknownTemplate(template_name.to_owned()))?;
    let text = override_text.unwrap_or(shipped.text);
    let chosen: Vec<Recipient> = if to.is_empty() && template_name == CORRECTION {
        correction_recipients(project, issue)
    } else if to.is_empty() {
        project
            .recipients
            .iter()
            .filter(|r| shipped.roles.contains(&r.role))
            .cloned()
            .collect()
    } else {
        to.to_vec()
    };
    let mut ctx = context(project, playbook, issue, &chosen, share_password, now);
    // The patch it carries: attached only when the mail goes encrypted.
    let encrypted = share_password.is_some() || chosen.iter().any(|r| r.must_encrypt);
    let patch = patch_plan(project, issue, template_name, &chosen, encrypted);
    if let Value::Object(m) = &mut ctx {
        m.insert(
            "patch".into(),
            json!({
                "carried": patch.is_some(),
                "attached": patch.as_ref().is_some_and(|p| p.attached),
                "withheld": patch.as_ref().is_some_and(|p| p.source.is_some() && !p.attached),
                "file": patch.as_ref().map(|p| p.file_name.clone()),
            }),
        );
    }
    let (missing, used) = variables_of(text, &ctx, template_name)?;
    if !missing.is_empty() {
        return Err(MailError::Undefined {
            template: template_name.to_owned(),
            issue: issue.id.clone(),
            missing,
        });
    }
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // A project's own template may loop without end; a mail never needs
    // this much work.
    env.set_fuel(Some(TEMPLATE_FUEL));
    let rendered = env
        .render_str(text, minijinja::Value::from(minijinja::value::Serde(&ctx)))
        .map_err(|e| MailError::Template {
            template: template_name.to_owned(),
            detail: if e.kind() == minijinja::ErrorKind::OutOfFuel {
                "it runs too long (a loop over a huge range?): a notice needs far less work"
                    .to_owned()
            } else {
                format!("{e:#}")
            },
        })?;
    let (mut draft, extra) = split_headers(&rendered, template_name)?;
    draft.template = template_name.to_owned();
    draft.embargoed_details = shipped.embargoed_details;
    draft.starts_embargo = shipped.starts_embargo;
    draft.carries_password = share_password.is_some_and(|p| rendered.contains(p));
    draft.share_list = share_list(project, issue, &chosen);
    // Header addresses that are project recipients count as them.
    let mut recipients = chosen.clone();
    for mailbox in &extra {
        let addr = address_of(mailbox);
        if recipients
            .iter()
            .any(|r| r.address.eq_ignore_ascii_case(&addr))
        {
            continue;
        }
        match project
            .recipients
            .iter()
            .find(|r| r.address.eq_ignore_ascii_case(&addr))
        {
            Some(r) => recipients.push(r.clone()),
            None => recipients.push(Recipient::new("", addr, RecipientRole::Reporter)),
        }
    }
    for r in &chosen {
        let listed = draft
            .addresses()
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&r.address));
        if listed {
            continue;
        }
        if r.role.is_bcc() {
            draft.bcc.push(r.mailbox());
        } else {
            draft.to.push(r.mailbox());
        }
    }
    draft.recipients = recipients;
    draft.body = wrap_body(&draft.body);
    draft.in_reply_to = reply_to_report(issue, &draft);
    // The facts it states: those its variables name, and those a
    // correction lists as changed.
    let mut stated = told::stated(used.iter().map(String::as_str));
    if used.iter().any(|u| u.split('.').next() == Some("changes"))
        && let Some(changes) = ctx.get("changes").and_then(Value::as_array)
    {
        for c in changes {
            let fact = told::Fact::ALL
                .into_iter()
                .find(|f| c.get("fact").and_then(Value::as_str) == Some(f.id()));
            if let Some(f) = fact
                && !stated.contains(&f)
            {
                stated.push(f);
            }
        }
    }
    draft.told = told::telling(&told::current(project, issue), &stated);
    draft.patch = patch;
    if draft.addresses().is_empty() {
        return Err(MailError::NoRecipient(template_name.to_owned()));
    }
    Ok(draft)
}

/// Who a correction goes to when nobody is chosen: everyone who was told a
/// value of `issue` that has changed since, as the project's recipient
/// when they are one.
fn correction_recipients(project: &Project, issue: &Issue) -> Vec<Recipient> {
    told::corrections(project, issue)
        .into_iter()
        .map(|c| {
            project
                .recipients
                .iter()
                .find(|r| r.address.eq_ignore_ascii_case(&c.recipient))
                .cloned()
                .unwrap_or_else(|| Recipient::new("", c.recipient, RecipientRole::Reporter))
        })
        .collect()
}

/// The column mail bodies are wrapped at (RFC 3676 and common practice:
/// 72, leaving room for quoting).
pub const WRAP_AT: usize = 72;

/// `body` with every line longer than [`WRAP_AT`] columns hard-wrapped at
/// spaces. A line that starts with white space is preformatted (checksums,
/// indented addresses, tables) and stays as it is, and a word longer than
/// the width (a URL, a fingerprint) is never broken; a wrapped line's
/// continuation keeps the line's indentation after a `Key:` label (as in
/// `Issue:      text`), so labelled fields stay aligned. Lines that fit
/// are unchanged, so wrapping twice changes nothing.
pub fn wrap_body(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 16);
    for line in body.split_inclusive('\n') {
        let (text, end) = match line.strip_suffix('\n') {
            Some(t) => (t.strip_suffix('\r').unwrap_or(t), "\n"),
            None => (line, ""),
        };
        if text.chars().count() <= WRAP_AT || text.starts_with([' ', '\t']) {
            out.push_str(text);
            out.push_str(end);
            continue;
        }
        // `Label:   value` keeps its value column on continuation lines.
        let indent = label_column(text).unwrap_or(0);
        let (head, rest) = text.split_at(indent);
        let mut current = head.to_owned();
        let mut fresh = true; // nothing but the head or indentation yet
        for word in rest.split(' ').filter(|w| !w.is_empty()) {
            let width = current.chars().count();
            if !fresh && width + 1 + word.chars().count() > WRAP_AT {
                out.push_str(current.trim_end());
                out.push('\n');
                current = " ".repeat(indent);
                fresh = true;
            }
            if !fresh {
                current.push(' ');
            }
            current.push_str(word);
            fresh = false;
        }
        out.push_str(current.trim_end());
        out.push_str(end);
    }
    out
}

/// The column a `Label:   value` line's value starts at, when the line is
/// one (a short label without spaces, a colon, then at least two spaces).
fn label_column(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let label = &line[..colon];
    if label.is_empty() || label.len() > 20 || label.contains(' ') {
        return None;
    }
    let rest = &line[colon + 1..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    (spaces >= 2).then_some(colon + 1 + spaces)
}

/// The recorded report's `Message-ID`, when `draft` goes to the reporter
/// (their recorded address is among its recipients) and the report came by
/// mail with a Message-ID.
fn reply_to_report(issue: &Issue, draft: &Draft) -> Option<String> {
    let IntakeChannel::Mail { message_id, .. } = &issue.intake.channel else {
        return None;
    };
    let id = message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    let reporter = address_of(&issue.reporter.contact);
    let to_reporter = !reporter.is_empty()
        && draft
            .addresses()
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&reporter));
    (to_reporter && !id.is_empty() && !id.contains(char::is_whitespace)).then(|| format!("<{id}>"))
}

/// Split the rendered text into its header lines and body; returns the
/// draft and the addresses its headers named.
fn split_headers(rendered: &str, name: &str) -> Result<(Draft, Vec<String>), MailError> {
    let bad = |detail: String| MailError::Header {
        template: name.to_owned(),
        detail,
    };
    let (head, body) = rendered
        .split_once("\n\n")
        .ok_or_else(|| bad("no blank line after the headers".to_owned()))?;
    let mut draft = Draft {
        template: String::new(),
        subject: String::new(),
        to: Vec::new(),
        cc: Vec::new(),
        bcc: Vec::new(),
        body: body.trim_start_matches('\n').to_owned(),
        recipients: Vec::new(),
        embargoed_details: false,
        starts_embargo: false,
        carries_password: false,
        share_list: None,
        before_publication: None,
        in_reply_to: None,
        told: Told::default(),
        patch: None,
    };
    let mut named = Vec::new();
    for line in head.lines() {
        let (key, value) = line
            .split_once(':')
            .ok_or_else(|| bad(format!("`{line}` is not a `Name: value` header")))?;
        let value = value.trim();
        let list = || -> Vec<String> {
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "subject" => draft.subject = value.to_owned(),
            "to" => draft.to.extend(list()),
            "cc" => draft.cc.extend(list()),
            "bcc" => draft.bcc.extend(list()),
            other => return Err(bad(format!("unknown header `{other}`"))),
        }
        named.extend(list().into_iter().filter(|_| key.trim() != "Subject"));
    }
    if draft.subject.is_empty() {
        return Err(bad("no `Subject:` line".to_owned()));
    }
    if !draft.body.ends_with('\n') {
        draft.body.push('\n');
    }
    Ok((draft, named))
}

/// Choose recipients from `list` (comma separated: recipient names,
/// addresses or role short names such as `distros`). An address that is not
/// in the project is taken as a bare recipient.
pub fn pick_recipients(project: &Project, list: &str) -> Result<Vec<Recipient>, MailError> {
    let mut out: Vec<Recipient> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let found: Vec<&Recipient> = project
            .recipients
            .iter()
            .filter(|r| {
                r.name.eq_ignore_ascii_case(item)
                    || r.address.eq_ignore_ascii_case(item)
                    || r.role.short() == item
            })
            .collect();
        if found.is_empty() {
            if item.contains('@') {
                out.push(Recipient::new(
                    "",
                    address_of(item),
                    RecipientRole::Reporter,
                ));
                continue;
            }
            return Err(MailError::UnknownRecipient(item.to_owned()));
        }
        for r in found {
            if !out.iter().any(|o| o.address == r.address) {
                out.push(r.clone());
            }
        }
    }
    Ok(out)
}

/// Whether `address` (a bare address, not `Name <address>`) looks like a
/// mail address: something, `@`, a domain with a dot, no white space — the
/// test a pasted list and `embargo recipients add` put it to.
pub fn is_address(address: &str) -> bool {
    address.split_once('@').is_some_and(|(l, d)| {
        !l.is_empty() && d.contains('.') && !address.contains(char::is_whitespace)
    })
}

/// Parse a pasted list of addresses (one a line, or separated by commas or
/// semicolons; `Name <addr>` or bare) into new recipients with `role`,
/// skipping addresses the project already has and anything that is not an
/// address. Returns the new recipients and the pieces that were skipped
/// because they are not addresses.
pub fn parse_pasted(
    project: &Project,
    text: &str,
    role: RecipientRole,
) -> (Vec<Recipient>, Vec<String>) {
    let mut new: Vec<Recipient> = Vec::new();
    let mut rejected = Vec::new();
    for piece in text
        .split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let address = address_of(piece);
        if !is_address(&address) {
            rejected.push(piece.to_owned());
            continue;
        }
        let known = project
            .recipients
            .iter()
            .map(|r| &r.address)
            .chain(new.iter().map(|r| &r.address))
            .any(|a| a.eq_ignore_ascii_case(&address));
        if known {
            continue;
        }
        let name = match piece.rfind('<') {
            Some(i) => piece[..i].trim().trim_matches('"').to_owned(),
            None => String::new(),
        };
        new.push(Recipient::new(name, address, role));
    }
    (new, rejected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{PlaybookRef, Release};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn setup() -> (Project, Playbook) {
        let mut p = Project::new("Demo", PlaybookRef::Builtin("exim".into()));
        p.mail.from = "Demo Security <security@demo.example>".into();
        let mut i = Issue::new("DEMO-1", "Overflow", at("2026-11-01T10:00:00Z"));
        i.severity = Some(crate::core::model::Severity::High);
        i.reporter.name = "Ada".into();
        i.reporter.contact = "ada@example.org".into();
        p.issues.push(i);
        p.recipients.push(Recipient::new(
            "Openwall distros",
            "distros@vs.openwall.org",
            RecipientRole::Distros,
        ));
        p.recipients.push(Recipient::new(
            "Vendor A",
            "sec@vendor-a.example",
            RecipientRole::Vendor,
        ));
        (p, crate::core::playbook::builtin("exim").expect("builtin"))
    }

    fn plan(p: &mut Project) {
        p.releases.push(Release {
            id: "1.2.3".into(),
            version: "1.2.3".into(),
            planned: Some(at("2026-11-10T14:00:00Z")),
            published: None,
            base_tag: None,
            issues: vec!["DEMO-1".into()],
            artifacts: Vec::new(),
            milestones: Default::default(),
            shares: Vec::new(),
        });
    }

    #[test]
    fn every_list_notice_states_the_disclosure_instant_in_utc_on_one_line() {
        let (mut p, b) = setup();
        plan(&mut p);
        p.issues[0].cve = crate::core::model::CveState::Assigned {
            id: "CVE-2026-1234".into(),
        };
        p.recipients.push(Recipient::new(
            "Announce",
            "announce@demo.example",
            RecipientRole::Announce,
        ));
        p.recipients.push(Recipient::new(
            "Customer",
            "it@customer.example",
            RecipientRole::SupportCustomer,
        ));
        p.recipients.push(Recipient::new(
            "oss-security",
            "oss-security@lists.openwall.com",
            RecipientRole::OssSecurity,
        ));
        p.recipients.push(Recipient::new(
            "Maintainers",
            "m@demo.example",
            RecipientRole::Maintainers,
        ));
        for name in [
            "distros-notice",
            "advance-notice",
            "customer-notice",
            "pre-announcement",
            "release-announcement",
            "oss-security",
        ] {
            let d = render(
                &p,
                &b,
                &p.issues[0],
                name,
                None,
                &[],
                None,
                at("2026-11-02T10:00:00Z"),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            let lines: Vec<&str> = d
                .body
                .lines()
                .filter(|l| l.starts_with("Disclosure-Date:"))
                .collect();
            assert_eq!(
                lines,
                vec!["Disclosure-Date: 2026-11-10T14:00:00Z"],
                "{name}: {}",
                d.body
            );
            assert!(d.told.release.is_some(), "{name} states the release");
        }
        // Published: the instant it went public.
        p.releases[0].published = Some(at("2026-11-10T14:03:00Z"));
        let d = render(
            &p,
            &b,
            &p.issues[0],
            "oss-security",
            None,
            &[],
            None,
            at("2026-11-10T15:00:00Z"),
        )
        .expect("renders");
        assert!(
            d.body.contains("\nDisclosure-Date: 2026-11-10T14:03:00Z\n"),
            "{}",
            d.body
        );
    }

    #[test]
    fn a_notice_records_what_it_states_and_a_correction_says_old_and_new() {
        let (mut p, b) = setup();
        plan(&mut p);
        p.recipients.push(Recipient::new(
            "Maintainers",
            "m@demo.example",
            RecipientRole::Maintainers,
        ));
        let now = at("2026-11-02T10:00:00Z");
        let d =
            render(&p, &b, &p.issues[0], "advance-notice", None, &[], None, now).expect("renders");
        // Severity and date, nothing else: the advance notice says no more.
        assert_eq!(d.told.severity, Some(crate::core::model::Severity::High));
        assert_eq!(d.told.release, Some(at("2026-11-10T14:00:00Z")));
        assert_eq!(d.told.fixed.as_deref(), Some("1.2.3"));
        assert_eq!(d.told.identifiers, None);
        let d =
            render(&p, &b, &p.issues[0], "distros-notice", None, &[], None, now).expect("renders");
        assert_eq!(d.told.identifiers, Some(Vec::new()), "CVE requested");
        // Nothing told yet: a correction has nothing to say, and says so.
        let err = render(&p, &b, &p.issues[0], CORRECTION, None, &[], None, now)
            .expect_err("nobody to correct");
        assert!(err.to_string().contains("nothing to correct"), "{err}");
        let vendor = p.recipients[1].clone();
        let err = render(&p, &b, &p.issues[0], CORRECTION, None, &[vendor], None, now)
            .expect_err("nothing to correct");
        assert!(err.to_string().contains("nothing to correct"), "{err}");
        // The distros list was told High and 14:00; both change.
        let mut told = d.told.clone();
        told.template = "distros-notice".into();
        p.issues[0].notice_mut("distros@vs.openwall.org").told = Some(told);
        p.issues[0].severity = Some(crate::core::model::Severity::Critical);
        p.releases[0].planned = Some(at("2026-11-11T14:00:00Z"));
        let c = render(&p, &b, &p.issues[0], CORRECTION, None, &[], None, now).expect("renders");
        assert_eq!(c.to, vec!["Openwall distros <distros@vs.openwall.org>"]);
        assert_eq!(c.subject, "[vs] Correction: embargoed Demo issue");
        assert!(
            c.body.contains(
                "The following has changed since:\n\n  Severity: High -> Critical\n  Public disclosure: 2026-11-10 14:00 UTC -> 2026-11-11 14:00 UTC\n\n"
            ),
            "{}",
            c.body
        );
        assert!(
            c.body.contains("Disclosure-Date: 2026-11-11T14:00:00Z\n"),
            "{}",
            c.body
        );
        // Sending it tells them the new values.
        assert_eq!(
            c.told.severity,
            Some(crate::core::model::Severity::Critical)
        );
        assert_eq!(c.told.release, Some(at("2026-11-11T14:00:00Z")));
    }

    #[test]
    fn a_customer_who_asked_for_the_patch_gets_it_with_the_notice_when_encrypted() {
        let (mut p, b) = setup();
        plan(&mut p);
        p.issues[0].fix_commits.push(crate::core::model::FixCommit {
            id: "abc123".into(),
            branch: "security".into(),
            summary: "fix".into(),
        });
        let mut customer = Recipient::new(
            "Customer",
            "it@customer.example",
            RecipientRole::SupportCustomer,
        );
        p.recipients.push(customer.clone());
        let now = at("2026-11-02T10:00:00Z");
        let body = |p: &Project, to: &Recipient| {
            render(
                p,
                &b,
                &p.issues[0],
                "customer-notice",
                None,
                std::slice::from_ref(to),
                None,
                now,
            )
            .expect("renders")
        };
        // Not asked: the notice asks whether they want it.
        let d = body(&p, &customer);
        assert_eq!(d.patch, None);
        assert!(
            d.body.contains("whether you\nwould like the patch")
                || d.body.contains("whether you would like the patch"),
            "{}",
            d.body
        );
        // Asked, but the mail is not encrypted: withheld, and said.
        p.issues[0].notice_mut("it@customer.example").wants_patch = true;
        let d = body(&p, &customer);
        assert!(d.patch.as_ref().is_some_and(|p| !p.attached));
        assert!(
            d.body.replace('\n', " ").contains(
                "The patch you asked for is not attached, because this mail is not encrypted"
            ),
            "{}",
            d.body
        );
        // Asked and encrypted: attached.
        customer.must_encrypt = true;
        let d = body(&p, &customer);
        assert!(d.patch.as_ref().is_some_and(|p| p.attached));
        assert!(
            d.body
                .replace('\n', " ")
                .contains("The patch you asked for is attached to this mail (demo-DEMO-1.patch)"),
            "{}",
            d.body
        );
        assert!(!d.body.contains("would like the patch"), "{}", d.body);
    }

    #[test]
    fn every_shipped_template_parses() {
        for t in &TEMPLATES {
            let mut env = Environment::new();
            env.add_template(t.name, t.text)
                .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        }
    }

    #[test]
    fn a_missing_release_is_named_before_rendering() {
        let (p, b) = setup();
        let err = render(
            &p,
            &b,
            &p.issues[0],
            "distros-notice",
            None,
            &[],
            None,
            at("2026-11-02T10:00:00Z"),
        )
        .expect_err("no release");
        let text = err.to_string();
        assert!(text.contains("`release`"), "{text}");
        assert!(text.contains("plan the issue into a release"), "{text}");
    }

    #[test]
    fn an_unknown_variable_in_an_override_is_named() {
        let (mut p, b) = setup();
        plan(&mut p);
        let err = render(
            &p,
            &b,
            &p.issues[0],
            "advance-notice",
            Some("Subject: x {{ release.nope }}\n\n{{ bogus }}\n"),
            &[],
            None,
            at("2026-11-02T10:00:00Z"),
        )
        .expect_err("undefined");
        match err {
            MailError::Undefined { missing, .. } => {
                assert_eq!(missing, vec!["bogus".to_owned(), "release.nope".to_owned()]);
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn the_announcement_credits_each_person_once() {
        let (mut p, b) = setup();
        plan(&mut p);
        p.recipients.push(Recipient::new(
            "Announce list",
            "announce@demo.example",
            RecipientRole::Announce,
        ));
        let i = &mut p.issues[0];
        i.reporter.credit = Some(Credit::Named("Jonas Weber (Bugfinders)".into()));
        for (name, role) in [
            (
                "Jonas Weber (Bugfinders)",
                crate::core::model::CreditRole::Finder,
            ),
            (
                "Tomás Berg",
                crate::core::model::CreditRole::RemediationDeveloper,
            ),
        ] {
            i.credits.push(crate::core::model::Acknowledgement {
                name: name.into(),
                role,
            });
        }
        let d = render(
            &p,
            &b,
            &p.issues[0],
            "release-announcement",
            None,
            &[],
            None,
            at("2026-11-10T15:00:00Z"),
        )
        .expect("renders");
        assert!(
            d.body.contains("Jonas Weber (Bugfinders) and Tomás Berg"),
            "{}",
            d.body
        );
        assert_eq!(d.body.matches("Jonas Weber").count(), 1, "{}", d.body);
    }

    #[test]
    fn vendors_go_as_bcc_and_the_release_is_stated() {
        let (mut p, b) = setup();
        plan(&mut p);
        let d = render(
            &p,
            &b,
            &p.issues[0],
            "distros-notice",
            None,
            &[],
            None,
            at("2026-11-02T10:00:00Z"),
        )
        .expect("renders");
        // The subject any relay can read names neither severity, CVE nor
        // component (OpenSSL: "[vs] Embargoed OpenSSL issue").
        assert_eq!(d.subject, "[vs] Embargoed Demo issue");
        assert_eq!(d.to, vec!["Openwall distros <distros@vs.openwall.org>"]);
        assert_eq!(d.bcc, vec!["Vendor A <sec@vendor-a.example>"]);
        assert!(d.body.contains("2026-11-10 14:00 UTC"), "{}", d.body);
    }

    fn artifacts(p: &mut Project) {
        use crate::core::model::{Artifact, ArtifactKind};
        p.publication.download_url = "https://downloads.demo.example/{file}".into();
        p.publication.repo_url = "https://git.demo.example/demo.git".into();
        p.repo.tag_template = "demo-{version}".into();
        p.signing = Some(crate::core::model::SigningKeyRef {
            fingerprint: "0123456789ABCDEF0123456789ABCDEF01234567".into(),
            location: crate::core::model::KeyLocation::GpgAgent { homedir: None },
        });
        p.releases[0].artifacts.push(Artifact {
            kind: ArtifactKind::Tarball,
            path: "dist/demo-1.2.3.tar.xz".into(),
            size: 1,
            sha256: "ab".repeat(32),
            signature: None,
            signer: None,
        });
        p.issues[0].fix_commits.push(crate::core::model::FixCommit {
            id: "1a2b3c4".into(),
            branch: "demo-1.2.3+fixes".into(),
            summary: "Fix the overflow".into(),
        });
    }

    fn mail_of(p: &Project, b: &Playbook, name: &str) -> Draft {
        render(
            p,
            b,
            &p.issues[0],
            name,
            None,
            &[],
            None,
            at("2026-11-02T10:00:00Z"),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn the_distros_notice_carries_what_the_list_asks_for() {
        let (mut p, b) = setup();
        plan(&mut p);
        p.issues[0].cve = crate::core::model::CveState::Assigned {
            id: "CVE-2026-1111".into(),
        };
        p.issues[0].cvss = Some(crate::core::model::Cvss {
            version: crate::core::model::CvssVersion::V3_1,
            vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into(),
        });
        p.issues[0].reporter.credit = Some(Credit::Named("Ada".into()));
        let d = mail_of(&p, &b, "distros-notice");
        for secret in ["CVE-2026-1111", "high", "High", "2026-11-10", "Overflow"] {
            assert!(!d.subject.contains(secret), "{}", d.subject);
        }
        for needed in [
            "2026-11-10 14:00 UTC (Tuesday)",
            "Proposed timeline",
            "Distros notice",
            "Fix availability",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "Credits:    Ada",
            "Contact:    security@demo.example",
            "oss-security@lists.openwall.com",
            "Proof of concept: none is shared with this list.",
        ] {
            assert!(d.body.contains(needed), "{needed}: {}", d.body);
        }
        p.issues[0].poc_shared_with_distros = true;
        let d = mail_of(&p, &b, "distros-notice");
        assert!(
            d.body
                .contains("Proof of concept: available to this list on request"),
            "{}",
            d.body
        );
        assert!(d.body.contains("within 7 days"), "{}", d.body);
    }

    #[test]
    fn the_release_mails_list_files_sums_key_tag_and_versions() {
        let (mut p, b) = setup();
        plan(&mut p);
        artifacts(&mut p);
        p.issues[0]
            .affected
            .push(crate::core::model::AffectedRange {
                introduced: "1.0".into(),
                fixed: Some("1.2.3".into()),
            });
        p.recipients.push(Recipient::new(
            "Announce list",
            "announce@demo.example",
            RecipientRole::Announce,
        ));
        p.recipients.push(Recipient::new(
            "Customer",
            "c@customer.example",
            RecipientRole::SupportCustomer,
        ));
        let sum = "ab".repeat(32);
        let key = "0123456789ABCDEF0123456789ABCDEF01234567";
        let d = mail_of(&p, &b, "release-announcement");
        for needed in [
            "https://downloads.demo.example/demo-1.2.3.tar.xz",
            &format!("{sum}  demo-1.2.3.tar.xz"),
            key,
            "tag    demo-1.2.3 (signed)",
            "branch demo-1.2.3+fixes",
            "Conditions to be vulnerable",
        ] {
            assert!(d.body.contains(needed), "{needed}: {}", d.body);
        }
        let d = mail_of(&p, &b, "pre-announcement");
        assert!(d.body.contains("1.0 up to before 1.2.3"), "{}", d.body);
        assert!(
            d.body.contains("https://downloads.demo.example/"),
            "{}",
            d.body
        );
        let d = mail_of(&p, &b, "customer-notice");
        assert!(d.body.contains("1.0 up to before 1.2.3"), "{}", d.body);
        share_for_distros(&mut p);
        let to = vec![p.recipients[0].clone()];
        let d = render(
            &p,
            &b,
            &p.issues[0],
            "fix-availability",
            None,
            &to,
            Some("pw"),
            at("2026-11-02T10:00:00Z"),
        )
        .expect("renders");
        assert!(
            d.body.contains(&format!("{sum}  demo-1.2.3.tar.xz")),
            "{}",
            d.body
        );
        assert!(d.body.contains(key), "{}", d.body);
    }

    #[test]
    fn bodies_are_wrapped_at_72_columns_but_never_inside_a_url() {
        let url = format!("https://example.org/{}", "x".repeat(80));
        let long = format!(
            "{} {url} tail\nIssue:      {}\n  {}  preformatted\n",
            "word ".repeat(30).trim(),
            "value ".repeat(20).trim(),
            "f".repeat(64)
        );
        let w = wrap_body(&long);
        for line in w.lines() {
            assert!(
                line.chars().count() <= WRAP_AT || line == url || line.starts_with("  "),
                "{line:?} in\n{w}"
            );
        }
        assert!(w.lines().any(|l| l == url), "the URL stays whole:\n{w}");
        assert!(w.contains(&format!("  {}  preformatted", "f".repeat(64))));
        // A labelled field's continuation keeps the value's column.
        assert!(w.contains("\n            value"), "{w}");
        assert_eq!(wrap_body(&w), w, "wrapping twice changes nothing");
        // Every shipped mail comes out wrapped.
        let (mut p, b) = setup();
        plan(&mut p);
        p.issues[0].description = "long ".repeat(40);
        let d = mail_of(&p, &b, "distros-notice");
        for line in d.body.lines() {
            assert!(
                line.chars().count() <= WRAP_AT || line.starts_with(' '),
                "{line:?}"
            );
        }
    }

    #[test]
    fn replies_to_the_reporter_are_threaded_under_the_report() {
        let (mut p, b) = setup();
        p.issues[0].intake.channel = IntakeChannel::Mail {
            from: "Ada <ada@example.org>".into(),
            subject: "Overflow in parser".into(),
            date: "Sun, 1 Nov 2026 10:00:00 +0000".into(),
            message_id: "<report-1@example.org>".into(),
        };
        let d = mail_of(&p, &b, "reporter-ack");
        assert_eq!(d.in_reply_to.as_deref(), Some("<report-1@example.org>"));
        plan(&mut p);
        let d = mail_of(&p, &b, "distros-notice");
        assert_eq!(d.in_reply_to, None, "not a reply to the reporter");
    }

    #[test]
    fn header_recipients_come_from_the_template() {
        let (p, b) = setup();
        let d = render(
            &p,
            &b,
            &p.issues[0],
            "reporter-ack",
            None,
            &[],
            None,
            at("2026-11-02T10:00:00Z"),
        )
        .expect("renders");
        assert_eq!(d.to, vec!["ada@example.org"]);
        assert_eq!(d.addresses(), vec!["ada@example.org"]);
        assert!(d.body.starts_with("Hello Ada,"), "{}", d.body);
    }

    fn share_for_distros(p: &mut Project) {
        p.publication.embargo_url = "https://share.demo.example/embargo/{version}/".into();
        p.releases[0]
            .shares
            .push(crate::core::model::ShareCredential {
                list: "Openwall distros".into(),
                user: "openwall-distros".into(),
                bcrypt: "$2y$10$hash".into(),
                realm: "Embargoed release".into(),
                ha1: "0".repeat(32),
                created: at("2026-11-02T09:00:00Z"),
                state: crate::core::model::ShareState::Active,
            });
    }

    /// The fix-availability mail of a planned release whose embargoed
    /// download has credentials for the distros list (recipient 0) only, to
    /// recipient `to`, with `password` handed over or not.
    fn fix_availability(to: usize, password: Option<&str>) -> Result<Draft, MailError> {
        let (mut p, b) = setup();
        plan(&mut p);
        share_for_distros(&mut p);
        let to = vec![p.recipients[to].clone()];
        render(
            &p,
            &b,
            &p.issues[0],
            "fix-availability",
            None,
            &to,
            password,
            at("2026-11-02T10:00:00Z"),
        )
    }

    #[test]
    fn the_fix_availability_mail_carries_the_handed_password_and_must_be_encrypted() {
        let d = fix_availability(0, Some("s3cret-handed-over")).expect("renders");
        assert!(
            d.body.contains("https://share.demo.example/embargo/1.2.3/"),
            "{}",
            d.body
        );
        assert!(d.body.contains("openwall-distros"), "{}", d.body);
        assert!(d.body.contains("s3cret-handed-over"), "{}", d.body);
        assert!(d.carries_password);
        assert!(
            d.must_encrypt(),
            "a mail carrying a password goes encrypted"
        );
    }

    #[test]
    fn without_the_password_the_fix_availability_mail_says_how_to_get_one() {
        let err = fix_availability(0, None).expect_err("no password");
        let text = err.to_string();
        assert!(text.contains("`share.password`"), "{text}");
        assert!(text.contains("never stored"), "{text}");
        // A list without credentials is told to make them.
        let err = fix_availability(1, Some("x")).expect_err("no credentials for the vendor");
        assert!(
            err.to_string().contains("active download credentials"),
            "{err}"
        );
    }

    #[test]
    fn pasted_addresses_become_new_recipients() {
        let (p, _) = setup();
        let (new, bad) = parse_pasted(
            &p,
            "\"Vendor B\" <sec@b.example>\nsec@vendor-a.example; c@c.example, not an address",
            RecipientRole::Vendor,
        );
        let addrs: Vec<&str> = new.iter().map(|r| r.address.as_str()).collect();
        assert_eq!(addrs, vec!["sec@b.example", "c@c.example"]);
        assert_eq!(new[0].name, "Vendor B");
        assert_eq!(bad, vec!["not an address"]);
    }

    #[test]
    fn recipients_are_picked_by_role_name_or_address() {
        let (p, _) = setup();
        let r = pick_recipients(&p, "vendor, Openwall distros, x@y.example").expect("found");
        assert_eq!(r.len(), 3);
        assert!(pick_recipients(&p, "nobody").is_err());
    }
}
