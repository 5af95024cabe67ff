//! Texts made from the project's data with minijinja templates shipped in
//! `assets/templates/`: the write-up of an issue (its timeline from report to
//! publication, from the journal) and the standard "not a security issue"
//! reply. An undefined template variable is an error naming it. [`ics`]
//! exports the disclosure timeline as a calendar; [`advisory`] writes the
//! early advisory, the security advisory and the announcement; [`cve`] and
//! [`osv`] make the machine-readable records, [`csaf`] and [`openvex`]
//! the CSAF 2.0 and OpenVEX documents of a release; [`cra`] drafts the
//! Cyber Resilience Act's reports of an actively exploited issue.

pub mod advisory;
pub mod cra;
pub mod csaf;
pub mod cve;
pub(crate) mod facts;
pub mod ics;
pub mod mail;
pub mod openvex;
pub mod osv;
mod writeup;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use minijinja::{Environment, UndefinedBehavior, context};
use serde::Serialize;

use crate::core::model::{IntakeChannel, Issue, Project};
use crate::core::playbook::{Playbook, StepKind};

/// Output format of the write-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// Markdown.
    #[default]
    Markdown,
    /// A standalone HTML page.
    Html,
}

impl ReportFormat {
    /// The format a file's name asks for: `.html` or `.htm` is HTML,
    /// anything else Markdown.
    pub fn for_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("html" | "htm") => Self::Html,
            _ => Self::Markdown,
        }
    }
}

/// Whether a write-up shows mail addresses (the reporter's, the
/// recipients', any in a note): withheld unless asked for, so a write-up
/// can be handed on as it is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Addresses {
    /// Every mail address is replaced by [`WITHHELD`].
    #[default]
    Withheld,
    /// Addresses are shown as the journal has them.
    Shown,
}

/// What a withheld address is replaced by.
pub const WITHHELD: &str = "[address withheld]";

fn local_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-=~!#$&'*/?^`{|}".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '.' || c == '-'
}

/// `text` with every mail address (`local@domain.tld`, also inside
/// `<…>` and Message-IDs) replaced by [`WITHHELD`].
pub fn withhold_addresses(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = i;
            while start > 0 && local_char(chars[start - 1]) {
                start -= 1;
            }
            let mut end = i + 1;
            while end < chars.len() && domain_char(chars[end]) {
                end += 1;
            }
            // A domain does not end in a dot ("mail me at a@b.org.").
            while end > i + 1 && chars[end - 1] == '.' {
                end -= 1;
            }
            let domain: String = chars[i + 1..end].iter().collect();
            let local_len = i - start;
            if local_len > 0 && domain.contains('.') && !domain.starts_with('.') {
                // Drop the local part already copied.
                for _ in 0..local_len {
                    out.pop();
                }
                out.push_str(WITHHELD);
                i = end;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// A template failed to render.
#[derive(Debug, thiserror::Error)]
#[error("cannot render {template}: {source}")]
pub struct RenderError {
    /// The template's name.
    pub template: &'static str,
    /// minijinja's error, which names the undefined variable or bad syntax.
    #[source]
    pub source: minijinja::Error,
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let templates: [(&str, &str); 7] = [
        (
            "writeup.md",
            include_str!("../../../assets/templates/writeup.md.j2"),
        ),
        (
            "writeup.html",
            include_str!("../../../assets/templates/writeup.html.j2"),
        ),
        (
            "not-security-reply.txt",
            include_str!("../../../assets/templates/not-security-reply.txt.j2"),
        ),
        (
            "early-advisory.txt",
            include_str!("../../../assets/templates/early-advisory.txt.j2"),
        ),
        (
            "secadv.txt",
            include_str!("../../../assets/templates/secadv.txt.j2"),
        ),
        (
            "announcement.txt",
            include_str!("../../../assets/templates/announcement.txt.j2"),
        ),
        (
            "cra-report.txt",
            include_str!("../../../assets/templates/cra-report.txt.j2"),
        ),
    ];
    for (name, text) in templates {
        env.add_template(name, text)
            .expect("built-in templates are valid (checked by tests)");
    }
    env
}

fn render(template: &'static str, ctx: minijinja::Value) -> Result<String, RenderError> {
    environment()
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .map_err(|source| RenderError { template, source })
}

/// One thing a record or advisory needs and does not have, naming the field:
/// `field` is a JSON-pointer-like path into the output (`containers/cna/affected/0/versions/0/lessThan`)
/// or into the project (`issue/severity`, `release/planned`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// Where: the path of the field.
    pub field: String,
    /// What is wrong and what to do.
    pub message: String,
}

impl FieldProblem {
    /// A problem at `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// An export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The data lack what the output needs; each problem names its field.
    #[error("cannot export {what}: fill in what is missing first:\n{}", list(.problems))]
    Incomplete {
        /// What was being exported, e.g. `the CVE record of EXIM-2`.
        what: String,
        /// The problems, in field order.
        problems: Vec<FieldProblem>,
    },
    /// A template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
}

fn list(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One row of an issue's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineRow {
    /// Instant in the display zone, `YYYY-MM-DD HH:MM`.
    pub at: String,
    /// The step's title, or empty.
    pub step: String,
    /// What happened.
    pub what: String,
    /// The coordinator's note.
    pub note: String,
}

fn fmt_at(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()
}

/// The timeline of an issue from report to publication, in `zone`: the
/// report, every journal entry, and the publication, in time order.
pub fn timeline(
    project: &Project,
    issue: &Issue,
    playbook: &Playbook,
    zone: Tz,
) -> Vec<TimelineRow> {
    let title_of = |key: &str| {
        playbook
            .step(key)
            .map(|s| s.title().to_owned())
            .or_else(|| {
                StepKind::from_id(key).map(|k| crate::core::playbook::kind_def(k).title.to_owned())
            })
            .unwrap_or_else(|| key.to_owned())
    };
    let mut rows: Vec<(DateTime<Utc>, TimelineRow)> = Vec::new();
    let source = match &issue.intake.channel {
        IntakeChannel::Mail { from, subject, .. } => {
            format!("report received by mail from {from}: “{subject}”")
        }
        IntakeChannel::PublicIssue { url } => format!("report filed publicly at {url}"),
        IntakeChannel::Unrecorded => "report received".to_owned(),
    };
    rows.push((
        issue.intake.received,
        TimelineRow {
            at: fmt_at(issue.intake.received, zone),
            step: String::new(),
            what: source,
            note: String::new(),
        },
    ));
    for e in &issue.journal {
        rows.push((
            e.at,
            TimelineRow {
                at: fmt_at(e.at, zone),
                step: e.step.as_deref().map(title_of).unwrap_or_default(),
                what: e.event.describe(),
                note: e.note.clone(),
            },
        ));
    }
    if let Some(published) = project.release_of(&issue.id).and_then(|r| r.published) {
        rows.push((
            published,
            TimelineRow {
                at: fmt_at(published, zone),
                step: String::new(),
                what: "release published".to_owned(),
                note: String::new(),
            },
        ));
    }
    // Stable sort: entries at the same instant keep their journal order.
    rows.sort_by_key(|(at, _)| *at);
    rows.into_iter().map(|(_, r)| r).collect()
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

/// The write-up of an issue, in the project's home zone, with mail
/// addresses withheld unless `addresses` shows them.
pub fn writeup(
    project: &Project,
    issue: &Issue,
    playbook: &Playbook,
    format: ReportFormat,
    addresses: Addresses,
) -> Result<String, RenderError> {
    let zone = project.time.home_zone;
    let mut rows = timeline(project, issue, playbook, zone);
    let mut title = issue.title.clone();
    if addresses == Addresses::Withheld {
        for r in &mut rows {
            r.step = withhold_addresses(&r.step);
            r.what = withhold_addresses(&r.what);
            r.note = withhold_addresses(&r.note);
        }
        title = withhold_addresses(&title);
    }
    if format == ReportFormat::Markdown {
        for r in &mut rows {
            r.step = md_cell(&r.step);
            r.what = md_cell(&r.what);
            r.note = md_cell(&r.note);
        }
    }
    let release = project.release_of(&issue.id);
    let ctx = context! {
        project => project.name.clone(),
        zone => zone.name(),
        issue => context! {
            id => issue.id.clone(),
            title => title,
            cve => issue.identifier(),
            scheme => match issue.identifier() {
                Some(id) if id.starts_with("GCVE-") => "GCVE",
                _ => crate::core::playbook::id_authority(project, playbook).scheme(),
            },
            severity => issue.severity.map(|s| s.to_string()),
        },
        reported => fmt_at(issue.intake.received, zone),
        // The header is public, so its times are in UTC as the timeline's.
        release => release.map(|r| match r.planned {
            Some(p) => format!("{} planned for {} UTC", r.version, fmt_at(p, chrono_tz::UTC)),
            None => r.version.clone(),
        }),
        published => release
            .and_then(|r| r.published)
            .map(|p| format!("{} UTC", fmt_at(p, chrono_tz::UTC))),
        rows => minijinja::Value::from(minijinja::value::Serde(&rows)),
        public => minijinja::Value::from(minijinja::value::Serde(
            &writeup::public_part(project, playbook, issue, addresses),
        )),
    };
    render(
        match format {
            ReportFormat::Markdown => "writeup.md",
            ReportFormat::Html => "writeup.html",
        },
        ctx,
    )
}

/// The standard reply to a reporter whose report is not a security issue.
/// `reason` is the one-paragraph explanation from the investigation.
pub fn not_security_reply(
    project: &Project,
    issue: &Issue,
    reason: &str,
) -> Result<String, RenderError> {
    let subject = match &issue.intake.channel {
        IntakeChannel::Mail { subject, .. } => subject.clone(),
        _ => issue.title.clone(),
    };
    let reporter_name = if issue.reporter.name.trim().is_empty() {
        "there".to_owned()
    } else {
        issue.reporter.name.clone()
    };
    let sender = if project.mail.from.trim().is_empty() {
        format!("The {} security team", project.name)
    } else {
        project.mail.from.clone()
    };
    render(
        "not-security-reply.txt",
        context! {
            project => project.name.clone(),
            reporter_name => reporter_name,
            reporter_contact => issue.reporter.contact.clone(),
            subject => subject,
            reason => reason,
            sender => sender,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Event, JournalEntry, PlaybookRef};

    fn setup() -> (Project, Playbook) {
        let mut p = Project::new("Demo", PlaybookRef::Builtin("exim".into()));
        let at = DateTime::parse_from_rfc3339("2026-11-01T10:00:00Z")
            .expect("valid")
            .with_timezone(&Utc);
        let mut i = Issue::new("DEMO-1", "<script> in | subject", at);
        i.journal
            .push(JournalEntry::new(at, Some("keep_notes"), Event::StepDone).with_note("a | b\nc"));
        p.issues.push(i);
        (p, crate::core::playbook::builtin("exim").expect("builtin"))
    }

    #[test]
    fn markdown_cells_are_escaped_and_html_is_escaped() {
        let (p, b) = setup();
        let md = writeup(
            &p,
            &p.issues[0],
            &b,
            ReportFormat::Markdown,
            Addresses::Shown,
        )
        .expect("renders");
        assert!(md.contains("| a \\| b<br>c |"), "{md}");
        let html =
            writeup(&p, &p.issues[0], &b, ReportFormat::Html, Addresses::Shown).expect("renders");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn addresses_are_withheld_unless_shown() {
        assert_eq!(
            withhold_addresses("from Mira <mira.o+sec@research.example>: hi"),
            "from Mira <[address withheld]>: hi"
        );
        assert_eq!(
            withhold_addresses("sent to a@b.org, distros@vs.openwall.org."),
            "sent to [address withheld], [address withheld]."
        );
        assert_eq!(
            withhold_addresses("@home, x@localhost, a@.b"),
            "@home, x@localhost, a@.b"
        );
        let (mut p, b) = setup();
        let at = p.issues[0].intake.received;
        p.issues[0]
            .journal
            .push(JournalEntry::new(at, None, Event::StepDone).with_note("asked ada@example.org"));
        let md = writeup(
            &p,
            &p.issues[0],
            &b,
            ReportFormat::Markdown,
            Addresses::Withheld,
        )
        .expect("renders");
        assert!(md.contains("asked [address withheld]"), "{md}");
        assert!(!md.contains("ada@"), "{md}");
        let shown = writeup(
            &p,
            &p.issues[0],
            &b,
            ReportFormat::Markdown,
            Addresses::Shown,
        )
        .expect("renders");
        assert!(shown.contains("asked ada@example.org"), "{shown}");
    }

    #[test]
    fn a_file_name_picks_the_format() {
        use std::path::Path;
        assert_eq!(
            ReportFormat::for_path(Path::new("w.HTML")),
            ReportFormat::Html
        );
        assert_eq!(
            ReportFormat::for_path(Path::new("w.htm")),
            ReportFormat::Html
        );
        assert_eq!(
            ReportFormat::for_path(Path::new("w.md")),
            ReportFormat::Markdown
        );
        assert_eq!(
            ReportFormat::for_path(Path::new("w")),
            ReportFormat::Markdown
        );
    }

    #[test]
    fn undefined_variables_are_errors_naming_them() {
        let mut env = environment();
        env.add_template("t", "{{ nope }}").expect("parses");
        let err = env
            .get_template("t")
            .and_then(|t| t.render(context! {}))
            .expect_err("strict");
        assert!(err.to_string().contains("undefined"), "{err}");
    }

    #[test]
    fn reply_names_the_reporter_and_reason() {
        let (mut p, _) = setup();
        p.issues[0].reporter.name = "Ada".into();
        let text =
            not_security_reply(&p, &p.issues[0], "the crash needs a local admin").expect("renders");
        assert!(text.contains("Hello Ada,"));
        assert!(text.contains("the crash needs a local admin"));
        assert!(text.contains("The Demo security team"));
    }
}
