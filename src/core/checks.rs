//! What every automatic check asks for and why, in the coordinator's words:
//! the checks a step's data fail (a step's findings), the checks a notice
//! must pass before it leaves ([`crate::core::notice`]) and the embargo
//! guard's checks of the repository. The app shows these in the check's
//! tooltip; the release-time rules explain themselves in
//! [`crate::core::schedule::RULES`], which [`explain`] also reads.

/// Each check by its identifier, with what it asks for and why.
pub const CHECKS: &[(&str, &str)] = &[
    // A step's findings.
    (
        "credit_recorded",
        "Asks that the reporter's wish about credit (name, affiliation, handle or none at all) \
         is recorded before any advisory or announcement text is written. Why: reporters \
         differ, and a name printed against someone's wish cannot be taken back.",
    ),
    (
        "cve_format",
        "Asks that the recorded identifier has the form CVE-YYYY-NNNN (four or more digits), \
         or, for a project on GCVE, GCVE-GNA-YYYY-NNNN (GCVE-BCP-04). \
         Why: the ID goes into commit messages, advisories and the CVE record; a mistyped one \
         points readers at somebody else's vulnerability.",
    ),
    (
        "correction_due",
        "Asks that everyone who was told a fact of the issue that has changed since (its \
         severity, the disclosure date and time, the affected or fixed versions, its \
         identifiers) gets a correction: the correction mail lists each change, old and new. \
         Why: recipients plan with what they were told; a severity raised or a date moved \
         without everyone hearing of it is how packages ship late or fixes get the wrong \
         priority.",
    ),
    (
        "rce_patch_level",
        "Asks that remote code execution is fixed in a patch-level release rather than in the \
         next feature release. Why: users must be able to take the fix at once, without the \
         risk of other changes (Exim's rule).",
    ),
    // A notice's checks before it leaves.
    (
        "vs-subject",
        "Asks that a mail to an Openwall list at vs.openwall.org carries [vs] in its subject. \
         Why: the list's policy; a mail without it bounces.",
    ),
    (
        "vs-embargo-length",
        "Asks that a notice to an Openwall list starts an embargo of at most 14 days (under 7 \
         preferred) before a planned release. Why: the distros lists accept no longer embargo; \
         members may publish once it is exceeded.",
    ),
    (
        "release-stated",
        "Asks that a notice states the planned release date and time. Why: the Openwall lists \
         require the date of public disclosure in the first message, and every recipient needs \
         it to have packages ready on time.",
    ),
    (
        "encryption",
        "Asks that every recipient who must get the notice encrypted has a usable OpenPGP \
         certificate in the project. Why: embargoed details must not cross the network in \
         clear text; an expired, revoked or unusable key would leave that recipient out.",
    ),
    (
        "vendor-bcc",
        "Asks that vendors and support customers receive the notice as Bcc. Why: they must \
         not learn of each other from the recipient list.",
    ),
    (
        "outside-embargo",
        "Asks that, before the release is marked published, a mail goes only to the issue's \
         embargo lists: recipients registered under Project › Recipients with a private role \
         (maintainers, distros, vendor, support customer, reporter) and the issue's reporter; \
         an address typed into To or named by a template that is not registered is refused. \
         Why: an address nobody checked may be a public list or an outsider, and embargoed \
         details sent there end the embargo for everyone.",
    ),
    (
        "public-before-release",
        "Asks that no mail goes to a public list (such as oss-security or the project's \
         announce list), and no release announcement leaves, before the release is marked \
         published, whatever the template; a reason given to send it anyway (such as a \
         pre-announcement of the date) is journaled. Why: that would end the \
         embargo early, for everyone, and a planned instant is no proof: releases slip.",
    ),
    (
        "no-artifacts",
        "Asks that the release records its files before a mail points at them (the \
         fix-availability mail and the release announcement). Why: recipients would find an \
         empty download, or an announcement without files and checksums.",
    ),
    (
        "share-password",
        "Asks that the download password a mail carries is the one its list's stored hash was \
         made from. Why: a wrong or another list's password locks the list out, or hands it \
         someone else's access.",
    ),
    // The embargo guard's checks of the repository.
    (
        "embargo-leak",
        "Asks that no fix commit under embargo is reachable from a public remote's branches or \
         tags. Why: a pushed fix shows the flaw to anyone who reads the history; if it \
         happened, tell the distros list and move the release forward.",
    ),
    (
        "public-mention",
        "Asks that no branch or tag name and no commit message the public remotes show (or \
         a push to one would add) names an issue under embargo: its CVE or GCVE ID, its other \
         IDs, its own ID or the subject of one of its fix commits. Why: a branch called \
         fix-CVE-… or a commit reworded from the fix tells the world what is coming before \
         the fix itself is public.",
    ),
    (
        "fix-commit-missing",
        "Asks that every recorded fix commit is in the local repository. Why: the guard, the \
         tarballs and the patches are made from these commits; a missing one is a typo or an \
         unfetched branch.",
    ),
    (
        "cve-in-message",
        "Asks that every fix commit's message names the issue's CVE ID. Why: distributions \
         and scanners find security fixes by it (OpenSSL's rule).",
    ),
    (
        "pre-push-hook",
        "Asks that the repository has Embargo's pre-push hook. Why: the hook refuses a push \
         of an embargoed commit to a public remote, before it happens.",
    ),
];

/// What the check or release-time rule `id` asks for and why; empty when
/// `id` is neither (a test checks that every check has an entry).
pub fn explain(id: &str) -> &'static str {
    CHECKS
        .iter()
        .find(|(c, _)| *c == id)
        .map_or_else(|| crate::core::schedule::explain(id), |(_, why)| why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_is_explained_once_and_apart_from_the_rules() {
        for (i, (id, why)) in CHECKS.iter().enumerate() {
            assert!(why.contains("Why:"), "{id} says why");
            assert!(
                CHECKS[i + 1..].iter().all(|(other, _)| other != id),
                "{id} is explained twice"
            );
            assert!(
                crate::core::schedule::explain(id).is_empty(),
                "{id} is also a release-time rule"
            );
            assert_eq!(explain(id), *why);
        }
        assert!(explain("no_friday").contains("Friday"), "rules too");
        assert_eq!(explain("no-such-check"), "");
    }
}
