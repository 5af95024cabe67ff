//! The command line as scripts use it: exit codes, messages, JSON shapes.

use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-11-23T12:00:00Z";

fn embargo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", NOW)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn example_copy(dir: &Path) -> String {
    let p = dir.join("postbote.embargo.ron");
    std::fs::write(&p, embargo::adapters::store::EXAMPLE.1).expect("copied");
    p.to_str().expect("utf-8").to_owned()
}

#[test]
fn every_command_has_help() {
    for cmd in [
        &["--help"][..],
        &["open", "--help"],
        &["new", "--help"],
        &["check", "--help"],
        &["step", "--help"],
        &["report", "--help"],
        &["export", "--help"],
        &["import-cve", "--help"],
    ] {
        let o = embargo(cmd);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}");
        assert!(stdout(&o).contains("Usage:"), "{cmd:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(embargo(&["check"]).status.code(), Some(2));
    assert_eq!(
        embargo(&["check", "x", "--frobnicate"]).status.code(),
        Some(2)
    );
    let o = embargo(&["step", "x", "--issue", "A"]);
    assert_eq!(o.status.code(), Some(2), "no action given");
    let o = embargo(&["step", "x", "--issue", "A", "--skip", "triage"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--skip needs --reason: {}",
        stderr(&o)
    );
}

#[test]
fn check_lists_steps_and_json_has_the_contract_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    let o = embargo(&["check", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Postbote (Exim playbook), 3 issue(s), valid"),
        "{text}"
    );
    assert!(text.contains("POSTBOTE-3  Crash on a BDAT chunk"), "{text}");

    let o = embargo(&["check", &file, "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let issues = v.as_array().expect("an array of issues");
    assert_eq!(issues.len(), 3);
    for issue in issues {
        assert!(issue["id"].is_string());
        for step in issue["steps"].as_array().expect("steps") {
            for key in ["kind", "title", "status", "reason"] {
                assert!(step[key].is_string(), "{key} in {step}");
            }
            let status = step["status"].as_str().expect("string");
            assert!(
                [
                    "done",
                    "ready",
                    "blocked",
                    "warning",
                    "skipped",
                    "not_applicable"
                ]
                .contains(&status),
                "{status}"
            );
        }
    }
    let fresh = &issues[2];
    assert_eq!(fresh["id"], "POSTBOTE-3");
    assert_eq!(fresh["steps"][0]["kind"], "intake_record");
    assert_eq!(fresh["steps"][0]["status"], "ready");
    let triage = fresh["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["kind"] == "triage")
        .expect("triage");
    assert_eq!(triage["status"], "blocked");
    assert_eq!(triage["reason"], "waiting for “Record the report”");
}

#[test]
fn check_refuses_bad_files_with_one_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.embargo.ron");
    let o = embargo(&["check", missing.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: cannot read "),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());

    let bad = dir.path().join("bad.embargo.ron");
    std::fs::write(&bad, "EmbargoProject(schema: 1, name: ").expect("written");
    let o = embargo(&["check", bad.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.embargo.ron:1:"), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "one message: {}", stderr(&o));

    // Valid syntax, inconsistent content.
    let text = embargo::adapters::store::EXAMPLE.1.replace(
        "issues: [\n                \"POSTBOTE-2\"",
        "issues: [\n                \"POSTBOTE-9\"",
    );
    let inconsistent = dir.path().join("inconsistent.embargo.ron");
    std::fs::write(&inconsistent, text).expect("written");
    let o = embargo(&["check", inconsistent.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("release 4.12.3: it names issue POSTBOTE-9, which does not exist"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn new_then_step_done_and_skip_are_journaled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("acme.embargo.ron");
    let f = file.to_str().expect("utf-8");
    let o = embargo(&["new", "--name", "Acme", "--playbook", "openssl", f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = embargo(&["new", "--name", "Acme", f]);
    assert_eq!(o.status.code(), Some(1), "refuses to overwrite");
    assert!(stderr(&o).contains("already exists"));

    // Add an issue the way a script would: through the library on the same file.
    let mut p = embargo::adapters::store::load(&file).expect("loads");
    let now = chrono::DateTime::parse_from_rfc3339(NOW)
        .expect("valid")
        .with_timezone(&chrono::Utc);
    let id = embargo::core::ops::add_issue(&mut p, "Timing oracle", now).expect("added");
    embargo::adapters::store::save(&file, &p).expect("saved");

    let o = embargo(&["step", f, "--issue", &id, "--done", "triage"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "triage waits for the intake record"
    );
    assert!(
        stderr(&o)
            .contains("cannot be marked done: it is blocked: waiting for “Record the report”"),
        "{}",
        stderr(&o)
    );

    let o = embargo(&[
        "step",
        f,
        "--issue",
        &id,
        "--skip",
        "intake_record",
        "--reason",
        "reported in person",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["status"], "skipped");
    assert_eq!(v["reason"], "reported in person");

    let o = embargo(&[
        "step",
        f,
        "--issue",
        &id,
        "--done",
        "record_and_labels",
        "--note",
        "otc/security#42",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), format!("{id} record_and_labels: done"));

    let o = embargo(&["step", f, "--issue", "NOPE-1", "--done", "triage"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("there is no issue `NOPE-1`"));

    let p = embargo::adapters::store::load(&file).expect("loads");
    let journal = &p.issue(&id).expect("exists").journal;
    let last = journal.last().expect("entries");
    assert_eq!(last.step.as_deref(), Some("record_and_labels"));
    assert_eq!(last.note, "otc/security#42");
    assert_eq!(last.at, now);
    assert!(
        matches!(&journal[journal.len() - 2].event, embargo::core::model::Event::StepSkipped { reason } if reason == "reported in person")
    );
}

#[test]
fn report_matches_the_golden_write_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    for (format, golden) in [
        ("md", "tests/golden/postbote-1.md"),
        ("html", "tests/golden/postbote-1.html"),
    ] {
        let out = dir.path().join(format!("report.{format}"));
        let o = embargo(&[
            "report",
            &file,
            "--issue",
            "POSTBOTE-1",
            "--format",
            format,
            "--out",
            out.to_str().expect("utf-8"),
            // The golden write-ups show the addresses (withheld by default).
            "--include-addresses",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let got = std::fs::read_to_string(&out).expect("written");
        let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden_path, &got).expect("golden updated");
        }
        let want = std::fs::read_to_string(&golden_path)
            .expect("golden file exists (UPDATE_GOLDEN=1 writes it)");
        assert_eq!(got, want, "{format} write-up differs from {golden}");
    }
    let o = embargo(&["report", &file, "--issue", "POSTBOTE-7"]);
    assert_eq!(o.status.code(), Some(1));
}

/// Compare `got` with the golden file; `UPDATE_GOLDEN=1` rewrites it.
fn assert_golden(golden: &str, got: &str) {
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(golden);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden_path, got).expect("golden updated");
    }
    let want = std::fs::read_to_string(&golden_path)
        .expect("golden file exists (UPDATE_GOLDEN=1 writes it)");
    assert_eq!(got, want, "output differs from {golden}");
}

#[test]
fn export_matches_the_golden_texts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    for (subject, id, format, golden) in [
        (
            "--issue",
            "POSTBOTE-1",
            "cve-json",
            "tests/golden/CVE-2026-31122.json",
        ),
        (
            "--issue",
            "POSTBOTE-2",
            "cve-json",
            "tests/golden/CVE-2026-41807.json",
        ),
        (
            "--issue",
            "POSTBOTE-1",
            "osv",
            "tests/golden/POSTBOTE-1.osv.json",
        ),
        (
            "--issue",
            "POSTBOTE-2",
            "advisory",
            "tests/golden/CVE-2026-41807.txt",
        ),
        (
            "--release",
            "4.12.2",
            "advisory",
            "tests/golden/secadv_20261013.txt",
        ),
        (
            "--release",
            "4.12.2",
            "announcement",
            "tests/golden/announcement-4.12.2.txt",
        ),
    ] {
        let o = embargo(&["export", &file, subject, id, "--format", format]);
        assert_eq!(o.status.code(), Some(0), "{format} {id}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{}", stderr(&o));
        assert_golden(golden, &stdout(&o));
    }
}

#[test]
fn export_into_a_directory_uses_the_usual_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("created");
    let o_dir = out.to_str().expect("utf-8");
    let o = embargo(&[
        "export",
        &file,
        "--release",
        "4.12.2",
        "--format",
        "advisory",
        "--out",
        o_dir,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = out.join("secadv_20261013.txt");
    assert_eq!(
        stdout(&o),
        format!(
            "wrote {}\nnewsflash: 13-Oct-2026: <a href=\"https://postbote.example/security/secadv_20261013.txt\">Security Advisory</a>: one moderate severity fix\n",
            written.display()
        )
    );
    let text = std::fs::read_to_string(&written).expect("written");
    assert!(text.starts_with("Postbote Security Advisory [13th October 2026]\n"));

    let o = embargo(&[
        "export",
        &file,
        "--release",
        "4.12.2",
        "--format",
        "cve-json",
        "--out",
        o_dir,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("CVE-2026-31122.json")).expect("written"),
    )
    .expect("JSON");
    assert_eq!(v["cveMetadata"]["cveId"], "CVE-2026-31122");

    let single = dir.path().join("one.json");
    let o = embargo(&[
        "export",
        &file,
        "--issue",
        "POSTBOTE-1",
        "--format",
        "osv",
        "--out",
        single.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&single).expect("written")).expect("JSON");
    // SEMVER first, then the GIT range from the introducing commit (#21 item 3).
    assert_eq!(v["affected"][0]["ranges"][0]["type"], "SEMVER");
    assert_eq!(v["affected"][0]["ranges"][1]["type"], "GIT");
}

#[test]
fn export_refuses_bad_input_with_one_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    let o = embargo(&[
        "export",
        &file,
        "--issue",
        "POSTBOTE-3",
        "--format",
        "cve-json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "error: cannot export the CVE record of POSTBOTE-3: fill in what is missing first:\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("\n  cveMetadata/cveId: no CVE ID is assigned yet"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());

    let o = embargo(&[
        "export",
        &file,
        "--issue",
        "POSTBOTE-1",
        "--format",
        "announcement",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("an announcement covers a release: use --release ID"),
        "{}",
        stderr(&o)
    );

    let o = embargo(&[
        "export",
        &file,
        "--release",
        "4.12.3",
        "--format",
        "announcement",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("release/artifacts: no release files are recorded"),
        "{}",
        stderr(&o)
    );

    let o = embargo(&["export", &file, "--release", "9.9", "--format", "advisory"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there is no release `9.9`: use one of: 4.12.2, 4.12.3"),
        "{}",
        stderr(&o)
    );

    let o = embargo(&["export", &file, "--issue", "NOPE-1", "--format", "osv"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("there is no issue `NOPE-1`"),
        "{}",
        stderr(&o)
    );

    // Usage errors: no subject, both subjects, an unknown format.
    assert_eq!(
        embargo(&["export", &file, "--format", "osv"]).status.code(),
        Some(2)
    );
    let both = embargo(&[
        "export",
        &file,
        "--issue",
        "POSTBOTE-1",
        "--release",
        "4.12.2",
        "--format",
        "osv",
    ]);
    assert_eq!(both.status.code(), Some(2));
    assert_eq!(
        embargo(&["export", &file, "--issue", "POSTBOTE-1", "--format", "pdf"])
            .status
            .code(),
        Some(2)
    );
}

/// Every file in `dir`, recursively, relative to it.
fn files_below(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("readable").flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                todo.push(path);
            } else {
                found.push(path.strip_prefix(dir).expect("below").display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn an_issue_id_that_leaves_the_output_directory_is_refused_and_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("postbote.embargo.ron");
    // The first issue's ID (and the release's reference to it) made hostile.
    let text = embargo::adapters::store::EXAMPLE
        .1
        .replace("\"POSTBOTE-1\"", "\"../x\"");
    std::fs::write(&file, &text).expect("written");
    let file_s = file.to_str().expect("utf-8");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("created");
    let out_s = out.to_str().expect("utf-8");
    let before = files_below(dir.path());

    for subject in [["--issue", "../x"], ["--release", "4.12.2"]] {
        let o = embargo(&[
            "export", file_s, subject[0], subject[1], "--format", "osv", "--out", out_s,
        ]);
        assert_eq!(o.status.code(), Some(1), "{subject:?}: {}", stdout(&o));
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!(
                "error: cannot write into {out_s}: `../x.osv.json` cannot be used as a file name: it holds a `/`"
            )),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "one message: {err}");
        assert!(stdout(&o).is_empty());
        assert_eq!(files_below(dir.path()), before, "nothing written anywhere");
        assert!(!dir.path().join("x.osv.json").exists());
    }

    // `check` calls the project invalid, naming the issue and the rule.
    let o = embargo(&["check", file_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "issue ../x: the ID `../x` is not allowed: an ID may hold only letters, digits, `-`, `_` and `.`, and must not start with a dot"
        ),
        "{}",
        stderr(&o)
    );

    // So does it for a tarball name template that leaves its directory.
    let text = embargo::adapters::store::EXAMPLE.1.replace(
        "tarball_template: \"postbote-{version}\"",
        "tarball_template: \"/tmp/postbote-{version}\"",
    );
    std::fs::write(&file, &text).expect("written");
    let o = embargo(&["check", file_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "tarball name template: `/tmp/postbote-{version}` does not give one plain file name"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn import_cve_adds_an_issue_and_saves_the_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    let record = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cve-schema/examples/CVE-2025-9230.openssl-cna.json");
    let o = embargo(&["import-cve", &file, record.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("imported CVE-2025-9230 into POSTBOTE-4 (new issue)\n"),
        "{out}"
    );
    assert!(
        out.contains("note: the record's vendor `OpenSSL` differs from the project's `Postbote`"),
        "{out}"
    );

    let p = embargo::adapters::store::load(Path::new(&file)).expect("saved project loads");
    let issue = p.issue("POSTBOTE-4").expect("created");
    assert_eq!(issue.cve_id(), Some("CVE-2025-9230"));
    assert_eq!(issue.affected.len(), 7);
    assert!(embargo::adapters::store::backup_path(Path::new(&file)).exists());

    let o = embargo(&[
        "export",
        &file,
        "--issue",
        "POSTBOTE-4",
        "--format",
        "cve-json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let o = embargo(&["import-cve", &file, &file]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("cannot be imported: not a CVE JSON 5 record"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_writer_refuses_a_project_that_does_not_validate_with_checks_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Two issues with one ID: a writer that edited "the first match" would
    // save a change the user cannot tell apart.
    let text =
        embargo::adapters::store::EXAMPLE
            .1
            .replacen("id: \"POSTBOTE-3\"", "id: \"POSTBOTE-2\"", 1);
    assert_ne!(text, embargo::adapters::store::EXAMPLE.1);
    let file = dir.path().join("dup.embargo.ron");
    std::fs::write(&file, &text).expect("written");
    let f = file.to_str().expect("utf-8");
    let o = embargo(&["check", f]);
    assert_eq!(o.status.code(), Some(1));
    let refusal = stderr(&o);
    assert!(
        refusal.contains("the ID is used by two issues"),
        "{refusal}"
    );

    let out = dir.path().join("share-out");
    let eml = dir.path().join("eml");
    let writers: [&[&str]; 4] = [
        &[
            "step",
            f,
            "--issue",
            "POSTBOTE-2",
            "--skip",
            "cve_id",
            "--reason",
            "x",
        ],
        &[
            "share",
            f,
            "--issue",
            "POSTBOTE-2",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        &[
            "mail",
            f,
            "--issue",
            "POSTBOTE-2",
            "--template",
            "fix-availability",
            "--to",
            "Openwall distros",
            "--eml",
            eml.to_str().expect("utf-8"),
        ],
        &["artifacts", f, "--issue", "POSTBOTE-2"],
    ];
    for args in writers {
        let o = embargo(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stdout(&o));
        assert_eq!(stderr(&o), refusal, "{args:?}: check's message");
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            text,
            "{args:?} changed the file"
        );
    }
    assert!(
        !out.exists(),
        "share wrote its files for an invalid project"
    );
    assert!(!eml.exists(), "mail wrote a draft for an invalid project");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("listable")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "no backup, lock or temporary: {names:?}");
}

#[test]
fn the_os_error_is_printed_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.embargo.ron");
    let o = embargo(&["check", missing.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
}

#[test]
fn the_cli_reports_a_stale_lock_and_names_a_missing_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_copy(dir.path());
    // A lock left by a process that has ended.
    let mut child = Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("runs");
    let dead = child.id();
    child.wait().expect("exits");
    let lock = embargo::adapters::store::lock_path(Path::new(&file));
    std::fs::write(&lock, format!("{dead} somehost embargo (desktop app)\n")).expect("written");
    let o = embargo(&[
        "step",
        &file,
        "--issue",
        "POSTBOTE-3",
        "--skip",
        "cve_id",
        "--reason",
        "none",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "took over the lock left by embargo (desktop app), process {dead} on somehost, which is no longer running"
        )),
        "{err}"
    );
    assert!(!lock.exists(), "and released it");

    let nowhere = dir.path().join("nope");
    let file = nowhere.join("p.embargo.ron");
    let o = embargo(&[
        "step",
        file.to_str().expect("utf-8"),
        "--issue",
        "X",
        "--done",
        "triage",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{} does not exist", nowhere.display())),
        "{err}"
    );
    assert!(
        !err.contains(".lock"),
        "names the directory, not the lock: {err}"
    );
}

#[test]
fn publishing_with_the_cli_expires_the_download_credentials_as_the_app_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = example_copy(dir.path());
    // The directory the app writes the download's files in, beside the
    // project: the one publishing empties.
    let share = dir.path().join("postbote-4.12.3-share");
    let made = embargo(&[
        "share",
        &f,
        "--issue",
        "POSTBOTE-2",
        "--out",
        share.to_str().expect("utf-8"),
    ]);
    assert_eq!(made.status.code(), Some(0), "{}", stderr(&made));
    let htpasswd = share.join(".htpasswd");
    assert!(
        !std::fs::read_to_string(&htpasswd)
            .expect("written beside the project")
            .is_empty()
    );
    let states = || -> Vec<embargo::core::model::ShareState> {
        let project = embargo::adapters::store::load(Path::new(&f)).expect("loads");
        let release = project.release_of("POSTBOTE-2").expect("planned");
        release.shares.iter().map(|c| c.state).collect()
    };
    let before = states();
    assert!(!before.is_empty());
    assert!(
        before
            .iter()
            .all(|s| *s == embargo::core::model::ShareState::Active)
    );

    let o = embargo(&["publish", &f, "--issue", "POSTBOTE-2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("expired"), "{}", stderr(&o));
    let after = states();
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .iter()
            .all(|s| *s == embargo::core::model::ShareState::Expired),
        "{after:?}"
    );
    assert_eq!(std::fs::read_to_string(&htpasswd).expect("htpasswd"), "");
    let text = std::fs::read_to_string(&f).expect("project");
    assert!(
        text.contains("expired: the release is public"),
        "journaled as the app journals it"
    );
}
