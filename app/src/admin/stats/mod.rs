//! The dashboard's numbers. A view reads the rollups the database keeps beside the
//! applications (`migrations::dashboard_rollups`: slices of counts by month and one filter, and
//! each counted person's first day), and the rows themselves only for what the rollups do not
//! hold: the first and last days of a period that starts or ends inside a month, views with
//! two or more filters, and the employers of a filtered view. Those rows are read from the
//! instance's [`DashboardColumns`] (the applications' columns in memory, following the change
//! log), or from the database while the columns load. [`summary_from_rows`] computes the same
//! summary from the database's rows alone: it is the oracle of the tests and of
//! `server verify-rollups`.
//!
//! Every query groups one table and returns a handful of rows; Rust only adds counts and does
//! arithmetic on them (`domain::programme`). The queries are independent and run concurrently
//! on the pool.

mod columns;
mod follow;
mod from_rollups;
mod from_rows;
mod kept;
mod period;
mod risk;
mod tally;

use std::collections::HashMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use domain::pipeline::{ClosingReason, Stage};
use domain::programme::{self, Settings};
use domain::validation::{self, FieldError, Problem, Validator};
use futures::future::try_join_all;
use migrations::dashboard_rollups::{self as rollups, Dialect};
use sea_orm::sea_query::{Alias, Cond, Expr, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, QueryResult};

use super::api::{
    Breakdown, BreakdownRow, DashboardFilters, FunnelRow, Medians, MonthCount, ProgrammeSummary,
    RiskList, RiskRow,
};
use crate::error::{AppError, AppResult};
pub use follow::{Columns, DashboardColumns};
pub use kept::KeptViews;

use from_rollups::*;
use from_rows::*;
use period::*;
use risk::*;
use tally::*;

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

/// The checked filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
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

/// Where a summary's numbers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Rollups,
    Rows,
}

/// Where a view reads what its rollups do not hold: the rows in the database, or this
/// instance's columns of them (the same counts, in a fraction of the time).
struct Rows<'a> {
    db: &'a DatabaseConnection,
    /// `None`: the database's rows only (the oracle).
    columns: Option<&'a DashboardColumns>,
    /// The columns, caught up with the log on the first read that needs them: a view the
    /// rollups answer alone never waits for the log. `None` inside: the database answers.
    current: tokio::sync::OnceCell<Option<Columns>>,
}

impl<'a> Rows<'a> {
    fn database(db: &'a DatabaseConnection) -> Self {
        Rows {
            db,
            columns: None,
            current: Default::default(),
        }
    }

    fn columns_or_database(db: &'a DatabaseConnection, columns: &'a DashboardColumns) -> Self {
        Rows {
            columns: Some(columns),
            ..Rows::database(db)
        }
    }

    /// The columns, up to date with the log; `None` when the database answers.
    async fn columns(&self) -> Option<Columns> {
        let columns = self.columns?;
        self.current
            .get_or_init(|| async {
                columns.current(self.db).await.unwrap_or_else(|e| {
                    // the database answers the rows' part itself; it will say if it is down
                    tracing::warn!(error = %e, "the dashboard's columns could not follow the log");
                    None
                })
            })
            .await
            .clone()
    }

    /// Runs `scan` over the columns on a blocking thread (a scan of every application takes
    /// milliseconds of CPU).
    async fn scan<T: Send + 'static>(
        columns: Columns,
        settings: &Settings,
        f: &Filters,
        scan: impl FnOnce(&columns::Table, &Settings, &Filters) -> T + Send + 'static,
    ) -> Result<T, DbErr> {
        let (settings, f) = (settings.clone(), f.clone());
        tokio::task::spawn_blocking(move || scan(&columns, &settings, &f))
            .await
            .map_err(|e| DbErr::Custom(format!("a scan of the dashboard's columns: {e}")))
    }

    /// The funnel, breakdowns and medians of the applications `f` selects; the employers
    /// only when `employers`.
    async fn tally(
        &self,
        settings: &Settings,
        f: &Filters,
        employers: bool,
    ) -> Result<Tally, DbErr> {
        match self.columns().await {
            None => tally_from_rows(self.db, settings, f, employers).await,
            Some(c) => {
                Self::scan(c, settings, f, move |t, s, f| {
                    t.tally(s, f, columns::Wanted::tally(employers))
                })
                .await
            }
        }
    }

    /// The employer breakdown of the applications `f` selects.
    async fn employers(
        &self,
        settings: &Settings,
        f: &Filters,
    ) -> Result<Vec<BreakdownRow>, DbErr> {
        match self.columns().await {
            None => breakdown(self.db, settings, f, "organisation_id").await,
            Some(c) => Self::scan(c, settings, f, |t, s, f| t.employers(s, f)).await,
        }
    }

    /// People counted per month for `f`'s dimension filters.
    async fn monthly_counts(
        &self,
        settings: &Settings,
        f: &Filters,
    ) -> Result<Vec<(NaiveDate, u64)>, DbErr> {
        match self.columns().await {
            None => monthly_counts(self.db, settings, f).await,
            Some(c) => Self::scan(c, settings, f, |t, s, f| t.monthly_counts(s, f)).await,
        }
    }
}

/// The funnel, breakdowns and medians of a view, and whether its employers' counts come
/// (at least in part) from the slices, which hold them without their routes: then their
/// people counted are to be counted from their rows.
async fn tally(
    db: &DatabaseConnection,
    rows: &Rows<'_>,
    settings: &Settings,
    f: &Filters,
    source: Source,
) -> Result<(Tally, bool), DbErr> {
    let filter = single_filter(f, false);
    let (Source::Rollups, Some(filter)) = (source, filter) else {
        return Ok((rows.tally(settings, f, true).await?, false));
    };
    let parts = split_period(f.from, f.to);
    // the employers come from the slices without a filter or by sector, on every route, and
    // only the top ones when no days are added to them; with days to add, the slices would
    // give every employer's months, so the columns, when loaded, count the whole period at once
    let slices_employers = [rollups::FILTER_NONE, rollups::FILTER_SECTOR].contains(&filter.0)
        && f.route.is_none()
        && (parts.days.is_empty() || rows.columns().await.is_none());
    let employers =
        slices_employers.then_some(parts.days.is_empty().then_some(TOP_EMPLOYERS as u64));
    let (mut tally, from_days, filtered_employers) = futures::try_join!(
        tally_from_slices(
            db,
            settings,
            parts.months,
            &filter,
            f.route.as_ref(),
            employers
        ),
        try_join_all(parts.days.iter().map(|(from, to)| {
            let days = Filters {
                from: Some(*from),
                to: Some(*to),
                ..f.clone()
            };
            async move { rows.tally(settings, &days, slices_employers).await }
        })),
        async {
            if slices_employers {
                Ok(Vec::new())
            } else {
                rows.employers(settings, f).await
            }
        },
    )?;
    for part in from_days {
        tally.add(part);
    }
    tally.add_breakdown(EMPLOYER, filtered_employers);
    Ok((tally, slices_employers))
}

/// `f` with a period open at its end closed at the end of this month: no application is
/// applied later, and a closed period's whole years are read from the yearly slices.
fn up_to_this_month(f: &Filters, today: NaiveDate) -> Filters {
    let open_from_the_past = f.to.is_none() && f.from.is_some_and(|from| from <= today);
    Filters {
        to: if open_from_the_past {
            Some(last_day_of_month(today))
        } else {
            f.to
        },
        ..f.clone()
    }
}

/// People counted per month for `f`'s dimension filters (its period does not apply).
async fn counted_series(
    db: &DatabaseConnection,
    rows: &Rows<'_>,
    settings: &Settings,
    f: &Filters,
    rollups_counted: bool,
) -> Result<Vec<(NaiveDate, u64)>, DbErr> {
    match single_filter(f, true) {
        Some(filter) if rollups_counted => counted_months_from_rollups(db, &filter).await,
        _ => rows.monthly_counts(settings, f).await,
    }
}

/// The whole dashboard for `raw` filters on `today`, from the rollups and this instance's
/// columns of the applications.
pub async fn summary(
    db: &DatabaseConnection,
    columns: &DashboardColumns,
    raw: &DashboardFilters,
    today: NaiveDate,
) -> AppResult<ProgrammeSummary> {
    let f = parse_filters(raw).map_err(AppError::InvalidParameters)?;
    let mut summary = numbers_of(db, columns, f, today).await?;
    put_names(db, &mut summary).await?;
    Ok(summary)
}

/// The summary of the filters `f` on `today` without its names ([`put_names`]): what a
/// [`KeptViews`] keeps.
async fn numbers_of(
    db: &DatabaseConnection,
    columns: &DashboardColumns,
    f: Filters,
    today: NaiveDate,
) -> AppResult<ProgrammeSummary> {
    let rows = Rows::columns_or_database(db, columns);
    summary_by(db, &rows, f, today, Source::Rollups).await
}

/// The same summary computed from the applications alone (slow at scale): what the rollups
/// must equal.
pub async fn summary_from_rows(
    db: &DatabaseConnection,
    raw: &DashboardFilters,
    today: NaiveDate,
) -> AppResult<ProgrammeSummary> {
    let f = parse_filters(raw).map_err(AppError::InvalidParameters)?;
    let mut summary = summary_by(db, &Rows::database(db), f, today, Source::Rows).await?;
    put_names(db, &mut summary).await?;
    Ok(summary)
}

async fn summary_by(
    db: &DatabaseConnection,
    rows: &Rows<'_>,
    f: Filters,
    today: NaiveDate,
    source: Source,
) -> AppResult<ProgrammeSummary> {
    let settings = super::server::settings(db).await?;
    // the counted people follow the rule they were counted by; should it differ from the
    // settings (it never should), the rows answer
    let rollups_counted =
        source == Source::Rollups && super::server::counted_rule_is(db, &settings).await?;
    let everyone = Filters::default();
    let coe_cutoff = (today + Days::new(COE_WARNING_DAYS))
        .checked_sub_months(Months::new(3))
        .unwrap_or(today);
    let registration_cutoff = today - Days::new(14);
    let closed_period = up_to_this_month(&f, today);

    let open_totals = async {
        if source == Source::Rows {
            return Ok((None, None));
        }
        let (coe, arrived) = futures::try_join!(
            open_histogram(db, rollups::GROUP_OPEN_COE),
            open_histogram(db, rollups::GROUP_OPEN_ARRIVED),
        )?;
        Ok::<_, DbErr>((
            Some(count_up_to(&coe, coe_cutoff)),
            registration_cutoff
                .pred_opt()
                .map(|last| count_up_to(&arrived, last)),
        ))
    };
    let (
        counted_all,
        counted_filtered,
        (tally, employers_from_slices),
        (coe_total, registration_total),
    ) = futures::try_join!(
        counted_series(db, rows, &settings, &everyone, rollups_counted),
        async {
            // without a dimension filter the series is everyone's: read once
            let unfiltered = f.sector.is_none()
                && f.state.is_none()
                && f.prefecture.is_none()
                && f.jlpt.is_none()
                && f.route.is_none();
            if unfiltered {
                Ok(None)
            } else {
                counted_series(db, rows, &settings, &f, rollups_counted)
                    .await
                    .map(Some)
            }
        },
        tally(db, rows, &settings, &closed_period, source),
        open_totals,
    )?;
    let counted_filtered = counted_filtered.unwrap_or_else(|| counted_all.clone());
    let Finished {
        funnel,
        closed,
        mut breakdowns,
        medians,
    } = tally.finish();
    let (coe_expiring, registration_overdue, stuck) = futures::try_join!(
        {
            let mut q = open_at(&[Stage::CoeIssued, Stage::VisaApplied, Stage::VisaIssued]);
            q.and_where(col("coe_issued_on").lte(coe_cutoff));
            risk_list(
                db,
                q,
                coe_total,
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
                registration_total,
                "arrived_on",
                "arrived_on".to_owned(),
                today,
                domain::pipeline::registration_due_on,
                false,
            )
        },
        stuck(db, today, source),
    )?;

    if let Some(employers) = breakdowns.iter_mut().find(|b| b.dimension == "employer") {
        employers.rows.truncate(TOP_EMPLOYERS);
        if employers_from_slices {
            // the slices hold employers without their routes: the top ones' people counted
            // come from their rows (a look-up of twenty employers in the database's index, where
            // the columns would scan every application)
            let ids: Vec<i32> = employers
                .rows
                .iter()
                .filter_map(|r| r.key.parse().ok())
                .collect();
            let counted = counted_by_employer(db, &settings, &f, ids).await?;
            for row in &mut employers.rows {
                row.counted = counted.get(&row.key).copied().unwrap_or_default();
            }
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
        arrivals_by_month.push(MonthCount {
            month,
            people,
            cumulative,
            target_cumulative: settings.target_by(last_day_of_month(month)),
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

/// Whether the rollups equal a recount from the applications: the number of rows that differ
/// in the slices and in the counted people (0 and 0 when they agree). Reads in one transaction.
pub async fn verify_rollups(db: &DatabaseConnection) -> AppResult<(u64, u64)> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // one snapshot for both reads
        txn.execute_unprepared("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
    }
    let differences = rollups::count_differences(&txn).await?;
    txn.commit().await?;
    Ok(differences)
}

/// Computes every rollup again from the applications (an operator's repair; also after a
/// restore from rows without them).
pub async fn rebuild_rollups(db: &DatabaseConnection) -> AppResult<()> {
    use sea_orm::TransactionTrait;
    let settings = super::server::settings(db).await?;
    let txn = db.begin().await?;
    let dialect = Dialect(txn.get_database_backend());
    if dialect.0 == DatabaseBackend::Postgres {
        // no move may land between the recount and the commit
        txn.execute_unprepared("LOCK TABLE applications IN SHARE MODE")
            .await?;
    }
    txn.execute_unprepared(&rollups::refill_slices(dialect))
        .await?;
    rollups::rebuild_counted(
        &txn,
        settings.counted_stage.code(),
        &settings.counted_routes,
    )
    .await?;
    // the views kept from the rollups as they were are computed again
    crate::indexing::change_log::record(&txn, crate::indexing::Queued::Dashboard, 0).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_migrations_default_counted_rule_is_the_settings_default() {
        let defaults = Settings::default();
        use migrations::m20261205_000021_dashboard_rollups as m;
        assert_eq!(defaults.counted_stage.code(), m::DEFAULT_COUNTED_STAGE);
        assert_eq!(defaults.counted_routes, m::DEFAULT_COUNTED_ROUTES.to_vec());
    }
}
