//! Notices and exports of issue #22 (items 4, 7, 8 and 10), driven by label
//! against the real SMTP server and GnuPG of tests/support: an address
//! typed into To that is not on the embargo lists is refused before
//! publication, by the app and by `embargo mail` alike; embargoed details
//! about to leave in clear ask first; a certificate whose user IDs do not
//! name its recipient is flagged; an export over an existing file asks
//! first; a step's “Compose…” opens its template, the edited subject and
//! body are what is checked, sent and journaled, and sending settles the
//! step.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use embargo::adapters::store;
use embargo::core::model::{Event, Project, RecipientRole};
use embargo::ui::{Command, EmbargoApp, Startup};

use crate::common::{harness, now};
use crate::support::{self, Gpg, Smtp, SmtpAuth, settle, text, type_into};

const ISSUE: &str = "POSTBOTE-2";

/// The command of an export to a path.
type Export = fn(PathBuf) -> Command;

/// The example project saved in `dir`, without a signing key (the
/// example's lives in its author's gpg-agent) and without an SMTP login,
/// changed by `edit`; its file.
fn example_in(dir: &Path, edit: impl FnOnce(&mut Project)) -> PathBuf {
    let path = dir.join("postbote.embargo.ron");
    let mut p = store::example().expect("example");
    p.signing = None;
    p.mail.smtp_user.clear();
    edit(&mut p);
    store::save(&path, &p).expect("saved");
    path
}

/// The app on `file`, its notice window open on `template`.
fn compose(file: &Path, template: &str) -> Harness<'static, EmbargoApp> {
    let mut h = harness(Startup::File(file.to_owned()));
    assert_eq!(h.state().view.selected_issue.as_deref(), Some(ISSUE));
    support::compose_notice(&mut h, template);
    h
}

/// Press the button `label` and wait for what it starts.
fn press(h: &mut Harness<'_, EmbargoApp>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    settle(h);
}

/// `embargo mail FILE --issue POSTBOTE-2 ARGS` at the tests' clock, with
/// `stdin` on its standard input and GnuPG in `gnupghome` if given.
fn cli(file: &Path, args: &[&str], stdin: &str, gnupghome: Option<&Path>) -> std::process::Output {
    cli_at(now(), file, args, stdin, gnupghome)
}

/// [`cli`] at the instant `at`.
fn cli_at(
    at: chrono::DateTime<chrono::Utc>,
    file: &Path,
    args: &[&str],
    stdin: &str,
    gnupghome: Option<&Path>,
) -> std::process::Output {
    let mut all = vec!["mail", file.to_str().expect("utf-8"), "--issue", ISSUE];
    all.extend(args);
    support::embargo_with_fd3(&all, stdin, None, |cmd| {
        cmd.env("EMBARGO_NOW", at.to_rfc3339());
        if let Some(home) = gnupghome {
            cmd.env("GNUPGHOME", home);
        }
    })
}

/// Select the step with `key` of the selected issue.
fn select_step(h: &mut Harness<'_, EmbargoApp>, key: &str) {
    let index = {
        let doc = h.state().doc.as_ref().expect("open");
        doc.playbook
            .steps
            .iter()
            .position(|s| s.key() == key)
            .expect("the playbook has the step")
    };
    send(h, Command::SelectStep(index));
}

/// Send `command` to the app and draw the frames after it.
fn send(h: &mut Harness<'_, EmbargoApp>, command: Command) {
    h.state_mut().send(command);
    h.step();
    settle(h);
}

/// Press the step's “Compose…” button, scrolled into view first.
fn press_compose(h: &mut Harness<'_, EmbargoApp>) {
    h.get_by_label("Compose…").scroll_to_me();
    h.run();
    press(h, "Compose…");
}

fn journal(h: &Harness<'_, EmbargoApp>) -> Vec<embargo::core::model::JournalEntry> {
    let doc = h.state().doc.as_ref().expect("open");
    doc.project.issue(ISSUE).expect("issue").journal.clone()
}

/// Item 4: the announcement once went to addresses typed into To days
/// before the release. A typed address that is not on the issue's embargo
/// lists is refused before publication, with a message naming it and where
/// to register it; no reason lets it through; `embargo mail` refuses it
/// the same way, with the same words.
#[test]
fn a_typed_address_outside_the_embargo_lists_is_refused_before_publication() {
    let smtp = Smtp::start(SmtpAuth::None);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_in(dir.path(), |_| {});
    let mut h = compose(&file, "advance-notice");
    type_into(&mut h, "SMTP server", &smtp.address());
    type_into(
        &mut h,
        "To (names, roles or addresses; empty: the template's)",
        "maintainers, users@lists.postbote.example",
    );
    let refusal = "outside-embargo: users@lists.postbote.example is not on the embargo lists";
    assert!(
        h.query_by_label_contains(refusal).is_some(),
        "the refusal is shown"
    );
    assert!(
        h.query_all_by_label_contains("register it there with its role first")
            .count()
            > 0
    );
    h.get_by_label("Send").click();
    h.step();
    settle(&mut h);
    assert!(
        h.query_by_label("Reason (journaled)").is_none(),
        "no reason can let it pass"
    );
    assert!(smtp.received().is_empty(), "nothing left");
    // Only the example's own advance notice of 2026-11-17 is journaled.
    assert_eq!(
        journal(&h)
            .iter()
            .filter(|e| matches!(e.event, Event::MailSent { .. }))
            .count(),
        1
    );
    // A typed address of a registered public list is that list, and waits
    // for publication.
    type_into(
        &mut h,
        "To (names, roles or addresses; empty: the template's)",
        "oss-security@lists.openwall.com",
    );
    assert!(
        h.query_by_label_contains("public-before-release: the `advance-notice` mail would reach")
            .is_some()
    );
    drop(h);

    let addr = smtp.address();
    let o = cli(
        &file,
        &[
            "--template",
            "advance-notice",
            "--to",
            "maintainers, users@lists.postbote.example",
            "--send",
            "--smtp",
            &addr,
            "--before-publication",
            "--reason",
            "the list asked for it",
        ],
        "",
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains(refusal), "{err}");
    assert!(smtp.received().is_empty(), "nothing left");
    // The lists themselves still get it.
    let o = cli(
        &file,
        &["--template", "advance-notice", "--send", "--smtp", &addr],
        "",
        None,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(smtp.received().len(), 1);
}

/// Item 7: embargoed details to a support customer about to leave signed
/// at most, not encrypted: the app says so and asks; Cancel sends nothing,
/// “Send unencrypted” sends it. `embargo mail` says the same as a warning.
#[test]
fn embargoed_details_about_to_leave_in_clear_ask_first() {
    let smtp = Smtp::start(SmtpAuth::None);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_in(dir.path(), |_| {});
    let mut h = compose(&file, "customer-notice");
    type_into(&mut h, "SMTP server", &smtp.address());
    let said = "the `customer-notice` mail carries embargoed details but goes out unencrypted to secops@northwind.example";
    assert!(h.query_by_label_contains(said).is_some(), "warned up front");
    h.get_by_label("Send").click();
    h.run();
    assert!(h.query_by_label("Send unencrypted").is_some(), "asked");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.query_by_label("Send unencrypted").is_none());
    assert!(smtp.received().is_empty(), "nothing left on Cancel");
    h.get_by_label("Send").click();
    h.run();
    press(&mut h, "Send unencrypted");
    assert_eq!(smtp.received().len(), 1, "{:?}", h.state().error);
    drop(h);

    let out = dir.path().join("out");
    let o = cli(
        &file,
        &[
            "--template",
            "customer-notice",
            "--eml",
            out.to_str().expect("utf-8"),
        ],
        "",
        None,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(&format!("warning: {said}")),
        "{}",
        text(&o.stderr)
    );
}

/// Item 7: the distros list's entry holds a vendor's certificate. The
/// recipients window and the notice window flag it, and `embargo mail`
/// warns, all from the certificate's own user IDs.
#[test]
fn a_certificate_that_does_not_name_its_recipient_is_flagged() {
    let gpg = Gpg::new();
    let (_, key) = gpg.sender_key_file();
    let vendor = gpg.recipient_with_cert("Vendor", "sec@vendor.example", RecipientRole::Vendor);
    let dir = tempfile::tempdir().expect("temp dir");
    // The keys are made now: the command line runs an hour later, a week
    // before the release.
    let (later, release) = support::now_and_release();
    let file = example_in(dir.path(), |p| {
        p.signing = Some(key);
        for r in &mut p.releases {
            if r.issues.iter().any(|i| i == ISSUE) {
                r.planned = Some(release);
                r.milestones.clear();
            }
        }
        p.recipients.retain(|r| r.role == RecipientRole::Distros);
        // No patch to attach: the example's repository is not here.
        if let Some(i) = p.issue_mut(ISSUE) {
            i.fix_commits.clear();
        }
        let distros = &mut p.recipients[0];
        distros.cert = vendor.cert.clone();
        distros.cert_fingerprint = vendor.cert_fingerprint.clone();
    });
    let flag =
        "the certificate of distros@vs.openwall.org names sec@vendor.example in its user IDs";
    let mut h = harness(Startup::File(file.clone()));
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Recipients…").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains(flag).is_some(),
        "flagged in the recipients window"
    );
    h.get_by_label("Cancel").click();
    h.run();
    support::compose_notice(&mut h, "distros-notice");
    settle(&mut h);
    assert!(
        h.query_by_label_contains(flag).is_some(),
        "flagged in the notice window"
    );
    drop(h);

    let out = dir.path().join("out");
    let o = cli_at(
        later,
        &file,
        &[
            "--template",
            "distros-notice",
            "--eml",
            out.to_str().expect("utf-8"),
            "--passphrase-fd",
            "0",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(&format!("warning: {flag}")),
        "{}",
        text(&o.stderr)
    );
    // `embargo recipients` says so when the certificate is imported.
    let cert = gpg.export_cert(vendor.cert_fingerprint.as_deref().expect("fingerprint"));
    let o = support::embargo_with_fd3(
        &[
            "recipients",
            "add",
            file.to_str().expect("utf-8"),
            "--address",
            "linux-distros@vs.openwall.org",
            "--role",
            "distros",
            "--cert",
            cert.to_str().expect("utf-8"),
        ],
        "",
        None,
        |_| {},
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains(
            "warning: the certificate of linux-distros@vs.openwall.org names sec@vendor.example"
        ),
        "{}",
        text(&o.stderr)
    );
}

/// Item 8: the CVE record export once silently overwrote a file. Every
/// export of the app (CVE record, calendar, write-up) over an existing file
/// asks first; Cancel keeps the file, Replace writes the export.
#[test]
fn an_export_over_an_existing_file_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("openssl-like.embargo.ron");
    let mut project = store::example().expect("example loads");
    project.playbook = embargo::core::model::PlaybookRef::Builtin("openssl".into());
    store::save(&file, &project).expect("saved");
    let mut h = harness(Startup::File(file));
    send(&mut h, Command::SelectIssue("POSTBOTE-1".into()));
    select_step(&mut h, "cve_record");
    let out = dir.path().join("record.json");
    std::fs::write(&out, "keep me\n").expect("written");
    let export = |h: &mut Harness<'_, EmbargoApp>| {
        h.get_by_label("Export the CVE record…").click();
        h.run();
        type_into(h, "Path", out.to_str().expect("utf-8"));
        press(h, "Save");
    };
    export(&mut h);
    let question = format!("{} exists already. Replace it", out.display());
    assert!(h.query_by_label_contains(&question).is_some(), "asked");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&out).expect("kept"), "keep me\n");
    export(&mut h);
    press(&mut h, "Replace");
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("written")).expect("json");
    assert_eq!(record["cveMetadata"]["cveId"], "CVE-2026-31122");

    // The calendar and the write-up ask the same way.
    let exports: [(&str, Export); 2] = [
        ("timeline.ics", Command::WriteCalendar),
        ("writeup.md", Command::WriteWriteUp),
    ];
    for (what, command) in exports {
        let target = dir.path().join(what);
        std::fs::write(&target, "keep me\n").expect("written");
        send(&mut h, Command::ShowWriteUp);
        h.state_mut().send(command(target.clone()));
        h.step();
        settle(&mut h);
        let question = format!("{} exists already. Replace it", target.display());
        assert!(h.query_by_label_contains(&question).is_some(), "{what}");
        assert_eq!(std::fs::read_to_string(&target).expect("kept"), "keep me\n");
        press(&mut h, "Replace");
        assert_ne!(
            std::fs::read_to_string(&target).expect("written"),
            "keep me\n"
        );
    }
    // A new name is written without a question.
    let fresh = dir.path().join("fresh.ics");
    h.state_mut().send(Command::WriteCalendar(fresh.clone()));
    h.step();
    settle(&mut h);
    assert!(h.query_by_label("Replace").is_none());
    assert!(fresh.exists());
}

/// Item 10: the advance-notice step has a “Compose…” button that opens the
/// notice window on its template. The subject and body start as rendered
/// and are edited there; the edit is what is checked (a distros notice
/// without `[vs]` is refused), what arrives and what is journaled, and
/// sending it settles the step.
#[test]
fn a_step_composes_its_notice_and_the_edited_text_is_what_leaves() {
    let smtp = Smtp::start(SmtpAuth::None);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_in(dir.path(), |_| {});
    let mut h = harness(Startup::File(file));
    select_step(&mut h, "advance_notice");
    let marked = |h: &Harness<'_, EmbargoApp>| {
        let doc = h.state().doc.as_ref().expect("open");
        let issue = doc.project.issue(ISSUE).expect("issue");
        embargo::core::playbook::step_states(&doc.project, issue, &doc.playbook, now())
            .iter()
            .any(|s| s.step.key() == "advance_notice" && s.marked)
    };
    assert!(!marked(&h), "the step is open before the mail leaves");
    press_compose(&mut h);
    let form = h.state().view.mail.compose.clone().expect("opened");
    assert_eq!(form.template, "advance-notice");
    let edit = form.edit.expect("the rendered text is the start");
    assert!(
        edit.subject.contains("security release 4.12.3"),
        "{}",
        edit.subject
    );
    assert!(!edit.changed);

    // The edit is what is checked.
    h.state_mut()
        .view
        .mail
        .compose
        .as_mut()
        .expect("open")
        .template = "distros-notice".into();
    h.run();
    type_into(&mut h, "Subject", "Postbote: a security release is coming");
    assert!(
        h.query_by_label_contains("vs-subject: the mail goes to distros@vs.openwall.org")
            .is_some()
    );
    h.state_mut()
        .view
        .mail
        .compose
        .as_mut()
        .expect("open")
        .template = "advance-notice".into();
    h.run();

    let subject = "Postbote 4.12.3: a security release, in our own words";
    let body = "Hello maintainers,\n\nOur own words about the coming release.\n";
    type_into(&mut h, "Subject", subject);
    type_into(&mut h, "Body", body);
    // Typing elsewhere, the recipients too, keeps the edit.
    type_into(
        &mut h,
        "To (names, roles or addresses; empty: the template's)",
        "maintainers",
    );
    type_into(&mut h, "SMTP server", &smtp.address());
    assert_eq!(h.get_by_label("Subject").value().as_deref(), Some(subject));
    assert_eq!(h.get_by_label("Body").value().as_deref(), Some(body));
    press(&mut h, "Send");
    let got = smtp.received();
    assert_eq!(got.len(), 1, "{:?}", h.state().view.mail.compose);
    let m = mailparse::parse_mail(&got[0].0).expect("parses");
    use mailparse::MailHeaderMap;
    assert_eq!(
        m.headers.get_first_value("Subject").as_deref(),
        Some(subject)
    );
    assert!(
        m.get_body()
            .expect("body")
            .contains("Our own words about the coming release."),
        "{}",
        m.get_body().expect("body")
    );

    let journal = journal(&h);
    let sent = journal
        .iter()
        .find(|e| matches!(&e.event, Event::MailSent { subject: s, .. } if s == subject))
        .expect("the edited subject is journaled");
    assert!(sent.note.contains("edited"), "{}", sent.note);
    let last = journal.last().expect("entries");
    assert_eq!(last.event, Event::StepDone);
    assert_eq!(
        last.step.as_deref(),
        Some("advance_notice"),
        "the step is settled"
    );
    let doc = h.state().doc.as_ref().expect("open");
    let issue = doc.project.issue(ISSUE).expect("issue");
    let states = embargo::core::playbook::step_states(&doc.project, issue, &doc.playbook, now());
    let step = states
        .iter()
        .find(|s| s.step.key() == "advance_notice")
        .expect("the step");
    assert!(step.marked, "{}", step.status);
    assert!(
        matches!(
            step.status,
            embargo::core::playbook::Status::Done | embargo::core::playbook::Status::Warning(_)
        ),
        "{}",
        step.status
    );
}

/// Item 10: the rendered text an edit starts from is the one that would be
/// sent: the project's own template (`templates/NAME.txt.j2` beside the
/// project file) when it has one, not the shipped text.
#[test]
fn the_notice_window_starts_from_the_projects_own_template() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_in(dir.path(), |_| {});
    std::fs::create_dir(dir.path().join("templates")).expect("dir");
    std::fs::write(
        dir.path().join("templates/advance-notice.txt.j2"),
        "Subject: [own] {{ project }} {{ release.version }}\n\nOur own template.\n",
    )
    .expect("written");
    let h = compose(&file, "advance-notice");
    assert_eq!(
        h.get_by_label("Subject").value().as_deref(),
        Some("[own] Postbote 4.12.3")
    );
    let body = h.get_by_label("Body").value().unwrap_or_default();
    assert_eq!(body, "Our own template.\n");
}

/// Item 10: every step kind that sends a notice has a “Compose…” button
/// opening its own template, and a step that sends none has no button.
#[test]
fn every_notice_step_has_a_compose_button_with_its_template() {
    let mut h = harness(Startup::Example);
    let count = {
        let doc = h.state().doc.as_ref().expect("open");
        doc.playbook.steps.len()
    };
    let mut seen = 0;
    for i in 0..count {
        send(&mut h, Command::SelectStep(i));
        let kind = h.state().doc.as_ref().expect("open").playbook.steps[i].kind;
        let template = embargo::core::notice::step_template(kind);
        assert_eq!(
            h.query_by_label("Compose…").is_some(),
            template.is_some(),
            "{kind:?}"
        );
        if let Some(t) = template {
            press_compose(&mut h);
            let form = h
                .state()
                .view
                .mail
                .compose
                .clone()
                .unwrap_or_else(|| panic!("the notice window opens for {kind:?}"));
            assert_eq!(form.template, t, "{kind:?}");
            h.state_mut().view.mail.compose = None;
            h.run();
            seen += 1;
        }
    }
    assert!(
        seen >= 4,
        "the example's playbook sends notices from {seen} steps"
    );
}

/// #24 item 3: the example's maintainers were told severity High by the
/// advance notice; the issue is Critical now. The notice window lists the
/// correction to send (who, what, old -> new), and its button drafts the
/// `correction` mail to exactly them, saying what changed; sent, it is
/// recorded and nothing is left to correct.
#[test]
fn corrections_to_send_are_listed_and_the_button_drafts_the_correction() {
    let smtp = Smtp::start(SmtpAuth::None);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_in(dir.path(), |_| {});
    let mut h = compose(&file, "advance-notice");
    assert!(h.query_by_label("Corrections to send").is_some());
    let listed = "⚠ maintainers@postbote.example was told by the `advance-notice` mail on \
                  2026-11-17: severity High -> Critical";
    assert!(
        h.query_by_label(listed).is_some(),
        "the correction is listed"
    );
    h.get_by_label("Draft the correction").click();
    h.run();
    let form = h.state().view.mail.compose.clone().expect("open");
    assert_eq!(form.template, "correction");
    assert!(form.to.is_empty(), "to everyone listed");
    let edit = form.edit.expect("rendered");
    assert_eq!(edit.subject, "[vs] Correction: embargoed Postbote issue");
    assert!(
        edit.body.contains("  Severity: High -> Critical\n"),
        "{}",
        edit.body
    );
    assert!(
        edit.body
            .contains("Disclosure-Date: 2026-12-01T14:00:00Z\n"),
        "{}",
        edit.body
    );
    assert!(
        h.query_by_label_contains("<maintainers@postbote.example>")
            .is_some()
    );
    assert!(
        h.get_by_label("Draft the correction")
            .accesskit_node()
            .is_disabled(),
        "drafted already"
    );
    // Sent (the maintainers list gets it in clear, as it gets every
    // notice; the app asks first), it is recorded.
    type_into(&mut h, "SMTP server", &smtp.address());
    press(&mut h, "Send");
    if h.query_by_label("Send unencrypted").is_some() {
        press(&mut h, "Send unencrypted");
    }
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].1["rcpt_tos"],
        serde_json::json!(["maintainers@postbote.example"])
    );
    assert!(text(&got[0].0).contains("Severity: High -> Critical"));
    assert!(
        h.query_by_label("Corrections to send").is_none(),
        "nothing left"
    );
    let last = journal(&h).last().cloned().expect("entry");
    assert!(
        last.note.contains("tells severity High -> Critical"),
        "{}",
        last.note
    );
}

/// The Due window lists the corrections to send too, and its button opens
/// the notice window on the correction of that issue.
#[test]
fn the_due_window_lists_the_correction_and_drafts_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = example_in(dir.path(), |_| {});
    let mut h = harness(Startup::File(file));
    send(&mut h, Command::ToggleDue);
    assert!(h.query_by_label("Corrections to send").is_some());
    assert!(
        h.query_by_label_contains(
            "maintainers@postbote.example was told by the `advance-notice` mail"
        )
        .is_some()
    );
    h.get_by_label("Draft the correction for POSTBOTE-2")
        .click();
    h.step();
    settle(&mut h);
    let form = h
        .state()
        .view
        .mail
        .compose
        .clone()
        .expect("the notice window opens");
    assert_eq!(form.issue, ISSUE);
    assert_eq!(form.template, "correction");
    let edit = form.edit.expect("rendered");
    assert!(
        edit.body.contains("  Severity: High -> Critical\n"),
        "{}",
        edit.body
    );
}
