//! The leak check in the app's guard panel (issue #24 item 6): a branch on
//! the public remote named after the issue's CVE is shown as a broken
//! embargo, saying what matched and where, as `embargo guard` says it.

use egui_kittest::kittest::Queryable;
use embargo::core::model::FixCommit;
use embargo::ui::Startup;

use crate::common::harness;
use crate::support::{git_ok as git, settle};

#[test]
fn the_guard_panel_names_a_public_branch_that_names_the_cve() {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).expect("dir");
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.name", "Rel Eng"]);
    git(&repo, &["config", "user.email", "releng@postbote.example"]);
    std::fs::write(repo.join("auth.c"), "char buf[64];\n").expect("w");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "4.12.2"]);
    std::fs::write(repo.join("auth.c"), "char buf[1024];\n").expect("w");
    git(&repo, &["commit", "-qam", "auth: size the PLAIN buffer"]);
    let fix = git(&repo, &["rev-parse", "HEAD"]);
    // The public remote has the release, and someone's branch named after
    // the CVE, but not the fix.
    let origin = dir.path().join("origin.git");
    git(
        dir.path(),
        &["init", "-q", "--bare", origin.to_str().expect("utf-8")],
    );
    git(
        &repo,
        &["remote", "add", "origin", origin.to_str().expect("utf-8")],
    );
    git(&repo, &["push", "-q", "origin", "HEAD~1:refs/heads/main"]);
    git(
        &repo,
        &[
            "push",
            "-q",
            "origin",
            "HEAD~1:refs/heads/fix-cve-2026-41807",
        ],
    );
    git(&repo, &["fetch", "-q", "origin"]);

    let mut project = embargo::adapters::store::example().expect("example");
    project.repo.path = "repo".into();
    let issue = project
        .issues
        .iter_mut()
        .find(|i| i.id == "POSTBOTE-2")
        .expect("issue");
    issue.fix_commits = vec![FixCommit {
        id: fix,
        branch: "main".into(),
        summary: "auth: size the PLAIN buffer".into(),
    }];
    let file = dir.path().join("postbote.embargo.ron");
    embargo::adapters::store::save(&file, &project).expect("saved");

    let mut h = harness(Startup::File(file));
    h.get_by_label_contains("Have the patch (not in public git)")
        .click();
    h.step();
    h.step();
    settle(&mut h);
    assert!(
        h.query_by_label_contains("none reachable from the public remotes")
            .is_some(),
        "the fix itself is not public: {:?}",
        h.state().view.git.status
    );
    assert!(
        h.query_by_label_contains(
            "EMBARGO BROKEN: “CVE-2026-41807” (identifier of POSTBOTE-2) in the branch name origin/fix-cve-2026-41807"
        )
        .is_some(),
        "{:?}",
        h.state().view.git.status
    );
}
