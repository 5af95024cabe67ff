//! The figures of a coordinated disclosure, for the write-up and a
//! project's yearly report: how long the reporter waited for an answer and
//! for an identifier, how long each private list kept the embargo (from the
//! first post to it) and how much lead time it had with the fix, how late
//! the oss-security post was, every change of the severity, and the days
//! from the report to the release. Each is counted from what the journal,
//! the notice states and the release record — never from the plan — and a
//! figure that is not known yet says why instead of giving a number
//! ([`Span::missing`]). [`of_issue`] gives one issue's, [`stats`] those of
//! every issue with their totals (medians, maxima and counts), as the
//! write-up, `embargo report --format json` and `embargo stats` show them.
//!
//! Definitions (the README's table says the same):
//! - *acknowledge*: report received → first mail to the reporter (a mail
//!   to the reporter's contact, the `reporter-ack` template, or the
//!   reporter's notice state);
//! - *identifier*: report received → the CVE (or GCVE) ID recorded;
//! - *embargo* of a list: first mail to it → the release's publication;
//! - *lead* of a list: the mail that gave it the fix (the
//!   `fix-availability` template, else the fix availability step marked
//!   done after the list was told) → the publication;
//! - *oss-security post*: the publication → the first mail to oss-security
//!   from then on (how late it was);
//! - *report to release*: report received → publication, in days.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::core::duties::{DutyKind, duties};
use crate::core::model::{
    CveState, Event, Issue, Project, Recipient, RecipientRole, StepKind, Verdict, is_valid_cve_id,
};
use crate::core::playbook::{Playbook, kind_done_at};

/// One measured stretch of time: from an instant to another, or why it is
/// not known yet. `minutes` is set exactly when both ends are known.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Where it starts, when known.
    pub from: Option<DateTime<Utc>>,
    /// Where it ends, when known.
    pub to: Option<DateTime<Utc>>,
    /// Its length in whole minutes, when both ends are known.
    pub minutes: Option<i64>,
    /// Why it is not known yet, when it is not.
    pub missing: Option<String>,
}

impl Span {
    /// The stretch from `from` to `to`.
    pub fn between(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self {
            from: Some(from),
            to: Some(to),
            minutes: Some((to - from).num_minutes()),
            missing: None,
        }
    }

    /// A stretch not known yet, starting at `from` if that is known, with
    /// the reason.
    pub fn missing(from: Option<DateTime<Utc>>, why: impl Into<String>) -> Self {
        Self {
            from,
            to: None,
            minutes: None,
            missing: Some(why.into()),
        }
    }

    /// Its length, when known.
    pub fn length(&self) -> Option<TimeDelta> {
        self.minutes.map(TimeDelta::minutes)
    }

    /// For people: "2 d 3 h 5 min", or "not known yet: WHY".
    pub fn text(&self) -> String {
        match (self.minutes, &self.missing) {
            (Some(m), _) => duration_text(m),
            (None, Some(why)) => format!("not known yet: {why}"),
            (None, None) => "not known yet".to_owned(),
        }
    }
}

/// `minutes` for people: "2 d 3 h 5 min", "45 min", "-1 h 10 min".
pub fn duration_text(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    let (d, h, min) = (m / 1440, (m % 1440) / 60, m % 60);
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if min > 0 || parts.is_empty() {
        parts.push(format!("{min} min"));
    }
    format!("{sign}{}", parts.join(" "))
}

/// The time to an identifier, and which identifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IdentifierFigure {
    /// The identifier, once there is one (CVE, else GCVE).
    pub id: Option<String>,
    /// Report received → identifier recorded.
    #[serde(flatten)]
    pub span: Span,
}

/// The figures of one private list (or vendor, or customer) told under
/// embargo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListFigure {
    /// Its address.
    pub address: String,
    /// Its name in the project's recipients.
    pub name: String,
    /// Its role (`distros`, `maintainers`, `vendor`, `support_customer`).
    pub role: &'static str,
    /// First mail to it → the release's publication.
    pub embargo: Span,
    /// The mail that gave it the fix → the publication.
    pub lead: Span,
}

/// How late the oss-security post was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OssPostFigure {
    /// After when it counts as overdue (the end of disclosure day).
    pub deadline: Option<DateTime<Utc>>,
    /// Whether it went out by then; `None` while not known.
    pub in_time: Option<bool>,
    /// Publication → the first mail to oss-security from then on.
    #[serde(flatten)]
    pub span: Span,
}

/// One change of the severity, from the journal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SeverityChange {
    /// When it changed.
    pub at: DateTime<Utc>,
    /// The severity before (`None`: not assessed).
    pub from: Option<String>,
    /// The severity after (`None`: cleared).
    pub to: Option<String>,
    /// Whether a private list had been told before the change (those who
    /// were told the old value may need a correction).
    pub after_notice: bool,
}

/// The days from the report to the release.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DaysFigure {
    /// The days, to one decimal, when known.
    pub days: Option<f64>,
    /// Report received → publication.
    #[serde(flatten)]
    pub span: Span,
}

/// Every figure of one issue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IssueFigures {
    /// The issue's ID.
    pub issue: String,
    /// Its title.
    pub title: String,
    /// Its severity now, if assessed.
    pub severity: Option<String>,
    /// The version of its release, if it has one.
    pub release: Option<String>,
    /// When the report arrived.
    pub reported: DateTime<Utc>,
    /// When its release went public, once it did.
    pub published: Option<DateTime<Utc>>,
    /// Report received → first answer to the reporter.
    pub acknowledge: Span,
    /// Report received → identifier.
    pub identifier: IdentifierFigure,
    /// Each private list told, in the order it was first told.
    pub lists: Vec<ListFigure>,
    /// How late the oss-security post was.
    pub oss_security_post: OssPostFigure,
    /// Every change of the severity, oldest first.
    pub severity_changes: Vec<SeverityChange>,
    /// Report received → publication.
    pub report_to_release: DaysFigure,
}

/// The mail address in `s` ("Name <a@b>" or "a@b"), lower case.
fn address_of(s: &str) -> String {
    let s = s.trim();
    let inner = match (s.rfind('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => &s[a + 1..b],
        _ => s,
    };
    inner.trim().to_ascii_lowercase()
}

/// Whether the comma-separated recipients `to` include `address`.
fn mail_to(to: &str, address: &str) -> bool {
    let address = address_of(address);
    !address.is_empty() && to.split(',').any(|a| address_of(a) == address)
}

/// The instants of mails recorded to `address` for `issue` (journal and
/// notice state), with the template of each where it is known.
fn mails_to<'a>(
    issue: &'a Issue,
    address: &'a str,
) -> impl Iterator<Item = (DateTime<Utc>, Option<&'a str>)> + 'a {
    let journal = issue.journal.iter().filter_map(move |e| match &e.event {
        Event::MailSent { to, .. } if mail_to(to, address) => Some((e.at, template_of(&e.note))),
        _ => None,
    });
    let notice = issue
        .notices
        .iter()
        .filter(move |n| address_of(&n.recipient) == address_of(address))
        .filter_map(|n| {
            n.notified_at
                .map(|at| (at, Some(n.template.as_str()).filter(|t| !t.is_empty())))
        });
    journal.chain(notice)
}

/// The template a journal note names ("template reporter-ack, Message-ID …").
fn template_of(note: &str) -> Option<&str> {
    let rest = note.split("template ").nth(1)?;
    rest.split([',', ' ', ';']).next().filter(|t| !t.is_empty())
}

fn role_id(role: RecipientRole) -> &'static str {
    match role {
        RecipientRole::Maintainers => "maintainers",
        RecipientRole::Distros => "distros",
        RecipientRole::Vendor => "vendor",
        RecipientRole::SupportCustomer => "support_customer",
        RecipientRole::Reporter => "reporter",
        RecipientRole::Announce => "announce",
        RecipientRole::OssSecurity => "oss_security",
    }
}

/// Whether `r` is told under embargo (a private list, a vendor, a customer).
fn is_private(r: &Recipient) -> bool {
    matches!(
        r.role,
        RecipientRole::Maintainers
            | RecipientRole::Distros
            | RecipientRole::Vendor
            | RecipientRole::SupportCustomer
    )
}

fn acknowledge(issue: &Issue) -> Span {
    let received = issue.intake.received;
    let contact = issue.reporter.contact.trim();
    let by_template = issue.journal.iter().filter_map(|e| match &e.event {
        Event::MailSent { .. } if template_of(&e.note) == Some("reporter-ack") => Some(e.at),
        _ => None,
    });
    let to_contact: Vec<DateTime<Utc>> = if contact.contains('@') {
        mails_to(issue, contact).map(|(at, _)| at).collect()
    } else {
        Vec::new()
    };
    match by_template
        .chain(to_contact)
        .filter(|at| *at >= received)
        .min()
    {
        Some(at) => Span::between(received, at),
        None if contact.is_empty() => Span::missing(
            Some(received),
            "no reporter contact and no reporter-ack mail recorded",
        ),
        None => Span::missing(Some(received), "no mail to the reporter recorded"),
    }
}

fn identifier(issue: &Issue) -> IdentifierFigure {
    let received = issue.intake.received;
    let gcve = issue
        .other_ids
        .iter()
        .find(|x| x.id.to_ascii_uppercase().starts_with("GCVE-"))
        .map(|x| x.id.clone());
    let id = issue.cve_id().map(str::to_owned).or(gcve);
    let recorded = issue.journal.iter().find_map(|e| match &e.event {
        Event::FieldChanged { field, value } if field == "CVE" && is_valid_cve_id(value) => {
            Some(e.at)
        }
        Event::FieldChanged { field, value }
            if field == "other IDs" && id.as_deref().is_some_and(|i| value.contains(i)) =>
        {
            Some(e.at)
        }
        _ => None,
    });
    let span = match (&id, recorded) {
        (Some(_), Some(at)) => Span::between(received, at.max(received)),
        (Some(_), None) => Span::missing(
            Some(received),
            "the identifier is recorded, the journal does not say when",
        ),
        (None, _) => Span::missing(
            Some(received),
            match issue.cve {
                CveState::NotNeeded => "no identifier needed",
                CveState::Requested => "a CVE ID is requested, not assigned yet",
                _ => "no CVE ID requested yet",
            },
        ),
    };
    IdentifierFigure { id, span }
}

fn lists(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    published: Option<DateTime<Utc>>,
    not_public: &str,
) -> Vec<ListFigure> {
    let fix_step = kind_done_at(issue, playbook, StepKind::FixAvailability);
    let mut out: Vec<(DateTime<Utc>, ListFigure)> = Vec::new();
    for r in project.recipients.iter().filter(|r| is_private(r)) {
        let mails: Vec<(DateTime<Utc>, Option<&str>)> = mails_to(issue, &r.address)
            .filter(|(at, _)| published.is_none_or(|p| *at <= p))
            .collect();
        let Some(first) = mails.iter().map(|(at, _)| *at).min() else {
            continue; // never told under embargo
        };
        let fix = mails
            .iter()
            .filter(|(_, t)| *t == Some("fix-availability"))
            .map(|(at, _)| *at)
            .min()
            .or(fix_step.filter(|at| *at >= first && published.is_none_or(|p| *at <= p)));
        let (embargo, lead) = match published {
            Some(p) => (
                Span::between(first, p),
                match fix {
                    Some(f) => Span::between(f, p),
                    None => Span::missing(None, "no mail with the fix recorded to it"),
                },
            ),
            None => (
                Span::missing(Some(first), not_public),
                Span::missing(fix, not_public),
            ),
        };
        out.push((
            first,
            ListFigure {
                address: r.address.trim().to_owned(),
                name: r.name.clone(),
                role: role_id(r.role),
                embargo,
                lead,
            },
        ));
    }
    out.sort_by(|a, b| (a.0, &a.1.address).cmp(&(b.0, &b.1.address)));
    out.into_iter().map(|(_, l)| l).collect()
}

fn oss_post(project: &Project, issue: &Issue, published: Option<DateTime<Utc>>) -> OssPostFigure {
    if issue.verdict == Verdict::NotSecurity {
        return OssPostFigure {
            deadline: None,
            in_time: None,
            span: Span::missing(None, "not a vulnerability: no release post"),
        };
    }
    let duty = duties(project)
        .into_iter()
        .find(|d| d.issue == issue.id && d.kind == DutyKind::OssSecurityPost);
    match (published, duty) {
        (Some(p), Some(d)) => match d.done {
            Some(at) => OssPostFigure {
                deadline: Some(d.deadline),
                in_time: Some(at <= d.deadline),
                span: Span::between(p, at),
            },
            None => OssPostFigure {
                deadline: Some(d.deadline),
                in_time: None,
                span: Span::missing(
                    Some(p),
                    format!(
                        "no mail to oss-security recorded since the release (overdue after {})",
                        d.deadline.format("%Y-%m-%d %H:%M UTC")
                    ),
                ),
            },
        },
        _ => OssPostFigure {
            deadline: None,
            in_time: None,
            span: Span::missing(None, "not released yet"),
        },
    }
}

fn severity_changes(issue: &Issue, first_notice: Option<DateTime<Utc>>) -> Vec<SeverityChange> {
    let mut entries: Vec<(DateTime<Utc>, &str)> = issue
        .journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::FieldChanged { field, value } if field == "severity" => {
                Some((e.at, value.trim()))
            }
            _ => None,
        })
        .collect();
    entries.sort_by_key(|(at, _)| *at);
    let mut before: Option<String> = None;
    let mut out = Vec::new();
    for (at, value) in entries {
        let to = Some(value.to_owned()).filter(|v| !v.is_empty());
        if to == before {
            continue;
        }
        out.push(SeverityChange {
            at,
            from: before.clone(),
            to: to.clone(),
            after_notice: first_notice.is_some_and(|n| n <= at),
        });
        before = to;
    }
    out
}

/// The figures of `issue` in `project` (whose playbook names the step that
/// sends the fix to the lists).
pub fn of_issue(project: &Project, playbook: &Playbook, issue: &Issue) -> IssueFigures {
    let release = project.release_of(&issue.id);
    let published = release.and_then(|r| r.published);
    let received = issue.intake.received;
    let not_public = match release {
        None => "no release planned yet".to_owned(),
        Some(r) => match r.planned {
            Some(p) => format!(
                "not released yet (planned for {})",
                p.format("%Y-%m-%d %H:%M UTC")
            ),
            None => "not released yet".to_owned(),
        },
    };
    let lists = lists(project, playbook, issue, published, &not_public);
    let first_notice = lists.iter().filter_map(|l| l.embargo.from).min();
    let report_to_release = match published {
        Some(p) => {
            let span = Span::between(received, p);
            DaysFigure {
                days: span.minutes.map(|m| (m as f64 / 144.0).round() / 10.0),
                span,
            }
        }
        None => DaysFigure {
            days: None,
            span: Span::missing(Some(received), not_public.clone()),
        },
    };
    IssueFigures {
        issue: issue.id.clone(),
        title: issue.title.clone(),
        severity: issue.severity.map(|s| s.to_string()),
        release: release.map(|r| r.version.clone()),
        reported: received,
        published,
        acknowledge: acknowledge(issue),
        identifier: identifier(issue),
        lists,
        oss_security_post: oss_post(project, issue, published),
        severity_changes: severity_changes(issue, first_notice),
        report_to_release,
    }
}

impl IssueFigures {
    /// The figures as (label, value) lines for people: the write-up's
    /// Figures section and `embargo stats`. Lists are named by their
    /// recipient name (a public write-up carries no addresses).
    pub fn lines(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (
                "Reporter acknowledged after".to_owned(),
                self.acknowledge.text(),
            ),
            (
                "Identifier after".to_owned(),
                match (&self.identifier.id, self.identifier.span.minutes) {
                    (Some(id), Some(_)) => format!("{} ({id})", self.identifier.span.text()),
                    _ => self.identifier.span.text(),
                },
            ),
        ];
        for l in &self.lists {
            let name = if l.name.trim().is_empty() {
                l.role.replace('_', " ")
            } else {
                l.name.clone()
            };
            out.push((format!("Embargo on {name}"), l.embargo.text()));
            out.push((format!("Lead time of {name}"), l.lead.text()));
        }
        if self.lists.is_empty() {
            out.push((
                "Embargo on the lists".to_owned(),
                "no private list was told".to_owned(),
            ));
        }
        let post = &self.oss_security_post;
        out.push((
            "oss-security post after the release".to_owned(),
            match post.in_time {
                Some(true) => format!("{} (in time)", post.span.text()),
                Some(false) => format!("{} (late)", post.span.text()),
                None => post.span.text(),
            },
        ));
        out.push((
            "Severity changes".to_owned(),
            if self.severity_changes.is_empty() {
                "none recorded".to_owned()
            } else {
                self.severity_changes
                    .iter()
                    .map(|c| {
                        format!(
                            "{}: {} → {}{}",
                            c.at.format("%Y-%m-%d %H:%M UTC"),
                            c.from.as_deref().unwrap_or("not assessed"),
                            c.to.as_deref().unwrap_or("cleared"),
                            if c.after_notice {
                                " (after the lists were told)"
                            } else {
                                ""
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            },
        ));
        out.push((
            "Report to release".to_owned(),
            match self.report_to_release.days {
                Some(d) => format!("{d:.1} days"),
                None => self.report_to_release.span.text(),
            },
        ));
        out
    }
}

/// The median, maximum and count of the known lengths of some spans.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// How many are known.
    pub known: usize,
    /// How many are not known yet.
    pub not_known: usize,
    /// Their median in minutes (the lower middle of an even count is
    /// averaged with the upper one, rounded down).
    pub median_minutes: Option<i64>,
    /// The longest, in minutes.
    pub max_minutes: Option<i64>,
}

impl Summary {
    /// The summary of `spans`.
    pub fn of<'a>(spans: impl IntoIterator<Item = &'a Span>) -> Self {
        let mut known = Vec::new();
        let mut not_known = 0;
        for s in spans {
            match s.minutes {
                Some(m) => known.push(m),
                None => not_known += 1,
            }
        }
        known.sort_unstable();
        let n = known.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(known[n / 2]),
            _ => Some((known[n / 2 - 1] + known[n / 2]).div_euclid(2)),
        };
        Self {
            known: n,
            not_known,
            median_minutes: median,
            max_minutes: known.last().copied(),
        }
    }

    /// For people: "median 2 d 3 h, longest 5 d (4 known, 1 not known yet)".
    pub fn text(&self) -> String {
        match (self.median_minutes, self.max_minutes) {
            (Some(m), Some(x)) => format!(
                "median {}, longest {} ({} known, {} not known yet)",
                duration_text(m),
                duration_text(x),
                self.known,
                self.not_known
            ),
            _ => format!("none known yet ({} not known yet)", self.not_known),
        }
    }
}

/// The totals of one list across the issues it was told of.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListTotals {
    /// Its address.
    pub address: String,
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: &'static str,
    /// How many issues it was told of.
    pub issues: usize,
    /// Its embargo lengths.
    pub embargo: Summary,
    /// Its lead times.
    pub lead: Summary,
    /// How many embargoes on it ran longer than 14 days (the Openwall
    /// distros list's maximum; counted for every list).
    pub over_14_days: usize,
}

/// The totals over every issue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// How many issues.
    pub issues: usize,
    /// How many of them are released.
    pub released: usize,
    /// Report → first answer to the reporter.
    pub acknowledge: Summary,
    /// Report → identifier.
    pub identifier: Summary,
    /// Each list told, by address, in the order first told.
    pub lists: Vec<ListTotals>,
    /// Publication → oss-security post.
    pub oss_security_post: Summary,
    /// Posts that went out after the end of disclosure day.
    pub oss_security_late: usize,
    /// Released issues with no oss-security post recorded.
    pub oss_security_missing: usize,
    /// Every change of the severity.
    pub severity_changes: usize,
    /// Those made after a private list had been told.
    pub severity_changes_after_notice: usize,
    /// Report → publication (the median in minutes; the text says days).
    pub report_to_release: Summary,
}

/// The figures of every issue of a project, and their totals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    /// The project's name.
    pub project: String,
    /// The instant they were computed at.
    pub as_of: DateTime<Utc>,
    /// Each issue's, in the project's order.
    pub issues: Vec<IssueFigures>,
    /// Across them.
    pub totals: Totals,
}

/// The figures of the issues of `project` that `keep` keeps, with their
/// totals, as of `now`. Issues that are not a vulnerability are left out
/// (they have no release to measure).
pub fn stats(
    project: &Project,
    playbook: &Playbook,
    now: DateTime<Utc>,
    keep: impl Fn(&IssueFigures) -> bool,
) -> Stats {
    let issues: Vec<IssueFigures> = project
        .issues
        .iter()
        .filter(|i| i.verdict != Verdict::NotSecurity)
        .map(|i| of_issue(project, playbook, i))
        .filter(|f| keep(f))
        .collect();
    let mut lists: Vec<ListTotals> = Vec::new();
    for l in issues.iter().flat_map(|f| &f.lists) {
        let index = match lists
            .iter()
            .position(|t| t.address.eq_ignore_ascii_case(&l.address))
        {
            Some(i) => i,
            None => {
                lists.push(ListTotals {
                    address: l.address.clone(),
                    name: l.name.clone(),
                    role: l.role,
                    issues: 0,
                    embargo: Summary::default(),
                    lead: Summary::default(),
                    over_14_days: 0,
                });
                lists.len() - 1
            }
        };
        lists[index].issues += 1;
    }
    for t in &mut lists {
        let of_list: Vec<&ListFigure> = issues
            .iter()
            .flat_map(|f| &f.lists)
            .filter(|l| l.address.eq_ignore_ascii_case(&t.address))
            .collect();
        t.embargo = Summary::of(of_list.iter().map(|l| &l.embargo));
        t.lead = Summary::of(of_list.iter().map(|l| &l.lead));
        t.over_14_days = of_list
            .iter()
            .filter(|l| l.embargo.length().is_some_and(|d| d > TimeDelta::days(14)))
            .count();
    }
    let released: Vec<&IssueFigures> = issues.iter().filter(|f| f.published.is_some()).collect();
    let changes = issues.iter().flat_map(|f| &f.severity_changes);
    let totals = Totals {
        issues: issues.len(),
        released: released.len(),
        acknowledge: Summary::of(issues.iter().map(|f| &f.acknowledge)),
        identifier: Summary::of(issues.iter().map(|f| &f.identifier.span)),
        lists,
        oss_security_post: Summary::of(released.iter().map(|f| &f.oss_security_post.span)),
        oss_security_late: released
            .iter()
            .filter(|f| f.oss_security_post.in_time == Some(false))
            .count(),
        oss_security_missing: released
            .iter()
            .filter(|f| f.oss_security_post.span.minutes.is_none())
            .count(),
        severity_changes: changes.clone().count(),
        severity_changes_after_notice: changes.filter(|c| c.after_notice).count(),
        report_to_release: Summary::of(issues.iter().map(|f| &f.report_to_release.span)),
    };
    Stats {
        project: project.name.clone(),
        as_of: now,
        issues,
        totals,
    }
}

/// The header of `embargo stats --csv`, one row per issue after it and a
/// last row `all` with the medians (and the total of severity changes).
pub const CSV_HEADER: &str = "issue,title,severity,release,reported,published,\
acknowledge_hours,identifier,identifier_hours,distros_embargo_hours,distros_lead_hours,\
longest_embargo_hours,oss_security_post_hours,oss_security_in_time,severity_changes,\
report_to_release_days,not_known";

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn hours(minutes: Option<i64>) -> String {
    minutes.map_or_else(String::new, |m| format!("{:.2}", m as f64 / 60.0))
}

fn utc(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(String::new, |t| {
        t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    })
}

impl Stats {
    /// The CSV form: [`CSV_HEADER`], a row per issue, a row `all`.
    pub fn csv(&self) -> String {
        let mut out = String::from(CSV_HEADER);
        out.push('\n');
        let distros = |f: &IssueFigures| {
            f.lists
                .iter()
                .find(|l| l.role == "distros")
                .map(|l| (l.embargo.minutes, l.lead.minutes))
                .unwrap_or((None, None))
        };
        for f in &self.issues {
            let (embargo, lead) = distros(f);
            let longest = f.lists.iter().filter_map(|l| l.embargo.minutes).max();
            let mut not_known = Vec::new();
            if f.acknowledge.minutes.is_none() {
                not_known.push("acknowledge");
            }
            if f.identifier.span.minutes.is_none() {
                not_known.push("identifier");
            }
            if f.lists.iter().any(|l| l.embargo.minutes.is_none()) {
                not_known.push("embargo");
            }
            if f.lists.iter().any(|l| l.lead.minutes.is_none()) {
                not_known.push("lead");
            }
            if f.oss_security_post.span.minutes.is_none() {
                not_known.push("oss_security_post");
            }
            if f.report_to_release.days.is_none() {
                not_known.push("report_to_release");
            }
            let row = [
                csv_field(&f.issue),
                csv_field(&f.title),
                f.severity.clone().unwrap_or_default(),
                csv_field(f.release.as_deref().unwrap_or_default()),
                utc(Some(f.reported)),
                utc(f.published),
                hours(f.acknowledge.minutes),
                csv_field(f.identifier.id.as_deref().unwrap_or_default()),
                hours(f.identifier.span.minutes),
                hours(embargo),
                hours(lead),
                hours(longest),
                hours(f.oss_security_post.span.minutes),
                f.oss_security_post
                    .in_time
                    .map_or_else(String::new, |b| if b { "yes" } else { "no" }.to_owned()),
                f.severity_changes.len().to_string(),
                f.report_to_release
                    .days
                    .map_or_else(String::new, |d| format!("{d:.1}")),
                not_known.join(";"),
            ];
            out.push_str(&row.join(","));
            out.push('\n');
        }
        let t = &self.totals;
        let median_of = |v: Vec<Option<i64>>| {
            let spans: Vec<Span> = v
                .into_iter()
                .map(|m| match m {
                    Some(m) => Span {
                        from: None,
                        to: None,
                        minutes: Some(m),
                        missing: None,
                    },
                    None => Span::missing(None, ""),
                })
                .collect();
            Summary::of(&spans).median_minutes
        };
        let distros_embargo = median_of(self.issues.iter().map(|f| distros(f).0).collect());
        let distros_lead = median_of(self.issues.iter().map(|f| distros(f).1).collect());
        let longest = median_of(
            self.issues
                .iter()
                .map(|f| f.lists.iter().filter_map(|l| l.embargo.minutes).max())
                .collect(),
        );
        let row = [
            "all".to_owned(),
            csv_field(&format!("median of {} issue(s)", t.issues)),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            hours(t.acknowledge.median_minutes),
            String::new(),
            hours(t.identifier.median_minutes),
            hours(distros_embargo),
            hours(distros_lead),
            hours(longest),
            hours(t.oss_security_post.median_minutes),
            String::new(),
            t.severity_changes.to_string(),
            t.report_to_release
                .median_minutes
                .map_or_else(String::new, |m| format!("{:.1}", m as f64 / 1440.0)),
            String::new(),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
        out
    }

    /// The text form for people: each issue's lines, then the totals.
    pub fn text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: figures of {} issue(s), {} released (as of {})",
            self.project,
            self.totals.issues,
            self.totals.released,
            self.as_of.format("%Y-%m-%d %H:%M UTC")
        );
        for f in &self.issues {
            let _ = writeln!(
                out,
                "\n{}  {}{}",
                f.issue,
                f.title,
                f.severity
                    .as_deref()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default()
            );
            for (label, value) in f.lines() {
                let _ = writeln!(out, "  {label:<40} {value}");
            }
        }
        let t = &self.totals;
        let _ = writeln!(out, "\nTotals");
        let _ = writeln!(
            out,
            "  {:<40} {}",
            "Reporter acknowledged",
            t.acknowledge.text()
        );
        let _ = writeln!(out, "  {:<40} {}", "Identifier", t.identifier.text());
        for l in &t.lists {
            let _ = writeln!(
                out,
                "  {:<40} {} issue(s); embargo {}; lead {}{}",
                l.name,
                l.issues,
                l.embargo.text(),
                l.lead.text(),
                if l.over_14_days > 0 {
                    format!("; {} longer than 14 days", l.over_14_days)
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            out,
            "  {:<40} {}; {} late, {} not posted",
            "oss-security post after the release",
            t.oss_security_post.text(),
            t.oss_security_late,
            t.oss_security_missing
        );
        let _ = writeln!(
            out,
            "  {:<40} {} ({} after the lists were told)",
            "Severity changes", t.severity_changes, t.severity_changes_after_notice
        );
        let _ = writeln!(
            out,
            "  {:<40} {}",
            "Report to release",
            match t.report_to_release.median_minutes {
                Some(m) => format!(
                    "median {:.1} days ({} known, {} not known yet)",
                    m as f64 / 1440.0,
                    t.report_to_release.known,
                    t.report_to_release.not_known
                ),
                None => t.report_to_release.text(),
            }
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::store::example;
    use crate::core::model::JournalEntry;
    use crate::core::playbook::builtin;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid")
            .with_timezone(&Utc)
    }

    fn figures(p: &Project, id: &str) -> IssueFigures {
        let b = builtin("exim").expect("built in");
        of_issue(p, &b, p.issue(id).expect("present"))
    }

    fn mail(at: &str, to: &str, note: &str) -> JournalEntry {
        JournalEntry::new(
            t(at),
            None,
            Event::MailSent {
                to: to.into(),
                subject: "s".into(),
            },
        )
        .with_note(note)
    }

    #[test]
    fn the_released_example_issue_gives_what_its_journal_holds() {
        let p = example().expect("the example parses");
        let f = figures(&p, "POSTBOTE-1");
        assert_eq!(f.published, Some(t("2026-10-13T14:02:00Z")));
        // No mail to the reporter is recorded: not known, and why.
        assert_eq!(f.acknowledge.minutes, None);
        assert_eq!(
            f.acknowledge.missing.as_deref(),
            Some("no mail to the reporter recorded")
        );
        // 21 Sep 16:40 → 23 Sep 11:00.
        assert_eq!(f.identifier.id.as_deref(), Some("CVE-2026-31122"));
        assert_eq!(f.identifier.span.minutes, Some(2 * 1440 - 5 * 60 - 40));
        // Both lists told on 8 Oct 09:00, released 13 Oct 14:02; the fix
        // availability step was marked done on 10 Oct 11:30.
        let lists: Vec<(&str, Option<i64>, Option<i64>)> = f
            .lists
            .iter()
            .map(|l| (l.address.as_str(), l.embargo.minutes, l.lead.minutes))
            .collect();
        let embargo = 5 * 1440 + 5 * 60 + 2;
        let lead = 3 * 1440 + 2 * 60 + 32;
        assert_eq!(
            lists,
            [
                ("distros@vs.openwall.org", Some(embargo), Some(lead)),
                ("maintainers@postbote.example", Some(embargo), Some(lead)),
            ]
        );
        assert_eq!(f.lists[0].role, "distros");
        // The post never went out: its lateness is not known, and the
        // figure says when it became overdue.
        assert_eq!(f.oss_security_post.span.minutes, None);
        assert_eq!(
            f.oss_security_post.deadline,
            Some(t("2026-10-14T14:02:00Z"))
        );
        assert!(
            f.oss_security_post
                .span
                .missing
                .as_deref()
                .is_some_and(|m| m.contains("overdue after 2026-10-14 14:02 UTC"))
        );
        assert!(f.severity_changes.is_empty());
        assert_eq!(f.report_to_release.span.minutes, Some(31522));
        assert_eq!(f.report_to_release.days, Some(21.9));
    }

    #[test]
    fn an_open_issue_says_which_figures_are_not_known_yet() {
        let p = example().expect("the example parses");
        let f = figures(&p, "POSTBOTE-2");
        assert_eq!(f.identifier.span.minutes, Some(1440 + 60 + 48));
        // The maintainers were told on 2026-11-17 (the advance notice); the
        // embargo runs until the release, so its length is not known yet.
        assert_eq!(f.lists.len(), 1, "only the maintainers told yet");
        assert_eq!(f.lists[0].address, "maintainers@postbote.example");
        assert_eq!(f.lists[0].embargo.from, Some(t("2026-11-17T10:00:00Z")));
        assert_eq!(f.lists[0].embargo.minutes, None);
        assert_eq!(f.report_to_release.days, None);
        assert_eq!(
            f.report_to_release.span.missing.as_deref(),
            Some("not released yet (planned for 2026-12-01 14:00 UTC)")
        );
        assert_eq!(
            f.oss_security_post.span.missing.as_deref(),
            Some("not released yet")
        );
        assert_eq!(
            f.severity_changes,
            [
                SeverityChange {
                    at: t("2026-11-16T10:10:00Z"),
                    from: None,
                    to: Some("High".into()),
                    after_notice: false,
                },
                // Raised after the maintainers were told: the change they
                // must hear of (#24 item 3).
                SeverityChange {
                    at: t("2026-11-18T09:00:00Z"),
                    from: Some("High".into()),
                    to: Some("Critical".into()),
                    after_notice: true,
                }
            ]
        );
        // An issue with no CVE yet says where the request stands.
        let mut p = p;
        let i = p.issue_mut("POSTBOTE-3").expect("present");
        i.cve = CveState::Requested;
        let f = figures(&p, "POSTBOTE-3");
        assert_eq!(f.identifier.id, None);
        assert_eq!(
            f.identifier.span.missing.as_deref(),
            Some("a CVE ID is requested, not assigned yet")
        );
        assert_eq!(
            f.acknowledge.missing.as_deref(),
            Some("no reporter contact and no reporter-ack mail recorded")
        );
        assert_eq!(
            f.report_to_release.span.missing.as_deref(),
            Some("no release planned yet")
        );
        // The text never makes up a number for them.
        for (label, value) in f.lines() {
            if label.starts_with("Identifier") || label.starts_with("Report to release") {
                assert!(value.starts_with("not known yet: "), "{label}: {value}");
            }
        }
    }

    #[test]
    fn acknowledgement_lead_post_and_severity_from_the_journal() {
        let mut p = example().expect("the example parses");
        let i = p.issue_mut("POSTBOTE-1").expect("present");
        // The acknowledgement, 50 minutes after the report.
        i.journal.push(mail(
            "2026-09-21T17:30:00Z",
            "Mira Okafor <mira@research.example>",
            "template reporter-ack, Message-ID <a@b>",
        ));
        // The fix went to the distros list on 9 Oct 14:02 (4 days ahead).
        i.journal.push(mail(
            "2026-10-09T14:02:00Z",
            "distros@vs.openwall.org",
            "template fix-availability, Message-ID <c@d>",
        ));
        // The severity was raised after the lists were told.
        i.journal.push(JournalEntry::new(
            t("2026-10-09T08:00:00Z"),
            Some("severity"),
            Event::FieldChanged {
                field: "severity".into(),
                value: "High".into(),
            },
        ));
        // The post, 3 hours late (27 h after the release).
        i.journal.push(mail(
            "2026-10-14T17:02:00Z",
            "oss-security@lists.openwall.com",
            "",
        ));
        let f = figures(&p, "POSTBOTE-1");
        assert_eq!(f.acknowledge.minutes, Some(50));
        let distros = f.lists.iter().find(|l| l.role == "distros").expect("told");
        assert_eq!(distros.lead.minutes, Some(4 * 1440));
        assert_eq!(distros.lead.from, Some(t("2026-10-09T14:02:00Z")));
        // The maintainers got no fix mail: their lead counts from the step.
        let maintainers = f
            .lists
            .iter()
            .find(|l| l.role == "maintainers")
            .expect("told");
        assert_eq!(maintainers.lead.from, Some(t("2026-10-10T11:30:00Z")));
        assert_eq!(f.oss_security_post.span.minutes, Some(27 * 60));
        assert_eq!(f.oss_security_post.in_time, Some(false));
        assert_eq!(f.severity_changes.len(), 1);
        assert!(f.severity_changes[0].after_notice);
        assert_eq!(f.severity_changes[0].to.as_deref(), Some("High"));
        let text: Vec<String> = f
            .lines()
            .into_iter()
            .map(|(l, v)| format!("{l}: {v}"))
            .collect();
        assert!(
            text.contains(&"Reporter acknowledged after: 50 min".to_owned()),
            "{text:?}"
        );
        assert!(
            text.contains(&"oss-security post after the release: 1 d 3 h (late)".to_owned()),
            "{text:?}"
        );
        assert!(text.contains(&"Embargo on Openwall distros: 5 d 5 h 2 min".to_owned()));
    }

    #[test]
    fn stats_take_medians_and_count_what_is_not_known() {
        let mut p = example().expect("the example parses");
        let i = p.issue_mut("POSTBOTE-1").expect("present");
        i.journal.push(mail(
            "2026-10-13T15:02:00Z",
            "oss-security@lists.openwall.com",
            "",
        ));
        let b = builtin("exim").expect("built in");
        let now = t("2026-12-02T06:00:00Z");
        let s = stats(&p, &b, now, |_| true);
        assert_eq!(s.as_of, now);
        let ids: Vec<&str> = s.issues.iter().map(|f| f.issue.as_str()).collect();
        assert_eq!(ids, ["POSTBOTE-1", "POSTBOTE-2", "POSTBOTE-3"]);
        let t_ = &s.totals;
        assert_eq!((t_.issues, t_.released), (3, 1));
        // Identifiers: 2540 and 1548 minutes known, POSTBOTE-3 not.
        assert_eq!(t_.identifier.known, 2);
        assert_eq!(t_.identifier.not_known, 1);
        assert_eq!(t_.identifier.median_minutes, Some((2540 + 1548) / 2));
        assert_eq!(t_.identifier.max_minutes, Some(2540));
        assert_eq!(t_.oss_security_post.median_minutes, Some(60));
        assert_eq!((t_.oss_security_late, t_.oss_security_missing), (0, 0));
        assert_eq!(t_.severity_changes, 2);
        let distros = t_
            .lists
            .iter()
            .find(|l| l.address == "distros@vs.openwall.org")
            .expect("a list");
        assert_eq!(distros.issues, 1);
        assert_eq!(distros.embargo.median_minutes, Some(7502));
        assert_eq!(distros.over_14_days, 0);
        // A filter keeps only some issues.
        let only = stats(&p, &b, now, |f| f.published.is_some());
        assert_eq!(only.totals.issues, 1);
        // The CSV: the header, a row per issue, the medians.
        let csv = s.csv();
        let rows: Vec<&str> = csv.lines().collect();
        assert_eq!(rows[0], CSV_HEADER);
        assert_eq!(rows.len(), 5);
        assert!(rows[1].starts_with("POSTBOTE-1,Header injection through a crafted DKIM signature,Moderate,4.12.2,2026-09-21T16:40:00Z,2026-10-13T14:02:00Z,,CVE-2026-31122,42.33,125.03,74.53,125.03,1.00,yes,0,21.9,acknowledge"), "{}", rows[1]);
        assert!(
            rows[4].starts_with("all,median of 3 issue(s),"),
            "{}",
            rows[4]
        );
        assert_eq!(
            rows.iter()
                .map(|r| r.split(',').count())
                .collect::<Vec<_>>(),
            vec![17; 5],
            "every row has every column"
        );
    }

    #[test]
    fn durations_read_as_days_hours_and_minutes() {
        assert_eq!(duration_text(0), "0 min");
        assert_eq!(duration_text(50), "50 min");
        assert_eq!(duration_text(1440 + 60), "1 d 1 h");
        assert_eq!(duration_text(-70), "-1 h 10 min");
    }
}
