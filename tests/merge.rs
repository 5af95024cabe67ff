//! The semantic three-way merge of two versions of a project (issue #23):
//! concurrent edits of different issues and fields merge cleanly, a field
//! both sides changed differently is a conflict naming both values and who
//! set them, journals are a union in time order with nothing lost or
//! doubled, version-1 files migrate to ids every clone derives alike, and
//! the merge driver merges through a real `git pull` between two clones of
//! a bare "team" repository. Property tests: disjoint changes merge to both
//! changes applied, and merging a version with itself gives it back.

mod support;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, TimeDelta, Utc};
use embargo::adapters::store;
use embargo::core::merge::{self, Side};
use embargo::core::model::{
    Event, JournalEntry, Member, Project, Recipient, RecipientRole, Severity, is_valid_entry_id,
};
use proptest::prelude::*;

const ADA: &str = "ada@postbote.example";
const BEN: &str = "ben@postbote.example";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid instant")
        .with_timezone(&Utc)
}

/// The example project (a version-1 file, migrated on load) with two
/// members, as saved once: every entry has its id.
fn base() -> Project {
    let mut p = store::example().expect("the example loads");
    p.members = vec![Member::new("Ada", ADA), Member::new("Ben", BEN)];
    reload(&p)
}

/// `p` through its file format, as another clone reads it.
fn reload(p: &Project) -> Project {
    store::parse_project(&store::project_to_string(p), Path::new("p.embargo.ron"))
        .expect("a saved project loads")
}

/// A field change as the app records it: the value and the entry, by `who`.
fn set_severity(p: &mut Project, issue: &str, s: Severity, who: &str, when: &str) {
    let i = p.issue_mut(issue).expect("issue exists");
    i.severity = Some(s);
    i.journal.push(
        JournalEntry::new(
            at(when),
            None,
            Event::FieldChanged {
                field: "severity".into(),
                value: s.to_string(),
            },
        )
        .by(who),
    );
}

#[test]
fn different_issues_and_fields_merge_without_conflict() {
    let base = base();
    let mut ours = base.clone();
    set_severity(
        &mut ours,
        "POSTBOTE-1",
        Severity::High,
        ADA,
        "2026-11-20T10:00:00Z",
    );
    ours.recipients[0].must_encrypt = true;
    let mut theirs = base.clone();
    theirs.issue_mut("POSTBOTE-2").expect("exists").title = "A new title".into();
    theirs.issue_mut("POSTBOTE-1").expect("exists").mitigation = "Turn off X.".into();
    theirs.recipients.push(Recipient::new(
        "Acme",
        "security@acme.example",
        RecipientRole::Vendor,
    ));
    theirs.time.working_hours = (8, 17);
    let (ours, theirs) = (reload(&ours), reload(&theirs));

    let merged = merge::merge(&base, &ours, &theirs);
    assert!(merged.is_clean(), "{:#?}", merged.conflicts);
    let p = &merged.project;
    let one = p.issue("POSTBOTE-1").expect("kept");
    assert_eq!(one.severity, Some(Severity::High));
    assert_eq!(one.mitigation, "Turn off X.");
    assert_eq!(p.issue("POSTBOTE-2").expect("kept").title, "A new title");
    assert!(p.recipients[0].must_encrypt);
    assert_eq!(p.recipients.len(), base.recipients.len() + 1);
    assert!(
        p.recipients
            .iter()
            .any(|r| r.address == "security@acme.example")
    );
    assert_eq!(p.time.working_hours, (8, 17));
    assert_eq!(p.issues.len(), base.issues.len());
    // The result is what a clone saves and loads again.
    assert_eq!(&reload(p), p);
}

#[test]
fn the_same_field_changed_on_both_sides_is_a_conflict_with_both_values_and_authors() {
    let base = base();
    let mut ours = base.clone();
    set_severity(
        &mut ours,
        "POSTBOTE-2",
        Severity::High,
        ADA,
        "2026-11-20T10:00:00Z",
    );
    let mut theirs = base.clone();
    set_severity(
        &mut theirs,
        "POSTBOTE-2",
        Severity::Low,
        BEN,
        "2026-11-20T11:00:00Z",
    );
    // A change both made alike is no conflict.
    ours.name = "Postbote MTA".into();
    theirs.name = "Postbote MTA".into();
    let (ours, theirs) = (reload(&ours), reload(&theirs));

    let mut merged = merge::merge(&base, &ours, &theirs);
    assert_eq!(merged.conflicts.len(), 1, "{:#?}", merged.conflicts);
    let c = merged.conflicts[0].clone();
    assert_eq!(c.path, "issues[POSTBOTE-2].severity");
    assert_eq!(c.base.as_deref(), Some("Critical"));
    assert_eq!(c.ours, "High");
    assert_eq!(c.theirs, "Low");
    assert_eq!(c.ours_by.as_deref(), Some(ADA));
    assert_eq!(c.theirs_by.as_deref(), Some(BEN));
    assert_eq!(merged.project.name, "Postbote MTA");
    // Until resolved the merged project holds our value; both entries are kept.
    let two = merged.project.issue("POSTBOTE-2").expect("kept");
    assert_eq!(two.severity, Some(Severity::High));
    assert_eq!(
        two.journal.len(),
        base.issue("POSTBOTE-2").expect("base").journal.len() + 2
    );

    let err = merge::resolve(
        &mut merged,
        &ours,
        &theirs,
        "issues[POSTBOTE-2].title",
        Side::Theirs,
    )
    .expect_err("no conflict there");
    assert!(
        err.to_string().contains("issues[POSTBOTE-2].severity"),
        "{err}"
    );

    let mut by_theirs = merged.clone();
    merge::resolve(
        &mut by_theirs,
        &ours,
        &theirs,
        &c.path.clone(),
        Side::Theirs,
    )
    .expect("resolves");
    assert!(by_theirs.is_clean());
    assert_eq!(
        by_theirs
            .project
            .issue("POSTBOTE-2")
            .expect("kept")
            .severity,
        Some(Severity::Low)
    );

    let path = merged.conflicts[0].path.clone();
    let bad =
        merge::resolve_with(&mut merged.clone(), &path, "Enormous").expect_err("no such level");
    assert!(bad.to_string().contains("Enormous"), "{bad}");
    merge::resolve_with(&mut merged, &path, "Moderate").expect("a level");
    assert_eq!(
        merged.project.issue("POSTBOTE-2").expect("kept").severity,
        Some(Severity::Moderate)
    );
}

#[test]
fn an_issue_added_on_both_sides_with_one_id_is_a_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let id = base.next_issue_id();
    ours.issues.push(embargo::core::model::Issue::new(
        &id,
        "Ours",
        at("2026-11-20T10:00:00Z"),
    ));
    theirs.issues.push(embargo::core::model::Issue::new(
        &id,
        "Theirs",
        at("2026-11-20T10:05:00Z"),
    ));
    let merged = merge::merge(&base, &reload(&ours), &reload(&theirs));
    assert_eq!(merged.conflicts.len(), 1, "{:#?}", merged.conflicts);
    assert_eq!(merged.conflicts[0].path, format!("issues[{id}]"));
    assert_eq!(merged.conflicts[0].base, None);
}

#[test]
fn an_issue_removed_on_one_side_and_changed_on_the_other_is_a_conflict() {
    let base = base();
    let mut ours = base.clone();
    ours.issues.retain(|i| i.id != "POSTBOTE-3");
    let mut theirs = base.clone();
    theirs.issue_mut("POSTBOTE-3").expect("exists").title = "Still here".into();
    let merged = merge::merge(&base, &reload(&ours), &reload(&theirs));
    assert_eq!(merged.conflicts.len(), 1, "{:#?}", merged.conflicts);
    assert_eq!(merged.conflicts[0].path, "issues[POSTBOTE-3]");
    assert_eq!(merged.conflicts[0].ours, "(removed)");
    // Removed on one side and untouched on the other: gone.
    let merged = merge::merge(&base, &reload(&ours), &base);
    assert!(merged.is_clean());
    assert!(merged.project.issue("POSTBOTE-3").is_none());
}

#[test]
fn interleaved_journal_entries_merge_in_time_order_nothing_lost_or_doubled() {
    let base = base();
    let note = |p: &mut Project, when: &str, who: &str, text: &str| {
        let i = p.issue_mut("POSTBOTE-3").expect("exists");
        i.journal.push(
            JournalEntry::new(at(when), None, Event::Note)
                .with_note(text)
                .by(who),
        );
        p.journal.push(
            JournalEntry::new(at(when), None, Event::Note)
                .with_note(text)
                .by(who),
        );
    };
    let mut ours = base.clone();
    note(&mut ours, "2026-11-25T10:00:00Z", ADA, "a1");
    note(&mut ours, "2026-11-25T12:00:00Z", ADA, "a2");
    let mut theirs = base.clone();
    note(&mut theirs, "2026-11-25T11:00:00Z", BEN, "b1");
    note(&mut theirs, "2026-11-25T13:00:00Z", BEN, "b2");
    // The same note at the same instant by different people is two entries.
    note(&mut ours, "2026-11-25T14:00:00Z", ADA, "same");
    note(&mut theirs, "2026-11-25T14:00:00Z", BEN, "same");
    let (ours, theirs) = (reload(&ours), reload(&theirs));

    let merged = merge::merge(&base, &ours, &theirs);
    assert!(merged.is_clean(), "{:#?}", merged.conflicts);
    let before = base.issue("POSTBOTE-3").expect("base").journal.len();
    for journal in [
        &merged.project.issue("POSTBOTE-3").expect("kept").journal,
        &merged.project.journal,
    ] {
        let notes: Vec<&str> = journal
            .iter()
            .filter(|e| e.event == Event::Note && e.at >= at("2026-11-25T00:00:00Z"))
            .map(|e| e.note.as_str())
            .collect();
        assert_eq!(notes, ["a1", "b1", "a2", "b2", "same", "same"]);
        let ids: HashSet<&str> = journal.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), journal.len(), "no id twice");
        assert!(
            journal.windows(2).all(|w| w[0].at <= w[1].at),
            "in time order"
        );
    }
    assert_eq!(
        merged
            .project
            .issue("POSTBOTE-3")
            .expect("kept")
            .journal
            .len(),
        before + 6
    );
    // Merging the result with either side again adds nothing.
    let again = merge::merge(&ours, &merged.project, &theirs);
    assert!(again.is_clean());
    assert_eq!(again.project, merged.project);
}

#[test]
fn version_one_files_migrate_to_ids_every_clone_derives_alike() {
    // The example as version 1 wrote it: no entry ids.
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/postbote.embargo.ron"),
    )
    .expect("the example is there");
    let text: String = example
        .replacen("schema: 2,", "schema: 1,", 1)
        .lines()
        .filter(|l| {
            let value = l
                .trim()
                .trim_start_matches("id: \"")
                .trim_end_matches("\",");
            !is_valid_entry_id(value)
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(text.contains("schema: 1,") && !text.contains("id: \"01"));
    let path = Path::new("postbote.embargo.ron");
    let one = store::parse_project(&text, path).expect("migrates");
    let two = store::parse_project(&text, path).expect("migrates");
    assert_eq!(one.schema, 2);
    assert_eq!(one, two, "the same file gives the same ids");
    let entries: Vec<&JournalEntry> = one
        .journal
        .iter()
        .chain(one.issues.iter().flat_map(|i| &i.journal))
        .collect();
    assert!(entries.len() > 20);
    assert!(
        entries.iter().all(|e| is_valid_entry_id(&e.id)),
        "every entry has an id"
    );
    assert!(
        entries.iter().all(|e| e.author.is_none()),
        "old entries have no author"
    );
    let ids: HashSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), entries.len());
    // The id carries the entry's instant (UUIDv7) and is pinned: a change
    // to the derivation would give every clone's old entries new ids.
    let first = &one.issue("POSTBOTE-1").expect("exists").journal[0];
    assert_eq!(first.at, at("2026-09-21T17:05:00Z"));
    let uuid = uuid::Uuid::parse_str(&first.id).expect("a UUID");
    assert_eq!(uuid.get_version_num(), 7);
    let (secs, _) = uuid.get_timestamp().expect("v7 has a time").to_unix();
    assert_eq!(secs as i64, first.at.timestamp());
    assert_eq!(first.id, PINNED_FIRST_ID);
    // Saved, the file is version 2 and keeps the ids.
    let saved = store::project_to_string(&one);
    assert!(saved.contains("schema: 2,"));
    assert_eq!(saved, example, "the example is the migrated file");
    assert!(saved.contains(&format!("id: \"{}\"", first.id)));
    assert_eq!(store::parse_project(&saved, path).expect("loads"), one);
    // A version-1 file migrated on one clone and not on the other merges
    // as if nothing happened.
    let merged = merge::merge(
        &one,
        &store::parse_project(&saved, path).expect("loads"),
        &two,
    );
    assert!(merged.is_clean());
    assert_eq!(merged.project, one);
}

/// The id the example's first entry gets on every machine.
const PINNED_FIRST_ID: &str = "01a0c4ed-9660-7b62-8e69-e22d81148915";

#[test]
fn a_newer_schema_is_refused_and_an_entry_without_id_gets_one_on_load() {
    let text = store::project_to_string(&base());
    let newer = text.replacen("schema: 2,", "schema: 3,", 1);
    let err = store::parse_project(&newer, Path::new("n.embargo.ron")).expect_err("newer");
    assert!(
        err.to_string()
            .contains("newer than this Embargo understands"),
        "{err}"
    );
    // An entry typed in by hand, without id, gets its id on load.
    let first_id = base().journal.first().map(|e| e.id.clone());
    assert!(first_id.is_none(), "the example's project journal is empty");
    let mut p = base();
    p.journal.push(JournalEntry::new(
        at("2026-11-20T10:00:00Z"),
        None,
        Event::Note,
    ));
    let text = store::project_to_string(&p);
    let stripped: String = text
        .lines()
        .filter(|l| {
            let value = l
                .trim()
                .trim_start_matches("id: \"")
                .trim_end_matches("\",");
            !is_valid_entry_id(value)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let back = store::parse_project(&stripped, Path::new("h.embargo.ron")).expect("loads");
    assert!(back.journal.iter().all(|e| is_valid_entry_id(&e.id)));
    assert_eq!(back, reload(&p), "the same ids as saving gives");
}

#[test]
fn members_are_validated() {
    let mut p = base();
    p.members.push(Member::new("Twin", ADA.to_uppercase()));
    p.members.push(Member::new("Nobody", "not an address"));
    let mut bad_fpr = Member::new("Cleo", "cleo@postbote.example");
    bad_fpr.cert_fingerprint = Some("12 34".into());
    p.members.push(bad_fpr);
    let problems: Vec<String> = embargo::core::model::validate(&p, &["exim", "openssl"])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].contains("listed for two members"),
        "{problems:#?}"
    );
    assert!(
        problems[1].contains("is not a mail address"),
        "{problems:#?}"
    );
    assert!(
        problems[2].contains("not an OpenPGP fingerprint"),
        "{problems:#?}"
    );
    assert_eq!(
        base().author_for(["someone@else.example", &ADA.to_uppercase()]),
        Some(ADA.to_owned())
    );
}

// ---- the merge driver through git ----

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .output()
        .expect("git runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?}: {}{}",
        support::text(&o.stdout),
        support::text(&o.stderr)
    );
    support::text(&o.stdout)
}

/// A bare team repository holding `project` and two clones of it, each
/// with the driver set up as the README says.
fn team(project: &Project) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let bare = dir.path().join("team.git");
    ok(
        dir.path(),
        &[
            "init",
            "--bare",
            "-b",
            "main",
            bare.to_str().expect("utf-8"),
        ],
    );
    let seed = dir.path().join("seed");
    ok(
        dir.path(),
        &[
            "clone",
            "-q",
            bare.to_str().expect("utf-8"),
            seed.to_str().expect("utf-8"),
        ],
    );
    std::fs::write(seed.join(".gitattributes"), "*.embargo.ron merge=embargo\n").expect("write");
    std::fs::write(seed.join(".gitignore"), "*.bak\n*.lock\n").expect("write");
    std::fs::write(
        seed.join("p.embargo.ron"),
        store::project_to_string(project),
    )
    .expect("write");
    ok(&seed, &["add", "."]);
    ok(&seed, &["commit", "-q", "-m", "the project"]);
    ok(&seed, &["push", "-q", "origin", "main"]);
    let driver = format!("{} merge-driver %O %A %B %P", env!("CARGO_BIN_EXE_embargo"));
    let clone = |name: &str| {
        let c = dir.path().join(name);
        ok(
            dir.path(),
            &[
                "clone",
                "-q",
                bare.to_str().expect("utf-8"),
                c.to_str().expect("utf-8"),
            ],
        );
        ok(
            &c,
            &["config", "merge.embargo.name", "Embargo project merge"],
        );
        ok(&c, &["config", "merge.embargo.driver", &driver]);
        ok(&c, &["config", "pull.rebase", "false"]);
        c
    };
    let (a, b) = (clone("ada"), clone("ben"));
    (dir, a, b)
}

fn edit(clone: &Path, message: &str, change: impl FnOnce(&mut Project)) {
    let file = clone.join("p.embargo.ron");
    let mut p = store::load(&file).expect("loads");
    change(&mut p);
    store::save(&file, &p).expect("saves");
    ok(clone, &["commit", "-q", "-am", message]);
}

#[test]
fn the_merge_driver_merges_through_git_pull() {
    let (_dir, ada, ben) = team(&base());
    edit(&ada, "severity", |p| {
        set_severity(p, "POSTBOTE-1", Severity::High, ADA, "2026-11-20T10:00:00Z");
    });
    ok(&ada, &["push", "-q", "origin", "main"]);
    edit(&ben, "title", |p| {
        p.issue_mut("POSTBOTE-2").expect("exists").title = "Ben's title".into();
        p.issue_mut("POSTBOTE-1")
            .expect("exists")
            .journal
            .push(JournalEntry::new(at("2026-11-20T09:00:00Z"), None, Event::Note).by(BEN));
    });
    ok(&ben, &["pull", "-q", "--no-edit", "origin", "main"]);
    let merged = store::load(&ben.join("p.embargo.ron")).expect("the merged file loads");
    let one = merged.issue("POSTBOTE-1").expect("kept");
    assert_eq!(one.severity, Some(Severity::High));
    assert_eq!(
        merged.issue("POSTBOTE-2").expect("kept").title,
        "Ben's title"
    );
    let base_len = base().issue("POSTBOTE-1").expect("base").journal.len();
    assert_eq!(one.journal.len(), base_len + 2);
    assert_eq!(
        ok(&ben, &["status", "--porcelain"]),
        "",
        "clean after the merge"
    );
    // The merge commit has both parents, and Ada gets Ben's side back.
    ok(&ben, &["push", "-q", "origin", "main"]);
    ok(&ada, &["pull", "-q", "--no-edit", "origin", "main"]);
    assert_eq!(
        store::load(&ada.join("p.embargo.ron")).expect("loads"),
        merged
    );
}

#[test]
fn the_merge_driver_stops_on_a_conflict_and_lists_it() {
    let (_dir, ada, ben) = team(&base());
    edit(&ada, "high", |p| {
        set_severity(p, "POSTBOTE-2", Severity::High, ADA, "2026-11-20T10:00:00Z");
    });
    ok(&ada, &["push", "-q", "origin", "main"]);
    edit(&ben, "low", |p| {
        set_severity(p, "POSTBOTE-2", Severity::Low, BEN, "2026-11-20T11:00:00Z");
    });
    let ours_before = std::fs::read_to_string(ben.join("p.embargo.ron")).expect("read");
    let o = git(&ben, &["pull", "--no-edit", "origin", "main"]);
    assert!(!o.status.success(), "a conflict stops the merge");
    let err = support::text(&o.stderr);
    assert!(err.contains("issues[POSTBOTE-2].severity"), "{err}");
    assert!(err.contains("\"Low\" (by ben@postbote.example)"), "{err}");
    assert!(err.contains("\"High\" (by ada@postbote.example)"), "{err}");
    assert!(
        support::text(&o.stdout).contains("CONFLICT"),
        "{}",
        support::text(&o.stdout)
    );
    // The file is left as ours, whole: no conflict markers in the RON.
    let after = std::fs::read_to_string(ben.join("p.embargo.ron")).expect("read");
    assert_eq!(after, ours_before);
    assert!(ok(&ben, &["ls-files", "-u"]).contains("p.embargo.ron"));
}

#[test]
fn the_merge_driver_refuses_what_is_not_a_plain_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("o");
    std::fs::write(&plain, store::project_to_string(&base())).expect("write");
    let sealed = dir.path().join("a");
    std::fs::write(
        &sealed,
        "-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n",
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(["merge-driver"])
        .args([&plain, &sealed, &plain])
        .arg("p.embargo.ron.pgp")
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        support::text(&o.stderr).contains("is encrypted"),
        "{}",
        support::text(&o.stderr)
    );
    assert!(
        std::fs::read_to_string(&sealed)
            .expect("read")
            .starts_with("-----BEGIN PGP")
    );
}

// ---- properties ----

/// One change a person can make: to an issue field, to a journal, or to a
/// recipient.
#[derive(Clone, Debug)]
enum Change {
    Severity(usize, Severity),
    Title(usize, String),
    Note(usize, i64, String),
    Encrypt(usize),
    ProjectName(String),
}

impl Change {
    fn apply(&self, p: &mut Project, who: &str) {
        let n = p.issues.len();
        let base = at("2026-12-01T00:00:00Z");
        match self {
            Self::Severity(i, s) => p.issues[i % n].severity = Some(*s),
            Self::Title(i, t) => p.issues[i % n].title = t.clone(),
            Self::Note(i, mins, text) => {
                // After every entry of the example, and each person's in
                // the order they made them.
                let journal = &mut p.issues[i % n].journal;
                let mut when = base + TimeDelta::minutes(*mins);
                if let Some(last) = journal.last() {
                    when = when.max(last.at);
                }
                journal.push(
                    JournalEntry::new(when, None, Event::Note)
                        .with_note(text.clone())
                        .by(who),
                );
            }
            Self::Encrypt(r) => {
                let r = r % p.recipients.len();
                p.recipients[r].must_encrypt = !p.recipients[r].must_encrypt;
            }
            Self::ProjectName(name) => p.name = name.clone(),
        }
    }

    /// What it touches: changes to different targets are disjoint.
    fn target(&self, p: &Project) -> String {
        let n = p.issues.len();
        match self {
            Self::Severity(i, _) => format!("sev{}", i % n),
            Self::Title(i, _) => format!("title{}", i % n),
            // Appends never clash; the same note on both sides would be one.
            Self::Note(..) => format!("{self:?}"),
            Self::Encrypt(r) => format!("rcpt{}", r % p.recipients.len()),
            Self::ProjectName(_) => "name".to_owned(),
        }
    }
}

fn change() -> impl Strategy<Value = Change> {
    let sev = prop_oneof![
        Just(Severity::Low),
        Just(Severity::Moderate),
        Just(Severity::High),
        Just(Severity::Critical)
    ];
    prop_oneof![
        (0usize..3, sev).prop_map(|(i, s)| Change::Severity(i, s)),
        (0usize..3, "[a-z ]{1,12}").prop_map(|(i, t)| Change::Title(i, t)),
        (0usize..3, 0i64..600, "[a-z]{1,8}").prop_map(|(i, m, t)| Change::Note(i, m, t)),
        (0usize..3).prop_map(Change::Encrypt),
        "[A-Z][a-z]{1,8}".prop_map(Change::ProjectName),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn disjoint_changes_merge_to_both_applied(
        a in proptest::collection::vec(change(), 0..4),
        b in proptest::collection::vec(change(), 0..4),
    ) {
        let base = base();
        let targets = |cs: &[Change]| -> HashSet<String> {
            cs.iter().map(|c| c.target(&base)).collect()
        };
        prop_assume!(targets(&a).is_disjoint(&targets(&b)));
        let mut ours = base.clone();
        for c in &a { c.apply(&mut ours, ADA); }
        let mut theirs = base.clone();
        for c in &b { c.apply(&mut theirs, BEN); }
        let (ours, theirs) = (reload(&ours), reload(&theirs));
        let mut both = ours.clone();
        for c in &b { c.apply(&mut both, BEN); }
        let merged = merge::merge(&base, &ours, &theirs);
        prop_assert!(merged.is_clean(), "{:#?}", merged.conflicts);
        // Journals: the base's entries, then both sides' new ones in time
        // order (ours first at the same instant), compared without the ids
        // (an entry's id is derived from its place in its own clone).
        let mut expected = both;
        for (n, (i, b)) in expected.issues.iter_mut().zip(&base.issues).enumerate() {
            let old = b.journal.len();
            let mut new: Vec<JournalEntry> = ours.issues[n].journal[old..]
                .iter()
                .chain(&theirs.issues[n].journal[old..])
                .cloned()
                .collect();
            new.sort_by_key(|e| e.at);
            i.journal.truncate(old);
            i.journal.extend(new);
        }
        let strip = |p: &Project| {
            let mut p = p.clone();
            for i in &mut p.issues {
                for e in &mut i.journal { e.id.clear(); }
            }
            p
        };
        prop_assert_eq!(strip(&merged.project), strip(&expected));
    }

    #[test]
    fn merging_a_version_with_itself_gives_it_back(
        a in proptest::collection::vec(change(), 0..5),
    ) {
        let base = base();
        let mut ours = base.clone();
        for c in &a { c.apply(&mut ours, ADA); }
        let ours = reload(&ours);
        let merged = merge::merge(&base, &ours, &ours);
        prop_assert!(merged.is_clean());
        prop_assert_eq!(&merged.project, &ours);
    }
}
