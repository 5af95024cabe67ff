//! The exported records and advisories: every CVE record of the example
//! project validates against the official CVE JSON 5.1.1 schema, the two
//! real records import and export again with their content kept, advisories
//! list issues from Critical to Low then by date, the `-dev` rule, and the
//! checks name the missing fields.

mod support;
use support::mode;

use std::path::Path;

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::import;
use embargo::core::model::{AffectedRange, Issue, PlaybookRef, Project, Release, Severity};
use embargo::core::render::{advisory, cve, osv};
use serde_json::Value;

fn data(path: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/cve-schema")
            .join(path),
    )
    .expect("test data is in the repository")
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&data("CVE_Record_Format_bundled_5.1.1.json"))
        .expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("the official schema compiles")
}

/// The schema errors of `record`, one line each with the instance path.
fn schema_errors(v: &jsonschema::Validator, record: &Value) -> Vec<String> {
    v.iter_errors(record)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

#[test]
fn every_cve_record_of_the_example_validates_against_the_schema() {
    let v = validator();
    let project = store::example().expect("example loads");
    let mut validated = Vec::new();
    for issue in &project.issues {
        if !cve::check(&project, issue).is_empty() {
            continue;
        }
        let record = cve::record(&project, issue).expect("checked");
        let json: Value = serde_json::from_str(&cve::to_json(&record)).expect("JSON");
        let errors = schema_errors(&v, &json);
        assert!(errors.is_empty(), "{}:\n{}", issue.id, errors.join("\n"));
        validated.push(issue.id.as_str());
    }
    // The two assessed issues must be exportable; the fresh one must not.
    assert_eq!(validated, ["POSTBOTE-1", "POSTBOTE-2"]);
}

#[test]
fn the_validator_rejects_a_broken_record() {
    // Guards the test above: a validator that accepted anything would make it pass.
    let v = validator();
    let project = store::example().expect("example loads");
    let record = cve::record(&project, &project.issues[0]).expect("complete");
    let mut json = serde_json::to_value(&record).expect("JSON");
    json["containers"]["cna"]
        .as_object_mut()
        .expect("object")
        .remove("references");
    assert!(!schema_errors(&v, &json).is_empty());
    let mut json = serde_json::to_value(&record).expect("JSON");
    json["cveMetadata"]["cveId"] = "CVE-26-1".into();
    assert!(!schema_errors(&v, &json).is_empty());
}

#[test]
fn checks_name_each_missing_field() {
    let project = store::example().expect("example loads");
    let fresh = project.issue("POSTBOTE-3").expect("exists");
    let fields: Vec<String> = cve::check(&project, fresh)
        .into_iter()
        .map(|p| p.field)
        .collect();
    for want in [
        "cveMetadata/cveId",
        "containers/cna/descriptions/0/value",
        "containers/cna/affected/0/versions",
        "containers/cna/problemTypes",
        "containers/cna/references",
    ] {
        assert!(
            fields.iter().any(|f| f == want),
            "{want} missing from {fields:?}"
        );
    }
    let err = cve::record(&project, fresh).expect_err("incomplete");
    assert!(
        err.to_string().contains("cveMetadata/cveId: no CVE ID"),
        "{err}"
    );

    let mut p = project.clone();
    p.publication.cna_org_id = "not-a-uuid".into();
    p.issues[0].fix_commits[0].id = "3f9c1d2".into();
    p.issues[0].references[0].tags = vec!["nonsense".into()];
    let fields: Vec<String> = cve::check(&p, &p.issues[0])
        .into_iter()
        .map(|p| p.field)
        .collect();
    assert!(
        fields.contains(&"cveMetadata/assignerOrgId".to_owned()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"containers/cna/references/2/tags/0".to_owned()),
        "{fields:?}"
    );
    let now = at("2026-11-23T12:00:00Z");
    let fields: Vec<String> = osv::check(&p, &p.issues[0], now)
        .into_iter()
        .map(|p| p.field)
        .collect();
    // The GIT range follows the SEMVER one (issue #21 item 3).
    assert_eq!(fields, ["affected/0/ranges/1/events/1/fixed"]);
}

/// A record made under embargo states the fixed version as it will be
/// published: none of OpenSSL's published records carries a `-dev` bound
/// (issue #21 item 2; this test asserted `4.12.3-dev` before).
#[test]
fn a_record_states_the_fixed_version_as_it_will_be_published() {
    let mut project = store::example().expect("example loads");
    let lt = |p: &Project| {
        let r = cve::record(p, p.issue("POSTBOTE-2").expect("exists")).expect("complete");
        r.containers.cna.affected[0].versions[0].less_than.clone()
    };
    assert_eq!(
        project.releases[1].published, None,
        "exported before the release"
    );
    assert_eq!(lt(&project).as_deref(), Some("4.12.3"));
    project.releases[1].published = Some(at("2026-12-01T14:01:00Z"));
    assert_eq!(lt(&project).as_deref(), Some("4.12.3"));
    // An unreleased range without a fixed version takes its release's version.
    project.releases[1].published = None;
    project.issues[1].affected[0].fixed = None;
    assert_eq!(lt(&project).as_deref(), Some("4.12.3"));
    // A `-dev` typed into the range is not what gets published either.
    project.issues[1].affected[0].fixed = Some("4.12.3-dev".into());
    assert_eq!(lt(&project).as_deref(), Some("4.12.3"));
}

/// The meaningful content of a CNA container, for comparison.
fn content(record: &Value) -> Value {
    let cna = &record["containers"]["cna"];
    let descriptions: Vec<Value> = cna["descriptions"]
        .as_array()
        .expect("descriptions")
        .iter()
        .map(|d| serde_json::json!({ "lang": d["lang"], "value": d["value"] }))
        .collect();
    serde_json::json!({
        "cveId": record["cveMetadata"]["cveId"],
        "title": cna["title"],
        "datePublic": cna["datePublic"],
        "descriptions": descriptions,
        "affected": cna["affected"],
        "references": cna["references"],
        "problemTypes": cna["problemTypes"],
        "metrics": cna["metrics"],
        "credits": cna["credits"],
    })
}

#[test]
fn real_records_import_and_export_again_with_their_content_kept() {
    let v = validator();
    for file in [
        "examples/CVE-2025-9230.openssl-cna.json",
        "examples/full-record-basic-example.json",
    ] {
        let text = data(file);
        let original: Value = serde_json::from_str(&text).expect("JSON");
        let record = import::parse_record(&text).expect("parses");
        let mut project = Project::new("Imported", PlaybookRef::Builtin("openssl".into()));
        let report = import::import_cve(&mut project, &record, None, at("2026-11-23T12:00:00Z"))
            .expect("imports");
        assert!(report.created);
        assert!(
            report.notes.iter().all(|n| n.contains("is now")),
            "{file}: nothing may be dropped: {:?}",
            report.notes
        );
        let issue = project.issue(&report.issue_id).expect("created");
        let exported = cve::record(&project, issue).expect("complete after import");
        let exported = serde_json::to_value(&exported).expect("JSON");
        let errors = schema_errors(&v, &exported);
        assert!(errors.is_empty(), "{file}:\n{}", errors.join("\n"));
        assert_eq!(
            serde_json::to_string_pretty(&content(&exported)).expect("JSON"),
            serde_json::to_string_pretty(&content(&original)).expect("JSON"),
            "{file}"
        );
        // Importing again into the same issue changes nothing.
        let before = project.issue(&report.issue_id).cloned();
        let again = import::import_cve(&mut project, &record, None, at("2026-11-23T12:00:00Z"))
            .expect("imports");
        assert_eq!(again.issue_id, report.issue_id);
        assert!(!again.created);
        assert_eq!(project.issues.len(), 1);
        let after = project.issue(&report.issue_id).expect("kept");
        assert_eq!(before.map(|i| i.affected), Some(after.affected.clone()));
    }
}

#[test]
fn openssl_s_record_is_read_into_the_issue_s_fields() {
    let record =
        import::parse_record(&data("examples/CVE-2025-9230.openssl-cna.json")).expect("parses");
    let mut project = Project::new("OpenSSL", PlaybookRef::Builtin("openssl".into()));
    let report = import::import_cve(&mut project, &record, None, at("2026-11-23T12:00:00Z"))
        .expect("imports");
    let issue = project.issue(&report.issue_id).expect("created");
    assert_eq!(issue.severity, Some(Severity::Moderate));
    assert!(
        issue
            .description
            .starts_with("An application trying to decrypt CMS")
    );
    assert!(
        issue
            .impact
            .starts_with("This out-of-bounds read may trigger")
    );
    assert_eq!(issue.cwe.as_deref(), Some("CWE-125"));
    assert_eq!(issue.affected.len(), 7);
    assert_eq!(
        issue.reporter.credit,
        Some(embargo::core::model::Credit::Named(
            "Stanislav Fort (Aisle Research)".into()
        ))
    );
    assert_eq!(issue.credits.len(), 2);
    assert_eq!(project.publication.product, "OpenSSL");
    // The early advisory template has what it needs from the record.
    let text = advisory::early_advisory(&project, issue).expect("renders");
    assert!(
        text.contains("OpenSSL 3.5 users should upgrade to OpenSSL 3.5.4."),
        "{text}"
    );
    assert!(
        text.contains("OpenSSL versions before 1.0.2 are not affected"),
        "{text}"
    );
}

fn issue(id: &str, severity: Option<Severity>, received: &str) -> Issue {
    let mut i = Issue::new(id, format!("Title of {id}"), at(received));
    i.severity = severity;
    i.description = format!("What is wrong in {id}.");
    i.affected.push(AffectedRange {
        introduced: "1.0.0".into(),
        fixed: Some("1.0.5".into()),
    });
    i
}

#[test]
fn advisories_list_issues_from_critical_to_low_then_by_date() {
    let mut p = Project::new("Demo", PlaybookRef::Builtin("openssl".into()));
    p.publication.advisory_url = "https://demo.example/secadv/{date}.txt".into();
    p.issues = vec![
        issue("DEMO-1", Some(Severity::Low), "2026-01-01T00:00:00Z"),
        issue("DEMO-2", Some(Severity::High), "2026-03-01T00:00:00Z"),
        issue("DEMO-3", Some(Severity::Critical), "2026-04-01T00:00:00Z"),
        issue("DEMO-4", Some(Severity::High), "2026-02-01T00:00:00Z"),
        issue("DEMO-5", Some(Severity::Moderate), "2026-01-15T00:00:00Z"),
    ];
    p.releases.push(Release {
        id: "1.0.5".into(),
        version: "1.0.5".into(),
        planned: Some(at("2026-05-05T14:00:00Z")),
        published: None,
        base_tag: None,
        issues: ["DEMO-1", "DEMO-2", "DEMO-3", "DEMO-4", "DEMO-5"]
            .map(String::from)
            .to_vec(),
        artifacts: Vec::new(),
        milestones: Default::default(),
        shares: Vec::new(),
    });
    let order: Vec<&str> = advisory::release_issues(&p, &p.releases[0])
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(order, ["DEMO-3", "DEMO-4", "DEMO-2", "DEMO-5", "DEMO-1"]);

    let a = advisory::security_advisory(&p, &p.releases[0]).expect("complete");
    let positions: Vec<usize> = order
        .iter()
        .map(|id| a.text.find(&format!("Title of {id}")).expect("listed"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{}", a.text);
    assert!(
        a.text
            .starts_with("Demo Security Advisory [5th May 2026]\n"),
        "{}",
        a.text
    );
    assert_eq!(a.file_name, "secadv_20260505.txt");
    assert_eq!(
        a.newsflash,
        "05-May-2026: <a href=\"https://demo.example/secadv/20260505.txt\">Security Advisory</a>: \
         one critical, two high, one moderate and one low severity fix"
    );

    // An edited early advisory is used verbatim.
    p.issues[0].early_advisory = "Hand-written text for DEMO-1.\n\n".into();
    let a = advisory::security_advisory(&p, &p.releases[0]).expect("complete");
    assert!(
        a.text.contains("\nHand-written text for DEMO-1.\n"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("Title of DEMO-1"));

    // An unassessed issue blocks the advisory, naming the issue and field.
    p.issues[4].severity = None;
    let problems = advisory::check_security_advisory(&p, &p.releases[0]);
    assert!(
        problems.iter().any(|x| x.field == "issues/DEMO-5/severity"),
        "{problems:?}"
    );
}

#[test]
fn exports_are_private_and_replace_a_link_instead_of_following_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let project = dir.path().join("postbote.embargo.ron");
    std::fs::write(&project, store::EXAMPLE.1).expect("copied");
    let project = project.to_str().expect("utf-8");
    let export = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_embargo"))
            .arg("export")
            .arg(project)
            .args(args)
            .env("EMBARGO_NOW", "2026-10-13T12:00:00Z")
            .output()
            .expect("the binary runs")
    };
    let said = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).into_owned();

    // A link planted where the advisory goes: the file it points to must
    // not receive the embargoed text.
    let elsewhere = dir.path().join("world-readable.txt");
    std::fs::write(&elsewhere, "someone else's file\n").expect("written");
    let adv = dir.path().join("advisory.txt");
    std::os::unix::fs::symlink(&elsewhere, &adv).expect("link");
    let o = export(&[
        "--release",
        "4.12.2",
        "--format",
        "advisory",
        "--out",
        adv.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    assert_eq!(
        std::fs::read_to_string(&elsewhere).expect("read"),
        "someone else's file\n",
        "the link was replaced, not written through"
    );
    assert!(
        std::fs::symlink_metadata(&adv)
            .expect("exists")
            .file_type()
            .is_file()
    );
    assert!(
        std::fs::read_to_string(&adv)
            .expect("read")
            .contains("4.12.2")
    );
    assert_eq!(mode(&adv), 0o600, "the advisory");

    // Records written into a directory, and over an existing file.
    let out = dir.path().join("records");
    std::fs::create_dir(&out).expect("dir");
    for _ in 0..2 {
        let o = export(&[
            "--release",
            "4.12.2",
            "--format",
            "cve-json",
            "--out",
            out.to_str().expect("utf-8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", said(&o));
    }
    let written: Vec<_> = std::fs::read_dir(&out)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(!written.is_empty());
    for f in &written {
        assert_eq!(mode(f), 0o600, "{}", f.display());
        assert!(
            !f.file_name()
                .expect("name")
                .to_string_lossy()
                .ends_with(".tmp")
        );
    }
}
