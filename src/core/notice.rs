//! The checks a notice passes before it leaves, and what sending it changes.
//!
//! [`check`] refuses a mail that breaks the rules of the lists it goes to: a
//! mail to an Openwall `vs.openwall.org` list carries `[vs]` in its subject,
//! starts no embargo longer than 14 days and states the release date and
//! time; every recipient that gets it encrypted has a usable certificate;
//! vendors and support customers are Bcc; nothing embargoed reaches a public
//! list before the release instant. [`record_sent`] writes a sent mail into
//! the issue's journal and its recipients' state; [`record_saved`] journals
//! a mail saved for the user's own mail client. Pure code: whether a
//! certificate is usable is asked through a closure the caller gives.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::core::model::{Event, Issue, JournalEntry, Project, Recipient};
use crate::core::render::mail::{Draft, address_of};

/// The longest embargo the Openwall lists accept, in days.
pub const MAX_VS_EMBARGO_DAYS: i64 = 14;

/// The domain of the Openwall lists that require `[vs]` and accept at most
/// 14 days of embargo.
pub const VS_DOMAIN: &str = "vs.openwall.org";

/// A check a mail failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The check's identifier: `vs-subject`, `vs-embargo-length`,
    /// `release-stated`, `encryption`, `vendor-bcc`, `public-before-release`.
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

/// Check `draft` for `issue` as of `now`. `usable_cert` says whether a
/// recipient's certificate can be encrypted to (`Err` says why not). An
/// empty result means the mail may leave.
pub fn check(
    project: &Project,
    issue: &Issue,
    draft: &Draft,
    now: DateTime<Utc>,
    usable_cert: &dyn Fn(&Recipient) -> Result<(), String>,
) -> Vec<Failure> {
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
    if draft.embargoed_details {
        let public: Vec<&str> = draft
            .recipients
            .iter()
            .filter(|r| is_public(r))
            .map(|r| r.address.as_str())
            .collect();
        let embargoed = match release {
            Some(r) if r.published.is_some() => false,
            _ => instant.is_none_or(|at| now < at),
        };
        if !public.is_empty() && embargoed {
            let until = instant
                .map(|at| format!("until {}", at.format("%Y-%m-%d %H:%M UTC")))
                .unwrap_or_else(|| "until the release (not planned yet)".to_owned());
            out.push(Failure {
                check: "public-before-release",
                message: format!(
                    "the `{}` mail carries embargoed details and would reach the public list {}; the embargo holds {until}: send it after the release",
                    draft.template,
                    public.join(", ")
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
/// mail).
pub fn record_sent(issue: &mut Issue, draft: &Draft, message_id: &str, at: DateTime<Utc>) {
    issue.journal.push(
        JournalEntry::new(
            at,
            None,
            Event::MailSent {
                to: draft.addresses().join(", "),
                subject: draft.subject.clone(),
            },
        )
        .with_note(format!(
            "template {}, Message-ID {message_id}",
            draft.template
        )),
    );
    for r in &draft.recipients {
        let n = issue.notice_mut(&r.address);
        n.notified_at = Some(at);
        n.message_id = message_id.to_owned();
        n.template = draft.template.clone();
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
    issue.journal.push(
        JournalEntry::new(
            at,
            None,
            Event::ArtifactMade {
                path: path.to_owned(),
            },
        )
        .with_note(format!(
            "mail draft “{}” to {} (template {}, Message-ID {message_id})",
            draft.subject,
            draft.addresses().join(", "),
            draft.template
        )),
    );
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
        };
        for r in &recipients {
            d.to.push(r.mailbox());
        }
        d.recipients = recipients;
        d
    }

    fn ok(_: &Recipient) -> Result<(), String> {
        Ok(())
    }

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
        assert!(check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &ok).is_empty());
    }

    #[test]
    fn vs_rules_refuse_missing_tag_long_embargo_and_unstated_date() {
        let p = project("2026-12-10T14:00:00Z");
        let d = draft("no tag", "soon", vec![distros()]);
        let f = check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &ok);
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
        let f = check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &|_| {
            Err("no certificate is imported".into())
        });
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
        let before = check(&p, &p.issues[0], &d, at("2026-11-03T10:00:00Z"), &ok);
        assert_eq!(checks(&before), vec!["vendor-bcc", "public-before-release"]);
        let after = check(&p, &p.issues[0], &d, at("2026-11-10T14:00:00Z"), &ok);
        assert_eq!(checks(&after), vec!["vendor-bcc"]);
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
}
