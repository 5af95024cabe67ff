//! The issue list of a large project: only the rows in sight are laid out
//! (so a frame costs the same at 20 or 500 issues), and an issue selected
//! from the keyboard is scrolled into sight.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use embargo::core::model::{Issue, PlaybookRef, Project};
use embargo::ui::Startup;

use crate::common::{harness_sized, now};

/// A project of `n` issues, LIST-0 … LIST-(n-1), saved in `dir`.
fn big(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let mut p = Project::new("List", PlaybookRef::Builtin("exim".into()));
    for k in 0..n {
        p.issues
            .push(Issue::new(format!("LIST-{k}"), format!("Flaw {k}"), now()));
    }
    let path = dir.join("list.embargo.ron");
    embargo::adapters::store::save(&path, &p).expect("saves");
    path
}

fn row(k: usize) -> String {
    format!("LIST-{k}  Flaw {k}")
}

/// How many nodes read as issue `k`'s row (the selected issue's title is
/// also the wizard's heading).
fn shown(h: &egui_kittest::Harness<'_, embargo::ui::EmbargoApp>, k: usize) -> usize {
    h.query_all_by_label(&row(k)).count()
}

#[test]
fn only_the_rows_in_sight_are_laid_out_and_a_keyboard_selection_is_scrolled_into_sight() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = big(dir.path(), 300);
    let mut h = harness_sized(Startup::File(file), [1024.0, 700.0]);
    h.state_mut()
        .send(embargo::ui::Command::SelectIssue("LIST-0".into()));
    crate::support::settle(&mut h);

    assert_eq!(
        shown(&h, 0),
        2,
        "the first row is shown, beside the heading"
    );
    assert_eq!(
        shown(&h, 250),
        0,
        "a row far below the fold is not laid out"
    );

    // Alt+Down from the last row in sight, many times: the selection walks
    // down the list and its row stays in sight.
    for _ in 0..60 {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
        h.run();
    }
    let selected = h.state().view.selected_issue.clone();
    assert_eq!(selected.as_deref(), Some("LIST-60"));
    assert_eq!(shown(&h, 60), 2, "the selected row was scrolled into sight");
    assert_eq!(shown(&h, 0), 0, "the top of the list scrolled away");
}
