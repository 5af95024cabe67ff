//! The OSV export (issue #21 item 3): every record validates against the
//! official OSV 1.7.5 schema (tests/data/osv-1.7.5/schema.json, copied
//! unchanged), the id carries the project's registered database prefix,
//! versions are a SEMVER range and the GIT range starts at the introducing
//! commit, nothing hides in `database_specific`, and the timestamps are
//! honest. Then the consistency test of item 13: the CVE and OSV records of
//! every issue of the example agree on identifiers, versions, severity and
//! credits (CSAF and OpenVEX join at the marked place).

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::{AffectedRange, Project};
use embargo::core::render::{csaf, cve, openvex, osv};
use serde_json::{Value, json};

const NOW: &str = "2026-11-23T12:00:00Z";

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&Utc)
}

fn schema() -> Value {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/osv-1.7.5/schema.json"),
    )
    .expect("the schema is in the repository");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the official schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, record: &Value) -> Vec<String> {
    v.iter_errors(record)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn example() -> Project {
    store::example().expect("example loads")
}

/// The OSV record of `id` as JSON, exported at `now`.
fn osv_json(p: &Project, id: &str, now: &str) -> Value {
    let issue = p.issue(id).expect("exists");
    let record = osv::record(p, issue, at(now)).expect("complete");
    serde_json::from_str(&osv::to_json(&record)).expect("JSON")
}

fn assert_valid(v: &jsonschema::Validator, json: &Value, what: &str) {
    let errors = schema_errors(v, json);
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

fn embargo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", NOW)
        .output()
        .expect("the binary runs")
}

fn example_copy(dir: &Path) -> String {
    let p = dir.join("postbote.embargo.ron");
    std::fs::write(&p, store::EXAMPLE.1).expect("copied");
    p.to_str().expect("utf-8").to_owned()
}

#[test]
fn every_osv_record_of_the_example_validates_against_the_osv_1_7_5_schema() {
    let v = validator();
    let project = example();
    let mut validated = Vec::new();
    for issue in &project.issues {
        if !osv::check(&project, issue, at(NOW)).is_empty() {
            continue;
        }
        let json = osv_json(&project, &issue.id, NOW);
        assert_valid(&v, &json, &issue.id);
        assert_eq!(json["schema_version"], "1.7.5");
        validated.push(issue.id.as_str());
    }
    // The two assessed issues are exportable, the fresh one is not.
    assert_eq!(validated, ["POSTBOTE-1", "POSTBOTE-2"]);
}

#[test]
fn the_golden_osv_record_validates_against_the_schema() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/POSTBOTE-1.osv.json"),
    )
    .expect("golden file");
    let json: Value = serde_json::from_str(&text).expect("JSON");
    assert_valid(&validator(), &json, "tests/golden/POSTBOTE-1.osv.json");
}

#[test]
fn the_schema_refuses_what_the_old_export_wrote() {
    // Guards the tests above: the record as Embargo wrote it before #21
    // (an id without a registered prefix) fails the official schema.
    let v = validator();
    let mut json = osv_json(&example(), "POSTBOTE-1", NOW);
    json["id"] = "POSTBOTE-1".into();
    assert!(!schema_errors(&v, &json).is_empty());
    let mut json = osv_json(&example(), "POSTBOTE-1", NOW);
    json["affected"][0]["ranges"][1]
        .as_object_mut()
        .expect("the GIT range")
        .remove("repo");
    assert!(
        !schema_errors(&v, &json).is_empty(),
        "a GIT range needs its repo"
    );
}

#[test]
fn the_registered_prefixes_are_those_of_the_schema() {
    // The list the export checks against is the schema's own pattern.
    let schema = schema();
    let pattern = schema["$defs"]["prefix"]["pattern"]
        .as_str()
        .expect("pattern");
    let inner = pattern
        .strip_prefix("^(")
        .and_then(|p| p.strip_suffix(")-"))
        .expect("^(A|B|...)-");
    let mut from_schema: Vec<String> = Vec::new();
    for alt in inner.split('|') {
        match alt.split_once('[') {
            Some((head, rest)) => {
                let (letters, tail) = rest.split_once(']').expect("a class");
                from_schema.extend(letters.chars().map(|c| format!("{head}{c}{tail}")));
            }
            None => from_schema.push(alt.to_owned()),
        }
    }
    let mut ours: Vec<String> = osv::REGISTERED_PREFIXES
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    from_schema.sort();
    ours.sort();
    assert_eq!(ours, from_schema);

    // Each of them makes a record the schema accepts.
    let v = validator();
    let mut p = example();
    for prefix in osv::REGISTERED_PREFIXES {
        p.publication.osv_prefix = (*prefix).to_owned();
        let json = osv_json(&p, "POSTBOTE-1", NOW);
        assert_eq!(json["id"], format!("{prefix}-CVE-2026-31122"));
        assert_valid(&v, &json, prefix);
    }
}

#[test]
fn the_id_is_the_projects_registered_prefix_and_the_cve_id() {
    let mut p = example();
    assert_eq!(osv_json(&p, "POSTBOTE-1", NOW)["id"], "OSV-CVE-2026-31122");
    assert_eq!(
        osv_json(&p, "POSTBOTE-1", NOW)["aliases"],
        json!(["CVE-2026-31122"])
    );
    p.publication.osv_prefix = "CURL".into();
    assert_eq!(osv_json(&p, "POSTBOTE-2", NOW)["id"], "CURL-CVE-2026-41807");
    // Without a CVE the issue's own ID follows the prefix.
    let mut q = p.clone();
    q.issues[0].cve = embargo::core::model::CveState::NotNeeded;
    let issue = q.issue("POSTBOTE-1").expect("exists");
    assert_eq!(osv::record_id(&q, issue), "CURL-POSTBOTE-1");

    // Unset (as in every project file written before the field existed) or
    // unregistered: the export is refused, naming where to set it.
    for (prefix, says) in [
        ("", "the OSV database prefix is not set"),
        ("POSTBOTE", "`POSTBOTE` is not a database prefix"),
    ] {
        p.publication.osv_prefix = prefix.into();
        let problems = osv::check(&p, &p.issues[0], at(NOW));
        let id: Vec<_> = problems.iter().filter(|f| f.field == "id").collect();
        assert_eq!(id.len(), 1, "{prefix:?}: {problems:?}");
        assert!(id[0].message.contains(says), "{}", id[0].message);
        assert!(
            id[0]
                .message
                .contains(&embargo::core::settings::OSV_PREFIX.to_string()),
            "{}",
            id[0].message
        );
        assert!(osv::record(&p, &p.issues[0], at(NOW)).is_err());
    }
}

#[test]
fn older_project_files_load_without_a_prefix_or_an_introducing_commit() {
    let text = store::EXAMPLE
        .1
        .lines()
        .filter(|l| !l.contains("osv_prefix:") && !l.contains("introduced_commit:"))
        .collect::<Vec<_>>()
        .join("\n");
    let p = store::parse_project(&text, Path::new("old.embargo.ron")).expect("loads");
    assert_eq!(p.publication.osv_prefix, "");
    assert!(p.issues.iter().all(|i| i.introduced_commit.is_none()));
}

#[test]
fn versions_are_a_semver_range_and_the_git_range_starts_at_the_introducing_commit() {
    let p = example();
    let json = osv_json(&p, "POSTBOTE-1", NOW);
    let ranges = &json["affected"][0]["ranges"];
    assert_eq!(
        ranges[0],
        json!({
            "type": "SEMVER",
            "events": [{ "introduced": "4.9.0" }, { "fixed": "4.12.2" }],
        })
    );
    assert_eq!(
        ranges[1],
        json!({
            "type": "GIT",
            "repo": "https://git.postbote.example/postbote.git",
            "events": [
                { "introduced": "b41e07c95d2a6f38e1c7a90d5f24b6e8c3a1d7f2" },
                { "fixed": "3f9c1d2a7b8e4f60c5d1a2b3c4d5e6f708192a3b" },
            ],
        })
    );
    assert_eq!(ranges.as_array().map(Vec::len), Some(2));
    let text = json.to_string();
    assert!(!text.contains(r#""introduced":"0""#), "{text}");
    assert!(!text.contains("-dev"), "{text}");
    assert!(
        json["database_specific"].get("versions").is_none(),
        "{text}"
    );

    // POSTBOTE-2: the introducing commit is not known, so no GIT range (not
    // one from "0"); its release is not out yet and the fixed version is the
    // one that will be published.
    let json = osv_json(&p, "POSTBOTE-2", NOW);
    assert_eq!(
        json["affected"][0]["ranges"],
        json!([{
            "type": "SEMVER",
            "events": [{ "introduced": "4.0.0" }, { "fixed": "4.12.3" }],
        }])
    );
}

#[test]
fn every_affected_branch_is_a_pair_of_events_oldest_first() {
    let v = validator();
    let mut p = example();
    p.issues[0].affected = vec![
        AffectedRange {
            introduced: "4.12.0".into(),
            fixed: Some("4.12.2".into()),
        },
        AffectedRange {
            introduced: "4.9.0".into(),
            fixed: Some("4.11.7-dev".into()),
        },
    ];
    let json = osv_json(&p, "POSTBOTE-1", NOW);
    assert_valid(&v, &json, "two branches");
    assert_eq!(
        json["affected"][0]["ranges"][0]["events"],
        json!([
            { "introduced": "4.9.0" },
            { "fixed": "4.11.7" },
            { "introduced": "4.12.0" },
            { "fixed": "4.12.2" },
        ])
    );
    // Versions that are not semantic versions (Exim's 4.98) make an
    // ECOSYSTEM range, still valid.
    p.issues[0].affected = vec![AffectedRange {
        introduced: "4.97".into(),
        fixed: Some("4.98".into()),
    }];
    let json = osv_json(&p, "POSTBOTE-1", NOW);
    assert_valid(&v, &json, "ecosystem");
    assert_eq!(json["affected"][0]["ranges"][0]["type"], "ECOSYSTEM");
}

#[test]
fn the_introducing_commit_and_the_repository_are_checked() {
    let mut p = example();
    p.issues[0].introduced_commit = Some("b41e07c".into());
    p.publication.repo_url.clear();
    let fields: Vec<String> = osv::check(&p, &p.issues[0], at(NOW))
        .into_iter()
        .map(|f| f.field)
        .collect();
    assert_eq!(
        fields,
        [
            "affected/0/ranges/1/repo",
            "affected/0/ranges/1/events/0/introduced"
        ]
    );
    // Without versions there is no range at all to state.
    let mut p = example();
    p.issues[1].affected.clear();
    let problems = osv::check(&p, &p.issues[1], at(NOW));
    assert!(
        problems
            .iter()
            .any(|f| f.field == "affected/0/ranges/0/events"
                && f.message.contains("no affected versions")),
        "{problems:?}"
    );
}

#[test]
fn timestamps_are_honest() {
    let mut p = example();
    // Exported before its release: no `published`, `modified` is now.
    assert_eq!(p.releases[1].published, None);
    let json = osv_json(&p, "POSTBOTE-2", NOW);
    assert_eq!(json["modified"], NOW);
    assert!(json.get("published").is_none(), "{json}");
    // Published: the release's time, not after `modified`.
    let json = osv_json(&p, "POSTBOTE-1", NOW);
    assert_eq!(json["published"], "2026-10-13T14:02:00Z");
    p.releases[1].published = Some(at("2026-12-01T14:01:00Z"));
    let json = osv_json(&p, "POSTBOTE-2", "2026-12-02T09:00:00Z");
    assert_eq!(json["published"], "2026-12-01T14:01:00Z");
    assert_eq!(json["modified"], "2026-12-02T09:00:00Z");
    // A publication stated after the export time is not claimed.
    let json = osv_json(&p, "POSTBOTE-2", "2026-11-30T09:00:00Z");
    assert!(json.get("published").is_none(), "{json}");
    assert_valid(&validator(), &json, "before its release");
}

#[test]
fn the_prefix_is_a_setting_of_the_cli_and_a_checked_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    let o = embargo(&["settings", &file, "--osv-prefix", "CURL"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = embargo(&["export", &file, "--issue", "POSTBOTE-1", "--format", "osv"]);
    assert_eq!(o.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["id"], "CURL-CVE-2026-31122");
    assert_valid(&validator(), &json, "after --osv-prefix CURL");
    let o = embargo(&["settings", &file]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("osv prefix         CURL"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    // The rule of the setting: a prefix without its dash.
    let mut s = example().publication;
    s.osv_prefix = "CURL-".into();
    let e = embargo::core::settings::check_publication(&s).expect_err("refused");
    assert_eq!(e.place, embargo::core::settings::OSV_PREFIX);
    let o = embargo(&["settings", &file, "--osv-prefix", "CURL-"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a database prefix"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_introducing_commit_is_a_wizard_field_and_an_issue_field() {
    use embargo::core::playbook::{Field, StepKind, kind_def};
    for kind in [StepKind::FixPrivate, StepKind::FixPublic] {
        assert!(
            kind_def(kind).fields.contains(&Field::IntroducedCommit),
            "{kind:?}"
        );
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    let commit = "0123456789abcdef0123456789abcdef01234567";
    let o = embargo(&[
        "issue",
        "set",
        &file,
        "--issue",
        "POSTBOTE-2",
        "introduced-commit",
        commit,
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = embargo(&["export", &file, "--issue", "POSTBOTE-2", "--format", "osv"]);
    assert_eq!(o.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(json["affected"][0]["ranges"][1]["type"], "GIT");
    assert_eq!(
        json["affected"][0]["ranges"][1]["events"][0]["introduced"],
        commit
    );
}

/// What one record format says about an issue, reduced to what every
/// format must agree on.
#[derive(Debug, PartialEq)]
struct Facts {
    /// The CVE ID.
    cve: Option<String>,
    /// (first affected, fixed) per branch, oldest first.
    versions: Vec<(String, Option<String>)>,
    /// CVSS vectors.
    cvss: Vec<String>,
    /// The project's own severity level.
    severity: Option<String>,
    /// (name, role) per credit, roles in CVE JSON spelling.
    credits: Vec<(String, String)>,
}

fn cve_facts(record: &Value) -> Facts {
    let cna = &record["containers"]["cna"];
    let mut versions: Vec<(String, Option<String>)> = cna["affected"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["versions"].as_array().cloned().unwrap_or_default())
        .filter(|v| v["status"] == "affected")
        .map(|v| {
            (
                v["version"].as_str().expect("version").to_owned(),
                v["lessThan"].as_str().map(str::to_owned),
            )
        })
        .collect();
    versions.sort();
    let metrics = cna["metrics"].as_array().cloned().unwrap_or_default();
    Facts {
        cve: record["cveMetadata"]["cveId"].as_str().map(str::to_owned),
        versions,
        cvss: metrics
            .iter()
            .filter_map(|m| {
                ["cvssV3_1", "cvssV4_0"]
                    .iter()
                    .find_map(|k| m[*k]["vectorString"].as_str())
            })
            .map(str::to_owned)
            .collect(),
        severity: metrics
            .iter()
            .find_map(|m| m["other"]["content"]["text"].as_str())
            .map(str::to_owned),
        credits: cna["credits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["value"].as_str().expect("name").to_owned(),
                    c["type"].as_str().unwrap_or("other").to_owned(),
                )
            })
            .collect(),
    }
}

fn osv_facts(record: &Value) -> Facts {
    let ranges = record["affected"][0]["ranges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut versions = Vec::new();
    for r in ranges.iter().filter(|r| r["type"] != "GIT") {
        for e in r["events"].as_array().into_iter().flatten() {
            if let Some(i) = e["introduced"].as_str() {
                versions.push((i.to_owned(), None));
            } else if let Some(f) = e["fixed"].as_str() {
                versions.last_mut().expect("introduced first").1 = Some(f.to_owned());
            }
        }
    }
    versions.sort();
    let id = record["id"].as_str().expect("id");
    let cve = record["aliases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .find(|a| a.starts_with("CVE-"))
        .map(str::to_owned);
    if let Some(c) = &cve {
        assert!(id.ends_with(&format!("-{c}")), "{id} names {c}");
    }
    Facts {
        cve,
        versions,
        cvss: record["severity"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["score"].as_str())
            .map(str::to_owned)
            .collect(),
        severity: record["database_specific"]["severity"]
            .as_str()
            .map(str::to_owned),
        credits: record["credits"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                (
                    c["name"].as_str().expect("name").to_owned(),
                    c["type"]
                        .as_str()
                        .expect("type")
                        .to_lowercase()
                        .replace('_', " "),
                )
            })
            .collect(),
    }
}

/// Issue #21 item 13: for every issue of the example, the records agree on
/// the identifiers, the affected and fixed versions, the severity and the
/// credits. Checked for CVE JSON, OSV, CSAF 2.0 and OpenVEX.
#[test]
fn every_record_of_an_issue_says_the_same() {
    let project = example();
    let mut compared = Vec::new();
    for issue in &project.issues {
        if !cve::check(&project, issue).is_empty()
            || !osv::check(&project, issue, at(NOW)).is_empty()
        {
            continue;
        }
        let cve_json: Value = serde_json::from_str(&cve::to_json(
            &cve::record(&project, issue).expect("checked"),
        ))
        .expect("JSON");
        let osv_json = osv_json(&project, &issue.id, NOW);
        let from_cve = cve_facts(&cve_json);
        let from_osv = osv_facts(&osv_json);
        assert_eq!(from_cve, from_osv, "{}: CVE JSON and OSV differ", issue.id);
        // The facts come from the issue, not from nowhere.
        assert_eq!(from_cve.cve.as_deref(), issue.cve_id(), "{}", issue.id);
        assert!(!from_cve.versions.is_empty(), "{}", issue.id);
        assert!(!from_cve.credits.is_empty(), "{}", issue.id);
        assert!(from_cve.severity.is_some(), "{}", issue.id);

        // CSAF 2.0 and OpenVEX of the issue's release say the same. CSAF
        // names each person once with all their parts (its acknowledgments
        // have no typed role), so credits are compared by name there;
        // OpenVEX states identifiers and versions only.
        let release = project.release_of(&issue.id).expect("a release");
        let csaf = csaf::advisory(&project, release, at(NOW)).expect("a CSAF advisory");
        let from_csaf = csaf_facts(&csaf, issue.cve_id().expect("a CVE"));
        assert_eq!(
            (
                &from_cve.cve,
                &from_cve.versions,
                &from_cve.cvss,
                &from_cve.severity
            ),
            (
                &from_csaf.cve,
                &from_csaf.versions,
                &from_csaf.cvss,
                &from_csaf.severity
            ),
            "{}: CVE JSON and CSAF differ",
            issue.id
        );
        assert_eq!(
            credit_names(&from_cve),
            credit_names(&from_csaf),
            "{}: CVE JSON and CSAF credit different people",
            issue.id
        );
        let vex = openvex::document(&project, release, at(NOW)).expect("an OpenVEX document");
        let (vex_cve, vex_versions) = openvex_facts(&vex, issue.cve_id().expect("a CVE"));
        assert_eq!(
            (&from_cve.cve, &from_cve.versions),
            (&vex_cve, &vex_versions),
            "{}: CVE JSON and OpenVEX differ",
            issue.id
        );
        compared.push(issue.id.clone());
    }
    assert_eq!(compared, ["POSTBOTE-1", "POSTBOTE-2"]);
}

/// The names credited, in order, each once.
fn credit_names(f: &Facts) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (name, _) in &f.credits {
        if !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// `vers:semver/>=A|<B` (or `vers:semver/<B`, `vers:semver/>=A`) as the
/// first affected version and the fixed one.
fn vers_range(vers: &str) -> (Option<String>, Option<String>) {
    let body = vers.split_once('/').map_or(vers, |(_, b)| b);
    let (mut from, mut to) = (None, None);
    for part in body.split('|') {
        if let Some(v) = part.strip_prefix(">=") {
            from = Some(v.to_owned());
        } else if let Some(v) = part.strip_prefix('<') {
            to = Some(v.to_owned());
        }
    }
    (from, to)
}

/// The facts a CSAF advisory states about `cve`: its known-affected
/// products' version ranges, scores, the project's severity (the impact
/// threat) and the people acknowledged (by name).
fn csaf_facts(doc: &Value, cve: &str) -> Facts {
    let mut products = std::collections::HashMap::new();
    fn walk(b: &Value, out: &mut std::collections::HashMap<String, String>) {
        for c in b["branches"].as_array().into_iter().flatten() {
            if let Some(id) = c["product"]["product_id"].as_str() {
                out.insert(id.to_owned(), c["name"].as_str().unwrap_or("").to_owned());
            }
            walk(c, out);
        }
    }
    walk(&doc["product_tree"], &mut products);
    let v = doc["vulnerabilities"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .find(|v| v["cve"] == cve)
        .unwrap_or_else(|| panic!("{cve} in the CSAF advisory"));
    let mut versions: Vec<(String, Option<String>)> = v["product_status"]["known_affected"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|id| {
            let (from, to) = vers_range(&products[id]);
            (from.expect("a first affected version"), to)
        })
        .collect();
    versions.sort();
    let people = v["acknowledgments"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| {
            let org = a["organization"].as_str().map(str::to_owned);
            a["names"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(move |n| {
                    let n = n.as_str().expect("a name").to_owned();
                    let name = match &org {
                        Some(o) => format!("{n} ({o})"),
                        None => n,
                    };
                    (name, String::new())
                })
        })
        .collect();
    Facts {
        cve: Some(cve.to_owned()),
        versions,
        cvss: v["scores"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["cvss_v3"]["vectorString"].as_str())
            .map(str::to_owned)
            .collect(),
        severity: v["threats"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["category"] == "impact")
            .and_then(|t| t["details"].as_str())
            .map(str::to_owned),
        credits: people,
    }
}

/// The CVE an OpenVEX document names and the version ranges it states as
/// affected for it (from the `vers` qualifier of each product's purl).
fn openvex_facts(doc: &Value, cve: &str) -> (Option<String>, Vec<(String, Option<String>)>) {
    let mut versions = Vec::new();
    let mut named = None;
    for st in doc["statements"].as_array().into_iter().flatten() {
        if st["vulnerability"]["name"] != cve {
            continue;
        }
        named = Some(cve.to_owned());
        if st["status"] != "affected" {
            continue;
        }
        for p in st["products"].as_array().into_iter().flatten() {
            let purl = p["@id"].as_str().expect("a purl");
            let vers = purl
                .split_once("vers=")
                .map(|(_, v)| v.split('&').next().unwrap_or(v))
                .expect("a vers qualifier");
            let vers = vers
                .replace("%3A", ":")
                .replace("%2F", "/")
                .replace("%3E", ">")
                .replace("%3D", "=")
                .replace("%7C", "|")
                .replace("%3C", "<");
            let (from, to) = vers_range(&vers);
            versions.push((from.expect("a first affected version"), to));
        }
    }
    versions.sort();
    (named, versions)
}

/// Guards the consistency test: a record that differs in any fact is seen.
#[test]
fn the_consistency_test_sees_a_difference() {
    let project = example();
    let issue = &project.issues[0];
    let cve_json: Value =
        serde_json::from_str(&cve::to_json(&cve::record(&project, issue).expect("ok")))
            .expect("JSON");
    let good = osv_json(&project, &issue.id, NOW);
    assert_eq!(cve_facts(&cve_json), osv_facts(&good));
    for (path, value) in [
        ("/affected/0/ranges/0/events/1/fixed", json!("4.12.2-dev")),
        (
            "/severity/0/score",
            json!("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N"),
        ),
        ("/database_specific/severity", json!("High")),
        ("/credits/0/type", json!("FINDER")),
        ("/aliases/0", json!("CVE-2026-99999")),
    ] {
        let mut bad = good.clone();
        *bad.pointer_mut(path).expect("path exists") = value;
        if path == "/aliases/0" {
            bad["id"] = "OSV-CVE-2026-99999".into();
        }
        assert_ne!(cve_facts(&cve_json), osv_facts(&bad), "{path}");
    }
}
