//! The steps part's commands: taking back a publication recorded too early
//! (the one [`ops::unpublish_release`], as `embargo publish --undo`).

use crate::core::ops;
use crate::ui::state::EmbargoApp;

impl EmbargoApp {
    /// Take back the record that the selected issue's release went public.
    pub(super) fn unpublish(&mut self) {
        let Some(issue) = self.view.selected_issue.clone() else {
            return;
        };
        if self
            .open_doc_with(|d, now| ops::unpublish_release(&mut d.project, &issue, now).map(|_| ()))
            .is_some()
        {
            self.notice("the release is no longer recorded as published");
        }
    }
}
