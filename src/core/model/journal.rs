//! The journal: a timestamped record of every step change, acknowledged check,
//! artifact made and mail sent. It is the memory the write-up is built from,
//! and the only place where what a person confirmed by hand is kept.
//!
//! Every entry has a stable id (a UUIDv7 in text form) and, since schema 2,
//! the project member who made it. Ids are what a merge of two versions of a
//! project matches entries by. The core reads no clock and no random
//! source, so an id is derived from what the entry is: its instant (the
//! UUID's time part), the journal it belongs to, its position there, and its
//! content and author (hashed into the UUID's other bits). An entry made
//! with [`JournalEntry::new`] has no id until it is first saved or merged
//! ([`JournalEntry::derived_id`], `Project::fill_ids`); from then on the id
//! is kept in the file and never recomputed. Two clones migrating the same
//! version-1 file, or saving the same entry, thus give it the same id; two
//! people adding different entries never do.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One journal entry. Instants are UTC; zones are for display only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Entry", deny_unknown_fields)]
pub struct JournalEntry {
    /// The entry's stable id, a UUIDv7 such as
    /// `019a1b2c-3d4e-7f00-8a1b-2c3d4e5f6071`; empty until the entry is
    /// first saved (see the module's documentation).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// The wizard step it belongs to (its key), if any.
    pub step: Option<String>,
    /// What happened.
    pub event: Event,
    /// Free text from the coordinator.
    #[serde(default)]
    pub note: String,
    /// Who made the entry: the address of a project member
    /// (`Project::members`); `None` for entries made before schema 2 or
    /// by someone who is not a member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
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
            id: String::new(),
            at,
            step: step.map(str::to_owned),
            event,
            note: String::new(),
            author: None,
        }
    }

    /// The same entry made by `author` (a member's address).
    #[must_use]
    pub fn by(mut self, author: impl Into<String>) -> Self {
        self.author = Some(author.into());
        self
    }

    /// The id this entry gets when it has none: a UUIDv7 whose time is the
    /// entry's instant (milliseconds since the Unix epoch, 0 before it) and
    /// whose other bits are the SHA-256 of `scope` (the ID, empty
    /// for the project's journal), the entry's `index` in that journal, and
    /// its content and author. Deterministic, so that every clone derives
    /// the same id for the same entry.
    pub fn derived_id(&self, scope: &str, index: usize) -> String {
        let mut hash = Sha256::new();
        hash.update(b"embargo journal entry v1\0");
        hash.update(scope.as_bytes());
        hash.update(b"\0");
        hash.update(u64::try_from(index).unwrap_or(u64::MAX).to_le_bytes());
        // JSON of the content: unambiguous and stable across versions of
        // the serializer for these plain types.
        let content =
            serde_json::to_string(&(&self.at, &self.step, &self.event, &self.note, &self.author))
                .expect("a journal entry holds only serializable data");
        hash.update(content.as_bytes());
        let digest = hash.finalize();
        let mut bits = [0u8; 10];
        bits.copy_from_slice(&digest[..10]);
        let millis = u64::try_from(self.at.timestamp_millis()).unwrap_or(0);
        uuid::Builder::from_unix_timestamp_millis(millis, &bits)
            .into_uuid()
            .hyphenated()
            .to_string()
    }

    /// The same entry with a note.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
}

/// Give every entry of `journal` that has none its derived id (see
/// [`JournalEntry::derived_id`]); `scope` is the ID, empty for the
/// project's journal. Entries that have an id keep it.
pub fn fill_ids(journal: &mut [JournalEntry], scope: &str) {
    for (index, entry) in journal.iter_mut().enumerate() {
        if entry.id.is_empty() {
            entry.id = entry.derived_id(scope, index);
        }
    }
}

/// Whether `id` is a journal entry id Embargo writes: a hyphenated UUID.
pub fn is_valid_entry_id(id: &str) -> bool {
    id.len() == 36 && uuid::Uuid::try_parse(id).is_ok()
}
