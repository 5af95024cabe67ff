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

#[test]
fn members_are_added_with_their_certificate_and_removed_in_the_app() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A real certificate, made by sequoia as a member would send theirs.
    let cert_file = dir.path().join("ada.asc");
    {
        use sequoia_openpgp::cert::CertBuilder;
        use sequoia_openpgp::serialize::SerializeInto;
        let (cert, _) = CertBuilder::general_purpose(Some(format!("Ada <{ADA}>")))
            .generate()
            .expect("a certificate");
        std::fs::write(&cert_file, cert.armored().to_vec().expect("armored")).expect("write");
    }
    let mut h = harness(Startup::Example);
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Team members…").click();
    h.run();
    assert!(h.query_by_label("No members yet.").is_some());
    // Clicked into and typed one key per frame, as a person types.
    for (label, text) in [
        ("Name", "Ada Lovelace"),
        ("Address", ADA),
        ("Certificate file", cert_file.to_str().expect("utf-8")),
    ] {
        h.get_by_label(label).click();
        h.run();
        for c in text.chars() {
            h.event(egui::Event::Text(c.to_string()));
            h.run();
        }
        assert_eq!(h.get_by_label(label).value().as_deref(), Some(text));
    }
    h.get_by_label("Add member").click();
    settle(&mut h);
    let doc = h.state().doc.as_ref().expect("open");
    let m = doc.project.member(ADA).expect("added");
    assert_eq!(m.name, "Ada Lovelace");
    assert!(
        m.cert
            .as_deref()
            .is_some_and(|c| c.contains("BEGIN PGP PUBLIC KEY"))
    );
    assert_eq!(m.cert_fingerprint.as_deref().map(str::len), Some(40));
    let last = doc.project.journal.last().expect("journaled");
    assert!(
        last.event
            .describe()
            .contains(&format!("members set to added Ada Lovelace <{ADA}>")),
        "{}",
        last.event.describe()
    );
    // The same address again is refused, and says why.
    crate::support::type_into(&mut h, "Name", "Ada again");
    crate::support::type_into(&mut h, "Address", ADA);
    crate::support::type_into(&mut h, "Certificate file", "");
    h.get_by_label("Add member").click();
    settle(&mut h);
    assert!(h.query_by_label_contains("is a member already").is_some());
    assert_eq!(
        h.state().doc.as_ref().expect("open").project.members.len(),
        1
    );
    h.get_by_label("Remove").click();
    settle(&mut h);
    assert!(
        h.state()
            .doc
            .as_ref()
            .expect("open")
            .project
            .members
            .is_empty()
    );
}
