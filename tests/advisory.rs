//! The security advisory in OpenSSL's form and the early advisory handed out
//! under embargo: one upgrade line per affected branch by its support status,
//! the severity paragraph from the severity step's reasoning, the closing
//! notes on branches out of support, the newsflash's grammar, and the
//! embargo banner naming the public date, time and zone.

use chrono::{DateTime, Utc};
use embargo::core::model::{
    AffectedRange, BranchSupport, Issue, PlaybookRef, Project, Release, Severity, Support,
};
use embargo::core::render::advisory;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("date")
        .with_timezone(&Utc)
}

fn range(introduced: &str, fixed: Option<&str>) -> AffectedRange {
    AffectedRange {
        introduced: introduced.into(),
        fixed: fixed.map(String::from),
    }
}

fn issue(id: &str, severity: Severity) -> Issue {
    let mut i = Issue::new(id, format!("Title of {id}"), at("2026-09-01T08:00:00Z"));
    i.severity = Some(severity);
    i.description = format!("What is wrong in {id}.");
    i.affected.push(range("4.12.0", Some("4.12.2")));
    i
}

/// A project with one release of `issues`, planned for Tuesday 1 December
/// 2026 at 14:00 UTC and not yet published.
fn project(issues: Vec<Issue>) -> Project {
    let mut p = Project::new("Postbote", PlaybookRef::Builtin("openssl".into()));
    p.publication.advisory_url = "https://postbote.example/secadv/{date}.txt".into();
    let ids = issues.iter().map(|i| i.id.clone()).collect();
    p.issues = issues;
    p.releases.push(Release {
        id: "4.12.2".into(),
        version: "4.12.2".into(),
        planned: Some(at("2026-12-01T14:00:00Z")),
        published: None,
        base_tag: None,
        issues: ids,
        artifacts: Vec::new(),
        milestones: Default::default(),
        shares: Vec::new(),
    });
    p
}

fn branch(name: &str, support: Support) -> BranchSupport {
    BranchSupport {
        branch: name.into(),
        support,
    }
}

#[test]
fn every_affected_branch_gets_its_upgrade_line_by_support_status() {
    let mut i = issue("PB-1", Severity::High);
    i.affected.push(range("4.11.0", Some("4.11.7")));
    i.affected.push(range("4.10.0", None));
    let mut p = project(vec![i]);
    p.publication.branches = vec![
        branch("4.11", Support::PremiumOnly),
        branch("4.10", Support::EndOfLife),
        branch("4.9", Support::EndOfLife),
    ];
    let text = advisory::security_advisory(&p, &p.releases[0])
        .expect("complete: an end-of-life branch needs no fixed version")
        .text;
    assert!(
        text.contains("\n\nPostbote 4.12 users should upgrade to Postbote 4.12.2.\n\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "\n\nPostbote 4.11 users should upgrade to Postbote 4.11.7\n\
             (premium support customers only).\n\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Postbote 4.10 is past its end of life and gets no fix"),
        "{text}"
    );
    assert!(
        text.contains("Postbote 4.10.0 and later on this branch are vulnerable"),
        "{text}"
    );
    // The closing notes as OpenSSL writes them, with the branches out of
    // support: 4.10 is named above, 4.9 was not analysed.
    let notes = &text[text.find("General Advisory Notes\n").expect("closing")..];
    assert!(
        notes.contains(
            "URL for this Security Advisory:\nhttps://postbote.example/secadv/20261201.txt"
        ),
        "{notes}"
    );
    let flat = notes.replace('\n', " ");
    assert!(
        flat.contains("Only currently supported branches have been analysed, and Postbote 4.11"),
        "{notes}"
    );
    assert!(
        flat.contains("Postbote 4.10 is past its end of life"),
        "{notes}"
    );
    assert!(
        flat.contains("Postbote 4.9 is out of support and has not been analysed."),
        "{notes}"
    );

    // A branch with a fix is still refused without its fixed version once
    // the issue has no release to take it from.
    let mut p2 = p.clone();
    p2.releases.clear();
    p2.issues[0].affected[1].fixed = None;
    let problems = advisory::check_early_advisory(&p2, &p2.issues[0]);
    assert!(
        problems.iter().any(|x| x.field == "issue/affected/1/fixed"),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|x| x.field == "issue/affected/2/fixed"),
        "{problems:?}"
    );
}

#[test]
fn the_severity_paragraph_comes_from_the_severity_step() {
    let mut i = issue("PB-1", Severity::Low);
    i.step_notes.insert(
        "severity".into(),
        "Only a local user who can already write the spool can trigger it".into(),
    );
    let p = project(vec![i, issue("PB-2", Severity::Moderate)]);
    let text = advisory::security_advisory(&p, &p.releases[0])
        .expect("complete")
        .text
        .replace('\n', " ");
    assert!(
        text.contains(
            "Only a local user who can already write the spool can trigger it. For this \
             reason the issue was assessed as Low severity."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "The issue was assessed as Moderate severity according to the Postbote security policy."
        ),
        "{text}"
    );
}

#[test]
fn the_newsflash_noun_agrees_with_the_last_count() {
    let p = project(vec![
        issue("PB-1", Severity::High),
        issue("PB-2", Severity::Moderate),
    ]);
    let a = advisory::security_advisory(&p, &p.releases[0]).expect("complete");
    assert_eq!(
        a.newsflash,
        "01-Dec-2026: <a href=\"https://postbote.example/secadv/20261201.txt\">Security \
         Advisory</a>: one high and one moderate severity fix"
    );
    let p = project(vec![
        issue("PB-1", Severity::High),
        issue("PB-2", Severity::Low),
        issue("PB-3", Severity::Low),
    ]);
    let a = advisory::security_advisory(&p, &p.releases[0]).expect("complete");
    assert!(
        a.newsflash
            .ends_with(": one high and two low severity fixes"),
        "{}",
        a.newsflash
    );
    assert!(
        a.text
            .starts_with("Postbote Security Advisory [1st December 2026]\n")
    );
}

#[test]
fn the_early_advisory_under_embargo_names_the_public_date_time_and_zone() {
    let mut p = project(vec![issue("PB-1", Severity::High)]);
    let text = advisory::early_advisory(&p, &p.issues[0]).expect("renders");
    let head: String = text.lines().take(4).collect::<Vec<_>>().join(" ");
    assert!(text.starts_with("****"), "{text}");
    assert!(
        head.contains("EMBARGOED until Tuesday 1st December 2026, 14:00 UTC"),
        "{text}"
    );
    assert!(head.contains("(2026-12-01T14:00Z)"), "{text}");
    // The issue's own public date wins over the release's.
    p.issues[0].date_public = Some(at("2026-12-02T09:30:00Z"));
    let text = advisory::early_advisory(&p, &p.issues[0]).expect("renders");
    assert!(
        text.replace('\n', " ")
            .contains("Wednesday 2nd December 2026, 09:30 UTC"),
        "{text}"
    );
    // The security advisory (published on the day) never carries the banner,
    // nor does the early advisory once the release is out.
    let a = advisory::security_advisory(&p, &p.releases[0]).expect("complete");
    assert!(!a.text.contains("EMBARGOED"), "{}", a.text);
    p.releases[0].published = Some(at("2026-12-01T14:05:00Z"));
    let text = advisory::early_advisory(&p, &p.issues[0]).expect("renders");
    assert!(!text.contains("EMBARGOED"), "{text}");
    assert!(text.starts_with("Title of PB-1"), "{text}");
}
