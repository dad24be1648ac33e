//! The dashboard's counts read from the rollups the database keeps
//! (`migrations::dashboard_rollups`): a view reads a few hundred rows.

use super::*;

/// The measure (a column of the slices, by its place in `rollups::MEASURES`) that counts.
pub(super) fn counted_measure(settings: &Settings) -> usize {
    match settings.counted_stage {
        Stage::CoeIssued => 2,
        Stage::VisaIssued => 3,
        Stage::ResidentRegistered => 4,
        _ => 5,
    }
}

/// A sum of a slices' measure as a 64-bit integer (PostgreSQL sums `bigint`s as `numeric`).
pub(super) fn total(measure: &str) -> String {
    format!("CAST(sum({measure}) AS BIGINT)")
}

/// The slices of one view: their grain and months, one filter, and perhaps a route.
pub(super) fn slices_query(
    months: MonthSpan,
    filter: &(i32, String),
    route: Option<&String>,
    groups: &[i32],
) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("dashboard_slices"))
        .and_where(col("filter_dim").eq(filter.0))
        .and_where(col("filter_value").eq(filter.1.clone()))
        .and_where(col("group_dim").is_in(groups.to_vec()));
    match months {
        MonthSpan::AllTime | MonthSpan::None => {
            let all_time = validation::date(rollups::ALL_TIME_PERIOD).unwrap_or_default();
            q.and_where(col("grain").eq(rollups::GRAIN_ALL_TIME))
                .and_where(col("period").eq(all_time));
        }
        MonthSpan::Range(first, last) => {
            q.and_where(col("grain").eq(rollups::GRAIN_MONTH));
            if let Some(first) = first {
                q.and_where(col("period").gte(first));
            }
            if let Some(last) = last {
                q.and_where(col("period").lte(last));
            }
        }
    }
    if let Some(route) = route {
        q.and_where(col("route").eq(route.clone()));
    }
    q
}

/// The tally of a view from the rollups: `filter` is one dimension's (or none), `employers`
/// whether to read the employer breakdown (only without a filter), `top` to read only the
/// largest employers (when nothing else is added to them).
pub(super) async fn tally_from_slices(
    db: &DatabaseConnection,
    settings: &Settings,
    months: MonthSpan,
    filter: &(i32, String),
    route: Option<&String>,
    employers: Option<Option<u64>>,
) -> Result<Tally, DbErr> {
    let mut tally = Tally::default();
    if months == MonthSpan::None {
        return Ok(tally);
    }
    let counted_measure = counted_measure(settings);
    let counts_route = |route: &str| {
        settings.counted_routes.is_empty() || settings.counted_routes.iter().any(|r| r == route)
    };
    let groups = [
        rollups::GROUP_STAGE,
        rollups::GROUP_SECTOR,
        rollups::GROUP_STATE,
        rollups::GROUP_PREFECTURE,
        rollups::GROUP_JLPT,
        rollups::GROUP_DAYS_TO_OFFER,
        rollups::GROUP_DAYS_TO_COE,
        rollups::GROUP_DAYS_TO_ARRIVAL,
    ];
    let mut q = slices_query(months, filter, route, &groups);
    q.column(Alias::new("group_dim"))
        .column(Alias::new("group_value"))
        .column(Alias::new("route"));
    for measure in rollups::MEASURES {
        q.expr(Expr::cust(total(measure)));
    }
    q.group_by_col(Alias::new("group_dim"))
        .group_by_col(Alias::new("group_value"))
        .group_by_col(Alias::new("route"));
    let employer_rows = async {
        let Some(top) = employers else {
            return Ok(Vec::new());
        };
        let parts = match months {
            MonthSpan::AllTime => {
                if let Some(top) = top {
                    return top_employers_of(db, filter, top, rollups::GRAIN_ALL_TIME, None).await;
                }
                vec![(rollups::GRAIN_ALL_TIME, None, None)]
            }
            MonthSpan::Range(first, last) => employer_periods(first, last),
            MonthSpan::None => return Ok(Vec::new()),
        };
        if let ([(rollups::GRAIN_YEAR, Some(year), Some(last))], Some(top)) = (&parts[..], top) {
            if year == last {
                return top_employers_of(db, filter, top, rollups::GRAIN_YEAR, Some(*year)).await;
            }
        }
        // route-less rows: their people counted are filled in later, from the rows
        let mut q = Query::select();
        q.from(Alias::new("dashboard_slices"))
            .and_where(col("filter_dim").eq(filter.0))
            .and_where(col("filter_value").eq(filter.1.clone()))
            .and_where(col("group_dim").eq(rollups::GROUP_EMPLOYER))
            .and_where(col("route").eq(""));
        let mut any = Cond::any();
        for (grain, from, to) in parts {
            let mut part = Cond::all().add(col("grain").eq(grain));
            if let Some(from) = from {
                part = part.add(col("period").gte(from));
            }
            if let Some(to) = to {
                part = part.add(col("period").lte(to));
            }
            any = any.add(part);
        }
        q.cond_where(any);
        q.column(Alias::new("group_value"))
            .expr(Expr::cust(total("applications")))
            .expr(Expr::cust(total("offered")))
            .group_by_col(Alias::new("group_value"));
        let mut statement = db.get_database_backend().build(&q);
        if let Some(top) = top {
            statement.sql = format!(
                "{} HAVING sum(applications) > 0 ORDER BY sum(applications) DESC, {} LIMIT {top}",
                statement.sql,
                key_by_bytes(db)
            );
        }
        employers_of(db, statement).await
    };
    let (found, employer_rows) = futures::try_join!(rows(db, &q), employer_rows)?;
    tally.add_breakdown(EMPLOYER, employer_rows);
    for row in &found {
        let group = row
            .try_get_by_index::<i32>(0)
            .or_else(|_| row.try_get_by_index::<i16>(0).map(i32::from))
            .unwrap_or(-1);
        let value = text(row, 1).unwrap_or_default();
        let row_route = text(row, 2).unwrap_or_default();
        let measures: Vec<u64> = (0..rollups::MEASURES.len())
            .map(|i| int(row, 3 + i))
            .collect();
        let counts = Counts {
            applications: measures[0],
            offers: measures[1],
            counted: if counts_route(&row_route) {
                measures[counted_measure]
            } else {
                0
            },
        };
        match group {
            rollups::GROUP_STAGE => {
                let (stage, reason) = value.split_once(':').unwrap_or((&value, ""));
                let reason = (!reason.is_empty()).then(|| reason.to_owned());
                *tally
                    .by_stage
                    .entry((stage.to_owned(), reason))
                    .or_default() += counts.applications;
                tally.breakdowns[ROUTE]
                    .entry(row_route)
                    .or_default()
                    .add(counts);
            }
            rollups::GROUP_SECTOR
            | rollups::GROUP_STATE
            | rollups::GROUP_PREFECTURE
            | rollups::GROUP_JLPT => {
                let index = (group - rollups::GROUP_SECTOR) as usize;
                tally.breakdowns[index]
                    .entry(value)
                    .or_default()
                    .add(counts);
            }
            rollups::GROUP_DAYS_TO_OFFER
            | rollups::GROUP_DAYS_TO_COE
            | rollups::GROUP_DAYS_TO_ARRIVAL => {
                let index = (group - rollups::GROUP_DAYS_TO_OFFER) as usize;
                if let Ok(days) = value.parse::<i64>() {
                    *tally.days[index].entry(days).or_default() += counts.applications;
                }
            }
            _ => {}
        }
    }
    Ok(tally)
}

/// The employer slices that make up the whole months `first..=last` (first days; `None`
/// unbounded), as (grain, first period, last period): the whole calendar years from the
/// yearly slices, the months around them from the monthly ones.
pub(super) fn employer_periods(
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> Vec<(i32, Option<NaiveDate>, Option<NaiveDate>)> {
    let january = |year: i32| NaiveDate::from_ymd_opt(year, 1, 1);
    let december = |year: i32| NaiveDate::from_ymd_opt(year, 12, 1);
    let first_year = first.map(|f| {
        if f.month() == 1 {
            f.year()
        } else {
            f.year() + 1
        }
    });
    let last_year = last.map(|l| {
        if l.month() == 12 {
            l.year()
        } else {
            l.year() - 1
        }
    });
    if matches!((first_year, last_year), (Some(a), Some(b)) if a > b) {
        // no whole year between them
        return vec![(rollups::GRAIN_MONTH, first, last)];
    }
    let mut parts = vec![(
        rollups::GRAIN_YEAR,
        first_year.and_then(january),
        last_year.and_then(january),
    )];
    if let Some(first) = first.filter(|f| f.month() != 1) {
        parts.push((rollups::GRAIN_MONTH, Some(first), december(first.year())));
    }
    if let Some(last) = last.filter(|l| l.month() != 12) {
        parts.push((rollups::GRAIN_MONTH, january(last.year()), Some(last)));
    }
    parts
}

/// The `top` employers by applications (without a filter or by sector) of one period of a
/// grain (all time, or a year from `period`), read from the first rows of their index: those
/// slices hold one row per employer, route-less.
async fn top_employers_of(
    db: &DatabaseConnection,
    filter: &(i32, String),
    top: u64,
    grain: i32,
    period: Option<NaiveDate>,
) -> Result<Vec<BreakdownRow>, DbErr> {
    let period =
        period.unwrap_or_else(|| validation::date(rollups::ALL_TIME_PERIOD).unwrap_or_default());
    // the grain and group as literals: the planner uses a partial index only for a predicate
    // it can prove, which a bound parameter is not
    let mut q = Query::select();
    q.column(Alias::new("group_value"))
        .column(Alias::new("applications"))
        .column(Alias::new("offered"))
        .from(Alias::new("dashboard_slices"))
        .and_where(Expr::cust(format!(
            "grain = {grain} AND group_dim = {}",
            rollups::GROUP_EMPLOYER
        )))
        .and_where(col("filter_dim").eq(filter.0))
        .and_where(col("filter_value").eq(filter.1.clone()))
        .and_where(col("period").eq(period))
        .and_where(col("route").eq(""))
        .and_where(col("applications").gt(0));
    let mut statement = db.get_database_backend().build(&q);
    statement.sql = format!(
        "{} ORDER BY applications DESC, {} LIMIT {top}",
        statement.sql,
        key_by_bytes(db)
    );
    employers_of(db, statement).await
}

/// The slices' key ordered as `sort_breakdown` orders ties: by bytes, not the locale's
/// collation.
fn key_by_bytes(db: &DatabaseConnection) -> &'static str {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        "group_value COLLATE \"C\""
    } else {
        "group_value"
    }
}

/// Employer rows (key, applications, offers) read by `statement`; their people counted are
/// filled in later, from the rows.
async fn employers_of(
    db: &DatabaseConnection,
    statement: sea_orm::Statement,
) -> Result<Vec<BreakdownRow>, DbErr> {
    Ok(db
        .query_all(statement)
        .await?
        .iter()
        .map(|row| BreakdownRow {
            key: text(row, 0).unwrap_or_default(),
            name: None,
            applications: int(row, 1),
            offers: int(row, 2),
            counted: 0,
        })
        .collect())
}

/// The one dimension filter of a view, as the rollups key it, or `None` when there are two
/// or more; the route is apart (every slice has one). `with_route` counts the route as a
/// filter too (the counted people are keyed by it).
pub(super) fn single_filter(f: &Filters, with_route: bool) -> Option<(i32, String)> {
    let mut set: Vec<(i32, String)> = [
        (rollups::FILTER_SECTOR, f.sector.clone()),
        (rollups::FILTER_STATE, f.state.clone()),
        (rollups::FILTER_PREFECTURE, f.prefecture.clone()),
        (
            rollups::FILTER_JLPT,
            f.jlpt
                .clone()
                .map(|level| level.unwrap_or_else(|| "none".to_owned())),
        ),
        (
            rollups::FILTER_ROUTE,
            f.route.clone().filter(|_| with_route),
        ),
    ]
    .into_iter()
    .filter_map(|(dim, value)| value.map(|v| (dim, v)))
    .collect();
    match set.len() {
        0 => Some((rollups::FILTER_NONE, String::new())),
        1 => set.pop(),
        _ => None,
    }
}

/// People counted per month from the rollups, for one filter (or everyone).
pub(super) async fn counted_months_from_rollups(
    db: &DatabaseConnection,
    filter: &(i32, String),
) -> Result<Vec<(NaiveDate, u64)>, DbErr> {
    let mut q = Query::select();
    q.column(Alias::new("month"))
        .column(Alias::new("people"))
        .from(Alias::new("counted_months"))
        .and_where(col("filter_dim").eq(filter.0))
        .and_where(col("filter_value").eq(filter.1.clone()))
        .and_where(col("people").ne(0))
        .order_by(Alias::new("month"), Order::Asc);
    Ok(rows(db, &q)
        .await?
        .iter()
        .filter_map(|row| Some((day(row, 0)?, int(row, 1))))
        .collect())
}

/// A histogram of open applications from the rollups (all time, no filter): value → count.
pub(super) async fn open_histogram(
    db: &DatabaseConnection,
    group: i32,
) -> Result<Vec<(String, u64)>, DbErr> {
    let mut q = slices_query(
        MonthSpan::AllTime,
        &(rollups::FILTER_NONE, String::new()),
        None,
        &[group],
    );
    q.column(Alias::new("group_value"))
        .expr(Expr::cust(total("applications")))
        .group_by_col(Alias::new("group_value"));
    Ok(rows(db, &q)
        .await?
        .iter()
        .filter_map(|row| Some((text(row, 0)?, int(row, 1))))
        .filter(|(_, n)| *n > 0)
        .collect())
}

/// Open applications whose date (a histogram's value, `YYYY-MM-DD`) is on or before `last`.
pub(super) fn count_up_to(histogram: &[(String, u64)], last: NaiveDate) -> u64 {
    let last = last.format("%Y-%m-%d").to_string();
    histogram
        .iter()
        .filter(|(day, _)| *day <= last)
        .map(|(_, n)| n)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Option<NaiveDate> {
        Some(validation::date(text).unwrap())
    }

    #[test]
    fn whole_years_come_from_the_yearly_slices_and_the_months_around_them_from_the_monthly() {
        use rollups::{GRAIN_MONTH as M, GRAIN_YEAR as Y};
        let cases = [
            // one whole year
            (
                ("2026-01-01", "2026-12-01"),
                vec![(Y, month("2026-01-01"), month("2026-01-01"))],
            ),
            // months inside one year, and across two without a whole year between
            (
                ("2026-03-01", "2026-05-01"),
                vec![(M, month("2026-03-01"), month("2026-05-01"))],
            ),
            (
                ("2025-03-01", "2026-05-01"),
                vec![(M, month("2025-03-01"), month("2026-05-01"))],
            ),
            // months before a whole year, and after one
            (
                ("2025-04-01", "2026-12-01"),
                vec![
                    (Y, month("2026-01-01"), month("2026-01-01")),
                    (M, month("2025-04-01"), month("2025-12-01")),
                ],
            ),
            (
                ("2024-01-01", "2026-02-01"),
                vec![
                    (Y, month("2024-01-01"), month("2025-01-01")),
                    (M, month("2026-01-01"), month("2026-02-01")),
                ],
            ),
        ];
        for ((first, last), parts) in cases {
            assert_eq!(
                employer_periods(month(first), month(last)),
                parts,
                "{first}..{last}"
            );
        }
        // unbounded ends
        assert_eq!(
            employer_periods(None, month("2026-05-01")),
            vec![
                (Y, None, month("2025-01-01")),
                (M, month("2026-01-01"), month("2026-05-01"))
            ]
        );
        assert_eq!(
            employer_periods(month("2025-07-01"), None),
            vec![
                (Y, month("2026-01-01"), None),
                (M, month("2025-07-01"), month("2025-12-01"))
            ]
        );
        // every month of the span is in exactly one part
        for (first, last) in [("2023-02-01", "2027-11-01"), ("2024-12-01", "2025-01-01")] {
            let parts = employer_periods(month(first), month(last));
            let mut day = month(first).unwrap();
            while Some(day) <= month(last) {
                let covering = parts
                    .iter()
                    .filter(|(grain, from, to)| {
                        let period = if *grain == Y {
                            NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap()
                        } else {
                            day
                        };
                        from.is_none_or(|f| f <= period) && to.is_none_or(|t| period <= t)
                    })
                    .count();
                assert_eq!(covering, 1, "{day} in {first}..{last}: {parts:?}");
                day = day.checked_add_months(Months::new(1)).unwrap();
            }
        }
    }
}
