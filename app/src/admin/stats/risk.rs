//! The lists of applications at risk: certificates about to expire, registrations overdue,
//! and applications stuck far longer than their stage's median.

use super::*;

/// A list of applications with their names, oldest deadline first; `total` when known
/// already (from the rollups), else counted here.
#[allow(clippy::too_many_arguments)]
pub(super) async fn risk_list(
    db: &DatabaseConnection,
    mut q: SelectStatement,
    total: Option<u64>,
    date_column: &str,
    date_expr: String,
    today: NaiveDate,
    deadline: impl Fn(NaiveDate) -> NaiveDate,
    waiting: bool,
) -> Result<RiskList, DbErr> {
    let total = match total {
        Some(total) => total,
        None => {
            let mut count = q.clone();
            count.expr(Expr::cust("count(*)"));
            rows(db, &count).await?.first().map_or(0, |r| int(r, 0))
        }
    };
    if total == 0 {
        return Ok(RiskList {
            total,
            rows: Vec::new(),
        });
    }
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

/// Open applications at `stages` (the predicate of the partial indexes the lists read).
pub(super) fn open_at(stages: &[Stage]) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new("applications"))
        .and_where(col("closed_reason").is_null())
        .and_where(col("stage").is_in(stages.iter().map(|s| s.code()).collect::<Vec<_>>()));
    q
}

/// Open applications that have waited in their stage far longer than that stage's median.
pub(super) async fn stuck(
    db: &DatabaseConnection,
    today: NaiveDate,
    source: Source,
) -> Result<RiskList, DbErr> {
    let dialect = Dialect(db.get_database_backend());
    let waiting_stages: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| *s != Stage::ResidentRegistered)
        .collect();
    // (stage, day of the last move) → open applications
    let waiting: Vec<(String, NaiveDate, u64)> = match source {
        Source::Rollups => open_histogram(db, rollups::GROUP_WAITING)
            .await?
            .into_iter()
            .filter_map(|(value, n)| {
                let (stage, since) = value.split_once('|')?;
                Some((stage.to_owned(), validation::date(since).ok()?, n))
            })
            .collect(),
        Source::Rows => {
            let since = dialect.day_of("stage_changed_at");
            let mut q = open_at(&waiting_stages);
            q.column(Alias::new("stage"))
                .expr_as(Expr::cust(since), Alias::new("since"))
                .expr(Expr::cust("count(*)"))
                .group_by_col(Alias::new("stage"))
                .group_by_col(Alias::new("since"));
            rows(db, &q)
                .await?
                .iter()
                .filter_map(|row| Some((text(row, 0)?, day(row, 1)?, int(row, 2))))
                .collect()
        }
    };
    let mut histograms: HashMap<String, Vec<(NaiveDate, u64)>> = HashMap::new();
    for (stage, since, n) in waiting {
        histograms.entry(stage).or_default().push((since, n));
    }
    // each stage's threshold: a cut-off day before which its applications are stuck
    let mut cond = Cond::any();
    let mut total = 0;
    let mut any = false;
    for (stage, histogram) in &histograms {
        let waited: Vec<(i64, u64)> = histogram
            .iter()
            .map(|(since, n)| ((today - *since).num_days(), *n))
            .collect();
        let Some(median) = programme::median_of_histogram(&waited) else {
            continue;
        };
        let threshold = (median * STUCK_FACTOR).max(STUCK_MIN_DAYS);
        let cutoff = today - Days::new(threshold as u64);
        total += histogram
            .iter()
            .filter(|(since, _)| *since < cutoff)
            .map(|(_, n)| n)
            .sum::<u64>();
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
    // the open applications, in the partial index's words
    let mut list = Query::select();
    list.from(Alias::new("applications"))
        .and_where(col("closed_reason").is_null())
        .cond_where(cond);
    let day = dialect.day_of("stage_changed_at");
    risk_list(
        db,
        list,
        Some(total),
        "stage_changed_at",
        day,
        today,
        |d| d,
        true,
    )
    .await
}
