//! `embargo export` and `embargo import-cve`: the advisories and records of
//! an issue or a release written to standard output, a file or a directory,
//! and an existing CVE JSON 5 record read into an issue.
//!
//! Exports refuse incomplete data with the list of missing fields, each
//! named by its path, and exit 1. Files are written by
//! [`crate::workflows::export`], as the app's exports are: private, whole
//! or not at all.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use super::vault;
use crate::core::import;
use crate::core::model::{Project, Release};
use crate::core::ports::Unwatched;
use crate::core::render::{advisory, osv};
use crate::workflows::export;

/// What `embargo export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The CVE JSON 5.1 record of an issue (of each issue of a release).
    CveJson,
    /// The OSV 1.7 record of an issue (of each issue of a release).
    Osv,
    /// The early advisory of an issue, or the security advisory of a release.
    Advisory,
    /// The announcement of a release.
    Announcement,
    /// The CSAF 2.0 security advisory of a release (`csaf_security_advisory`).
    Csaf,
    /// The CSAF 2.0 VEX document of a release (`csaf_vex`).
    CsafVex,
    /// The OpenVEX 0.2.0 document of a release.
    Openvex,
    /// The draft of the Cyber Resilience Act reports of an actively
    /// exploited issue (early warning, notification, final report), for a
    /// project that ships in the EU.
    CraReport,
}

impl ExportFormat {
    /// A machine-readable record or document, which is not clear-signed.
    fn is_record(self) -> bool {
        matches!(
            self,
            Self::CveJson | Self::Osv | Self::Csaf | Self::CsafVex | Self::Openvex
        )
    }
}

/// The arguments of `embargo export`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["issue", "release"])))]
pub struct ExportArgs {
    /// The project file (`NAME.embargo.ron`).
    pub file: PathBuf,
    /// Export this issue.
    #[arg(long)]
    pub issue: Option<String>,
    /// Export this release.
    #[arg(long)]
    pub release: Option<String>,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file, or into this existing directory under the usual
    /// name (`CVE-YYYY-NNNN.json`, `ID.osv.json`, `secadv_YYYYMMDD.txt`, `NAME-sa-VERSION.json`, ...);
    /// default: standard output. A release's records need a directory.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Clear-sign the advisory or announcement with the project's key (or
    /// --key / --key-file).
    #[arg(long)]
    pub sign: bool,
    /// Sign with this key from gpg-agent instead of the project's.
    #[arg(long, value_name = "FINGERPRINT", requires = "sign")]
    pub key: Option<String>,
    /// Sign with the secret key in this file instead of the project's.
    #[arg(long, value_name = "FILE", requires = "sign", conflicts_with = "key")]
    pub key_file: Option<PathBuf>,
    /// Read the key passphrase from this file descriptor.
    #[arg(long, value_name = "N", requires = "sign")]
    pub passphrase_fd: Option<u32>,
}

/// Clear-sign every output with the key the arguments or the project name.
fn clearsign_all(args: &ExportArgs, project: &Project, list: &mut [Output]) -> Result<()> {
    if args.format.is_record() {
        bail!("records are not clear-signed; sign the written file with `embargo sign` instead");
    }
    let source = super::sign::key_source(
        args.key.as_deref(),
        None,
        args.key_file.as_deref(),
        project.signing.as_ref(),
    )?;
    let passphrase = args
        .passphrase_fd
        .map(super::sign::passphrase_from_fd)
        .transpose()?;
    let mut texts: Vec<&mut String> = list.iter_mut().map(|o| &mut o.text).collect();
    crate::workflows::sign::unlock_and_clearsign(
        crate::workflows::keys::KeyRequest::new(source, passphrase),
        &mut texts,
        super::now()?,
        &Unwatched,
    )?;
    Ok(())
}

impl From<ExportFormat> for export::ReleaseFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::CsafVex => Self::CsafVex,
            ExportFormat::Openvex => Self::OpenVex,
            _ => Self::Csaf,
        }
    }
}

/// The arguments of `embargo import-cve`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The project file (`NAME.embargo.ron`); it is saved with the record in.
    pub project: PathBuf,
    /// The CVE JSON 5 record.
    pub record: PathBuf,
    /// Import into this issue; default: the issue with the record's CVE ID,
    /// else a new issue.
    #[arg(long)]
    pub issue: Option<String>,
}

/// One output: its usual file name and its text.
struct Output {
    name: String,
    text: String,
    /// A line to print after writing the file (the advisory's news line).
    after: Option<String>,
}

fn release<'a>(project: &'a Project, id: &str) -> Result<&'a Release> {
    project
        .releases
        .iter()
        .find(|r| r.id == id)
        .with_context(|| {
            let ids: Vec<&str> = project.releases.iter().map(|r| r.id.as_str()).collect();
            format!(
                "there is no release `{id}`: use one of: {}",
                if ids.is_empty() {
                    "(none yet)".to_owned()
                } else {
                    ids.join(", ")
                }
            )
        })
}

fn outputs(args: &ExportArgs, project: &Project) -> Result<Vec<Output>> {
    let now = super::now()?;
    let issue_outputs = |issue: &crate::core::model::Issue| -> Result<Output> {
        Ok(match args.format {
            ExportFormat::CveJson => {
                let d = export::cve_record(project, issue)?;
                Output {
                    name: d.name,
                    text: d.text,
                    after: None,
                }
            }
            ExportFormat::Osv => Output {
                name: osv::file_name(issue),
                text: osv::to_json(&osv::record(project, issue, now)?),
                after: None,
            },
            ExportFormat::Advisory => Output {
                name: format!("{}.txt", issue.identifier().unwrap_or(&issue.id)),
                text: advisory::early_advisory(project, issue)?,
                after: None,
            },
            ExportFormat::CraReport => Output {
                name: format!("{}-cra-report.txt", issue.id),
                text: crate::core::render::cra::report(project, issue)?,
                after: None,
            },
            ExportFormat::Announcement => {
                bail!("an announcement covers a release: use --release ID instead of --issue")
            }
            ExportFormat::Csaf | ExportFormat::CsafVex | ExportFormat::Openvex => {
                bail!(
                    "a CSAF or OpenVEX document covers a release: use --release ID instead of --issue"
                )
            }
        })
    };
    if let Some(id) = &args.issue {
        let issue = project
            .issue(id)
            .ok_or_else(|| crate::core::ops::OpError::NoIssue(id.clone()))?;
        return Ok(vec![issue_outputs(issue)?]);
    }
    let id = args
        .release
        .as_deref()
        .expect("clap requires --issue or --release");
    let r = release(project, id)?;
    Ok(match args.format {
        ExportFormat::Advisory => {
            let a = advisory::security_advisory(project, r)?;
            vec![Output {
                name: a.file_name,
                text: a.text,
                after: Some(format!("newsflash: {}", a.newsflash)),
            }]
        }
        ExportFormat::Announcement => vec![Output {
            name: format!("announcement-{}.txt", r.version),
            text: advisory::announcement(project, r)?,
            after: None,
        }],
        ExportFormat::Csaf | ExportFormat::CsafVex | ExportFormat::Openvex => {
            let d = export::release_document(project, r, args.format.into(), now)?;
            vec![Output {
                name: d.name,
                text: d.text,
                after: None,
            }]
        }
        ExportFormat::CraReport => {
            bail!(
                "the Cyber Resilience Act report covers an issue: use --issue ID instead of --release"
            )
        }
        ExportFormat::CveJson | ExportFormat::Osv => {
            if r.issues.is_empty() {
                bail!("release {id} fixes no issue: add its issues first");
            }
            advisory::release_issues(project, r)
                .into_iter()
                .map(issue_outputs)
                .collect::<Result<_>>()?
        }
    })
}

/// Run `embargo export`.
pub fn export(args: &ExportArgs) -> Result<()> {
    let project = vault::open(&args.file)?;
    let mut list = outputs(args, &project)?;
    if args.sign {
        clearsign_all(args, &project, &mut list)?;
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    match &args.out {
        None if list.len() == 1 => stdout.write_all(list[0].text.as_bytes())?,
        None => bail!(
            "release {} has {} issues, so {} records: give --out DIR to write one file each",
            args.release.as_deref().unwrap_or_default(),
            list.len(),
            list.len()
        ),
        Some(out) if out.is_dir() => {
            // Every name is checked before any file is written.
            let documents: Vec<export::Document> = list
                .iter()
                .map(|o| export::Document {
                    name: o.name.clone(),
                    text: o.text.clone(),
                })
                .collect();
            let paths = export::write_into(out, &documents, &Unwatched)?;
            for (path, o) in paths.iter().zip(&list) {
                writeln!(stdout, "wrote {}", path.display())?;
                if let Some(after) = &o.after {
                    writeln!(stdout, "{after}")?;
                }
            }
        }
        Some(out) if list.len() == 1 => {
            export::write(out, &list[0].text)?;
            if let Some(after) = &list[0].after {
                writeln!(stdout, "{after}")?;
            }
        }
        Some(out) => bail!(
            "{} is not a directory, and release {} has {} records: create the directory first",
            out.display(),
            args.release.as_deref().unwrap_or_default(),
            list.len()
        ),
    }
    Ok(())
}

/// Run `embargo import-cve`.
pub fn import_cve(args: &ImportArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.record)
        .with_context(|| format!("cannot read {}", args.record.display()))?;
    let record = import::parse_record(&text)
        .with_context(|| format!("{} cannot be imported", args.record.display()))?;
    let _lock = super::lock(&args.project, "embargo import-cve")?;
    let mut project = super::open_to_write(&args.project)?;
    let report = import::import_cve(&mut project, &record, args.issue.as_deref(), super::now()?)?;
    vault::save(&args.project, &project)?;
    println!(
        "imported {} into {}{}",
        record.cve_metadata.cve_id,
        report.issue_id,
        if report.created { " (new issue)" } else { "" }
    );
    for note in &report.notes {
        println!("note: {note}");
    }
    Ok(())
}
