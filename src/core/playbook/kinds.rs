//! The table of step kinds. Each entry carries its title, its help (our own
//! summary of the Exim and OpenSSL processes), the fields its form edits, the
//! steps it waits for, its automatic checks and its actions; the test for an
//! entry sits right below it, as ripgrep does with its flags.
//!
//! An entry's `eval` looks only at data: whether the step applies, whether an
//! earlier datum is missing (blocked), what is still to do, and which checks
//! fail. The release-time rules a step reports are not listed here: the rule
//! table ([`crate::core::schedule::RULES`]) names each rule's step, and
//! [`evaluate`] adds the failing verdicts of the issue's one evaluation to
//! the step they belong to. [`super::status`] turns that and the journal
//! into a [`super::Status`].

use chrono::{DateTime, Utc};

use super::{Phase, Playbook, StepKind};
use crate::core::model::{
    ArtifactKind, CveState, IdAuthority, ImpactKind, Issue, Project, Release, ReleaseStrategy,
    Severity, Verdict, is_valid_vuln_id,
};
use crate::core::schedule::{self, StepVerdict};

/// What a step's `eval` sees.
#[derive(Clone, Copy, Debug)]
pub struct Ctx<'a> {
    /// The whole project.
    pub project: &'a Project,
    /// The issue walked through.
    pub issue: &'a Issue,
    /// The release carrying the issue, if planned.
    pub release: Option<&'a Release>,
    /// The playbook walked.
    pub playbook: &'a Playbook,
    /// The present instant (passed in, so evaluation is a pure function).
    pub now: DateTime<Utc>,
    /// The release-time rules' verdicts on the planned release, each with
    /// the step that reports it ([`schedule::assess`], once per issue).
    pub verdicts: &'a [StepVerdict],
}

impl<'a> Ctx<'a> {
    /// The planned release instant, if a release is planned.
    pub fn planned(&self) -> Option<DateTime<Utc>> {
        self.release.and_then(|r| r.planned)
    }

    fn low_in_public(&self) -> bool {
        self.playbook.rules.low_fixed_in_public && self.issue.severity == Some(Severity::Low)
    }
}

/// A failing automatic check: which one, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable identifier of the check (used when acknowledging it).
    pub check: &'static str,
    /// Why it fails, in words the coordinator can act on.
    pub reason: String,
}

/// What a kind's `eval` found in the data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Eval {
    /// Set when the step does not apply to this issue, with the reason.
    pub not_applicable: Option<String>,
    /// Set when a datum from an earlier step is missing, naming it.
    pub blocked: Option<String>,
    /// What the step itself still has to record.
    pub todo: Vec<String>,
    /// Failing checks.
    pub findings: Vec<Finding>,
}

impl Eval {
    fn na(reason: impl Into<String>) -> Self {
        Self {
            not_applicable: Some(reason.into()),
            ..Self::default()
        }
    }

    fn blocked(reason: impl Into<String>) -> Self {
        Self {
            blocked: Some(reason.into()),
            ..Self::default()
        }
    }

    fn todo_if(mut self, missing: bool, what: &str) -> Self {
        if missing {
            self.todo.push(what.to_owned());
        }
        self
    }

    fn finding(mut self, check: &'static str, reason: impl Into<String>) -> Self {
        debug_assert!(
            !crate::core::checks::explain(check).is_empty(),
            "the check {check} has no explanation in core::checks"
        );
        self.findings.push(Finding {
            check,
            reason: reason.into(),
        });
        self
    }
}

/// How a step becomes done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completion {
    /// Done as soon as nothing is left to do in the data (it can also be
    /// marked done by hand).
    Auto,
    /// Done when the coordinator marks it done.
    Manual,
}

/// The fields a step's form edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// How the report arrived: mail headers or public issue URL.
    IntakeChannel,
    /// When the report arrived.
    Received,
    /// Reporter name and contact.
    Reporter,
    /// The reporter's credit wish.
    Credit,
    /// The reporter's own disclosure deadline.
    ReporterDeadline,
    /// Whether the reporter already has a CVE.
    ReporterHasCve,
    /// The triage verdict.
    Verdict,
    /// The severity.
    Severity,
    /// The CVSS vector.
    Cvss,
    /// The class of impact.
    ImpactKind,
    /// Affected version ranges.
    Affected,
    /// Description.
    Description,
    /// Impact text.
    Impact,
    /// Mitigation text.
    Mitigation,
    /// CWE identifier.
    Cwe,
    /// Actively exploited flag.
    Exploited,
    /// A proof of concept shared with the distros list, and when it was
    /// posted publicly.
    PocShared,
    /// CVE state and ID.
    Cve,
    /// Other identifiers.
    OtherIds,
    /// Release strategy.
    Strategy,
    /// Fix commits.
    FixCommits,
    /// The commit that introduced the flaw.
    IntroducedCommit,
    /// Early advisory text.
    EarlyAdvisory,
    /// The release carrying the issue: version and planned instant.
    Release,
    /// When the release went public.
    Published,
}

/// Actions a step offers beside its form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Draft the standard "not a security issue" reply to the reporter.
    DraftNotSecurityReply,
    /// Produce the write-up: the issue's timeline from report to publication.
    WriteUp,
    /// Sign the release files (tarballs, patches) with the project's key and
    /// record them, their checksums and signatures in the release.
    SignFiles,
    /// Check in the private repository that no embargoed fix commit is on a
    /// public remote and that fix commits name the CVE; manage the pre-push
    /// hook that keeps it so.
    GitGuard,
    /// Make the signed tag, the tarballs and the standalone patch from the
    /// private repository, then sign them with their checksum lists.
    BuildArtifacts,
    /// Check the issue's CVE JSON 5 record field by field and write it.
    ExportCveRecord,
    /// Make the per-list credentials and web server files for the
    /// embargoed download.
    ShareCredentials,
}

impl Action {
    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            Self::DraftNotSecurityReply => "Draft the reply",
            Self::WriteUp => "Write-up…",
            Self::SignFiles => "Sign files",
            Self::GitGuard => "Embargo guard",
            Self::BuildArtifacts => "Build release artifacts",
            Self::ExportCveRecord => "Export the CVE record…",
            Self::ShareCredentials => "Make download credentials",
        }
    }
}

/// One entry of the table.
#[derive(Debug)]
pub struct KindDef {
    /// The kind.
    pub kind: StepKind,
    /// Identifier in files and on the command line.
    pub id: &'static str,
    /// Default title.
    pub title: &'static str,
    /// Phase.
    pub phase: Phase,
    /// Help shown in the step view.
    pub help: &'static str,
    /// Fields its form edits.
    pub fields: &'static [Field],
    /// Actions it offers.
    pub actions: &'static [Action],
    /// Earlier steps it waits for (when the playbook has them before it).
    pub needs: &'static [StepKind],
    /// How it becomes done.
    pub completion: Completion,
    /// What the data say about it.
    pub eval: fn(&Ctx<'_>) -> Eval,
}

/// The entry of a kind.
pub fn kind_def(kind: StepKind) -> &'static KindDef {
    KINDS
        .iter()
        .find(|k| k.kind == kind)
        .expect("every StepKind has an entry in KINDS (checked by a test)")
}

fn credit_check(ctx: &Ctx<'_>, e: Eval) -> Eval {
    if ctx.issue.reporter.credit.is_none() {
        e.finding(
            "credit_recorded",
            "the reporter's credit preference is not recorded; ask before any announcement text",
        )
    } else {
        e
    }
}

/// What a fix step still has to record: a fix commit with its ID (a row
/// left empty records nothing), and the ID of every row.
fn fix_commits_todo(ctx: &Ctx<'_>, missing: &str) -> Eval {
    let commits = &ctx.issue.fix_commits;
    let empty = commits.iter().filter(|c| c.id.trim().is_empty()).count();
    Eval::default()
        .todo_if(empty == commits.len(), missing)
        .todo_if(
            empty > 0 && empty < commits.len(),
            "give every fix commit row its commit ID, or remove the empty row",
        )
}

/// Blocked until a release instant is planned; the rules it reports do the rest.
fn needs_planned(ctx: &Ctx<'_>) -> Eval {
    if ctx.planned().is_some() {
        Eval::default()
    } else {
        Eval::blocked("no release instant is planned yet (step: Plan the release)")
    }
}

/// A notice step: [`needs_planned`], and a warning while someone who was
/// told a fact that has changed since has not had a correction
/// ([`crate::core::told::corrections`]).
fn notice_step(ctx: &Ctx<'_>) -> Eval {
    let mut eval = needs_planned(ctx);
    let due = crate::core::told::corrections(ctx.project, ctx.issue);
    if !due.is_empty() {
        let who: Vec<&str> = due.iter().map(|c| c.recipient.as_str()).collect();
        eval = eval.finding(
            "correction_due",
            format!(
                "send a correction to {}: {} (the notices window's “Corrections to send”, or `embargo corrections`)",
                who.join(", "),
                crate::core::told::describe(&due[0])
            ),
        );
    }
    eval
}

/// What the data say about a step of `kind`: its entry's `eval`, and, unless
/// the step is blocked or does not apply, the failing verdicts of the
/// release-time rules it reports.
pub fn evaluate(kind: StepKind, ctx: &Ctx<'_>) -> Eval {
    let eval = (kind_def(kind).eval)(ctx);
    if eval.blocked.is_some() || eval.not_applicable.is_some() {
        return eval;
    }
    ctx.verdicts
        .iter()
        .filter(|v| v.step == kind && v.verdict.level != schedule::Level::Ok)
        .fold(eval, |e, v| {
            e.finding(v.verdict.rule.id(), v.verdict.reason.clone())
        })
}

/// The table. Order is irrelevant; playbooks order the steps.
pub static KINDS: &[KindDef] = &[
    KindDef {
        kind: StepKind::IntakeRecord,
        id: "intake_record",
        title: "Record the report",
        phase: Phase::Intake,
        help: "Write down where the report came from so anyone can find the original again. \
               For a private mail keep its From, Subject, Date and Message-ID headers; for a \
               public tracker issue keep its address and date, and point the reporter to the \
               private security address. Note who reported it and how to reach them.",
        fields: &[Field::IntakeChannel, Field::Received, Field::Reporter],
        actions: &[],
        needs: &[],
        completion: Completion::Auto,
        eval: |ctx| {
            Eval::default()
                .todo_if(
                    !ctx.issue.intake.channel.is_recorded(),
                    "record the mail headers or the public issue URL",
                )
                .todo_if(
                    ctx.issue.reporter.name.trim().is_empty(),
                    "record the reporter's name",
                )
        },
    },
    KindDef {
        kind: StepKind::KeepNotes,
        id: "keep_notes",
        title: "Keep notes and a timeline",
        phase: Phase::Intake,
        help: "Everything done from now on lands in this issue's journal with its time, so the \
               write-up afterwards can explain to the community what happened and when. Add a \
               note to any step whenever something happens outside Embargo (a call, a chat).",
        fields: &[],
        actions: &[],
        needs: &[],
        completion: Completion::Manual,
        eval: |_| Eval::default(),
    },
    KindDef {
        kind: StepKind::RecordAndLabels,
        id: "record_and_labels",
        title: "Record in the private tracker",
        phase: Phase::Intake,
        help: "Open an issue in the private security tracker with the original text, the \
               reference headers above a separator, and the labels \"severity needed\" and \
               \"CVE ID needed\". Then tell the reporter and the security list that the report \
               is on record.",
        fields: &[Field::OtherIds],
        actions: &[],
        needs: &[StepKind::IntakeRecord],
        completion: Completion::Manual,
        eval: |_| Eval::default(),
    },
    KindDef {
        kind: StepKind::ReporterPreferences,
        id: "reporter_preferences",
        title: "Reporter's timeline and credit",
        phase: Phase::Intake,
        help: "Ask the reporter whether they have a date for going public and how (or whether) \
               they want to be credited. Aim to be far quicker than any deadline they set. \
               Professional researchers may already hold a CVE: ask.",
        fields: &[
            Field::Credit,
            Field::ReporterDeadline,
            Field::ReporterHasCve,
        ],
        actions: &[],
        needs: &[StepKind::IntakeRecord],
        completion: Completion::Auto,
        eval: |ctx| {
            let r = &ctx.issue.reporter;
            let e = Eval::default()
                .todo_if(
                    r.credit.is_none(),
                    "record how the reporter wants to be credited",
                )
                .todo_if(
                    r.has_cve.is_none(),
                    "ask whether the reporter already has a CVE",
                );
            match r.deadline {
                Some(d) if d < ctx.now && ctx.release.and_then(|r| r.published).is_none() => e
                    .finding(
                        "reporter_deadline",
                        format!(
                            "the reporter's deadline {} has passed",
                            d.format("%Y-%m-%d %H:%M UTC")
                        ),
                    ),
                _ => e,
            }
        },
    },
    KindDef {
        kind: StepKind::Triage,
        id: "triage",
        title: "Investigate and assess",
        phase: Phase::Assessment,
        help: "Find out whether this really is a security issue, which releases and versions it \
               affects, and what an attacker gains. Report the conclusion back to the reporter \
               and the security team. If it is not a security issue, say so: the issue then \
               ends with the standard reply.",
        fields: &[
            Field::Verdict,
            Field::Affected,
            Field::ImpactKind,
            Field::Description,
            Field::Cwe,
            Field::Exploited,
        ],
        actions: &[],
        needs: &[StepKind::IntakeRecord],
        completion: Completion::Auto,
        eval: |ctx| {
            let i = ctx.issue;
            Eval::default()
                .todo_if(
                    i.verdict == Verdict::Pending,
                    "decide whether it is a security issue",
                )
                .todo_if(
                    i.verdict == Verdict::Security && i.affected.is_empty(),
                    "list the affected versions",
                )
        },
    },
    KindDef {
        kind: StepKind::NotSecurityReply,
        id: "not_security_reply",
        title: "Reply: not a security issue",
        phase: Phase::Assessment,
        help: "The investigation found no security issue. Send the reporter the standard reply \
               (drafted here), and if the bug still deserves a fix, handle it as an ordinary \
               public bug. The issue ends here.",
        fields: &[],
        actions: &[Action::DraftNotSecurityReply],
        needs: &[StepKind::Triage],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.issue.verdict == Verdict::NotSecurity {
                Eval::default()
            } else {
                Eval::na("only for reports found not to be a security issue")
            }
        },
    },
    KindDef {
        kind: StepKind::Severity,
        id: "severity",
        title: "Assign a severity",
        phase: Phase::Assessment,
        help: "Classify the issue as Low, Moderate, High or Critical, optionally backed by a \
               CVSS vector, and have another team member confirm it. The severity decides how \
               the fix travels (Low issues may be fixed in public) and how soon the release \
               must follow (High and Critical within four weeks).",
        fields: &[Field::Severity, Field::Cvss, Field::Impact],
        actions: &[],
        needs: &[StepKind::Triage],
        completion: Completion::Auto,
        eval: |ctx| Eval::default().todo_if(ctx.issue.severity.is_none(), "choose a severity"),
    },
    KindDef {
        kind: StepKind::CveId,
        id: "cve_id",
        title: "Get a CVE ID",
        phase: Phase::Cve,
        help: "Request an identifier from a CVE Numbering Authority (or assign one from the \
               project's own pool; a project on GCVE assigns a GCVE ID, GCVE-GNA-YEAR-NUMBER, \
               from its GCVE numbering authority). Answers can lag, so start this early and go on with the \
               other steps meanwhile. Tell the reporter and the team the ID, and put it at the \
               start of the private tracker issue's title.",
        fields: &[Field::Cve, Field::OtherIds],
        actions: &[],
        needs: &[StepKind::Triage],
        completion: Completion::Auto,
        eval: |ctx| {
            if ctx.issue.verdict == Verdict::Pending {
                return Eval::blocked(
                    "the triage verdict is pending (step: Investigate and assess)",
                );
            }
            let authority = super::id_authority(ctx.project, ctx.playbook);
            match &ctx.issue.cve {
                CveState::NotNeeded => Eval::default(),
                CveState::ToRequest => Eval::default().todo_if(true, &authority.request()),
                CveState::Requested => match authority {
                    IdAuthority::Cve => Eval::default()
                        .todo_if(true, "wait for the CNA to assign the ID, then record it"),
                    IdAuthority::Gcve { gna } => Eval::default().todo_if(
                        true,
                        &format!("wait for GCVE numbering authority {gna} to assign the ID, then record it"),
                    ),
                },
                CveState::Assigned { id } if is_valid_vuln_id(id) => Eval::default(),
                CveState::Assigned { id } => Eval::default().finding(
                    "cve_format",
                    match authority {
                        IdAuthority::Cve => {
                            format!("`{id}` is not a CVE ID of the form CVE-YYYY-NNNN")
                        }
                        IdAuthority::Gcve { gna } => format!(
                            "`{id}` is not a GCVE ID of the form GCVE-{gna}-YYYY-NNNN (nor a CVE ID)"
                        ),
                    },
                ),
            }
        },
    },
    KindDef {
        kind: StepKind::EarlyAdvisory,
        id: "early_advisory",
        title: "Write the early advisory",
        phase: Phase::Cve,
        help: "Draft the advisory text for this CVE now, while things are calm: severity, what \
               is wrong, what it allows, which versions are affected and not affected, one \
               upgrade line per branch, and credit to the reporter and the fixer. The reporter's \
               own write-up is often a good start.",
        fields: &[
            Field::EarlyAdvisory,
            Field::Credit,
            Field::Description,
            Field::Impact,
        ],
        actions: &[],
        needs: &[StepKind::CveId],
        completion: Completion::Auto,
        eval: |ctx| {
            let e = Eval::default().todo_if(
                ctx.issue.early_advisory.trim().is_empty(),
                "write the advisory text",
            );
            credit_check(ctx, e)
        },
    },
    KindDef {
        kind: StepKind::ReleaseStrategy,
        id: "release_strategy",
        title: "Patch-level release or next release",
        phase: Phase::Fix,
        help: "Decide how the fix ships. Remote code execution gets a patch-level release \
               (X.Y.patchlevel carrying only the backported fix), which is easiest for everyone \
               to apply; most other issues too, unless the fix is tiny or needs architectural \
               change. Otherwise it rides in the next (perhaps expedited) release and packagers \
               are warned so they can backport.",
        fields: &[Field::Strategy, Field::ImpactKind],
        actions: &[],
        needs: &[StepKind::Triage],
        completion: Completion::Auto,
        eval: |ctx| {
            let i = ctx.issue;
            let e = Eval::default().todo_if(i.strategy.is_none(), "choose the release strategy");
            if i.impact_kind == Some(ImpactKind::RemoteCodeExecution)
                && i.strategy == Some(ReleaseStrategy::NextRelease)
            {
                e.finding(
                    "rce_patch_level",
                    "remote code execution calls for a patch-level release, not the next release",
                )
            } else {
                e
            }
        },
    },
    KindDef {
        kind: StepKind::FixPublic,
        id: "fix_public",
        title: "Fix in public (Low severity)",
        phase: Phase::Fix,
        help: "A Low severity issue is fixed like any public bug, through an ordinary pull \
               request; only its advisory waits for the next release. If a release is imminent \
               it may instead ride along with the private fixes.",
        fields: &[Field::FixCommits, Field::IntroducedCommit],
        actions: &[],
        needs: &[StepKind::Severity],
        completion: Completion::Auto,
        eval: |ctx| {
            if ctx.issue.severity != Some(Severity::Low) {
                return Eval::na("only Low severity issues are fixed in public");
            }
            fix_commits_todo(ctx, "record the fix commit")
        },
    },
    KindDef {
        kind: StepKind::FixPrivate,
        id: "fix_private",
        title: "Prepare the fix in private",
        phase: Phase::Fix,
        help: "The fix is written and collected in the private repository, one pull request per \
               issue, never pushed to public git before the release. The commit with the actual \
               fix names the CVE ID in its message; tests and hardening may follow in separate \
               commits.",
        fields: &[Field::FixCommits, Field::IntroducedCommit],
        actions: &[Action::GitGuard],
        needs: &[StepKind::Triage],
        completion: Completion::Auto,
        eval: |ctx| {
            if ctx.low_in_public() {
                return Eval::na("Low severity issues are fixed in public");
            }
            fix_commits_todo(ctx, "record the fix commits")
        },
    },
    KindDef {
        kind: StepKind::PrivateTesting,
        id: "private_testing",
        title: "Test without public git",
        phase: Phase::Fix,
        help: "Get the patch tested on the platforms that matter without disclosing it: send it \
               directly to trusted maintainers and coordinate by mail or chat. The more \
               platform-specific the code, the wider the testing must be.",
        fields: &[],
        actions: &[],
        needs: &[StepKind::FixPrivate],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.low_in_public() {
                Eval::na("Low severity issues are fixed and tested in public")
            } else {
                Eval::default()
            }
        },
    },
    KindDef {
        kind: StepKind::ReleasePlan,
        id: "release_plan",
        title: "Plan the release",
        phase: Phase::Schedule,
        help: "Sketch the disclosure timeline: choose the release and the instant it goes public. \
               Moderate issues can wait for the next update release; High and Critical ones \
               need an update release within four weeks of the report. Respect any deadline \
               the reporter set.",
        fields: &[Field::Release, Field::Exploited],
        actions: &[],
        needs: &[StepKind::Severity],
        completion: Completion::Auto,
        eval: |ctx| {
            if ctx.issue.severity.is_none() {
                return Eval::blocked("the severity is not set (step: Assign a severity)");
            }
            Eval::default().todo_if(ctx.planned().is_none(), "plan a release and its instant")
        },
    },
    KindDef {
        kind: StepKind::NoFriday,
        id: "no_friday",
        title: "Not on a Friday",
        phase: Phase::Schedule,
        help: "Do not disclose on a Friday (or a weekend) in any of the key zones: people need \
               working days to roll out the fix. The exception is an issue that is being \
               exploited, or soon will be.",
        fields: &[Field::Exploited],
        actions: &[],
        needs: &[StepKind::ReleasePlan],
        completion: Completion::Auto,
        eval: needs_planned,
    },
    KindDef {
        kind: StepKind::ReleaseHour,
        id: "release_hour",
        title: "Release hour: night over the Pacific",
        phase: Phase::Schedule,
        help: "No hour suits everyone, so release when it is the middle of the night over the \
               Pacific: between 20:00 and 04:00 in Honolulu. That is early morning on the US \
               West Coast, mid-morning on the East Coast, the afternoon in Europe and the \
               evening in Japan.",
        fields: &[Field::Release],
        actions: &[],
        needs: &[StepKind::ReleasePlan],
        completion: Completion::Auto,
        eval: needs_planned,
    },
    KindDef {
        kind: StepKind::PackagerLeadTime,
        id: "packager_lead_time",
        title: "Lead time for OS packagers",
        phase: Phase::Schedule,
        help: "Operating-system packagers need at least one day between the notice and the \
               release to push emergency updates through, preferably two.",
        fields: &[Field::Release],
        actions: &[],
        needs: &[StepKind::ReleasePlan],
        completion: Completion::Auto,
        eval: needs_planned,
    },
    KindDef {
        kind: StepKind::AdvanceNotice,
        id: "advance_notice",
        title: "Advance notice to maintainers and distros",
        phase: Phase::PreNotification,
        help: "Tell the private maintainers list and the Openwall distros list that a fix is \
               coming. Without a patch yet, stay vague: a flaw exists, its impact, when \
               packaging starts and when the release is. The distros list wants “[vs]” in the \
               subject, the date and time of disclosure in the first message, and an embargo \
               of at most 14 days (under 7 preferred).",
        fields: &[Field::PocShared],
        actions: &[],
        needs: &[StepKind::ReleasePlan],
        completion: Completion::Manual,
        eval: notice_step,
    },
    KindDef {
        kind: StepKind::PrenotifyVendors,
        id: "prenotify_vendors",
        title: "Pre-notify customers and vendors",
        phase: Phase::PreNotification,
        help: "About two weeks before the release, tell support customers and the vendors who \
               take part that an update with security fixes is coming. Customers get the \
               advisory text, the end of the embargo and the question who wants the patch. \
               Vendors (via the distros list, “[vs]” in the subject, others in Bcc) must accept \
               the embargo again every time before they get access.",
        fields: &[],
        actions: &[],
        needs: &[StepKind::ReleasePlan, StepKind::EarlyAdvisory],
        completion: Completion::Manual,
        eval: notice_step,
    },
    KindDef {
        kind: StepKind::PreAnnounce,
        id: "pre_announce",
        title: "Public pre-announcement",
        phase: Phase::PreNotification,
        help: "About a week before the release, announce to the public, the support customers \
               and oss-security that a release with security fixes is coming, its date and the \
               highest severity, with no details.",
        fields: &[],
        actions: &[],
        needs: &[StepKind::ReleasePlan],
        completion: Completion::Manual,
        eval: needs_planned,
    },
    KindDef {
        kind: StepKind::GithubAdvisory,
        id: "github_advisory",
        title: "GitHub security advisory",
        phase: Phase::PreNotification,
        help: "Open a GitHub Security Advisory for the release: its private fork is where \
               patches, dates and the advisory are discussed with those given access. Record \
               its GHSA identifier.",
        fields: &[Field::OtherIds],
        actions: &[],
        needs: &[StepKind::FixPrivate],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.low_in_public() {
                Eval::na("Low severity issues are fixed in public")
            } else {
                Eval::default()
            }
        },
    },
    KindDef {
        kind: StepKind::AdvisoryText,
        id: "advisory_text",
        title: "Security advisory text",
        phase: Phase::PreNotification,
        help: "Assemble the release's security advisory from the early advisories of every \
               issue it fixes (Low issues already fixed on the branch included), sorted from \
               Critical to Low and by date, under a dated header and above the references.",
        fields: &[Field::EarlyAdvisory, Field::Credit],
        actions: &[],
        needs: &[StepKind::EarlyAdvisory, StepKind::ReleasePlan],
        completion: Completion::Manual,
        eval: |ctx| credit_check(ctx, Eval::default()),
    },
    KindDef {
        kind: StepKind::BuildAndSign,
        id: "build_and_sign",
        title: "Tarball and standalone patch, signed",
        phase: Phase::BuildAndSign,
        help: "From the local private repository make a signed tag, check the version file \
               carries the release version, build the release tarball and a standalone patch, \
               and sign both. Build and run the tarball yourself. These files are embargoed \
               until the release.",
        fields: &[],
        actions: &[Action::BuildArtifacts, Action::SignFiles],
        needs: &[StepKind::FixPrivate, StepKind::PrivateTesting],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.low_in_public() {
                return Eval::na("Low severity issues ship in the next regular release");
            }
            let signed = |kind: ArtifactKind| {
                ctx.release.is_some_and(|r| {
                    r.artifacts
                        .iter()
                        .any(|a| a.kind == kind && a.signature.is_some())
                })
            };
            Eval::default()
                .todo_if(
                    !signed(ArtifactKind::Tarball),
                    "sign the release tarball (Sign files, below)",
                )
                .todo_if(
                    !signed(ArtifactKind::Patch),
                    "sign the standalone patch (Sign files, below)",
                )
        },
    },
    KindDef {
        kind: StepKind::EmbargoedShare,
        id: "embargoed_share",
        title: "Embargoed download behind authentication",
        phase: Phase::EmbargoedShare,
        help: "Put the embargoed tarball and patch on a web server behind HTTP Basic or Digest \
               authentication, with one user name and a strong password per list, and no \
               directory listing.",
        fields: &[],
        actions: &[Action::ShareCredentials],
        needs: &[StepKind::BuildAndSign],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.low_in_public() {
                Eval::na("Low severity issues are fixed in public")
            } else {
                Eval::default()
            }
        },
    },
    KindDef {
        kind: StepKind::FixAvailability,
        id: "fix_availability",
        title: "Notice of fix availability",
        phase: Phase::EmbargoedShare,
        help: "Tell the maintainers and distros lists where the embargoed files are and give \
               each list its own credentials. Stay available for their questions.",
        fields: &[],
        actions: &[],
        needs: &[StepKind::EmbargoedShare, StepKind::AdvanceNotice],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.low_in_public() {
                Eval::na("Low severity issues are fixed in public")
            } else {
                Eval::default()
            }
        },
    },
    KindDef {
        kind: StepKind::AnnouncementDraft,
        id: "announcement_draft",
        title: "Draft the announcement",
        phase: Phase::Release,
        help: "Draft the release announcement ahead of time, from the last one. Say up front \
               what the impact is and which versions (and build options) are affected, credit \
               the reporter if they wish, and give any mitigation by configuration for those \
               who cannot deploy new binaries at once.",
        fields: &[
            Field::Impact,
            Field::Mitigation,
            Field::Affected,
            Field::Credit,
        ],
        actions: &[],
        needs: &[StepKind::Triage],
        completion: Completion::Manual,
        eval: |ctx| {
            let i = ctx.issue;
            let e = Eval::default()
                .todo_if(i.impact.trim().is_empty(), "describe the impact")
                .todo_if(i.affected.is_empty(), "list the affected versions");
            credit_check(ctx, e)
        },
    },
    KindDef {
        kind: StepKind::PublishRelease,
        id: "publish_release",
        title: "Release",
        phase: Phase::Release,
        help: "At the planned instant publish the tarballs (or the release), send the \
               announcement to the announce and users lists, update the website, and post the \
               issue to Openwall oss-security, which the distros list requires once the \
               embargo ends.",
        fields: &[Field::Published],
        actions: &[],
        // Not before the notices of the playbook went out (or were skipped).
        needs: &[
            StepKind::ReleasePlan,
            StepKind::AdvanceNotice,
            StepKind::PrenotifyVendors,
            StepKind::PreAnnounce,
        ],
        completion: Completion::Auto,
        eval: |ctx| {
            let published = ctx.release.and_then(|r| r.published);
            Eval::default().todo_if(
                published.is_none(),
                "publish the release and record the instant",
            )
        },
    },
    KindDef {
        kind: StepKind::PushPublic,
        id: "push_public",
        title: "Push the fix to public git",
        phase: Phase::Publish,
        help: "Only now that the release is public, push the fix commits and the signed tag to \
               the public repository.",
        fields: &[],
        actions: &[Action::GitGuard],
        needs: &[StepKind::PublishRelease],
        completion: Completion::Manual,
        eval: |ctx| {
            if ctx.low_in_public() {
                Eval::na("Low severity fixes are already public")
            } else {
                Eval::default()
            }
        },
    },
    KindDef {
        kind: StepKind::CveRecord,
        id: "cve_record",
        title: "Publish the advisory and the CVE record",
        phase: Phase::Publish,
        help: "Publish the security advisory on the website with a newsflash line, and the CVE \
               JSON record for each issue within a day of disclosure (three at most), never \
               before the public reference exists. The record names the fixed version as it is \
               published (no “-dev” bound, even when exported before the release).",
        fields: &[Field::Cve, Field::Cwe],
        actions: &[Action::ExportCveRecord],
        needs: &[StepKind::PublishRelease, StepKind::CveId],
        completion: Completion::Manual,
        eval: |_| Eval::default(),
    },
    KindDef {
        kind: StepKind::Aftermath,
        id: "aftermath",
        title: "Aftermath and write-up",
        phase: Phase::After,
        help: "Deal with the questions and fallout on the lists (hand that over if you need \
               sleep), then write up what happened from report to publication for the \
               community: the write-up is generated from this issue's journal.",
        fields: &[],
        actions: &[Action::WriteUp],
        needs: &[StepKind::PublishRelease],
        completion: Completion::Manual,
        eval: |_| Eval::default(),
    },
    KindDef {
        kind: StepKind::Checklist,
        id: "checklist",
        title: "Checklist item",
        phase: Phase::After,
        help: "A step of the playbook's own, done when you mark it done.",
        fields: &[],
        actions: &[],
        needs: &[],
        completion: Completion::Manual,
        eval: |_| Eval::default(),
    },
];

#[cfg(test)]
mod tests {
    //! One test per kind, in the order of the table.

    use chrono::{TimeDelta, TimeZone};

    use super::*;
    use crate::core::model::{
        AffectedRange, Artifact, ArtifactKind, Credit, Event, FixCommit, IntakeChannel,
        JournalEntry, PlaybookRef,
    };

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("valid test instant")
            .with_timezone(&Utc)
    }

    struct Fx {
        project: Project,
        release: Option<Release>,
        playbook: Playbook,
        now: DateTime<Utc>,
    }

    impl Fx {
        fn new() -> Self {
            let mut project = Project::new("Test", PlaybookRef::Builtin("exim".into()));
            project
                .issues
                .push(Issue::new("T-1", "bug", t("2026-11-01T10:00:00Z")));
            Self {
                project,
                release: None,
                playbook: Playbook {
                    name: "test".into(),
                    description: String::new(),
                    rules: Default::default(),
                    steps: Vec::new(),
                },
                now: t("2026-11-23T12:00:00Z"),
            }
        }
        fn with_steps(&mut self, kinds: &[StepKind]) {
            for &kind in kinds {
                self.playbook
                    .steps
                    .push(crate::core::playbook::PlaybookStep {
                        kind,
                        key: None,
                        title: None,
                        text: None,
                        phase: None,
                        optional: false,
                    });
            }
        }
        fn issue(&mut self) -> &mut Issue {
            &mut self.project.issues[0]
        }
        fn plan(&mut self, at: &str) {
            self.project.releases.clear();
            self.release = Some(Release {
                id: "1.0.1".into(),
                version: "1.0.1".into(),
                planned: Some(t(at)),
                published: None,
                base_tag: None,
                issues: vec!["T-1".into()],
                artifacts: vec![],
                milestones: Default::default(),
                shares: Vec::new(),
            });
        }
        /// What a step of `kind` says, in the fixture's playbook with a
        /// step of that kind added if it has none.
        fn eval(&self, kind: StepKind) -> Eval {
            let mut project = self.project.clone();
            project.releases.extend(self.release.clone());
            let mut playbook = self.playbook.clone();
            if !playbook.steps.iter().any(|s| s.kind == kind) {
                playbook.steps.push(crate::core::playbook::PlaybookStep {
                    kind,
                    key: None,
                    title: None,
                    text: None,
                    phase: None,
                    optional: false,
                });
            }
            let verdicts = crate::core::playbook::step_verdicts(
                &project,
                &project.issues[0],
                &playbook,
                self.now,
            );
            let ctx = Ctx {
                project: &project,
                issue: &project.issues[0],
                release: self.release.as_ref(),
                playbook: &playbook,
                now: self.now,
                verdicts: &verdicts,
            };
            evaluate(kind, &ctx)
        }
        fn checks(&self, kind: StepKind) -> Vec<&'static str> {
            self.eval(kind).findings.iter().map(|f| f.check).collect()
        }
    }

    #[test]
    fn every_kind_has_exactly_one_entry_and_a_unique_id() {
        for kind in KINDS.iter().map(|k| k.kind) {
            assert_eq!(
                KINDS.iter().filter(|k| k.kind == kind).count(),
                1,
                "{kind:?}"
            );
            assert_eq!(StepKind::from_id(kind.id()), Some(kind));
            // The serde name must match the table's id.
            let ron = ron::to_string(&kind).expect("serializes");
            assert_eq!(ron, kind.id());
        }
        assert_eq!(
            KINDS.len(),
            31,
            "a StepKind without an entry, or an entry too many"
        );
    }

    #[test]
    fn intake_record() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::IntakeRecord).todo.len(), 2);
        fx.issue().intake.channel = IntakeChannel::PublicIssue {
            url: "https://example.org/1".into(),
        };
        fx.issue().reporter.name = "Ada".into();
        assert_eq!(fx.eval(StepKind::IntakeRecord), Eval::default());
        fx.issue().intake.channel = IntakeChannel::Mail {
            from: "a@example.org".into(),
            subject: "bug".into(),
            date: "Tue, 29 Feb 2000 10:59:59 +0000".into(),
            message_id: String::new(),
        };
        assert_eq!(
            fx.eval(StepKind::IntakeRecord).todo.len(),
            1,
            "a mail needs its Message-ID"
        );
    }

    #[test]
    fn keep_notes() {
        assert_eq!(Fx::new().eval(StepKind::KeepNotes), Eval::default());
        assert_eq!(kind_def(StepKind::KeepNotes).completion, Completion::Manual);
    }

    #[test]
    fn record_and_labels() {
        assert_eq!(
            kind_def(StepKind::RecordAndLabels).needs,
            &[StepKind::IntakeRecord]
        );
        assert_eq!(Fx::new().eval(StepKind::RecordAndLabels), Eval::default());
    }

    #[test]
    fn reporter_preferences() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::ReporterPreferences).todo.len(), 2);
        fx.issue().reporter.credit = Some(Credit::Named("Ada L.".into()));
        fx.issue().reporter.has_cve = Some(false);
        assert_eq!(fx.eval(StepKind::ReporterPreferences), Eval::default());
        fx.issue().reporter.deadline = Some(t("2026-11-20T00:00:00Z"));
        assert_eq!(
            fx.checks(StepKind::ReporterPreferences),
            ["reporter_deadline"]
        );
    }

    #[test]
    fn triage() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::Triage).todo.len(), 1);
        fx.issue().verdict = Verdict::Security;
        assert_eq!(
            fx.eval(StepKind::Triage).todo,
            ["list the affected versions"]
        );
        fx.issue().affected.push(AffectedRange {
            introduced: "1.0".into(),
            fixed: None,
        });
        assert!(fx.eval(StepKind::Triage).todo.is_empty());
        fx.issue().affected.clear();
        fx.issue().verdict = Verdict::NotSecurity;
        assert!(
            fx.eval(StepKind::Triage).todo.is_empty(),
            "no versions needed for a non-issue"
        );
    }

    #[test]
    fn not_security_reply() {
        let mut fx = Fx::new();
        assert!(fx.eval(StepKind::NotSecurityReply).not_applicable.is_some());
        fx.issue().verdict = Verdict::NotSecurity;
        assert_eq!(fx.eval(StepKind::NotSecurityReply), Eval::default());
        assert_eq!(
            kind_def(StepKind::NotSecurityReply).actions,
            &[Action::DraftNotSecurityReply]
        );
    }

    #[test]
    fn severity() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::Severity).todo, ["choose a severity"]);
        fx.issue().severity = Some(Severity::High);
        assert_eq!(fx.eval(StepKind::Severity), Eval::default());
    }

    #[test]
    fn cve_id() {
        let mut fx = Fx::new();
        assert!(
            fx.eval(StepKind::CveId).blocked.is_some(),
            "waits for the verdict"
        );
        fx.issue().verdict = Verdict::Security;
        assert_eq!(fx.eval(StepKind::CveId).todo, ["request a CVE"]);
        fx.issue().cve = CveState::Requested;
        assert_eq!(fx.eval(StepKind::CveId).todo.len(), 1);
        fx.issue().cve = CveState::Assigned {
            id: "CVE-2026-1".into(),
        };
        assert_eq!(fx.checks(StepKind::CveId), ["cve_format"]);
        fx.issue().cve = CveState::Assigned {
            id: "CVE-2026-12345".into(),
        };
        assert_eq!(fx.eval(StepKind::CveId), Eval::default());
        // On GCVE: the step asks for a GCVE ID of the project's GNA.
        fx.project.publication.id_authority = Some(IdAuthority::Gcve { gna: 42 });
        fx.issue().cve = CveState::ToRequest;
        assert_eq!(
            fx.eval(StepKind::CveId).todo,
            ["assign a GCVE ID from GCVE numbering authority 42 (GCVE-42-YYYY-N)"]
        );
        fx.issue().cve = CveState::Assigned {
            id: "GCVE-42-2026-0001".into(),
        };
        assert_eq!(fx.eval(StepKind::CveId), Eval::default());
        fx.issue().cve = CveState::Assigned {
            id: "GCVE-42-2026 0001".into(),
        };
        assert_eq!(fx.checks(StepKind::CveId), ["cve_format"]);
    }

    #[test]
    fn early_advisory() {
        let mut fx = Fx::new();
        let e = fx.eval(StepKind::EarlyAdvisory);
        assert_eq!(e.todo.len(), 1);
        assert_eq!(fx.checks(StepKind::EarlyAdvisory), ["credit_recorded"]);
        fx.issue().early_advisory = "Heap overflow (CVE-2026-12345)".into();
        fx.issue().reporter.credit = Some(Credit::Anonymous);
        assert_eq!(fx.eval(StepKind::EarlyAdvisory), Eval::default());
    }

    #[test]
    fn release_strategy() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::ReleaseStrategy).todo.len(), 1);
        fx.issue().impact_kind = Some(ImpactKind::RemoteCodeExecution);
        fx.issue().strategy = Some(ReleaseStrategy::NextRelease);
        assert_eq!(fx.checks(StepKind::ReleaseStrategy), ["rce_patch_level"]);
        fx.issue().strategy = Some(ReleaseStrategy::PatchLevel);
        assert_eq!(fx.eval(StepKind::ReleaseStrategy), Eval::default());
        fx.issue().impact_kind = Some(ImpactKind::DenialOfService);
        fx.issue().strategy = Some(ReleaseStrategy::NextRelease);
        assert_eq!(fx.eval(StepKind::ReleaseStrategy), Eval::default());
    }

    #[test]
    fn fix_public() {
        let mut fx = Fx::new();
        fx.issue().severity = Some(Severity::High);
        assert!(fx.eval(StepKind::FixPublic).not_applicable.is_some());
        fx.issue().severity = Some(Severity::Low);
        assert_eq!(fx.eval(StepKind::FixPublic).todo.len(), 1);
        fx.issue().fix_commits.push(FixCommit {
            id: "abc123".into(),
            branch: "main".into(),
            summary: "fix".into(),
        });
        assert_eq!(fx.eval(StepKind::FixPublic), Eval::default());
    }

    #[test]
    fn an_empty_fix_commit_row_records_nothing() {
        let mut fx = Fx::new();
        fx.issue().severity = Some(Severity::High);
        let row = |id: &str| FixCommit {
            id: id.into(),
            branch: String::new(),
            summary: String::new(),
        };
        // "Add a commit" clicked, nothing typed yet: still no fix.
        fx.issue().fix_commits.push(row(""));
        assert_eq!(
            fx.eval(StepKind::FixPrivate).todo,
            ["record the fix commits"]
        );
        fx.issue().fix_commits.push(row("  "));
        assert_eq!(fx.eval(StepKind::FixPrivate).todo.len(), 1);
        // One real commit beside an empty row: the row is left to fill in.
        fx.issue().fix_commits.push(row("9e8d7c6b"));
        assert_eq!(
            fx.eval(StepKind::FixPrivate).todo,
            ["give every fix commit row its commit ID, or remove the empty row"]
        );
        fx.issue().fix_commits.retain(|c| !c.id.trim().is_empty());
        assert_eq!(fx.eval(StepKind::FixPrivate), Eval::default());
    }

    #[test]
    fn fix_private() {
        let mut fx = Fx::new();
        fx.issue().severity = Some(Severity::Low);
        // Exim's rules: even a Low issue is fixed in private.
        assert_eq!(fx.eval(StepKind::FixPrivate).todo.len(), 1);
        // OpenSSL's: Low is fixed in public.
        fx.playbook.rules.low_fixed_in_public = true;
        assert!(fx.eval(StepKind::FixPrivate).not_applicable.is_some());
        fx.issue().severity = Some(Severity::Moderate);
        assert_eq!(fx.eval(StepKind::FixPrivate).todo.len(), 1);
    }

    #[test]
    fn private_testing() {
        let mut fx = Fx::new();
        fx.playbook.rules.low_fixed_in_public = true;
        fx.issue().severity = Some(Severity::Low);
        assert!(fx.eval(StepKind::PrivateTesting).not_applicable.is_some());
        fx.issue().severity = Some(Severity::Critical);
        assert_eq!(fx.eval(StepKind::PrivateTesting), Eval::default());
    }

    #[test]
    fn release_plan() {
        let mut fx = Fx::new();
        assert!(
            fx.eval(StepKind::ReleasePlan).blocked.is_some(),
            "severity first"
        );
        fx.issue().severity = Some(Severity::High);
        assert_eq!(fx.eval(StepKind::ReleasePlan).todo.len(), 1);
        fx.plan("2026-12-08T14:00:00Z"); // 37 days after the report
        assert_eq!(
            fx.eval(StepKind::ReleasePlan),
            Eval::default(),
            "no four-week rule for Exim"
        );
        fx.playbook.rules.high_release_within_days = Some(28);
        assert_eq!(fx.checks(StepKind::ReleasePlan), ["high_within_weeks"]);
        fx.issue().severity = Some(Severity::Moderate);
        assert!(
            fx.checks(StepKind::ReleasePlan).is_empty(),
            "Moderate waits for the next release"
        );
        fx.issue().reporter.deadline = Some(t("2026-12-01T00:00:00Z"));
        assert_eq!(fx.checks(StepKind::ReleasePlan), ["reporter_deadline"]);
    }

    #[test]
    fn no_friday() {
        let mut fx = Fx::new();
        assert!(fx.eval(StepKind::NoFriday).blocked.is_some());
        fx.plan("2026-12-11T14:00:00Z"); // a Friday
        assert_eq!(fx.checks(StepKind::NoFriday), ["no_friday"]);
        fx.issue().actively_exploited = true;
        assert_eq!(
            fx.eval(StepKind::NoFriday),
            Eval::default(),
            "exploitation overrides"
        );
        fx.issue().actively_exploited = false;
        fx.plan("2026-12-08T14:00:00Z"); // a Tuesday
        assert_eq!(fx.eval(StepKind::NoFriday), Eval::default());
        // Thursday 22:00 UTC is already Friday in Tokyo.
        fx.plan("2026-12-10T22:00:00Z");
        let e = fx.eval(StepKind::NoFriday);
        assert!(e.findings[0].reason.contains("Asia/Tokyo"), "{e:?}");
    }

    #[test]
    fn release_hour() {
        let mut fx = Fx::new();
        fx.plan("2026-12-08T14:00:00Z");
        assert_eq!(fx.eval(StepKind::ReleaseHour), Eval::default());
        fx.plan("2026-12-08T18:00:00Z");
        assert_eq!(fx.checks(StepKind::ReleaseHour), ["pacific_night"]);
    }

    #[test]
    fn packager_lead_time() {
        let mut fx = Fx::new();
        fx.plan("2026-11-24T06:00:00Z"); // 18 hours from now
        let e = fx.eval(StepKind::PackagerLeadTime);
        assert!(e.findings[0].reason.contains("at least one day"), "{e:?}");
        fx.plan("2026-11-25T00:00:00Z"); // 36 hours
        assert!(
            fx.eval(StepKind::PackagerLeadTime).findings[0]
                .reason
                .contains("preferred")
        );
        fx.plan("2026-11-26T14:00:00Z");
        assert_eq!(fx.eval(StepKind::PackagerLeadTime), Eval::default());
        // Measured from the notice once it was sent.
        let notice = fx.now - TimeDelta::days(2);
        fx.plan("2026-11-24T06:00:00Z");
        fx.issue().journal.push(JournalEntry::new(
            notice,
            Some("advance_notice"),
            Event::StepDone,
        ));
        assert_eq!(fx.eval(StepKind::PackagerLeadTime), Eval::default());
    }

    #[test]
    fn advance_notice() {
        let mut fx = Fx::new();
        fx.plan("2026-12-20T14:00:00Z"); // 27 days away
        assert_eq!(fx.checks(StepKind::AdvanceNotice), ["distros_embargo"]);
        fx.plan("2026-12-03T14:00:00Z"); // 10 days away
        assert_eq!(fx.checks(StepKind::AdvanceNotice), ["distros_embargo"]);
        fx.plan("2026-11-27T14:00:00Z");
        assert_eq!(fx.eval(StepKind::AdvanceNotice), Eval::default());
    }

    #[test]
    fn prenotify_vendors() {
        let mut fx = Fx::new();
        fx.with_steps(&[StepKind::PrenotifyVendors]);
        fx.plan("2026-11-27T14:00:00Z");
        assert_eq!(fx.checks(StepKind::PrenotifyVendors), ["vendor_prenotice"]);
        fx.plan("2026-12-07T14:00:00Z");
        assert_eq!(fx.eval(StepKind::PrenotifyVendors), Eval::default());
    }

    #[test]
    fn pre_announce() {
        let mut fx = Fx::new();
        fx.with_steps(&[StepKind::PreAnnounce]);
        fx.plan("2026-11-26T14:00:00Z");
        assert_eq!(fx.checks(StepKind::PreAnnounce), ["pre_announcement"]);
        fx.plan("2026-11-30T14:00:00Z");
        assert_eq!(fx.eval(StepKind::PreAnnounce), Eval::default());
    }

    #[test]
    fn github_advisory() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::GithubAdvisory), Eval::default());
        fx.playbook.rules.low_fixed_in_public = true;
        fx.issue().severity = Some(Severity::Low);
        assert!(fx.eval(StepKind::GithubAdvisory).not_applicable.is_some());
    }

    #[test]
    fn advisory_text() {
        let mut fx = Fx::new();
        assert_eq!(fx.checks(StepKind::AdvisoryText), ["credit_recorded"]);
        fx.issue().reporter.credit = Some(Credit::Anonymous);
        assert_eq!(fx.eval(StepKind::AdvisoryText), Eval::default());
    }

    #[test]
    fn build_and_sign() {
        let mut fx = Fx::new();
        fx.plan("2026-12-08T14:00:00Z");
        assert_eq!(fx.eval(StepKind::BuildAndSign).todo.len(), 2);
        let artifact = |path: &str, kind, signed: bool| Artifact {
            path: path.into(),
            kind,
            size: 1,
            sha256: "00".into(),
            signature: signed.then(|| format!("{path}.asc")),
            signer: None,
        };
        if let Some(r) = fx.release.as_mut() {
            r.artifacts
                .push(artifact("x-1.0.1.tar.xz", ArtifactKind::Tarball, true));
            r.artifacts
                .push(artifact("x-1.0.1.patch", ArtifactKind::Patch, false));
        }
        let eval = fx.eval(StepKind::BuildAndSign);
        assert_eq!(eval.todo.len(), 1, "an unsigned patch does not count");
        assert!(eval.todo[0].contains("patch"), "{eval:?}");
        if let Some(r) = fx.release.as_mut() {
            r.artifacts[1].signature = Some("x-1.0.1.patch.asc".into());
        }
        assert_eq!(fx.eval(StepKind::BuildAndSign), Eval::default());
    }

    #[test]
    fn embargoed_share() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::EmbargoedShare), Eval::default());
        fx.playbook.rules.low_fixed_in_public = true;
        fx.issue().severity = Some(Severity::Low);
        assert!(fx.eval(StepKind::EmbargoedShare).not_applicable.is_some());
    }

    #[test]
    fn fix_availability() {
        assert_eq!(
            kind_def(StepKind::FixAvailability).needs,
            &[StepKind::EmbargoedShare, StepKind::AdvanceNotice]
        );
        assert_eq!(Fx::new().eval(StepKind::FixAvailability), Eval::default());
    }

    #[test]
    fn announcement_draft() {
        let mut fx = Fx::new();
        let e = fx.eval(StepKind::AnnouncementDraft);
        assert_eq!(e.todo.len(), 2);
        assert_eq!(fx.checks(StepKind::AnnouncementDraft), ["credit_recorded"]);
        fx.issue().impact = "remote code execution as the exim user".into();
        fx.issue().affected.push(AffectedRange {
            introduced: "4.0".into(),
            fixed: Some("4.99.3".into()),
        });
        fx.issue().reporter.credit = Some(Credit::Named("Ada".into()));
        assert_eq!(fx.eval(StepKind::AnnouncementDraft), Eval::default());
    }

    #[test]
    fn publish_release() {
        let mut fx = Fx::new();
        assert_eq!(fx.eval(StepKind::PublishRelease).todo.len(), 1);
        fx.plan("2026-11-20T14:00:00Z");
        if let Some(r) = fx.release.as_mut() {
            r.published = Some(t("2026-11-20T14:02:00Z"));
        }
        assert_eq!(fx.eval(StepKind::PublishRelease), Eval::default());
    }

    #[test]
    fn push_public() {
        assert_eq!(
            kind_def(StepKind::PushPublic).needs,
            &[StepKind::PublishRelease]
        );
        let mut fx = Fx::new();
        fx.playbook.rules.low_fixed_in_public = true;
        fx.issue().severity = Some(Severity::Low);
        assert!(fx.eval(StepKind::PushPublic).not_applicable.is_some());
    }

    #[test]
    fn cve_record() {
        assert_eq!(
            kind_def(StepKind::CveRecord).needs,
            &[StepKind::PublishRelease, StepKind::CveId]
        );
        assert_eq!(Fx::new().eval(StepKind::CveRecord), Eval::default());
    }

    #[test]
    fn aftermath() {
        assert_eq!(kind_def(StepKind::Aftermath).actions, &[Action::WriteUp]);
        assert_eq!(Fx::new().eval(StepKind::Aftermath), Eval::default());
    }

    #[test]
    fn checklist() {
        assert_eq!(kind_def(StepKind::Checklist).completion, Completion::Manual);
        assert_eq!(Fx::new().eval(StepKind::Checklist), Eval::default());
    }

    #[test]
    fn done_at_follows_the_last_mark() {
        let mut fx = Fx::new();
        let a = Utc
            .with_ymd_and_hms(2026, 11, 2, 0, 0, 0)
            .single()
            .expect("valid");
        let j = &mut fx.issue().journal;
        j.push(JournalEntry::new(a, Some("keep_notes"), Event::StepDone));
        assert_eq!(
            crate::core::playbook::done_at(&fx.project.issues[0], "keep_notes"),
            Some(a)
        );
        fx.issue().journal.push(JournalEntry::new(
            a,
            Some("keep_notes"),
            Event::StepReopened,
        ));
        assert_eq!(
            crate::core::playbook::done_at(&fx.project.issues[0], "keep_notes"),
            None
        );
        assert_eq!(
            crate::core::playbook::done_at(&fx.project.issues[0], "other"),
            None
        );
    }
}
