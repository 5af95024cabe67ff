//! Project › Settings (issue #22 items 9, 13 and 17): every setting of the
//! project file changed through the window, by label, and what Apply,
//! Cancel and a bad value do to the project; the signing key picked from
//! the secret keys of a real gpg-agent in a temporary GnuPG home; and the
//! clock `EMBARGO_NOW` sets, decided by one function the CLI reads too.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use embargo::core::model::{Event, KeyLocation, PlaybookRef, SigningKeyRef, TarballFormat};
use embargo::core::ports::FixedClock;
use embargo::core::settings;
use embargo::ui::{EmbargoApp, Startup};

use crate::common::{harness, now};
use crate::support::{Gpg, settle, type_and_settle, type_into};

/// Open Project › Settings… through the menu.
fn open_settings(h: &mut Harness<'static, EmbargoApp>) {
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label_contains("Settings…").click();
    settle(h);
    assert!(
        h.state().view.project_settings.is_some(),
        "the settings window opens"
    );
}

fn tab(h: &mut Harness<'static, EmbargoApp>, name: &str) {
    h.get_by_label(name).click();
    settle(h);
}

fn project(h: &Harness<'static, EmbargoApp>) -> embargo::core::model::Project {
    h.state().doc.as_ref().expect("a project").project.clone()
}

/// The texts shown that contain `part` (a button's label, a label's value).
fn shown(h: &Harness<'static, EmbargoApp>, part: &str) -> Vec<String> {
    h.query_all_by_label_contains(part)
        .map(|n| {
            let a = n.accesskit_node();
            a.label()
                .map(|l| l.to_string())
                .or_else(|| a.value().map(|v| v.to_string()))
                .unwrap_or_default()
        })
        .collect()
}

fn journaled(h: &Harness<'static, EmbargoApp>) -> Vec<String> {
    project(h)
        .journal
        .iter()
        .filter_map(|e| match &e.event {
            Event::FieldChanged { field, .. } => Some(field.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn mail_repository_and_publication_are_changed_through_the_window() {
    let mut h = harness(Startup::Example);
    open_settings(&mut h);
    type_into(&mut h, "From", "Postbote PSIRT <psirt@postbote.example>");
    type_into(&mut h, "SMTP host", "mail.postbote.example");
    type_into(&mut h, "SMTP port", "465");
    type_into(&mut h, "SMTP user", "psirt");
    type_into(&mut h, "CA to trust", "ca/postbote-ca.pem");
    tab(&mut h, "Repository");
    type_into(&mut h, "Path", "/srv/git/postbote-security");
    type_into(&mut h, "Public remotes", "origin github");
    type_into(&mut h, "Private remotes", "security");
    type_into(&mut h, "Version file", "src/version.h");
    type_into(&mut h, "Tag template", "postbote-{version}-release");
    type_into(&mut h, "Tarball template", "postbote-src-{version}");
    h.get_by_label(".tar.bz2").click();
    h.run();
    tab(&mut h, "Publication");
    type_into(&mut h, "Vendor", "Postbote e.V.");
    type_into(
        &mut h,
        "Advisory address",
        "https://postbote.example/advisories/{date}.html",
    );
    type_into(
        &mut h,
        "Severity policy address",
        "https://postbote.example/severity",
    );
    // Nothing changes before Apply.
    assert_eq!(
        project(&h).mail.from,
        "Postbote Security <security@postbote.example>"
    );
    h.get_by_label("Apply").click();
    settle(&mut h);

    assert!(h.state().view.project_settings.is_none(), "Apply closes it");
    let p = project(&h);
    assert_eq!(p.mail.from, "Postbote PSIRT <psirt@postbote.example>");
    assert_eq!(p.mail.smtp_host, "mail.postbote.example");
    assert_eq!(p.mail.smtp_port, 465);
    assert_eq!(p.mail.smtp_user, "psirt");
    assert_eq!(p.mail.smtp_ca, "ca/postbote-ca.pem");
    assert_eq!(p.repo.path, "/srv/git/postbote-security");
    assert_eq!(p.repo.public_remotes, ["origin", "github"]);
    assert_eq!(p.repo.private_remotes, ["security"]);
    assert_eq!(p.repo.version_file, "src/version.h");
    assert_eq!(p.repo.tag_template, "postbote-{version}-release");
    assert_eq!(p.repo.tarball_template, "postbote-src-{version}");
    assert!(!p.repo.tarball_formats.contains(&TarballFormat::Bz2));
    assert!(p.repo.tarball_formats.contains(&TarballFormat::Xz));
    assert_eq!(p.publication.vendor, "Postbote e.V.");
    assert_eq!(
        p.publication.advisory_url,
        "https://postbote.example/advisories/{date}.html"
    );
    assert_eq!(
        p.publication.severity_policy_url,
        "https://postbote.example/severity"
    );
    // Journaled, one entry per group (publication: per field).
    let fields = journaled(&h);
    for want in [
        "mail settings",
        "repository",
        "vendor",
        "advisory address",
        "severity policy address",
    ] {
        assert!(fields.iter().any(|f| f == want), "{want} in {fields:?}");
    }
    assert!(h.state().doc.as_ref().expect("doc").is_dirty());
}

#[test]
fn time_signing_key_file_and_playbook_are_changed_through_the_window() {
    // Keys gpg makes now: judged an hour later.
    let mut h = harness_at(Utc::now() + Duration::hours(1));
    let dir = tempfile::tempdir().expect("dir");
    let gpg = Gpg::new();
    let (_, key) = gpg.sender_key_file();
    let KeyLocation::KeyFile { path: key_file } = key.location else {
        panic!("a key file");
    };
    open_settings(&mut h);
    tab(&mut h, "Time");
    type_into(&mut h, "Add zone", "Australia/Sydney");
    h.get_by_label("Add").click();
    h.run();
    tab(&mut h, "Signing key");
    h.get_by_label("In a key file").click();
    h.run();
    type_and_settle(&mut h, "Key file", &key_file);
    // The key file is read (in a job) and its expiry shown.
    assert!(
        shown(&h, "Postbote Security <security@postbote.example>")
            .iter()
            .any(|l| l.contains("expires 20")),
        "the key file's key and its expiry are shown"
    );
    tab(&mut h, "Playbook");
    h.get_by_label("Which built-in playbook").click();
    h.run();
    h.get_by_label("openssl").click();
    h.run();
    h.get_by_label("Apply").click();
    settle(&mut h);

    assert!(h.state().view.project_settings.is_none(), "Apply closes it");
    let p = project(&h);
    assert_eq!(
        p.time.zones.last().copied(),
        Some(chrono_tz::Australia::Sydney)
    );
    assert_eq!(
        p.signing,
        Some(SigningKeyRef {
            fingerprint: String::new(),
            location: KeyLocation::KeyFile { path: key_file },
        })
    );
    assert_eq!(p.playbook, PlaybookRef::Builtin("openssl".into()));
    let doc = h.state().doc.as_ref().expect("doc");
    assert_eq!(doc.playbook.name, "OpenSSL", "the new playbook is loaded");
    let fields = journaled(&h);
    for want in ["time settings", "signing key", "playbook"] {
        assert!(fields.iter().any(|f| f == want), "{want} in {fields:?}");
    }
    drop(dir);
}

#[test]
fn cancel_drops_the_copy_and_keeps_the_project() {
    let mut h = harness(Startup::Example);
    let before = project(&h);
    open_settings(&mut h);
    type_into(&mut h, "From", "Someone Else <else@example.org>");
    tab(&mut h, "Publication");
    type_into(&mut h, "Vendor", "Not Postbote");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(
        h.state().view.project_settings.is_none(),
        "Cancel closes it"
    );
    assert_eq!(project(&h), before);
    assert!(!h.state().doc.as_ref().expect("doc").is_dirty());
    // Opened again, it shows the project's values, not the dropped ones;
    // applied unchanged, nothing is journaled or left to save.
    open_settings(&mut h);
    assert!(h.query_by_label_contains("Someone Else").is_none());
    assert_eq!(
        h.state()
            .view
            .project_settings
            .as_ref()
            .expect("open")
            .settings
            .mail
            .from,
        before.mail.from
    );
    h.get_by_label("Apply").click();
    settle(&mut h);
    assert!(h.state().view.project_settings.is_none(), "Apply closes it");
    assert_eq!(project(&h), before);
    assert!(!h.state().doc.as_ref().expect("doc").is_dirty());
}

#[test]
fn a_bad_value_is_refused_with_where_it_is_set() {
    let mut h = harness(Startup::Example);
    let before = project(&h);
    open_settings(&mut h);
    type_into(&mut h, "From", "Postbote Security");
    h.get_by_label("Apply").click();
    settle(&mut h);
    let message = settings::SettingError {
        place: settings::MAIL_FROM,
        problem: "the sender `Postbote Security` has no mail address: give `Name <user@example.org>` or `user@example.org`".into(),
    }
    .to_string();
    assert!(
        message.contains("Project › Settings › Mail › From (CLI: embargo settings --mail-from)"),
        "{message}"
    );
    assert!(
        h.query_by_label(&message).is_some(),
        "the window says what is wrong and where: {message}"
    );
    assert!(
        h.state().view.project_settings.is_some(),
        "the window stays open"
    );
    assert_eq!(project(&h), before, "nothing is changed");

    // A port that is no number.
    type_into(
        &mut h,
        "From",
        "Postbote Security <security@postbote.example>",
    );
    type_into(&mut h, "SMTP port", "smtp");
    h.get_by_label("Apply").click();
    settle(&mut h);
    assert!(
        h.query_by_label_contains(
            "`smtp` is not a port number (1 to 65535, e.g. 587); fix it in Project › Settings › Mail › SMTP port"
        )
        .is_some(),
        "the port is refused, naming its place"
    );
    // A publication address that is no web address.
    type_into(&mut h, "SMTP port", "587");
    tab(&mut h, "Publication");
    type_into(
        &mut h,
        "Download address",
        "downloads.postbote.example/{file}",
    );
    h.get_by_label("Apply").click();
    settle(&mut h);
    assert!(
        shown(&h, "is not a web address")
            .iter()
            .any(|l| l.contains("Project › Settings › Publication › Download address")),
        "the address is refused, naming its place"
    );
    assert_eq!(project(&h), before, "nothing is changed");
}

#[test]
fn the_time_window_refuses_working_hours_that_end_before_they_start() {
    let mut h = harness(Startup::Example);
    let before = project(&h);
    h.get_by_label("Project").click();
    h.run();
    h.get_by_label("Time zones and release rules…").click();
    h.run();
    h.state_mut()
        .view
        .time_form
        .as_mut()
        .expect("the time window")
        .time
        .working_hours = (18, 9);
    h.run();
    h.get_by_label("Apply").click();
    settle(&mut h);
    let error = h.state().error.clone().expect("refused");
    assert!(
        error.contains("Project › Settings › Time › Working hours"),
        "{error}"
    );
    assert_eq!(project(&h).time, before.time);
}

/// The app on the example at `at`.
fn harness_at(at: DateTime<Utc>) -> Harness<'static, EmbargoApp> {
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| {
            EmbargoApp::new(
                &cc.egui_ctx,
                Startup::Example,
                Arc::new(FixedClock(at)),
                None,
            )
        });
    settle(&mut h);
    h
}

/// The app on the example at `at`, its signing key said to be in gpg-agent
/// of `home` (fingerprint not yet chosen).
fn harness_with_agent(at: DateTime<Utc>, home: &std::path::Path) -> Harness<'static, EmbargoApp> {
    let mut h = harness_at(at);
    h.state_mut().doc.as_mut().expect("doc").project.signing = Some(SigningKeyRef {
        fingerprint: String::new(),
        location: KeyLocation::GpgAgent {
            homedir: Some(home.display().to_string()),
        },
    });
    h.run();
    h
}

#[test]
fn the_signing_key_is_picked_from_gpg_agents_secret_keys() {
    let gpg = Gpg::new();
    let first = gpg.make_key("Rel Eng One <one@postbote.example>", "");
    let second = gpg.make_key("Rel Eng Two <two@postbote.example>", "");
    // Keys gpg makes now: judge them an hour later.
    let mut h = harness_with_agent(Utc::now() + Duration::hours(1), &gpg.home());
    open_settings(&mut h);
    tab(&mut h, "Signing key");
    settle(&mut h);
    let listed = |h: &Harness<'static, EmbargoApp>, uid: &str, fpr: &str| {
        shown(h, uid)
            .iter()
            .any(|l| l.contains(fpr) && l.contains("expires 20"))
    };
    assert!(
        listed(&h, "Rel Eng One", &first),
        "the first key is listed with its expiry"
    );
    assert!(
        listed(&h, "Rel Eng Two", &second),
        "the second key is listed with its expiry"
    );
    h.get_by_label_contains("Rel Eng Two").click();
    h.run();
    assert!(
        h.query_by_label_contains("Chosen: Rel Eng Two").is_some(),
        "the chosen key is shown with its expiry"
    );
    h.get_by_label("Apply").click();
    settle(&mut h);
    assert_eq!(
        project(&h).signing,
        Some(SigningKeyRef {
            fingerprint: second.clone(),
            location: KeyLocation::GpgAgent {
                homedir: Some(gpg.home().display().to_string()),
            },
        })
    );

    // Typing a fingerprint stays possible; one not in the agent is flagged.
    open_settings(&mut h);
    tab(&mut h, "Signing key");
    settle(&mut h);
    type_into(&mut h, "Fingerprint", &first.to_lowercase());
    assert!(
        h.query_by_label_contains("Chosen: Rel Eng One").is_some(),
        "a typed fingerprint is matched to the listed key"
    );
    type_into(
        &mut h,
        "Fingerprint",
        "0123456789ABCDEF0123456789ABCDEF01234567",
    );
    assert!(
        h.query_by_label_contains("is not among the secret keys listed above")
            .is_some()
    );
    type_into(&mut h, "Fingerprint", &first);
    h.get_by_label("Apply").click();
    settle(&mut h);
    assert_eq!(
        project(&h).signing.map(|k| k.fingerprint),
        Some(first.clone())
    );
}

#[test]
fn the_signing_panel_opens_the_list_of_gpg_agents_keys() {
    let gpg = Gpg::new();
    let fpr = gpg.make_key("Rel Eng One <one@postbote.example>", "");
    let mut h = harness_with_agent(Utc::now() + Duration::hours(1), &gpg.home());
    h.state_mut()
        .land_on("POSTBOTE-2".into(), Some("build_and_sign".into()));
    settle(&mut h);
    h.get_by_label("Pick from gpg-agent…").click();
    settle(&mut h);
    let form = h
        .state()
        .view
        .project_settings
        .as_ref()
        .expect("the window opens");
    assert_eq!(form.tab, embargo::ui::state::SettingsTab::SigningKey);
    assert!(
        shown(&h, "Rel Eng One").iter().any(|l| l.contains(&fpr)),
        "gpg-agent's key is listed"
    );
}

#[test]
fn an_empty_gnupg_home_lists_no_key_and_says_so() {
    let gpg = Gpg::new();
    let mut h = harness_with_agent(Utc::now(), &gpg.home());
    open_settings(&mut h);
    tab(&mut h, "Signing key");
    settle(&mut h);
    assert!(
        h.query_by_label_contains("GnuPG holds no secret key here")
            .is_some(),
        "an empty keyring is said to be empty"
    );
}

#[test]
fn embargo_now_decides_the_clock_of_the_cli_and_the_app() {
    let at = DateTime::parse_from_rfc3339("2026-12-01T13:00:00Z")
        .expect("valid")
        .with_timezone(&Utc);
    // The one rule: unset, an instant, or refused.
    assert_eq!(embargo::core::ports::set_now(None), Ok(None));
    assert_eq!(
        embargo::core::ports::set_now(Some("2026-12-01T14:00:00+01:00")),
        Ok(Some(at))
    );
    let bad = embargo::core::ports::set_now(Some("tomorrow")).expect_err("no instant");
    assert_eq!(
        bad.to_string(),
        "EMBARGO_NOW=`tomorrow` is not an RFC 3339 instant such as 2026-12-08T14:00:00Z"
    );
    assert!(embargo::ui::clock_from(Some("tomorrow")).is_err());

    // The app's clock: set, it starts at the instant and runs on.
    let clock = embargo::ui::clock_from(Some("2026-12-01T13:00:00Z")).expect("a clock");
    assert_eq!(clock.set_at(), Some(at));
    let read = clock.now();
    assert!(read >= at && read - at < Duration::minutes(1), "{read}");
    // Unset: the system's.
    let system = embargo::ui::clock_from(None).expect("a clock");
    assert_eq!(system.set_at(), None);
    assert!((system.now() - Utc::now()).num_seconds().abs() < 60);

    // The app run on it judges at the set instant and says so.
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| {
            EmbargoApp::new(
                &cc.egui_ctx,
                Startup::Example,
                embargo::ui::clock_from(Some("2026-12-01T13:00:00Z")).expect("a clock"),
                None,
            )
        });
    settle(&mut h);
    let app_now = h.state().now();
    assert!(
        app_now >= at && app_now - at < Duration::minutes(1),
        "{app_now}"
    );
    assert!(
        h.query_by_label("Clock set by EMBARGO_NOW: started at 2026-12-01 13:00 UTC")
            .is_some(),
        "the status bar says the clock is set"
    );
    // A change is journaled at the set clock.
    open_settings(&mut h);
    tab(&mut h, "Publication");
    type_into(&mut h, "Vendor", "Postbote Rehearsal");
    h.get_by_label("Apply").click();
    settle(&mut h);
    let last = project(&h).journal.last().expect("journaled").at;
    assert!(last >= at && last - at < Duration::minutes(1), "{last}");

    // The system clock (or the tests' fixed one): nothing is said.
    let h = harness(Startup::Example);
    assert!(
        h.query_by_label_contains("Clock set by EMBARGO_NOW")
            .is_none()
    );
    assert_eq!(h.state().now(), now());
}

#[test]
fn the_settings_shortcut_opens_the_window() {
    let mut h = harness(Startup::Example);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Comma);
    settle(&mut h);
    assert!(h.state().view.project_settings.is_some());
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.state().view.project_settings.is_none());
}

#[test]
fn messages_that_name_a_setting_name_where_it_is_in_the_app() {
    let mut p = embargo::adapters::store::example().expect("example");
    p.publication.repo_url.clear();
    p.publication.cna_org_id.clear();
    p.publication.advisory_url.clear();
    let issue = p.issues[0].clone();
    let osv = embargo::core::render::osv::check(&p, &issue, now());
    assert!(
        osv.iter()
            .any(|f| f.message.contains(&settings::REPO_URL.to_string())),
        "{osv:?}"
    );
    let cve = embargo::core::render::cve::check(&p, &issue);
    assert!(
        cve.iter()
            .any(|f| f.message.contains(&settings::CNA_ORG_ID.to_string())),
        "{cve:?}"
    );
    let release = p.releases[0].clone();
    let advisory = embargo::core::render::advisory::check_security_advisory(&p, &release);
    assert!(
        advisory
            .iter()
            .any(|f| f.message.contains(&settings::ADVISORY_URL.to_string())),
        "{advisory:?}"
    );
    let unset = embargo::core::notice::ServerError::Unset.to_string();
    assert!(
        unset.contains("Project › Settings › Mail › SMTP host"),
        "{unset}"
    );
}

/// `embargo settings` on a copy of the example in `dir`.
fn cli(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let file = dir.join("postbote.embargo.ron");
    if !file.exists() {
        let p = embargo::adapters::store::example().expect("example");
        embargo::adapters::store::save(&file, &p).expect("saved");
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_embargo"))
        .arg("settings")
        .arg(&file)
        .args(args)
        .env("EMBARGO_NOW", now().to_rfc3339())
        .output()
        .expect("embargo runs")
}

#[test]
fn the_cli_keeps_the_rules_the_window_keeps_and_sets_the_playbook() {
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("postbote.embargo.ron");
    cli(dir.path(), &[]);
    let before = std::fs::read(&file).expect("read");
    // The sender the window refuses: refused the same way, file untouched.
    let o = cli(dir.path(), &["--mail-from", "Postbote Security"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "has no mail address: give `Name <user@example.org>` or `user@example.org`; fix it in Project › Settings › Mail › From (CLI: embargo settings --mail-from)"
        ),
        "{err}"
    );
    let o = cli(dir.path(), &["--download-url", "downloads.example/{file}"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("Project › Settings › Publication › Download address"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = cli(dir.path(), &["--playbook", "nginx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("Project › Settings › Playbook"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(std::fs::read(&file).expect("read"), before);

    // The playbook is set, journaled as the window journals it.
    let o = cli(dir.path(), &["--playbook", "openssl"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = embargo::adapters::store::load(&file).expect("opens");
    assert_eq!(p.playbook, PlaybookRef::Builtin("openssl".into()));
    assert!(p.journal.iter().any(|e| matches!(
        &e.event,
        Event::FieldChanged { field, .. } if field == "playbook"
    )));
    let shown = String::from_utf8_lossy(&cli(dir.path(), &[]).stdout).into_owned();
    assert!(shown.contains("built-in openssl"), "{shown}");
}

#[test]
fn the_identifiers_are_chosen_in_the_publication_tab() {
    let mut h = harness(Startup::Example);
    open_settings(&mut h);
    tab(&mut h, "Publication");
    h.get_by_label("Identifiers").click();
    h.run();
    h.get_by_label("GCVE…").click();
    h.run();
    // The GNA number is asked beside it; 1 (CIRCL) to start with.
    assert!(h.query_by_label("GNA number").is_some());
    h.get_by_label("Apply").click();
    settle(&mut h);
    let p = project(&h);
    assert_eq!(
        p.publication.id_authority,
        Some(embargo::core::model::IdAuthority::Gcve { gna: 1 })
    );
    let last = p.journal.last().expect("journaled").event.describe();
    assert_eq!(last, "identifiers set to GCVE of GNA 1");
}
