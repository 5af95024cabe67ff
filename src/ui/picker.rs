//! The release-time picker: a date and time in a chosen zone, the world clock
//! grid (one row per zone, the 24 hours around the candidate, shaded by part
//! of the day, day changes marked, a click proposes the hour, which "Plan
//! this release" commits), the rules'
//! verdicts beside it, and the disclosure timeline with today's marker and
//! its milestones, each movable.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use std::sync::Arc;

use super::command::{Command, Confirm, PathPurpose};
use super::state::{Document, ReleaseForm};
use crate::core::model::{Issue, Milestone, Release};
use crate::core::ops;
use crate::core::playbook::issue_plan;
use crate::core::schedule::{self, IssuePlan, Level, MilestoneAt, Period, StepVerdict, Verdict};

/// `compute()`, kept in egui's memory under `id` for as long as `key` stays
/// the same: the rules are evaluated once per change, not once per frame.
pub(super) fn kept<K, V>(ui: &egui::Ui, id: &str, key: &K, compute: impl FnOnce() -> V) -> Arc<V>
where
    K: PartialEq + Clone + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    let id = egui::Id::unique(("rule verdicts", id));
    let hit = ui
        .data(|d| d.get_temp::<Arc<(K, Arc<V>)>>(id))
        .filter(|c| c.0 == *key)
        .map(|c| Arc::clone(&c.1));
    hit.unwrap_or_else(|| {
        let value = Arc::new(compute());
        ui.data_mut(|d| d.insert_temp(id, Arc::new((key.clone(), Arc::clone(&value)))));
        value
    })
}

/// The minute `now` falls in: verdicts are kept for at most that long, as
/// the issue list keeps its progress (a rule on the present, such as
/// `in_past`, may turn up to a minute late).
pub(super) fn minute(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(60)
}

/// The rules' verdicts on `issue`'s planned release as its steps report
/// them, evaluated again only when its plan changes or a minute passes.
pub(super) fn step_verdicts(
    ui: &egui::Ui,
    doc: &Document,
    issue: &Issue,
    now: DateTime<Utc>,
) -> Arc<Vec<StepVerdict>> {
    let plan = issue_plan(&doc.project, &doc.playbook, issue);
    let key: (IssuePlan, i64) = (plan, minute(now));
    kept(ui, "steps", &key, || schedule::assess(now, &key.0))
}

fn to_jiff(d: NaiveDate) -> jiff::civil::Date {
    jiff::civil::Date::new(d.year() as i16, d.month() as i8, d.day() as i8).unwrap_or_default()
}

fn from_jiff(d: jiff::civil::Date) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
}

impl ReleaseForm {
    /// A form for `issue`, on its planned release or a week from now at the anchor.
    pub(super) fn new(
        doc: &Document,
        issue: &Issue,
        release: Option<&Release>,
        now: DateTime<Utc>,
    ) -> Self {
        let anchor = doc.project.time.anchor;
        let planned = release.and_then(|r| r.planned).unwrap_or_else(|| {
            schedule::rules::anchor_on(anchor, (now + TimeDelta::days(7)).date_naive())
                .unwrap_or(now)
        });
        let mut form = Self {
            issue: issue.id.clone(),
            version: release.map(|r| r.version.clone()).unwrap_or_default(),
            zone: doc.project.time.home_zone,
            date: to_jiff(planned.date_naive()),
            hour: 0,
            minute: 0,
        };
        form.set(planned);
        form
    }

    /// Show `instant` in the form's zone.
    pub(super) fn set(&mut self, instant: DateTime<Utc>) {
        let local = instant.with_timezone(&self.zone);
        self.date = to_jiff(local.date_naive());
        self.hour = local.hour();
        self.minute = local.minute();
    }

    /// The instant the form shows (the earlier one in a DST overlap).
    pub(super) fn instant(&self) -> Option<DateTime<Utc>> {
        let t = from_jiff(self.date)?.and_hms_opt(self.hour, self.minute, 0)?;
        self.zone
            .from_local_datetime(&t)
            .earliest()
            .or_else(|| {
                self.zone
                    .from_local_datetime(&(t + TimeDelta::hours(1)))
                    .earliest()
            })
            .map(|l| l.with_timezone(&Utc))
    }
}

fn period_colour(p: Period, dark: bool) -> egui::Color32 {
    use egui::Color32 as C;
    match (p, dark) {
        (Period::Night, true) => C::from_rgb(0x1c, 0x24, 0x3a),
        (Period::Night, false) => C::from_rgb(0x9a, 0xa8, 0xc8),
        (Period::Early, true) => C::from_rgb(0x5a, 0x4e, 0x22),
        (Period::Early, false) => C::from_rgb(0xf3, 0xe0, 0x9a),
        (Period::Working, true) => C::from_rgb(0x1f, 0x5e, 0x38),
        (Period::Working, false) => C::from_rgb(0xa6, 0xdb, 0xb5),
        (Period::Evening, true) => C::from_rgb(0x5e, 0x3a, 0x1f),
        (Period::Evening, false) => C::from_rgb(0xf0, 0xc0, 0x98),
    }
}

/// The colour of a verdict level.
pub(super) fn level_colour(level: Level, ui: &egui::Ui) -> egui::Color32 {
    match level {
        Level::Ok => egui::Color32::from_rgb(0x2e, 0x9d, 0x4f),
        Level::Warning => ui.visuals().warn_fg_color,
        Level::Error => ui.visuals().error_fg_color,
    }
}

/// Draw the picker for the selected issue.
#[allow(clippy::too_many_arguments)]
pub(super) fn release_picker(
    ui: &mut egui::Ui,
    doc: &Document,
    issue: &Issue,
    release: Option<&Release>,
    form: &mut Option<ReleaseForm>,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    if form.as_ref().is_none_or(|f| f.issue != issue.id) {
        *form = Some(ReleaseForm::new(doc, issue, release, now));
    }
    let Some(f) = form.as_mut() else { return };
    let plan = issue_plan(&doc.project, &doc.playbook, issue);
    let zones = doc.project.time.shown_zones();

    ui.horizontal_wrapped(|ui| {
        let l = ui.label("Release version");
        ui.add(
            egui::TextEdit::singleline(&mut f.version)
                .desired_width(80.0)
                .hint_text("4.12.3"),
        )
        .labelled_by(l.id);
        let before = f.instant();
        egui::ComboBox::from_label("Zone")
            .selected_text(f.zone.name())
            .show_ui(ui, |ui| {
                for z in &zones {
                    ui.selectable_value(&mut f.zone, *z, z.name());
                }
            });
        if let Some(t) = before
            && f.instant() != Some(t)
        {
            f.set(t); // a new zone shows the same instant
        }
        ui.add(
            egui_extras::DatePickerButton::new(&mut f.date)
                .id_salt("release date")
                .show_icon(false),
        );
        ui.add(
            egui::DragValue::new(&mut f.hour)
                .range(0..=23)
                .prefix("hh "),
        )
        .on_hover_text("hour, in the zone chosen");
        ui.add(
            egui::DragValue::new(&mut f.minute)
                .range(0..=59)
                .prefix("mm "),
        )
        .on_hover_text("minute");
        if ui
            .button("Suggest")
            .on_hover_text(
                "The next instant at the project's preferred time that passes every rule",
            )
            .clicked()
        {
            match schedule::suggest_for(now, None, &plan) {
                Some(t) => f.set(t),
                None => commands.push(Command::Notice(
                    "no instant in the next year passes every rule".into(),
                )),
            }
        }
    });
    let candidate = f.instant();
    let current = release.and_then(|r| r.planned);
    ui.horizontal(|ui| {
        let changed = candidate != current || release.is_none_or(|r| r.version != f.version.trim());
        if ui
            .add_enabled(
                changed && !f.version.trim().is_empty(),
                egui::Button::new("Plan this release"),
            )
            .on_disabled_hover_text(if f.version.trim().is_empty() {
                "Type the release version first"
            } else {
                "Nothing changed"
            })
            .clicked()
            && let Some(p) = candidate
        {
            commands.push(Command::PlanRelease {
                version: f.version.trim().to_owned(),
                planned: p,
            });
        }
        match current {
            Some(c) => ui.label(format!("planned: {}", c.format("%a %Y-%m-%d %H:%M UTC"))),
            None => ui.label("no release planned yet"),
        };
    });
    if let Some(p) = candidate
        && Some(p) != current
    {
        ui.label(
            egui::RichText::new(format!(
                "Proposed: {}, not planned yet; the rules below judge it. \
                 “Plan this release” commits it.",
                p.format("%a %Y-%m-%d %H:%M UTC")
            ))
            .color(ui.visuals().warn_fg_color),
        );
    }
    let Some(candidate) = candidate else {
        ui.label("That local time does not exist in this zone.");
        return;
    };

    let key = (candidate, minute(now), plan);
    let verdicts = kept(ui, "picker", &key, || {
        schedule::judge(now, candidate, &key.2)
    });
    let plan = key.2;
    ui.add_space(6.0);
    let mut picked = None;
    let mut grid = |ui: &mut egui::Ui| {
        picked = world_clock(ui, &zones, candidate, doc.project.time.working_hours);
    };
    // The verdicts go beside the grid when there is room, else below it.
    if ui.available_width() >= GRID_WIDTH + 280.0 {
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| grid(ui));
            ui.add_space(12.0);
            ui.vertical(|ui| verdict_list(ui, &verdicts));
        });
    } else {
        // A narrow window scrolls the grid sideways rather than cut it off.
        egui::ScrollArea::horizontal()
            .id_salt("world clock")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .show(ui, |ui| super::widgets::show_focused(ui, |ui| grid(ui)));
        ui.add_space(6.0);
        verdict_list(ui, &verdicts);
    }
    // A click on a cell only proposes the instant: the form shows it and
    // the rules judge it (next frame); "Plan this release" commits it.
    if let Some(p) = picked {
        f.set(p);
    }

    ui.add_space(8.0);
    let resolved = plan.milestones.resolve(candidate, plan.rules.process);
    let duties = crate::core::duties::planned_at_in(&doc.project, issue, release, candidate);
    let marks = schedule::marks(now, &plan, candidate, &duties);
    timeline_bar(ui, &resolved, &marks, now);
    for m in &marks {
        ui.label(egui::RichText::new(format!("On the timeline: {}", m.label)).weak());
    }
    if let Some(r) = release
        && r.planned == Some(candidate)
    {
        milestone_list(ui, &resolved, r, doc.project.time.home_zone, commands);
        if ui.button("Export calendar (.ics)…").clicked() {
            commands.push(Command::AskPath(PathPurpose::Calendar));
        }
    } else {
        ui.label(
            egui::RichText::new("Plan the release to move milestones and export the calendar.")
                .weak(),
        );
    }
}

/// The Published row of the release step: "Record as published now",
/// which asks first and says how far from the planned instant it is, or,
/// once recorded, the instant and "Take back the publication" (asked too).
pub(super) fn publication(
    ui: &mut egui::Ui,
    release: Option<&Release>,
    now: DateTime<Utc>,
    commands: &mut Vec<Command>,
) {
    let Some(release) = release else {
        ui.label("plan a release first");
        return;
    };
    ui.horizontal_wrapped(|ui| match release.published {
        Some(p) => {
            ui.label(p.format("%Y-%m-%d %H:%M UTC").to_string());
            if ui
                .button("Take back the publication")
                .on_hover_text("The release is not public yet after all: record it as unpublished")
                .clicked()
            {
                commands.push(Command::Ask(Box::new(Confirm {
                    message: format!(
                        "Take back the record that release {} went public ({})? It is planned \
                         again; mails sent and download credentials expired meanwhile stay as \
                         they are. The journal keeps both.",
                        release.version,
                        p.format("%Y-%m-%d %H:%M UTC")
                    ),
                    yes: "Take it back".into(),
                    command: Command::Unpublish,
                    discard_first: false,
                })));
            }
        }
        None => {
            if ui.button("Record as published now").clicked() {
                commands.push(Command::Ask(Box::new(Confirm {
                    message: format!(
                        "Record release {} as published now, {}? Its download credentials \
                         expire at once; “Take back the publication” undoes the record, not \
                         the expiry.",
                        release.version,
                        ops::publication_offset(release.planned, now)
                    ),
                    yes: "Record as published".into(),
                    command: Command::PublishNow,
                    discard_first: false,
                })));
            }
        }
    });
}

const CELL_WIDTH: f32 = 22.0;
const LABEL_WIDTH: f32 = 170.0;
const GRID_WIDTH: f32 = LABEL_WIDTH + 24.0 * (CELL_WIDTH + 1.0);

/// The world clock grid. Returns the instant of a clicked cell.
///
/// Each cell is still a widget of its own (a click proposes its hour, the
/// accessibility tree names it), but the cells' backgrounds are painted as
/// one mesh of plain quads, laid under the cells' texts: some 200 rounded,
/// anti-aliased rectangles were most of the first screen's triangles, a
/// cost paid on every frame by a software rasteriser (Mesa's llvmpipe).
/// The quads are rounded to whole pixels, as egui rounds a filled
/// rectangle, so their edges stay as sharp.
fn world_clock(
    ui: &mut egui::Ui,
    zones: &[Tz],
    candidate: DateTime<Utc>,
    working: (u32, u32),
) -> Option<DateTime<Utc>> {
    let dark = ui.visuals().dark_mode;
    let hour_start = candidate - TimeDelta::minutes(i64::from(candidate.minute()));
    let base = hour_start - TimeDelta::hours(12);
    // Wide enough for the longest zone name beside its local time.
    let label_w = zones
        .iter()
        .map(|z| {
            let font = egui::FontId::proportional(12.0);
            let width = |text: String| {
                ui.painter()
                    .layout_no_wrap(text, font.clone(), egui::Color32::WHITE)
                    .size()
                    .x
            };
            width(z.name().to_owned()) + width("Wed 00:00".to_owned()) + 12.0
        })
        .fold(LABEL_WIDTH, f32::max);
    let (cell_w, cell_h) = (CELL_WIDTH, 20.0);
    let mut picked = None;
    let pixels_per_point = ui.pixels_per_point();
    // The backgrounds' slot comes before every cell's text and marks.
    let backgrounds = ui.painter().add(egui::Shape::Noop);
    let mut mesh = egui::Mesh::default();
    for zone in zones {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 1.0;
            let local = candidate.with_timezone(zone);
            let (rect, _) =
                ui.allocate_exact_size(egui::vec2(label_w, cell_h), egui::Sense::hover());
            let painter = ui.painter_at(rect);
            let colour = ui.visuals().text_color();
            let font = egui::FontId::proportional(12.0);
            painter.text(
                rect.left_center(),
                egui::Align2::LEFT_CENTER,
                zone.name(),
                font.clone(),
                colour,
            );
            painter.text(
                rect.right_center() - egui::vec2(4.0, 0.0),
                egui::Align2::RIGHT_CENTER,
                local.format("%a %H:%M").to_string(),
                font,
                colour,
            );
            for c in 0..24 {
                let at = base + TimeDelta::hours(c);
                let lt = at.with_timezone(zone);
                let (rect, response) =
                    ui.allocate_exact_size(egui::vec2(cell_w, cell_h), egui::Sense::click());
                response.widget_info(|| {
                    let label = format!("{} {:02}:00 {}", zone.name(), lt.hour(), lt.format("%a"));
                    egui::WidgetInfo::labeled(egui::Role::Button, true, label)
                });
                let period = schedule::zones::period(&lt, working);
                if ui.is_rect_visible(rect) {
                    mesh.add_colored_rect(
                        egui::emath::GuiRounding::round_to_pixels(rect, pixels_per_point),
                        period_colour(period, dark),
                    );
                }
                let painter = ui.painter();
                if at == hour_start {
                    painter.rect_stroke(
                        rect,
                        0.0,
                        egui::Stroke::new(2.0, ui.visuals().strong_text_color()),
                        egui::StrokeKind::Inside,
                    );
                }
                if lt.hour() == 0 {
                    painter.line_segment(
                        [rect.left_top(), rect.left_bottom()],
                        egui::Stroke::new(2.0, ui.visuals().warn_fg_color),
                    );
                }
                let text = if lt.hour() == 0 {
                    lt.format("%a").to_string()
                } else {
                    lt.hour().to_string()
                };
                painter.text(
                    rect.center(),
                    egui::Align2::CENTER_CENTER,
                    text,
                    egui::FontId::proportional(10.0),
                    ui.visuals().text_color(),
                );
                let minute = TimeDelta::minutes(i64::from(candidate.minute()));
                let response = response.on_hover_text(format!(
                    "{} in {} ({:?}); click to propose {} UTC, then “Plan this release”",
                    lt.format("%a %d %b %H:%M %Z"),
                    zone.name(),
                    period,
                    (at + minute).format("%a %H:%M")
                ));
                if response.clicked() {
                    picked = Some(at + minute);
                }
            }
        });
    }
    ui.painter().set(backgrounds, egui::Shape::mesh(mesh));
    ui.horizontal(|ui| {
        for (p, name) in [
            (Period::Night, "night"),
            (Period::Early, "early"),
            (Period::Working, "working hours"),
            (Period::Evening, "evening / weekend"),
        ] {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
            ui.painter().rect_filled(rect, 0.0, period_colour(p, dark));
            ui.label(egui::RichText::new(name).small());
        }
        ui.label(
            egui::RichText::new("| day change")
                .small()
                .color(ui.visuals().warn_fg_color),
        );
    });
    picked
}

fn verdict_list(ui: &mut egui::Ui, verdicts: &[Verdict]) {
    ui.label(egui::RichText::new("Rules").strong());
    for v in verdicts {
        let icon = match v.level {
            Level::Ok => "✔",
            Level::Warning => "⚠",
            Level::Error => "✖",
        };
        ui.label(
            egui::RichText::new(format!(
                "{icon} {} ({})",
                v.rule.id().replace('_', " "),
                v.source.label()
            ))
            .color(level_colour(v.level, ui)),
        )
        .on_hover_text(format!(
            "{}\n\nHere: {}.\nFrom: {}.",
            v.rule.asks(),
            v.reason,
            v.source.label()
        ));
    }
}

fn timeline_bar(
    ui: &mut egui::Ui,
    list: &[MilestoneAt],
    marks: &[schedule::Mark],
    now: DateTime<Utc>,
) {
    let Some(first) = list.first().map(|m| m.at.min(now)) else {
        return;
    };
    let first = marks.first().map_or(first, |m| m.at.min(first));
    let last = list.last().map_or(now, |m| m.at.max(now));
    let last = marks.last().map_or(last, |m| m.at.max(last));
    let start = first - TimeDelta::hours(12);
    let span = ((last + TimeDelta::hours(12)) - start).num_seconds().max(1) as f32;
    // The visible width: the scroll area may be wider than the panel.
    let width = (ui.clip_rect().right() - ui.cursor().left() - 8.0).clamp(300.0, 1000.0);
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 130.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let x = |t: DateTime<Utc>| {
        rect.left() + 8.0 + (rect.width() - 16.0) * ((t - start).num_seconds() as f32 / span)
    };
    let mid = rect.center().y;
    let stroke = egui::Stroke::new(2.0, ui.visuals().weak_text_color());
    painter.line_segment(
        [
            egui::pos2(rect.left() + 8.0, mid),
            egui::pos2(rect.right() - 8.0, mid),
        ],
        stroke,
    );
    let font = egui::FontId::proportional(10.0);
    // Labels go on the first of six rows (alternating above and below the
    // bar) where they overlap no label placed before, so that close
    // milestones (release, oss-security, CVE record) stay readable.
    const ROWS: [f32; 6] = [-10.0, 10.0, -25.0, 25.0, -40.0, 40.0];
    let mut taken: Vec<(usize, egui::Rangef)> = Vec::new();
    for m in list {
        let px = x(m.at);
        let colour = if m.milestone == Milestone::Release {
            ui.visuals().hyperlink_color
        } else {
            ui.visuals().text_color()
        };
        painter.circle_filled(egui::pos2(px, mid), 4.0, colour);
        let text = format!("{} {}", m.milestone.label(), m.at.format("%d %b %H:%M"));
        let galley = painter.layout_no_wrap(text, font.clone(), colour);
        let w = galley.size().x;
        let left = (px - w / 2.0).clamp(rect.left(), rect.right() - w);
        let span = egui::Rangef::new(left - 4.0, left + w + 4.0);
        let row = (0..ROWS.len())
            .find(|r| !taken.iter().any(|(tr, ts)| tr == r && ts.intersects(span)))
            .unwrap_or(taken.len() % ROWS.len());
        taken.push((row, span));
        let dy = ROWS[row];
        let top = if dy < 0.0 {
            mid + dy - galley.size().y
        } else {
            mid + dy
        };
        painter.galley(egui::pos2(left, top), galley, colour);
    }
    let warn = ui.visuals().warn_fg_color;
    for m in marks {
        let px = x(m.at);
        painter.circle_stroke(egui::pos2(px, mid), 5.0, egui::Stroke::new(1.5, warn));
    }
    let today = x(now);
    let red = ui.visuals().error_fg_color;
    painter.line_segment(
        [
            egui::pos2(today, rect.top() + 4.0),
            egui::pos2(today, rect.bottom() - 4.0),
        ],
        egui::Stroke::new(1.5, red),
    );
    painter.text(
        egui::pos2(today + 3.0, rect.top() + 2.0),
        egui::Align2::LEFT_TOP,
        "today",
        font,
        red,
    );
}

fn milestone_list(
    ui: &mut egui::Ui,
    list: &[MilestoneAt],
    release: &Release,
    home: Tz,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Milestones")
        .default_open(false)
        .show(ui, |ui| {
            egui::Grid::new("milestones")
                .num_columns(4)
                .striped(true)
                .show(ui, |ui| {
                    for m in list {
                        ui.label(m.milestone.label());
                        ui.label(format!(
                            "{}  ({})",
                            m.at.format("%a %Y-%m-%d %H:%M UTC"),
                            m.at.with_timezone(&home).format("%H:%M %Z")
                        ));
                        if m.milestone == Milestone::Release {
                            ui.label("");
                            ui.label("");
                        } else {
                            ui.horizontal(|ui| {
                                for (text, hours) in
                                    [("-1 day", -24), ("-1 h", -1), ("+1 h", 1), ("+1 day", 24)]
                                {
                                    if ui
                                        .small_button(text)
                                        .on_hover_text(format!(
                                            "Move “{}” by {text}",
                                            m.milestone.label()
                                        ))
                                        .clicked()
                                    {
                                        commands.push(Command::MoveMilestone {
                                            milestone: m.milestone,
                                            at: Some(m.at + TimeDelta::hours(hours)),
                                        });
                                    }
                                }
                            });
                            if release.milestones.contains_key(&m.milestone) {
                                if ui
                                    .small_button("Reset")
                                    .on_hover_text("Back to its default offset from the release")
                                    .clicked()
                                {
                                    commands.push(Command::MoveMilestone {
                                        milestone: m.milestone,
                                        at: None,
                                    });
                                }
                            } else {
                                ui.label(egui::RichText::new("default").weak());
                            }
                        }
                        ui.end_row();
                    }
                });
        });
}
