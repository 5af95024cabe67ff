//! The checks a notice passes before it leaves, and what sending it changes.
//!
//! [`check`] refuses a mail that breaks the rules of the lists it goes to: a
//! mail to an Openwall `vs.openwall.org` list carries `[vs]` in its subject,
//! starts no embargo longer than 14 days and states the release date and
//! time; every recipient that gets it encrypted has a usable certificate;
//! vendors and support customers are Bcc; before publication no address
//! outside the issue's embargo lists (registered private recipients and the
//! reporter) gets it, whether typed, picked or named by a template; nothing
//! embargoed reaches a public list, and no release announcement leaves, before the release is marked
//! published (the planned instant having passed is not enough: releases
//! slip), unless the user gives a reason to send it before publication; a
//! mail that points at the release's files needs recorded files; a mail
//! carrying a download password carries the one of its list.
//! [`record_sent`] writes a sent mail into the issue's journal and its
//! recipients' state; [`record_saved`] journals a mail saved for the user's
//! own mail client; both journal a reason to send before publication.
//! Both also record on each recipient's notice state what the mail told
//! them ([`crate::core::told`]), and the journal says what it told
//! differently from before. [`patch_plan`] decides which mails carry the
//! patch, where it comes from and whether it is attached (only to an
//! encrypted mail); [`patch_warning`] says when it is not.
//! [`smtp_server`] decides where a notice is submitted (a `HOST:PORT` given
//! by the user, else the project's server), the same way for both front
//! ends. Pure code: whether a certificate is usable and whether a password matches its
//! stored hash are asked through the closures of a [`Verify`] the caller
//! gives.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::core::model::{
    Event, Issue, JournalEntry, MailSettings, Project, Recipient, ShareCredential, StepKind,
};
use crate::core::render::mail::{self as mails, Draft, address_of};
use crate::core::share;

/// The longest embargo the Openwall lists accept, in days.
pub const MAX_VS_EMBARGO_DAYS: i64 = 14;

/// The domain of the Openwall lists that require `[vs]` and accept at most
/// 14 days of embargo.
pub const VS_DOMAIN: &str = "vs.openwall.org";

/// A check a mail failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The check's identifier: `vs-subject`, `vs-embargo-length`,
    /// `release-stated`, `encryption`, `vendor-bcc`, `public-before-release`,
    /// `no-artifacts`, `share-password`.
    pub check: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.check, self.message)
    }
}

fn is_vs(address: &str) -> bool {
    address
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.eq_ignore_ascii_case(VS_DOMAIN))
}

fn is_public(r: &Recipient) -> bool {
    r.role.is_public() || r.address.to_ascii_lowercase().starts_with("oss-security@")
}

/// The instant the embargo ends: the release's publication, else its plan.
pub fn release_instant(project: &Project, issue: &Issue) -> Option<DateTime<Utc>> {
    project
        .release_of(&issue.id)
        .and_then(|r| r.published.or(r.planned))
}

/// The check that a reason to send before publication lets pass.
pub const BEFORE_PUBLICATION: &str = "public-before-release";

/// The check that refuses, before publication, an address that is not on
/// the issue's embargo lists (no reason lets it pass).
pub const OUTSIDE_EMBARGO: &str = "outside-embargo";

/// Whether `address` is on the embargo lists of `issue`: a recipient of the
/// project with a private role (not Announce, not oss-security), or the
/// issue's reporter.
pub fn on_embargo_lists(project: &Project, issue: &Issue, address: &str) -> bool {
    let registered = project
        .recipients
        .iter()
        .any(|r| !is_public(r) && r.address.trim().eq_ignore_ascii_case(address.trim()));
    let reporter = address_of(&issue.reporter.contact);
    registered || (!reporter.is_empty() && reporter.eq_ignore_ascii_case(address.trim()))
}

/// The addresses of `draft` (To, Cc and Bcc, whether typed, picked or named
/// by the template) that are neither on the issue's embargo lists nor
/// registered public lists (those wait for publication under
/// [`BEFORE_PUBLICATION`]).
pub fn outside_embargo(project: &Project, issue: &Issue, draft: &Draft) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in draft.addresses() {
        let public = project
            .recipients
            .iter()
            .any(|r| is_public(r) && r.address.eq_ignore_ascii_case(&a));
        if public || on_embargo_lists(project, issue, &a) {
            continue;
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&a)) {
            out.push(a);
        }
    }
    out
}

/// Why `draft` should not leave as it is although it passes the checks:
/// it carries embargoed details before the release is marked published but
/// goes out unencrypted (no recipient must get encrypted mail), so anyone
/// handling it on the way can read them. `None` when it is encrypted, says
/// nothing embargoed, goes to a public list (then [`BEFORE_PUBLICATION`]
/// is what matters) or the release is public. The app asks before it
/// sends such a mail; `embargo mail` warns.
pub fn unencrypted_embargoed(project: &Project, issue: &Issue, draft: &Draft) -> Option<String> {
    let published = project
        .release_of(&issue.id)
        .is_some_and(|r| r.published.is_some());
    if published || !draft.embargoed_details || draft.must_encrypt() {
        return None;
    }
    if draft.recipients.iter().any(is_public) {
        return None;
    }
    Some(format!(
        "the `{}` mail carries embargoed details but goes out unencrypted to {}: anyone who handles it on the way can read them; to encrypt it, tick “Encrypt” for its recipients under Project › Recipients (with their certificates imported)",
        draft.template,
        draft.addresses().join(", ")
    ))
}

/// Why the certificate of the recipient at `address`, whose user IDs name
/// the addresses `uid_addresses`, is suspicious: none of them is
/// `address`, so it may be somebody else's key. `None` when one matches.
pub fn cert_mismatch(address: &str, uid_addresses: &[String]) -> Option<String> {
    let address = address_of(address);
    if uid_addresses
        .iter()
        .any(|u| u.trim().eq_ignore_ascii_case(&address))
    {
        return None;
    }
    let named = if uid_addresses.is_empty() {
        "no address".to_owned()
    } else {
        uid_addresses.join(", ")
    };
    Some(format!(
        "the certificate of {address} names {named} in its user IDs, not {address}: it may be somebody else's key; check it and import the right one under Project › Recipients"
    ))
}

/// The templates that carry the patch to every recipient: the distros
/// notice (the list's members package the fix from it, as the OpenSSF
/// embargo template and the Openwall policy expect).
pub const PATCH_TEMPLATES: [&str; 1] = ["distros-notice"];

/// The templates that carry the patch when every recipient of the mail
/// asked for it (`embargo notice-state --wants-patch`, the recipients
/// window's “Wants patch”).
pub const PATCH_ON_REQUEST: [&str; 2] = ["customer-notice", "fix-availability"];

/// Where a notice's patch comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchSource {
    /// The standalone patch the release's build made, as recorded (a
    /// relative path is taken from the project file's directory).
    Artifact {
        /// Its path.
        path: String,
        /// Its recorded size.
        size: u64,
        /// Its recorded SHA-256.
        sha256: String,
    },
    /// Made from the issue's recorded fix commits (format-patch style),
    /// when the release records no patch file.
    FixCommits(Vec<String>),
}

/// The patch a notice carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchPlan {
    /// The attachment's file name, e.g. `postbote-CVE-2026-41234.patch`.
    pub file_name: String,
    /// Where its bytes come from; `None` when no patch is available yet.
    pub source: Option<PatchSource>,
    /// Whether it is attached: only when there is one and the mail goes
    /// out encrypted (an embargoed patch never leaves in clear).
    pub attached: bool,
}

/// The patch the `template` mail of `issue` to `to` carries, if it carries
/// one ([`PATCH_TEMPLATES`], or [`PATCH_ON_REQUEST`] when everyone in `to`
/// wants it): the release's recorded patch file (the last one), else the
/// issue's fix commits, else none; attached only when `encrypted`.
pub fn patch_plan(
    project: &Project,
    issue: &Issue,
    template: &str,
    to: &[Recipient],
    encrypted: bool,
) -> Option<PatchPlan> {
    let asked = !to.is_empty()
        && to
            .iter()
            .all(|r| issue.notice(&r.address).is_some_and(|n| n.wants_patch));
    let carries =
        PATCH_TEMPLATES.contains(&template) || (PATCH_ON_REQUEST.contains(&template) && asked);
    if !carries {
        return None;
    }
    let artifact = project.release_of(&issue.id).and_then(|r| {
        r.artifacts
            .iter()
            .rev()
            .find(|a| a.kind == crate::core::model::ArtifactKind::Patch)
    });
    let source = match artifact {
        Some(a) => Some(PatchSource::Artifact {
            path: a.path.clone(),
            size: a.size,
            sha256: a.sha256.clone(),
        }),
        None if !issue.fix_commits.is_empty() => Some(PatchSource::FixCommits(
            issue.fix_commits.iter().map(|c| c.id.clone()).collect(),
        )),
        None => None,
    };
    Some(PatchPlan {
        file_name: patch_file_name(project, issue),
        attached: encrypted && source.is_some(),
        source,
    })
}

/// The patch's file name: the project's slug and the issue's CVE (else its
/// ID), e.g. `postbote-CVE-2026-41234.patch`; `fix.patch` when that is not
/// one plain file name ([`crate::core::model::safe_file_name`]).
pub fn patch_file_name(project: &Project, issue: &Issue) -> String {
    let id = issue.cve_id().unwrap_or(&issue.id);
    let slug = crate::core::model::slug(&project.name);
    let name = if slug.is_empty() {
        format!("{id}.patch")
    } else {
        format!("{slug}-{id}.patch")
    };
    crate::core::model::safe_file_name(&name)
        .map(str::to_owned)
        .unwrap_or_else(|_| "fix.patch".to_owned())
}

/// What the user should know about the patch of `draft`: none is
/// available for a mail that carries one (it says so in its text), or it
/// is withheld because the mail goes out unencrypted; `None` when it is
/// attached or the mail carries none.
pub fn patch_warning(draft: &Draft) -> Option<String> {
    let plan = draft.patch.as_ref()?;
    match (&plan.source, plan.attached) {
        (_, true) => None,
        (None, _) => Some(format!(
            "no patch is attached to the `{}` mail (its text says so): the release records no patch file and the issue no fix commits; build the release's files (`embargo artifacts`) or record the fix commits to attach it",
            draft.template
        )),
        (Some(_), false) => Some(format!(
            "the patch is not attached to the `{}` mail because the mail goes out unencrypted, and an embargoed patch never leaves in clear (its text says so); to attach it, tick “Encrypt” for its recipients under Project › Recipients (with their certificates imported)",
            draft.template
        )),
    }
}

/// The mail template a step of this kind sends, for its “Compose…” button.
pub fn step_template(kind: StepKind) -> Option<&'static str> {
    Some(match kind {
        StepKind::IntakeRecord => "reporter-ack",
        StepKind::NotSecurityReply => "not-security-reply",
        StepKind::AdvanceNotice => "advance-notice",
        StepKind::PrenotifyVendors => "distros-notice",
        StepKind::PreAnnounce => "pre-announcement",
        StepKind::FixAvailability => "fix-availability",
        StepKind::PublishRelease => "release-announcement",
        _ => return None,
    })
}

/// Where a sent or saved notice came from, beyond its draft.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The key of the step it was composed for: sending it settles the
    /// step.
    pub step: Option<String>,
    /// Whether the subject or the body was edited after it was rendered.
    pub edited: bool,
}

impl Origin {
    fn note(&self) -> &'static str {
        if self.edited {
            "; subject or body edited before it left"
        } else {
            ""
        }
    }
}

/// What the checks ask of the caller, who can read certificates and hashes.
pub struct Verify<'a> {
    /// Whether a recipient's certificate can be encrypted to (`Err` says why
    /// not).
    pub cert: &'a dyn Fn(&Recipient) -> Result<(), String>,
    /// Whether the download password the mail carries is the one this
    /// credential's hash was made from (`Err` says why not).
    pub share_password: &'a dyn Fn(&ShareCredential) -> Result<(), String>,
}

/// Check `draft` for `issue` as of `now`, asking `verify` about
/// certificates and the download password. An empty result means the mail
/// may leave.
pub fn check(
    project: &Project,
    issue: &Issue,
    draft: &Draft,
    now: DateTime<Utc>,
    verify: &Verify<'_>,
) -> Vec<Failure> {
    let usable_cert = verify.cert;
    let mut out = Vec::new();
    let addresses = draft.addresses();
    let vs: Vec<&String> = addresses.iter().filter(|a| is_vs(a)).collect();
    let release = project.release_of(&issue.id);
    let instant = release_instant(project, issue);
    if let Some(first) = vs.first() {
        if !draft.subject.contains("[vs]") {
            out.push(Failure {
                check: "vs-subject",
                message: format!(
                    "the mail goes to {first}, whose list requires `[vs]` in the subject; add it to the subject"
                ),
            });
        }
        match instant {
            Some(at) if release.is_some_and(|r| r.published.is_none()) => {
                if at - now > Duration::days(MAX_VS_EMBARGO_DAYS) {
                    out.push(Failure {
                        check: "vs-embargo-length",
                        message: format!(
                            "the release is {} days away; the Openwall lists accept at most {MAX_VS_EMBARGO_DAYS} days of embargo: send this notice on {} or later",
                            (at - now).num_days(),
                            (at - Duration::days(MAX_VS_EMBARGO_DAYS)).format("%Y-%m-%d %H:%M UTC")
                        ),
                    });
                }
            }
            Some(_) => {}
            None => out.push(Failure {
                check: "vs-embargo-length",
                message: format!(
                    "{} has no planned release instant, so the embargo has no end; plan the release first",
                    issue.id
                ),
            }),
        }
    }
    if !vs.is_empty() || draft.starts_embargo {
        match instant {
            Some(at) => {
                let date = at.format("%Y-%m-%d").to_string();
                let time = at.format("%H:%M").to_string();
                if !(draft.body.contains(&date) && draft.body.contains(&time)) {
                    out.push(Failure {
                        check: "release-stated",
                        message: format!(
                            "the mail does not state the release date and time ({date} {time} UTC); say it in the body"
                        ),
                    });
                }
            }
            None => out.push(Failure {
                check: "release-stated",
                message: format!(
                    "the mail must state the release date and time, but {} has no planned release; plan it first",
                    issue.id
                ),
            }),
        }
    }
    if draft.must_encrypt() {
        let needing: Vec<&str> = draft
            .recipients
            .iter()
            .filter(|r| r.must_encrypt)
            .map(|r| r.address.as_str())
            .collect();
        for r in &draft.recipients {
            if let Err(why) = usable_cert(r) {
                let because = if r.must_encrypt {
                    "must get encrypted mail".to_owned()
                } else if draft.carries_password {
                    "gets this mail encrypted because it carries the download password".to_owned()
                } else {
                    format!(
                        "gets this mail encrypted because {} must",
                        needing.join(", ")
                    )
                };
                out.push(Failure {
                    check: "encryption",
                    message: format!(
                        "{} {because}, but {why}; import their certificate under Project › Recipients, or send to them separately",
                        r.address
                    ),
                });
            }
        }
    }
    let open: Vec<String> = draft
        .to
        .iter()
        .chain(&draft.cc)
        .map(|m| address_of(m))
        .collect();
    for r in &draft.recipients {
        if r.role.is_bcc() && open.iter().any(|a| a.eq_ignore_ascii_case(&r.address)) {
            out.push(Failure {
                check: "vendor-bcc",
                message: format!(
                    "{} is a {} and must be Bcc, so that vendors do not see each other; move it to Bcc",
                    r.address,
                    r.role.label().to_lowercase()
                ),
            });
        }
    }
    let public: Vec<&str> = draft
        .recipients
        .iter()
        .filter(|r| is_public(r))
        .map(|r| r.address.as_str())
        .collect();
    let shipped = mails::template(&draft.template);
    let announces = shipped.is_some_and(|t| t.after_publication);
    let published = release.is_some_and(|r| r.published.is_some());
    if !published {
        let outside = outside_embargo(project, issue, draft);
        if !outside.is_empty() {
            out.push(Failure {
                check: OUTSIDE_EMBARGO,
                message: format!(
                    "{} {} not on the embargo lists of {} (the recipients registered under Project › Recipients with a private role, and the reporter), and the release is not marked published; register {} there with its role first (a public list as Announce or oss-security), or send once the release is published",
                    outside.join(", "),
                    if outside.len() == 1 { "is" } else { "are" },
                    issue.id,
                    if outside.len() == 1 { "it" } else { "them" },
                ),
            });
        }
    }
    // Any mail to a public list waits for publication, whatever its
    // template says it carries: a project may override any template, and
    // a slipped release makes even a dated pre-announcement wrong.
    if (announces || !public.is_empty()) && !published {
        match draft.before_publication.as_deref().map(str::trim) {
            Some(reason) if !reason.is_empty() => {}
            Some(_) => out.push(Failure {
                check: BEFORE_PUBLICATION,
                message:
                    "the reason to send before publication is empty; say why the mail must go now"
                        .to_owned(),
            }),
            None => {
                let what = if public.is_empty() {
                    format!("the `{}` mail announces the release", draft.template)
                } else {
                    format!(
                        "the `{}` mail would reach the public list {}",
                        draft.template,
                        public.join(", ")
                    )
                };
                let state = match release {
                    Some(r) => match r.planned {
                        Some(at) => format!(
                            "release {} is not marked published (it is planned for {}, but releases slip)",
                            r.version,
                            at.format("%Y-%m-%d %H:%M UTC")
                        ),
                        None => format!("release {} is not marked published", r.version),
                    },
                    None => format!("{} has no release yet", issue.id),
                };
                out.push(Failure {
                    check: BEFORE_PUBLICATION,
                    message: format!(
                        "{what}, but {state}; record the release as published first (“Record as published now”), or send it anyway with --before-publication --reason TEXT (the app asks for the reason)"
                    ),
                });
            }
        }
    }
    if shipped.is_some_and(|t| t.needs_artifacts)
        && let Some(r) = release
        && r.artifacts.is_empty()
    {
        out.push(Failure {
            check: "no-artifacts",
            message: format!(
                "release {} records no release files, so the `{}` mail would point at nothing to download; build and sign the release first (the signing step, or `embargo sign --project FILE --release {}`)",
                r.version, draft.template, r.id
            ),
        });
    }
    if draft.carries_password {
        let credential = release
            .zip(draft.share_list.as_deref())
            .and_then(|(r, list)| share::active(r, list));
        let list = draft.share_list.as_deref().unwrap_or("this list");
        let wrong = match credential {
            None => Some(format!("{list} has no active download credentials")),
            Some(c) => (verify.share_password)(c).err(),
        };
        if let Some(why) = wrong {
            out.push(Failure {
                check: "share-password",
                message: format!(
                    "the download password handed in is not the one of {list} ({why}); hand in the password `embargo share` printed for this list, or rotate its credentials (`embargo share --rotate \"{list}\"`) and mail the new one"
                ),
            });
        }
    }
    debug_assert!(
        out.iter()
            .all(|f| !crate::core::checks::explain(f.check).is_empty()),
        "every notice check has an explanation in core::checks"
    );
    out
}

/// Record a sent mail: a journal entry on the issue (recipients, subject,
/// template and Message-ID), and each recipient's notice state (when, which
/// mail). A reason to send before publication is journaled first, as the
/// coordinator's acknowledgement of that check.
pub fn record_sent(issue: &mut Issue, draft: &Draft, message_id: &str, at: DateTime<Utc>) {
    record_sent_from(issue, draft, message_id, at, &Origin::default());
}

/// [`record_sent`] of a mail from `origin`: the journal says when it was
/// edited, and the step it was composed for is marked done (sending it is
/// what the step asks).
pub fn record_sent_from(
    issue: &mut Issue,
    draft: &Draft,
    message_id: &str,
    at: DateTime<Utc>,
    origin: &Origin,
) {
    record_override(issue, draft, "sent", at);
    let corrected = remember(issue, draft, at, false);
    issue.journal.push(
        JournalEntry::new(
            at,
            origin.step.as_deref(),
            Event::MailSent {
                to: draft.addresses().join(", "),
                subject: draft.subject.clone(),
            },
        )
        .with_note(format!(
            "template {}, Message-ID {message_id}{}{corrected}",
            draft.template,
            origin.note()
        )),
    );
    for r in &draft.recipients {
        let n = issue.notice_mut(&r.address);
        n.notified_at = Some(at);
        n.message_id = message_id.to_owned();
        n.template = draft.template.clone();
    }
    if let Some(step) = &origin.step {
        issue.journal.push(
            JournalEntry::new(at, Some(step), Event::StepDone).with_note(format!(
                "the `{}` mail “{}” was sent ({message_id})",
                draft.template, draft.subject
            )),
        );
    }
}

/// Record a mail saved as an `.eml` file for the user's own mail client:
/// an artifact in the journal, not a sent mail (it may never leave), so no
/// recipient counts as notified.
pub fn record_saved(
    issue: &mut Issue,
    draft: &Draft,
    message_id: &str,
    path: &str,
    at: DateTime<Utc>,
) {
    record_saved_from(issue, draft, message_id, path, at, &Origin::default());
}

/// [`record_saved`] of a mail from `origin`: the journal says when it was
/// edited. Saving is not sending, so its step stays as it is.
pub fn record_saved_from(
    issue: &mut Issue,
    draft: &Draft,
    message_id: &str,
    path: &str,
    at: DateTime<Utc>,
    origin: &Origin,
) {
    record_override(issue, draft, "saved", at);
    let corrected = remember(issue, draft, at, true);
    issue.journal.push(
        JournalEntry::new(
            at,
            None,
            Event::ArtifactMade {
                path: path.to_owned(),
            },
        )
        .with_note(format!(
            "mail draft “{}” to {} (template {}, Message-ID {message_id}{}){corrected}",
            draft.subject,
            draft.addresses().join(", "),
            draft.template,
            origin.note()
        )),
    );
}

/// Record on each recipient's notice state what `draft` tells them
/// ([`crate::core::told`]); returns, for the journal, what it tells them
/// differently from before (`; tells severity Moderate -> High`), empty
/// when nothing it states had been told otherwise.
fn remember(issue: &mut Issue, draft: &Draft, at: DateTime<Utc>, saved: bool) -> String {
    use crate::core::model::Told;
    use crate::core::told;
    let new = &draft.told;
    if *new == Told::default() {
        return String::new();
    }
    let mut said: Vec<String> = Vec::new();
    for r in &draft.recipients {
        let n = issue.notice_mut(&r.address);
        let mut t = n.told.clone().unwrap_or_default();
        // What this mail corrects: a fact told before, told differently now.
        for ch in told::changes(&t, &told::merged(&t, new), false) {
            let line = format!("{} {} -> {}", ch.label.to_lowercase(), ch.old, ch.new);
            if !said.contains(&line) {
                said.push(line);
            }
        }
        told::merge(&mut t, new);
        t.at = Some(at);
        t.template.clone_from(&draft.template);
        t.saved = saved;
        n.told = Some(t);
    }
    if said.is_empty() {
        String::new()
    } else {
        format!("; tells {}", said.join(", "))
    }
}

/// Journal the reason `draft` gives to go before the release is marked
/// published, if it gives one.
fn record_override(issue: &mut Issue, draft: &Draft, how: &str, at: DateTime<Utc>) {
    let Some(reason) = draft
        .before_publication
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    else {
        return;
    };
    issue.journal.push(
        JournalEntry::new(
            at,
            None,
            Event::CheckAcknowledged {
                check: BEFORE_PUBLICATION.to_owned(),
            },
        )
        .with_note(format!(
            "the `{}` mail “{}” was {how} before the release was marked published: {reason}",
            draft.template, draft.subject
        )),
    );
}

/// The SMTP server a notice cannot be submitted to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ServerError {
    /// The server given is not `HOST:PORT`.
    #[error(
        "the SMTP server `{0}` is not HOST:PORT (e.g. smtp.example.org:587, [::1]:2525): give the host and its port"
    )]
    NotHostPort(String),
    /// The port of the server given is not a port number.
    #[error("the SMTP server `{given}`: `{port}` is not a port number (1 to 65535)")]
    Port {
        /// The server as given.
        given: String,
        /// The port part.
        port: String,
    },
    /// No server is given and the project names none.
    #[error(
        "the project has no SMTP server; set it in {} and {}, or give the server as HOST:PORT",
        crate::core::settings::SMTP_HOST,
        crate::core::settings::SMTP_PORT
    )]
    Unset,
}

/// `HOST:PORT` (an IPv6 address in brackets, `[::1]:25`) as host and port.
/// A missing or empty host, a missing port, port 0 and an IPv6 address
/// without brackets are refused.
pub fn parse_host_port(given: &str) -> Result<(String, u16), ServerError> {
    let text = given.trim();
    let bad = || ServerError::NotHostPort(given.to_owned());
    let (host, port) = text.rsplit_once(':').ok_or_else(bad)?;
    let host = match host.strip_prefix('[') {
        Some(inner) => inner.strip_suffix(']').ok_or_else(bad)?,
        None if host.contains(':') || host.contains(']') => return Err(bad()),
        None => host,
    };
    if host.trim().is_empty() || host.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok((host.to_owned(), p)),
        _ => Err(ServerError::Port {
            given: given.to_owned(),
            port: port.to_owned(),
        }),
    }
}

/// Where a notice is submitted: `given` (the command line's `--smtp`, the
/// notice window's field when filled) parsed as `HOST:PORT`, else the
/// project's host and port, which must both be set.
pub fn smtp_server(mail: &MailSettings, given: Option<&str>) -> Result<(String, u16), ServerError> {
    match given {
        Some(g) => parse_host_port(g),
        None if mail.smtp_host.trim().is_empty() || mail.smtp_port == 0 => Err(ServerError::Unset),
        None => Ok((mail.smtp_host.trim().to_owned(), mail.smtp_port)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{PlaybookRef, RecipientRole, Release};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn project(planned: &str) -> Project {
        let mut p = Project::new("Demo", PlaybookRef::Builtin("exim".into()));
        p.issues
            .push(Issue::new("DEMO-1", "x", at("2026-11-01T10:00:00Z")));
        p.releases.push(Release {
            id: "1".into(),
            version: "1.0.1".into(),
            planned: Some(at(planned)),
            published: None,
            base_tag: None,
            issues: vec!["DEMO-1".into()],
            artifacts: Vec::new(),
            milestones: Default::default(),
            shares: Vec::new(),
        });
        // The lists the tests write to are the project's, with their roles.
        p.recipients = vec![
            distros(),
            Recipient::new("m", "m@demo.example", RecipientRole::Maintainers),
            Recipient::new("v", "v@vendor.example", RecipientRole::Vendor),
            Recipient::new(
                "o",
                "oss-security@lists.openwall.com",
                RecipientRole::OssSecurity,
            ),
            announce(),
        ];
        p
    }

    fn draft(subject: &str, body: &str, recipients: Vec<Recipient>) -> Draft {
        let mut d = Draft {
            template: "distros-notice".into(),
            subject: subject.into(),
            to: Vec::new(),
            cc: Vec::new(),
            bcc: Vec::new(),
            body: body.into(),
            recipients: Vec::new(),
            embargoed_details: true,
            starts_embargo: true,
            carries_password: false,
            share_list: None,
            before_publication: None,
            in_reply_to: None,
            told: Default::default(),
            patch: None,
        };
        for r in &recipients {
            d.to.push(r.mailbox());
        }
        d.recipients = recipients;
        d
    }

    fn cert_ok(_: &Recipient) -> Result<(), String> {
        Ok(())
    }

    fn password_ok(_: &ShareCredential) -> Result<(), String> {
        Ok(())
    }

    /// Every certificate usable, every password right.
    const OK: Verify<'static> = Verify {
        cert: &cert_ok,
        share_password: &password_ok,
    };

    fn checks(f: &[Failure]) -> Vec<&'static str> {
        f.iter().map(|f| f.check).collect()
    }

    fn distros() -> Recipient {
        Recipient::new("distros", "distros@vs.openwall.org", RecipientRole::Distros)
    }

    #[test]
    fn a_good_vs_notice_passes() {
        let p = project("2026-11-10T14:00:00Z");
        let d = draft("[vs] x", "on 2026-11-10 at 14:00 UTC", vec![distros()]);
        assert!(check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &OK).is_empty());
    }

    #[test]
    fn vs_rules_refuse_missing_tag_long_embargo_and_unstated_date() {
        let p = project("2026-12-10T14:00:00Z");
        let d = draft("no tag", "soon", vec![distros()]);
        let f = check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &OK);
        assert_eq!(
            checks(&f),
            vec!["vs-subject", "vs-embargo-length", "release-stated"]
        );
    }

    #[test]
    fn encryption_needs_a_usable_certificate_for_everyone() {
        let p = project("2026-11-10T14:00:00Z");
        let mut secret = distros();
        secret.must_encrypt = true;
        let other = Recipient::new("m", "m@demo.example", RecipientRole::Maintainers);
        let d = draft("[vs] x", "2026-11-10 14:00", vec![secret, other]);
        let no_cert = |_: &Recipient| Err("no certificate is imported".to_owned());
        let verify = Verify {
            cert: &no_cert,
            share_password: &password_ok,
        };
        let f = check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &verify);
        assert_eq!(checks(&f), vec!["encryption", "encryption"]);
        assert!(
            f[1].message
                .contains("because distros@vs.openwall.org must")
        );
    }

    #[test]
    fn vendors_in_to_and_public_lists_before_release_are_refused() {
        let p = project("2026-11-10T14:00:00Z");
        let vendor = Recipient::new("v", "v@vendor.example", RecipientRole::Vendor);
        let oss = Recipient::new(
            "o",
            "oss-security@lists.openwall.com",
            RecipientRole::OssSecurity,
        );
        let mut d = draft("x", "2026-11-10 14:00", vec![vendor, oss]);
        d.starts_embargo = false;
        let before = check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &OK);
        assert_eq!(checks(&before), vec!["vendor-bcc", "public-before-release"]);
        // The planned instant passing is not enough: releases slip.
        let after = check(&p, &p.issues[0], &d, at("2026-11-10T14:00:00Z"), &OK);
        assert_eq!(checks(&after), vec!["vendor-bcc", "public-before-release"]);
        let mut p = p;
        p.releases[0].published = Some(at("2026-11-10T14:05:00Z"));
        let published = check(&p, &p.issues[0], &d, at("2026-11-10T14:05:00Z"), &OK);
        assert_eq!(checks(&published), vec!["vendor-bcc"]);
    }

    fn announce() -> Recipient {
        Recipient::new("announce", "announce@demo.example", RecipientRole::Announce)
    }

    fn artifact() -> crate::core::model::Artifact {
        crate::core::model::Artifact {
            path: "/srv/demo-1.0.1.tar.xz".into(),
            kind: crate::core::model::ArtifactKind::Tarball,
            size: 1,
            sha256: "0".repeat(64),
            signature: None,
            signer: None,
        }
    }

    /// A mail from `template` to `to`, which states nothing the other
    /// checks look at.
    fn mail(template: &str, to: Recipient) -> Draft {
        let mut d = draft("x", "b", vec![to]);
        let t = mails::template(template).expect("shipped");
        d.template = template.into();
        d.embargoed_details = t.embargoed_details;
        d.starts_embargo = t.starts_embargo;
        d
    }

    #[test]
    fn announcements_wait_until_the_release_is_marked_published() {
        let mut p = project("2026-11-10T14:00:00Z");
        p.releases[0].artifacts.push(artifact());
        let late = at("2026-11-11T09:00:00Z");
        let maintainers = Recipient::new("m", "m@demo.example", RecipientRole::Maintainers);
        for d in [
            mail("release-announcement", announce()),
            mail("oss-security", maintainers.clone()),
            mail("reporter-ack", announce()),
        ] {
            let f = check(&p, &p.issues[0], &d, late, &OK);
            assert_eq!(checks(&f), vec!["public-before-release"], "{}", d.template);
            assert!(f[0].message.contains("not marked published"), "{}", f[0]);
            assert!(f[0].message.contains("--before-publication"), "{}", f[0]);
        }
        // Any mail to a public list waits, a pre-announcement too (a
        // project's override of its template may say anything); with a
        // reason it goes.
        let mut pre = mail("pre-announcement", announce());
        let f = check(&p, &p.issues[0], &pre, late, &OK);
        assert_eq!(checks(&f), vec!["public-before-release"], "{f:?}");
        pre.before_publication = Some("the release date is public by design".into());
        assert!(check(&p, &p.issues[0], &pre, late, &OK).is_empty());
        // A reason lets it go; an empty one does not.
        let mut d = mail("release-announcement", announce());
        d.before_publication = Some("the tarball is public already".into());
        assert!(check(&p, &p.issues[0], &d, late, &OK).is_empty());
        d.before_publication = Some("  ".into());
        let f = check(&p, &p.issues[0], &d, late, &OK);
        assert!(f[0].message.contains("reason"), "{}", f[0]);
        // Once published it goes.
        p.releases[0].published = Some(late);
        let d = mail("release-announcement", announce());
        assert!(check(&p, &p.issues[0], &d, late, &OK).is_empty());
    }

    #[test]
    fn mails_pointing_at_the_files_need_recorded_files() {
        let mut p = project("2026-11-10T14:00:00Z");
        p.releases[0].published = Some(at("2026-11-10T14:00:00Z"));
        let now = at("2026-11-11T09:00:00Z");
        let maintainers = Recipient::new("m", "m@demo.example", RecipientRole::Maintainers);
        for template in ["release-announcement", "fix-availability"] {
            let d = mail(template, maintainers.clone());
            let f = check(&p, &p.issues[0], &d, now, &OK);
            assert_eq!(checks(&f), vec!["no-artifacts"], "{template}");
            assert!(f[0].message.contains("no release files"), "{}", f[0]);
        }
        p.releases[0].artifacts.push(artifact());
        let d = mail("release-announcement", maintainers);
        assert!(check(&p, &p.issues[0], &d, now, &OK).is_empty());
    }

    #[test]
    fn a_carried_download_password_must_be_its_lists() {
        let mut p = project("2026-11-10T14:00:00Z");
        p.releases[0].artifacts.push(artifact());
        p.releases[0].shares.push(ShareCredential {
            list: "distros".into(),
            user: "distros".into(),
            bcrypt: "$2y$10$hash".into(),
            realm: "Embargoed release".into(),
            ha1: "0".repeat(32),
            created: at("2026-11-02T09:00:00Z"),
            state: crate::core::model::ShareState::Active,
        });
        let mut d = mail("fix-availability", distros());
        d.subject = "[vs] x".into();
        d.body = "until 2026-11-10 14:00 UTC".into();
        d.carries_password = true;
        d.share_list = Some("distros".into());
        let now = at("2026-11-03T10:00:00Z");
        assert!(check(&p, &p.issues[0], &d, now, &OK).is_empty());
        let wrong = |_: &ShareCredential| Err("it does not match the stored hash".to_owned());
        let verify = Verify {
            cert: &cert_ok,
            share_password: &wrong,
        };
        let f = check(&p, &p.issues[0], &d, now, &verify);
        assert_eq!(checks(&f), vec!["share-password"]);
        assert!(f[0].message.contains("not the one of distros"), "{}", f[0]);
        // A list whose credentials were revoked has no password to carry.
        p.releases[0].shares[0].state = crate::core::model::ShareState::Revoked;
        let f = check(&p, &p.issues[0], &d, now, &OK);
        assert_eq!(checks(&f), vec!["share-password"]);
    }

    #[test]
    fn an_address_outside_the_embargo_lists_is_refused_until_publication() {
        let mut p = project("2026-11-10T14:00:00Z");
        p.issues[0].reporter.contact = "Ada <ada@example.org>".into();
        let typed = Recipient::new("", "all@lists.example", RecipientRole::Reporter);
        let m = Recipient::new("m", "m@demo.example", RecipientRole::Maintainers);
        let mut d = mail("advance-notice", m);
        d.to.push(typed.mailbox());
        d.recipients.push(typed);
        let now = at("2026-11-03T10:00:00Z");
        let f = check(&p, &p.issues[0], &d, now, &OK);
        assert_eq!(checks(&f), vec![OUTSIDE_EMBARGO], "{f:?}");
        assert!(f[0].message.contains("all@lists.example"), "{}", f[0]);
        assert!(f[0].message.contains("Project › Recipients"), "{}", f[0]);
        // No reason lets it pass.
        d.before_publication = Some("the list asked".into());
        let f = check(&p, &p.issues[0], &d, now, &OK);
        assert_eq!(checks(&f), vec![OUTSIDE_EMBARGO], "{f:?}");
        // The reporter is on the lists, registered or not.
        let mut ack = mail("reporter-ack", announce());
        ack.to = vec!["ada@example.org".into()];
        ack.recipients = vec![Recipient::new(
            "",
            "ada@example.org",
            RecipientRole::Reporter,
        )];
        assert!(check(&p, &p.issues[0], &ack, now, &OK).is_empty());
        // Once published it may go anywhere.
        p.releases[0].published = Some(now);
        d.before_publication = None;
        assert!(check(&p, &p.issues[0], &d, now, &OK).is_empty());
    }

    #[test]
    fn embargoed_details_in_clear_are_named_and_public_or_encrypted_mail_is_not() {
        let mut p = project("2026-11-10T14:00:00Z");
        let vendor = Recipient::new("v", "v@vendor.example", RecipientRole::Vendor);
        let d = mail("distros-notice", vendor.clone());
        let said = unencrypted_embargoed(&p, &p.issues[0], &d).expect("warned");
        assert!(said.contains("unencrypted to v@vendor.example"), "{said}");
        let mut secret = vendor;
        secret.must_encrypt = true;
        assert_eq!(
            unencrypted_embargoed(&p, &p.issues[0], &mail("distros-notice", secret)),
            None
        );
        assert_eq!(
            unencrypted_embargoed(&p, &p.issues[0], &mail("oss-security", announce())),
            None,
            "a public list waits for publication instead"
        );
        let m = Recipient::new("m", "m@demo.example", RecipientRole::Maintainers);
        assert_eq!(
            unencrypted_embargoed(&p, &p.issues[0], &mail("advance-notice", m.clone())),
            None,
            "nothing embargoed"
        );
        p.releases[0].published = Some(at("2026-11-10T14:00:00Z"));
        assert_eq!(
            unencrypted_embargoed(&p, &p.issues[0], &mail("distros-notice", m)),
            None
        );
    }

    #[test]
    fn a_certificate_not_naming_its_recipient_is_flagged() {
        let vendor = vec!["sec@vendor.example".to_owned()];
        let said = cert_mismatch("distros@vs.openwall.org", &vendor).expect("flagged");
        assert!(said.contains("names sec@vendor.example"), "{said}");
        assert_eq!(cert_mismatch("SEC@vendor.example", &vendor), None);
        assert!(cert_mismatch("a@b.example", &[]).is_some());
    }

    #[test]
    fn sending_from_a_step_settles_it_and_journals_the_edit() {
        let mut p = project("2026-11-10T14:00:00Z");
        let d = draft("[vs] x", "b", vec![distros()]);
        let origin = Origin {
            step: Some("advance_notice".into()),
            edited: true,
        };
        record_sent_from(
            &mut p.issues[0],
            &d,
            "<1@x>",
            at("2026-11-03T10:00:00Z"),
            &origin,
        );
        let journal = &p.issues[0].journal;
        let n = journal.len();
        assert!(matches!(journal[n - 2].event, Event::MailSent { .. }));
        assert!(
            journal[n - 2].note.contains("edited"),
            "{}",
            journal[n - 2].note
        );
        assert_eq!(journal[n - 1].event, Event::StepDone);
        assert_eq!(journal[n - 1].step.as_deref(), Some("advance_notice"));
        assert_eq!(
            step_template(StepKind::AdvanceNotice),
            Some("advance-notice")
        );
        assert_eq!(step_template(StepKind::Severity), None);
    }

    #[test]
    fn a_reason_to_send_before_publication_is_journaled() {
        let mut p = project("2026-11-10T14:00:00Z");
        let mut d = mail("release-announcement", announce());
        d.before_publication = Some("the tarball leaked".into());
        record_sent(&mut p.issues[0], &d, "<1@x>", at("2026-11-03T10:00:00Z"));
        let journal = &p.issues[0].journal;
        let n = journal.len();
        assert_eq!(
            journal[n - 2].event,
            Event::CheckAcknowledged {
                check: "public-before-release".into()
            }
        );
        assert!(
            journal[n - 2].note.contains("the tarball leaked"),
            "{}",
            journal[n - 2].note
        );
        assert!(matches!(journal[n - 1].event, Event::MailSent { .. }));
    }

    #[test]
    fn sending_records_the_journal_and_the_recipients() {
        let mut p = project("2026-11-10T14:00:00Z");
        let d = draft("[vs] x", "b", vec![distros()]);
        record_sent(&mut p.issues[0], &d, "<1@x>", at("2026-11-03T10:00:00Z"));
        let n = p.issues[0].notice("distros@vs.openwall.org").expect("kept");
        assert_eq!(n.message_id, "<1@x>");
        assert_eq!(n.notified_at, Some(at("2026-11-03T10:00:00Z")));
        assert!(matches!(
            p.issues[0].journal.last().map(|e| &e.event),
            Some(Event::MailSent { .. })
        ));
    }

    #[test]
    fn the_patch_goes_with_the_distros_notice_and_to_those_who_asked_encrypted_only() {
        let mut p = project("2026-11-10T14:00:00Z");
        p.name = "Demo Mail".into();
        let customer = Recipient::new("c", "it@customer.example", RecipientRole::SupportCustomer);
        let other = Recipient::new("d", "it@other.example", RecipientRole::SupportCustomer);
        // Nothing to attach yet: the distros notice says so.
        let plan = patch_plan(&p, &p.issues[0], "distros-notice", &[distros()], true)
            .expect("the distros notice carries the patch");
        assert_eq!(plan.source, None);
        assert!(!plan.attached);
        assert_eq!(plan.file_name, "demo-mail-DEMO-1.patch");
        // The fix commits, then the release's patch file once it is built.
        p.issues[0].fix_commits.push(crate::core::model::FixCommit {
            id: "abc123".into(),
            branch: "security".into(),
            summary: "fix".into(),
        });
        let plan =
            patch_plan(&p, &p.issues[0], "distros-notice", &[distros()], true).expect("carried");
        assert_eq!(
            plan.source,
            Some(PatchSource::FixCommits(vec!["abc123".into()]))
        );
        assert!(plan.attached);
        let mut file = artifact();
        file.path = "demo-1.0.1-release/demo-1.0.1.patch".into();
        file.kind = crate::core::model::ArtifactKind::Patch;
        p.releases[0].artifacts.push(file);
        p.issues[0].cve = crate::core::model::CveState::Assigned {
            id: "CVE-2026-1234".into(),
        };
        let plan =
            patch_plan(&p, &p.issues[0], "distros-notice", &[distros()], true).expect("carried");
        assert!(
            matches!(plan.source, Some(PatchSource::Artifact { ref path, .. }) if path.ends_with("demo-1.0.1.patch"))
        );
        assert_eq!(plan.file_name, "demo-mail-CVE-2026-1234.patch");
        // Unencrypted: withheld.
        let plan =
            patch_plan(&p, &p.issues[0], "distros-notice", &[distros()], false).expect("carried");
        assert!(!plan.attached);
        // The customer notice carries it only when everyone it goes to
        // asked for it; the advance notice never.
        let to = [customer.clone(), other.clone()];
        assert_eq!(
            patch_plan(&p, &p.issues[0], "customer-notice", &to, true),
            None
        );
        p.issues[0].notice_mut("it@customer.example").wants_patch = true;
        assert_eq!(
            patch_plan(&p, &p.issues[0], "customer-notice", &to, true),
            None
        );
        let plan =
            patch_plan(&p, &p.issues[0], "customer-notice", &[customer], true).expect("they asked");
        assert!(plan.attached);
        assert_eq!(
            patch_plan(&p, &p.issues[0], "advance-notice", &[distros()], true),
            None
        );
    }

    #[test]
    fn one_reading_of_host_and_port_for_both_front_ends() {
        assert_eq!(
            parse_host_port("smtp.example.org:587"),
            Ok(("smtp.example.org".into(), 587))
        );
        assert_eq!(parse_host_port(" [::1]:2525 "), Ok(("::1".into(), 2525)));
        for bad in [
            "smtp.example.org",
            "",
            ":587",
            " :25",
            "::1:25",
            "[::1:25",
            "a b:25",
        ] {
            assert_eq!(
                parse_host_port(bad),
                Err(ServerError::NotHostPort(bad.into())),
                "{bad}"
            );
        }
        for bad in ["smtp.example.org:", "h:0", "h:70000", "h:x"] {
            assert!(
                matches!(parse_host_port(bad), Err(ServerError::Port { .. })),
                "{bad}"
            );
        }
        let mut mail = MailSettings {
            smtp_host: "mail.example.org".into(),
            smtp_port: 587,
            ..MailSettings::default()
        };
        assert_eq!(
            smtp_server(&mail, None),
            Ok(("mail.example.org".into(), 587))
        );
        // A server given without its port is refused, never completed with
        // the project's port.
        assert_eq!(
            smtp_server(&mail, Some("other.example.org")),
            Err(ServerError::NotHostPort("other.example.org".into()))
        );
        mail.smtp_host = " ".into();
        assert_eq!(smtp_server(&mail, None), Err(ServerError::Unset));
        mail.smtp_host = "mail.example.org".into();
        mail.smtp_port = 0;
        assert_eq!(smtp_server(&mail, None), Err(ServerError::Unset));
    }
}
