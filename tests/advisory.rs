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
    let mut high = issue("PB-3", Severity::High);
    high.journal.push(
        embargo::core::model::JournalEntry::new(
            at("2026-09-02T08:00:00Z"),
            Some("severity"),
            embargo::core::model::Event::StepDone,
        )
        .with_note("Any remote client can trigger it without logging in"),
    );
    let p = project(vec![i, issue("PB-2", Severity::Moderate), high]);
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
            "Any remote client can trigger it without logging in. For this reason the issue \
             was assessed as High severity."
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

mod writeup {
    use super::*;
    use embargo::core::model::{Credit, Event, FixCommit, JournalEntry};
    use embargo::core::playbook;
    use embargo::core::render::{Addresses, ReportFormat, writeup};

    fn demo() -> Project {
        let mut i = issue("PB-1", Severity::High);
        i.title = "Overflow in the spool reader".into();
        i.impact = "A local user can crash the daemon.".into();
        i.mitigation = "Make the spool writable by postbote only.".into();
        i.reporter.credit = Some(Credit::Named("Ana Ruiz (Example Labs)".into()));
        i.fix_commits.push(FixCommit {
            id: "0123456789abcdef0123456789abcdef01234567".into(),
            branch: "security/4.12".into(),
            summary: "spool: check the length".into(),
        });
        i.journal.push(JournalEntry::new(
            at("2026-09-02T10:00:00Z"),
            Some("cve_id"),
            Event::FieldChanged {
                field: "CVE".into(),
                value: "CVE-2026-50001".into(),
            },
        ));
        i.journal.push(
            JournalEntry::new(
                at("2026-09-03T10:00:00Z"),
                Some("severity"),
                Event::StepDone,
            )
            .with_note("Not on a Friday"),
        );
        i.journal.push(JournalEntry::new(
            at("2026-11-24T09:15:00Z"),
            None,
            Event::MailSent {
                to: "distros@vs.openwall.org".into(),
                subject: "[vs] Embargoed Postbote issue".into(),
            },
        ));
        let mut p = project(vec![i]);
        p.publication.commit_url = "https://git.example/postbote/commit/{commit}".into();
        p
    }

    fn md(p: &Project, addresses: Addresses) -> String {
        let book = playbook::builtin("openssl").expect("builtin");
        writeup(p, &p.issues[0], &book, ReportFormat::Markdown, addresses).expect("renders")
    }

    #[test]
    fn the_write_up_is_the_published_document_with_the_step_log_apart() {
        let mut p = demo();
        p.releases[0].published = Some(at("2026-12-01T14:03:00Z"));
        let text = md(&p, Addresses::Shown);
        let pos = |needle: &str| {
            text.find(needle)
                .unwrap_or_else(|| panic!("{needle} in {text}"))
        };
        let sections = [
            "## Summary",
            "## Affected versions and conditions",
            "## Fix",
            "## Credits",
            "## Timeline (UTC)",
            "## Coordination log",
        ];
        let at: Vec<usize> = sections.iter().map(|s| pos(s)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        let public = &text[..pos("## Coordination log")];
        assert!(
            public.contains("A local user can crash the daemon."),
            "{text}"
        );
        assert!(public.contains("- Postbote 4.12.0 up to, but not including, 4.12.2."));
        assert!(public.contains("- Mitigation: Make the spool writable by postbote only."));
        assert!(public.contains("- Fixed in Postbote 4.12.2, released 2026-12-01 14:03 UTC."));
        assert!(public.contains(
            "spool: check the length: https://git.example/postbote/commit/0123456789abcdef0123456789abcdef01234567"
        ));
        assert!(
            public.contains("- Ana Ruiz (Example Labs): reporter"),
            "{text}"
        );
        assert!(
            public.contains("| 2026-09-01 08:00 UTC | Report received. |"),
            "{text}"
        );
        assert!(public.contains("| 2026-09-02 10:00 UTC | CVE-2026-50001 assigned. |"));
        assert!(public.contains("| 2026-12-01 14:03 UTC | Postbote 4.12.2 released. |"));
        // The step log's wording stays in its own section.
        assert!(!public.contains("step marked done"), "{text}");
        assert!(!public.contains("Not on a Friday"), "{text}");
        assert!(text[pos("## Coordination log")..].contains("Not on a Friday"));
    }

    #[test]
    fn before_the_release_the_write_up_names_no_fix_commit_and_withholds_addresses() {
        let p = demo();
        let text = md(&p, Addresses::Withheld);
        assert!(
            text.contains("- To be fixed in Postbote 4.12.2; not released yet."),
            "{text}"
        );
        assert!(!text.contains("0123456789abcdef"), "{text}");
        assert!(!text.contains("distros@vs.openwall.org"), "{text}");
        assert!(
            text.contains("Notice sent to [address withheld]."),
            "{text}"
        );
    }
}
