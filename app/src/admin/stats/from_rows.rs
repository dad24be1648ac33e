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

async fn funnel(db: &DatabaseConnection, f: &Filters) -> Result<StageCounts, DbErr> {
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
async fn days_histogram(
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
        .map(|row| (whole_days(row, 0).unwrap_or_default(), int(row, 1)))
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

/// What one grouping set of a rows scan counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Grouped {
    /// Applications by stage and closing reason.
    Funnel,
    /// A breakdown: its place in [`DIMENSIONS`].
    Dimension(usize),
}

/// The spans of the three medians' histograms, (earlier, later); the first is the day applied.
fn day_spans(dialect: Dialect) -> [(String, &'static str); DAY_SPANS] {
    [
        (dialect.day_of("applied_at"), "offered_on"),
        ("offered_on".to_owned(), "coe_issued_on"),
        ("coe_issued_on".to_owned(), "arrived_on"),
    ]
}

impl Grouped {
    /// The columns this set groups by.
    fn columns(self) -> Vec<&'static str> {
        match self {
            Grouped::Funnel => vec!["stage", "closed_reason"],
            Grouped::Dimension(index) => vec![DIMENSIONS[index].1],
        }
    }
}

/// One scan of the filtered applications with a grouping set for each of `sets`: PostgreSQL's
/// `GROUPING SETS` (SQLite, without them, groups once per set: [`tally_by_statements`]).
pub(super) async fn tally_by_grouping_sets(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    sets: &[Grouped],
) -> Result<Tally, DbErr> {
    // each set's columns, one after another: a column's place is its place in this list
    let by_set: Vec<Vec<&str>> = sets.iter().map(|s| s.columns()).collect();
    let columns: Vec<&str> = by_set.iter().flatten().copied().collect();
    let mut q = filtered(f, true);
    for column in &columns {
        q.expr(Expr::cust(*column));
    }
    q.expr(Expr::cust(format!("GROUPING({})", columns.join(", "))))
        .expr(Expr::cust("count(*)"))
        .expr(Expr::cust(OFFERED_SUM))
        .expr(Expr::cust(counted_sum(settings)));
    let mut statement = db.get_database_backend().build(&q);
    let grouping_sets = by_set
        .iter()
        .map(|expressions| format!("({})", expressions.join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    statement.sql = format!("{} GROUP BY GROUPING SETS ({grouping_sets})", statement.sql);
    let found = db.query_all(statement).await?;
    let n = columns.len();
    let mut tally = Tally::default();
    for row in &found {
        let grouping = row.try_get_by_index::<i32>(n).unwrap_or(-1);
        // GROUPING sets a bit (the first column the highest) for each column *not* grouped by
        let grouped = |index: usize| grouping >= 0 && grouping & (1 << (n - 1 - index)) == 0;
        let (applications, offers, counted) = (int(row, n + 1), int(row, n + 2), int(row, n + 3));
        let mut first = 0;
        for (set, expressions) in sets.iter().zip(&by_set) {
            let place = first;
            first += expressions.len();
            if !(place..first).all(grouped) {
                continue;
            }
            match *set {
                Grouped::Funnel => {
                    tally.add_stage_counts(vec![(
                        text(row, place),
                        text(row, place + 1),
                        applications,
                    )]);
                }
                Grouped::Dimension(index) => tally.add_breakdown(
                    index,
                    vec![BreakdownRow {
                        key: key_at(row, place),
                        name: None,
                        applications,
                        offers,
                        counted,
                    }],
                ),
            }
            break;
        }
    }
    Ok(tally)
}

/// A number of days in a row, `None` when it is null.
fn whole_days(row: &QueryResult, index: usize) -> Option<i64> {
    row.try_get_by_index::<Option<i64>>(index)
        .ok()
        .flatten()
        .or_else(|| {
            row.try_get_by_index::<Option<i32>>(index)
                .ok()
                .flatten()
                .map(i64::from)
        })
}

/// One statement of [`tally_by_statements`]: a grouping set, or a histogram of days (its
/// place in [`Tally::days`], see [`day_spans`]).
#[derive(Debug, Clone, Copy)]
enum Statement {
    Set(Grouped),
    Days(usize),
}

/// The tally of `statements`, each a statement of its own, run at once (SQLite has no grouping
/// sets).
async fn tally_by_statements(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    statements: impl IntoIterator<Item = Statement>,
) -> Result<Tally, DbErr> {
    let dialect = Dialect(db.get_database_backend());
    let parts = try_join_all(statements.into_iter().map(|statement| async move {
        let mut part = Tally::default();
        match statement {
            Statement::Set(Grouped::Funnel) => part.add_stage_counts(funnel(db, f).await?),
            Statement::Set(Grouped::Dimension(index)) => part.add_breakdown(
                index,
                breakdown(db, settings, f, DIMENSIONS[index].1).await?,
            ),
            Statement::Days(index) => {
                let (earlier, later) = &day_spans(dialect)[index];
                part.days[index] = days_histogram(db, dialect, f, earlier, later).await?;
            }
        }
        Ok::<_, DbErr>(part)
    }))
    .await?;
    let mut tally = Tally::default();
    for part in parts {
        tally.add(part);
    }
    Ok(tally)
}

/// The tally of the filtered applications, from the rows; the employer breakdown only when
/// `employers` (it is the costly one).
pub(super) async fn tally_from_rows(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    employers: bool,
) -> Result<Tally, DbErr> {
    use Grouped::*;
    let sector_state = [Funnel, Dimension(0), Dimension(1)];
    let rest: Vec<Grouped> = (2..DIMENSIONS.len())
        .filter(|i| employers || *i != EMPLOYER)
        .map(Dimension)
        .collect();
    let histograms = (0..DAY_SPANS).map(Statement::Days);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // five statements at once: two scans of about half the breakdowns each (grouping sets
        // do not run in parallel inside PostgreSQL) and a hash aggregate per histogram. The
        // histograms as grouping sets of the same scans were measured slower at two million
        // applications (the days at a period's ends 514 -> 700 ms, every row 4.3 -> 8.5 s)
        let (mut tally, other, days) = futures::try_join!(
            tally_by_grouping_sets(db, settings, f, &sector_state),
            tally_by_grouping_sets(db, settings, f, &rest),
            tally_by_statements(db, settings, f, histograms),
        )?;
        tally.add(other);
        tally.add(days);
        Ok(tally)
    } else {
        let sets = sector_state.into_iter().chain(rest).map(Statement::Set);
        tally_by_statements(db, settings, f, sets.chain(histograms)).await
    }
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
