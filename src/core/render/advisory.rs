//! The texts a security release publishes, from templates in
//! `assets/templates/`:
//!
//! - the early advisory of one issue (OpenSSL writes it as soon as the CVE
//!   exists): title, severity, issue and impact summaries, affected and
//!   unaffected versions, one upgrade line per branch, reporter and fixer
//!   credit. An edited text in [`Issue::early_advisory`] wins over the template;
//! - the security advisory of a release in OpenSSL's form: the early
//!   advisories of its issues from Critical to Low, then by report date,
//!   under a dated header and above the references trailer, with its file
//!   name `secadv_YYYYMMDD.txt` and the line for the news page;
//! - the release announcement in Exim's form: for each issue its identifier,
//!   area, type, severity, credit, timeline in UTC, summary, affected
//!   systems and mitigation; then the resolution and the downloads with
//!   sizes and SHA-256.
//!
//! Every function returns the plain text; clear-signing it is the signing
//! adapter's job.

use chrono::{DateTime, Datelike, Utc};
use minijinja::context;
use serde::Serialize;

use super::facts::{self, and_list, wrap};
use super::{ExportError, FieldProblem, render};
use crate::core::model::{
    AffectedRange, Credit, CreditRole, Event, Issue, Project, Release, Severity, Support,
};

const WIDTH: usize = 76;

/// A date as OpenSSL writes it in its advisories: `13th October 2026`.
fn long_date(at: DateTime<Utc>) -> String {
    let day = at.day();
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix} {}", at.format("%B %Y"))
}

/// The severity step's key: the wizard keeps its reasoning as the step's
/// note (`Issue::step_notes`) or as the note of the journal entry that
/// marked the step done.
const SEVERITY_STEP: &str = "severity";

/// The paragraph saying why the issue has its severity: the reasoning the
/// coordinator wrote at the severity step, closed by the level, as OpenSSL
/// ends it ("For this reason the issue was assessed as Low severity.").
fn severity_paragraph(project: &Project, issue: &Issue) -> String {
    let Some(severity) = issue.severity else {
        return String::new();
    };
    // The step's note, else the note given when the step was marked done.
    let reasoning = issue
        .step_notes
        .get(SEVERITY_STEP)
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            issue
                .journal
                .iter()
                .rev()
                .filter(|e| e.step.as_deref() == Some(SEVERITY_STEP))
                .map(|e| e.note.trim())
                .find(|n| !n.is_empty())
        })
        .unwrap_or_default();
    let level = format!("{severity} severity");
    let text = if reasoning.is_empty() {
        format!(
            "The issue was assessed as {level} according to the {} security policy.",
            project.name
        )
    } else if reasoning.contains(&level) {
        reasoning.to_owned()
    } else {
        let stop = if reasoning.ends_with(['.', '!', '?']) {
            ""
        } else {
            "."
        };
        format!("{reasoning}{stop} For this reason the issue was assessed as {level}.")
    };
    wrap(&text, WIDTH)
}

/// Whether a range is a branch past its end of life without a fix: it gets
/// no upgrade line but a line saying so, and needs no fixed version.
fn unfixed_end_of_life(project: &Project, range: &AffectedRange) -> bool {
    range.fixed.is_none()
        && project
            .publication
            .support_of(&facts::branch(&range.introduced))
            == Support::EndOfLife
}

/// The upgrade line of one affected range, by its branch's support status.
fn upgrade_line(project: &Project, issue: &Issue, range: &AffectedRange) -> String {
    let product = project.publication.product_or(&project.name);
    if unfixed_end_of_life(project, range) {
        let branch = facts::branch(&range.introduced);
        return wrap(
            &format!(
                "{product} {branch} is past its end of life and gets no fix: its users should \
                 move to a supported branch."
            ),
            WIDTH,
        );
    }
    let fixed = facts::fixed_version(project, issue, range).unwrap_or_default();
    let branch = facts::branch(&fixed);
    let line = format!("{product} {branch} users should upgrade to {product} {fixed}");
    match project.publication.support_of(&branch) {
        Support::PremiumOnly => format!("{line}\n(premium support customers only)."),
        Support::EndOfLife => format!("{line}\n(the last fix of this end-of-life branch)."),
        Support::Public => format!("{line}."),
    }
}

/// The embargo banner above an early advisory handed out before the issue
/// is public: the public disclosure date, time and zone.
fn embargo_banner(project: &Project, issue: &Issue) -> String {
    let text = match facts::public_date(project, issue) {
        Some(at) => format!(
            "EMBARGOED until {} {}, {} UTC ({}). Do not publish, forward or act on \
             this text in public before then.",
            at.format("%A"),
            long_date(at),
            at.format("%H:%M"),
            at.format("%Y-%m-%dT%H:%MZ"),
        ),
        None => "EMBARGOED: the public disclosure date is not set yet. Do not publish, \
                 forward or act on this text in public until it is announced."
            .to_owned(),
    };
    let body = wrap(&text, WIDTH - 4);
    let rule = "*".repeat(WIDTH);
    let lines: Vec<String> = body.lines().map(|l| format!("* {l}")).collect();
    format!("{rule}\n{}\n{rule}", lines.join("\n"))
}

/// Whether an issue is still under embargo: its release (if any) is not
/// published yet.
fn under_embargo(project: &Project, issue: &Issue) -> bool {
    project
        .release_of(&issue.id)
        .is_none_or(|r| r.published.is_none())
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

/// Rendered text with exactly one final newline (minijinja drops the
/// template's last one).
fn finish(text: String) -> String {
    let mut text = text.trim_end().to_owned();
    text.push('\n');
    text
}

fn underline(heading: &str, c: char) -> String {
    std::iter::repeat_n(c, heading.chars().count()).collect()
}

/// What an issue lacks for its early advisory from the template, each
/// problem naming the issue's field. An issue with an edited early advisory
/// needs nothing.
pub fn check_early_advisory(project: &Project, issue: &Issue) -> Vec<FieldProblem> {
    if issue.early_advisory.trim().is_empty() {
        check_template(project, issue)
    } else {
        Vec::new()
    }
}

/// What an issue lacks for the early advisory template, whether or not an
/// edited text exists (the "Fill from template" action asks this).
pub fn check_template(project: &Project, issue: &Issue) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if issue.title.trim().is_empty() {
        problems.push(FieldProblem::new(
            "issue/title",
            "the issue has no title: give it one",
        ));
    }
    if issue.severity.is_none() {
        problems.push(FieldProblem::new(
            "issue/severity",
            "the severity is not assessed: set it",
        ));
    }
    if issue.description.trim().is_empty() {
        problems.push(FieldProblem::new(
            "issue/description",
            "the issue has no description: write the issue summary",
        ));
    }
    if issue.affected.is_empty() {
        problems.push(FieldProblem::new(
            "issue/affected",
            "no affected versions are listed: add the affected ranges",
        ));
    }
    for (n, range) in issue.affected.iter().enumerate() {
        if !unfixed_end_of_life(project, range)
            && facts::fixed_version(project, issue, range).is_none()
        {
            problems.push(FieldProblem::new(
                format!("issue/affected/{n}/fixed"),
                "no fixed version for the upgrade line: enter it, or plan the issue into a release",
            ));
        }
    }
    problems
}

/// The early advisory of `issue` from the template, ignoring any edited text.
pub fn default_early_advisory(project: &Project, issue: &Issue) -> Result<String, ExportError> {
    let problems = check_template(project, issue);
    if !problems.is_empty() {
        return Err(ExportError::Incomplete {
            what: format!("the early advisory of {}", issue.id),
            problems,
        });
    }
    let product = project.publication.product_or(&project.name);
    let heading = match issue.identifier() {
        Some(cve) => format!("{} ({cve})", issue.title.trim()),
        None => issue.title.trim().to_owned(),
    };
    let mut affected = Vec::new();
    let mut upgrades: Vec<String> = Vec::new();
    for range in &issue.affected {
        let sentence = if unfixed_end_of_life(project, range) {
            format!(
                "{product} {} and later on this branch are vulnerable to this issue.",
                range.introduced
            )
        } else {
            let fixed = facts::fixed_version(project, issue, range).unwrap_or_default();
            format!(
                "{product} {} up to, but not including, {fixed} is vulnerable to this issue.",
                range.introduced
            )
        };
        affected.push(wrap(&sentence, WIDTH));
        let line = upgrade_line(project, issue, range);
        if !upgrades.contains(&line) {
            upgrades.push(line);
        }
    }
    let earliest = issue
        .affected
        .iter()
        .map(|r| r.introduced.as_str())
        .min_by(|a, b| facts::version_cmp(a, b));
    let not_affected = earliest
        .map(|v| format!("{product} versions before {v} are not affected by this issue."))
        .unwrap_or_default();
    let reported = long_date(issue.intake.received);
    let mut credit = match &issue.reporter.credit {
        Some(Credit::Named(name)) if !name.trim().is_empty() => {
            format!("This issue was reported on {reported} by {}.", name.trim())
        }
        Some(Credit::Anonymous) => {
            format!(
                "This issue was reported on {reported} by a reporter who asked not to be named."
            )
        }
        _ => format!("This issue was reported on {reported}."),
    };
    let fixers: Vec<String> = issue
        .credits
        .iter()
        .filter(|c| c.role == CreditRole::RemediationDeveloper)
        .map(|c| c.name.clone())
        .collect();
    if !fixers.is_empty() {
        credit.push_str(&format!(" The fix was developed by {}.", and_list(&fixers)));
    }
    let para = |label: &str, text: &str| {
        if text.trim().is_empty() {
            String::new()
        } else {
            wrap(&format!("{label}: {}", text.trim()), WIDTH)
        }
    };
    Ok(finish(render(
        "early-advisory.txt",
        context! {
            underline => underline(&heading, '='),
            heading => heading,
            severity => issue.severity.map(|s| s.to_string()),
            issue_summary => para("Issue summary", &issue.description),
            impact_summary => para("Impact summary", &issue.impact),
            mitigation => para("Mitigation", &issue.mitigation),
            severity_reasoning => severity_paragraph(project, issue),
            affected => affected,
            not_affected => not_affected,
            upgrades => upgrades,
            credit => wrap(&credit, WIDTH),
        },
    )?))
}

/// The early advisory of `issue`: the edited text when there is one, else
/// the template's, with exactly one final newline. Before the issue is
/// public (its release not published) it is handed out under embargo, so it
/// starts with a banner naming the public disclosure date, time and zone.
pub fn early_advisory(project: &Project, issue: &Issue) -> Result<String, ExportError> {
    let text = advisory_body(project, issue)?;
    if under_embargo(project, issue) {
        Ok(format!("{}\n\n{text}", embargo_banner(project, issue)))
    } else {
        Ok(text)
    }
}

/// The early advisory's text without a banner, as the security advisory
/// carries it.
fn advisory_body(project: &Project, issue: &Issue) -> Result<String, ExportError> {
    let edited = issue.early_advisory.trim();
    if edited.is_empty() {
        default_early_advisory(project, issue)
    } else {
        Ok(format!("{edited}\n"))
    }
}

/// The issues of a release in advisory order: severity from Critical to Low
/// (unassessed last), then the date the report came in.
pub fn release_issues<'a>(project: &'a Project, release: &Release) -> Vec<&'a Issue> {
    facts::release_issues(project, release)
}

fn release_problems(project: &Project, release: &Release) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    if facts::release_date(release).is_none() {
        problems.push(FieldProblem::new(
            "release/planned",
            "the release has no date: plan it first",
        ));
    }
    if release.issues.is_empty() {
        problems.push(FieldProblem::new(
            "release/issues",
            "the release fixes no issue: add its issues",
        ));
    }
    for id in &release.issues {
        if project.issue(id).is_none() {
            problems.push(FieldProblem::new(
                format!("release/issues/{id}"),
                "no issue has this ID: correct the release",
            ));
        }
    }
    problems
}

/// A release's security advisory, ready to publish (and to clear-sign).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecurityAdvisory {
    /// The file name, `secadv_YYYYMMDD.txt`.
    pub file_name: String,
    /// The advisory text.
    pub text: String,
    /// The line for the news page, e.g.
    /// `13-Oct-2026: <a href="...">Security Advisory</a>: one moderate severity fix`.
    pub newsflash: String,
}

/// What a release lacks for its security advisory, each problem naming its
/// field; the problems of an issue's early advisory are prefixed with the issue.
pub fn check_security_advisory(project: &Project, release: &Release) -> Vec<FieldProblem> {
    let mut problems = release_problems(project, release);
    if project.publication.advisory_url.trim().is_empty() {
        problems.push(FieldProblem::new(
            "publication/advisory_url",
            format!(
                "the advisory's web address is not set: set it in {} ({{date}} marks YYYYMMDD)",
                crate::core::settings::ADVISORY_URL
            ),
        ));
    }
    for issue in facts::release_issues(project, release) {
        for p in check_early_advisory(project, issue) {
            problems.push(FieldProblem::new(
                format!(
                    "issues/{}/{}",
                    issue.id,
                    p.field.trim_start_matches("issue/")
                ),
                p.message,
            ));
        }
    }
    problems
}

/// The security advisory of `release` in OpenSSL's form.
pub fn security_advisory(
    project: &Project,
    release: &Release,
) -> Result<SecurityAdvisory, ExportError> {
    let problems = check_security_advisory(project, release);
    let (Some(date), Some(url), true) = (
        facts::release_date(release),
        facts::advisory_url(project, release),
        problems.is_empty(),
    ) else {
        return Err(ExportError::Incomplete {
            what: format!("the security advisory of release {}", release.id),
            problems,
        });
    };
    let issues = facts::release_issues(project, release);
    let mut advisories = Vec::new();
    for issue in &issues {
        advisories.push(advisory_body(project, issue)?.trim_end().to_owned());
    }
    let heading = format!("{} Security Advisory [{}]", project.name, long_date(date));
    let text = finish(render(
        "secadv.txt",
        context! {
            underline => underline(&heading, '='),
            heading => heading,
            advisories => advisories,
            url => url.clone(),
            project => project.name.clone(),
            policy => project.publication.severity_policy_url.trim(),
            support_note => support_note(project, &issues),
        },
    )?);
    let mut counts = Vec::new();
    for s in Severity::ALL.iter().rev() {
        let n = issues.iter().filter(|i| i.severity == Some(*s)).count();
        if n > 0 {
            counts.push(format!(
                "{} {}",
                facts::count_words(n),
                s.to_string().to_lowercase()
            ));
        }
    }
    // The noun agrees with the count next to it: "one high and one moderate
    // severity fix", "one high and two low severity fixes".
    let last = Severity::ALL
        .iter()
        .find(|s| issues.iter().any(|i| i.severity == Some(**s)))
        .map(|s| issues.iter().filter(|i| i.severity == Some(*s)).count())
        .unwrap_or(0);
    let plural = if last == 1 { "fix" } else { "fixes" };
    Ok(SecurityAdvisory {
        file_name: format!("secadv_{}.txt", date.format("%Y%m%d")),
        newsflash: format!(
            "{}: <a href=\"{url}\">Security Advisory</a>: {} severity {plural}",
            date.format("%d-%b-%Y"),
            and_list(&counts)
        ),
        text,
    })
}

/// The closing note on branches out of public support, as OpenSSL ends its
/// advisories ("Only currently supported releases have been analysed."):
/// empty when the project lists no branch statuses.
fn support_note(project: &Project, issues: &[&Issue]) -> String {
    let product = project.publication.product_or(&project.name);
    let branches = &project.publication.branches;
    if branches.is_empty() {
        return String::new();
    }
    let named = |support: Support| -> Vec<String> {
        branches
            .iter()
            .filter(|b| b.support == support)
            .map(|b| b.branch.trim().to_owned())
            .collect()
    };
    let mut text = String::from("Only currently supported branches have been analysed");
    let premium = named(Support::PremiumOnly);
    if premium.is_empty() {
        text.push('.');
    } else {
        text.push_str(&format!(
            ", and {product} {}, whose fixes go to premium support customers only.",
            and_list(&premium)
        ));
    }
    let affected_branch = |b: &str| {
        issues.iter().any(|i| {
            i.affected.iter().any(|r| {
                facts::branch(&r.introduced) == b
                    || r.fixed.as_deref().map(facts::branch).as_deref() == Some(b)
            })
        })
    };
    let (named_eol, unanalysed): (Vec<String>, Vec<String>) = named(Support::EndOfLife)
        .into_iter()
        .partition(|b| affected_branch(b));
    if !named_eol.is_empty() {
        let verb = if named_eol.len() == 1 { "is" } else { "are" };
        text.push_str(&format!(
            " {product} {} {verb} past {} end of life and named above where affected.",
            and_list(&named_eol),
            if named_eol.len() == 1 { "its" } else { "their" }
        ));
    }
    if !unanalysed.is_empty() {
        let verb = if unanalysed.len() == 1 { "is" } else { "are" };
        text.push_str(&format!(
            " {product} {} {verb} out of support and {} not been analysed.",
            and_list(&unanalysed),
            if unanalysed.len() == 1 { "has" } else { "have" }
        ));
    }
    wrap(&text, WIDTH)
}

/// "remote, unauthenticated" from a CVSS vector's attack vector and
/// privileges required.
pub(crate) fn area(vector: &str) -> Option<String> {
    let metric = |key: &str| {
        vector
            .split('/')
            .find_map(|m| m.strip_prefix(key).and_then(|v| v.strip_prefix(':')))
    };
    let reach = match metric("AV")? {
        "N" => "remote",
        "A" => "adjacent network",
        "L" => "local",
        "P" => "physical access",
        _ => return None,
    };
    let auth = match metric("PR")? {
        "N" => "unauthenticated",
        _ => "authenticated",
    };
    let mut s = format!("{reach}, {auth}");
    if matches!(metric("UI"), Some("R" | "P" | "A")) {
        s.push_str(", needs user interaction");
    }
    Some(s)
}

#[derive(Serialize)]
struct AnnouncedIssue {
    heading: String,
    underline: String,
    identifier: String,
    area: String,
    kind: String,
    severity: String,
    credit: String,
    timeline: Vec<String>,
    summary: String,
    affected: String,
    mitigation: String,
}

#[derive(Serialize)]
struct Download {
    url: String,
    size: u64,
    sha256: String,
    signature: Option<String>,
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn announced(
    project: &Project,
    release: &Release,
    issue: &Issue,
    problems: &mut Vec<FieldProblem>,
) -> AnnouncedIssue {
    let at = |f: &str| format!("issues/{}/{f}", issue.id);
    let product = project.publication.product_or(&project.name);
    let identifier = match issue.identifier() {
        Some(cve) => format!("{cve} ({})", issue.id),
        None => {
            problems.push(FieldProblem::new(
                at("cve"),
                "no CVE or GCVE ID is assigned yet: request one",
            ));
            issue.id.clone()
        }
    };
    let area = match issue.cvss.as_ref().and_then(|c| area(&c.vector)) {
        Some(a) => a,
        None => {
            problems.push(FieldProblem::new(
                at("cvss"),
                "the area (remote or local, authenticated or not) is read from the CVSS vector: set one",
            ));
            String::new()
        }
    };
    let kind = match (issue.impact_kind, issue.cwe.as_deref()) {
        (Some(k), Some(c)) => format!("{} ({c})", k.label()),
        (Some(k), None) => k.label().to_owned(),
        (None, Some(c)) => c.to_owned(),
        (None, None) => {
            problems.push(FieldProblem::new(
                at("impact_kind"),
                "the type of issue is not set: set the impact kind or the CWE",
            ));
            String::new()
        }
    };
    let severity = match (issue.severity, &issue.cvss) {
        (Some(s), Some(c)) => match super::cve::cvss_score(c.version, &c.vector) {
            Ok(score) => format!(
                "{s} (CVSS {} base score {:.1}, {})",
                score.version, score.base_score, c.vector
            ),
            Err(e) => {
                problems.push(FieldProblem::new(
                    at("cvss"),
                    format!("{e}: correct the CVSS vector"),
                ));
                s.to_string()
            }
        },
        (Some(s), None) => s.to_string(),
        (None, _) => {
            problems.push(FieldProblem::new(
                at("severity"),
                "the severity is not assessed: set it",
            ));
            String::new()
        }
    };
    let people = facts::people(issue);
    let named = |roles: &[CreditRole]| -> Vec<String> {
        people
            .iter()
            .filter(|p| p.roles.iter().any(|r| roles.contains(r)))
            .map(|p| p.name.clone())
            .collect()
    };
    let mut credit = Vec::new();
    // Whoever found or reported it is named once, as OpenSSL writes
    // "reported by".
    let reporters = named(&[CreditRole::Reporter, CreditRole::Finder]);
    if !reporters.is_empty() {
        credit.push(format!("reported by {}", and_list(&reporters)));
    } else if issue.reporter.credit == Some(Credit::Anonymous) {
        credit.push("reported by someone who asked not to be named".to_owned());
    }
    let fixers = named(&[CreditRole::RemediationDeveloper]);
    if !fixers.is_empty() {
        credit.push(format!("fixed by {}", and_list(&fixers)));
    }
    let mut timeline: Vec<(DateTime<Utc>, String)> =
        vec![(issue.intake.received, "report received".to_owned())];
    for e in &issue.journal {
        match &e.event {
            Event::FieldChanged { field, value } if field == "CVE" => {
                timeline.push((e.at, format!("{value} assigned")));
            }
            Event::MailSent { to, .. } => timeline.push((e.at, format!("notice sent to {to}"))),
            _ => {}
        }
    }
    match (release.published, release.planned) {
        (Some(p), _) => timeline.push((p, format!("{product} {} released", release.version))),
        (None, Some(p)) => {
            timeline.push((p, format!("{product} {} release planned", release.version)))
        }
        (None, None) => {}
    }
    timeline.sort_by_key(|(at, _)| *at);
    let summary = super::cve::description_text(issue);
    if summary.is_empty() {
        problems.push(FieldProblem::new(
            at("description"),
            "the issue has no description: write the summary",
        ));
    }
    let mut affected: Vec<String> = issue
        .affected
        .iter()
        .map(|r| match facts::fixed_version(project, issue, r) {
            Some(f) => format!("{product} {} up to, but not including, {f}.", r.introduced),
            None => format!("{product} {} and later.", r.introduced),
        })
        .collect();
    if affected.is_empty() {
        problems.push(FieldProblem::new(
            at("affected"),
            "no affected versions are listed: add them",
        ));
    }
    if let Some(v) = issue
        .affected
        .iter()
        .map(|r| r.introduced.as_str())
        .min_by(|a, b| facts::version_cmp(a, b))
    {
        affected.push(format!("Versions before {v} are not affected."));
    }
    let mitigation = if issue.mitigation.trim().is_empty() {
        "None known: upgrade.".to_owned()
    } else {
        issue.mitigation.trim().to_owned()
    };
    let heading = format!(
        "{}: {}",
        issue.identifier().unwrap_or(&issue.id),
        issue.title.trim()
    );
    AnnouncedIssue {
        underline: underline(&heading, '-'),
        heading,
        identifier,
        area,
        kind,
        severity,
        credit: wrap(&credit.join("; "), WIDTH - 13)
            .replace('\n', &format!("\n{}", " ".repeat(13))),
        timeline: timeline
            .into_iter()
            .map(|(at, what)| format!("{}  {what}", utc(at)))
            .collect(),
        summary: indent(&wrap(&summary, WIDTH - 2)),
        affected: indent(&wrap(&affected.join("\n"), WIDTH - 2)),
        mitigation: indent(&wrap(&mitigation, WIDTH - 2)),
    }
}

/// What a release lacks for its announcement, each problem naming its field.
pub fn check_announcement(project: &Project, release: &Release) -> Vec<FieldProblem> {
    let mut problems = release_problems(project, release);
    for issue in facts::release_issues(project, release) {
        announced(project, release, issue, &mut problems);
    }
    if release.artifacts.is_empty() {
        problems.push(FieldProblem::new(
            "release/artifacts",
            "no release files are recorded: build and sign the release first",
        ));
    }
    problems
}

/// The announcement of `release` in Exim's form.
pub fn announcement(project: &Project, release: &Release) -> Result<String, ExportError> {
    let problems = check_announcement(project, release);
    if !problems.is_empty() {
        return Err(ExportError::Incomplete {
            what: format!("the announcement of release {}", release.id),
            problems,
        });
    }
    let mut ignored = Vec::new();
    let issues: Vec<AnnouncedIssue> = facts::release_issues(project, release)
        .into_iter()
        .map(|i| announced(project, release, i, &mut ignored))
        .collect();
    let product = project.publication.product_or(&project.name);
    let downloads: Vec<Download> = release
        .artifacts
        .iter()
        .map(|a| {
            let file = a.path.rsplit(['/', '\\']).next().unwrap_or(&a.path);
            Download {
                url: facts::fill(&project.publication.download_url, "file", file)
                    .unwrap_or_else(|| file.to_owned()),
                size: a.size,
                sha256: a.sha256.clone(),
                signature: a.signature.as_ref().map(|s| {
                    let f = s.rsplit(['/', '\\']).next().unwrap_or(s);
                    facts::fill(&project.publication.download_url, "file", f)
                        .unwrap_or_else(|| f.to_owned())
                }),
            }
        })
        .collect();
    let has_patch = release
        .artifacts
        .iter()
        .any(|a| a.kind == crate::core::model::ArtifactKind::Patch);
    let mut resolution = format!("Upgrade to {product} {}.", release.version);
    if has_patch {
        resolution
            .push_str(" If you cannot upgrade yet, apply the patch listed below to your version.");
    }
    let heading = format!("{product} {}: security release", release.version);
    let (count, plural) = (facts::count_words(issues.len()), issues.len() != 1);
    Ok(finish(render(
        "announcement.txt",
        context! {
            underline => underline(&heading, '='),
            heading => heading,
            count => count,
            plural => plural,
            issues => minijinja::Value::from(minijinja::value::Serde(&issues)),
            resolution => indent(&wrap(&resolution, WIDTH - 2)),
            downloads => minijinja::Value::from(minijinja::value::Serde(&downloads)),
            signer => project.signing.as_ref().map(|s| s.fingerprint.clone()),
            contact => project.mail.from.trim(),
        },
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_with_ordinals_as_openssl_does() {
        let d = |s: &str| {
            DateTime::parse_from_rfc3339(&format!("{s}T12:00:00Z"))
                .expect("date")
                .with_timezone(&Utc)
        };
        assert_eq!(long_date(d("2026-01-01")), "1st January 2026");
        assert_eq!(long_date(d("2026-01-02")), "2nd January 2026");
        assert_eq!(long_date(d("2026-01-03")), "3rd January 2026");
        assert_eq!(long_date(d("2026-01-04")), "4th January 2026");
        assert_eq!(long_date(d("2026-01-11")), "11th January 2026");
        assert_eq!(long_date(d("2026-01-12")), "12th January 2026");
        assert_eq!(long_date(d("2026-01-13")), "13th January 2026");
        assert_eq!(long_date(d("2026-01-21")), "21st January 2026");
        assert_eq!(long_date(d("2026-01-22")), "22nd January 2026");
        assert_eq!(long_date(d("2026-01-31")), "31st January 2026");
    }

    #[test]
    fn area_reads_the_vector() {
        assert_eq!(
            area("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").as_deref(),
            Some("remote, unauthenticated")
        );
        assert_eq!(
            area("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").as_deref(),
            Some("local, authenticated, needs user interaction")
        );
        assert_eq!(area("nonsense"), None);
    }
}
