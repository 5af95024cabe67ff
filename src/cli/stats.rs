//! `embargo stats FILE [--json|--csv] [--year YYYY]`: the figures of every
//! issue of a project and their totals (medians, maxima, counts) for a
//! project's yearly report, from [`crate::core::figures::stats`], the same
//! figures the write-up and `embargo report --format json` give for one
//! issue. The JSON shape is `{project, as_of, issues: [...], totals}` (the
//! README documents each key); the CSV has the header
//! [`crate::core::figures::CSV_HEADER`], one row per issue and a last row
//! `all` with the medians.

use std::path::PathBuf;

use anyhow::Result;
use chrono::Datelike;
use clap::Args;

use super::Outcome;
use super::edit::{self, Usage};
use crate::core::figures;

/// The arguments of `embargo stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The project file.
    pub file: PathBuf,
    /// Print JSON: `{project, as_of, issues: [{issue, title, severity,
    /// release, reported, published, acknowledge, identifier, lists,
    /// oss_security_post, severity_changes, report_to_release}], totals}`.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV: one row per issue, then a row `all` with the medians.
    #[arg(long)]
    pub csv: bool,
    /// Only the issues reported or released in this year (UTC), e.g. 2026.
    #[arg(long, value_name = "YYYY")]
    pub year: Option<i32>,
}

/// Run `embargo stats`.
pub fn stats(args: &StatsArgs) -> Result<Outcome> {
    edit::exit_code(run(args))
}

fn run(args: &StatsArgs) -> Result<()> {
    if let Some(y) = args.year
        && !(1970..=9999).contains(&y)
    {
        return Err(Usage(format!("--year {y}: give a year such as 2026")).into());
    }
    let (project, playbook) = super::load_project(&args.file)?;
    let now = super::now()?;
    let stats = figures::stats(&project, &playbook, now, |f| {
        args.year
            .is_none_or(|y| f.reported.year() == y || f.published.is_some_and(|p| p.year() == y))
    });
    if args.json {
        edit::print_json(&stats)
    } else if args.csv {
        print!("{}", stats.csv());
        Ok(())
    } else {
        print!("{}", stats.text());
        Ok(())
    }
}
