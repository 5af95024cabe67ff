//! Playbooks: the ordered steps an issue walks through, and the status of each
//! step computed from the project's data and the issue's journal.
//!
//! A step *kind* (see [`kinds`]) knows its title, help, the fields it edits,
//! its checks and its actions. A *playbook* (built-in `exim` and `openssl`,
//! or a user's RON file) orders kinds, may retitle them, mark them optional
//! and add free-text checklist steps. Status is never stored: it is derived
//! every time from data, so it cannot drift from what the project says.

pub mod kinds;
mod plan;
mod status;

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::core::model::StepKind;
use crate::core::model::{IdAuthority, Project};
pub use kinds::{Action, Ctx, Eval, Field, Finding, KindDef, evaluate, kind_def};
pub use plan::{first_distros_mail, is_distros_list, issue_plan, kind_done_at, project_rules};
pub use status::{
    Status, StepState, done_at, issue_progress, step_states, step_states_with, step_verdicts,
};

/// The phases of a security release, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The report arrives and is recorded.
    Intake,
    /// Is it a security issue, how bad, which versions.
    Assessment,
    /// The CVE identifier.
    Cve,
    /// The fix, in private.
    Fix,
    /// The release instant and the disclosure timeline.
    Schedule,
    /// Advance notice to maintainers, distros, vendors, customers.
    PreNotification,
    /// Tarballs, patches, signatures.
    BuildAndSign,
    /// Embargoed downloads behind authentication.
    EmbargoedShare,
    /// The public release.
    Release,
    /// Advisories, records, public git.
    Publish,
    /// Fallout and the write-up.
    After,
}

impl Phase {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Intake => "Intake",
            Self::Assessment => "Assessment",
            Self::Cve => "CVE",
            Self::Fix => "Fix",
            Self::Schedule => "Schedule",
            Self::PreNotification => "Pre-notification",
            Self::BuildAndSign => "Build and sign",
            Self::EmbargoedShare => "Embargoed share",
            Self::Release => "Release",
            Self::Publish => "Publish",
            Self::After => "After the release",
        }
    }
}

impl StepKind {
    /// The kind's identifier as written in files and on the command line.
    pub fn id(self) -> &'static str {
        kind_def(self).id
    }

    /// The kind with this identifier.
    pub fn from_id(id: &str) -> Option<Self> {
        kinds::KINDS.iter().find(|k| k.id == id).map(|k| k.kind)
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Playbook-wide rules that change how kinds behave.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Rules")]
pub struct PlaybookRules {
    /// Low severity issues are fixed in public (OpenSSL): the private
    /// repository steps do not apply to them.
    #[serde(default)]
    pub low_fixed_in_public: bool,
    /// High and Critical issues must be released within this many days of
    /// the report (OpenSSL: 28).
    #[serde(default)]
    pub high_release_within_days: Option<u32>,
    /// Who assigns the identifiers of the project's issues: CVE (the
    /// default) or a GCVE numbering authority, e.g. `Gcve(gna: 42)`. A
    /// project's own `publication.id_authority` wins over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_authority: Option<IdAuthority>,
}

/// Who assigns the identifiers of `project`'s issues: the project's own
/// choice, else its playbook's, else the CVE Program.
pub fn id_authority(project: &Project, playbook: &Playbook) -> IdAuthority {
    project
        .publication
        .id_authority
        .or(playbook.rules.id_authority)
        .unwrap_or_default()
}

/// One step of a playbook.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Step")]
pub struct PlaybookStep {
    /// The kind of step.
    pub kind: StepKind,
    /// A key for the step; defaults to the kind's identifier. Required for
    /// checklist steps, and unique within the playbook.
    #[serde(default)]
    pub key: Option<String>,
    /// A title replacing the kind's.
    #[serde(default)]
    pub title: Option<String>,
    /// Extra text shown above the kind's help (for checklist steps, the text).
    #[serde(default)]
    pub text: Option<String>,
    /// The phase, for checklist steps (others take their kind's).
    #[serde(default)]
    pub phase: Option<Phase>,
    /// An optional step never blocks the steps after it.
    #[serde(default)]
    pub optional: bool,
}

impl PlaybookStep {
    /// The step's key: its own, or its kind's identifier.
    pub fn key(&self) -> &str {
        self.key.as_deref().unwrap_or_else(|| self.kind.id())
    }

    /// The title shown to people.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or(kind_def(self.kind).title)
    }

    /// The phase the step belongs to.
    pub fn phase(&self) -> Phase {
        self.phase.unwrap_or(kind_def(self.kind).phase)
    }
}

/// A playbook: ordered steps and the rules they follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "Playbook")]
pub struct Playbook {
    /// Name shown to people, e.g. "Exim".
    pub name: String,
    /// Where its steps come from.
    #[serde(default)]
    pub description: String,
    /// Playbook-wide rules.
    #[serde(default)]
    pub rules: PlaybookRules,
    /// The steps, in order.
    pub steps: Vec<PlaybookStep>,
}

/// Why a playbook could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PlaybookError {
    /// The RON is malformed or names an unknown step kind.
    #[error("{origin}:{line}:{column}: {message}")]
    Malformed {
        /// File name or built-in name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser found and expected.
        message: String,
    },
    /// The steps break a rule (duplicate key, checklist without key or title).
    #[error("{origin}: step {index} ({key}): {message}")]
    Invalid {
        /// File name or built-in name.
        origin: String,
        /// 1-based position of the step.
        index: usize,
        /// The step's key.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A playbook-wide rule has a value that cannot be used.
    #[error("{origin}: rules: {message}")]
    Rules {
        /// File name or built-in name.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// No built-in playbook has this name.
    #[error("there is no built-in playbook named `{0}`: use `exim`, `openssl` or a playbook file")]
    UnknownBuiltin(String),
}

/// Names of the built-in playbooks.
pub const BUILTIN_NAMES: [&str; 2] = ["exim", "openssl"];

/// The text of a built-in playbook.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    match name {
        "exim" => Some(include_str!("../../../assets/playbooks/exim.ron")),
        "openssl" => Some(include_str!("../../../assets/playbooks/openssl.ron")),
        _ => None,
    }
}

/// A built-in playbook, parsed.
pub fn builtin(name: &str) -> Result<Playbook, PlaybookError> {
    let text = builtin_text(name).ok_or_else(|| PlaybookError::UnknownBuiltin(name.to_owned()))?;
    parse(text, &format!("built-in playbook {name}"))
}

/// Parse and validate a playbook from RON text; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<Playbook, PlaybookError> {
    let playbook: Playbook = ron::from_str(text).map_err(|e| PlaybookError::Malformed {
        origin: origin.to_owned(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    })?;
    if playbook.rules.id_authority == Some(IdAuthority::Gcve { gna: 0 }) {
        return Err(PlaybookError::Rules {
            origin: origin.to_owned(),
            message: "GCVE numbering authority 0 is the CVE Program itself: write \
                      `id_authority: Cve`, or give your own GNA's number"
                .to_owned(),
        });
    }
    let mut keys = BTreeSet::new();
    for (i, step) in playbook.steps.iter().enumerate() {
        let invalid = |message: &str| PlaybookError::Invalid {
            origin: origin.to_owned(),
            index: i + 1,
            key: step.key().to_owned(),
            message: message.to_owned(),
        };
        if step.kind == StepKind::Checklist {
            if step.key.is_none() {
                return Err(invalid("a checklist step needs its own `key`"));
            }
            if step.title.is_none() {
                return Err(invalid("a checklist step needs a `title`"));
            }
        }
        if StepKind::from_id(step.key()).is_some_and(|k| k != step.kind) {
            return Err(invalid("the key is the identifier of another step kind"));
        }
        if !keys.insert(step.key()) {
            return Err(invalid(
                "the key is used twice; give the second step a `key` of its own",
            ));
        }
    }
    Ok(playbook)
}

impl Playbook {
    /// The step with this key.
    pub fn step(&self, key: &str) -> Option<&PlaybookStep> {
        self.steps.iter().find(|s| s.key() == key)
    }
}
