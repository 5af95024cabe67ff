//! Import of an existing CVE JSON 5 record into an issue: the record's title,
//! description (split into issue and impact summaries when it is written
//! OpenSSL's way), affected ranges, problem types, references, CVSS vector
//! and the project's own severity, credits and public date. What the issue
//! cannot hold is reported as a note, never silently dropped; the project's
//! empty publication settings (vendor, product, CNA) are filled from the record.
//!
//! Also the intake from a raw report mail ([`parse_report_mail`]): its
//! `From`, `Subject`, `Date` and `Message-ID` headers verbatim, the instant
//! of its `Date` as the issue's "received", and its text, which OpenSSL's
//! process copies below the headers into the private tracker
//! ([`ReportMail::tracker_text`]).

use chrono::{DateTime, Utc};

use crate::core::model::{
    Acknowledgement, AffectedRange, Credit, CreditRole, CveState, Cvss, CvssVersion, Event, Issue,
    JournalEntry, ProblemType, Project, Reference, Severity, is_valid_cve_id,
};
use crate::core::render::cve::CveRecord;
use crate::core::render::facts;

/// Why a record could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The text is not a CVE JSON 5 record.
    #[error("not a CVE JSON 5 record: {0} (export it again from the CVE services or Vulnogram)")]
    NotARecord(String),
    /// The record is rejected or otherwise unusable.
    #[error("{0}")]
    Unusable(String),
    /// `--issue` names no issue of the project.
    #[error(
        "there is no issue `{0}`: give the ID of an existing issue, or leave it out to create one"
    )]
    NoIssue(String),
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// The issue that holds the record now.
    pub issue_id: String,
    /// Whether the issue was created.
    pub created: bool,
    /// What was not kept, or settings taken from the record.
    pub notes: Vec<String>,
}

/// Parse a CVE JSON 5 record.
pub fn parse_record(text: &str) -> Result<CveRecord, ImportError> {
    let record: CveRecord =
        serde_json::from_str(text).map_err(|e| ImportError::NotARecord(e.to_string()))?;
    if record.data_type != "CVE_RECORD" {
        return Err(ImportError::NotARecord(format!(
            "dataType is `{}`, not CVE_RECORD",
            record.data_type
        )));
    }
    if !record.data_version.starts_with("5.") {
        return Err(ImportError::NotARecord(format!(
            "dataVersion is `{}`; only 5.x records are read",
            record.data_version
        )));
    }
    Ok(record)
}

fn split_description(value: &str) -> (String, String) {
    if let Some(rest) = value.strip_prefix("Issue summary: ")
        && let Some((issue, impact)) = rest.split_once("\n\nImpact summary: ")
    {
        return (issue.to_owned(), impact.to_owned());
    }
    (value.to_owned(), String::new())
}

fn parse_severity(text: &str) -> Option<Severity> {
    Severity::ALL
        .into_iter()
        .find(|s| s.to_string().eq_ignore_ascii_case(text.trim()))
}

fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(&format!("{s}Z")).ok())
        .map(|d| d.with_timezone(&Utc))
}

fn fill_setting(setting: &mut String, value: Option<&str>, what: &str, notes: &mut Vec<String>) {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return;
    };
    if setting.trim().is_empty() {
        *setting = value.to_owned();
        notes.push(format!(
            "the project's {what} is now `{value}`, from the record"
        ));
    } else if setting.trim() != value {
        notes.push(format!(
            "the record's {what} `{value}` differs from the project's `{}`; exports use the project's",
            setting.trim()
        ));
    }
}

/// Import `record` into `project`: into the issue `issue_id` when given,
/// else into the issue with the record's CVE ID, else into a new issue
/// received `now`. The CVE ID, description, affected versions and
/// references replace the issue's; problem types, CVSS, severity, credits
/// and public date replace them only when the record has them.
pub fn import_cve(
    project: &mut Project,
    record: &CveRecord,
    issue_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let meta = &record.cve_metadata;
    if meta.state != "PUBLISHED" {
        return Err(ImportError::Unusable(format!(
            "{} is {}: only published records can be imported",
            meta.cve_id, meta.state
        )));
    }
    if !is_valid_cve_id(&meta.cve_id) {
        return Err(ImportError::Unusable(format!(
            "`{}` is not a CVE ID: the record is damaged",
            meta.cve_id
        )));
    }
    let cna = &record.containers.cna;
    let mut notes = Vec::new();

    // Project-level names: fill what is empty, report what differs.
    let mut publication = project.publication.clone();
    fill_setting(
        &mut publication.cna_org_id,
        Some(&cna.provider_metadata.org_id),
        "CNA organisation ID",
        &mut notes,
    );
    fill_setting(
        &mut publication.cna_short_name,
        cna.provider_metadata.short_name.as_deref(),
        "CNA short name",
        &mut notes,
    );
    if cna.affected.len() > 1 {
        notes.push(format!(
            "the record lists {} products; their versions are kept as one list",
            cna.affected.len()
        ));
    }
    if let Some(first) = cna.affected.first() {
        fill_setting(
            &mut publication.vendor,
            first.vendor.as_deref(),
            "vendor",
            &mut notes,
        );
        fill_setting(
            &mut publication.product,
            first.product.as_deref(),
            "product",
            &mut notes,
        );
    }

    let mut affected = Vec::new();
    for (p, product) in cna.affected.iter().enumerate() {
        if product
            .default_status
            .as_deref()
            .is_some_and(|s| s != "unaffected")
        {
            notes.push(format!(
                "affected/{p}/defaultStatus `{}` is not kept: exports say `unaffected`",
                product.default_status.as_deref().unwrap_or_default()
            ));
        }
        for (n, v) in product.versions.iter().enumerate() {
            match (&v.less_than, v.status.as_str()) {
                (Some(lt), "affected") => {
                    let inferred = facts::version_type(&v.version, Some(lt));
                    if v.version_type.as_deref().is_some_and(|t| t != inferred) {
                        notes.push(format!(
                            "affected/{p}/versions/{n}: versionType `{}` is not kept: exports say `{inferred}`",
                            v.version_type.as_deref().unwrap_or_default()
                        ));
                    }
                    affected.push(AffectedRange {
                        introduced: v.version.clone(),
                        fixed: Some(lt.clone()),
                    });
                }
                _ => notes.push(format!(
                    "affected/{p}/versions/{n} (`{}`, {}) is not kept: only affected ranges with lessThan are",
                    v.version, v.status
                )),
            }
        }
    }

    let english = cna
        .descriptions
        .iter()
        .find(|d| d.lang.starts_with("en"))
        .or(cna.descriptions.first());
    if cna.descriptions.len() > 1 {
        notes.push("only the English description is kept".to_owned());
    }
    let (description, impact) = english
        .map(|d| split_description(&d.value))
        .unwrap_or_default();

    let mut problem_types = Vec::new();
    for entry in &cna.problem_types {
        for d in &entry.descriptions {
            problem_types.push(ProblemType {
                cwe: d.cwe_id.clone(),
                description: d.description.clone(),
            });
        }
    }
    let cwe = problem_types.iter().find_map(|p| p.cwe.clone());

    let references: Vec<Reference> = cna
        .references
        .iter()
        .map(|r| Reference {
            url: r.url.clone(),
            name: r.name.clone().unwrap_or_default(),
            tags: r.tags.clone(),
        })
        .collect();

    let mut cvss = None;
    let mut severity = None;
    for (n, m) in cna.metrics.iter().enumerate() {
        let found = [
            (CvssVersion::V4_0, &m.cvss_v4_0),
            (CvssVersion::V3_1, &m.cvss_v3_1),
        ]
        .into_iter()
        .find_map(|(version, s)| s.as_ref().map(|s| (version, s)));
        if let Some((version, score)) = found {
            if cvss.is_none() {
                cvss = Some(Cvss {
                    version,
                    vector: score.vector_string.clone(),
                });
            } else {
                notes.push(format!("metrics/{n}: only the first CVSS vector is kept"));
            }
        } else if let Some(other) = &m.other {
            let text = other.content.get("text").and_then(|t| t.as_str());
            match text.and_then(parse_severity) {
                Some(s) if severity.is_none() => {
                    severity = Some(s);
                    fill_setting(
                        &mut publication.severity_policy_url,
                        Some(&other.kind)
                            .filter(|k| k.starts_with("http"))
                            .map(String::as_str),
                        "severity policy address",
                        &mut notes,
                    );
                }
                _ => notes.push(format!(
                    "metrics/{n}: the `other` metric {} is not kept",
                    other.content
                )),
            }
        } else {
            notes.push(format!(
                "metrics/{n} is not kept (only CVSS 3.1, 4.0 and the project's severity are)"
            ));
        }
    }

    let mut reporter_credit = None;
    let mut credits = Vec::new();
    for c in &cna.credits {
        let role = c
            .kind
            .as_deref()
            .map_or(Some(CreditRole::Finder), CreditRole::from_cve_type)
            .unwrap_or(CreditRole::Other);
        if role == CreditRole::Reporter && reporter_credit.is_none() {
            reporter_credit = Some(c.value.clone());
        } else {
            credits.push(Acknowledgement {
                name: c.value.clone(),
                role,
            });
        }
    }

    let date_public = cna.date_public.as_deref().and_then(parse_date);

    // Find or make the issue, then replace what the record describes.
    let cve_id = meta.cve_id.clone();
    let (index, created) = match issue_id {
        Some(id) => (
            project
                .issues
                .iter()
                .position(|i| i.id == id)
                .ok_or_else(|| ImportError::NoIssue(id.to_owned()))?,
            false,
        ),
        None => match project
            .issues
            .iter()
            .position(|i| i.cve_id() == Some(cve_id.as_str()))
        {
            Some(n) => (n, false),
            None => {
                let id = project.next_issue_id();
                let title = cna.title.clone().unwrap_or_else(|| cve_id.clone());
                let mut issue = Issue::new(id, title, now);
                issue
                    .journal
                    .push(JournalEntry::new(now, None, Event::Created));
                project.issues.push(issue);
                (project.issues.len() - 1, true)
            }
        },
    };
    project.publication = publication;
    let issue = &mut project.issues[index];
    if let Some(t) = cna.title.as_deref().filter(|t| !t.trim().is_empty()) {
        issue.title = t.to_owned();
    }
    // What every published record carries replaces the issue's; what a
    // record may leave out is replaced only when it is there, so importing a
    // sparse record does not erase what the coordinator already knows.
    issue.cve = CveState::Assigned { id: cve_id.clone() };
    issue.description = description;
    issue.impact = impact;
    issue.affected = affected;
    issue.references = references;
    if !problem_types.is_empty() {
        issue.cwe = cwe;
        issue.problem_types = problem_types;
    }
    if cvss.is_some() {
        issue.cvss = cvss;
    }
    if severity.is_some() {
        issue.severity = severity;
    }
    if let Some(name) = reporter_credit {
        if issue.reporter.name.trim().is_empty() {
            issue.reporter.name = name.clone();
        }
        issue.reporter.credit = Some(Credit::Named(name));
    }
    if !cna.credits.is_empty() {
        issue.credits = credits;
    }
    if date_public.is_some() {
        issue.date_public = date_public;
    }
    issue.journal.push(JournalEntry::new(
        now,
        None,
        Event::FieldChanged {
            field: "CVE record".into(),
            value: format!("imported {cve_id}"),
        },
    ));
    Ok(ImportReport {
        issue_id: issue.id.clone(),
        created,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_split_only_when_written_openssl_s_way() {
        assert_eq!(
            split_description("Issue summary: a\nb\n\nImpact summary: c\n\nd"),
            ("a\nb".to_owned(), "c\n\nd".to_owned())
        );
        assert_eq!(
            split_description("Plain text.\n\nImpact summary: x"),
            ("Plain text.\n\nImpact summary: x".to_owned(), String::new())
        );
    }

    #[test]
    fn a_sparse_record_keeps_what_the_issue_knows() {
        let mut p = crate::adapters::store::example().expect("example loads");
        let before = p.issue("POSTBOTE-2").cloned().expect("exists");
        let text = r#"{"dataType":"CVE_RECORD","dataVersion":"5.1",
            "cveMetadata":{"cveId":"CVE-2026-41807","assignerOrgId":"x","state":"PUBLISHED"},
            "containers":{"cna":{"providerMetadata":{"orgId":"x"},
              "descriptions":[{"lang":"en","value":"New text."}],
              "affected":[{"versions":[{"version":"4.0.0","status":"affected","lessThan":"4.12.3"}]}],
              "references":[{"url":"https://example.org/a"}]}}}"#;
        let report = import_cve(
            &mut p,
            &parse_record(text).expect("parses"),
            None,
            Utc::now(),
        )
        .expect("imports");
        assert_eq!(report.issue_id, "POSTBOTE-2", "found by its CVE ID");
        let after = p.issue("POSTBOTE-2").expect("exists");
        assert_eq!(after.description, "New text.");
        assert_eq!(after.references.len(), 1);
        assert_eq!(after.cvss, before.cvss);
        assert_eq!(after.severity, before.severity);
        assert_eq!(after.cwe, before.cwe);
        assert_eq!(after.credits, before.credits);
    }

    #[test]
    fn rejected_and_foreign_documents_are_refused() {
        assert!(matches!(
            parse_record(r#"{"dataType": "X"}"#),
            Err(ImportError::NotARecord(_))
        ));
        let text = r#"{"dataType":"CVE_RECORD","dataVersion":"5.1",
            "cveMetadata":{"cveId":"CVE-2024-1234","assignerOrgId":"x","state":"REJECTED"},
            "containers":{"cna":{"providerMetadata":{"orgId":"x"}}}}"#;
        let record = parse_record(text).expect("parses");
        let mut p = Project::new("P", crate::core::model::PlaybookRef::Builtin("exim".into()));
        let err = import_cve(&mut p, &record, None, Utc::now()).expect_err("rejected");
        assert!(err.to_string().contains("REJECTED"), "{err}");
        assert!(p.issues.is_empty());
    }
}

/// The largest raw mail read for an intake (a report with its attachments).
pub const MAX_REPORT_MAIL: usize = 16 * 1024 * 1024;

/// A report mail as it was received: the header fields the intake keeps,
/// the instant of its `Date`, and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportMail {
    /// `From:`, decoded.
    pub from: String,
    /// `Subject:`, decoded.
    pub subject: String,
    /// `Date:` as written.
    pub date: String,
    /// `Message-ID:` as written, with its angle brackets.
    pub message_id: String,
    /// The instant `Date:` names, if it is a valid date.
    pub received: Option<DateTime<Utc>>,
    /// The text of the mail (its first `text/plain` part).
    pub text: String,
}

/// The first `text/plain` part of `mail` (or the body of a mail without
/// parts), decoded.
fn plain_text(mail: &mailparse::ParsedMail<'_>) -> Option<String> {
    if mail.subparts.is_empty() {
        let mime = mail.ctype.mimetype.to_ascii_lowercase();
        return (mime.starts_with("text/plain") || mime.is_empty())
            .then(|| mail.get_body().ok())
            .flatten();
    }
    mail.subparts.iter().find_map(plain_text)
}

/// Read a raw report mail (pasted, dropped or opened as `.eml`). Refused,
/// with what to do, when it is too large or is not a mail with a `From:`
/// or `Message-ID:` header.
pub fn parse_report_mail(raw: &[u8]) -> Result<ReportMail, String> {
    use mailparse::MailHeaderMap;
    if raw.len() > MAX_REPORT_MAIL {
        return Err(format!(
            "the mail is larger than {} MiB; save only the report's message, without attachments",
            MAX_REPORT_MAIL / (1024 * 1024)
        ));
    }
    // A pasted mail may start with blank lines or carry CRLF line ends.
    let text = String::from_utf8_lossy(raw);
    let trimmed = text.trim_start_matches(['\r', '\n', ' ', '\t']);
    let mail = mailparse::parse_mail(trimmed.as_bytes())
        .map_err(|e| format!("cannot read the mail: {e}"))?;
    let headers = mail.get_headers();
    let header = |name: &str| {
        headers
            .get_first_value(name)
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    let from = header("From");
    let message_id = header("Message-ID");
    if from.is_empty() && message_id.is_empty() {
        return Err(
            "this is not a whole mail: it has no From: or Message-ID: header; paste the message's \
             full source (in your mail client: View source, or Show original)"
                .to_owned(),
        );
    }
    let date = header("Date");
    let received = mailparse::dateparse(&date)
        .ok()
        .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0));
    Ok(ReportMail {
        from,
        subject: header("Subject"),
        date,
        message_id,
        received,
        text: plain_text(&mail).unwrap_or_default(),
    })
}

impl ReportMail {
    /// Fill `issue`'s intake from this mail: the four header fields, and
    /// "received" from its `Date` when that is a valid date.
    pub fn apply(&self, issue: &mut Issue) {
        issue.intake.channel = crate::core::model::IntakeChannel::Mail {
            from: self.from.clone(),
            subject: self.subject.clone(),
            date: self.date.clone(),
            message_id: self.message_id.clone(),
        };
        if let Some(at) = self.received {
            issue.intake.received = at;
        }
    }

    /// The text for OpenSSL's private tracker: the headers, a separator
    /// line, then the mail's text.
    pub fn tracker_text(&self) -> String {
        format!(
            "From: {}\nSubject: {}\nDate: {}\nMessage-ID: {}\n{}\n{}\n",
            self.from,
            self.subject,
            self.date,
            self.message_id,
            "-".repeat(72),
            self.text.trim_end()
        )
    }
}

#[cfg(test)]
mod mail_tests {
    use super::*;

    const MAIL: &str = "\r\nReceived: from mx.example by mail.postbote.example\r\n\
From: =?utf-8?q?Mira_Oka=C3=A7or?= <mira@research.example>\r\n\
To: security@postbote.example\r\n\
Subject: DKIM folding injects headers\r\n\
Date: Mon, 21 Sep 2026 20:40:00 +0200\r\n\
Message-ID: <20260921.abc@research.example>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b\"\r\n\
\r\n\
--b\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
A folded DKIM-Signature header lets me inject headers.\r\n\
--b\r\n\
Content-Type: application/octet-stream\r\n\
\r\n\
AAAA\r\n\
--b--\r\n";

    #[test]
    fn a_report_mail_fills_the_intake_and_the_tracker_text() {
        let mail = parse_report_mail(MAIL.as_bytes()).expect("a mail");
        assert_eq!(mail.from, "Mira Okaçor <mira@research.example>");
        assert_eq!(mail.subject, "DKIM folding injects headers");
        assert_eq!(mail.date, "Mon, 21 Sep 2026 20:40:00 +0200");
        assert_eq!(mail.message_id, "<20260921.abc@research.example>");
        assert_eq!(
            mail.received.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-09-21T18:40:00+00:00")
        );
        assert_eq!(
            mail.text.trim(),
            "A folded DKIM-Signature header lets me inject headers."
        );
        let mut issue = Issue::new("X-1", "t", Utc::now());
        mail.apply(&mut issue);
        assert!(issue.intake.channel.is_recorded());
        assert_eq!(Some(issue.intake.received), mail.received);
        let tracker = mail.tracker_text();
        let (head, text) = tracker.split_once(&"-".repeat(72)).expect("separator");
        assert!(head.starts_with("From: Mira Okaçor <mira@research.example>\nSubject: "));
        assert!(head.contains("Message-ID: <20260921.abc@research.example>\n"));
        assert!(text.contains("inject headers"));
        assert!(!text.contains("AAAA"), "attachments are left out");
    }

    #[test]
    fn text_that_is_not_a_mail_is_refused_with_what_to_do() {
        let e = parse_report_mail(b"hello, I found a bug").expect_err("not a mail");
        assert!(e.contains("View source"), "{e}");
        let e = parse_report_mail(&vec![b'a'; MAX_REPORT_MAIL + 1]).expect_err("too large");
        assert!(e.contains("MiB"), "{e}");
    }
}
