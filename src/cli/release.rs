//! `embargo publish` and `embargo milestone`: the wizard's "Record as
//! published now" and the release-time picker's milestone handles, from a
//! script, through the same [`ops::publish_release`] and
//! [`ops::move_milestone`].

use std::path::PathBuf;

use anyhow::Result;
use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::Outcome;
use super::edit;
use crate::core::model::Milestone;
use crate::core::ops;
use crate::workflows::share;

/// `embargo publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue whose release went public now.
    #[arg(long)]
    pub issue: String,
    /// Print JSON: `{issue, release, published}` (with --undo:
    /// `{issue, release, published: null, was}`).
    #[arg(long)]
    pub json: bool,
    /// Take back the record that the release went public (journaled as
    /// the app's "Take back the publication"); expired download
    /// credentials stay expired.
    #[arg(long)]
    pub undo: bool,
}

/// `embargo milestone`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("when").required(true).args(["at", "default"])))]
pub struct MilestoneArgs {
    /// The project file.
    pub file: PathBuf,
    /// The issue whose release's timeline it is.
    #[arg(long)]
    pub issue: String,
    /// The milestone: vendor_notice, pre_announcement, maintainers_notice,
    /// distros_notice, fix_availability, oss_security, cve_record, public_git.
    #[arg(value_parser = parse_milestone)]
    pub milestone: Milestone,
    /// Move it to this instant (RFC 3339).
    #[arg(long, value_name = "INSTANT", value_parser = super::parse_instant)]
    pub at: Option<DateTime<Utc>>,
    /// Put it back at its default offset from the release.
    #[arg(long)]
    pub default: bool,
    /// Print JSON: `{issue, milestone, at}` (`at` null for the default).
    #[arg(long)]
    pub json: bool,
}

fn parse_milestone(s: &str) -> Result<Milestone, String> {
    // The release itself moves with `embargo plan`.
    let names: Vec<&str> = Milestone::ALL
        .iter()
        .filter(|m| **m != Milestone::Release)
        .map(|m| m.id())
        .collect();
    Milestone::ALL
        .into_iter()
        .find(|m| *m != Milestone::Release && m.id() == s.trim())
        .ok_or_else(|| {
            edit::unknown(
                s,
                &names,
                "a milestone (the release moves with `embargo plan`)",
            )
        })
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Serialize)]
struct PublishedJson<'a> {
    issue: &'a str,
    release: String,
    published: String,
}

#[derive(Serialize)]
struct UnpublishedJson<'a> {
    issue: &'a str,
    release: String,
    published: Option<String>,
    was: String,
}

/// Run `embargo publish --undo`: the one [`ops::unpublish_release`].
fn unpublish(args: &PublishArgs) -> Result<Outcome> {
    let (release, was) = edit::change(&args.file, "embargo publish", |p, _, now| {
        let release = p
            .release_of(&args.issue)
            .map(|r| r.version.clone())
            .ok_or_else(|| ops::OpError::NoRelease(args.issue.clone()))?;
        let was = ops::unpublish_release(p, &args.issue, now)?;
        Ok((release, was))
    })?;
    if args.json {
        edit::print_json(&UnpublishedJson {
            issue: &args.issue,
            release,
            published: None,
            was: stamp(was),
        })?;
    } else {
        println!(
            "{} {release}: no longer recorded as published (it said {}); expired download credentials stay expired",
            args.issue,
            stamp(was)
        );
    }
    Ok(Outcome::Exit(0))
}

/// Run `embargo publish`.
pub fn publish(args: PublishArgs) -> Result<Outcome> {
    if args.undo {
        return unpublish(&args);
    }
    let (release, at) = edit::change(&args.file, "embargo publish", |p, _, now| {
        let release = p
            .release_of(&args.issue)
            .map(|r| r.version.clone())
            .ok_or_else(|| ops::OpError::NoRelease(args.issue.clone()))?;
        let planned = p.release_of(&args.issue).and_then(|r| r.planned);
        ops::publish_release(p, &args.issue, now)?;
        // As the app's confirmation says it; `--undo` takes it back.
        eprintln!(
            "note: published {}; `embargo publish --undo` takes it back",
            ops::publication_offset(planned, now)
        );
        // Public now: the download's credentials expire, as the app's
        // "Record as published now" expires them (one workflow for both).
        let out = share::default_out(p, &args.issue, &args.file).ok();
        if let Some(expired) = share::expire_after_publication(p, &args.issue, out.as_deref(), now)?
        {
            share::record(p, &args.issue, &expired, now)?;
            eprintln!(
                "{} download credential(s) expired{}",
                expired.expired,
                if expired.files.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the password files in {} now let nobody in",
                        out.as_deref()
                            .unwrap_or(std::path::Path::new("."))
                            .display()
                    )
                }
            );
        }
        Ok((release, now))
    })?;
    if args.json {
        edit::print_json(&PublishedJson {
            issue: &args.issue,
            release,
            published: stamp(at),
        })?;
    } else {
        println!("{} {release}: published {}", args.issue, stamp(at));
    }
    Ok(Outcome::Exit(0))
}

#[derive(Serialize)]
struct MilestoneJson<'a> {
    issue: &'a str,
    milestone: &'static str,
    at: Option<String>,
}

/// Run `embargo milestone`.
pub fn milestone(args: MilestoneArgs) -> Result<Outcome> {
    edit::change(&args.file, "embargo milestone", |p, _, now| {
        ops::move_milestone(p, &args.issue, args.milestone, args.at, now)?;
        Ok(())
    })?;
    if args.json {
        edit::print_json(&MilestoneJson {
            issue: &args.issue,
            milestone: args.milestone.id(),
            at: args.at.map(stamp),
        })?;
    } else {
        let at = args.at.map_or_else(|| "its default".to_owned(), stamp);
        println!("{} {}: {at}", args.issue, args.milestone.id());
    }
    Ok(Outcome::Exit(0))
}
