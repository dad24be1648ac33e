//! The dashboard's numbers, aggregated in SQL: every query groups one table (applications, with
//! its copied dimensions) and returns a handful of rows; Rust only does arithmetic on those
//! rows (`domain::programme`). The queries are independent and run concurrently on the pool.
//!
//! Two expressions differ between the databases — a timestamp's day, and days between two
//! days — and come from [`Dialect`].

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use domain::pipeline::{ClosingReason, Stage};
use domain::programme::{self, Settings};
use domain::validation::{self, FieldError, Problem, Validator};
use futures::future::try_join_all;
use sea_orm::sea_query::{Alias, Cond, Expr, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, QueryResult};

use super::api::{
    Breakdown, BreakdownRow, DashboardFilters, FunnelRow, Medians, MonthCount, ProgrammeSummary,
    RiskList, RiskRow,
};
use crate::error::{AppError, AppResult};

/// Rows shown per list of applications at risk.
pub const RISK_ROWS: u64 = 25;
/// Rows shown in the employer breakdown.
pub const TOP_EMPLOYERS: usize = 20;
/// Days before the certificate's expiry from which an application is at risk.
pub const COE_WARNING_DAYS: u64 = 30;
/// An open application is stuck when it has waited this many times the median of its stage…
pub const STUCK_FACTOR: i64 = 3;
/// …and at least this many days.
pub const STUCK_MIN_DAYS: i64 = 30;

struct Dialect(DatabaseBackend);

impl Dialect {
    /// The day of a timestamp column.
    fn day_of(&self, column: &str) -> String {
        match self.0 {
            DatabaseBackend::Sqlite => format!("date({column})"),
            _ => format!("CAST({column} AS DATE)"),
        }
    }

    /// Whole days from `earlier` to `later` (day expressions).
    fn days_between(&self, earlier: &str, later: &str) -> String {
        match self.0 {
            DatabaseBackend::Sqlite => {
                format!("CAST(julianday({later}) - julianday({earlier}) AS INTEGER)")
            }
            _ => format!("({later} - {earlier})"),
        }
    }
}

/// The checked filters.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub sector: Option<String>,
    pub state: Option<String>,
    pub prefecture: Option<String>,
    /// `Some(None)`: engineers without a JLPT level.
    pub jlpt: Option<Option<String>>,
    pub route: Option<String>,
}

pub fn parse_filters(raw: &DashboardFilters) -> Result<Filters, Vec<FieldError>> {
    let mut v = Validator::new();
    let mut date = |field: &str, value: &str| match value.trim() {
        "" => None,
        text => v.check(field, validation::date(text)),
    };
    let from = date("from", &raw.from);
    let to = date("to", &raw.to);
    let mut code = |field: &str, value: &str, known: bool| match value.trim() {
        "" => None,
        code if known => Some(code.to_owned()),
        _ => {
            v.push(field, Problem::NotAllowed);
            None
        }
    };
    let sector = code(
        "sector",
        &raw.sector,
        domain::geo::Sector::parse(raw.sector.trim()).is_some(),
    );
    let state = code(
        "state",
        &raw.state,
        domain::geo::indian_state(raw.state.trim()).is_some(),
    );
    let prefecture = code(
        "prefecture",
        &raw.prefecture,
        domain::geo::prefecture(raw.prefecture.trim()).is_some(),
    );
    let route = code(
        "route",
        &raw.route,
        domain::pipeline::parse_visa_route(raw.route.trim()).is_some(),
    );
    let jlpt = match raw.jlpt.trim() {
        "" => None,
        "none" => Some(None),
        level if domain::jlpt::JlptLevel::parse(level).is_some() => Some(Some(level.to_owned())),
        _ => {
            v.push("jlpt", Problem::NotAllowed);
            None
        }
    };
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            v.push("to", Problem::OutOfRange);
        }
    }
    v.finish()?;
    Ok(Filters {
        from,
        to,
        sector,
        state,
        prefecture,
        jlpt,
        route,
    })
}

/// The start of a day in UTC, as timestamps are stored.
fn midnight(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn col(name: &str) -> Expr {
    Expr::col(Alias::new(name))
}

/// `SELECT … FROM applications WHERE <filters>`; `period` applies the application-date range.
fn filtered(f: &Filters, period: bool) -> SelectStatement {
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

async fn rows(db: &DatabaseConnection, q: &SelectStatement) -> Result<Vec<QueryResult>, DbErr> {
    let backend = db.get_database_backend();
    db.query_all(backend.build(q)).await
}

fn int(row: &QueryResult, index: usize) -> u64 {
    row.try_get_by_index::<i64>(index)
        .map(|n| n.max(0) as u64)
        .or_else(|_| row.try_get_by_index::<i32>(index).map(|n| n.max(0) as u64))
        .unwrap_or_default()
}

fn text(row: &QueryResult, index: usize) -> Option<String> {
    row.try_get_by_index::<Option<String>>(index).ok().flatten()
}

fn day(row: &QueryResult, index: usize) -> Option<NaiveDate> {
    row.try_get_by_index::<Option<NaiveDate>>(index)
        .ok()
        .flatten()
        .or_else(|| {
            // SQLite returns computed days as text
            text(row, index).and_then(|t| validation::date(&t[..t.len().min(10)]).ok())
        })
}

/// The column holding the day a person reaches the counted stage.
fn counted_column(settings: &Settings) -> &'static str {
    match settings.counted_stage {
        Stage::CoeIssued => "coe_issued_on",
        Stage::VisaIssued => "visa_issued_on",
        Stage::ResidentRegistered => "registered_on",
        _ => "arrived_on",
    }
}

/// People counted per day: each person once, on the day their first application reached the
/// counted stage on a counted route.
fn counted_per_day(settings: &Settings, f: &Filters) -> SelectStatement {
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

async fn monthly_counts(
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

async fn funnel(
    db: &DatabaseConnection,
    f: &Filters,
) -> Result<(Vec<FunnelRow>, Vec<(String, u64)>), DbErr> {
    let mut q = filtered(f, true);
    q.column(Alias::new("stage"))
        .column(Alias::new("closed_reason"))
        .expr(Expr::cust("count(*)"))
        .group_by_col(Alias::new("stage"))
        .group_by_col(Alias::new("closed_reason"));
    let counts = rows(db, &q)
        .await?
        .iter()
        .map(|row| (text(row, 0), text(row, 1), int(row, 2)))
        .collect();
    Ok(funnel_from_counts(counts))
}

/// The funnel and the closing reasons from counts by (stage, closing reason).
fn funnel_from_counts(
    counts: Vec<(Option<String>, Option<String>, u64)>,
) -> (Vec<FunnelRow>, Vec<(String, u64)>) {
    let mut at_stage: HashMap<Stage, (u64, u64)> = HashMap::new(); // (all, open)
    let mut closed: HashMap<ClosingReason, u64> = HashMap::new();
    for (stage, reason, n) in counts {
        let Some(stage) = stage.as_deref().and_then(Stage::parse) else {
            continue;
        };
        let entry = at_stage.entry(stage).or_default();
        entry.0 += n;
        match reason.as_deref().and_then(ClosingReason::parse) {
            Some(reason) => *closed.entry(reason).or_default() += n,
            None => entry.1 += n,
        }
    }
    let mut funnel = Vec::new();
    let mut previous: Option<u64> = None;
    for stage in Stage::ALL {
        // every application at or beyond a stage has reached it (screening may be skipped)
        let reached: u64 = at_stage
            .iter()
            .filter(|(s, _)| **s >= stage)
            .map(|(_, (all, _))| all)
            .sum();
        funnel.push(FunnelRow {
            stage: stage.code().to_owned(),
            reached,
            open_now: at_stage.get(&stage).map_or(0, |(_, open)| *open),
            conversion: previous.map_or(1.0, |p| programme::conversion(p, reached)),
        });
        previous = Some(reached);
    }
    let closed = ClosingReason::ALL
        .into_iter()
        .filter_map(|r| closed.get(&r).map(|n| (r.code().to_owned(), *n)))
        .collect();
    (funnel, closed)
}

async fn median_days(
    db: &DatabaseConnection,
    dialect: &Dialect,
    f: &Filters,
    earlier: &str,
    later: &str,
) -> Result<Option<i64>, DbErr> {
    let diff = dialect.days_between(earlier, later);
    let mut q = filtered(f, true);
    q.expr_as(Expr::cust(diff), Alias::new("days"))
        .expr(Expr::cust("count(*)"))
        .and_where(Expr::cust(format!(
            "{earlier} IS NOT NULL AND {later} IS NOT NULL"
        )))
        .group_by_col(Alias::new("days"));
    let histogram: Vec<(i64, u64)> = rows(db, &q)
        .await?
        .iter()
        .map(|row| {
            let days = row
                .try_get_by_index::<i64>(0)
                .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
                .unwrap_or_default();
            (days, int(row, 1))
        })
        .collect();
    Ok(programme::median_of_histogram(&histogram))
}

/// Applications with an offer (`count` of a column counts its non-null values).
const OFFERED_SUM: &str = "count(offered_on)";

/// The number of applications that reached the counted stage on a counted route.
fn counted_sum(settings: &Settings) -> String {
    let counted = counted_column(settings);
    let routes = if settings.counted_routes.is_empty() {
        String::new()
    } else {
        // route codes come from the settings, which accept only known codes
        format!(
            " FILTER (WHERE visa_route IN ({}))",
            settings
                .counted_routes
                .iter()
                .filter(|r| r.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .map(|r| format!("'{r}'"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!("count({counted}){routes}")
}

/// A dimension's value in a row: a code, an employer id, or `none`.
fn key_at(row: &QueryResult, index: usize) -> String {
    text(row, index)
        .or_else(|| {
            row.try_get_by_index::<Option<i32>>(index)
                .ok()
                .flatten()
                .map(|n| n.to_string())
        })
        .unwrap_or_else(|| "none".to_owned())
}

/// Largest first; ties by key, so both databases list them alike.
fn sort_breakdown(rows: &mut [BreakdownRow]) {
    rows.sort_by(|a, b| b.applications.cmp(&a.applications).then(a.key.cmp(&b.key)));
}

async fn breakdown(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    dimension: &'static str,
    column: &'static str,
) -> Result<Breakdown, DbErr> {
    let mut q = filtered(f, true);
    q.expr_as(col(column), Alias::new("dim"))
        .expr(Expr::cust("count(*)"))
        .expr(Expr::cust(OFFERED_SUM))
        .expr(Expr::cust(counted_sum(settings)))
        .group_by_col(Alias::new(column));
    let mut rows: Vec<BreakdownRow> = rows(db, &q)
        .await?
        .iter()
        .map(|row| BreakdownRow {
            key: key_at(row, 0),
            name: None,
            applications: int(row, 1),
            offers: int(row, 2),
            counted: int(row, 3),
        })
        .collect();
    sort_breakdown(&mut rows);
    Ok(Breakdown {
        dimension: dimension.to_owned(),
        rows,
    })
}

/// A list of applications with their names, oldest deadline first.
async fn risk_list(
    db: &DatabaseConnection,
    mut q: SelectStatement,
    date_column: &str,
    date_expr: String,
    today: NaiveDate,
    deadline: impl Fn(NaiveDate) -> NaiveDate,
    waiting: bool,
) -> Result<RiskList, DbErr> {
    let mut count = q.clone();
    count.expr(Expr::cust("count(*)"));
    let total = rows(db, &count).await?.first().map_or(0, |r| int(r, 0));
    q.column(Alias::new("id"))
        .column(Alias::new("stage"))
        .expr(Expr::cust(date_expr))
        .column(Alias::new("engineer_user_id"))
        .column(Alias::new("organisation_id"))
        .order_by(Alias::new(date_column), Order::Asc)
        .order_by(Alias::new("id"), Order::Asc)
        .limit(RISK_ROWS);
    let found = rows(db, &q).await?;
    let mut list = Vec::new();
    let mut people = Vec::new();
    let mut orgs = Vec::new();
    for row in &found {
        let id = row.try_get_by_index::<i32>(0).unwrap_or_default();
        let stage = text(row, 1).unwrap_or_default();
        let Some(on) = day(row, 2) else { continue };
        let engineer = row.try_get_by_index::<i32>(3).unwrap_or_default();
        let org = row.try_get_by_index::<i32>(4).unwrap_or_default();
        people.push(engineer);
        orgs.push(org);
        let due = deadline(on);
        let days = if waiting {
            (today - on).num_days()
        } else {
            (due - today).num_days()
        };
        list.push((id, stage, due, days, engineer, org));
    }
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let names: HashMap<i32, String> = crate::db::entities::user::Entity::find()
        .filter(crate::db::entities::user::Column::Id.is_in(people))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let org_names: HashMap<i32, String> = crate::db::entities::organisation::Entity::find()
        .filter(crate::db::entities::organisation::Column::Id.is_in(orgs))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name_ja.or(o.name_en).unwrap_or_default()))
        .collect();
    Ok(RiskList {
        total,
        rows: list
            .into_iter()
            .map(|(id, stage, date, days, engineer, org)| RiskRow {
                application_id: id,
                engineer_name: names.get(&engineer).cloned().unwrap_or_default(),
                organisation_name: org_names.get(&org).cloned().unwrap_or_default(),
                stage,
                date,
                days,
            })
            .collect(),
    })
}

fn open_at(stages: &[Stage]) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("applications"))
        .and_where(col("closed_reason").is_null())
        .and_where(col("stage").is_in(stages.iter().map(|s| s.code()).collect::<Vec<_>>()));
    q
}

/// Open applications that have waited in their stage far longer than that stage's median.
async fn stuck(
    db: &DatabaseConnection,
    dialect: &Dialect,
    today: NaiveDate,
) -> Result<RiskList, DbErr> {
    let waiting_stages: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| *s != Stage::ResidentRegistered)
        .collect();
    let since = dialect.day_of("stage_changed_at");
    let mut q = open_at(&waiting_stages);
    q.column(Alias::new("stage"))
        .expr_as(Expr::cust(since), Alias::new("since"))
        .expr(Expr::cust("count(*)"))
        .group_by_col(Alias::new("stage"))
        .group_by_col(Alias::new("since"));
    let mut histograms: HashMap<String, Vec<(i64, u64)>> = HashMap::new();
    for row in rows(db, &q).await? {
        let (Some(stage), Some(since)) = (text(&row, 0), day(&row, 1)) else {
            continue;
        };
        histograms
            .entry(stage)
            .or_default()
            .push(((today - since).num_days(), int(&row, 2)));
    }
    // each stage's threshold: a cut-off day before which its applications are stuck
    let mut cond = Cond::any();
    let mut any = false;
    for (stage, histogram) in &histograms {
        let Some(median) = programme::median_of_histogram(histogram) else {
            continue;
        };
        let threshold = (median * STUCK_FACTOR).max(STUCK_MIN_DAYS);
        let cutoff = today - Days::new(threshold as u64);
        cond = cond.add(
            Cond::all()
                .add(col("stage").eq(stage.clone()))
                .add(col("stage_changed_at").lt(midnight(cutoff))),
        );
        any = true;
    }
    if !any {
        return Ok(RiskList {
            total: 0,
            rows: Vec::new(),
        });
    }
    let mut list = open_at(&waiting_stages);
    list.cond_where(cond);
    let day = dialect.day_of("stage_changed_at");
    risk_list(db, list, "stage_changed_at", day, today, |d| d, true).await
}

/// The dimensions of the breakdowns: (name, column).
const DIMENSIONS: [(&str, &str); 6] = [
    ("sector", "sector"),
    ("state", "indian_state"),
    ("prefecture", "role_prefecture"),
    ("jlpt", "jlpt_level"),
    ("route", "visa_route"),
    ("employer", "organisation_id"),
];

/// The funnel and every breakdown in one scan of the table: PostgreSQL's `GROUPING SETS`. Gives
/// the same numbers as [`funnel`] and [`breakdown`] (which SQLite, without grouping sets, runs
/// one by one); the tests check both against counts of their own.
async fn funnel_and_breakdowns_in_one_scan(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
) -> Result<((Vec<FunnelRow>, Vec<(String, u64)>), Vec<Breakdown>), DbErr> {
    // two scans of half the sets each, run concurrently: grouping sets do not run in parallel
    // inside PostgreSQL, and the machine has more than one core
    let (first, second) = DIMENSIONS.split_at(2);
    let ((by_stage, mut breakdowns), (_, rest)) = futures::try_join!(
        grouping_sets(db, settings, f, true, first),
        grouping_sets(db, settings, f, false, second),
    )?;
    breakdowns.extend(rest);
    Ok((funnel_from_counts(by_stage), breakdowns))
}

type StageCounts = Vec<(Option<String>, Option<String>, u64)>;

/// One scan with a grouping set per dimension, and one for the funnel when `funnel` is set.
async fn grouping_sets(
    db: &DatabaseConnection,
    settings: &Settings,
    f: &Filters,
    funnel: bool,
    dimensions: &[(&str, &str)],
) -> Result<(StageCounts, Vec<Breakdown>), DbErr> {
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
        .map(|((dimension, _), mut rows)| {
            sort_breakdown(&mut rows);
            Breakdown {
                dimension: (*dimension).to_owned(),
                rows,
            }
        })
        .collect();
    Ok((by_stage, breakdowns))
}

/// The three medians in one scan: PostgreSQL's `percentile_disc(0.5)`, which (like
/// [`programme::median_of_histogram`]) takes the lower middle value of an even count.
async fn medians_in_one_scan(db: &DatabaseConnection, f: &Filters) -> Result<Medians, DbErr> {
    let mut inner = filtered(f, true);
    inner
        .expr_as(
            Expr::cust("offered_on - CAST(applied_at AS DATE)"),
            Alias::new("d1"),
        )
        .expr_as(Expr::cust("coe_issued_on - offered_on"), Alias::new("d2"))
        .expr_as(Expr::cust("arrived_on - coe_issued_on"), Alias::new("d3"));
    let mut q = Query::select();
    q.expr(Expr::cust(
        "percentile_disc(0.5) WITHIN GROUP (ORDER BY d1)",
    ))
    .expr(Expr::cust(
        "percentile_disc(0.5) WITHIN GROUP (ORDER BY d2)",
    ))
    .expr(Expr::cust(
        "percentile_disc(0.5) WITHIN GROUP (ORDER BY d3)",
    ))
    .from_subquery(inner, Alias::new("t"));
    let found = rows(db, &q).await?;
    let at = |i: usize| {
        found
            .first()
            .and_then(|row| row.try_get_by_index::<Option<i32>>(i).ok().flatten())
            .map(i64::from)
    };
    Ok(Medians {
        applied_to_offer: at(0),
        offer_to_coe_issued: at(1),
        coe_issued_to_arrival: at(2),
    })
}

/// The whole dashboard for `raw` filters on `today`.
pub async fn summary(
    db: &DatabaseConnection,
    raw: &DashboardFilters,
    today: NaiveDate,
) -> AppResult<ProgrammeSummary> {
    let f = parse_filters(raw).map_err(AppError::InvalidParameters)?;
    let settings = super::server::settings(db).await?;
    let dialect = Dialect(db.get_database_backend());
    let everyone = Filters::default();
    let coe_cutoff = (today + Days::new(COE_WARNING_DAYS))
        .checked_sub_months(Months::new(3))
        .unwrap_or(today);
    let registration_cutoff = today - Days::new(14);

    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
    let dimension_filters = f.sector.is_some()
        || f.state.is_some()
        || f.prefecture.is_some()
        || f.jlpt.is_some()
        || f.route.is_some();
    let (counted_all, counted_filtered, ((funnel, closed), breakdowns), medians) = futures::try_join!(
        monthly_counts(db, &settings, &everyone),
        async {
            if dimension_filters {
                monthly_counts(db, &settings, &f).await.map(Some)
            } else {
                Ok(None)
            }
        },
        async {
            if postgres {
                funnel_and_breakdowns_in_one_scan(db, &settings, &f).await
            } else {
                let (funnel, breakdowns) = futures::try_join!(
                    funnel(db, &f),
                    try_join_all(DIMENSIONS.iter().map(|(dimension, column)| breakdown(
                        db, &settings, &f, dimension, column
                    ))),
                )?;
                Ok((funnel, breakdowns))
            }
        },
        async {
            if postgres {
                return medians_in_one_scan(db, &f).await;
            }
            let applied_day = dialect.day_of("applied_at");
            let (a, b, c) = futures::try_join!(
                median_days(db, &dialect, &f, &applied_day, "offered_on"),
                median_days(db, &dialect, &f, "offered_on", "coe_issued_on"),
                median_days(db, &dialect, &f, "coe_issued_on", "arrived_on"),
            )?;
            Ok::<_, DbErr>(Medians {
                applied_to_offer: a,
                offer_to_coe_issued: b,
                coe_issued_to_arrival: c,
            })
        },
    )?;
    let counted_filtered = counted_filtered.unwrap_or_else(|| counted_all.clone());
    let (coe_expiring, registration_overdue, stuck) = futures::try_join!(
        {
            let mut q = open_at(&[Stage::CoeIssued, Stage::VisaApplied, Stage::VisaIssued]);
            q.and_where(col("coe_issued_on").lte(coe_cutoff));
            risk_list(
                db,
                q,
                "coe_issued_on",
                "coe_issued_on".to_owned(),
                today,
                domain::pipeline::coe_expires_on,
                false,
            )
        },
        {
            let mut q = open_at(&[Stage::Arrived]);
            q.and_where(col("arrived_on").lt(registration_cutoff));
            risk_list(
                db,
                q,
                "arrived_on",
                "arrived_on".to_owned(),
                today,
                domain::pipeline::registration_due_on,
                false,
            )
        },
        stuck(db, &dialect, today),
    )?;

    let mut breakdowns = breakdowns;
    if let Some(employers) = breakdowns.iter_mut().find(|b| b.dimension == "employer") {
        employers.rows.truncate(TOP_EMPLOYERS);
        let ids: Vec<i32> = employers
            .rows
            .iter()
            .filter_map(|r| r.key.parse().ok())
            .collect();
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let names: HashMap<String, String> = crate::db::entities::organisation::Entity::find()
            .filter(crate::db::entities::organisation::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| {
                (
                    o.id.to_string(),
                    o.name_ja.or(o.name_en).unwrap_or_default(),
                )
            })
            .collect();
        for row in &mut employers.rows {
            row.name = names.get(&row.key).cloned();
        }
    }

    let progress = programme::progress(&settings, &counted_all, today);
    let years = settings
        .yearly_targets()
        .into_iter()
        .enumerate()
        .map(|(i, target)| {
            let (from, to) = (settings.year_start(i), settings.year_start(i + 1));
            let counted = counted_all
                .iter()
                .filter(|(m, _)| *m >= from && *m < to)
                .map(|(_, n)| n)
                .sum();
            (from, target, counted)
        })
        .collect();
    // every month from the start to now, empty months included, with the target to its end
    let mut arrivals_by_month = Vec::new();
    let mut month = programme::month_of(settings.start);
    let mut cumulative = 0;
    let by_month: HashMap<NaiveDate, u64> = counted_filtered.into_iter().collect();
    while month <= programme::month_of(today) {
        let people = by_month.get(&month).copied().unwrap_or_default();
        cumulative += people;
        let month_end = month
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(month);
        arrivals_by_month.push(MonthCount {
            month,
            people,
            cumulative,
            target_cumulative: settings.target_by(month_end),
        });
        month = month
            .checked_add_months(Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    Ok(ProgrammeSummary {
        generated_on: today,
        target_people: settings.target_people,
        start: settings.start,
        end: settings.end(),
        counted_stage: settings.counted_stage.code().to_owned(),
        counted_routes: settings.counted_routes.clone(),
        progress,
        years,
        arrivals_by_month,
        funnel,
        closed,
        medians,
        breakdowns,
        coe_expiring,
        registration_overdue,
        stuck,
    })
}
