//! The embargoed download: one usercode per private recipient list, the
//! `.htpasswd` (bcrypt) and `.htdigest` files made from the stored hashes,
//! and the nginx and Apache configuration that serves the release's files
//! behind authentication with directory listing off. Credentials are
//! rotated or revoked per list and expire when the release goes public.
//! Pure: hashing and random passwords live in the adapter.

use chrono::{DateTime, Utc};
use minijinja::{Environment, UndefinedBehavior, context};

use crate::core::model::{
    Project, Recipient, Release, ShareCredential, ShareState, safe_file_name, slug,
};

/// The default digest realm.
pub const DEFAULT_REALM: &str = "Embargoed release";

/// The usercode of a list: its name as a slug, e.g. `openwall-distros`.
pub fn usercode(list: &str) -> String {
    slug(list).to_ascii_lowercase()
}

/// The recipient lists that get credentials: every list whose role is not
/// public (maintainers, distros, vendors, support customers, reporters).
pub fn private_lists(project: &Project) -> Vec<&Recipient> {
    project
        .recipients
        .iter()
        .filter(|r| !r.role.is_public())
        .collect()
}

/// The active credential of a list, if any.
pub fn active<'a>(release: &'a Release, list: &str) -> Option<&'a ShareCredential> {
    release
        .shares
        .iter()
        .find(|c| c.list == list && c.state == ShareState::Active)
}

/// Whether `list` has never had credentials for this release (a revoked or
/// expired one counts: it is not silently replaced).
pub fn never_shared(release: &Release, list: &str) -> bool {
    !release.shares.iter().any(|c| c.list == list)
}

/// The release's embargoed download address, from the project's
/// `publication.embargo_url` with `{version}` filled in; `None` when the
/// project does not say.
pub fn download_url(project: &Project, release: &Release) -> Option<String> {
    let t = project.publication.embargo_url.trim();
    (!t.is_empty()).then(|| t.replace("{version}", &release.version))
}

/// Add `credential`, revoking any active one of the same list (a rotation).
pub fn add(release: &mut Release, credential: ShareCredential) {
    for c in &mut release.shares {
        if c.list == credential.list && c.state == ShareState::Active {
            c.state = ShareState::Revoked;
        }
    }
    release.shares.push(credential);
}

/// Revoke a list's active credential; whether there was one.
pub fn revoke(release: &mut Release, list: &str) -> bool {
    let mut any = false;
    for c in &mut release.shares {
        if c.list == list && c.state == ShareState::Active {
            c.state = ShareState::Revoked;
            any = true;
        }
    }
    any
}

/// Once the release is public, every active credential expires. Returns
/// how many did.
pub fn expire_if_public(release: &mut Release, now: DateTime<Utc>) -> usize {
    if release.published.is_none_or(|p| p > now) {
        return 0;
    }
    let mut n = 0;
    for c in &mut release.shares {
        if c.state == ShareState::Active {
            c.state = ShareState::Expired;
            n += 1;
        }
    }
    n
}

/// `.htpasswd`: `user:bcrypt` per active credential.
pub fn htpasswd(release: &Release) -> String {
    release
        .shares
        .iter()
        .filter(|c| c.state == ShareState::Active)
        .map(|c| format!("{}:{}\n", c.user, c.bcrypt))
        .collect()
}

/// `.htdigest`: `user:realm:HA1` per active credential.
pub fn htdigest(release: &Release) -> String {
    release
        .shares
        .iter()
        .filter(|c| c.state == ShareState::Active)
        .map(|c| format!("{}:{}:{}\n", c.user, c.realm, c.ha1))
        .collect()
}

/// Why a value cannot go into the web server's configuration, or a file
/// cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The realm holds a character that would end its quoted string.
    #[error(
        "the realm `{0}` cannot be used: a realm is printable text without `\"`, `\\` or `:` (it is quoted in the configuration and a field of .htdigest)"
    )]
    Realm(String),
    /// The URL path is not a clean absolute path.
    #[error(
        "the location `{0}` cannot be used: {1}; give an absolute URL path such as /embargo/4.12.3/ made of letters, digits and `-._~+/`"
    )]
    Location(String, &'static str),
    /// A file system path is not a clean absolute path.
    #[error(
        "the {what} `{path}` cannot be used: {why}; give an absolute path without `.` or `..` parts, whitespace, quotes, braces, `;`, `$`, `#` or `\\`"
    )]
    Path {
        /// Which path (the served directory, the password file).
        what: &'static str,
        /// The path as given.
        path: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// An artifact's file name cannot be served as it is.
    #[error(
        "the artifact `{0}` has no plain file name to serve it under (it must not be empty, `.`, `..` or begin with a dot)"
    )]
    ArtifactName(String),
}

/// Check a realm: printable text without `"`, `\\` or `:`.
pub fn check_realm(realm: &str) -> Result<(), Refusal> {
    let bad = realm.trim().is_empty()
        || realm
            .chars()
            .any(|c| c.is_control() || matches!(c, '"' | '\\' | ':'));
    if bad {
        return Err(Refusal::Realm(realm.to_owned()));
    }
    Ok(())
}

/// The URL path the release is served under, normalised to begin and end
/// with `/` (an nginx `alias` whose location lacks the trailing slash
/// serves the served directory's siblings). `None` gives
/// `/embargo/VERSION/`.
pub fn location(given: Option<&str>, release: &Release) -> Result<String, Refusal> {
    let raw = given.map_or_else(|| format!("/embargo/{}/", release.version), str::to_owned);
    let refuse = |why| Err(Refusal::Location(raw.clone(), why));
    if !raw.starts_with('/') {
        return refuse("it does not begin with `/`");
    }
    if let Some(c) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-._~+/".contains(*c)))
    {
        return refuse(if c.is_whitespace() {
            "it holds whitespace"
        } else {
            "it holds a character that is not allowed"
        });
    }
    let segments: Vec<&str> = raw.trim_matches('/').split('/').collect();
    if segments == [""] {
        return refuse("it would serve the whole site");
    }
    if segments.iter().any(|s| s.is_empty()) {
        return refuse("it holds an empty part (`//`)");
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return refuse("it holds a `.` or `..` part");
    }
    Ok(format!("/{}/", segments.join("/")))
}

/// Check a file system path that goes into the configuration: absolute,
/// normalised, and free of what would end or extend a configuration value
/// (whitespace, quotes, braces, `;`, nginx's `$` variables, `#`, `\\`).
pub fn check_path(what: &'static str, path: &str) -> Result<(), Refusal> {
    let refuse = |why| {
        Err(Refusal::Path {
            what,
            path: path.to_owned(),
            why,
        })
    };
    if !path.starts_with('/') {
        return refuse("it is not absolute");
    }
    if path.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '"' | '\'' | '{' | '}' | ';' | '$' | '#' | '\\')
    }) {
        return refuse("it holds a character that would change the configuration");
    }
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    if path != "/"
        && parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return refuse("it is not normalised");
    }
    Ok(())
}

/// A file of the release to serve: where it is recorded and the name it
/// is served under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Served {
    /// The path recorded in the release (relative to the project's
    /// directory when not absolute).
    pub source: String,
    /// The plain file name it is served under.
    pub name: String,
    /// The recorded size and SHA-256, when the release records them (a
    /// signature beside an artifact is recorded by path only).
    pub expect: Option<(u64, String)>,
}

/// The files the release's download serves: every recorded artifact and
/// its signature, by plain file name; refused when a name cannot be
/// served as it is, or two files would share one name.
pub fn served_files(release: &Release) -> Result<Vec<Served>, Refusal> {
    let mut out: Vec<Served> = Vec::new();
    let mut push = |source: &str, expect: Option<(u64, String)>| -> Result<(), Refusal> {
        let name = std::path::Path::new(source)
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| safe_file_name(n).is_ok() && !source.ends_with('/'))
            .ok_or_else(|| Refusal::ArtifactName(source.to_owned()))?
            .to_owned();
        if let Some(same) = out.iter().find(|s| s.name == name) {
            if same.source == source {
                return Ok(());
            }
            return Err(Refusal::ArtifactName(format!(
                "{source}` and `{}` (both named {name})",
                same.source
            )));
        }
        out.push(Served {
            source: source.to_owned(),
            name,
            expect,
        });
        Ok(())
    };
    for a in &release.artifacts {
        push(&a.path, Some((a.size, a.sha256.clone())))?;
        if let Some(sig) = &a.signature {
            push(sig, None)?;
        }
    }
    Ok(out)
}

/// Where the web server finds things. Made only by [`ServerPaths::new`],
/// which checks every value that goes into the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPaths {
    /// URL path the files are served under, e.g. `/embargo/4.99.3/`;
    /// begins and ends with `/`.
    pub location: String,
    /// The absolute directory holding only the release's files, without
    /// a trailing `/`.
    pub root: String,
    /// The `.htpasswd` file.
    pub htpasswd: String,
    /// The `.htdigest` file.
    pub htdigest: String,
}

impl ServerPaths {
    /// The release's files served from the absolute directory `root`
    /// under `location` (see [`location`]), the password files in the
    /// absolute directory `out_dir`. Refused when a value could change the
    /// configuration, when `root` is `/`, or when the password files would
    /// lie inside the served directory.
    pub fn new(
        release: &Release,
        root: &str,
        location: Option<&str>,
        out_dir: &str,
    ) -> Result<Self, Refusal> {
        let location = self::location(location, release)?;
        let trim = |p: &'_ str| -> String {
            let t = p.trim_end_matches('/');
            if t.is_empty() { "/".into() } else { t.into() }
        };
        let (root, out_dir) = (trim(root), trim(out_dir));
        check_path("served directory", &root)?;
        check_path("directory of the password files", &out_dir)?;
        if root == "/" {
            return Err(Refusal::Path {
                what: "served directory",
                path: root,
                why: "it is the root of the file system, and every readable file would be served",
            });
        }
        let out = out_dir.as_str();
        if out == root || out.starts_with(&format!("{root}/")) {
            return Err(Refusal::Path {
                what: "served directory",
                path: root,
                why: "it holds the password files, which would be served with the release",
            });
        }
        Ok(Self {
            location,
            root,
            htpasswd: format!("{out}/.htpasswd"),
            htdigest: format!("{out}/.htdigest"),
        })
    }
}

/// Text for a comment line of the configuration: one line, printable.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn render(
    name: &'static str,
    source: &'static str,
    ctx: minijinja::Value,
) -> Result<String, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template(name, source)?;
    env.get_template(name)?.render(ctx)
}

/// The nginx `location` block (Basic authentication).
pub fn nginx_conf(
    project: &Project,
    release: &Release,
    realm: &str,
    paths: &ServerPaths,
) -> Result<String, minijinja::Error> {
    render(
        "share-nginx.conf",
        include_str!("../../assets/templates/share-nginx.conf.j2"),
        context! {
            project => comment(&project.name), version => comment(&release.version), realm,
            location => &paths.location, root => &paths.root, htpasswd => &paths.htpasswd,
        },
    )
}

/// The Apache `Alias` and `Directory` block, Basic or Digest.
pub fn apache_conf(
    project: &Project,
    release: &Release,
    realm: &str,
    paths: &ServerPaths,
    digest: bool,
) -> Result<String, minijinja::Error> {
    render(
        "share-apache.conf",
        include_str!("../../assets/templates/share-apache.conf.j2"),
        context! {
            project => comment(&project.name), version => comment(&release.version), realm, digest,
            location => &paths.location, root => &paths.root,
            htpasswd => &paths.htpasswd, htdigest => &paths.htdigest,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cred(list: &str, state: ShareState) -> ShareCredential {
        ShareCredential {
            list: list.into(),
            user: usercode(list),
            bcrypt: "$2y$10$x".into(),
            realm: DEFAULT_REALM.into(),
            ha1: "00".into(),
            created: DateTime::<Utc>::MIN_UTC,
            state,
        }
    }

    #[test]
    fn rotation_revocation_and_expiry() {
        let mut p = crate::adapters::store::example().expect("example");
        let r = &mut p.releases[1];
        add(r, cred("Openwall distros", ShareState::Active));
        add(r, cred("Openwall distros", ShareState::Active));
        assert_eq!(r.shares[0].state, ShareState::Revoked, "rotated out");
        assert_eq!(htpasswd(r).lines().count(), 1);
        assert_eq!(
            htdigest(r),
            format!("openwall-distros:{DEFAULT_REALM}:00\n")
        );
        add(r, cred("Vendors", ShareState::Active));
        assert!(revoke(r, "Vendors"));
        assert!(!revoke(r, "Vendors"));
        assert!(!htpasswd(r).contains("vendors"));
        let now = r.planned.expect("planned");
        assert_eq!(expire_if_public(r, now), 0, "not published");
        r.published = Some(now);
        assert_eq!(expire_if_public(r, now), 1);
        assert!(htpasswd(r).is_empty());
    }

    #[test]
    fn configs_name_their_files_and_turn_listing_off() {
        let p = crate::adapters::store::example().expect("example");
        let paths = ServerPaths {
            location: "/embargo/4.12.3/".into(),
            root: "/srv/embargo/4.12.3".into(),
            htpasswd: "/etc/embargo/.htpasswd".into(),
            htdigest: "/etc/embargo/.htdigest".into(),
        };
        let n = nginx_conf(&p, &p.releases[1], "R", &paths).expect("nginx");
        assert!(
            n.contains("auth_basic_user_file /etc/embargo/.htpasswd;")
                && n.contains("autoindex off;")
        );
        let a = apache_conf(&p, &p.releases[1], "R", &paths, true).expect("apache");
        assert!(
            a.contains("AuthType Digest")
                && a.contains("/etc/embargo/.htdigest")
                && a.contains("-Indexes")
        );
        let b = apache_conf(&p, &p.releases[1], "R", &paths, false).expect("apache");
        assert!(b.contains("AuthType Basic") && !b.contains("htdigest"));
    }

    #[test]
    fn location_is_normalised_to_end_in_a_slash_and_hostile_values_are_refused() {
        let p = crate::adapters::store::example().expect("example");
        let r = &p.releases[1];
        assert_eq!(location(None, r).as_deref(), Ok("/embargo/4.12.3/"));
        assert_eq!(
            location(Some("/embargo/4.12.3"), r).as_deref(),
            Ok("/embargo/4.12.3/")
        );
        for bad in [
            "embargo/", "/", "//", "/a//b/", "/a/../b/", "/a/./b/", "/a b/", "/a;}/", "/a\"/",
            "/a{/", "/$uri/",
        ] {
            assert!(
                matches!(location(Some(bad), r), Err(Refusal::Location(..))),
                "{bad}"
            );
        }
        for bad in ["", "a\"b", "a\\b", "a:b", "line\nbreak"] {
            assert_eq!(check_realm(bad), Err(Refusal::Realm(bad.into())), "{bad}");
        }
        assert_eq!(check_realm(DEFAULT_REALM), Ok(()));
        for bad in [
            "relative/dir",
            "/srv/a b",
            "/srv/x;",
            "/srv/{x}",
            "/srv/\"x",
            "/srv/'x",
            "/srv/$x",
            "/srv/#x",
            "/srv/../etc",
            "/srv/./x",
            "/srv//x",
        ] {
            assert!(
                matches!(
                    check_path("served directory", bad),
                    Err(Refusal::Path { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(
            check_path("served directory", "/srv/embargo/4.12.3"),
            Ok(())
        );
        // The whole file system, and a root that holds the password files.
        assert!(ServerPaths::new(r, "/", None, "/etc/embargo").is_err());
        assert!(ServerPaths::new(r, "/srv/e", None, "/srv/e/share").is_err());
        assert!(ServerPaths::new(r, "/srv/e", None, "/srv/e").is_err());
        let ok = ServerPaths::new(r, "/srv/e/files/", Some("/x"), "/srv/e").expect("ok");
        assert_eq!(
            (ok.location.as_str(), ok.root.as_str(), ok.htpasswd.as_str()),
            ("/x/", "/srv/e/files", "/srv/e/.htpasswd")
        );
    }

    #[test]
    fn served_files_are_the_artifacts_and_signatures_by_plain_name() {
        let p = crate::adapters::store::example().expect("example");
        let names: Vec<String> = served_files(&p.releases[0])
            .expect("served")
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert!(
            names.contains(&"postbote-4.12.2.tar.xz".to_owned())
                && names.contains(&"postbote-4.12.2.tar.xz.asc".to_owned()),
            "{names:?}"
        );
        let mut r = p.releases[0].clone();
        r.artifacts[0].path = "/srv/x/.htpasswd".into();
        assert!(matches!(served_files(&r), Err(Refusal::ArtifactName(_))));
        r.artifacts[0].path = "/a/..".into();
        assert!(matches!(served_files(&r), Err(Refusal::ArtifactName(_))));
        let mut r = p.releases[0].clone();
        let mut twin = r.artifacts[0].clone();
        twin.path = "/elsewhere/postbote-4.12.2.tar.xz".into();
        r.artifacts.push(twin);
        assert!(matches!(served_files(&r), Err(Refusal::ArtifactName(_))));
    }

    #[test]
    fn a_newline_in_the_project_name_cannot_add_configuration() {
        let mut p = crate::adapters::store::example().expect("example");
        p.name = "X\n}\nlocation / { root /; }\n#".into();
        let paths = ServerPaths::new(&p.releases[1], "/srv/e/files", None, "/srv/e").expect("ok");
        let n = nginx_conf(&p, &p.releases[1], "R", &paths).expect("nginx");
        assert!(
            !n.lines().any(|l| l.trim_start().starts_with("location / ")),
            "{n}"
        );
    }
}
