//! The dashboard's counts read from the applications themselves: each query groups the one
//! table (applications carry copies of their dimensions) and returns a handful of rows.

use super::*;

/// `SELECT … FROM applications WHERE <filters>`; `period` applies the application-date range.
pub(super) fn filtered(f: &Filters, period: bool) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("applications"));
    let mut cond = Cond::all();
    if period {
        if let Some(from) = f.from {
            cond = cond.add(col("applied_at").gte(midnight(from)));
        }
        if let Some(to) = f.to {
            let next = to + Days::new(1);
            cond = cond.add(col("applied_at").lt(midnight(next)));
        }
    }
    for (column, value) in [
        ("sector", &f.sector),
        ("indian_state", &f.state),
        ("role_prefecture", &f.prefecture),
        ("visa_route", &f.route),
    ] {
        if let Some(value) = value {
            cond = cond.add(col(column).eq(value.clone()));
        }
    }
    match &f.jlpt {
        Some(Some(level)) => cond = cond.add(col("jlpt_level").eq(level.clone())),
        Some(None) => cond = cond.add(col("jlpt_level").is_null()),
        None => {}
    }
    q.cond_where(cond);
    q
}

/// People counted per day: each person once, on the day their first application reached the
/// counted stage on a counted route.
pub(super) fn counted_per_day(settings: &Settings, f: &Filters) -> SelectStatement {
    let column = counted_column(settings);
    let mut people = filtered(f, false);
    people
        .column(Alias::new("engineer_user_id"))
        .expr_as(col(column).min(), Alias::new("first_day"))
        .and_where(col(column).is_not_null())
        .group_by_col(Alias::new("engineer_user_id"));
    if !settings.counted_routes.is_empty() {
        people.and_where(col("visa_route").is_in(settings.counted_routes.clone()));
    }
    let mut q = Query::select();
    q.column(Alias::new("first_day"))
        .expr(Expr::cust("count(*)"))
        .from_subquery(people, Alias::new("people"))
        .group_by_col(Alias::new("first_day"));
    q
}

pub(super) async fn monthly_counts(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
) -> Result<Vec<(NaiveDate, u64)>, DbErr> {
    let mut by_month: std::collections::BTreeMap<NaiveDate, u64> = Default::default();
    for row in rows(db, &counted_per_day(settings, f)).await? {
        if let Some(d) = day(&row, 0) {
            *by_month.entry(programme::month_of(d)).or_default() += int(&row, 1);
        }
    }
    Ok(by_month.into_iter().collect())
}

pub(super) async fn funnel(db: &DatabaseConnection, f: &Filters) -> Result<StageCounts, DbErr> {
    let mut q = filtered(f, true);
    q.column(Alias::new("stage"))
        .column(Alias::new("closed_reason"))
        .expr(Expr::cust("count(*)"))
        .group_by_col(Alias::new("stage"))
        .group_by_col(Alias::new("closed_reason"));
    Ok(rows(db, &q)
        .await?
        .iter()
        .map(|row| (text(row, 0), text(row, 1), int(row, 2)))
        .collect())
}

/// A histogram of whole days from `earlier` to `later` over the filtered applications.
pub(super) async fn days_histogram(
    db: &DatabaseConnection,
    dialect: Dialect,
    f: &Filters,
    earlier: &str,
    later: &str,
) -> Result<HashMap<i64, u64>, DbErr> {
    let diff = dialect.days_between(earlier, later);
    let mut q = filtered(f, true);
    q.expr_as(Expr::cust(diff), Alias::new("days"))
        .expr(Expr::cust("count(*)"))
        .and_where(Expr::cust(format!(
            "{earlier} IS NOT NULL AND {later} IS NOT NULL"
        )))
        .group_by_col(Alias::new("days"));
    Ok(rows(db, &q)
        .await?
        .iter()
        .map(|row| {
            let days = row
                .try_get_by_index::<i64>(0)
                .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
                .unwrap_or_default();
            (days, int(row, 1))
        })
        .collect())
}

/// Applications with an offer (`count` of a column counts its non-null values).
pub(super) const OFFERED_SUM: &str = "count(offered_on)";

/// The counted routes as SQL literals; route codes come from the settings, which accept only
/// known codes, and anything else is left out.
pub(super) fn route_literals(settings: &Settings) -> String {
    settings
        .counted_routes
        .iter()
        .filter(|r| r.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|r| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The number of applications that reached the counted stage on a counted route.
pub(super) fn counted_sum(settings: &Settings) -> String {
    let counted = counted_column(settings);
    if settings.counted_routes.is_empty() {
        format!("count({counted})")
    } else {
        format!(
            "count(CASE WHEN visa_route IN ({}) THEN {counted} END)",
            route_literals(settings)
        )
    }
}

/// A dimension's value in a row: a code, an employer id, or `none`.
pub(super) fn key_at(row: &QueryResult, index: usize) -> String {
    text(row, index)
        .or_else(|| {
            row.try_get_by_index::<Option<i32>>(index)
                .ok()
                .flatten()
                .map(|n| n.to_string())
        })
        .unwrap_or_else(|| "none".to_owned())
}

pub(super) async fn breakdown(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    column: &'static str,
) -> Result<Vec<BreakdownRow>, DbErr> {
    let mut q = filtered(f, true);
    q.expr_as(col(column), Alias::new("dim"))
        .expr(Expr::cust("count(*)"))
        .expr(Expr::cust(OFFERED_SUM))
        .expr(Expr::cust(counted_sum(settings)))
        .group_by_col(Alias::new(column));
    Ok(rows(db, &q)
        .await?
        .iter()
        .map(|row| BreakdownRow {
            key: key_at(row, 0),
            name: None,
            applications: int(row, 1),
            offers: int(row, 2),
            counted: int(row, 3),
        })
        .collect())
}

/// One scan with a grouping set per dimension, and one for the funnel when `funnel` is set:
/// PostgreSQL's `GROUPING SETS` (SQLite, without them, groups once per dimension).
pub(super) async fn grouping_sets(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    funnel: bool,
    dimensions: &[(usize, &str)],
) -> Result<(StageCounts, Vec<(usize, Vec<BreakdownRow>)>), DbErr> {
    // the funnel's columns lead when it is asked for; a column outside every set cannot be selected
    let lead: &[&str] = if funnel {
        &["stage", "closed_reason"]
    } else {
        &[]
    };
    let grouped_columns: Vec<&str> = lead
        .iter()
        .copied()
        .chain(dimensions.iter().map(|(_, c)| *c))
        .collect();
    let mut q = filtered(f, true);
    for column in &grouped_columns {
        q.column(Alias::new(*column));
    }
    q.expr(Expr::cust(format!(
        "GROUPING({})",
        grouped_columns.join(", ")
    )))
    .expr(Expr::cust("count(*)"))
    .expr(Expr::cust(OFFERED_SUM))
    .expr(Expr::cust(counted_sum(settings)));
    let mut statement = db.get_database_backend().build(&q);
    let sets = funnel
        .then(|| "(stage, closed_reason)".to_owned())
        .into_iter()
        .chain(dimensions.iter().map(|(_, c)| format!("({c})")))
        .collect::<Vec<_>>()
        .join(", ");
    statement.sql = format!("{} GROUP BY GROUPING SETS ({sets})", statement.sql);
    let found = db.query_all(statement).await?;
    let columns = grouped_columns.len();
    let first_dimension = lead.len();
    let mut by_stage = Vec::new();
    let mut rows_by_dimension: Vec<Vec<BreakdownRow>> = vec![Vec::new(); dimensions.len()];
    for row in &found {
        let grouping = row.try_get_by_index::<i32>(columns).unwrap_or(-1);
        // GROUPING sets a bit (the first column the highest) for each column *not* grouped by
        let grouped = |index: usize| grouping >= 0 && grouping & (1 << (columns - 1 - index)) == 0;
        let (n, offers, counted) = (
            int(row, columns + 1),
            int(row, columns + 2),
            int(row, columns + 3),
        );
        if funnel && grouped(0) && grouped(1) {
            by_stage.push((text(row, 0), text(row, 1), n));
            continue;
        }
        if let Some(k) = (0..dimensions.len()).find(|k| grouped(first_dimension + k)) {
            rows_by_dimension[k].push(BreakdownRow {
                key: key_at(row, first_dimension + k),
                name: None,
                applications: n,
                offers,
                counted,
            });
        }
    }
    let breakdowns = dimensions
        .iter()
        .zip(rows_by_dimension)
        .map(|((index, _), rows)| (*index, rows))
        .collect();
    Ok((by_stage, breakdowns))
}

/// The tally of the filtered applications, from the rows; the employer breakdown only when
/// `employers` (it is the costly one).
pub(super) async fn tally_from_rows(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    employers: bool,
) -> Result<Tally, DbErr> {
    let dialect = Dialect(db.get_database_backend());
    let dimensions: Vec<(usize, &str)> = DIMENSIONS
        .iter()
        .enumerate()
        .filter(|(i, _)| employers || *i != EMPLOYER)
        .map(|(i, (_, column))| (i, *column))
        .collect();
    let applied_day = dialect.day_of("applied_at");
    let (counts, to_offer, to_coe, to_arrival) = futures::try_join!(
        async {
            if dialect.0 == DatabaseBackend::Postgres {
                // two scans of half the sets each, run concurrently: grouping sets do not run
                // in parallel inside PostgreSQL, and the machine has more than one core
                let (first, second) = dimensions.split_at(2);
                let ((by_stage, mut breakdowns), (_, rest)) = futures::try_join!(
                    grouping_sets(db, settings, f, true, first),
                    grouping_sets(db, settings, f, false, second),
                )?;
                breakdowns.extend(rest);
                Ok::<_, DbErr>((by_stage, breakdowns))
            } else {
                let (by_stage, breakdowns) = futures::try_join!(
                    funnel(db, f),
                    try_join_all(dimensions.iter().map(|(index, column)| async move {
                        Ok::<_, DbErr>((*index, breakdown(db, settings, f, column).await?))
                    })),
                )?;
                Ok((by_stage, breakdowns))
            }
        },
        days_histogram(db, dialect, f, &applied_day, "offered_on"),
        days_histogram(db, dialect, f, "offered_on", "coe_issued_on"),
        days_histogram(db, dialect, f, "coe_issued_on", "arrived_on"),
    )?;
    let (by_stage, breakdowns) = counts;
    let mut tally = Tally::default();
    tally.add_stage_counts(by_stage);
    for (index, rows) in breakdowns {
        tally.add_breakdown(index, rows);
    }
    tally.days = [to_offer, to_coe, to_arrival];
    Ok(tally)
}

/// The applications of employers `ids` that reached the counted stage on a counted route, by
/// employer (the filtered applications').
pub(super) async fn counted_by_employer(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    ids: Vec<i32>,
) -> Result<HashMap<String, u64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut q = filtered(f, true);
    q.column(Alias::new("organisation_id"))
        .expr(Expr::cust(counted_sum(settings)))
        .and_where(col("organisation_id").is_in(ids))
        .group_by_col(Alias::new("organisation_id"));
    Ok(rows(db, &q)
        .await?
        .iter()
        .map(|row| (key_at(row, 0), int(row, 1)))
        .collect())
}
