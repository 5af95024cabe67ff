//! The project's settings as one value — everything the project file holds
//! besides its recipients, issues, releases and journal: mail, signing key,
//! repository, publication, time and playbook — with the rules a value must
//! keep and where each setting is changed. The app's Project › Settings
//! window and `embargo settings` check a change with the same functions
//! here ([`check`], or one group's), and every message that names a setting
//! names its [`Place`]: the window's tab and field, and the CLI flag.

use chrono::{DateTime, Utc};

use super::model::{
    Blackout, KeyLocation, MailSettings, PlaybookRef, Project, PublicationSettings, RepoSettings,
    SigningKeyRef, TimeSettings,
};
use super::ops;

/// Where a setting is changed: in the app (Project › Settings › TAB ›
/// FIELD) and on the command line (`embargo settings FLAG`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// The tab of the Project › Settings window.
    pub tab: &'static str,
    /// The field's label in it.
    pub field: &'static str,
    /// The flag of `embargo settings`, if there is one.
    pub flag: Option<&'static str>,
}

impl Place {
    const fn new(tab: &'static str, field: &'static str, flag: &'static str) -> Self {
        Self {
            tab,
            field,
            flag: Some(flag),
        }
    }

    /// `Project › Settings › Mail › From`: where it is in the app.
    pub fn in_app(&self) -> String {
        format!("Project › Settings › {} › {}", self.tab, self.field)
    }
}

impl std::fmt::Display for Place {
    /// `Project › Settings › Mail › From (CLI: embargo settings --mail-from)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_app())?;
        if let Some(flag) = self.flag {
            write!(f, " (CLI: embargo settings {flag})")?;
        }
        Ok(())
    }
}

/// The sender of notices.
pub const MAIL_FROM: Place = Place::new("Mail", "From", "--mail-from");
/// The SMTP submission host.
pub const SMTP_HOST: Place = Place::new("Mail", "SMTP host", "--smtp-host");
/// The SMTP submission port.
pub const SMTP_PORT: Place = Place::new("Mail", "SMTP port", "--smtp-port");
/// The SMTP user.
pub const SMTP_USER: Place = Place::new("Mail", "SMTP user", "--smtp-user");
/// The CA the SMTP server's certificate is checked against.
pub const SMTP_CA: Place = Place::new("Mail", "CA to trust", "--smtp-ca");
/// The signing key in gpg-agent.
pub const SIGNING_KEY: Place = Place::new("Signing key", "Fingerprint", "--signing-key");
/// The signing key in a key file.
pub const SIGNING_KEY_FILE: Place = Place::new("Signing key", "Key file", "--signing-key-file");
/// The private repository's path.
pub const REPO_PATH: Place = Place::new("Repository", "Path", "--repo");
/// The public remotes.
pub const PUBLIC_REMOTES: Place = Place::new("Repository", "Public remotes", "--public-remotes");
/// The private remotes.
pub const PRIVATE_REMOTES: Place = Place::new("Repository", "Private remotes", "--private-remotes");
/// The version file.
pub const VERSION_FILE: Place = Place::new("Repository", "Version file", "--version-file");
/// The version pattern.
pub const VERSION_PATTERN: Place = Place::new("Repository", "Version pattern", "--version-pattern");
/// The tag template.
pub const TAG_TEMPLATE: Place = Place::new("Repository", "Tag template", "--tag-template");
/// The tarball template.
pub const TARBALL_TEMPLATE: Place =
    Place::new("Repository", "Tarball template", "--tarball-template");
/// The tarball formats.
pub const TARBALL_FORMATS: Place = Place::new("Repository", "Tarball formats", "--tarball-formats");
/// The vendor named in records.
pub const VENDOR: Place = Place::new("Publication", "Vendor", "--vendor");
/// The product named in records.
pub const PRODUCT: Place = Place::new("Publication", "Product", "--product");
/// The CNA's organisation UUID.
pub const CNA_ORG_ID: Place = Place::new("Publication", "CNA organisation ID", "--cna-org-id");
/// The CNA's short name.
pub const CNA_SHORT_NAME: Place = Place::new("Publication", "CNA short name", "--cna-short-name");
/// The public repository's address.
pub const REPO_URL: Place = Place::new("Publication", "Repository address", "--repo-url");
/// The address of one commit.
pub const COMMIT_URL: Place = Place::new("Publication", "Commit address", "--commit-url");
/// The advisory's address.
pub const ADVISORY_URL: Place = Place::new("Publication", "Advisory address", "--advisory-url");
/// The download address.
pub const DOWNLOAD_URL: Place = Place::new("Publication", "Download address", "--download-url");
/// The severity policy's address.
pub const SEVERITY_POLICY_URL: Place = Place::new(
    "Publication",
    "Severity policy address",
    "--severity-policy-url",
);
/// The embargoed download address.
pub const EMBARGO_URL: Place =
    Place::new("Publication", "Embargoed download address", "--embargo-url");
/// The OSV database prefix.
pub const OSV_PREFIX: Place = Place::new("Publication", "OSV database prefix", "--osv-prefix");
/// Whether the product is placed on the EU market (the Cyber Resilience Act's reports).
pub const SHIPS_IN_EU: Place = Place::new("Publication", "Ships in the EU", "--ships-in-eu");
/// Which identifiers the project's issues get: CVE, or GCVE of a
/// numbering authority (else as the playbook says).
pub const ID_AUTHORITY: Place = Place::new("Publication", "Identifiers", "--id-authority");
/// The working hours.
pub const WORKING_HOURS: Place = Place::new("Time", "Working hours", "--working-hours");
/// The preferred release time.
pub const RELEASE_HOUR: Place = Place::new("Time", "Preferred release time", "--release-hour");
/// The blackout days.
pub const BLACKOUTS: Place = Place::new("Time", "Blackout days", "--add-blackout");
/// The playbook.
pub const PLAYBOOK: Place = Place {
    tab: "Playbook",
    field: "Playbook",
    flag: None,
};

/// A setting's value that breaks a rule: what is wrong and where to fix it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{problem}; fix it in {place}")]
pub struct SettingError {
    /// Where the setting is changed.
    pub place: Place,
    /// What is wrong with the value.
    pub problem: String,
}

fn bad(place: Place, problem: impl Into<String>) -> SettingError {
    SettingError {
        place,
        problem: problem.into(),
    }
}

/// Everything the project file holds that the settings window edits.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectSettings {
    /// Outgoing mail (never a password).
    pub mail: MailSettings,
    /// The release signing key, if any.
    pub signing: Option<SigningKeyRef>,
    /// The private repository and the release names.
    pub repo: RepoSettings,
    /// What the advisories and records say.
    pub publication: PublicationSettings,
    /// Zones, working hours, release time, blackouts.
    pub time: TimeSettings,
    /// The playbook followed.
    pub playbook: PlaybookRef,
}

impl ProjectSettings {
    /// The settings of `project`.
    pub fn of(project: &Project) -> Self {
        Self {
            mail: project.mail.clone(),
            signing: project.signing.clone(),
            repo: project.repo.clone(),
            publication: project.publication.clone(),
            time: project.time.clone(),
            playbook: project.playbook.clone(),
        }
    }
}

/// Check every group of `settings`; the first broken rule, if any.
pub fn check(settings: &ProjectSettings) -> Result<(), SettingError> {
    check_mail(&settings.mail)?;
    if let Some(key) = &settings.signing {
        check_signing_key(key)?;
    }
    check_repo(&settings.repo)?;
    check_publication(&settings.publication)?;
    check_time(&settings.time)?;
    check_playbook(&settings.playbook)
}

/// Apply `settings` to `project` through the `core::ops` function of each
/// group (each journals what changed; an unchanged group journals nothing).
/// Checked first: a broken rule changes nothing.
pub fn apply(
    project: &mut Project,
    settings: ProjectSettings,
    now: DateTime<Utc>,
) -> Result<(), SettingError> {
    check(&settings)?;
    ops::set_mail(project, settings.mail, now);
    ops::set_signing_key(project, settings.signing, now);
    ops::set_repo(project, settings.repo, now);
    ops::set_publication(project, settings.publication, now);
    ops::set_time(project, settings.time, now);
    ops::set_playbook(project, settings.playbook, now);
    Ok(())
}

fn one_line(place: Place, value: &str) -> Result<(), SettingError> {
    if value.chars().any(char::is_control) {
        return Err(bad(
            place,
            format!(
                "`{}` holds a line break or control character",
                value.escape_debug()
            ),
        ));
    }
    Ok(())
}

/// The mail settings' rules: a sender with an address, one-line values, a
/// port when a host is given.
pub fn check_mail(mail: &MailSettings) -> Result<(), SettingError> {
    for (place, value) in [
        (MAIL_FROM, &mail.from),
        (SMTP_HOST, &mail.smtp_host),
        (SMTP_USER, &mail.smtp_user),
        (SMTP_CA, &mail.smtp_ca),
    ] {
        one_line(place, value)?;
    }
    let from = mail.from.trim();
    if !from.is_empty() {
        let address = match (from.rfind('<'), from.ends_with('>')) {
            (Some(i), true) => &from[i + 1..from.len() - 1],
            _ => from,
        };
        let parts = address.split_once('@');
        if !parts.is_some_and(|(local, domain)| {
            !local.is_empty() && !domain.is_empty() && !address.contains(char::is_whitespace)
        }) {
            return Err(bad(
                MAIL_FROM,
                format!(
                    "the sender `{from}` has no mail address: give `Name <user@example.org>` or `user@example.org`"
                ),
            ));
        }
    }
    if mail.smtp_host.trim().contains(char::is_whitespace) {
        return Err(bad(
            SMTP_HOST,
            format!("the SMTP host `{}` holds a space", mail.smtp_host.trim()),
        ));
    }
    if !mail.smtp_host.trim().is_empty() && mail.smtp_port == 0 {
        return Err(bad(
            SMTP_PORT,
            "the SMTP port is 0: give the server's submission port (587 for STARTTLS, 465 for TLS)",
        ));
    }
    Ok(())
}

/// The fingerprint of a key in gpg-agent as typed, normalized (upper-case
/// hex, no spaces, no `0x`); `None` unless it is hex of at least 16 digits
/// (a long key ID at least, a full fingerprint preferred). The one rule the
/// app's key fields and `embargo settings --signing-key` apply.
pub fn agent_fingerprint(typed: &str) -> Option<String> {
    let fingerprint = typed
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_start_matches("0x")
        .to_ascii_uppercase();
    (fingerprint.len() >= 16 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()))
        .then_some(fingerprint)
}

/// The signing key's rules: a fingerprint for a key in gpg-agent, a path
/// for a key file.
pub fn check_signing_key(key: &SigningKeyRef) -> Result<(), SettingError> {
    match &key.location {
        KeyLocation::GpgAgent { homedir } => {
            if agent_fingerprint(&key.fingerprint).is_none() {
                return Err(bad(
                    SIGNING_KEY,
                    format!(
                        "`{}` is not a fingerprint: give the key's full fingerprint in hex (pick it from the list of gpg-agent's keys, or see gpg --list-secret-keys)",
                        key.fingerprint.trim()
                    ),
                ));
            }
            if let Some(h) = homedir {
                one_line(SIGNING_KEY, h)?;
            }
        }
        KeyLocation::KeyFile { path } => {
            if path.trim().is_empty() {
                return Err(bad(SIGNING_KEY_FILE, "the key file's path is empty"));
            }
            one_line(SIGNING_KEY_FILE, path)?;
        }
    }
    Ok(())
}

/// The repository settings' rules: remote names without spaces, one-line
/// templates, at least one tarball format.
pub fn check_repo(repo: &RepoSettings) -> Result<(), SettingError> {
    for (place, value) in [
        (REPO_PATH, &repo.path),
        (VERSION_FILE, &repo.version_file),
        (VERSION_PATTERN, &repo.version_pattern),
        (TAG_TEMPLATE, &repo.tag_template),
        (TARBALL_TEMPLATE, &repo.tarball_template),
    ] {
        one_line(place, value)?;
    }
    for (place, remotes) in [
        (PUBLIC_REMOTES, &repo.public_remotes),
        (PRIVATE_REMOTES, &repo.private_remotes),
    ] {
        if let Some(r) = remotes
            .iter()
            .find(|r| r.trim().is_empty() || r.contains(char::is_whitespace) || r.contains(','))
        {
            return Err(bad(
                place,
                format!("`{r}` is not a remote's name (no spaces or commas)"),
            ));
        }
    }
    if repo.tarball_formats.is_empty() {
        return Err(bad(
            TARBALL_FORMATS,
            "no tarball format is chosen: choose at least one of tar, gz, bz2, xz",
        ));
    }
    Ok(())
}

/// The publication settings' rules: addresses are web addresses, the CNA's
/// organisation ID a version 4 UUID, every value one line.
pub fn check_publication(p: &PublicationSettings) -> Result<(), SettingError> {
    if p.id_authority == Some(crate::core::model::IdAuthority::Gcve { gna: 0 }) {
        return Err(bad(
            ID_AUTHORITY,
            "GCVE numbering authority 0 is the CVE Program itself (GCVE-0-YYYY-NNNN is \
             CVE-YYYY-NNNN): choose CVE, or give your own GNA's number",
        ));
    }
    for (place, value) in [
        (VENDOR, &p.vendor),
        (PRODUCT, &p.product),
        (CNA_ORG_ID, &p.cna_org_id),
        (CNA_SHORT_NAME, &p.cna_short_name),
        (OSV_PREFIX, &p.osv_prefix),
    ] {
        one_line(place, value)?;
    }
    let prefix = p.osv_prefix.trim();
    if !prefix.is_empty() && !super::render::osv::is_prefix_shaped(prefix) {
        return Err(bad(
            OSV_PREFIX,
            format!(
                "`{prefix}` is not a database prefix: letters, digits and inner dashes, without the final dash, e.g. CURL"
            ),
        ));
    }
    let org = p.cna_org_id.trim();
    if !org.is_empty() && !super::render::cve::is_uuid(org) {
        return Err(bad(
            CNA_ORG_ID,
            format!(
                "`{org}` is not a version 4 UUID (drafts may use 00000000-0000-4000-9000-000000000000)"
            ),
        ));
    }
    for (place, value) in [
        (REPO_URL, &p.repo_url),
        (COMMIT_URL, &p.commit_url),
        (ADVISORY_URL, &p.advisory_url),
        (DOWNLOAD_URL, &p.download_url),
        (SEVERITY_POLICY_URL, &p.severity_policy_url),
        (EMBARGO_URL, &p.embargo_url),
    ] {
        one_line(place, value)?;
        let url = value.trim();
        let web = url.starts_with("https://") || url.starts_with("http://");
        let git = place == REPO_URL && (url.starts_with("git://") || url.starts_with("ssh://"));
        if !url.is_empty() && !web && !git {
            return Err(bad(
                place,
                format!("`{url}` is not a web address: start it with https://"),
            ));
        }
    }
    Ok(())
}

/// Working hours `[start, end)`: whole hours, start before end, end at most 24.
pub fn check_working_hours(hours: (u32, u32)) -> Result<(), SettingError> {
    let (start, end) = hours;
    if start < end && end <= 24 {
        Ok(())
    } else {
        Err(bad(
            WORKING_HOURS,
            format!(
                "working hours {start}-{end} are not START-END in whole hours with START before END, e.g. 9-18"
            ),
        ))
    }
}

/// A time of day: hour below 24, minute below 60.
pub fn check_release_time(hour: u32, minute: u32) -> Result<(), SettingError> {
    if hour < 24 && minute < 60 {
        Ok(())
    } else {
        Err(bad(
            RELEASE_HOUR,
            format!("{hour:02}:{minute:02} is not a time of day HH:MM, e.g. 14:00"),
        ))
    }
}

/// A blackout: a name, and a last day not before its first.
pub fn check_blackout(b: &Blackout) -> Result<(), SettingError> {
    if b.name.trim().is_empty() {
        return Err(bad(
            BLACKOUTS,
            "a blackout has no name: name it, e.g. Christmas",
        ));
    }
    one_line(BLACKOUTS, &b.name)?;
    if b.to < b.from {
        return Err(bad(
            BLACKOUTS,
            format!(
                "the blackout {} ends ({}) before it starts ({})",
                b.name, b.to, b.from
            ),
        ));
    }
    Ok(())
}

/// The time settings' rules: working hours, release time and blackouts.
pub fn check_time(t: &TimeSettings) -> Result<(), SettingError> {
    check_working_hours(t.working_hours)?;
    check_release_time(t.anchor.hour, t.anchor.minute)?;
    t.blackouts.iter().try_for_each(check_blackout)
}

/// The playbook's rules: a built-in one by its name, or a file's path.
pub fn check_playbook(p: &PlaybookRef) -> Result<(), SettingError> {
    match p {
        PlaybookRef::Builtin(name) => {
            if !super::playbook::BUILTIN_NAMES.contains(&name.as_str()) {
                return Err(bad(
                    PLAYBOOK,
                    format!(
                        "there is no built-in playbook `{name}`; choose one of {}",
                        super::playbook::BUILTIN_NAMES.join(", ")
                    ),
                ));
            }
        }
        PlaybookRef::File(path) => {
            if path.trim().is_empty() {
                return Err(bad(PLAYBOOK, "the playbook file's path is empty"));
            }
            one_line(PLAYBOOK, path)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Project {
        ron::from_str(include_str!("../../assets/examples/postbote.embargo.ron")).expect("example")
    }

    #[test]
    fn the_example_keeps_every_rule() {
        check(&ProjectSettings::of(&example())).expect("the example is valid");
    }

    #[test]
    fn a_broken_rule_names_its_place_in_the_app_and_the_flag() {
        let mut s = ProjectSettings::of(&example());
        s.mail.from = "Security".into();
        let e = check(&s).expect_err("no address");
        assert_eq!(e.place, MAIL_FROM);
        assert!(
            e.to_string().ends_with(
                "fix it in Project › Settings › Mail › From (CLI: embargo settings --mail-from)"
            ),
            "{e}"
        );
        let mut s = ProjectSettings::of(&example());
        s.time.working_hours = (18, 9);
        assert_eq!(check(&s).expect_err("hours").place, WORKING_HOURS);
        let mut s = ProjectSettings::of(&example());
        s.publication.advisory_url = "postbote.example/adv".into();
        assert_eq!(check(&s).expect_err("url").place, ADVISORY_URL);
        let mut s = ProjectSettings::of(&example());
        s.repo.tarball_formats.clear();
        assert_eq!(check(&s).expect_err("formats").place, TARBALL_FORMATS);
        let mut s = ProjectSettings::of(&example());
        s.mail.smtp_port = 0;
        assert_eq!(check(&s).expect_err("port").place, SMTP_PORT);
        let mut s = ProjectSettings::of(&example());
        s.playbook = PlaybookRef::Builtin("nginx".into());
        assert_eq!(check(&s).expect_err("playbook").place, PLAYBOOK);
    }

    #[test]
    fn apply_refuses_a_broken_rule_and_changes_nothing() {
        let mut p = example();
        let before = p.clone();
        let mut s = ProjectSettings::of(&p);
        s.mail.from = "Security <security@postbote.example>\r\nBcc: x@y".into();
        apply(&mut p, s, Utc::now()).expect_err("a line break");
        assert_eq!(p, before);
    }

    #[test]
    fn fingerprints_are_normalized_and_short_ids_refused() {
        assert_eq!(
            agent_fingerprint(" 0xabcd 1234 ABCD 1234 ").as_deref(),
            Some("ABCD1234ABCD1234")
        );
        assert_eq!(agent_fingerprint("ABCD1234"), None);
        assert_eq!(agent_fingerprint("not hex at all, not hex"), None);
    }
}
