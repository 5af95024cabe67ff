//! Bad input the README's table lists, each through the real binary: the
//! value is refused with the message the table gives and the project file
//! is left as it was.

mod support;

use std::path::Path;

use embargo::adapters::store;
use support::{embargo_at, text};

const NOW: &str = "2026-11-23T12:00:00Z";

/// The example saved in `dir`; its path.
fn example(dir: &Path) -> String {
    let path = dir.join("p.embargo.ron");
    std::fs::write(
        &path,
        store::project_to_string(&store::example().expect("example")),
    )
    .expect("written");
    path.to_str().expect("utf-8").to_owned()
}

/// `embargo ARGS` must fail with `code` and say `says` on stderr, and the
/// file must be unchanged.
fn refused(file: &str, args: &[&str], code: i32, says: &str) {
    let before = std::fs::read(file).expect("read");
    let o = embargo_at(NOW, args);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains(says), "{args:?}: {err}");
    assert_eq!(
        std::fs::read(file).expect("read"),
        before,
        "{args:?} changed the file"
    );
}

#[test]
fn settings_that_break_a_rule_are_refused_with_where_they_are_set() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example(dir.path());
    let f = file.as_str();
    refused(
        f,
        &["settings", f, "--public-remotes", "origin,my remote"],
        2,
        "`my remote` is not a remote's name (no spaces or commas)",
    );
    refused(
        f,
        &["settings", f, "--cna-org-id", "not-a-uuid"],
        2,
        "`not-a-uuid` is not a version 4 UUID",
    );
    refused(
        f,
        &["settings", f, "--add-blackout", "=2026-12-24..2026-12-26"],
        2,
        "a blackout has no name: name it, e.g. Christmas; fix it in Project › Settings › Time › Blackout days",
    );
    refused(
        f,
        &[
            "settings",
            f,
            "--add-blackout",
            "Christmas=2026-12-26..2026-12-24",
        ],
        2,
        "the blackout Christmas ends",
    );
}

#[test]
fn a_hand_edited_journal_id_is_named_by_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example(dir.path());
    let text_before = std::fs::read_to_string(&file).expect("read");
    // The first entry id in the file, once made not a UUID, once doubled.
    let first = text_before
        .lines()
        .filter_map(|l| l.trim().strip_prefix("id: \""))
        .map(|r| r.trim_end_matches("\",").to_owned())
        .find(|id| embargo::core::model::is_valid_entry_id(id))
        .expect("the saved example has entry ids");
    std::fs::write(&file, text_before.replacen(&first, "not-a-uuid", 1)).expect("written");
    let o = embargo_at(NOW, &["check", &file]);
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("the entry id `not-a-uuid` is not a UUID: remove the `id` line"),
        "{err}"
    );
}

#[test]
fn a_release_document_asked_of_an_issue_points_at_the_release() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example(dir.path());
    for format in ["csaf", "csaf-vex", "openvex"] {
        let o = embargo_at(
            NOW,
            &["export", &file, "--issue", "POSTBOTE-2", "--format", format],
        );
        assert_eq!(o.status.code(), Some(1), "{format}");
        assert!(
            text(&o.stderr).contains(
                "a CSAF or OpenVEX document covers a release: use --release ID instead of --issue"
            ),
            "{format}: {}",
            text(&o.stderr)
        );
    }
}
