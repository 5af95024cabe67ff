//! GCVE as a first-class identifier (issue #24 item 5): the format rules of
//! gcve.eu and GCVE-BCP-04 (good and bad IDs), a `GCVE-0-…` ID taken as the
//! CVE it is, the project's and the playbook's identifier authority, the
//! identifier step, `embargo issue set … gcve`, and every output of an
//! issue identified by a GCVE ID: the mails, the advisories, the OSV,
//! CSAF and OpenVEX records (each validated against its official schema in
//! tests/data) and the CVE record, which is refused with a reason.

mod support;

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::{
    CveState, IdAuthority, Identifier, Project, cve_to_gcve, gcve_gna, gcve_to_cve,
    is_valid_cve_id, is_valid_gcve_id, is_valid_vuln_id, validate,
};
use embargo::core::playbook::{self, StepKind};
use embargo::core::render::{advisory, csaf, cve, mail, openvex, osv};
use jsonschema::Validator;
use serde_json::Value;
use support::{csaf_validator, data_json as data, schema_errors as errors, text};

fn embargo(args: &[&str]) -> Output {
    support::embargo_at(NOW, args)
}

const NOW: &str = "2026-11-23T12:00:00Z";
const GCVE: &str = "GCVE-1-2026-0042";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

fn assert_valid(v: &Validator, doc: &Value, what: &str) {
    let e = errors(v, doc);
    assert!(e.is_empty(), "{what}:\n{}", e.join("\n"));
}

/// The example with POSTBOTE-2 identified by GCVE-1-2026-0042 and the
/// project on GCVE numbering authority 1.
fn gcve_example() -> Project {
    let mut p = store::example().expect("example loads");
    p.publication.id_authority = Some(IdAuthority::Gcve { gna: 1 });
    let issue = p
        .issues
        .iter_mut()
        .find(|i| i.id == "POSTBOTE-2")
        .expect("in the example");
    issue.cve = CveState::Assigned { id: GCVE.into() };
    for c in &mut issue.fix_commits {
        c.summary = c.summary.replace("CVE-2026-41807", GCVE);
    }
    p
}

#[test]
fn the_format_rules_of_gcve_bcp_04() {
    // gcve.eu's and BCP-04's own examples.
    for good in [
        "GCVE-0-2023-40224",
        "GCVE-0-2024-13987",
        "GCVE-1-2025-00001",
        "GCVE-5-2024-12345",
        "GCVE-1337-2025-00000000000000000000000000000000000000000000000001011111011111010111111001000000000000000000000000000000000000000000000000000000001",
        "GCVE-65535-GHSA-jc7w-c686-c4v9",
        "GCVE-65535-2021-XX-[222]_XX{1}",
        "GCVE-65535-ababcbbe.onion-1",
    ] {
        assert!(is_valid_gcve_id(good), "{good}");
        assert!(is_valid_vuln_id(good), "{good}");
    }
    for bad in [
        "",
        "GCVE",
        "GCVE-",
        "GCVE-1",
        "GCVE-1-",
        "gcve-1-2025-00001",
        "GCVE-x-2025-00001",
        "GCVE--2025-00001",
        "GCVE-01-2025-00001",
        "GCVE-1-2025 00001",
        "GCVE-1-2025-0001!",
        "GCVE-1-2025-\u{e9}",
        "GCVE-1-2025-00001\n",
        // GNA 0 is the CVE Program: its values are CVE numbers.
        "GCVE-0-2023-123",
        "GCVE-0-23-40224",
        "GCVE-0-GHSA-jc7w-c686-c4v9",
        "CVE-2023-40224",
    ] {
        assert!(!is_valid_gcve_id(bad), "{bad:?}");
    }
    // At most 255 bytes, prefix included.
    let longest = format!("GCVE-1-2026-{}", "0".repeat(255 - "GCVE-1-2026-".len()));
    assert_eq!(longest.len(), 255);
    assert!(is_valid_gcve_id(&longest));
    assert!(!is_valid_gcve_id(&format!("{longest}0")));
    assert_eq!(gcve_gna("GCVE-65535-GHSA-jc7w-c686-c4v9"), Some(65535));
    assert_eq!(gcve_gna("GCVE-0-2023-40224"), Some(0));
    assert!(!is_valid_vuln_id("CVE-2023-123"));
    assert!(is_valid_vuln_id("CVE-2023-40224"));
}

#[test]
fn a_gcve_0_id_is_its_cve() {
    assert_eq!(
        gcve_to_cve("GCVE-0-2023-40224").as_deref(),
        Some("CVE-2023-40224")
    );
    assert_eq!(gcve_to_cve("GCVE-1-2023-40224"), None);
    assert_eq!(
        cve_to_gcve("CVE-2023-40224").as_deref(),
        Some("GCVE-0-2023-40224")
    );
    assert!(is_valid_cve_id(
        &gcve_to_cve("GCVE-0-2024-1234567").expect("a CVE")
    ));

    // A project file naming a GCVE-0 ID loads it as the CVE: the CVE record
    // is filed under CVE-2026-41807, and the file says so when saved.
    let edited = store::EXAMPLE
        .1
        .replace("id: \"CVE-2026-41807\"", "id: \"GCVE-0-2026-41807\"");
    assert!(edited.contains("GCVE-0-2026-41807"));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("postbote.embargo.ron");
    std::fs::write(&file, &edited).expect("written");
    let p = store::load(&file).expect("loads");
    let issue = p.issue("POSTBOTE-2").expect("in the example");
    assert_eq!(issue.cve_id(), Some("CVE-2026-41807"));
    assert_eq!(issue.gcve_id().as_deref(), Some("GCVE-0-2026-41807"));
    let record = cve::record(&p, issue).expect("complete");
    assert_eq!(record.cve_metadata.cve_id, "CVE-2026-41807");
    store::save(&file, &p).expect("saved");
    let saved = std::fs::read_to_string(&file).expect("read");
    assert!(saved.contains("id: \"CVE-2026-41807\""));
    assert!(!saved.contains("GCVE-0-"));

    // `issue set … cve GCVE-0-…` and `… gcve GCVE-0-…` record the CVE.
    let f = file.to_str().expect("utf-8");
    for field in ["cve", "gcve"] {
        let o = embargo(&[
            "issue",
            "set",
            f,
            "--issue",
            "POSTBOTE-3",
            field,
            "GCVE-0-2026-50001",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let p = store::load(&file).expect("loads");
        assert_eq!(
            p.issue("POSTBOTE-3").expect("exists").cve,
            CveState::Assigned {
                id: "CVE-2026-50001".into()
            }
        );
    }
}

#[test]
fn issue_set_gcve_takes_a_gcve_id_and_refuses_a_malformed_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("postbote.embargo.ron");
    std::fs::write(&file, store::EXAMPLE.1).expect("copied");
    let f = file.to_str().expect("utf-8");
    let set = |field: &str, value: &str| {
        embargo(&["issue", "set", f, "--issue", "POSTBOTE-3", field, value])
    };
    let o = set("gcve", GCVE);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let p = store::load(&file).expect("loads");
    let issue = p.issue("POSTBOTE-3").expect("exists");
    assert_eq!(issue.identifier(), Some(GCVE));
    assert_eq!(issue.cve_id(), None, "a GCVE ID of GNA 1 is no CVE");
    assert!(
        issue
            .journal
            .iter()
            .any(|e| format!("{:?}", e.event).contains(GCVE)),
        "journaled"
    );
    assert!(validate(&p, &playbook::BUILTIN_NAMES).is_empty());

    // A GCVE ID of another authority is not a `cve`: it says where it goes.
    let o = set("cve", GCVE);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("set it with `gcve GCVE-1-2026-0042`"),
        "{}",
        text(&o.stderr)
    );
    for bad in [
        "GCVE-01-2026-1",
        "GCVE-1-2026 1",
        "GCVE-0-2026-1",
        "gcve-1-2026-1",
    ] {
        let o = set("gcve", bad);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", text(&o.stdout));
        assert!(
            text(&o.stderr).contains("is neither a GCVE ID (GCVE-GNA-YYYY-NNNN"),
            "{bad}: {}",
            text(&o.stderr)
        );
    }
    // Nothing changed by the refusals.
    let p = store::load(&file).expect("loads");
    assert_eq!(
        p.issue("POSTBOTE-3").expect("exists").identifier(),
        Some(GCVE)
    );
    // The states are shared with `cve`.
    let o = set("gcve", "requested");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let p = store::load(&file).expect("loads");
    assert_eq!(
        p.issue("POSTBOTE-3").expect("exists").cve,
        CveState::Requested
    );
}

#[test]
fn the_authority_comes_from_the_project_else_the_playbook_else_cve() {
    let mut p = store::example().expect("example loads");
    let exim = playbook::builtin("exim").expect("built in");
    let openssl = playbook::builtin("openssl").expect("built in");
    assert_eq!(playbook::id_authority(&p, &exim), IdAuthority::Cve);
    assert_eq!(playbook::id_authority(&p, &openssl), IdAuthority::Cve);
    let text = playbook::builtin_text("exim")
        .expect("built in")
        .replace("id_authority: Cve,", "id_authority: Gcve(gna: 42),");
    let on_gcve = playbook::parse(&text, "test").expect("parses");
    assert_eq!(
        playbook::id_authority(&p, &on_gcve),
        IdAuthority::Gcve { gna: 42 }
    );
    p.publication.id_authority = Some(IdAuthority::Cve);
    assert_eq!(playbook::id_authority(&p, &on_gcve), IdAuthority::Cve);

    // GNA 0 is the CVE Program: refused in a playbook and in a project.
    let zero = text.replace("Gcve(gna: 42)", "Gcve(gna: 0)");
    let e = playbook::parse(&zero, "mine.ron").expect_err("refused");
    assert!(
        e.to_string()
            .contains("mine.ron: rules: GCVE numbering authority 0 is the CVE Program"),
        "{e}"
    );
    p.publication.id_authority = Some(IdAuthority::Gcve { gna: 0 });
    let problems = validate(&p, &playbook::BUILTIN_NAMES);
    assert!(
        problems.iter().any(|pr| pr
            .message
            .contains("GCVE numbering authority 0 is the CVE Program")),
        "{problems:?}"
    );

    // The project's choice is kept in its file.
    let mut p = gcve_example();
    p.publication.id_authority = Some(IdAuthority::Gcve { gna: 1 });
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.embargo.ron");
    store::save(&file, &p).expect("saved");
    let saved = std::fs::read_to_string(&file).expect("read");
    assert!(saved.contains("id_authority: Some(Gcve("), "{saved}");
    assert_eq!(
        store::load(&file).expect("loads").publication.id_authority,
        Some(IdAuthority::Gcve { gna: 1 })
    );
}

#[test]
fn the_identifier_step_asks_for_a_gcve_id_of_the_projects_authority() {
    let mut p = gcve_example();
    let book = playbook::builtin("exim").expect("built in");
    let now = at(NOW);
    let fresh = p
        .issues
        .iter_mut()
        .find(|i| i.id == "POSTBOTE-3")
        .expect("in the example");
    fresh.verdict = embargo::core::model::Verdict::Security;
    fresh.cve = CveState::ToRequest;
    let fresh = p.issue("POSTBOTE-3").expect("exists");
    let states = playbook::step_states(&p, fresh, &book, now);
    let step = states
        .iter()
        .find(|s| s.step.kind == StepKind::CveId)
        .expect("the Exim playbook has the step");
    assert_eq!(
        step.todo,
        ["assign a GCVE ID from GCVE numbering authority 1 (GCVE-1-YYYY-N)"]
    );
    let assigned = p.issue("POSTBOTE-2").expect("exists");
    let states = playbook::step_states(&p, assigned, &book, now);
    let step = states
        .iter()
        .find(|s| s.step.kind == StepKind::CveId)
        .expect("the Exim playbook has the step");
    assert!(
        step.findings.is_empty() && step.todo.is_empty(),
        "a GCVE ID passes the format check: {:?} {:?}",
        step.findings,
        step.todo
    );
}

#[test]
fn the_records_of_a_gcve_issue_carry_its_id_and_validate() {
    let p = gcve_example();
    let now = at(NOW);
    let issue = p.issue("POSTBOTE-2").expect("exists");

    // OSV: the id and the aliases name the GCVE ID.
    let record = osv::record(&p, issue, now).expect("complete");
    let json: Value = serde_json::from_str(&osv::to_json(&record)).expect("JSON");
    let v = jsonschema::validator_for(&data("osv-1.7.5/schema.json")).expect("compiles");
    assert_valid(&v, &json, "OSV");
    assert_eq!(json["id"], format!("OSV-{GCVE}"));
    assert_eq!(json["aliases"][0], GCVE);

    // CSAF advisory and VEX: no `cve` (it takes only a CVE ID), the GCVE
    // ID among the `ids`.
    let v = csaf_validator();
    let release = p.release_of("POSTBOTE-2").expect("planned");
    for (what, doc) in [
        ("csaf", csaf::advisory(&p, release, now).expect("complete")),
        ("csaf-vex", csaf::vex(&p, release, now).expect("complete")),
    ] {
        assert_valid(&v, &doc, what);
        let vuln = &doc["vulnerabilities"][0];
        assert!(vuln.get("cve").is_none(), "{what}: {vuln}");
        assert!(
            vuln["ids"]
                .as_array()
                .expect("ids")
                .iter()
                .any(|i| i["system_name"] == "GCVE" && i["text"] == GCVE),
            "{what}: {}",
            vuln["ids"]
        );
    }

    // OpenVEX: the vulnerability is named by the GCVE ID.
    let ov = jsonschema::options()
        .should_validate_formats(true)
        .build(&data("openvex-0.2.0/openvex_json_schema.json"))
        .expect("compiles");
    let doc = openvex::document(&p, release, now).expect("complete");
    assert_valid(&ov, &doc, "OpenVEX");
    assert_eq!(doc["statements"][0]["vulnerability"]["name"], GCVE);
    assert!(doc["statements"][0]["vulnerability"].get("@id").is_none());

    // A CVE record is refused, saying why and what to do.
    let e = cve::record(&p, issue).expect_err("no CVE ID");
    let why = e.to_string();
    assert!(
        why.contains("GCVE-1-2026-0042 is a GCVE ID of GCVE numbering authority 1, not a CVE ID"),
        "{why}"
    );
    assert!(why.contains("CVE:CVE-YYYY-NNNN"), "{why}");

    // With a CVE ID among its other IDs, the CVE record is filed under it
    // and CSAF's `cve` carries it.
    let mut p = p;
    p.issues
        .iter_mut()
        .find(|i| i.id == "POSTBOTE-2")
        .expect("exists")
        .other_ids
        .push(Identifier {
            scheme: "CVE".into(),
            id: "CVE-2026-55555".into(),
        });
    let issue = p.issue("POSTBOTE-2").expect("exists");
    let record = cve::record(&p, issue).expect("complete");
    assert_eq!(record.cve_metadata.cve_id, "CVE-2026-55555");
    assert_eq!(cve::file_name(issue), "CVE-2026-55555.json");
    let doc =
        csaf::advisory(&p, p.release_of("POSTBOTE-2").expect("planned"), now).expect("complete");
    assert_valid(&v, &doc, "csaf with a CVE alias");
    assert_eq!(doc["vulnerabilities"][0]["cve"], "CVE-2026-55555");
}

#[test]
fn the_advisories_and_mails_of_a_gcve_issue_name_it() {
    let p = gcve_example();
    let now = at(NOW);
    let book = playbook::builtin("exim").expect("built in");
    let issue = p.issue("POSTBOTE-2").expect("exists");

    let early = advisory::early_advisory(&p, issue).expect("complete");
    assert!(early.contains(GCVE), "{early}");
    assert!(!early.contains("CVE-2026-41807"), "{early}");

    let distros =
        mail::render(&p, &book, issue, "distros-notice", None, &[], None, now).expect("renders");
    assert!(
        distros.body.contains(&format!("Identifier: {GCVE}")),
        "{}",
        distros.body
    );
    let oss =
        mail::render(&p, &book, issue, "oss-security", None, &[], None, now).expect("renders");
    assert!(oss.subject.contains(GCVE), "{}", oss.subject);
    assert!(
        oss.body.contains(&format!("GCVE:     {GCVE}")),
        "{}",
        oss.body
    );
    assert!(!oss.body.contains("CVE:      "), "{}", oss.body);

    // Before the ID is assigned, the distros notice says which kind of ID
    // is on its way.
    let mut p = p;
    p.issues
        .iter_mut()
        .find(|i| i.id == "POSTBOTE-2")
        .expect("exists")
        .cve = CveState::Requested;
    let issue = p.issue("POSTBOTE-2").expect("exists");
    let distros =
        mail::render(&p, &book, issue, "distros-notice", None, &[], None, now).expect("renders");
    assert!(
        distros
            .body
            .contains("Identifier: POSTBOTE-2 (GCVE requested)"),
        "{}",
        distros.body
    );

    // The write-up's header names the scheme.
    let p = gcve_example();
    let issue = p.issue("POSTBOTE-2").expect("exists");
    let md = embargo::core::render::writeup(
        &p,
        issue,
        &book,
        embargo::core::render::ReportFormat::Markdown,
        embargo::core::render::Addresses::Withheld,
    )
    .expect("renders");
    assert!(md.contains(&format!("| GCVE | {GCVE} |")), "{md}");
}

#[test]
fn the_identifier_authority_is_a_setting_of_the_command_line_journaled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("p.embargo.ron");
    std::fs::write(
        &file,
        store::project_to_string(&store::example().expect("example")),
    )
    .expect("written");
    let file = file.to_str().expect("utf-8");
    let o = embargo(&["settings", file, "--id-authority", "gcve:1"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let p = store::load(Path::new(file)).expect("loads");
    assert_eq!(
        p.publication.id_authority,
        Some(IdAuthority::Gcve { gna: 1 })
    );
    let last = p.journal.last().expect("journaled").event.describe();
    assert_eq!(last, "identifiers set to GCVE of GNA 1");
    let shown = text(&embargo(&["settings", file]).stdout);
    assert!(
        shown.contains("identifiers        GCVE of GNA 1"),
        "{shown}"
    );
    // GNA 0 is the CVE Program: refused as a usage error, nothing changed.
    let o = embargo(&["settings", file, "--id-authority", "gcve:0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("the CVE Program itself"),
        "{}",
        text(&o.stderr)
    );
    let o = embargo(&["settings", file, "--id-authority", "playbook"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let p = store::load(Path::new(file)).expect("loads");
    assert_eq!(p.publication.id_authority, None);
    assert_eq!(
        p.journal.last().expect("journaled").event.describe(),
        "identifiers set to as the playbook says"
    );
}
