//! Issue #21 item 13: the CVE record step has buttons beside the CVE
//! record's export that write the release's CSAF advisory, CSAF VEX and
//! OpenVEX documents, under the name CSAF gives them, asking before a file
//! there is replaced (they go through the app's one export path).

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use embargo::adapters::store;
use embargo::ui::{Command, EmbargoApp, Startup};

use crate::common::harness;
use crate::support::{settle, type_into};

fn send(h: &mut Harness<'_, EmbargoApp>, command: Command) {
    h.state_mut().send(command);
    h.step();
    settle(h);
}

fn press(h: &mut Harness<'_, EmbargoApp>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    settle(h);
}

#[test]
fn the_release_documents_are_exported_beside_the_cve_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("openssl-like.embargo.ron");
    let mut project = store::example().expect("example loads");
    project.playbook = embargo::core::model::PlaybookRef::Builtin("openssl".into());
    store::save(&file, &project).expect("saved");
    let mut h = harness(Startup::File(file));
    send(&mut h, Command::SelectIssue("POSTBOTE-1".into()));
    let index = {
        let doc = h.state().doc.as_ref().expect("open");
        doc.playbook
            .steps
            .iter()
            .position(|s| s.key() == "cve_record")
            .expect("the playbook has the step")
    };
    send(&mut h, Command::SelectStep(index));
    for (label, category) in [
        ("Export CSAF advisory…", Some("csaf_security_advisory")),
        ("Export CSAF VEX…", Some("csaf_vex")),
        ("Export OpenVEX…", None),
    ] {
        h.get_by_label(label).click();
        h.run();
        // The path offered is the name CSAF gives the document.
        let want = if category == Some("csaf_security_advisory") {
            "postbote-sa-4_12_2.json"
        } else if category.is_some() {
            "postbote-vex-4_12_2.json"
        } else {
            "postbote-vex-4_12_2.openvex.json"
        };
        let offered = h
            .state()
            .view
            .path_dialog
            .clone()
            .expect("asked for a path");
        assert_eq!(offered.1, want, "{label}");
        let out = dir.path().join(want);
        std::fs::write(&out, "keep me\n").expect("written");
        type_into(&mut h, "Path", out.to_str().expect("utf-8"));
        press(&mut h, "Save");
        let question = format!("{} exists already. Replace it", out.display());
        assert!(
            h.query_by_label_contains(&question).is_some(),
            "{label}: asked"
        );
        assert_eq!(std::fs::read_to_string(&out).expect("kept"), "keep me\n");
        press(&mut h, "Replace");
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
        match category {
            Some(c) => assert_eq!(doc["document"]["category"], c, "{label}"),
            None => assert_eq!(doc["@context"], "https://openvex.dev/ns/v0.2.0"),
        }
    }
}
