//! The world clock: an instant shown in each zone with its local day, whether
//! the day differs from the UTC day, and which part of the day it is.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

/// Parts of a local day, for shading the world-clock grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// 22:00 to 06:00.
    Night,
    /// 06:00 to the start of working hours.
    Early,
    /// Working hours on a weekday.
    Working,
    /// After working hours until 22:00, or daytime on a weekend.
    Evening,
}

/// The part of the day `local` falls in, given working hours `[start, end)`.
pub fn period(local: &DateTime<Tz>, working: (u32, u32)) -> Period {
    let h = local.hour();
    let weekend = matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
    if !(6..22).contains(&h) {
        Period::Night
    } else if h < working.0 {
        Period::Early
    } else if h < working.1 && !weekend {
        Period::Working
    } else {
        Period::Evening
    }
}

/// One zone's view of an instant.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ZoneRow {
    /// The zone's IANA name.
    pub zone: String,
    /// Local time, RFC 3339 with the zone's offset.
    pub local: String,
    /// Local weekday, three letters.
    pub weekday: String,
    /// Local date minus the UTC date, in days (-1, 0 or +1).
    pub day_offset: i64,
    /// The zone's abbreviation at that instant, e.g. `PST`.
    pub abbreviation: String,
    /// Part of the day.
    pub period: Period,
    /// Inside working hours on a weekday.
    pub working: bool,
}

/// The instant in each zone.
pub fn zone_table(instant: DateTime<Utc>, zones: &[Tz], working: (u32, u32)) -> Vec<ZoneRow> {
    zones
        .iter()
        .map(|z| {
            let local = instant.with_timezone(z);
            let p = period(&local, working);
            ZoneRow {
                zone: z.name().to_owned(),
                local: local.to_rfc3339(),
                weekday: local.format("%a").to_string(),
                day_offset: (local.date_naive() - instant.date_naive()).num_days(),
                abbreviation: local.format("%Z").to_string(),
                period: p,
                working: p == Period::Working,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rows_carry_local_time_day_change_and_period() {
        let at = Utc
            .with_ymd_and_hms(2026, 12, 8, 14, 0, 0)
            .single()
            .expect("valid");
        let rows = zone_table(
            at,
            &[
                chrono_tz::Asia::Tokyo,
                chrono_tz::America::Los_Angeles,
                chrono_tz::Pacific::Kiritimati,
            ],
            (9, 18),
        );
        assert_eq!(rows[0].local, "2026-12-08T23:00:00+09:00");
        assert_eq!(rows[0].weekday, "Tue");
        assert_eq!(rows[0].period, Period::Night);
        assert_eq!(rows[1].local, "2026-12-08T06:00:00-08:00");
        assert_eq!(rows[1].abbreviation, "PST");
        assert_eq!(rows[1].period, Period::Early);
        assert!(!rows[1].working);
        // UTC+14: already Wednesday.
        assert_eq!(rows[2].day_offset, 1);
        assert_eq!(rows[2].weekday, "Wed");
        let la_noon = Utc
            .with_ymd_and_hms(2026, 12, 8, 20, 0, 0)
            .single()
            .expect("valid");
        let r = &zone_table(la_noon, &[chrono_tz::America::Los_Angeles], (9, 18))[0];
        assert!(r.working);
        let saturday = Utc
            .with_ymd_and_hms(2026, 12, 12, 20, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(
            zone_table(saturday, &[chrono_tz::America::Los_Angeles], (9, 18))[0].period,
            Period::Evening
        );
        let before_midnight = Utc
            .with_ymd_and_hms(2026, 12, 8, 2, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(
            zone_table(before_midnight, &[chrono_tz::America::Los_Angeles], (9, 18))[0].day_offset,
            -1
        );
    }
}
