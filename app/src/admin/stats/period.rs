//! A period of days split into the whole months the rollups hold and the days at its ends
//! that only the rows can answer.

use super::*;

/// The months a view reads from the rollups: all time, or a range of whole months (first and
/// last month's first days, inclusive; `None` unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MonthSpan {
    AllTime,
    Range(Option<NaiveDate>, Option<NaiveDate>),
    None,
}

/// A period split into whole months (from the rollups) and the days at its ends that are not
/// whole months (from the rows), each an inclusive range of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PeriodParts {
    pub(super) months: MonthSpan,
    pub(super) days: Vec<(NaiveDate, NaiveDate)>,
}

pub(super) fn last_day_of_month(month: NaiveDate) -> NaiveDate {
    programme::month_of(month)
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(month)
}

pub(super) fn split_period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> PeriodParts {
    if from.is_none() && to.is_none() {
        return PeriodParts {
            months: MonthSpan::AllTime,
            days: Vec::new(),
        };
    }
    // the first whole month, and the days before it
    let (first, head) = match from {
        None => (None, None),
        Some(from) if from.day() == 1 => (Some(from), None),
        Some(from) => {
            let next = programme::month_of(from)
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX);
            (Some(next), Some((from, next.pred_opt().unwrap_or(from))))
        }
    };
    // the last whole month, and the days after it
    let (last, tail) = match to {
        None => (None, None),
        Some(to) if to == last_day_of_month(to) => (Some(programme::month_of(to)), None),
        Some(to) => {
            let month = programme::month_of(to);
            (month.checked_sub_months(Months::new(1)), Some((month, to)))
        }
    };
    let no_whole_month = matches!((first, last), (Some(a), Some(b)) if a > b);
    if no_whole_month {
        // within one month, or two partial months side by side: the rows, from end to end
        let (from, to) = (from.unwrap_or(NaiveDate::MIN), to.unwrap_or(NaiveDate::MAX));
        return PeriodParts {
            months: MonthSpan::None,
            days: vec![(from, to)],
        };
    }
    PeriodParts {
        months: MonthSpan::Range(first, last),
        days: head.into_iter().chain(tail).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        validation::date(text).unwrap()
    }

    #[test]
    fn a_period_splits_into_whole_months_and_the_days_at_its_ends() {
        let split = |from: Option<&str>, to: Option<&str>| split_period(from.map(d), to.map(d));
        assert_eq!(split(None, None).months, MonthSpan::AllTime);
        assert_eq!(
            split(Some("2026-02-01"), Some("2026-04-30")),
            PeriodParts {
                months: MonthSpan::Range(Some(d("2026-02-01")), Some(d("2026-04-01"))),
                days: vec![],
            }
        );
        assert_eq!(
            split(Some("2026-01-15"), Some("2026-04-10")),
            PeriodParts {
                months: MonthSpan::Range(Some(d("2026-02-01")), Some(d("2026-03-01"))),
                days: vec![
                    (d("2026-01-15"), d("2026-01-31")),
                    (d("2026-04-01"), d("2026-04-10"))
                ],
            }
        );
        assert_eq!(
            split(None, Some("2026-02-28")),
            PeriodParts {
                months: MonthSpan::Range(None, Some(d("2026-02-01"))),
                days: vec![],
            }
        );
        assert_eq!(
            split(Some("2024-02-10"), None),
            PeriodParts {
                months: MonthSpan::Range(Some(d("2024-03-01")), None),
                days: vec![(d("2024-02-10"), d("2024-02-29"))],
            }
        );
        // inside one month, and two partial months side by side: the rows end to end
        for (from, to) in [("2026-03-05", "2026-03-20"), ("2026-03-05", "2026-04-20")] {
            assert_eq!(
                split(Some(from), Some(to)),
                PeriodParts {
                    months: MonthSpan::None,
                    days: vec![(d(from), d(to))],
                }
            );
        }
    }

    #[test]
    fn every_day_of_a_period_is_read_once() {
        // all periods within two years: each day inside is in exactly one part
        let start = d("2025-12-20");
        let days: Vec<NaiveDate> = (0..80).map(|i| start + Days::new(i * 5)).collect();
        for from in &days {
            for to in days.iter().filter(|to| *to >= from) {
                let parts = split_period(Some(*from), Some(*to));
                let mut day = *from - Days::new(3);
                while day <= *to + Days::new(3) {
                    let in_days = parts
                        .days
                        .iter()
                        .filter(|(a, b)| *a <= day && day <= *b)
                        .count();
                    let in_months = match parts.months {
                        MonthSpan::Range(first, last) => {
                            let m = programme::month_of(day);
                            usize::from(first.is_none_or(|f| m >= f) && last.is_none_or(|l| m <= l))
                        }
                        _ => 0,
                    };
                    let inside = *from <= day && day <= *to;
                    assert_eq!(
                        in_days + in_months,
                        usize::from(inside),
                        "{from} {to} {day}"
                    );
                    day = day + Days::new(1);
                }
            }
        }
    }
}
