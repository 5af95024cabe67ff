//! The rules of a team's shared project repository, decided once for the
//! app's Sync button and `embargo sync`: which remotes a project file may
//! never be pushed to (one the project lists as public, or a public forge
//! the user did not allow by name), and what a sync commit says (the
//! journal entries recorded since the last one). Pure code: the git side
//! is `adapters::git::team`, the sequence `workflows::sync`.

use std::collections::HashSet;

use crate::core::model::{JournalEntry, Project};

/// Hosts of public forges. A project file holds embargoed data, so it is
/// never pushed to one of these (or a subdomain) unless the user names the
/// host with `--allow-host` (a private repository there is their call).
pub const PUBLIC_FORGES: &[&str] = &[
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "sr.ht",
    "gitee.com",
    "salsa.debian.org",
    "gitlab.gnome.org",
    "invent.kde.org",
    "gitlab.freedesktop.org",
    "framagit.org",
    "sourceforge.net",
    "launchpad.net",
    "pagure.io",
    "notabug.org",
    "huggingface.co",
];

/// The host a git remote URL names, lowercased: `https://host/…`,
/// `ssh://user@host:port/…`, `git://host/…` or scp-like `user@host:path`;
/// `None` for a local path or `file://` URL.
pub fn url_host(url: &str) -> Option<String> {
    let url = url.trim();
    if let Some((scheme, rest)) = url.split_once("://") {
        if scheme.eq_ignore_ascii_case("file") {
            return None;
        }
        let authority = rest.split('/').next().unwrap_or("");
        let host = authority.rsplit('@').next().unwrap_or("");
        let host = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host.split(':').next().unwrap_or(""),
        };
        return (!host.is_empty()).then(|| host.to_ascii_lowercase());
    }
    // scp-like syntax: [user@]host:path, where host has no slash before the
    // colon (git's own rule for telling it from a local path).
    let (before, _) = url.split_once(':')?;
    if before.contains('/') || before.is_empty() {
        return None;
    }
    let host = before.rsplit('@').next().unwrap_or("");
    // A one-letter "host" is a Windows drive letter.
    (host.len() > 1).then(|| host.to_ascii_lowercase())
}

/// A remote URL in a form two spellings of one repository share: the host
/// lowercased, no trailing `/` or `.git`, no user name.
pub fn normal_url(url: &str) -> String {
    let url = url.trim().trim_end_matches('/');
    let url = url.strip_suffix(".git").unwrap_or(url);
    match (url_host(url), url.split_once("://")) {
        (Some(host), Some((_, rest))) => {
            let path = rest.split_once('/').map_or("", |(_, p)| p);
            format!("{host}/{path}")
        }
        (Some(host), None) => {
            let path = url.split_once(':').map_or("", |(_, p)| p);
            format!("{host}/{}", path.trim_start_matches('/'))
        }
        (None, _) => url.to_owned(),
    }
}

/// The public forge `host` is (or is a subdomain of), if any.
pub fn public_forge(host: &str) -> Option<&'static str> {
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    PUBLIC_FORGES
        .iter()
        .copied()
        .find(|f| host == *f || host.ends_with(&format!(".{f}")))
}

/// What is known of a remote the project would be synced to.
#[derive(Clone, Debug, Default)]
pub struct RemoteFacts {
    /// The remote's name in the team repository.
    pub name: String,
    /// Where it fetches from and pushes to.
    pub urls: Vec<String>,
    /// The URLs of the remotes the project lists as public
    /// (`repo.public_remotes` of the software's repository).
    pub public_urls: Vec<String>,
    /// Whether the team repository is the software's repository itself,
    /// whose remotes the project lists by name.
    pub same_repository: bool,
}

/// Why the project must not be synced to this remote; `None` when it may.
/// Refused: a remote the project lists as public (by name, when the team
/// repository is the software's own; by URL, always), and a remote on a
/// public forge whose host is not among `allowed_hosts`.
pub fn refusal(
    project: &Project,
    remote: &RemoteFacts,
    allowed_hosts: &[String],
) -> Option<String> {
    if remote.same_repository && project.repo.is_public_remote(&remote.name) {
        return Some(format!(
            "`{}` is listed as a public remote of the project (Project › Settings › Repository › \
             Public remotes): the project file holds embargoed data and is never pushed there; \
             keep it in a private team repository",
            remote.name
        ));
    }
    let public: HashSet<String> = remote.public_urls.iter().map(|u| normal_url(u)).collect();
    for url in &remote.urls {
        if public.contains(&normal_url(url)) {
            return Some(format!(
                "remote `{}` ({url}) is the project's public repository: the project file holds \
                 embargoed data and is never pushed there; keep it in a private team repository",
                remote.name
            ));
        }
        if let Some(host) = url_host(url)
            && let Some(forge) = public_forge(&host)
            && !allowed_hosts
                .iter()
                .any(|a| a.trim().eq_ignore_ascii_case(&host))
        {
            return Some(format!(
                "remote `{}` ({url}) is on {forge}, a public forge: the project file holds \
                 embargoed data; if that repository is private and only your team can read it, \
                 say so with --allow-host {host}",
                remote.name
            ));
        }
    }
    None
}

/// The journal entries of `now` (issue ID or `None` for the project's own,
/// and the entry) that `before` does not have, in time order: what a sync
/// commit records. Entries are matched by id.
pub fn new_entries<'a>(
    before: Option<&Project>,
    now: &'a Project,
) -> Vec<(Option<&'a str>, &'a JournalEntry)> {
    let mut known = HashSet::new();
    if let Some(b) = before {
        known.extend(b.journal.iter().map(|e| e.id.as_str()));
        for issue in &b.issues {
            known.extend(issue.journal.iter().map(|e| e.id.as_str()));
        }
    }
    let fresh = |e: &&JournalEntry| e.id.is_empty() || !known.contains(e.id.as_str());
    let mut out: Vec<(Option<&str>, &JournalEntry)> = now
        .journal
        .iter()
        .filter(fresh)
        .map(|e| (None, e))
        .collect();
    for issue in &now.issues {
        out.extend(
            issue
                .journal
                .iter()
                .filter(fresh)
                .map(|e| (Some(issue.id.as_str()), e)),
        );
    }
    out.sort_by_key(|(_, e)| e.at);
    out
}

/// The message of the commit a sync makes of the local change: a subject
/// line, then one line per journal entry since the last sync (at most 50,
/// then how many more). For a project kept encrypted (`encrypted`) only the
/// count: a commit message is plain text in every clone, and the entries
/// name embargoed facts.
pub fn commit_message(before: Option<&Project>, now: &Project, encrypted: bool) -> String {
    let entries = new_entries(before, now);
    let mut out = match entries.len() {
        0 => "embargo sync: project edited".to_owned(),
        1 => "embargo sync: 1 journal entry".to_owned(),
        n => format!("embargo sync: {n} journal entries"),
    };
    if encrypted {
        if !entries.is_empty() {
            out.push_str(" (listed in the encrypted project)");
        }
        out.push('\n');
        return out;
    }
    if !entries.is_empty() {
        out.push('\n');
    }
    for (issue, e) in entries.iter().take(50) {
        let by = e
            .author
            .as_deref()
            .map(|a| format!(" ({a})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "\n{} {}: {}{by}",
            e.at.format("%Y-%m-%d %H:%M UTC"),
            issue.unwrap_or("project"),
            e.event.describe()
        ));
    }
    if entries.len() > 50 {
        out.push_str(&format!("\n… and {} more", entries.len() - 50));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Event, Issue, PlaybookRef};
    use chrono::TimeZone;

    #[test]
    fn hosts_are_read_from_every_url_form() {
        let cases = [
            ("https://github.com/acme/embargo.git", Some("github.com")),
            ("ssh://git@GitLab.com:2222/acme/p.git", Some("gitlab.com")),
            ("git@codeberg.org:acme/p.git", Some("codeberg.org")),
            ("git://git.example.org/p", Some("git.example.org")),
            ("https://user:pw@[::1]:8080/p", Some("::1")),
            ("/srv/git/team.git", None),
            ("file:///srv/git/team.git", None),
            ("../team.git", None),
            ("C:/git/team", None),
        ];
        for (url, host) in cases {
            assert_eq!(url_host(url).as_deref(), host, "{url}");
        }
        assert_eq!(public_forge("gist.GitHub.com"), Some("github.com"));
        assert_eq!(public_forge("git.sr.ht"), Some("sr.ht"));
        assert_eq!(public_forge("notgithub.com"), None);
        assert_eq!(
            normal_url("git@github.com:acme/p.git"),
            normal_url("https://github.com/acme/p/")
        );
    }

    fn facts(name: &str, url: &str) -> RemoteFacts {
        RemoteFacts {
            name: name.into(),
            urls: vec![url.into()],
            public_urls: vec!["https://git.postbote.example/postbote.git".into()],
            same_repository: false,
        }
    }

    #[test]
    fn public_remotes_and_forges_are_refused_private_ones_allowed() {
        let p = Project::new("Postbote", PlaybookRef::Builtin("exim".into()));
        assert_eq!(refusal(&p, &facts("origin", "/srv/team.git"), &[]), None);
        assert_eq!(
            refusal(&p, &facts("origin", "ssh://git@git.team.example/p"), &[]),
            None
        );
        let public =
            refusal(&p, &facts("team", "git@git.postbote.example:postbote"), &[]).expect("refused");
        assert!(public.contains("public repository"), "{public}");
        let forge = refusal(&p, &facts("team", "https://github.com/acme/p"), &[]).expect("refused");
        assert!(forge.contains("--allow-host github.com"), "{forge}");
        assert_eq!(
            refusal(
                &p,
                &facts("team", "https://github.com/acme/p"),
                &["GitHub.com".into()]
            ),
            None
        );
        // By name only where the team repository is the software's own.
        let mut same = facts("origin", "/srv/team.git");
        same.same_repository = true;
        assert!(refusal(&p, &same, &[]).is_some());
    }

    #[test]
    fn the_commit_message_lists_the_entries_since_the_last_sync() {
        let at = |h| chrono::Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
        let mut before = Project::new("P", PlaybookRef::Builtin("exim".into()));
        let mut issue = Issue::new("P-1", "t", at(8));
        issue
            .journal
            .push(JournalEntry::new(at(9), None, Event::Note));
        before.issues.push(issue);
        before.fill_ids();
        let mut now = before.clone();
        now.issues[0]
            .journal
            .push(JournalEntry::new(at(11), Some("assess"), Event::StepDone).by("ada@p.example"));
        now.journal.push(JournalEntry::new(
            at(10),
            None,
            Event::FieldChanged {
                field: "members".into(),
                value: "added Ben".into(),
            },
        ));
        now.fill_ids();
        let m = commit_message(Some(&before), &now, false);
        assert_eq!(
            m,
            "embargo sync: 2 journal entries\n\n\
             2026-11-20 10:00 UTC project: members set to added Ben\n\
             2026-11-20 11:00 UTC P-1: step marked done (ada@p.example)\n"
        );
        assert_eq!(
            commit_message(Some(&now), &now, false),
            "embargo sync: project edited\n"
        );
        assert_eq!(
            commit_message(Some(&before), &now, true),
            "embargo sync: 2 journal entries (listed in the encrypted project)\n"
        );
    }
}
