//! A team's sync in the app (issue #23): the status bar's Sync button runs
//! the sync `embargo sync` runs, and a field both sides changed opens the
//! conflicts window, where a click takes one side and "Merge and sync"
//! merges, commits and pushes, on real git repositories (a bare team
//! remote and two clones).

use std::path::Path;

use egui_kittest::kittest::Queryable;
use embargo::adapters::store;
use embargo::core::model::{Event, JournalEntry, Member, Project, Severity};
use embargo::ui::Startup;

use crate::common::harness;
use crate::support::{git_ok as git, settle};

const ADA: &str = "ada@postbote.example";
const BEN: &str = "ben@postbote.example";

/// Set the severity as the app records it: the value and its journal
/// entry, by `who`.
fn set_severity(file: &Path, s: Severity, who: &str) {
    let mut p = store::load(file).expect("loads");
    let issue = p.issue_mut("POSTBOTE-2").expect("exists");
    issue.severity = Some(s);
    issue.journal.push(
        JournalEntry::new(
            crate::common::now(),
            None,
            Event::FieldChanged {
                field: "severity".into(),
                value: s.to_string(),
            },
        )
        .by(who),
    );
    store::save(file, &p).expect("saves");
}

#[test]
fn a_conflict_is_resolved_in_the_app_and_the_merge_is_pushed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let mut p: Project = store::example().expect("the example");
    p.members = vec![Member::new("Ada", ADA), Member::new("Ben", BEN)];
    git(d, &["init", "-q", "--bare", "-b", "main", "team.git"]);
    for (name, address) in [("ada", ADA), ("ben", BEN)] {
        git(d, &["clone", "-q", "team.git", name]);
        git(&d.join(name), &["config", "user.name", name]);
        git(&d.join(name), &["config", "user.email", address]);
    }
    let (ada, ben) = (d.join("ada"), d.join("ben"));
    std::fs::write(ada.join(".gitignore"), "*.bak\n*.lock\n").expect("write");
    store::save(&ada.join("p.embargo.ron"), &p).expect("saves");
    git(&ada, &["add", "."]);
    git(&ada, &["commit", "-qm", "the project"]);
    git(&ada, &["push", "-q", "origin", "main"]);
    git(&ben, &["pull", "-q", "origin", "main"]);
    // Ada raises the severity and pushes; Ben lowers it, not yet synced.
    set_severity(&ada.join("p.embargo.ron"), Severity::High, ADA);
    git(&ada, &["commit", "-qam", "high"]);
    git(&ada, &["push", "-q", "origin", "main"]);
    let ada_tip = git(&ada, &["rev-parse", "HEAD"]);
    let file = ben.join("p.embargo.ron");
    set_severity(&file, Severity::Low, BEN);

    let mut h = harness(Startup::File(file.clone()));
    let standing = h.state().view.team.standing.clone();
    assert!(
        matches!(&standing, Some(Ok(s)) if s.changed),
        "the status bar knows the team repository: {standing:?}"
    );
    h.get_by_label_contains("Sync: ").click();
    settle(&mut h);
    assert_eq!(
        git(d, &["--git-dir", "team.git", "rev-parse", "main"]),
        ada_tip,
        "nothing pushed on a conflict"
    );
    h.get_by_label_contains("issues[POSTBOTE-2].severity");
    h.get_by_label("Take theirs: High (by ada@postbote.example)")
        .click();
    h.run();
    h.get_by_label("Merge and sync").click();
    settle(&mut h);
    assert!(h.state().view.team.conflicts.is_none(), "window closed");
    let doc = h.state().doc.as_ref().expect("open");
    assert_eq!(
        doc.project.issue("POSTBOTE-2").expect("kept").severity,
        Some(Severity::High)
    );
    assert!(!doc.is_dirty(), "what the app shows is what the file holds");
    assert_eq!(store::load(&file).expect("loads"), doc.project);
    let ben_tip = git(&ben, &["rev-parse", "HEAD"]);
    assert_eq!(
        git(d, &["--git-dir", "team.git", "rev-parse", "main"]),
        ben_tip,
        "the merge was pushed"
    );
    let parents = git(&ben, &["log", "-1", "--format=%P"]);
    assert!(
        parents.contains(&ada_tip),
        "a merge of Ada's commit: {parents}"
    );
    assert!(
        matches!(&h.state().view.team.standing, Some(Ok(s)) if s.ahead == 0 && s.behind == 0 && !s.changed),
        "{:?}",
        h.state().view.team.standing
    );
}
