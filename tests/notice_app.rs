//! The app's notice window (Project › Compose notice…) driven with
//! egui_kittest against the real SMTP server and the real GnuPG of
//! tests/support: Send delivers a signed and encrypted notice that
//! `gpg --decrypt` opens (with the release's patch attached inside the
//! encryption, byte for byte), Save .eml writes a signed mail that
//! `gpg --verify` accepts, and the app decides what `embargo mail` decides
//! (one workflow): an override that cannot be read, a server without a
//! port and a project without a server are refused, and a failed send
//! keeps its draft in `drafts/` beside the project.

mod support;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::DateTime;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use embargo::adapters::store;
use embargo::core::model::{Event, Project, Recipient, RecipientRole, ShareState};
use embargo::core::ports::FixedClock;
use embargo::ui::{Command, EmbargoApp, Startup};

use support::{Gpg, Smtp, SmtpAuth, free_port, settle, text, type_into};

const ISSUE: &str = "POSTBOTE-2";

use support::NoticeFixture as Fixture;

impl Fixture {
    fn with(edit: impl FnOnce(&mut Project)) -> Self {
        Self::new(ISSUE, edit)
    }

    /// The app on this project, its notice window open on `template`.
    fn app(&self, template: &str) -> Harness<'static, EmbargoApp> {
        self.app_on(Startup::File(self.file()), template)
    }

    /// The app started on `startup`, its notice window open on `template`.
    fn app_on(&self, startup: Startup, template: &str) -> Harness<'static, EmbargoApp> {
        let now = self.now;
        let mut h = Harness::builder()
            .with_size([1400.0, 1000.0])
            .build_eframe(move |cc| {
                EmbargoApp::new(&cc.egui_ctx, startup, Arc::new(FixedClock(now)), None)
            });
        settle(&mut h);
        assert_eq!(
            h.state().view.selected_issue.as_deref(),
            Some(ISSUE),
            "opens on the issue"
        );
        support::compose_notice(&mut h, template);
        h
    }

    /// `embargo mail` on the same project, for the same decision.
    fn cli(&self, args: &[&str]) -> std::process::Output {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_embargo"))
            .arg("mail")
            .arg(self.file())
            .args(["--issue", ISSUE])
            .args(args)
            .env("EMBARGO_NOW", self.now.to_rfc3339())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the binary runs");
        support::bounded(child)
    }
}

/// Press the button `label` and wait for its job.
fn press(h: &mut Harness<'_, EmbargoApp>, label: &str) {
    h.get_by_label(label).click();
    h.step();
    settle(h);
}

/// What the notice window says about its last job.
fn outcome(h: &Harness<'_, EmbargoApp>) -> Result<String, String> {
    h.state()
        .view
        .mail
        .compose
        .as_ref()
        .expect("the notice window is open")
        .outcome
        .clone()
        .expect("the job said something")
}

fn header(m: &mailparse::ParsedMail<'_>, name: &str) -> Option<String> {
    use mailparse::MailHeaderMap;
    m.headers.get_first_value(name)
}

/// A project signing with a key file (passphrase `s3cret`) made in `gpg`.
fn signing(gpg: &Gpg, edit: impl FnOnce(&mut Project, &Gpg)) -> (Fixture, String) {
    let (sender, key) = gpg.sender_key_file();
    let f = Fixture::with(|p| {
        p.signing = Some(key);
        edit(p, gpg);
    });
    (f, sender)
}

#[test]
fn send_from_the_app_delivers_an_encrypted_notice_that_gpg_decrypts() {
    let smtp = Smtp::start(SmtpAuth::None);
    let gpg = Gpg::new();
    let (f, _) = signing(&gpg, |p, gpg| {
        let mut distros = gpg.recipient_with_cert(
            "Openwall distros",
            "distros@vs.openwall.org",
            RecipientRole::Distros,
        );
        distros.must_encrypt = true;
        p.recipients.push(distros);
        p.recipients.push(gpg.recipient_with_cert(
            "Vendor",
            "sec@vendor.example",
            RecipientRole::Vendor,
        ));
    });
    // The release's patch, as the build wrote and recorded it: the app
    // attaches it through the workflow `embargo mail` runs.
    let patch = b"diff --git a/src/auth.c b/src/auth.c\n-\tlen = (n * 3) / 4;  \n+\tlen = ((n + 3) / 4) * 3;\r\n";
    std::fs::write(f.dir.path().join("fix.patch"), patch).expect("written");
    let mut p = f.project();
    p.releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == ISSUE))
        .expect("planned")
        .artifacts
        .push(embargo::core::model::Artifact {
            path: "fix.patch".into(),
            kind: embargo::core::model::ArtifactKind::Patch,
            size: patch.len() as u64,
            sha256: {
                use sha2::Digest as _;
                sha2::Sha256::digest(patch)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            },
            signature: None,
            signer: None,
        });
    store::save(&f.file(), &p).expect("saved");
    let mut h = f.app("distros-notice");
    assert!(h.query_by_label("PGP/MIME signed and encrypted").is_some());
    assert!(
        h.query_by_label("postbote-CVE-2026-41807.patch (encrypted with the mail)")
            .is_some(),
        "the notice window says what it attaches"
    );
    type_into(&mut h, "SMTP server", &smtp.address());
    type_into(&mut h, "Key passphrase (key files)", "s3cret");
    press(&mut h, "Send");
    let said = outcome(&h).expect("sent");
    assert!(said.starts_with("sent signed and encrypted mail"), "{said}");
    assert!(
        h.state().view.mail.passphrase.is_empty(),
        "the passphrase left its field"
    );

    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let (raw, envelope) = &got[0];
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["distros@vs.openwall.org", "sec@vendor.example"])
    );
    assert!(!text(raw).contains("sec@vendor.example"), "Bcc leaked");
    let m = mailparse::parse_mail(raw).expect("parses");
    // The unencrypted Subject names neither severity, CVE nor component.
    assert_eq!(
        header(&m, "Subject").expect("subject"),
        "[vs] Embargoed Postbote issue"
    );
    assert!(
        header(&m, "From")
            .expect("from")
            .ends_with("<security@postbote.example>"),
    );
    assert_eq!(m.ctype.mimetype, "multipart/encrypted");
    assert_eq!(m.subparts.len(), 2);
    let armored = m.subparts[1].get_body_raw().expect("armored");
    let d = gpg.run(&["--decrypt"], Some(&armored));
    let stderr = text(&d.stderr);
    assert!(d.status.success(), "{stderr}");
    assert!(stderr.contains("Good signature"), "{stderr}");
    let mixed = mailparse::parse_mail(&d.stdout).expect("inner part parses");
    assert_eq!(mixed.ctype.mimetype, "multipart/mixed");
    assert_eq!(mixed.subparts[1].get_body_raw().expect("patch"), patch);
    assert_eq!(mixed.subparts[1].ctype.mimetype, "text/x-diff");
    let inner = &mixed.subparts[0];
    assert_eq!(inner.ctype.mimetype, "text/plain");
    let release_at = f.release.format("%Y-%m-%d %H:%M UTC").to_string();
    assert!(
        inner
            .get_body()
            .expect("body")
            .contains(&format!("Planned public disclosure: {release_at}")),
    );

    // Recorded as the CLI records it: the recipient's state and the journal.
    let message_id = header(&m, "Message-ID").expect("message id");
    let doc = h.state().doc.as_ref().expect("open");
    let issue = doc.project.issue(ISSUE).expect("issue");
    let state = issue.notice("distros@vs.openwall.org").expect("notified");
    assert_eq!(state.message_id, message_id);
    assert!(state.notified_at.is_some());
    assert!(
        issue
            .journal
            .iter()
            .any(|e| matches!(e.event, Event::MailSent { .. })),
    );
}

#[test]
fn save_eml_from_the_app_writes_a_signed_mail_that_gpg_verifies() {
    let gpg = Gpg::new();
    let (f, sender) = signing(&gpg, |p, _| {
        p.recipients.push(Recipient::new(
            "Customer",
            "it@customer.example",
            RecipientRole::SupportCustomer,
        ));
    });
    let out = tempfile::tempdir().expect("dir");
    let mut h = f.app("customer-notice");
    type_into(&mut h, "Save .eml in", out.path().to_str().expect("utf-8"));
    type_into(&mut h, "Key passphrase (key files)", "s3cret");
    press(&mut h, "Save .eml");
    // The customer's notice carries embargoed details and is not encrypted:
    // the app asks first (issue #22, item 7).
    press(&mut h, "Save unencrypted");
    let said = outcome(&h).expect("saved");
    assert!(said.starts_with("saved signed mail"), "{said}");
    let files: Vec<PathBuf> = std::fs::read_dir(out.path())
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert_eq!(files.len(), 1, "one .eml and no temporary file: {files:?}");
    let path = &files[0];
    assert!(path.extension().is_some_and(|e| e == "eml"), "{path:?}");
    assert_eq!(support::mode(path), 0o600, "a mail holds embargoed text");
    let raw = std::fs::read(path).expect("saved");
    let m = mailparse::parse_mail(&raw).expect("parses");
    assert_eq!(
        header(&m, "Bcc").as_deref(),
        Some("Customer <it@customer.example>")
    );
    assert_eq!(m.ctype.mimetype, "multipart/signed");
    // The signed part and its signature, as gpg checks a PGP/MIME mail.
    let boundary = m.ctype.params.get("boundary").expect("boundary").clone();
    let delim = format!("\r\n--{boundary}\r\n");
    let find = |needle: &[u8], from: usize| {
        raw[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
            .expect("found")
    };
    let first = find(delim.as_bytes(), 0) + delim.len();
    let second = find(delim.as_bytes(), first);
    let sig_start = find(b"-----BEGIN PGP SIGNATURE-----", second);
    let end = b"-----END PGP SIGNATURE-----";
    let sig_end = find(end, sig_start) + end.len();
    let work = gpg.work();
    std::fs::write(work.join("part"), &raw[first..second]).expect("written");
    std::fs::write(work.join("part.asc"), &raw[sig_start..sig_end]).expect("written");
    let v = gpg.run(
        &[
            "--status-fd",
            "1",
            "--verify",
            work.join("part.asc").to_str().expect("utf-8"),
            work.join("part").to_str().expect("utf-8"),
        ],
        None,
    );
    let status = text(&v.stdout);
    assert!(v.status.success(), "{}", text(&v.stderr));
    assert!(status.contains(&format!("VALIDSIG {sender}")), "{status}");
    // Saving is not sending: journaled as a file, no one notified.
    let doc = h.state().doc.as_ref().expect("open");
    let issue = doc.project.issue(ISSUE).expect("issue");
    // What it tells is remembered as saved, as `embargo mail --eml` does.
    let n = issue.notice("it@customer.example").expect("told recorded");
    assert_eq!(n.notified_at, None);
    assert!(n.told.as_ref().is_some_and(|t| t.saved), "{n:?}");
    assert!(issue.journal.iter().any(|e| e.event
        == Event::ArtifactMade {
            path: path.display().to_string()
        }));
}

#[test]
fn the_app_refuses_an_override_it_cannot_read_as_the_cli_does() {
    let f = Fixture::with(|_| {});
    // The override exists but is a directory: neither front end falls back
    // to the shipped text.
    std::fs::create_dir_all(f.dir.path().join("templates/advance-notice.txt.j2")).expect("dir");
    let out = tempfile::tempdir().expect("dir");
    let mut h = f.app("advance-notice");
    type_into(&mut h, "Save .eml in", out.path().to_str().expect("utf-8"));
    // The preview renders the project's own template, as the job does
    // (issue #22, item 10: the rendered text is where an edit starts), so
    // the refusal shows before anything is pressed, and Save .eml does
    // nothing.
    let shown = h.query_all_by_label_contains("cannot read the template override");
    assert_eq!(shown.count(), 1, "the refusal is shown");
    assert!(
        h.query_by_label_contains("templates/advance-notice.txt.j2")
            .is_some(),
        "it names the file"
    );
    press(&mut h, "Save .eml");
    let form = h.state().view.mail.compose.as_ref().expect("open");
    assert!(form.outcome.is_none(), "{:?}", form.outcome);
    assert_eq!(std::fs::read_dir(out.path()).expect("dir").count(), 0);
    drop(h);
    let o = f.cli(&[
        "--template",
        "advance-notice",
        "--eml",
        out.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("cannot read the template override"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn the_app_refuses_a_server_without_a_port_and_a_project_without_one_as_the_cli_does() {
    let smtp = Smtp::start(SmtpAuth::None);
    // The project's own server is the test's: a host typed without its
    // port must not silently go there.
    let f = Fixture::with(|p| {
        p.mail.smtp_host = "127.0.0.1".into();
        p.mail.smtp_port = smtp.port;
    });
    let mut h = f.app("advance-notice");
    type_into(&mut h, "SMTP server", "127.0.0.1");
    press(&mut h, "Send");
    let e = outcome(&h).expect_err("refused");
    assert!(e.contains("`127.0.0.1` is not HOST:PORT"), "{e}");
    assert!(smtp.received().is_empty(), "nothing left");
    assert!(f.entries("drafts").is_empty(), "nothing to keep");
    drop(h);
    let o = f.cli(&[
        "--template",
        "advance-notice",
        "--send",
        "--smtp",
        "127.0.0.1",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("`127.0.0.1` is not HOST:PORT"),
        "{}",
        text(&o.stderr)
    );
    assert!(smtp.received().is_empty());

    // A project without a server, and nothing typed.
    let mut p = f.project();
    p.mail.smtp_host.clear();
    store::save(&f.file(), &p).expect("saved");
    let mut h = f.app("advance-notice");
    press(&mut h, "Send");
    let e = outcome(&h).expect_err("refused");
    assert!(e.contains("the project has no SMTP server"), "{e}");
    drop(h);
    let o = f.cli(&["--template", "advance-notice", "--send"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("the project has no SMTP server"),
        "{}",
        text(&o.stderr)
    );
    assert!(f.entries("drafts").is_empty());
    assert!(smtp.received().is_empty());
}

#[test]
fn a_failed_send_from_the_app_keeps_the_draft_beside_the_project() {
    let f = Fixture::with(|_| {});
    let mut h = f.app("advance-notice");
    type_into(&mut h, "SMTP server", &format!("127.0.0.1:{}", free_port()));
    press(&mut h, "Send");
    let e = outcome(&h).expect_err("not sent");
    assert!(e.contains("cannot connect to the SMTP server"), "{e}");
    let drafts = f.entries("drafts");
    assert_eq!(drafts.len(), 1, "{e}");
    assert!(e.contains(&drafts[0].display().to_string()), "{e}");
    assert!(drafts[0].starts_with(f.dir.path()));
    assert_eq!(support::mode(&drafts[0]), 0o600);
    let m_raw = std::fs::read(&drafts[0]).expect("draft");
    let m = mailparse::parse_mail(&m_raw).expect("parses");
    assert!(header(&m, "Subject").expect("subject").contains("4.12.3"));
    // Nothing was recorded as sent: the notice states are the example's.
    let doc = h.state().doc.as_ref().expect("open");
    assert_eq!(
        doc.project.issue(ISSUE).expect("issue").notices,
        store::example()
            .expect("example")
            .issue(ISSUE)
            .expect("issue")
            .notices
    );

    drop(h);

    // A project never saved has no "beside": the mail is not kept anywhere
    // else (it used to go to a shared temporary directory), and the message
    // says to save the project first.
    let temp_drafts = std::env::temp_dir().join("embargo-drafts");
    let before = std::fs::read_dir(&temp_drafts).map_or(0, |d| d.count());
    let mut h = f.app_on(Startup::Example, "advance-notice");
    assert!(h.state().doc.as_ref().expect("open").path.is_none());
    // The example's key lives in the author's gpg-agent: send it unsigned.
    h.state_mut().doc.as_mut().expect("open").project.signing = None;
    h.run();
    type_into(&mut h, "SMTP server", &format!("127.0.0.1:{}", free_port()));
    press(&mut h, "Send");
    let e = outcome(&h).expect_err("not sent");
    assert!(e.contains("cannot connect to the SMTP server"), "{e}");
    assert!(e.contains("save it first"), "{e}");
    assert_eq!(
        std::fs::read_dir(&temp_drafts).map_or(0, |d| d.count()),
        before,
        "nothing kept in a temporary directory"
    );
}

/// Marking the release published in the app expires its download
/// credentials at once, as `embargo share` does once the release is
/// public: the project keeps them as expired, the password files beside
/// the project let nobody in, and the passwords shown are forgotten.
#[test]
fn publishing_in_the_app_expires_the_download_credentials_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("postbote.embargo.ron");
    std::fs::write(&path, store::EXAMPLE.1).expect("example");
    let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("valid")
        .to_utc();
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| {
            EmbargoApp::new(
                &cc.egui_ctx,
                Startup::File(path),
                Arc::new(FixedClock(now)),
                None,
            )
        });
    settle(&mut h);
    h.get_by_label_contains("Embargoed download behind").click();
    h.run();
    press(&mut h, "Make download credentials");
    assert!(!h.state().view.share.shown.is_empty());
    let share_dir = dir.path().join("postbote-4.12.3-share");
    let htpasswd = share_dir.join(".htpasswd");
    assert!(
        !std::fs::read_to_string(&htpasswd)
            .expect("written")
            .is_empty()
    );
    let states = |h: &Harness<'_, EmbargoApp>| -> Vec<ShareState> {
        let doc = h.state().doc.as_ref().expect("open");
        let release = doc.project.release_of(ISSUE).expect("planned");
        release.shares.iter().map(|c| c.state).collect()
    };
    assert!(states(&h).iter().all(|s| *s == ShareState::Active));

    // The release step's "Record as published now" sends this command.
    h.state_mut().send(Command::PublishNow);
    h.step();
    settle(&mut h);
    let after = states(&h);
    assert!(!after.is_empty());
    assert!(after.iter().all(|s| *s == ShareState::Expired), "{after:?}");
    assert_eq!(std::fs::read_to_string(&htpasswd).expect("htpasswd"), "");
    assert_eq!(
        std::fs::read_to_string(share_dir.join(".htdigest")).expect("htdigest"),
        ""
    );
    assert!(
        h.state().view.share.shown.is_empty(),
        "no dead password shown"
    );
    let doc = h.state().doc.as_ref().expect("open");
    let journal = &doc.project.issue(ISSUE).expect("issue").journal;
    assert!(
        journal.iter().any(|e| e.event
            == Event::FieldChanged {
                field: "share credentials".into(),
                value: format!("{} expired: the release is public", after.len()),
            }),
        "journaled"
    );
}
