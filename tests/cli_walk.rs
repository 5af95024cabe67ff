//! One issue of a new project walked from `embargo issue add` to `embargo
//! report` with the command line alone — fields, plan, recipients and
//! their certificates, notice state, steps — with the project file and its
//! journals checked after each step; and the refusals of those subcommands:
//! an unknown field, a plan that breaks a rule, a file that is no
//! certificate, a playbook file that is no playbook.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use embargo::core::model::{
    CveState, Event, IntakeChannel, JournalEntry, PlaybookRef, Project, RecipientRole, Severity,
};

const NOW: &str = "2026-11-23T12:00:00Z";

fn embargo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_embargo"))
        .args(args)
        .env("EMBARGO_NOW", NOW)
        .output()
        .expect("the binary runs")
}

/// Run and demand exit 0; the standard output.
fn ok(args: &[&str]) -> String {
    let o = embargo(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut with = args.to_vec();
    with.push("--json");
    serde_json::from_str(&ok(&with)).expect("JSON")
}

fn load(file: &str) -> Project {
    embargo::adapters::store::load(Path::new(file)).expect("the project loads")
}

fn at(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("valid")
        .with_timezone(&chrono::Utc)
}

/// The field change of a journal entry.
fn changed(e: &JournalEntry) -> (&str, &str) {
    match &e.event {
        Event::FieldChanged { field, value } => (field, value),
        other => panic!("not a field change: {other:?}"),
    }
}

fn new_project(dir: &Path) -> String {
    let file = dir.join("acme.embargo.ron");
    let file = file.to_str().expect("utf-8").to_owned();
    ok(&["new", "--name", "Acme", "--playbook", "exim", &file]);
    file
}

#[test]
#[allow(clippy::too_many_lines)] // one walk, checked step by step
fn one_issue_from_issue_add_to_report_with_the_cli_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_project(dir.path());
    let f = file.as_str();
    let now = at(NOW);

    // Add the issue.
    let added = json(&["issue", "add", f, "--title", "Heap overflow in DATA"]);
    assert_eq!(added["id"], "ACME-1");
    let p = load(f);
    assert_eq!(p.issues.len(), 1);
    let i = &p.issues[0];
    assert_eq!(i.title, "Heap overflow in DATA");
    assert_eq!(i.journal.len(), 1);
    assert_eq!(i.journal[0].event, Event::Created);
    assert_eq!(i.journal[0].at, now);

    // The intake headers, journaled under the intake step as the wizard's form is.
    let set = json(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "intake-from",
        "Rita <rita@example.org>",
    ]);
    assert_eq!(set["step"], "intake_record");
    assert_eq!(set["changed"], true);
    ok(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "intake-subject",
        "overflow in DATA",
    ]);
    ok(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "intake-message-id",
        "<r1@example.org>",
    ]);
    let p = load(f);
    let i = &p.issues[0];
    assert_eq!(
        i.intake.channel,
        IntakeChannel::Mail {
            from: "Rita <rita@example.org>".into(),
            subject: "overflow in DATA".into(),
            date: String::new(),
            message_id: "<r1@example.org>".into(),
        }
    );
    // From and Subject show in the journal's rendering; the Message-ID does not.
    assert_eq!(i.journal.len(), 3);
    assert_eq!(i.journal[2].step.as_deref(), Some("intake_record"));
    assert_eq!(
        changed(&i.journal[2]),
        (
            "intake",
            "mail from Rita <rita@example.org>: overflow in DATA"
        )
    );

    // Reporter, credit, verdict, severity, CVSS, CVE: one entry each.
    for (field, value, step) in [
        ("reporter-name", "Rita", "intake_record"),
        ("credit", "Rita R.", "reporter_preferences"),
        ("verdict", "security", "triage"),
        ("severity", "high", "severity"),
        (
            "cvss",
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
            "severity",
        ),
        ("cve", "CVE-2026-12345", "cve_id"),
        ("strategy", "patch-level", "release_strategy"),
    ] {
        let before = load(f).issues[0].journal.len();
        let set = json(&["issue", "set", f, "--issue", "ACME-1", field, value]);
        assert_eq!(set["step"], step, "{field}");
        let p = load(f);
        let i = &p.issues[0];
        assert_eq!(i.journal.len(), before + 1, "{field}: one entry");
        assert_eq!(i.journal[before].step.as_deref(), Some(step), "{field}");
    }
    let p = load(f);
    let i = &p.issues[0];
    assert_eq!(i.reporter.name, "Rita");
    assert_eq!(
        i.reporter.credit,
        Some(embargo::core::model::Credit::Named("Rita R.".into()))
    );
    assert_eq!(i.severity, Some(Severity::High));
    assert_eq!(
        i.cvss.as_ref().map(|c| c.version),
        Some(embargo::core::model::CvssVersion::V3_1)
    );
    assert_eq!(
        i.cve,
        CveState::Assigned {
            id: "CVE-2026-12345".into()
        }
    );
    assert_eq!(
        changed(i.journal.last().expect("journaled")),
        ("strategy", "patch-level release")
    );

    // Setting the same value again changes and journals nothing.
    let again = json(&["issue", "set", f, "--issue", "ACME-1", "severity", "high"]);
    assert_eq!(again["changed"], false);
    assert_eq!(load(f).issues[0].journal.len(), i.journal.len());

    // Lists: affected ranges, fix commits, other IDs with --add and --remove.
    ok(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "affected",
        "--add",
        "4.90..4.99.3",
        "--add",
        "5.0",
    ]);
    ok(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "fix-commits",
        "--add",
        "1a2b3c4@acme-4.99+fixes: Fix the DATA parser",
    ]);
    ok(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "other-ids",
        "--add",
        "GHSA:GHSA-aaaa-bbbb-cccc",
    ]);
    ok(&[
        "issue", "set", f, "--issue", "ACME-1", "affected", "--remove", "5.0",
    ]);
    let p = load(f);
    let i = &p.issues[0];
    assert_eq!(i.affected.len(), 1);
    assert_eq!(i.affected[0].introduced, "4.90");
    assert_eq!(i.affected[0].fixed.as_deref(), Some("4.99.3"));
    assert_eq!(i.fix_commits.len(), 1);
    assert_eq!(i.fix_commits[0].id, "1a2b3c4");
    assert_eq!(i.fix_commits[0].branch, "acme-4.99+fixes");
    assert_eq!(i.fix_commits[0].summary, "Fix the DATA parser");
    assert_eq!(i.other_ids[0].scheme, "GHSA");
    assert_eq!(
        changed(i.journal.last().expect("journaled")),
        ("affected versions", "4.90 before 4.99.3")
    );

    // A long text from a file.
    let text = dir.path().join("description.txt");
    std::fs::write(&text, "A long line\nof description.\n").expect("written");
    ok(&[
        "issue",
        "set",
        f,
        "--issue",
        "ACME-1",
        "description",
        "--from-file",
        text.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        load(f).issues[0].description,
        "A long line\nof description."
    );

    // Notes on a step are kept as the wizard keeps them: not journaled.
    let journaled = load(f).issues[0].journal.len();
    let noted = json(&[
        "issue",
        "note",
        f,
        "--issue",
        "ACME-1",
        "--step",
        "severity",
        "asked upstream",
    ]);
    assert_eq!(noted["notes"], "asked upstream");
    let p = load(f);
    assert_eq!(
        p.issues[0].step_notes.get("severity").map(String::as_str),
        Some("asked upstream")
    );
    assert_eq!(p.issues[0].journal.len(), journaled);
    let o = embargo(&[
        "issue", "note", f, "--issue", "ACME-1", "--step", "sevrity", "x",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no step `sevrity`"));
    ok(&[
        "issue", "note", f, "--issue", "ACME-1", "--step", "severity", "",
    ]);
    assert!(
        load(f).issues[0].step_notes.is_empty(),
        "an empty text removes them"
    );

    // `show` gives the issue as the file holds it; `list` the overview.
    let shown = json(&["issue", "show", f, "--issue", "ACME-1"]);
    assert_eq!(shown["severity"], "High");
    assert_eq!(
        shown["journal"].as_array().map(Vec::len),
        Some(load(f).issues[0].journal.len())
    );
    let listed = json(&["issue", "list", f]);
    assert_eq!(listed[0]["id"], "ACME-1");
    assert_eq!(listed[0]["cve"], "CVE-2026-12345");

    // Settings: each group journaled in the project.
    let settings = json(&[
        "settings",
        f,
        "--zones",
        "UTC,Europe/Berlin,America/New_York",
        "--release-hour",
        "13:30",
        "--add-blackout",
        "Christmas=2026-12-24..2026-12-26",
        "--repo",
        "/srv/acme",
        "--private-remotes",
        "security",
        "--mail-from",
        "Acme Security <security@acme.example>",
        "--smtp-host",
        "smtp.acme.example",
        "--smtp-port",
        "587",
        "--embargo-url",
        "https://share.acme.example/{version}/",
        "--advisory-url",
        "https://acme.example/advisories/{date}.txt",
    ]);
    assert_eq!(settings["time"]["anchor"]["hour"], 13);
    let p = load(f);
    assert_eq!(p.time.zones.len(), 3);
    assert_eq!((p.time.anchor.hour, p.time.anchor.minute), (13, 30));
    assert_eq!(p.time.blackouts[0].name, "Christmas");
    assert_eq!(p.repo.path, "/srv/acme");
    assert_eq!(p.repo.private_remotes, vec!["security".to_owned()]);
    assert_eq!(p.mail.smtp_host, "smtp.acme.example");
    assert_eq!(p.mail.smtp_port, 587);
    assert_eq!(
        p.publication.embargo_url,
        "https://share.acme.example/{version}/"
    );
    let fields: Vec<&str> = p.journal.iter().map(|e| changed(e).0).collect();
    assert_eq!(
        fields,
        [
            "time settings",
            "repository",
            "mail settings",
            "embargoed download address",
            "advisory address"
        ]
    );
    assert!(p.journal.iter().all(|e| e.at == now && e.step.is_none()));
    let shown = ok(&["settings", f]);
    assert!(shown.contains("13:30 UTC"), "{shown}");

    // Plan the release on a Friday: refused, nothing changed ...
    let before = std::fs::read(f).expect("read");
    let friday = "2026-12-04T13:30:00Z";
    let o = embargo(&[
        "plan",
        f,
        "--issue",
        "ACME-1",
        "--release",
        "4.99.3",
        "--at",
        friday,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no_friday") && err.contains("--accept"),
        "{err}"
    );
    assert_eq!(std::fs::read(f).expect("read"), before, "nothing changed");
    // ... unless the coordinator accepts the rule, which is journaled.
    let planned = json(&[
        "plan",
        f,
        "--issue",
        "ACME-1",
        "--release",
        "4.99.3",
        "--at",
        friday,
        "--accept",
        "no_friday",
        "--note",
        "exploited in the wild",
    ]);
    assert_eq!(planned["accepted"][0]["rule"], "no_friday");
    assert_eq!(planned["accepted"][0]["step"], "no_friday");
    let p = load(f);
    let r = p.release_of("ACME-1").expect("planned");
    assert_eq!(r.version, "4.99.3");
    assert_eq!(r.planned, Some(at(friday)));
    let j = &p.issues[0].journal;
    let n = j.len();
    assert_eq!(j[n - 2].step.as_deref(), Some("release_plan"));
    assert_eq!(
        changed(&j[n - 2]),
        ("release", "4.99.3 at 2026-12-04 13:30 UTC")
    );
    assert_eq!(j[n - 1].step.as_deref(), Some("no_friday"));
    assert_eq!(
        j[n - 1].event,
        Event::CheckAcknowledged {
            check: "no_friday".into()
        }
    );
    assert_eq!(j[n - 1].note, "exploited in the wild");
    // The step now counts the rule as acknowledged.
    let checked = json(&["check", f]);
    let step = checked[0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["key"] == "no_friday")
        .expect("the step")
        .clone();
    assert_ne!(step["status"], "warning", "{step}");

    // A milestone of the timeline moved, and put back.
    let moved = json(&[
        "milestone",
        f,
        "--issue",
        "ACME-1",
        "distros_notice",
        "--at",
        "2026-12-01T09:00:00Z",
    ]);
    assert_eq!(moved["at"], "2026-12-01T09:00:00Z");
    let p = load(f);
    let r = p.release_of("ACME-1").expect("planned");
    assert_eq!(
        r.milestones
            .get(&embargo::core::model::Milestone::DistrosNotice),
        Some(&at("2026-12-01T09:00:00Z"))
    );
    let last = p.issues[0].journal.last().expect("journaled");
    assert_eq!(last.step.as_deref(), Some("release_plan"));
    assert_eq!(
        changed(last),
        ("milestone Distros notice", "2026-12-01 09:00 UTC")
    );
    ok(&[
        "milestone",
        f,
        "--issue",
        "ACME-1",
        "distros_notice",
        "--default",
    ]);
    let p = load(f);
    assert!(
        p.release_of("ACME-1")
            .expect("planned")
            .milestones
            .is_empty()
    );
    assert_eq!(
        changed(p.issues[0].journal.last().expect("journaled")),
        ("milestone Distros notice", "default")
    );

    // Recipients, one with a certificate imported from a file.
    let gpg = support::Gpg::new();
    let fpr = gpg.make_mail_key("Openwall distros <distros@vs.openwall.org>", "");
    let cert = gpg.export_cert(&fpr);
    let added = json(&[
        "recipients",
        "add",
        f,
        "--address",
        "distros@vs.openwall.org",
        "--name",
        "Openwall distros",
        "--role",
        "distros",
        "--cert",
        cert.to_str().expect("utf-8"),
        "--encrypt",
    ]);
    assert_eq!(added["cert_fingerprint"], fpr.as_str());
    let p = load(f);
    assert_eq!(p.recipients.len(), 1);
    let r = &p.recipients[0];
    assert_eq!(r.role, RecipientRole::Distros);
    assert!(r.must_encrypt);
    assert!(
        r.cert
            .as_deref()
            .is_some_and(|c| c.contains("BEGIN PGP PUBLIC KEY BLOCK"))
    );
    let last = p.journal.last().expect("journaled");
    assert_eq!(changed(last).0, "recipients");
    assert!(
        changed(last).1
            == format!("added distros@vs.openwall.org (distros, certificate {fpr}, encrypted)"),
        "{last:?}"
    );

    let list = dir.path().join("vendors.txt");
    std::fs::write(
        &list,
        "Vendor One <sec@one.example>, psirt@two.example\nnot-an-address\n",
    )
    .expect("written");
    let imported = json(&["recipients", "import", f, list.to_str().expect("utf-8")]);
    assert_eq!(imported["added"].as_array().map(Vec::len), Some(2));
    assert_eq!(imported["skipped"][0], "not-an-address");
    ok(&[
        "recipients",
        "remove",
        f,
        "--recipient",
        "psirt@two.example",
    ]);
    ok(&[
        "recipients",
        "set",
        f,
        "--recipient",
        "sec@one.example",
        "--role",
        "support-customer",
    ]);
    let p = load(f);
    let addresses: Vec<&str> = p.recipients.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(addresses, ["distros@vs.openwall.org", "sec@one.example"]);
    assert_eq!(p.recipients[1].name, "Vendor One");
    assert_eq!(p.recipients[1].role, RecipientRole::SupportCustomer);
    let said: Vec<&str> = p
        .journal
        .iter()
        .filter(|e| changed(e).0 == "recipients")
        .map(|e| changed(e).1)
        .collect();
    assert_eq!(
        said[1..],
        [
            "added sec@one.example (vendor); added psirt@two.example (vendor)",
            "removed psirt@two.example",
            "changed sec@one.example (support-customer)",
        ]
    );
    let listed = json(&["recipients", "list", f]);
    assert_eq!(listed[1]["role"], "support-customer");

    // Where the distros list stands for the issue.
    let before = load(f).issues[0].journal.len();
    let state = json(&[
        "notice-state",
        f,
        "--issue",
        "ACME-1",
        "--recipient",
        "distros@vs.openwall.org",
        "--accepted",
        "--wants-patch",
    ]);
    assert_eq!(state["accepted"], true);
    ok(&[
        "notice-state",
        f,
        "--issue",
        "ACME-1",
        "--recipient",
        "DISTROS@vs.openwall.org",
        "--notified",
        "n1@acme.example",
    ]);
    let p = load(f);
    let i = &p.issues[0];
    assert_eq!(
        i.notices.len(),
        1,
        "one state per address, whatever its case"
    );
    let n = &i.notices[0];
    assert_eq!(n.accepted, Some(true));
    assert!(n.wants_patch);
    assert_eq!(n.notified_at, Some(now));
    assert_eq!(
        n.message_id, "<n1@acme.example>",
        "kept as Embargo keeps its own"
    );
    assert_eq!(i.journal.len(), before + 2);
    assert_eq!(
        changed(&i.journal[before]),
        (
            "notice state of distros@vs.openwall.org",
            "accepted the embargo, wants the patch"
        )
    );
    assert!(
        changed(&i.journal[before + 1])
            .1
            .contains("n1@acme.example")
    );

    // Mark steps, as `embargo step` always could.
    ok(&["step", f, "--issue", "ACME-1", "--done", "keep_notes"]);
    ok(&[
        "step",
        f,
        "--issue",
        "ACME-1",
        "--skip",
        "private_testing",
        "--reason",
        "tested upstream",
    ]);
    let p = load(f);
    let j = &p.issues[0].journal;
    assert_eq!(j[j.len() - 2].event, Event::StepDone);
    assert_eq!(j[j.len() - 2].step.as_deref(), Some("keep_notes"));

    // The release goes public.
    let published = json(&["publish", f, "--issue", "ACME-1"]);
    assert_eq!(published["published"], NOW);
    let p = load(f);
    assert_eq!(
        p.release_of("ACME-1").expect("planned").published,
        Some(now)
    );
    let last = p.issues[0].journal.last().expect("journaled");
    assert_eq!(last.step.as_deref(), Some("publish_release"));
    assert_eq!(changed(last), ("published", "2026-11-23 12:00 UTC"));

    // And the write-up tells it all.
    let report = ok(&["report", f, "--issue", "ACME-1"]);
    for said in [
        "Heap overflow in DATA",
        "CVE-2026-12345",
        "4.99.3",
        "check acknowledged: no_friday",
        "tested upstream",
    ] {
        assert!(report.contains(said), "the report says {said}:\n{report}");
    }
}

#[test]
fn an_unknown_field_is_a_usage_error_naming_the_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_project(dir.path());
    ok(&["issue", "add", &file, "--title", "bug"]);
    let before = std::fs::read(&file).expect("read");
    let o = embargo(&[
        "issue", "set", &file, "--issue", "ACME-1", "sevrity", "high",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `severity`?"), "{err}");
    assert!(
        err.contains("fix-commits") && err.contains("early-advisory"),
        "{err}"
    );
    // A bad value of a known field is one too, and names the values.
    let o = embargo(&[
        "issue", "set", &file, "--issue", "ACME-1", "severity", "hgh",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("did you mean `high`?") && err.contains("critical"),
        "{err}"
    );
    // A list field refuses a plain value; a scalar one --add.
    let o = embargo(&[
        "issue", "set", &file, "--issue", "ACME-1", "affected", "4.0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--add"));
    let o = embargo(&[
        "issue", "set", &file, "--issue", "ACME-1", "cve", "CVE-26-1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("CVE-YYYY-NNNN"));
    // A milestone that is not one; the release itself moves with `plan`.
    let o = embargo(&[
        "milestone",
        &file,
        "--issue",
        "ACME-1",
        "release",
        "--default",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("embargo plan"));
    // Publishing an issue in no release is refused.
    let o = embargo(&["publish", &file, "--issue", "ACME-1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not planned into a release"));
    // An issue that does not exist is a refusal.
    let o = embargo(&[
        "issue", "set", &file, "--issue", "ACME-9", "severity", "high",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no issue `ACME-9`"));
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing changed"
    );
    // Deleting is journaled in the project.
    ok(&["issue", "delete", &file, "--issue", "ACME-1"]);
    let p = load(&file);
    assert!(p.issues.is_empty());
    assert_eq!(
        p.journal.last().map(|e| e.note.as_str()),
        Some("deleted issue ACME-1: bug")
    );
}

#[test]
fn a_plan_that_breaks_a_rule_is_refused_without_accept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_project(dir.path());
    ok(&["issue", "add", &file, "--title", "bug"]);
    let before = std::fs::read(&file).expect("read");
    // A Saturday in the past breaks two rules; accepting one is not enough.
    let args = [
        "plan",
        &file,
        "--issue",
        "ACME-1",
        "--release",
        "1.0.1",
        "--at",
        "2026-11-21T14:00:00Z",
    ];
    let o = embargo(&args);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("in_past") && err.contains("no_friday"),
        "{err}"
    );
    let mut one = args.to_vec();
    one.extend(["--accept", "no_friday"]);
    let o = embargo(&one);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("in_past") && !err.contains("no_friday:"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing changed"
    );
    // An unknown rule is a usage error; a rule that passes is refused.
    let mut bad = args.to_vec();
    bad.extend(["--accept", "no_fridays"]);
    let o = embargo(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `no_friday`?"));
    let o = embargo(&[
        "plan",
        &file,
        "--issue",
        "ACME-1",
        "--release",
        "1.0.1",
        "--at",
        "2026-12-01T14:00:00Z",
        "--accept",
        "blackout",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing to acknowledge"));
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing changed"
    );
    // A version that cannot be a file name is refused as `ops` refuses it.
    let o = embargo(&[
        "plan",
        &file,
        "--issue",
        "ACME-1",
        "--release",
        "../1",
        "--at",
        "2026-12-01T14:00:00Z",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be a release version"));
}

#[test]
fn a_file_that_is_no_certificate_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_project(dir.path());
    let bad = dir.path().join("not-a-cert.asc");
    std::fs::write(&bad, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n").expect("written");
    let before = std::fs::read(&file).expect("read");
    let o = embargo(&[
        "recipients",
        "add",
        &file,
        "--address",
        "sec@one.example",
        "--cert",
        bad.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not-a-cert.asc"), "names the file: {err}");
    let o = embargo(&[
        "recipients",
        "add",
        &file,
        "--address",
        "sec@one.example",
        "--cert",
        dir.path().join("missing.asc").to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.asc"));
    // Not an address either.
    let o = embargo(&["recipients", "add", &file, "--address", "not an address"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing changed"
    );
}

#[test]
fn new_takes_a_playbook_file_of_ones_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("mine.playbook.ron");
    std::fs::write(
        &book,
        r#"#![enable(implicit_some)]
Playbook(
    name: "Mine",
    steps: [
        Step(kind: intake_record),
        Step(kind: severity),
        Step(kind: checklist, key: "tell_the_boss", title: "Tell the boss"),
    ],
)"#,
    )
    .expect("written");
    let file = dir.path().join("mine.embargo.ron");
    let f = file.to_str().expect("utf-8");
    let out = ok(&[
        "new",
        "--name",
        "Mine",
        "--playbook",
        book.to_str().expect("utf-8"),
        f,
    ]);
    assert!(out.contains("(Mine playbook)"), "{out}");
    // Beside the project, it is named relative to it, so the two can move.
    assert_eq!(
        load(f).playbook,
        PlaybookRef::File("mine.playbook.ron".into())
    );
    ok(&["issue", "add", f, "--title", "bug"]);
    let checked = json(&["check", f]);
    let keys: Vec<&str> = checked[0]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    assert_eq!(keys, ["intake_record", "severity", "tell_the_boss"]);
    // A field is journaled under the step of this playbook that edits it.
    let set = json(&["issue", "set", f, "--issue", "MINE-1", "severity", "low"]);
    assert_eq!(set["step"], "severity");
    let set = json(&["issue", "set", f, "--issue", "MINE-1", "cve", "requested"]);
    assert_eq!(
        set["step"],
        serde_json::Value::Null,
        "no step of it edits the CVE"
    );

    // A file that is no playbook, or no file at all, makes no project.
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "Playbook(name: \"x\", steps: [Step(kind: nope)])").expect("written");
    let other = dir.path().join("other.embargo.ron");
    let o = embargo(&[
        "new",
        "--name",
        "X",
        "--playbook",
        broken.to_str().expect("utf-8"),
        other.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("broken.ron"));
    let o = embargo(&[
        "new",
        "--name",
        "X",
        "--playbook",
        "exim2",
        other.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("neither a built-in playbook"));
    assert!(!other.exists());
}

#[test]
fn every_new_command_has_help_and_usage_errors_exit_2() {
    for cmd in [
        &["issue", "--help"][..],
        &["issue", "add", "--help"],
        &["issue", "list", "--help"],
        &["issue", "show", "--help"],
        &["issue", "set", "--help"],
        &["issue", "note", "--help"],
        &["issue", "delete", "--help"],
        &["publish", "--help"],
        &["milestone", "--help"],
        &["plan", "--help"],
        &["recipients", "--help"],
        &["recipients", "import", "--help"],
        &["recipients", "set", "--help"],
        &["notice-state", "--help"],
        &["settings", "--help"],
    ] {
        let o = embargo(cmd);
        assert_eq!(o.status.code(), Some(0), "{cmd:?}");
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("Usage:"),
            "{cmd:?}"
        );
    }
    // No state to record, no value to set, no instant: usage errors.
    for cmd in [
        &[
            "notice-state",
            "x",
            "--issue",
            "A",
            "--recipient",
            "r@x.example",
        ][..],
        &["issue", "set", "x", "--issue", "A", "severity"],
        &[
            "plan",
            "x",
            "--issue",
            "A",
            "--release",
            "1",
            "--at",
            "tomorrow",
        ],
        &["settings", "x", "--zones", "Mars/Olympus"],
    ] {
        assert_eq!(embargo(cmd).status.code(), Some(2), "{cmd:?}");
    }
}

#[test]
fn every_writer_takes_the_lock_and_refuses_an_invalid_project() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_project(dir.path());
    ok(&["issue", "add", &file, "--title", "bug"]);
    ok(&["recipients", "add", &file, "--address", "sec@one.example"]);
    let writers: [&[&str]; 6] = [
        &[
            "issue", "set", &file, "--issue", "ACME-1", "severity", "high",
        ],
        &["issue", "add", &file, "--title", "another"],
        &[
            "plan",
            &file,
            "--issue",
            "ACME-1",
            "--release",
            "1.0.1",
            "--at",
            "2026-12-01T14:00:00Z",
        ],
        &[
            "recipients",
            "set",
            &file,
            "--recipient",
            "sec@one.example",
            "--encrypt",
        ],
        &[
            "notice-state",
            &file,
            "--issue",
            "ACME-1",
            "--recipient",
            "sec@one.example",
            "--accepted",
        ],
        &["settings", &file, "--release-hour", "15:00"],
    ];
    let before = std::fs::read(&file).expect("read");
    {
        let _held = embargo::adapters::store::ProjectLock::acquire(Path::new(&file), "the test")
            .expect("locked");
        for args in writers {
            let o = embargo(args);
            assert_eq!(o.status.code(), Some(1), "{args:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains("is open in another Embargo"),
                "{args:?}: {err}"
            );
        }
    }
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "nothing changed"
    );
    // A project that does not validate is refused before anything is done.
    let text = String::from_utf8(before)
        .expect("utf-8")
        .replace("cve: ToRequest", "cve: Assigned(id: \"CVE-26-1\")");
    std::fs::write(&file, &text).expect("written");
    for args in writers {
        let o = embargo(args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("is not a CVE ID"), "{args:?}: {err}");
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            text,
            "{args:?}"
        );
    }
    // Reading it is still allowed, as `embargo check` shows its problems.
    ok(&["issue", "list", &file]);
    ok(&["settings", &file]);
}
