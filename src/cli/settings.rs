//! `embargo settings FILE`: the project's settings — time zones, working
//! hours, release hour and blackout days; signing key; repository; mail
//! server; the names and addresses advisories and records carry; the
//! playbook — shown with no flags, changed with flags. Each group changed is
//! checked with the rules the app's Project › Settings window checks
//! ([`settings::check_time`] and the others of `core::settings`) and goes
//! through the `core::ops` function the app calls ([`ops::set_time`],
//! [`ops::set_signing_key`], [`ops::set_repo`], [`ops::set_mail`],
//! [`ops::set_publication`], [`ops::set_playbook`]), so it is journaled in
//! the project as the app journals it.

use std::path::{Path, PathBuf};

use anyhow::Result;
use chrono::NaiveDate;
use chrono_tz::Tz;
use clap::Args;
use serde::Serialize;

use super::Outcome;
use super::edit::{self, Usage};
use crate::adapters::{openpgp, playbooks};
use crate::core::model::{
    Blackout, IdAuthority, KeyLocation, MailSettings, PlaybookRef, Project, PublicationSettings,
    RepoSettings, SigningKeyRef, TarballFormat, TimeSettings,
};
use crate::core::{ops, settings};

/// `embargo settings`.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// The project file.
    pub file: PathBuf,
    /// The coordinator's own zone (the journal is shown in it).
    #[arg(long, value_name = "ZONE", value_parser = super::parse_zone, help_heading = "Time")]
    pub home_zone: Option<Tz>,
    /// The key zones, comma separated, in order (replaces them).
    #[arg(long, value_name = "ZONES", value_delimiter = ',', value_parser = super::parse_zone, help_heading = "Time")]
    pub zones: Option<Vec<Tz>>,
    /// Local working hours, START-END in whole hours, e.g. 9-18.
    #[arg(long, value_name = "START-END", help_heading = "Time")]
    pub working_hours: Option<String>,
    /// The preferred release time, HH:MM, in --release-zone.
    #[arg(long, value_name = "HH:MM", help_heading = "Time")]
    pub release_hour: Option<String>,
    /// The zone the preferred release time is read in.
    #[arg(long, value_name = "ZONE", value_parser = super::parse_zone, help_heading = "Time")]
    pub release_zone: Option<Tz>,
    /// Add a blackout: NAME=FROM..TO (dates, TO included), or NAME=DAY (repeatable).
    #[arg(long, value_name = "NAME=FROM..TO", help_heading = "Time")]
    pub add_blackout: Vec<String>,
    /// Remove the blackouts with this name (repeatable).
    #[arg(long, value_name = "NAME", help_heading = "Time")]
    pub remove_blackout: Vec<String>,

    /// The signing key in gpg-agent, by its full fingerprint.
    #[arg(long, value_name = "FINGERPRINT", conflicts_with_all = ["signing_key_file", "no_signing_key"], help_heading = "Signing key")]
    pub signing_key: Option<String>,
    /// The GnuPG home of --signing-key (default: GnuPG's own).
    #[arg(
        long,
        value_name = "DIR",
        requires = "signing_key",
        help_heading = "Signing key"
    )]
    pub gpg_homedir: Option<String>,
    /// The signing key in an armored secret key file.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "no_signing_key",
        help_heading = "Signing key"
    )]
    pub signing_key_file: Option<String>,
    /// The project has no signing key.
    #[arg(long, help_heading = "Signing key")]
    pub no_signing_key: bool,

    /// The private repository's path.
    #[arg(long, value_name = "PATH", help_heading = "Repository")]
    pub repo: Option<String>,
    /// The public remotes, comma separated (embargoed commits never reach them).
    #[arg(long, value_name = "REMOTES", value_delimiter = ',', num_args = 0..=1, help_heading = "Repository")]
    pub public_remotes: Option<Vec<String>>,
    /// The private remotes, comma separated (every other remote counts as public).
    #[arg(long, value_name = "REMOTES", value_delimiter = ',', num_args = 0..=1, help_heading = "Repository")]
    pub private_remotes: Option<Vec<String>>,
    /// The file carrying the version, e.g. src/version.h.
    #[arg(long, value_name = "PATH", help_heading = "Repository")]
    pub version_file: Option<String>,
    /// The pattern locating the version in it; {version} marks the version.
    #[arg(long, value_name = "PATTERN", help_heading = "Repository")]
    pub version_pattern: Option<String>,
    /// The tag name template, e.g. exim-{version}.
    #[arg(long, value_name = "TEMPLATE", help_heading = "Repository")]
    pub tag_template: Option<String>,
    /// The tarball base name template, e.g. exim-{version}.
    #[arg(long, value_name = "TEMPLATE", help_heading = "Repository")]
    pub tarball_template: Option<String>,
    /// The tarball formats, comma separated: tar, gz, bz2, xz.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', value_parser = parse_format, help_heading = "Repository")]
    pub tarball_formats: Option<Vec<TarballFormat>>,

    /// The sender of notices, e.g. "Exim Security <security@exim.org>".
    #[arg(long, value_name = "MAILBOX", help_heading = "Mail server")]
    pub mail_from: Option<String>,
    /// The SMTP submission host.
    #[arg(long, value_name = "HOST", help_heading = "Mail server")]
    pub smtp_host: Option<String>,
    /// The SMTP submission port (587 for STARTTLS, 465 for TLS).
    #[arg(long, value_name = "PORT", help_heading = "Mail server")]
    pub smtp_port: Option<u16>,
    /// The SMTP user; the password is asked when sending, never stored.
    #[arg(long, value_name = "USER", help_heading = "Mail server")]
    pub smtp_user: Option<String>,
    /// A PEM file with your own CA of the SMTP server ("" for the usual roots only).
    #[arg(long, value_name = "FILE", help_heading = "Mail server")]
    pub smtp_ca: Option<String>,

    /// The vendor named in CVE records.
    #[arg(long, help_heading = "Publication")]
    pub vendor: Option<String>,
    /// The product named in records.
    #[arg(long, help_heading = "Publication")]
    pub product: Option<String>,
    /// The CNA's organisation UUID.
    #[arg(long, value_name = "UUID", help_heading = "Publication")]
    pub cna_org_id: Option<String>,
    /// The CNA's short name.
    #[arg(long, value_name = "NAME", help_heading = "Publication")]
    pub cna_short_name: Option<String>,
    /// The public git repository's address.
    #[arg(long, value_name = "URL", help_heading = "Publication")]
    pub repo_url: Option<String>,
    /// The web address of one commit; {commit} marks the full hash.
    #[arg(long, value_name = "URL", help_heading = "Publication")]
    pub commit_url: Option<String>,
    /// The address of a release's advisory; {date} marks YYYYMMDD.
    #[arg(long, value_name = "URL", help_heading = "Publication")]
    pub advisory_url: Option<String>,
    /// The download address of a release file; {file} marks its name.
    #[arg(long, value_name = "URL", help_heading = "Publication")]
    pub download_url: Option<String>,
    /// The page that defines the severity levels.
    #[arg(long, value_name = "URL", help_heading = "Publication")]
    pub severity_policy_url: Option<String>,
    /// The embargoed download address; {version} marks the version.
    #[arg(long, value_name = "URL", help_heading = "Publication")]
    pub embargo_url: Option<String>,
    /// The prefix OSV registered for the project's database, e.g. CURL
    /// (records are then named CURL-CVE-2023-38545).
    #[arg(long, value_name = "PREFIX", help_heading = "Publication")]
    pub osv_prefix: Option<String>,
    /// Whether the project places its product on the EU market (yes or
    /// no): an actively exploited issue then owes the Cyber Resilience
    /// Act's reports (Regulation (EU) 2024/2847, Article 14).
    #[arg(long, value_name = "yes|no", value_parser = parse_yes_no, help_heading = "Publication")]
    pub ships_in_eu: Option<bool>,
    /// Which identifiers the issues get: cve, gcve:N (GCVE IDs of the GCVE
    /// numbering authority N, e.g. gcve:1 for CIRCL), or playbook (as the
    /// playbook says; CVE unless it says otherwise).
    #[arg(long, value_name = "cve|gcve:N|playbook", value_parser = parse_id_authority, help_heading = "Publication")]
    pub id_authority: Option<AuthorityChoice>,

    /// Follow this built-in playbook: exim or openssl.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "playbook_file",
        help_heading = "Playbook"
    )]
    pub playbook: Option<String>,
    /// Follow the playbook in this file (relative to the project file).
    #[arg(long, value_name = "FILE", help_heading = "Playbook")]
    pub playbook_file: Option<String>,

    /// Print JSON: `{time, signing, repo, mail, publication}` (after the change).
    #[arg(long)]
    pub json: bool,
}

fn parse_yes_no(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("`{s}` is not yes or no")),
    }
}

/// The value of `--id-authority`: an authority, or `None` for "as the
/// playbook says".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthorityChoice(pub Option<IdAuthority>);

/// `cve`, `gcve:N` or `playbook`.
fn parse_id_authority(s: &str) -> Result<AuthorityChoice, String> {
    let v = s.trim().to_ascii_lowercase();
    match v.as_str() {
        "cve" => Ok(AuthorityChoice(Some(IdAuthority::Cve))),
        "playbook" => Ok(AuthorityChoice(None)),
        _ => match v.strip_prefix("gcve:").map(str::parse::<u64>) {
            Some(Ok(0)) => Err(
                "GCVE numbering authority 0 is the CVE Program itself: give cve, or your own GNA's number"
                    .into(),
            ),
            Some(Ok(gna)) => Ok(AuthorityChoice(Some(IdAuthority::Gcve { gna }))),
            _ => Err(format!(
                "`{s}` is not cve, gcve:N (N the GCVE numbering authority's number) or playbook"
            )),
        },
    }
}

fn parse_format(s: &str) -> Result<TarballFormat, String> {
    let names: Vec<&str> = TarballFormat::ALL.iter().map(|f| f.short()).collect();
    TarballFormat::ALL
        .into_iter()
        .find(|f| f.short() == s.trim())
        .ok_or_else(|| edit::unknown(s, &names, "a tarball format"))
}

impl SettingsArgs {
    fn changes_time(&self) -> bool {
        self.home_zone.is_some()
            || self.zones.is_some()
            || self.working_hours.is_some()
            || self.release_hour.is_some()
            || self.release_zone.is_some()
            || !self.add_blackout.is_empty()
            || !self.remove_blackout.is_empty()
    }

    fn changes_key(&self) -> bool {
        self.signing_key.is_some() || self.signing_key_file.is_some() || self.no_signing_key
    }

    fn changes_repo(&self) -> bool {
        self.repo.is_some()
            || self.public_remotes.is_some()
            || self.private_remotes.is_some()
            || self.version_file.is_some()
            || self.version_pattern.is_some()
            || self.tag_template.is_some()
            || self.tarball_template.is_some()
            || self.tarball_formats.is_some()
    }

    fn changes_mail(&self) -> bool {
        self.mail_from.is_some()
            || self.smtp_host.is_some()
            || self.smtp_port.is_some()
            || self.smtp_user.is_some()
            || self.smtp_ca.is_some()
    }

    fn changes_publication(&self) -> bool {
        [
            &self.vendor,
            &self.product,
            &self.cna_org_id,
            &self.cna_short_name,
            &self.repo_url,
            &self.commit_url,
            &self.advisory_url,
            &self.download_url,
            &self.severity_policy_url,
            &self.embargo_url,
            &self.osv_prefix,
        ]
        .iter()
        .any(|o| o.is_some())
            || self.ships_in_eu.is_some()
            || self.id_authority.is_some()
    }

    /// The playbook the flags ask for, if any.
    fn playbook_ref(&self) -> Option<PlaybookRef> {
        match (&self.playbook, &self.playbook_file) {
            (Some(name), _) => Some(PlaybookRef::Builtin(name.trim().to_owned())),
            (None, Some(file)) => Some(PlaybookRef::File(file.trim().to_owned())),
            (None, None) => None,
        }
    }

    fn changes(&self) -> bool {
        self.playbook_ref().is_some()
            || self.changes_time()
            || self.changes_key()
            || self.changes_repo()
            || self.changes_mail()
            || self.changes_publication()
    }
}

/// Run `embargo settings`.
pub fn settings(args: SettingsArgs) -> Result<Outcome> {
    edit::exit_code(run(&args))
}

fn run(args: &SettingsArgs) -> Result<()> {
    let project = if args.changes() {
        // Every value is read before the project is locked and opened.
        let time = time_change(args)?;
        let key = key_change(args)?;
        edit::change(&args.file, "embargo settings", |p, _, now| {
            // Each group changed keeps the rules the app's settings window
            // checks (core::settings), before anything is changed.
            let usage = |e: settings::SettingError| Usage(e.to_string());
            let time = time.map(|change| {
                let mut t = p.time.clone();
                change(&mut t);
                t
            });
            if let Some(t) = &time {
                settings::check_time(t).map_err(usage)?;
            }
            if let Some(Some(k)) = &key {
                settings::check_signing_key(k).map_err(usage)?;
            }
            let repo = args.changes_repo().then(|| repo_of(args, p.repo.clone()));
            if let Some(r) = &repo {
                settings::check_repo(r).map_err(usage)?;
            }
            let mail = args.changes_mail().then(|| mail_of(args, p.mail.clone()));
            if let Some(m) = &mail {
                settings::check_mail(m).map_err(usage)?;
            }
            let publication = args
                .changes_publication()
                .then(|| publication_of(args, p.publication.clone()));
            if let Some(u) = &publication {
                settings::check_publication(u).map_err(usage)?;
            }
            let playbook = args.playbook_ref();
            if let Some(book) = &playbook {
                settings::check_playbook(book).map_err(usage)?;
                // A playbook that does not load is never set.
                playbooks::load(book, Some(args.file.as_path()))
                    .map_err(|e| Usage(format!("{e}; fix it in {}", settings::PLAYBOOK)))?;
            }
            if let Some(t) = time {
                ops::set_time(p, t, now);
            }
            if let Some(k) = key {
                ops::set_signing_key(p, k, now);
            }
            if let Some(r) = repo {
                ops::set_repo(p, r, now);
            }
            if let Some(m) = mail {
                ops::set_mail(p, m, now);
            }
            if let Some(u) = publication {
                ops::set_publication(p, u, now);
            }
            if let Some(book) = playbook {
                ops::set_playbook(p, book, now);
            }
            Ok(p.clone())
        })?
    } else {
        super::load_project(&args.file)?.0
    };
    if args.json {
        edit::print_json(&SettingsJson::from(&project))
    } else {
        show(&args.file, &project);
        Ok(())
    }
}

type TimeChange = Box<dyn FnOnce(&mut TimeSettings)>;

/// The change of the time settings the flags ask for, checked.
fn time_change(args: &SettingsArgs) -> Result<Option<TimeChange>, Usage> {
    if !args.changes_time() {
        return Ok(None);
    }
    let hours = match &args.working_hours {
        Some(s) => {
            let parsed = s.split_once('-').and_then(|(a, b)| {
                Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?))
            });
            match parsed {
                Some((a, b)) if settings::check_working_hours((a, b)).is_ok() => Some((a, b)),
                _ => {
                    return Err(Usage(format!(
                        "--working-hours `{s}` is not START-END in whole hours with START before END, e.g. 9-18"
                    )));
                }
            }
        }
        None => None,
    };
    let release = match &args.release_hour {
        Some(s) => {
            let parsed = s.split_once(':').and_then(|(h, m)| {
                Some((h.trim().parse::<u32>().ok()?, m.trim().parse::<u32>().ok()?))
            });
            match parsed {
                Some((h, m)) if settings::check_release_time(h, m).is_ok() => Some((h, m)),
                _ => {
                    return Err(Usage(format!(
                        "--release-hour `{s}` is not a time of day HH:MM, e.g. 14:00"
                    )));
                }
            }
        }
        None => None,
    };
    let blackouts = args
        .add_blackout
        .iter()
        .map(|b| blackout_of(b))
        .collect::<Result<Vec<_>, _>>()?;
    let (home, zones, zone) = (args.home_zone, args.zones.clone(), args.release_zone);
    let remove = args.remove_blackout.clone();
    Ok(Some(Box::new(move |t: &mut TimeSettings| {
        if let Some(z) = home {
            t.home_zone = z;
        }
        if let Some(mut zs) = zones {
            let mut seen = Vec::new();
            zs.retain(|z| {
                let new = !seen.contains(z);
                seen.push(*z);
                new
            });
            t.zones = zs;
        }
        if let Some(h) = hours {
            t.working_hours = h;
        }
        if let Some((h, m)) = release {
            t.anchor.hour = h;
            t.anchor.minute = m;
        }
        if let Some(z) = zone {
            t.anchor.zone = z;
        }
        t.blackouts
            .retain(|b| !remove.iter().any(|r| r.trim() == b.name));
        t.blackouts.extend(blackouts);
    })))
}

fn blackout_of(s: &str) -> Result<Blackout, Usage> {
    let bad = || {
        Usage(format!(
            "--add-blackout `{s}` is not NAME=FROM..TO or NAME=DAY, e.g. \"Christmas=2026-12-24..2026-12-26\""
        ))
    };
    let (name, days) = s.split_once('=').ok_or_else(bad)?;
    let day = |d: &str| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| bad());
    let (from, to) = match days.split_once("..") {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(days)?, day(days)?),
    };
    let blackout = Blackout {
        name: name.trim().to_owned(),
        from,
        to,
    };
    // The rule's own words: what is wrong, and where it is set.
    settings::check_blackout(&blackout).map_err(|e| Usage(e.to_string()))?;
    Ok(blackout)
}

/// The signing key the flags ask for (`Some(None)`: none), checked as the
/// app's key form checks it.
fn key_change(args: &SettingsArgs) -> Result<Option<Option<SigningKeyRef>>, Usage> {
    if args.no_signing_key {
        return Ok(Some(None));
    }
    if let Some(path) = &args.signing_key_file {
        if path.trim().is_empty() {
            return Err(Usage("--signing-key-file needs the key file's path".into()));
        }
        return Ok(Some(Some(SigningKeyRef {
            fingerprint: String::new(),
            location: KeyLocation::KeyFile {
                path: path.trim().to_owned(),
            },
        })));
    }
    let Some(fpr) = &args.signing_key else {
        return Ok(None);
    };
    let Some(fingerprint) = openpgp::agent_fingerprint(fpr) else {
        return Err(Usage(format!(
            "--signing-key `{fpr}` is not a fingerprint: give the key's full fingerprint in hex (gpg --list-secret-keys --with-colons shows it)"
        )));
    };
    Ok(Some(Some(SigningKeyRef {
        fingerprint,
        location: KeyLocation::GpgAgent {
            homedir: args
                .gpg_homedir
                .as_deref()
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .map(str::to_owned),
        },
    })))
}

fn set(target: &mut String, value: &Option<String>) {
    if let Some(v) = value {
        v.trim().clone_into(target);
    }
}

fn list(value: &Option<Vec<String>>) -> Option<Vec<String>> {
    value.as_ref().map(|v| {
        v.iter()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

fn repo_of(args: &SettingsArgs, mut r: RepoSettings) -> RepoSettings {
    set(&mut r.path, &args.repo);
    if let Some(v) = list(&args.public_remotes) {
        r.public_remotes = v;
    }
    if let Some(v) = list(&args.private_remotes) {
        r.private_remotes = v;
    }
    set(&mut r.version_file, &args.version_file);
    set(&mut r.version_pattern, &args.version_pattern);
    set(&mut r.tag_template, &args.tag_template);
    set(&mut r.tarball_template, &args.tarball_template);
    if let Some(f) = &args.tarball_formats {
        let mut f = f.clone();
        f.sort();
        f.dedup();
        r.tarball_formats = f;
    }
    r
}

fn mail_of(args: &SettingsArgs, mut m: MailSettings) -> MailSettings {
    set(&mut m.from, &args.mail_from);
    set(&mut m.smtp_host, &args.smtp_host);
    if let Some(p) = args.smtp_port {
        m.smtp_port = p;
    }
    set(&mut m.smtp_user, &args.smtp_user);
    set(&mut m.smtp_ca, &args.smtp_ca);
    m
}

fn publication_of(args: &SettingsArgs, mut p: PublicationSettings) -> PublicationSettings {
    set(&mut p.vendor, &args.vendor);
    set(&mut p.product, &args.product);
    set(&mut p.cna_org_id, &args.cna_org_id);
    set(&mut p.cna_short_name, &args.cna_short_name);
    set(&mut p.repo_url, &args.repo_url);
    set(&mut p.commit_url, &args.commit_url);
    set(&mut p.advisory_url, &args.advisory_url);
    set(&mut p.download_url, &args.download_url);
    set(&mut p.severity_policy_url, &args.severity_policy_url);
    set(&mut p.embargo_url, &args.embargo_url);
    set(&mut p.osv_prefix, &args.osv_prefix);
    if let Some(eu) = args.ships_in_eu {
        p.ships_in_eu = eu;
    }
    if let Some(AuthorityChoice(authority)) = args.id_authority {
        p.id_authority = authority;
    }
    p
}

#[derive(Serialize)]
struct SettingsJson<'a> {
    time: &'a TimeSettings,
    signing: &'a Option<SigningKeyRef>,
    repo: &'a RepoSettings,
    mail: &'a MailSettings,
    publication: &'a PublicationSettings,
}

impl<'a> From<&'a Project> for SettingsJson<'a> {
    fn from(p: &'a Project) -> Self {
        Self {
            time: &p.time,
            signing: &p.signing,
            repo: &p.repo,
            mail: &p.mail,
            publication: &p.publication,
        }
    }
}

fn show(file: &Path, p: &Project) {
    let t = &p.time;
    let zones: Vec<&str> = t.zones.iter().map(|z| z.name()).collect();
    println!("{}: {}", file.display(), p.name);
    match &p.playbook {
        PlaybookRef::Builtin(name) => println!("playbook             built-in {name}"),
        PlaybookRef::File(path) => println!("playbook             file {path}"),
    }
    println!("time");
    println!("  home zone          {}", t.home_zone.name());
    println!("  key zones          {}", zones.join(", "));
    println!(
        "  working hours      {}-{}",
        t.working_hours.0, t.working_hours.1
    );
    println!(
        "  release at         {:02}:{:02} {}",
        t.anchor.hour,
        t.anchor.minute,
        t.anchor.zone.name()
    );
    for b in &t.blackouts {
        println!("  blackout           {}={}..{}", b.name, b.from, b.to);
    }
    println!("signing key");
    match &p.signing {
        None => println!("  none"),
        Some(k) => match &k.location {
            KeyLocation::GpgAgent { homedir } => println!(
                "  {} in gpg-agent{}",
                k.fingerprint,
                homedir
                    .as_deref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default()
            ),
            KeyLocation::KeyFile { path } => println!("  key file {path}"),
        },
    }
    let r = &p.repo;
    let formats: Vec<&str> = r.tarball_formats.iter().map(|f| f.short()).collect();
    println!("repository");
    println!("  path               {}", r.path);
    println!("  public remotes     {}", r.public_remotes.join(", "));
    println!("  private remotes    {}", r.private_remotes.join(", "));
    println!("  version file       {}", r.version_file);
    println!("  version pattern    {}", r.version_pattern);
    println!("  tag template       {}", r.tag_template);
    println!("  tarball template   {}", r.tarball_template);
    println!("  tarball formats    {}", formats.join(", "));
    let m = &p.mail;
    println!("mail server");
    println!("  from               {}", m.from);
    println!("  smtp               {}:{}", m.smtp_host, m.smtp_port);
    println!("  user               {}", m.smtp_user);
    println!("  ca                 {}", m.smtp_ca);
    let u = &p.publication;
    println!("publication");
    for (name, value) in [
        ("vendor", &u.vendor),
        ("product", &u.product),
        ("cna org id", &u.cna_org_id),
        ("cna short name", &u.cna_short_name),
        ("repo url", &u.repo_url),
        ("commit url", &u.commit_url),
        ("advisory url", &u.advisory_url),
        ("download url", &u.download_url),
        ("severity policy url", &u.severity_policy_url),
        ("embargo url", &u.embargo_url),
        ("osv prefix", &u.osv_prefix),
    ] {
        println!("  {name:<18} {value}");
    }
    println!(
        "  {:<18} {}",
        "ships in the EU",
        if u.ships_in_eu { "yes" } else { "no" }
    );
    println!(
        "  {:<18} {}",
        "identifiers",
        u.id_authority
            .map_or_else(|| "as the playbook says".to_owned(), IdAuthority::describe)
    );
}
