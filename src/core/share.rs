//! The embargoed download: one usercode per private recipient list, the
//! `.htpasswd` (bcrypt) and `.htdigest` files made from the stored hashes,
//! and the nginx and Apache configuration that serves the release's files
//! behind authentication with directory listing off. Credentials are
//! rotated or revoked per list and expire when the release goes public.
//! Pure: hashing and random passwords live in the adapter.

use chrono::{DateTime, Utc};
use minijinja::{Environment, UndefinedBehavior, context};

use crate::core::model::{Project, Recipient, Release, ShareCredential, ShareState, slug};

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

/// The directory of the release's first recorded artifact, where the web
/// server serves the files from unless told otherwise.
pub fn artifacts_dir(release: &Release) -> Option<String> {
    release
        .artifacts
        .first()
        .and_then(|a| std::path::Path::new(&a.path).parent())
        .map(|p| p.display().to_string())
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

/// Where the web server finds things.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerPaths {
    /// URL path the files are served under, e.g. `/embargo/4.99.3/`.
    pub location: String,
    /// Directory holding the release's artifacts.
    pub root: String,
    /// The `.htpasswd` file.
    pub htpasswd: String,
    /// The `.htdigest` file.
    pub htdigest: String,
}

impl ServerPaths {
    /// The release's files served from `root` under `location` (default
    /// `/embargo/VERSION/`), the password files in the absolute directory
    /// `out_dir`.
    pub fn new(
        release: &Release,
        root: &str,
        location: Option<String>,
        out_dir: &std::path::Path,
    ) -> Self {
        Self {
            location: location.unwrap_or_else(|| format!("/embargo/{}/", release.version)),
            root: root.trim_end_matches('/').to_owned(),
            htpasswd: out_dir.join(".htpasswd").display().to_string(),
            htdigest: out_dir.join(".htdigest").display().to_string(),
        }
    }
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
            project => &project.name, version => &release.version, realm,
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
            project => &project.name, version => &release.version, realm, digest,
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
}
