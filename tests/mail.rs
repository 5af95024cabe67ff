//! `embargo mail` against a real SMTP server on 127.0.0.1 (aiosmtpd, run by
//! tests/support/smtp_sink.py, which saves what it receives) and real
//! GnuPG in a throw-away GNUPGHOME, both from `tests/support`. Received mails are parsed back; an
//! encrypted one must decrypt with `gpg --decrypt` and its signature
//! verify; refused mails (a check, an undefined variable) reach nobody; a
//! failed login or a closed port gives a clear error and keeps the mail as a
//! draft. Every server and gpg-agent is killed when its test ends, and every
//! run of the binary is bounded in time.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{DateTime, Utc};
use embargo::adapters::store;
use embargo::core::model::{
    Artifact, ArtifactKind, Event, KeyLocation, Project, Recipient, RecipientRole, Release,
};

mod support;

use support::{Gpg, Smtp, SmtpAuth, TestCa, bounded, free_port, text};

const ISSUE: &str = "POSTBOTE-2";

use support::NoticeFixture as Fixture;

impl Fixture {
    fn with(edit: impl FnOnce(&mut Project)) -> Self {
        Self::new(ISSUE, edit)
    }

    /// The release instant as the mails state it.
    fn release_at(&self) -> String {
        self.release.format("%Y-%m-%d %H:%M UTC").to_string()
    }

    fn release_date(&self) -> String {
        self.release.format("%Y-%m-%d").to_string()
    }

    /// Change POSTBOTE-2's release in the project file.
    fn edit_release(&self, edit: impl FnOnce(&mut Release)) {
        let mut p = self.project();
        edit(release_of(&mut p));
        store::save(&self.file(), &p).expect("saved");
    }

    fn template(&self, name: &str, text: &str) {
        let d = self.dir.path().join("templates");
        std::fs::create_dir_all(&d).expect("dir");
        std::fs::write(d.join(format!("{name}.txt.j2")), text).expect("written");
    }

    fn drafts(&self) -> Vec<PathBuf> {
        self.entries("drafts")
    }

    /// Run `embargo mail FILE --issue POSTBOTE-2 ARGS`, with `stdin` on fd 0.
    fn mail(&self, args: &[&str], stdin: &str, gnupghome: Option<&Path>) -> Output {
        let file = self.file();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_embargo"));
        cmd.arg("mail")
            .arg(&file)
            .args(["--issue", ISSUE])
            .args(args)
            .env("EMBARGO_NOW", self.now.to_rfc3339())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(h) = gnupghome {
            cmd.env("GNUPGHOME", h);
        }
        let mut child = cmd.spawn().expect("the binary runs");
        let mut input = child.stdin.take().expect("stdin");
        // A mail refused before its key is unlocked exits without reading.
        if let Err(e) = input.write_all(stdin.as_bytes()) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
        drop(input);
        bounded(child)
    }
}

/// POSTBOTE-2's release.
fn release_of(p: &mut Project) -> &mut Release {
    p.releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == ISSUE))
        .expect("planned")
}

/// A release file as `embargo sign` records it.
fn tarball() -> Artifact {
    Artifact {
        path: "/srv/files/postbote-4.12.3.tar.xz".into(),
        kind: ArtifactKind::Tarball,
        size: 1234,
        sha256: "5e".repeat(32),
        signature: Some("/srv/files/postbote-4.12.3.tar.xz.asc".into()),
        signer: None,
    }
}

fn header(m: &mailparse::ParsedMail<'_>, name: &str) -> Option<String> {
    use mailparse::MailHeaderMap;
    m.headers.get_first_value(name)
}

#[test]
fn a_plain_notice_arrives_and_is_recorded() {
    let smtp = Smtp::start(SmtpAuth::None);
    let f = Fixture::with(|_| {});
    let o = f.mail(
        &[
            "--template",
            "advance-notice",
            "--send",
            "--smtp",
            &smtp.address(),
            "--json",
        ],
        "",
        None,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let (raw, envelope) = &got[0];
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["maintainers@postbote.example"])
    );
    let m = mailparse::parse_mail(raw).expect("parses");
    let subject = header(&m, "Subject").expect("subject");
    assert!(
        subject.contains(&format!("4.12.3 on {}", f.release_date())),
        "{subject}"
    );
    let body = m.get_body().expect("body");
    assert!(body.contains(&f.release_at()), "{body}");
    let message_id = header(&m, "Message-ID").expect("message id");
    assert_eq!(out["message_id"], serde_json::json!(message_id.trim()));
    // The journal and the recipient's state know about it.
    let p = f.project();
    let issue = p.issue(ISSUE).expect("issue");
    let n = issue
        .notice("maintainers@postbote.example")
        .expect("state kept");
    assert_eq!(n.message_id, message_id.trim());
    assert_eq!(n.template, "advance-notice");
    assert!(n.notified_at.is_some());
    let last = issue.journal.last().expect("an entry");
    assert!(
        matches!(&last.event, Event::MailSent { subject: s, .. } if *s == subject),
        "{last:?}"
    );
    assert!(last.note.contains(message_id.trim()), "{}", last.note);
}

fn signing_fixture(gpg: &Gpg, edit: impl FnOnce(&mut Project, &Gpg)) -> (Fixture, String) {
    let (sender, key) = gpg.sender_key_file();
    let f = Fixture::with(|p| {
        p.signing = Some(key);
        edit(p, gpg);
    });
    (f, sender)
}

#[test]
fn an_encrypted_vs_notice_decrypts_and_its_signature_verifies() {
    let smtp = Smtp::start(SmtpAuth::None);
    let gpg = Gpg::new();
    let (f, sender) = signing_fixture(&gpg, |p, gpg| {
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
        // No patch to attach (see the patch tests below).
        p.issue_mut(ISSUE).expect("issue").fix_commits.clear();
    });
    let o = f.mail(
        &[
            "--template",
            "distros-notice",
            "--send",
            "--smtp",
            &smtp.address(),
            "--passphrase-fd",
            "0",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let (raw, envelope) = &got[0];
    // The vendor is in the envelope but in no header.
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
    assert_eq!(m.ctype.mimetype, "multipart/encrypted");
    assert_eq!(
        m.ctype.params.get("protocol").map(String::as_str),
        Some("application/pgp-encrypted")
    );
    assert_eq!(m.subparts.len(), 2);
    assert_eq!(m.subparts[0].get_body().expect("v").trim(), "Version: 1");
    let armored = m.subparts[1].get_body_raw().expect("armored");
    assert!(text(&armored).starts_with("-----BEGIN PGP MESSAGE-----"));
    // The vendor (Bcc) is an anonymous recipient: its key ID is not in the
    // message, the list's is.
    let packets = text(&gpg.run(&["--list-packets"], Some(&armored)).stdout);
    let key_ids: Vec<&str> = packets
        .lines()
        .filter_map(|l| l.split("keyid ").nth(1))
        .map(|k| k.split_whitespace().next().unwrap_or(""))
        .collect();
    assert!(key_ids.contains(&"0000000000000000"), "{packets}");
    let vendor_sub = encryption_subkey_id(&gpg, "sec@vendor.example");
    let distros_sub = encryption_subkey_id(&gpg, "distros@vs.openwall.org");
    assert!(!key_ids.contains(&vendor_sub.as_str()), "{packets}");
    assert!(key_ids.contains(&distros_sub.as_str()), "{packets}");
    // The vendor alone, holding only its own key, still decrypts it.
    let vendor_home = Gpg::new();
    let vendor_key = gpg.ok(&[
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--armor",
        "--export-secret-keys",
        "sec@vendor.example",
    ]);
    let mut keys = vendor_key.stdout;
    keys.extend(gpg.export(&sender).into_bytes());
    let imported = vendor_home.run(&["--import"], Some(&keys));
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let alone = vendor_home.run(&["--decrypt"], Some(&armored));
    let said = text(&alone.stderr);
    assert!(alone.status.success(), "{said}");
    assert!(said.contains("anonymous recipient"), "{said}");
    assert!(said.contains("Good signature"), "{said}");
    assert!(text(&alone.stdout).contains("Content-Type: text/plain"));
    let d = gpg.run(&["--decrypt"], Some(&armored));
    let stderr = text(&d.stderr);
    assert!(d.status.success(), "{stderr}");
    assert!(stderr.contains("Good signature"), "{stderr}");
    // The decrypted content is the MIME part with the notice.
    let inner = mailparse::parse_mail(&d.stdout).expect("inner part parses");
    assert_eq!(inner.ctype.mimetype, "text/plain");
    let body = inner.get_body().expect("body");
    assert!(
        body.contains(&format!("Planned public disclosure: {}", f.release_at())),
        "{body}"
    );
}

/// The key ID of the encryption subkey of the key with this user ID.
fn encryption_subkey_id(gpg: &Gpg, uid: &str) -> String {
    let o = gpg.ok(&["--with-colons", "--list-keys", uid]);
    text(&o.stdout)
        .lines()
        .find(|l| l.starts_with("sub:") && l.split(':').nth(11).is_some_and(|c| c.contains('e')))
        .and_then(|l| l.split(':').nth(4))
        .expect("an encryption subkey")
        .to_owned()
}

/// The bytes of the first part of a multipart/signed message, as signed,
/// and the signature.
fn signed_parts(raw: &[u8], boundary: &str) -> (Vec<u8>, Vec<u8>) {
    let delim = format!("\r\n--{boundary}\r\n");
    let s = raw;
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let first = find(s, delim.as_bytes(), 0).expect("first boundary") + delim.len();
    let second = find(s, delim.as_bytes(), first).expect("second boundary");
    let part = s[first..second].to_vec();
    let sig_start = find(s, b"-----BEGIN PGP SIGNATURE-----", second).expect("signature");
    let end = b"-----END PGP SIGNATURE-----";
    let sig_end = find(s, end, sig_start).expect("signature end") + end.len();
    (part, s[sig_start..sig_end].to_vec())
}

#[test]
fn a_signed_mail_saved_as_eml_verifies_and_keeps_its_bcc() {
    let gpg = Gpg::new();
    let (f, sender) = signing_fixture(&gpg, |p, _| {
        p.recipients.push(Recipient::new(
            "Customer",
            "it@customer.example",
            RecipientRole::SupportCustomer,
        ));
    });
    let out = tempfile::tempdir().expect("dir");
    let o = f.mail(
        &[
            "--template",
            "customer-notice",
            "--eml",
            out.path().to_str().expect("utf-8"),
            "--passphrase-fd",
            "0",
            "--json",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let path = PathBuf::from(j["eml"].as_str().expect("eml path"));
    let raw = std::fs::read(&path).expect("saved");
    let m = mailparse::parse_mail(&raw).expect("parses");
    assert_eq!(
        header(&m, "Bcc").as_deref(),
        Some("Customer <it@customer.example>")
    );
    assert_eq!(m.ctype.mimetype, "multipart/signed");
    assert_eq!(
        m.ctype.params.get("micalg").map(String::as_str),
        Some("pgp-sha512")
    );
    let boundary = m.ctype.params.get("boundary").expect("boundary").clone();
    let (part, sig) = signed_parts(&raw, &boundary);
    let work = gpg.work();
    std::fs::write(work.join("part"), &part).expect("written");
    std::fs::write(work.join("part.asc"), &sig).expect("written");
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
    assert!(
        status.contains(&format!("VALIDSIG {sender}")) || status.contains("GOODSIG"),
        "{status}"
    );
    // A changed byte breaks it: the signature covers the part as sent.
    let mut tampered = part.clone();
    let at = tampered.len() - 3;
    tampered[at] ^= 1;
    std::fs::write(work.join("part"), &tampered).expect("written");
    let bad = gpg.run(
        &[
            "--verify",
            work.join("part.asc").to_str().expect("utf-8"),
            work.join("part").to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(!bad.status.success());
    // Saving is not sending: the journal keeps the file, no one is notified.
    // What it tells is remembered, marked as saved (it may be sent from a
    // mail client), and nobody counts as notified.
    let p = f.project();
    let issue = p.issue(ISSUE).expect("issue");
    let n = issue.notice("it@customer.example").expect("told recorded");
    assert_eq!(n.notified_at, None);
    assert!(n.told.as_ref().is_some_and(|t| t.saved), "{n:?}");
    let last = issue.journal.last().expect("entry");
    assert_eq!(
        last.event,
        Event::ArtifactMade {
            path: path.display().to_string()
        }
    );
    assert!(last.note.starts_with("mail draft"), "{}", last.note);
}

#[test]
fn a_vs_mail_without_the_tag_is_refused_and_nothing_leaves() {
    let smtp = Smtp::start(SmtpAuth::None);
    let f = Fixture::with(|p| {
        p.recipients.push(Recipient::new(
            "Openwall distros",
            "distros@vs.openwall.org",
            RecipientRole::Distros,
        ));
    });
    f.template(
        "distros-notice",
        "Subject: {{ project }} security issue\n\nPublic on {{ release.at }}.\n",
    );
    let o = f.mail(
        &[
            "--template",
            "distros-notice",
            "--send",
            "--smtp",
            &smtp.address(),
        ],
        "",
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("vs-subject"), "{err}");
    assert!(err.contains("[vs]"), "{err}");
    assert!(smtp.received().is_empty());
    let before = store::example().expect("example");
    assert_eq!(
        f.project().issue(ISSUE).expect("issue").journal,
        before.issue(ISSUE).expect("issue").journal
    );
}

#[test]
fn an_undefined_template_variable_is_refused_by_name() {
    let smtp = Smtp::start(SmtpAuth::None);
    let f = Fixture::with(|_| {});
    f.template(
        "advance-notice",
        "Subject: notice\n\nRelease {{ release.version }} by {{ release_manager }}.\n",
    );
    let o = f.mail(
        &[
            "--template",
            "advance-notice",
            "--send",
            "--smtp",
            &smtp.address(),
        ],
        "",
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("`release_manager`"), "{err}");
    assert!(smtp.received().is_empty());
    assert!(f.drafts().is_empty());
}

#[test]
fn a_refused_login_keeps_the_mail_as_a_draft() {
    let smtp = Smtp::start(SmtpAuth::Deny);
    let f = Fixture::with(|p| p.mail.smtp_user = "security".into());
    let o = f.mail(
        &[
            "--template",
            "advance-notice",
            "--send",
            "--smtp",
            &smtp.address(),
            "--password-fd",
            "0",
        ],
        "not-the-password\n",
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("refused the login of `security`"), "{err}");
    assert!(
        !err.contains("not-the-password"),
        "the password leaked: {err}"
    );
    assert!(smtp.received().is_empty());
    kept_as_draft(&f, &err);
}

#[test]
fn a_closed_port_keeps_the_mail_as_a_draft() {
    let f = Fixture::with(|_| {});
    let port = free_port();
    let o = f.mail(
        &[
            "--template",
            "advance-notice",
            "--send",
            "--smtp",
            &format!("127.0.0.1:{port}"),
        ],
        "",
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(err.contains("cannot connect to the SMTP server"), "{err}");
    kept_as_draft(&f, &err);
}

fn kept_as_draft(f: &Fixture, err: &str) {
    let drafts = f.drafts();
    assert_eq!(drafts.len(), 1, "{err}");
    assert!(err.contains(&drafts[0].display().to_string()), "{err}");
    let raw = std::fs::read(&drafts[0]).expect("draft");
    let mode = std::fs::metadata(&drafts[0]).expect("draft").permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600,
        "a draft holds embargoed text"
    );
    let m = mailparse::parse_mail(&raw).expect("parses");
    assert!(header(&m, "Subject").expect("subject").contains("4.12.3"));
    assert!(m.get_body().expect("body").contains(&f.release_at()));
    // Nothing was recorded as sent: the notice states are the example's.
    let p = f.project();
    let example = store::example().expect("example");
    assert_eq!(
        p.issue(ISSUE).expect("issue").notices,
        example.issue(ISSUE).expect("issue").notices
    );
}

#[test]
fn every_shipped_template_renders_for_a_planned_issue() {
    use embargo::core::render::mail::{TEMPLATES, render};
    let mut p = store::example().expect("example");
    let playbook = embargo::core::playbook::builtin("exim").expect("builtin");
    let now = DateTime::parse_from_rfc3339("2026-11-23T10:00:00Z")
        .expect("valid")
        .with_timezone(&Utc);
    let issue = p.issue_mut(ISSUE).expect("issue");
    issue
        .step_notes
        .insert("not_security_reply".into(), "it needs local root".into());
    let distros = p.recipients[1].clone();
    let release = p
        .releases
        .iter_mut()
        .find(|r| r.issues.iter().any(|i| i == ISSUE))
        .expect("planned");
    embargo::core::share::add(
        release,
        embargo::adapters::share::credential(&distros.name, "Embargoed release", "7f3k-q9", now)
            .expect("hashed"),
    );
    let issue = p.issue(ISSUE).expect("issue").clone();
    for t in &TEMPLATES {
        let to = if t.name == "fix-availability" {
            vec![p.recipients[1].clone()]
        } else {
            Vec::new()
        };
        let password = (t.name == "fix-availability").then_some("7f3k-q9");
        let d = render(&p, &playbook, &issue, t.name, None, &to, password, now)
            .unwrap_or_else(|e| panic!("{}: {e}", t.name));
        assert!(!d.subject.is_empty(), "{}", t.name);
        assert!(!d.addresses().is_empty(), "{}", t.name);
        assert!(!d.body.contains("{{"), "{}: {}", t.name, d.body);
        let utc = d
            .body
            .lines()
            .filter(|l| l.starts_with("Disclosure-Date: "))
            .count();
        let list = !matches!(t.name, "reporter-ack" | "not-security-reply");
        assert_eq!(utc, usize::from(list), "{}: {}", t.name, d.body);
        if t.name == "fix-availability" {
            assert!(d.body.contains("Password: 7f3k-q9"), "{}", d.body);
            assert!(d.body.contains("User:     openwall-distros"), "{}", d.body);
        }
    }
}

#[test]
fn the_download_password_goes_encrypted_into_the_lists_mail_and_nowhere_else() {
    let gpg = Gpg::new();
    let (f, _sender) = signing_fixture(&gpg, |p, gpg| {
        p.recipients.push(gpg.recipient_with_cert(
            "Openwall distros",
            "distros@vs.openwall.org",
            RecipientRole::Distros,
        ));
        // A list without a certificate: its password must not go out in clear.
        p.recipients.push(Recipient::new(
            "Vendor",
            "sec@vendor.example",
            RecipientRole::Vendor,
        ));
        p.publication.embargo_url = "https://share.postbote.example/embargo/{version}/".into();
        release_of(p).artifacts.push(tarball());
    });
    // The download serves the release's real files: record one that exists.
    let real = f.dir.path().join("postbote-4.12.3.tar.xz");
    std::fs::write(&real, b"embargoed tarball\n").expect("tarball");
    let sum = Command::new("sha256sum")
        .arg(&real)
        .output()
        .expect("sha256sum");
    let sha = text(&sum.stdout)
        .split_whitespace()
        .next()
        .expect("sum")
        .to_owned();
    f.edit_release(|r| {
        r.artifacts = vec![Artifact {
            path: real.display().to_string(),
            size: 18,
            sha256: sha,
            signature: None,
            ..tarball()
        }];
    });
    let file = f.file().display().to_string();
    let share_dir = f.dir.path().join("share");
    let o = bounded(
        Command::new(env!("CARGO_BIN_EXE_embargo"))
            .args(["share", &file, "--issue", ISSUE, "--json"])
            .arg("--out")
            .arg(&share_dir)
            .env("EMBARGO_NOW", f.now.to_rfc3339())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs"),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let creds = doc["credentials"].as_array().expect("credentials");
    let password_of = |list: &str| {
        creds
            .iter()
            .find(|c| c["list"] == list)
            .and_then(|c| c["password"].as_str())
            .unwrap_or_else(|| panic!("no password for {list}: {doc}"))
            .to_owned()
    };
    let distros_pw = password_of("Openwall distros");
    let vendor_pw = password_of("Vendor");
    let eml_dir = f.dir.path().join("out");
    let mail = |to: &str, fd3: Option<&str>| {
        let mut args = vec![
            "mail",
            file.as_str(),
            "--issue",
            ISSUE,
            "--template",
            "fix-availability",
            "--to",
            to,
            "--eml",
            eml_dir.to_str().expect("utf-8"),
            "--passphrase-fd",
            "0",
        ];
        if fd3.is_some() {
            args.extend(["--share-password-fd", "3"]);
        }
        support::embargo_with_fd3(&args, "s3cret\n", fd3, |cmd| {
            cmd.env("GNUPGHOME", gpg.home())
                .env("EMBARGO_NOW", f.now.to_rfc3339());
        })
    };

    // Without the password handed in, the mail says where to get one.
    let o = mail("Openwall distros", None);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains("`share.password`"), "{err}");
    assert!(err.contains("never stored"), "{err}");

    // To a list without a certificate it is refused: it would go in clear.
    let o = mail("Vendor", Some(&vendor_pw));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains("carries the download password"), "{err}");

    // With it, the mail is encrypted to the list and carries the URL, the
    // usercode and the password.
    let o = mail("Openwall distros", Some(&distros_pw));
    assert!(o.status.success(), "{}", text(&o.stderr));
    let emls: Vec<PathBuf> = std::fs::read_dir(&eml_dir)
        .expect("eml dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(emls.len(), 1);
    let raw = std::fs::read(&emls[0]).expect("eml");
    assert!(
        !text(&raw).contains(&distros_pw),
        "the password went out in clear"
    );
    let m = mailparse::parse_mail(&raw).expect("parses");
    assert_eq!(m.ctype.mimetype, "multipart/encrypted");
    let armored = m.subparts[1].get_body_raw().expect("armored");
    let d = gpg.run(&["--decrypt"], Some(&armored));
    assert!(d.status.success(), "{}", text(&d.stderr));
    let inner = text(&d.stdout);
    assert!(
        inner.contains("https://share.postbote.example/embargo/"),
        "{inner}"
    );
    assert!(inner.contains("openwall-distros"), "{inner}");
    assert!(inner.contains(&distros_pw), "{inner}");

    // Neither password is in the project file, its backup or the share files.
    let mut files = vec![f.file(), f.file().with_extension("ron.bak")];
    for dir in [share_dir.clone(), share_dir.join("files")] {
        files.extend(
            std::fs::read_dir(&dir)
                .expect("share dir")
                .map(|e| e.expect("entry").path()),
        );
    }
    for path in files.iter().filter(|p| p.is_file()) {
        let content = String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned();
        for pw in [&distros_pw, &vendor_pw] {
            assert!(
                !content.contains(pw.as_str()),
                "{} holds a password",
                path.display()
            );
        }
    }
}

/// The public lists of the example project, to add back to a fixture.
fn public_lists(p: &mut Project) {
    p.recipients.push(Recipient::new(
        "Postbote announce",
        "announce@postbote.example",
        RecipientRole::Announce,
    ));
    p.recipients.push(Recipient::new(
        "oss-security",
        "oss-security@lists.openwall.com",
        RecipientRole::OssSecurity,
    ));
}

#[test]
fn an_announcement_waits_until_the_release_is_marked_published() {
    let smtp = Smtp::start(SmtpAuth::None);
    let mut f = Fixture::with(|p| {
        public_lists(p);
        release_of(p).artifacts.push(tarball());
    });
    // The planned instant has passed, but the release is not marked
    // published: releases slip.
    f.now = f.release + chrono::TimeDelta::hours(2);
    let journal = |f: &Fixture| f.project().issue(ISSUE).expect("issue").journal.clone();
    let before = journal(&f);
    let send = |template: &str, extra: &[&str]| {
        let mut args = vec!["--template", template, "--send", "--smtp"];
        let address = smtp.address();
        args.push(&address);
        args.extend(extra);
        f.mail(&args, "", None)
    };
    for template in ["release-announcement", "oss-security"] {
        let o = send(template, &[]);
        assert_eq!(o.status.code(), Some(1), "{template}: {}", text(&o.stdout));
        let err = text(&o.stderr);
        assert!(err.contains("public-before-release"), "{err}");
        assert!(err.contains("is not marked published"), "{err}");
        assert!(err.contains("--before-publication --reason"), "{err}");
    }
    assert!(smtp.received().is_empty());
    assert_eq!(journal(&f), before, "nothing recorded");
    // The override needs a reason.
    let o = send("oss-security", &["--before-publication"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(smtp.received().is_empty());
    // With one it goes, and the reason is journaled.
    let reason = "the tarball went public by mistake at 14:05";
    let o = send(
        "oss-security",
        &["--before-publication", "--reason", reason],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(smtp.received().len(), 1);
    let after = journal(&f);
    let n = after.len();
    assert_eq!(
        after[n - 2].event,
        Event::CheckAcknowledged {
            check: "public-before-release".into()
        }
    );
    assert!(after[n - 2].note.contains(reason), "{}", after[n - 2].note);
    assert!(matches!(after[n - 1].event, Event::MailSent { .. }));
    // Once the release is marked published it goes without one.
    f.edit_release(|r| r.published = Some(f.release + chrono::TimeDelta::minutes(3)));
    let o = send("release-announcement", &[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(smtp.received().len(), 2);
    let last = journal(&f);
    assert_eq!(last.len(), n + 1, "one entry: the mail, no acknowledgement");
}

#[test]
fn a_release_announcement_needs_recorded_files() {
    let smtp = Smtp::start(SmtpAuth::None);
    let mut f = Fixture::with(|p| {
        public_lists(p);
        let r = release_of(p);
        r.published = r.planned;
    });
    f.now = f.release + chrono::TimeDelta::hours(1);
    let send = || {
        f.mail(
            &[
                "--template",
                "release-announcement",
                "--send",
                "--smtp",
                &smtp.address(),
            ],
            "",
            None,
        )
    };
    let o = send();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(err.contains("no-artifacts"), "{err}");
    assert!(err.contains("records no release files"), "{err}");
    assert!(smtp.received().is_empty());
    f.edit_release(|r| r.artifacts.push(tarball()));
    let o = send();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let body = mailparse::parse_mail(&got[0].0)
        .expect("parses")
        .get_body()
        .expect("body");
    assert!(
        body.contains(&format!("{}  postbote-4.12.3.tar.xz", "5e".repeat(32))),
        "{body}"
    );
}

#[test]
fn a_fix_availability_mail_needs_recorded_files_and_its_lists_own_password() {
    let f = Fixture::with(|p| {
        p.recipients.push(Recipient::new(
            "Openwall distros",
            "distros@vs.openwall.org",
            RecipientRole::Distros,
        ));
        p.recipients.push(Recipient::new(
            "Vendor",
            "sec@vendor.example",
            RecipientRole::Vendor,
        ));
        p.publication.embargo_url = "https://share.postbote.example/embargo/{version}/".into();
    });
    let file = f.file().display().to_string();
    let o = bounded(
        Command::new(env!("CARGO_BIN_EXE_embargo"))
            .args([
                "share",
                &file,
                "--issue",
                ISSUE,
                "--json",
                "--root",
                "/srv/files",
            ])
            .arg("--out")
            .arg(f.dir.path().join("share"))
            .env("EMBARGO_NOW", f.now.to_rfc3339())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs"),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let password_of = |list: &str| {
        doc["credentials"]
            .as_array()
            .expect("credentials")
            .iter()
            .find(|c| c["list"] == list)
            .and_then(|c| c["password"].as_str())
            .unwrap_or_else(|| panic!("no password for {list}: {doc}"))
            .to_owned()
    };
    let (distros_pw, vendor_pw) = (password_of("Openwall distros"), password_of("Vendor"));
    let eml_dir = f.dir.path().join("out");
    let mail = |password: &str| {
        let args = [
            "mail",
            file.as_str(),
            "--issue",
            ISSUE,
            "--template",
            "fix-availability",
            "--to",
            "Openwall distros",
            "--eml",
            eml_dir.to_str().expect("utf-8"),
            "--share-password-fd",
            "3",
        ];
        let o = support::embargo_with_fd3(&args, "", Some(password), |cmd| {
            cmd.env("EMBARGO_NOW", f.now.to_rfc3339());
        });
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
        text(&o.stderr)
    };
    // No release files recorded: nothing to download.
    let err = mail(&distros_pw);
    assert!(err.contains("no-artifacts"), "{err}");
    f.edit_release(|r| r.artifacts.push(tarball()));
    // Another list's password is refused, by its hash.
    let err = mail(&vendor_pw);
    assert!(err.contains("share-password"), "{err}");
    assert!(err.contains("not the one of Openwall distros"), "{err}");
    assert!(!err.contains(&vendor_pw), "the password leaked: {err}");
    // So is a mistyped one.
    let err = mail(&format!("{distros_pw}x"));
    assert!(err.contains("share-password"), "{err}");
    // The list's own passes that check (the list has no certificate here,
    // so the encryption check still holds the mail back).
    let err = mail(&distros_pw);
    assert!(!err.contains("share-password"), "{err}");
    assert!(!err.contains("no-artifacts"), "{err}");
    assert!(err.contains("encryption"), "{err}");
    assert!(!eml_dir.exists(), "nothing was saved");
}

#[test]
fn a_loopback_server_offering_starttls_gets_it_and_a_private_ca_is_trusted_when_given() {
    let ca = TestCa::new();
    let password = "loopback login 5q";
    let smtp = Smtp::start_tls(
        SmtpAuth::Login {
            user: "security".into(),
            password: password.into(),
        },
        &ca,
    );
    let f = Fixture::with(|p| p.mail.smtp_user = "security".into());
    let ca_path = ca.cert().display().to_string();
    let send = |extra: &[&str]| {
        let mut args = vec![
            "--template",
            "advance-notice",
            "--send",
            "--password-fd",
            "0",
        ];
        let address = smtp.address();
        args.extend(["--smtp", address.as_str()]);
        args.extend(extra);
        f.mail(&args, &format!("{password}\n"), None)
    };
    // The server's certificate is signed by the test's own CA: explained.
    let o = send(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let err = text(&o.stderr);
    assert!(
        err.contains("the server's certificate is not signed by a CA this system trusts"),
        "{err}"
    );
    assert!(err.contains("--smtp-ca FILE"), "{err}");
    assert!(!err.contains("refused the login"), "{err}");
    assert!(!err.contains(password), "the password leaked: {err}");
    assert!(smtp.received().is_empty());
    kept_as_draft(&f, &err);
    // Trusting the CA: the mail goes over STARTTLS, login and all.
    let o = send(&["--smtp-ca", &ca_path]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1["tls"], serde_json::json!(true), "{}", got[0].1);
    // The project's mail setting does the same, relative to the project file.
    std::fs::copy(ca.cert(), f.dir.path().join("our-ca.pem")).expect("copied");
    let mut p = f.project();
    p.mail.smtp_ca = "our-ca.pem".into();
    store::save(&f.file(), &p).expect("saved");
    let o = send(&[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let got = smtp.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].1["tls"], serde_json::json!(true), "{}", got[1].1);
}

#[test]
fn sign_and_mail_judge_the_key_at_the_same_embargo_now() {
    let gpg = Gpg::new();
    let (mut f, _) = signing_fixture(&gpg, |_, _| {});
    let key_file = match f.project().signing.expect("a key").location {
        KeyLocation::KeyFile { path } => path,
        other => panic!("{other:?}"),
    };
    // The key gpg made lasts a year; at this EMBARGO_NOW it has expired.
    f.now += chrono::TimeDelta::days(400);
    let out = tempfile::tempdir().expect("dir");
    let o = f.mail(
        &[
            "--template",
            "advance-notice",
            "--eml",
            out.path().to_str().expect("utf-8"),
            "--passphrase-fd",
            "0",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    let mail_err = text(&o.stderr);
    assert!(mail_err.contains("expired"), "{mail_err}");

    let file = out.path().join("fix.patch");
    std::fs::write(&file, "+fixed\n").expect("written");
    let o = support::embargo_with_fd3(
        &[
            "sign",
            "--key-file",
            key_file.as_str(),
            "--passphrase-fd",
            "0",
            file.to_str().expect("utf-8"),
        ],
        "s3cret\n",
        None,
        |c| {
            c.env("GNUPGHOME", gpg.home())
                .env("EMBARGO_NOW", f.now.to_rfc3339());
        },
    );
    let sign_err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{sign_err}");
    assert!(sign_err.contains("expired"), "{sign_err}");
    assert!(!out.path().join("fix.patch.asc").exists());
}

/// A patch as `embargo artifacts` writes it, with bytes a transfer
/// encoding could change (CRLF, trailing blanks, a tab, UTF-8).
const PATCH: &[u8] = b"From 9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807 Mon Sep 17 00:00:00 2001\n\
From: Tom\xc3\xa1s Berg <tb@postbote.example>\n\
Subject: [PATCH] auth: size the PLAIN decode buffer correctly\n\
\n\
diff --git a/src/auth.c b/src/auth.c\n\
--- a/src/auth.c\n\
+++ b/src/auth.c\n\
@@ -1 +1 @@\n\
-\tlen = (n * 3) / 4;   \n\
+\tlen = ((n + 3) / 4) * 3;\r\n";

/// Record `bytes` as the release's patch file at `rel` (beside the
/// project file), as the build records it.
fn patch_artifact(f: &Fixture, rel: &str, bytes: &[u8]) -> Artifact {
    use sha2::Digest as _;
    let path = f.dir.path().join(rel);
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).expect("dir");
    }
    std::fs::write(&path, bytes).expect("written");
    Artifact {
        path: rel.into(),
        kind: ArtifactKind::Patch,
        size: bytes.len() as u64,
        sha256: sha2::Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        signature: None,
        signer: None,
    }
}

/// The project with the signing key, the distros list (encrypted, with a
/// certificate) and no fix commits; `edit` changes it further.
fn distros_fixture(gpg: &Gpg, encrypt: bool) -> (Fixture, String) {
    signing_fixture(gpg, |p, gpg| {
        let mut distros = gpg.recipient_with_cert(
            "Openwall distros",
            "distros@vs.openwall.org",
            RecipientRole::Distros,
        );
        distros.must_encrypt = encrypt;
        p.recipients.push(distros);
        p.issue_mut(ISSUE).expect("issue").fix_commits.clear();
    })
}

/// Decrypt the armored second part of the multipart/encrypted `raw` and
/// parse the MIME content inside.
fn decrypted(gpg: &Gpg, raw: &[u8]) -> Vec<u8> {
    let m = mailparse::parse_mail(raw).expect("parses");
    assert_eq!(m.ctype.mimetype, "multipart/encrypted");
    let armored = m.subparts[1].get_body_raw().expect("armored");
    let d = gpg.run(&["--decrypt"], Some(&armored));
    assert!(d.status.success(), "{}", text(&d.stderr));
    assert!(
        text(&d.stderr).contains("Good signature"),
        "{}",
        text(&d.stderr)
    );
    d.stdout
}

/// #21 item 6: the distros notice carries the patch the build made, as an
/// attachment inside the signed and encrypted part (multipart/mixed: the
/// text, then the patch as text/x-diff named after the CVE); the bytes
/// arrive unchanged, and the text says it is attached.
#[test]
fn the_distros_notice_carries_the_patch_encrypted_byte_for_byte() {
    let smtp = Smtp::start(SmtpAuth::None);
    let gpg = Gpg::new();
    let (f, _) = distros_fixture(&gpg, true);
    let artifact = patch_artifact(&f, "postbote-4.12.3-release/postbote-4.12.3.patch", PATCH);
    f.edit_release(|r| r.artifacts.push(artifact));
    let o = f.mail(
        &[
            "--template",
            "distros-notice",
            "--to",
            "distros",
            "--send",
            "--smtp",
            &smtp.address(),
            "--passphrase-fd",
            "0",
            "--json",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        j["attachments"],
        serde_json::json!(["postbote-CVE-2026-41807.patch"])
    );
    let got = smtp.received();
    assert_eq!(got.len(), 1);
    // Nothing of the patch is readable on the way.
    assert!(
        !text(&got[0].0).contains("((n + 3) / 4) * 3"),
        "patch in clear"
    );
    assert!(
        !text(&got[0].0).contains("x-diff"),
        "attachment type in clear"
    );
    let inner = decrypted(&gpg, &got[0].0);
    let m = mailparse::parse_mail(&inner).expect("inner parses");
    assert_eq!(m.ctype.mimetype, "multipart/mixed");
    assert_eq!(m.subparts.len(), 2);
    let body = m.subparts[0].get_body().expect("text");
    assert!(
        body.contains("The patch is attached to this mail\n(postbote-CVE-2026-41807.patch)")
            || body.contains("The patch is attached to this mail (postbote-CVE-2026-41807.patch)"),
        "{body}"
    );
    let patch = &m.subparts[1];
    assert_eq!(patch.ctype.mimetype, "text/x-diff");
    let disposition = patch.get_content_disposition();
    assert_eq!(
        disposition.disposition,
        mailparse::DispositionType::Attachment
    );
    assert_eq!(
        disposition.params.get("filename").map(String::as_str),
        Some("postbote-CVE-2026-41807.patch")
    );
    assert_eq!(patch.get_body_raw().expect("bytes"), PATCH);
}

/// Without a patch file the patch is made from the issue's fix commits in
/// the project's repository (format-patch style), through the same
/// workflow; saved as `.eml`, it decrypts to the commit's diff.
#[test]
fn without_a_patch_file_the_fix_commits_are_attached_from_git() {
    let gpg = Gpg::new();
    let (f, _) = distros_fixture(&gpg, true);
    let repo = f.dir.path().join("repo");
    std::fs::create_dir_all(&repo).expect("dir");
    support::git_ok(&repo, &["init", "-q"]);
    support::git_ok(&repo, &["config", "user.name", "Tomás Berg"]);
    support::git_ok(&repo, &["config", "user.email", "tb@postbote.example"]);
    std::fs::write(repo.join("auth.c"), "len = (n * 3) / 4;\n").expect("written");
    support::git_ok(&repo, &["add", "."]);
    support::git_ok(&repo, &["commit", "-q", "-m", "import"]);
    std::fs::write(repo.join("auth.c"), "len = ((n + 3) / 4) * 3;\n").expect("written");
    support::git_ok(
        &repo,
        &[
            "commit",
            "-q",
            "-am",
            "auth: size the PLAIN decode buffer correctly",
        ],
    );
    let id = support::git_ok(&repo, &["rev-parse", "HEAD"]);
    let mut p = f.project();
    p.repo.path = "repo".into();
    p.issue_mut(ISSUE)
        .expect("issue")
        .fix_commits
        .push(embargo::core::model::FixCommit {
            id: id.clone(),
            branch: "security/4.12".into(),
            summary: "auth: size the PLAIN decode buffer correctly".into(),
        });
    store::save(&f.file(), &p).expect("saved");
    let out = tempfile::tempdir().expect("dir");
    let o = f.mail(
        &[
            "--template",
            "distros-notice",
            "--to",
            "distros",
            "--eml",
            out.path().to_str().expect("utf-8"),
            "--passphrase-fd",
            "0",
            "--json",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let raw = std::fs::read(j["eml"].as_str().expect("eml")).expect("saved");
    let inner = decrypted(&gpg, &raw);
    let m = mailparse::parse_mail(&inner).expect("inner parses");
    let patch = String::from_utf8(m.subparts[1].get_body_raw().expect("bytes")).expect("utf-8");
    assert!(patch.starts_with(&format!("From {id} ")), "{patch}");
    assert!(
        patch.contains("Subject: [PATCH] auth: size the PLAIN decode buffer correctly"),
        "{patch}"
    );
    assert!(
        patch.contains("-len = (n * 3) / 4;\n+len = ((n + 3) / 4) * 3;\n"),
        "{patch}"
    );
}

/// A patch file that is outside the project's directory, reached through
/// a link, or changed since the build recorded it is refused with one
/// message saying why; nothing leaves.
#[test]
fn a_patch_outside_the_project_through_a_link_or_changed_is_refused() {
    let smtp = Smtp::start(SmtpAuth::None);
    let gpg = Gpg::new();
    let (f, _) = distros_fixture(&gpg, true);
    let elsewhere = tempfile::tempdir().expect("dir");
    let outside = elsewhere.path().join("x.patch");
    std::fs::write(&outside, PATCH).expect("written");
    let good = patch_artifact(&f, "rel/p.patch", PATCH);
    let cases: Vec<(Artifact, &str)> = vec![
        (
            Artifact {
                path: outside.display().to_string(),
                ..good.clone()
            },
            "is outside the project's directory",
        ),
        (
            {
                std::os::unix::fs::symlink(&outside, f.dir.path().join("link.patch"))
                    .expect("link");
                Artifact {
                    path: "link.patch".into(),
                    ..good.clone()
                }
            },
            "symbolic link",
        ),
        (
            Artifact {
                sha256: "0".repeat(64),
                ..good.clone()
            },
            "is not the file the release records",
        ),
    ];
    for (artifact, said) in cases {
        f.edit_release(|r| r.artifacts = vec![artifact]);
        let o = f.mail(
            &[
                "--template",
                "distros-notice",
                "--to",
                "distros",
                "--send",
                "--smtp",
                &smtp.address(),
                "--passphrase-fd",
                "0",
            ],
            "s3cret\n",
            Some(&gpg.home()),
        );
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{said}: {err}");
        assert!(
            err.contains("cannot attach the patch postbote-CVE-2026-41807.patch"),
            "{err}"
        );
        assert!(err.contains(said), "{said}: {err}");
    }
    // No patch file, and fix commits the project's repository cannot give.
    let mut p = f.project();
    release_of(&mut p).artifacts.clear();
    p.repo.path = "no-such-repo".into();
    p.issue_mut(ISSUE)
        .expect("issue")
        .fix_commits
        .push(embargo::core::model::FixCommit {
            id: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807".into(),
            branch: "security/4.12".into(),
            summary: "auth: size the PLAIN decode buffer correctly".into(),
        });
    store::save(&f.file(), &p).expect("saved");
    let o = f.mail(
        &[
            "--template",
            "distros-notice",
            "--to",
            "distros",
            "--send",
            "--smtp",
            &smtp.address(),
            "--passphrase-fd",
            "0",
        ],
        "s3cret\n",
        Some(&gpg.home()),
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot attach the patch postbote-CVE-2026-41807.patch: no git repository"),
        "{err}"
    );
    assert!(smtp.received().is_empty(), "nothing left");
}

/// A mail that goes out unencrypted never carries the patch: its text
/// says why and the CLI warns; with no patch at all the text says none is
/// attached yet and the CLI warns too.
#[test]
fn an_unencrypted_notice_withholds_the_patch_and_a_missing_one_is_said() {
    let smtp = Smtp::start(SmtpAuth::None);
    let gpg = Gpg::new();
    let (f, _) = distros_fixture(&gpg, false);
    let send = |f: &Fixture| {
        let o = f.mail(
            &[
                "--template",
                "distros-notice",
                "--to",
                "distros",
                "--send",
                "--smtp",
                &smtp.address(),
                "--passphrase-fd",
                "0",
                "--json",
            ],
            "s3cret\n",
            Some(&gpg.home()),
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(j["attachments"], serde_json::json!([]));
        assert_eq!(j["encrypted"], serde_json::json!(false));
        text(&o.stderr)
    };
    // No patch recorded and no fix commits.
    let warned = send(&f);
    assert!(
        warned.contains("warning: no patch is attached to the `distros-notice` mail"),
        "{warned}"
    );
    let artifact = patch_artifact(&f, "p.patch", PATCH);
    f.edit_release(|r| r.artifacts.push(artifact));
    let warned = send(&f);
    assert!(
        warned.contains("warning: the patch is not attached to the `distros-notice` mail because the mail goes out unencrypted"),
        "{warned}"
    );
    let got = smtp.received();
    assert_eq!(got.len(), 2);
    let bodies: Vec<String> = got
        .iter()
        .map(|(raw, _)| {
            let m = mailparse::parse_mail(raw).expect("parses");
            assert_eq!(
                m.ctype.mimetype, "multipart/signed",
                "signed, not encrypted"
            );
            m.subparts[0].get_body().expect("body").replace('\n', " ")
        })
        .collect();
    assert!(
        bodies[0].contains("No patch is attached yet"),
        "{}",
        bodies[0]
    );
    assert!(
        bodies[1].contains("The patch is not attached, because this mail is not encrypted"),
        "{}",
        bodies[1]
    );
    assert!(
        !text(&got[1].0).contains("((n + 3) / 4) * 3"),
        "patch in clear"
    );
}

/// #24 item 3: a sent notice remembers what it told; once the severity
/// changes, `embargo corrections` names who was told the old value, the
/// `correction` mail goes to them (checked, signed and encrypted as every
/// notice) saying old -> new, the journal says what it told differently,
/// and afterwards nothing is left to correct.
#[test]
fn a_changed_severity_is_corrected_for_exactly_those_told_the_old_one() {
    let smtp = Smtp::start(SmtpAuth::None);
    let gpg = Gpg::new();
    let (f, _) = distros_fixture(&gpg, true);
    let corrections = |f: &Fixture| -> serde_json::Value {
        let o = Command::new(env!("CARGO_BIN_EXE_embargo"))
            .args([
                "corrections",
                f.file().to_str().expect("utf-8"),
                "--issue",
                ISSUE,
                "--json",
            ])
            .env("EMBARGO_NOW", f.now.to_rfc3339())
            .output()
            .expect("runs");
        assert!(o.status.success(), "{}", text(&o.stderr));
        serde_json::from_slice(&o.stdout).expect("json")
    };
    let address = smtp.address();
    let send = |f: &Fixture, template: &str, to: Option<&str>| {
        let mut args = vec![
            "--template",
            template,
            "--send",
            "--smtp",
            &address,
            "--passphrase-fd",
            "0",
        ];
        if let Some(to) = to {
            args.extend(["--to", to]);
        }
        let o = f.mail(&args, "s3cret\n", Some(&gpg.home()));
        assert!(o.status.success(), "{}", text(&o.stderr));
    };
    // The example's maintainers were told High while the issue is
    // Critical: the one correction the example shows.
    let before = corrections(&f);
    assert_eq!(
        before[0]["recipient"], "maintainers@postbote.example",
        "{before}"
    );
    assert_eq!(before[0]["changes"][0]["old"], "High", "{before}");
    // Without that, the distros list is told the issue as it is (Critical).
    let mut p = f.project();
    p.issue_mut(ISSUE).expect("issue").notices.clear();
    store::save(&f.file(), &p).expect("saved");
    assert_eq!(corrections(&f), serde_json::json!([]));
    send(&f, "distros-notice", Some("distros"));
    let p = f.project();
    let told = p
        .issue(ISSUE)
        .and_then(|i| i.notice("distros@vs.openwall.org"))
        .and_then(|n| n.told.clone())
        .expect("recorded");
    assert_eq!(
        told.severity,
        Some(embargo::core::model::Severity::Critical)
    );
    assert_eq!(told.release, Some(f.release));
    assert_eq!(told.fixed.as_deref(), Some("4.12.3"));
    assert_eq!(told.identifiers, Some(vec!["CVE-2026-41807".to_owned()]));
    assert_eq!(told.template, "distros-notice");
    // The severity is lowered to High.
    let mut p = f.project();
    p.issue_mut(ISSUE).expect("issue").severity = Some(embargo::core::model::Severity::High);
    store::save(&f.file(), &p).expect("saved");
    let due = corrections(&f);
    let who: Vec<&str> = due
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["recipient"].as_str())
        .collect();
    assert_eq!(who, vec!["distros@vs.openwall.org"], "{due}");
    assert_eq!(
        due[0]["changes"],
        serde_json::json!([{"fact": "severity", "label": "Severity", "old": "Critical", "new": "High"}])
    );
    // The correction goes to them alone, encrypted.
    send(&f, "correction", None);
    let got = smtp.received();
    let (raw, envelope) = got.last().expect("sent");
    assert_eq!(
        envelope["rcpt_tos"],
        serde_json::json!(["distros@vs.openwall.org"])
    );
    let m = mailparse::parse_mail(raw).expect("parses");
    assert_eq!(
        header(&m, "Subject").as_deref(),
        Some("[vs] Correction: embargoed Postbote issue")
    );
    let inner = decrypted(&gpg, raw);
    let body = mailparse::parse_mail(&inner)
        .expect("inner")
        .get_body()
        .expect("body")
        .replace("\r\n", "\n");
    assert!(body.contains("  Severity: Critical -> High\n"), "{body}");
    assert!(
        body.contains(&format!(
            "Disclosure-Date: {}\n",
            f.release.format("%Y-%m-%dT%H:%M:%SZ")
        )),
        "{body}"
    );
    assert!(corrections(&f).as_array().expect("array").is_empty());
    let p = f.project();
    let last = p
        .issue(ISSUE)
        .and_then(|i| i.journal.last().cloned())
        .expect("entry");
    assert!(
        last.note.contains("tells severity Critical -> High"),
        "{}",
        last.note
    );
}

/// The example's distros notice (its list encrypted, the release's patch
/// recorded) and its correction to the maintainers, at a fixed instant, as
/// golden texts: reviewed by eye against the OpenSSF embargo template and
/// real distros posts. `UPDATE_GOLDEN=1` rewrites them.
#[test]
fn golden_texts_of_the_distros_notice_and_the_correction() {
    use embargo::core::render::mail::render;
    let mut p = store::example().expect("example");
    let playbook = embargo::core::playbook::builtin("exim").expect("builtin");
    let now = DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("valid")
        .with_timezone(&Utc);
    for r in &mut p.recipients {
        if r.role == RecipientRole::Distros {
            r.must_encrypt = true;
        }
    }
    release_of(&mut p).artifacts.push(Artifact {
        path: "postbote-4.12.3-release/postbote-4.12.3.patch".into(),
        kind: ArtifactKind::Patch,
        size: 1,
        sha256: "0".repeat(64),
        signature: None,
        signer: None,
    });
    let issue = p.issue(ISSUE).expect("issue").clone();
    for (template, golden) in [
        (
            "distros-notice",
            "tests/golden/distros-notice-POSTBOTE-2.txt",
        ),
        ("correction", "tests/golden/correction-POSTBOTE-2.txt"),
    ] {
        let d = render(&p, &playbook, &issue, template, None, &[], None, now).expect("renders");
        let got = format!(
            "Subject: {}\nTo: {}\nBcc: {}\nAttachment: {}\n\n{}",
            d.subject,
            d.to.join(", "),
            d.bcc.join(", "),
            d.patch
                .as_ref()
                .filter(|p| p.attached)
                .map_or("none", |p| p.file_name.as_str()),
            d.body
        );
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &got).expect("golden updated");
        }
        let want =
            std::fs::read_to_string(&path).expect("golden file exists (UPDATE_GOLDEN=1 writes it)");
        assert_eq!(got, want, "{template} differs from {golden}");
    }
}
