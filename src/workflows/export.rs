//! Export a document of an issue or a release: the CVE JSON 5 record, the
//! OSV record, the CSAF and OpenVEX documents of a release, the advisories and the announcement (`embargo export`), the
//! write-up (`embargo report`, the app's Write-up window), the timeline as
//! a calendar (`embargo ics`, the app's calendar export). Each text is made
//! by one function here that both front ends call, and every file is
//! written by [`write`] or [`write_into`]: private (0600) like the project,
//! whole through a new temporary file renamed into place, so a failed
//! write leaves no partial file and the file that was there intact, and a
//! link at the target is replaced, never written through.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::adapters::outfile;
use crate::core::model::{Issue, Project, Release, safe_file_name};
use crate::core::playbook::Playbook;
use crate::core::ports::Watch;
use crate::core::render::{self, ReportFormat};

/// A document could not be made or written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The issue's data is not complete enough for the document.
    #[error(transparent)]
    Incomplete(#[from] render::ExportError),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// The issue has no planned release (the calendar holds its milestones).
    #[error(
        "{0} has no planned release yet: plan it in the wizard's “Plan the release” step first"
    )]
    NotPlanned(String),
    /// A document's name would leave its directory.
    #[error("cannot write into {}: {why}", .dir.display())]
    Name {
        /// The directory.
        dir: PathBuf,
        /// Why the name is refused.
        why: String,
    },
    /// The file could not be written; nothing partial is left.
    #[error("cannot write {}: {source}; choose a directory you can write to", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A file is at the path and was not to be replaced.
    #[error(
        "{} exists already and was left as it is; choose another name, or confirm that it is to be replaced", .0.display()
    )]
    Exists(PathBuf),
    /// The user stopped it; the files not yet written are not.
    #[error("stopped: {written} of the files were written")]
    Cancelled {
        /// How many were written before.
        written: usize,
    },
}

/// One document: its usual file name and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// The usual file name (`CVE-2026-1234.json`, `secadv_20261201.txt`).
    pub name: String,
    /// The text.
    pub text: String,
}

/// The CVE JSON 5 record of `issue`, refused with the list of missing
/// fields when it is incomplete.
pub fn cve_record(project: &Project, issue: &Issue) -> Result<Document, ExportError> {
    Ok(Document {
        name: render::cve::file_name(issue),
        text: render::cve::to_json(&render::cve::record(project, issue)?),
    })
}

/// A release's machine-readable document other than its issues' records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReleaseFormat {
    /// The CSAF 2.0 security advisory.
    Csaf,
    /// The CSAF 2.0 VEX document.
    CsafVex,
    /// The OpenVEX 0.2.0 document.
    OpenVex,
}

/// The name CSAF gives the document of `release` in `format`.
pub fn release_document_name(
    project: &Project,
    release: &Release,
    format: ReleaseFormat,
) -> String {
    use render::{csaf, openvex};
    match format {
        ReleaseFormat::Csaf => csaf::file_name(project, release, csaf::Profile::SecurityAdvisory),
        ReleaseFormat::CsafVex => csaf::file_name(project, release, csaf::Profile::Vex),
        ReleaseFormat::OpenVex => openvex::file_name(project, release),
    }
}

/// The CSAF or OpenVEX document of `release` made at `now`, under the
/// name CSAF gives it (`postbote-sa-4_12_3.json`), refused with the list
/// of missing fields when the data are incomplete.
pub fn release_document(
    project: &Project,
    release: &Release,
    format: ReleaseFormat,
    now: DateTime<Utc>,
) -> Result<Document, ExportError> {
    use render::{csaf, openvex};
    let text = match format {
        ReleaseFormat::Csaf => csaf::to_json(&csaf::advisory(project, release, now)?),
        ReleaseFormat::CsafVex => csaf::to_json(&csaf::vex(project, release, now)?),
        ReleaseFormat::OpenVex => openvex::to_json(&openvex::document(project, release, now)?),
    };
    Ok(Document {
        name: release_document_name(project, release, format),
        text,
    })
}

/// The write-up of `issue` from its journal, in `format`, with mail
/// addresses withheld unless `addresses` shows them.
pub fn writeup(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    format: ReportFormat,
    addresses: render::Addresses,
) -> Result<String, ExportError> {
    Ok(render::writeup(
        project, issue, playbook, format, addresses,
    )?)
}

/// The write-up's header and the figures of `issue`
/// ([`crate::core::figures::of_issue`]) as pretty JSON: `{project, issue,
/// title, cve, severity, release, published, figures}`; the lists' mail
/// addresses are withheld unless `addresses` shows them.
pub fn report_json(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    addresses: render::Addresses,
) -> Result<String, ExportError> {
    let mut figures = crate::core::figures::of_issue(project, playbook, issue);
    if addresses == render::Addresses::Withheld {
        for l in &mut figures.lists {
            l.address = render::WITHHELD.to_owned();
        }
        figures.title = render::withhold_addresses(&figures.title);
    }
    let release = project.release_of(&issue.id);
    let value = serde_json::json!({
        "project": project.name,
        "issue": issue.id,
        "title": figures.title,
        "cve": issue.cve_id(),
        "severity": issue.severity.map(|s| s.to_string()),
        "release": release.map(|r| r.version.clone()),
        "published": release.and_then(|r| r.published),
        "figures": figures,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("figures serialise");
    text.push('\n');
    Ok(text)
}

/// The issue's release timeline as an iCalendar file: one event per
/// milestone, as planned now.
pub fn calendar(
    project: &Project,
    playbook: &Playbook,
    issue: &Issue,
    now: DateTime<Utc>,
) -> Result<String, ExportError> {
    let plan = crate::core::playbook::issue_plan(project, playbook, issue);
    let (Some(planned), Some(release)) = (plan.release, project.release_of(&issue.id)) else {
        return Err(ExportError::NotPlanned(issue.id.clone()));
    };
    let mut list = plan.milestones.resolve(planned, plan.rules.process);
    // The public pre-announcement belongs in the coordinator's calendar
    // whatever the playbook: Exim posts a heads-up to oss-security days
    // before, OpenSSL a pre-announcement. Where the process has none, it
    // is placed as the timeline places it for OpenSSL (or where moved).
    if !list
        .iter()
        .any(|m| m.milestone == crate::core::model::Milestone::PreAnnouncement)
        && let Some(pre) = plan
            .milestones
            .resolve(
                planned,
                crate::core::schedule::Process {
                    openssl_prenotification: true,
                },
            )
            .into_iter()
            .find(|m| m.milestone == crate::core::model::Milestone::PreAnnouncement)
    {
        list.push(pre);
        list.sort_by_key(|m| m.at);
    }
    let duties = crate::core::duties::planned(project, issue);
    Ok(render::ics::calendar_with(
        &project.name,
        &issue.id,
        &release.version,
        &list,
        now,
        crate::core::duties::ics_events(&project.name, &release.version, &duties),
    ))
}

/// Write `text` to `path`: private, atomic, never through a link.
pub fn write(path: &Path, text: &str) -> Result<(), ExportError> {
    outfile::write_private(path, text).map_err(|source| ExportError::Write {
        path: path.to_owned(),
        source,
    })
}

/// [`write`] `text` to `path` when nothing is there, or `replace` says the
/// user agreed to replace what is: the app's exports, which ask before
/// they overwrite. The test and the write are one step (the file is
/// linked into place only if the name is free), so a file made meanwhile
/// is not overwritten either.
pub fn write_new(path: &Path, text: &str, replace: bool) -> Result<(), ExportError> {
    if replace {
        return write(path, text);
    }
    outfile::write(
        path,
        text.as_bytes(),
        outfile::PRIVATE,
        outfile::Existing::Keep,
    )
    .map_err(|source| match source.kind() {
        std::io::ErrorKind::AlreadyExists => ExportError::Exists(path.to_owned()),
        _ => ExportError::Write {
            path: path.to_owned(),
            source,
        },
    })
}

/// Write each document into the directory `dir` under its usual name,
/// telling `watch`; every name is checked before any file is written.
/// Returns the files written, in order.
pub fn write_into(
    dir: &Path,
    documents: &[Document],
    watch: &dyn Watch,
) -> Result<Vec<PathBuf>, ExportError> {
    let mut paths = Vec::new();
    for d in documents {
        let name = safe_file_name(&d.name).map_err(|e| ExportError::Name {
            dir: dir.to_owned(),
            why: e.to_string(),
        })?;
        paths.push(dir.join(name));
    }
    for (i, (path, d)) in paths.iter().zip(documents).enumerate() {
        if watch.is_cancelled() {
            return Err(ExportError::Cancelled { written: i });
        }
        watch.say(&format!("writing {}", path.display()));
        write(path, &d.text)?;
        watch.set(i as u64 + 1, documents.len() as u64);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ports::Unwatched;

    #[test]
    fn a_failed_write_leaves_what_was_there_and_no_partial_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        // What is at the target cannot be replaced (a directory that holds
        // a file): the text is written whole to a temporary file first, and
        // the failed rename must take that file away again.
        let path = dir.path().join("CVE-2026-0001.json");
        std::fs::create_dir(&path).expect("dir");
        std::fs::write(path.join("kept"), "kept\n").expect("written");
        let e = write(&path, &"x".repeat(100_000)).expect_err("refused");
        assert!(e.to_string().contains("cannot write"), "{e}");
        assert!(e.to_string().contains("CVE-2026-0001.json"), "{e}");
        assert_eq!(
            std::fs::read_to_string(path.join("kept")).expect("kept"),
            "kept\n"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, ["CVE-2026-0001.json"], "no temporary file left");
    }

    #[test]
    fn an_existing_file_is_kept_unless_it_is_to_be_replaced() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("CVE-2026-0001.json");
        write_new(&path, "first", false).expect("written");
        let e = write_new(&path, "second", false).expect_err("kept");
        assert!(matches!(e, ExportError::Exists(_)), "{e}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "first");
        write_new(&path, "second", true).expect("replaced");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "second");
        let names = std::fs::read_dir(dir.path()).expect("dir").count();
        assert_eq!(names, 1, "no temporary file left");
    }

    #[test]
    fn every_name_is_checked_before_any_file_is_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let docs = [
            Document {
                name: "good.json".into(),
                text: "{}".into(),
            },
            Document {
                name: "../escape.json".into(),
                text: "{}".into(),
            },
        ];
        let e = write_into(dir.path(), &docs, &Unwatched).expect_err("refused");
        assert!(matches!(e, ExportError::Name { .. }), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
        let written = write_into(dir.path(), &docs[..1], &Unwatched).expect("written");
        assert_eq!(written, [dir.path().join("good.json")]);
    }
}
