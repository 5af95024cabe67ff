//! The CSAF 2.0 and OpenVEX documents of the example's releases validate
//! against the official schemas (CSAF 2.0 with FIRST's CVSS schemas
//! registered under their addresses, nothing fetched; the two real CSAF
//! documents validate too, which proves the validator is set up), before
//! and after publication, and `embargo export --format csaf|csaf-vex|openvex`
//! writes them.

mod support;

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::Project;
use embargo::core::render::{csaf, openvex};
use serde_json::Value;
use support::{csaf_validator, data_json as data, openvex_validator, schema_errors as errors};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

const NOW: &str = "2026-11-23T12:00:00Z";

#[test]
fn the_real_csaf_documents_validate_and_a_broken_one_does_not() {
    let v = csaf_validator();
    for f in [
        "example-rhsa-2022_0011.json",
        "example-vex-2022-evd-uc-01-a-001.json",
    ] {
        let doc = data(&format!("csaf-2.0/{f}"));
        let e = errors(&v, &doc);
        assert!(e.is_empty(), "{f}:\n{}", e.join("\n"));
    }
    // The CVSS schemas are in force: a wrong base severity is refused.
    let project = store::example().expect("example loads");
    let mut doc = csaf::advisory(&project, &project.releases[0], at(NOW)).expect("complete");
    assert!(errors(&v, &doc).is_empty());
    doc["vulnerabilities"][0]["scores"][0]["cvss_v3"]["baseSeverity"] = "SEVERE".into();
    assert!(!errors(&v, &doc).is_empty());
    // A draft missing its tracking is refused by the CSAF schema itself.
    let mut doc = csaf::vex(&project, &project.releases[1], at(NOW)).expect("complete");
    doc["document"]["tracking"]
        .as_object_mut()
        .expect("object")
        .remove("revision_history");
    assert!(!errors(&v, &doc).is_empty());
    let ov = openvex_validator();
    let mut doc = openvex::document(&project, &project.releases[0], at(NOW)).expect("complete");
    doc["statements"][2]
        .as_object_mut()
        .expect("object")
        .remove("justification");
    doc["statements"][2]
        .as_object_mut()
        .expect("object")
        .remove("impact_statement");
    assert!(
        !errors(&ov, &doc).is_empty(),
        "not_affected needs a justification"
    );
}

fn release<'a>(p: &'a Project, id: &str) -> &'a embargo::core::model::Release {
    p.releases.iter().find(|r| r.id == id).expect("release")
}

#[test]
fn every_release_of_the_example_validates_before_and_after_publication() {
    let v = csaf_validator();
    let project = store::example().expect("example loads");
    let now = at(NOW);
    for r in &project.releases {
        for (name, doc) in [
            (
                "advisory",
                csaf::advisory(&project, r, now).expect("complete"),
            ),
            ("vex", csaf::vex(&project, r, now).expect("complete")),
        ] {
            let e = errors(&v, &doc);
            assert!(e.is_empty(), "{} {name}:\n{}", r.id, e.join("\n"));
        }
    }
    let ov = openvex_validator();
    for r in &project.releases {
        let doc = openvex::document(&project, r, now).expect("complete");
        let e = errors(&ov, &doc);
        assert!(e.is_empty(), "{} openvex:\n{}", r.id, e.join("\n"));
    }
}

#[test]
fn an_embargoed_document_is_a_draft_marked_amber_with_the_embargo_end() {
    let project = store::example().expect("example loads");
    let now = at(NOW);
    let doc = csaf::advisory(&project, release(&project, "4.12.3"), now).expect("complete");
    let d = &doc["document"];
    assert_eq!(d["category"], "csaf_security_advisory");
    assert_eq!(d["tracking"]["status"], "draft");
    assert_eq!(d["tracking"]["version"], "0");
    assert_eq!(
        d["tracking"]["initial_release_date"], NOW,
        "dated when made, not in the future"
    );
    assert_eq!(d["distribution"]["tlp"]["label"], "AMBER");
    let text = d["distribution"]["text"].as_str().expect("text");
    assert!(
        text.contains("embargoed until 2026-12-01 14:00 UTC"),
        "{text}"
    );
    let vex = csaf::vex(&project, release(&project, "4.12.3"), now).expect("complete");
    assert_eq!(vex["document"]["category"], "csaf_vex");
    assert_eq!(vex["document"]["distribution"]["tlp"]["label"], "AMBER");
    let ov = openvex::document(&project, release(&project, "4.12.3"), now).expect("complete");
    assert!(
        ov["statements"][0]["status_notes"]
            .as_str()
            .expect("notes")
            .contains("Under embargo until 2026-12-01 14:00 UTC"),
        "{ov:#}"
    );
}

#[test]
fn a_published_document_is_final_white_and_dated_at_publication() {
    let project = store::example().expect("example loads");
    let now = at(NOW);
    let r = release(&project, "4.12.2");
    let doc = csaf::advisory(&project, r, now).expect("complete");
    let d = &doc["document"];
    assert_eq!(d["tracking"]["status"], "final");
    assert_eq!(d["tracking"]["version"], "1");
    assert_eq!(
        d["tracking"]["initial_release_date"],
        "2026-10-13T14:02:00Z"
    );
    assert_eq!(
        d["tracking"]["current_release_date"],
        "2026-10-13T14:02:00Z"
    );
    assert_eq!(d["tracking"]["generator"]["date"], NOW);
    assert_eq!(d["distribution"]["tlp"]["label"], "WHITE");
    assert_eq!(d["tracking"]["id"], "postbote-sa-4.12.2");
    assert_eq!(d["aggregate_severity"]["text"], "Moderate");
    let v = &doc["vulnerabilities"][0];
    assert_eq!(v["cve"], "CVE-2026-31122");
    assert_eq!(v["cwe"]["id"], "CWE-113");
    assert_eq!(
        v["product_status"]["known_affected"][0],
        "postbote-affected-4.9.0-4.12.2"
    );
    assert_eq!(v["product_status"]["fixed"][0], "postbote-4.12.2");
    assert_eq!(
        v["product_status"]["known_not_affected"][0],
        "postbote-before-4.9.0"
    );
    assert_eq!(v["scores"][0]["cvss_v3"]["baseScore"], 5.3);
    assert_eq!(v["remediations"][0]["category"], "vendor_fix");
    assert_eq!(
        v["remediations"][0]["url"],
        "https://postbote.example/security/secadv_20261013.txt"
    );
    assert_eq!(v["remediations"][1]["category"], "workaround");
    let acks: Vec<(&str, Option<&str>)> = v["acknowledgments"]
        .as_array()
        .expect("acks")
        .iter()
        .map(|a| {
            (
                a["names"][0].as_str().expect("name"),
                a["organization"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        acks,
        [
            ("Mira Okafor", Some("Research Example")),
            ("Lena Vogt", None)
        ],
        "one entry per person, affiliation as organization"
    );
    let tree = serde_json::to_string(&doc["product_tree"]).expect("json");
    assert!(tree.contains("vers:semver/>=4.9.0|<4.12.2"), "{tree}");

    let ov = openvex::document(&project, r, now).expect("complete");
    let statuses: Vec<&str> = ov["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| s["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["fixed", "affected", "not_affected"]);
    assert_eq!(
        ov["statements"][0]["products"][0]["@id"],
        "pkg:generic/postbote@4.12.2"
    );
    assert_eq!(
        ov["statements"][2]["justification"],
        "vulnerable_code_not_present"
    );
    assert_eq!(
        ov["statements"][1]["action_statement"],
        "Upgrade to Postbote 4.12.2."
    );
    assert_eq!(ov["timestamp"], "2026-10-13T14:02:00Z");
    assert_eq!(ov["last_updated"], NOW);
    assert!(
        ov["statements"][0]
            .get("status_notes")
            .is_some_and(|n| !n.as_str().unwrap_or_default().contains("embargo"))
    );
}

#[test]
fn incomplete_data_are_refused_naming_the_field() {
    let mut project = store::example().expect("example loads");
    project.publication.advisory_url.clear();
    project.publication.repo_url.clear();
    let r = project.releases[0].clone();
    let e = csaf::advisory(&project, &r, at(NOW)).expect_err("no namespace");
    assert!(
        e.to_string().contains("document/publisher/namespace"),
        "{e}"
    );
    let e = openvex::document(&project, &r, at(NOW)).expect_err("no namespace");
    assert!(e.to_string().contains("@id"), "{e}");
}

#[test]
fn the_cli_exports_each_format_under_its_csaf_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("postbote.embargo.ron");
    std::fs::write(&file, store::EXAMPLE.1).expect("copied");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("dir");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_embargo"))
            .args(args)
            .env("EMBARGO_NOW", NOW)
            .output()
            .expect("the binary runs")
    };
    let v = csaf_validator();
    let ov = openvex_validator();
    for (format, name) in [
        ("csaf", "postbote-sa-4_12_3.json"),
        ("csaf-vex", "postbote-vex-4_12_3.json"),
        ("openvex", "postbote-vex-4_12_3.openvex.json"),
    ] {
        let o = run(&[
            "export",
            file.to_str().expect("utf-8"),
            "--release",
            "4.12.3",
            "--format",
            format,
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(out.join(name)).expect("written under its name");
        let doc: Value = serde_json::from_str(&text).expect("JSON");
        let e = errors(if format == "openvex" { &ov } else { &v }, &doc);
        assert!(e.is_empty(), "{format}:\n{}", e.join("\n"));
    }
    let o = run(&[
        "export",
        file.to_str().expect("utf-8"),
        "--issue",
        "POSTBOTE-2",
        "--format",
        "csaf",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--release"));
}

/// Compare `got` with the golden file; `UPDATE_GOLDEN=1` rewrites it.
fn assert_golden(golden: &str, got: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, got).expect("golden updated");
    }
    let want =
        std::fs::read_to_string(&path).expect("golden file exists (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(got, want, "output differs from {golden}");
}

#[test]
fn the_documents_match_the_golden_files() {
    let project = store::example().expect("example loads");
    let now = at(NOW);
    for (id, profile) in [("4.12.2", "published"), ("4.12.3", "embargoed")] {
        let r = release(&project, id);
        assert_golden(
            &format!("tests/golden/csaf-{profile}-{id}.json"),
            &csaf::to_json(&csaf::advisory(&project, r, now).expect("complete")),
        );
        assert_golden(
            &format!("tests/golden/csaf-vex-{profile}-{id}.json"),
            &csaf::to_json(&csaf::vex(&project, r, now).expect("complete")),
        );
        assert_golden(
            &format!("tests/golden/openvex-{profile}-{id}.json"),
            &openvex::to_json(&openvex::document(&project, r, now).expect("complete")),
        );
    }
}
