//! The programme's target and how it is tracked (after `../shared/reference/programme.yaml`):
//! 50,000 skilled people from India into Japan in five years, a person counting once, when their
//! first application reaches `arrived` on a counted visa route.
//!
//! Pure arithmetic over counts the database has already aggregated: targets to date, run rates,
//! the rate still needed, the projection at today's rate, and medians from day histograms.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::pipeline::Stage;
use crate::validation::{self, FieldError, Problem, Validator};

/// The programme's settings, editable by administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub target_people: u32,
    pub start: NaiveDate,
    pub horizon_years: u8,
    /// The stage at which a person counts.
    pub counted_stage: Stage,
    /// Visa route codes that count (empty: every route counts).
    pub counted_routes: Vec<String>,
    /// People per programme year; `None` splits the target evenly.
    pub annual_targets: Option<Vec<u32>>,
}

impl Default for Settings {
    /// The reference file's values.
    fn default() -> Self {
        Settings {
            target_people: 50_000,
            start: NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or(NaiveDate::MIN),
            horizon_years: 5,
            counted_stage: Stage::Arrived,
            counted_routes: vec![
                "engineer_specialist".to_owned(),
                "highly_skilled_professional".to_owned(),
            ],
            annual_targets: None,
        }
    }
}

impl Settings {
    /// The last day of the programme.
    pub fn end(&self) -> NaiveDate {
        self.start
            .checked_add_months(Months::new(12 * u32::from(self.horizon_years)))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// People per programme year: the stored split, or the target split evenly (the remainder
    /// going to the last years, so the years add up to the target).
    pub fn yearly_targets(&self) -> Vec<u32> {
        if let Some(years) = &self.annual_targets {
            return years.clone();
        }
        let n = u32::from(self.horizon_years.max(1));
        let base = self.target_people / n;
        let extra = self.target_people % n;
        (0..n).map(|i| base + u32::from(i >= n - extra)).collect()
    }

    /// The first day of programme year `year` (0-based).
    pub fn year_start(&self, year: usize) -> NaiveDate {
        self.start
            .checked_add_months(Months::new(12 * year as u32))
            .unwrap_or(NaiveDate::MAX)
    }

    /// How many people should have arrived by the end of `on`: whole years' targets, plus the
    /// current year's pro rata by days.
    pub fn target_by(&self, on: NaiveDate) -> f64 {
        if on < self.start {
            return 0.0;
        }
        let mut total = 0.0;
        for (i, people) in self.yearly_targets().iter().enumerate() {
            let (from, to) = (self.year_start(i), self.year_start(i + 1));
            if on >= to {
                total += f64::from(*people);
            } else {
                let days = (to - from).num_days().max(1) as f64;
                let done = ((on - from).num_days() + 1) as f64;
                total += f64::from(*people) * done / days;
                break;
            }
        }
        total
    }
}

/// The stages a person may be counted at: each has its day recorded on the application.
pub const COUNTABLE_STAGES: [Stage; 4] = [
    Stage::CoeIssued,
    Stage::VisaIssued,
    Stage::Arrived,
    Stage::ResidentRegistered,
];

/// A settings form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SettingsDraft {
    pub target_people: String,
    pub start: String,
    pub horizon_years: String,
    pub counted_stage: String,
    /// Visa route codes, comma-separated.
    pub counted_routes: String,
    /// People per year, comma-separated; blank for an even split.
    pub annual_targets: String,
}

impl SettingsDraft {
    pub fn from_settings(s: &Settings) -> Self {
        SettingsDraft {
            target_people: s.target_people.to_string(),
            start: s.start.to_string(),
            horizon_years: s.horizon_years.to_string(),
            counted_stage: s.counted_stage.code().to_owned(),
            counted_routes: s.counted_routes.join(", "),
            annual_targets: s
                .annual_targets
                .as_ref()
                .map(|y| y.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
                .unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<Settings, Vec<FieldError>> {
        let mut v = Validator::new();
        let target = v.check(
            "target_people",
            validation::integer(&self.target_people, 1, 10_000_000),
        );
        let start = v.check("start", validation::date(&self.start));
        let horizon = v.check(
            "horizon_years",
            validation::integer(&self.horizon_years, 1, 20),
        );
        let stage = v.check(
            "counted_stage",
            Stage::parse(self.counted_stage.trim())
                .filter(|s| COUNTABLE_STAGES.contains(s))
                .ok_or(Problem::NotAllowed),
        );
        let mut routes = Vec::new();
        for code in self
            .counted_routes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            if crate::pipeline::parse_visa_route(code).is_some() {
                routes.push(code.to_owned());
            } else {
                v.push("counted_routes", Problem::NotAllowed);
                break;
            }
        }
        let mut years = Vec::new();
        for raw in self
            .annual_targets
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            match validation::integer(raw, 0, 10_000_000) {
                Ok(n) => years.push(n as u32),
                Err(p) => {
                    v.push("annual_targets", p);
                    break;
                }
            }
        }
        if let (Some(horizon), Some(target)) = (horizon, target) {
            if !years.is_empty() {
                if years.len() != horizon as usize {
                    v.push("annual_targets", Problem::YearsDoNotMatchHorizon);
                } else if years.iter().map(|n| i64::from(*n)).sum::<i64>() != target {
                    v.push("annual_targets", Problem::YearsDoNotAddUp);
                }
            }
        }
        v.finish()?;
        match (target, start, horizon, stage) {
            (Some(target), Some(start), Some(horizon), Some(stage)) => Ok(Settings {
                target_people: target as u32,
                start,
                horizon_years: horizon as u8,
                counted_stage: stage,
                counted_routes: routes,
                annual_targets: (!years.is_empty()).then_some(years),
            }),
            _ => Err(vec![FieldError::new("form", Problem::Required)]),
        }
    }
}

/// Where the programme stands on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub counted: u64,
    pub target_to_date: f64,
    pub target_total: u32,
    /// Counted per month over the last three whole months.
    pub monthly_run_rate: f64,
    /// People per month needed from now to reach the target by the end.
    pub monthly_rate_needed: f64,
    /// Counted by the end at the current run rate.
    pub projected_at_end: f64,
    pub months_left: f64,
    pub on_track: bool,
}

/// First day of the month of `d`.
pub fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Progress from counted arrivals per month (`(first day of month, people)`), on `today`.
pub fn progress(settings: &Settings, monthly: &[(NaiveDate, u64)], today: NaiveDate) -> Progress {
    let counted: u64 = monthly.iter().map(|(_, n)| n).sum();
    let this_month = month_of(today);
    let window_start = this_month
        .checked_sub_months(Months::new(3))
        .unwrap_or(this_month);
    let recent: u64 = monthly
        .iter()
        .filter(|(m, _)| *m >= window_start && *m < this_month)
        .map(|(_, n)| n)
        .sum();
    // before three whole months have passed, the rate is over the months there are
    let months_in_window = (0..3u32)
        .filter(|k| {
            this_month
                .checked_sub_months(Months::new(k + 1))
                .is_some_and(|m| m >= month_of(settings.start))
        })
        .count()
        .max(1) as f64;
    let monthly_run_rate = recent as f64 / months_in_window;
    let end = settings.end();
    let months_left = ((end - today).num_days().max(0) as f64) / 30.4375;
    let remaining = (f64::from(settings.target_people) - counted as f64).max(0.0);
    let monthly_rate_needed = if months_left > 0.0 {
        remaining / months_left
    } else {
        remaining
    };
    let projected_at_end = counted as f64 + monthly_run_rate * months_left;
    let target_to_date = settings.target_by(today);
    Progress {
        counted,
        target_to_date,
        target_total: settings.target_people,
        monthly_run_rate,
        monthly_rate_needed,
        projected_at_end,
        months_left,
        on_track: projected_at_end >= f64::from(settings.target_people),
    }
}

/// The median of values given as a histogram of `(value, count)`; `None` when empty. An even
/// count takes the lower middle value (days are whole).
pub fn median_of_histogram(histogram: &[(i64, u64)]) -> Option<i64> {
    let mut sorted: Vec<(i64, u64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_unstable();
    let total: u64 = sorted.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let middle = (total - 1) / 2;
    let mut seen = 0;
    for (value, n) in sorted {
        seen += n;
        if seen > middle {
            return Some(value);
        }
    }
    None
}

/// The share of `to` in `from`, for conversion between stages (0 when nothing entered).
pub fn conversion(from: u64, to: u64) -> f64 {
    if from == 0 {
        0.0
    } else {
        to as f64 / from as f64
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        validation::date(s).unwrap()
    }

    #[test]
    fn the_reference_settings_split_fifty_thousand_evenly_over_five_years() {
        let s = Settings::default();
        assert_eq!(s.yearly_targets(), vec![10_000; 5]);
        assert_eq!(s.end(), d("2030-08-31"));
        assert_eq!(s.target_by(d("2025-08-31")), 0.0);
        assert_eq!(s.target_by(d("2026-08-31")), 10_000.0);
        assert_eq!(s.target_by(d("2030-08-31")), 50_000.0);
        let half = s.target_by(d("2027-03-01"));
        assert!((14_900.0..15_100.0).contains(&half), "{half}");
    }

    #[test]
    fn an_uneven_target_puts_the_remainder_in_the_last_years() {
        let s = Settings {
            target_people: 50_003,
            ..Settings::default()
        };
        assert_eq!(
            s.yearly_targets(),
            vec![10_000, 10_000, 10_001, 10_001, 10_001]
        );
    }

    #[test]
    fn annual_targets_must_match_the_horizon_and_add_up_to_the_target() {
        let mut draft = SettingsDraft::from_settings(&Settings::default());
        draft.annual_targets = "5000, 8000, 10000, 12000, 15000".into();
        let parsed = draft.parse().unwrap();
        assert_eq!(
            parsed.yearly_targets(),
            vec![5_000, 8_000, 10_000, 12_000, 15_000]
        );
        assert_eq!(parsed.target_by(d("2026-08-31")), 5_000.0);
        draft.annual_targets = "5000, 8000".into();
        assert_eq!(
            draft.parse().unwrap_err(),
            vec![FieldError::new(
                "annual_targets",
                Problem::YearsDoNotMatchHorizon
            )]
        );
        draft.annual_targets = "10000, 10000, 10000, 10000, 1".into();
        assert_eq!(
            draft.parse().unwrap_err(),
            vec![FieldError::new("annual_targets", Problem::YearsDoNotAddUp)]
        );
        draft.annual_targets = String::new();
        draft.counted_routes = "tourist".into();
        draft.counted_stage = "applied".into();
        let fields: Vec<String> = draft
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["counted_stage", "counted_routes"]);
    }

    #[test]
    fn progress_compares_the_run_rate_with_the_rate_needed() {
        let s = Settings::default();
        let monthly = [
            (d("2026-07-01"), 300),
            (d("2026-08-01"), 600),
            (d("2026-09-01"), 900),
            (d("2026-10-01"), 1_200),
            (d("2026-11-01"), 50), // the current month does not count toward the rate
        ];
        let p = progress(&s, &monthly, d("2026-11-25"));
        assert_eq!(p.counted, 3_050);
        assert_eq!(p.monthly_run_rate, 900.0);
        let needed = (50_000.0 - 3_050.0) / p.months_left;
        assert!((p.monthly_rate_needed - needed).abs() < 1e-9);
        assert!(!p.on_track);
        assert!((p.projected_at_end - (3_050.0 + 900.0 * p.months_left)).abs() < 1e-6);
    }

    #[test]
    fn early_in_the_programme_the_rate_uses_the_months_there_are() {
        let s = Settings::default();
        let p = progress(&s, &[(d("2025-09-01"), 120)], d("2025-10-15"));
        assert_eq!(p.monthly_run_rate, 120.0);
    }

    #[test]
    fn medians_come_from_histograms() {
        assert_eq!(median_of_histogram(&[]), None);
        assert_eq!(median_of_histogram(&[(5, 1)]), Some(5));
        assert_eq!(median_of_histogram(&[(10, 1), (2, 1), (7, 1)]), Some(7));
        assert_eq!(median_of_histogram(&[(1, 2), (9, 2)]), Some(1));
        assert_eq!(median_of_histogram(&[(30, 5), (60, 1), (3, 0)]), Some(30));
        assert_eq!(conversion(0, 0), 0.0);
        assert_eq!(conversion(200, 50), 0.25);
    }

    proptest! {
        #[test]
        fn the_median_of_a_histogram_is_the_median_of_its_values(values in proptest::collection::vec(0i64..400, 1..200)) {
            let mut histogram: std::collections::BTreeMap<i64, u64> = Default::default();
            for v in &values {
                *histogram.entry(*v).or_default() += 1;
            }
            let pairs: Vec<(i64, u64)> = histogram.into_iter().collect();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            prop_assert_eq!(median_of_histogram(&pairs), Some(sorted[(sorted.len() - 1) / 2]));
        }

        #[test]
        fn the_target_to_date_only_grows_and_ends_at_the_target(days in 0i64..2_000) {
            let s = Settings::default();
            let on = s.start + chrono::Days::new(days as u64);
            let next = on + chrono::Days::new(1);
            prop_assert!(s.target_by(next) >= s.target_by(on));
            prop_assert!(s.target_by(on) <= f64::from(s.target_people) + 1e-6);
        }
    }
}
