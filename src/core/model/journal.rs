//! The journal: a timestamped record of every step change, acknowledged check,
//! artifact made and mail sent. It is the memory the write-up is built from,
//! and the only place where what a person confirmed by hand is kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One journal entry. Instants are UTC; zones are for display only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Entry", deny_unknown_fields)]
pub struct JournalEntry {
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The wizard step it belongs to (its key), if any.
    pub step: Option<String>,
    /// What happened.
    pub event: Event,
    /// Free text from the coordinator.
    #[serde(default)]
    pub note: String,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Event {
    /// The issue was created.
    Created,
    /// A step was marked done by hand.
    StepDone,
    /// A step was skipped, with the reason.
    StepSkipped {
        /// Why it was skipped.
        reason: String,
    },
    /// A done or skipped step was opened again.
    StepReopened,
    /// A failing check was acknowledged by the coordinator.
    CheckAcknowledged {
        /// The check's identifier.
        check: String,
    },
    /// A field of the issue was changed.
    FieldChanged {
        /// The field's name.
        field: String,
        /// A short description of the new value (never a secret).
        value: String,
    },
    /// An artifact was made (tarball, patch, signature, checksums, export).
    ArtifactMade {
        /// Where it was written.
        path: String,
    },
    /// A mail was sent or drafted.
    MailSent {
        /// Recipients, comma separated.
        to: String,
        /// Subject line.
        subject: String,
    },
    /// A free-form note.
    Note,
}

impl Event {
    /// One line describing the event, for the journal view and the write-up.
    pub fn describe(&self) -> String {
        match self {
            Self::Created => "issue recorded".to_owned(),
            Self::StepDone => "step marked done".to_owned(),
            Self::StepSkipped { reason } => format!("step skipped: {reason}"),
            Self::StepReopened => "step reopened".to_owned(),
            Self::CheckAcknowledged { check } => format!("check acknowledged: {check}"),
            Self::FieldChanged { field, value } if value.is_empty() => {
                format!("{field} cleared")
            }
            Self::FieldChanged { field, value } => format!("{field} set to {value}"),
            Self::ArtifactMade { path } => format!("artifact made: {path}"),
            Self::MailSent { to, subject } => format!("mail \"{subject}\" sent to {to}"),
            Self::Note => "note".to_owned(),
        }
    }
}

impl JournalEntry {
    /// An entry at `at` with no note.
    pub fn new(at: DateTime<Utc>, step: Option<&str>, event: Event) -> Self {
        Self {
            at,
            step: step.map(str::to_owned),
            event,
            note: String::new(),
        }
    }

    /// The same entry with a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}
