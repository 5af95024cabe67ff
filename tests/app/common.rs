//! What the topic modules of the app tests share: the fixed clock they run
//! at and a harness on a window of a given size.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use egui_kittest::Harness;
use embargo::core::ports::FixedClock;
use embargo::ui::{EmbargoApp, Startup};

use crate::support::settle;

/// The instant the app tests run at: eight days before the example's
/// planned release (2026-12-01 14:00 UTC).
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .expect("valid")
        .with_timezone(&Utc)
}

/// The app started as `startup` at [`now`], in a window of `size` points,
/// settled (its start-up jobs done).
pub fn harness_sized(startup: Startup, size: [f32; 2]) -> Harness<'static, EmbargoApp> {
    let mut h = Harness::builder()
        .with_size(size)
        .with_context_setup(crate::support::clear_like_eframe)
        .build_eframe(move |cc| {
            EmbargoApp::new(&cc.egui_ctx, startup, Arc::new(FixedClock(now())), None)
        });
    settle(&mut h);
    h
}

/// The app at [`now`] in a 1400×1000 window.
pub fn harness(startup: Startup) -> Harness<'static, EmbargoApp> {
    harness_sized(startup, [1400.0, 1000.0])
}

#[test]
fn the_example_opens_at_the_fixed_clock() {
    let h = harness(Startup::Example);
    assert!(h.state().doc.is_some(), "the example project is open");
}
