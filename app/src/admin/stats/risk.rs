//! The lists of applications at risk: certificates about to expire, registrations overdue,
//! and applications stuck far longer than their stage's median.

use super::*;

/// A list of applications, oldest deadline first, its names left for [`put_names`]; `total`
/// when known already (from the rollups), else counted here.
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
    for row in &found {
        let id = row.try_get_by_index::<i32>(0).unwrap_or_default();
        let stage = text(row, 1).unwrap_or_default();
        let Some(on) = day(row, 2) else { continue };
        let due = deadline(on);
        list.push(RiskRow {
            application_id: id,
            engineer_id: row.try_get_by_index::<i32>(3).unwrap_or_default(),
            organisation_id: row.try_get_by_index::<i32>(4).unwrap_or_default(),
            engineer_name: String::new(),
            organisation_name: String::new(),
            stage,
            date: due,
            days: if waiting {
                (today - on).num_days()
            } else {
                (due - today).num_days()
            },
        });
    }
    Ok(RiskList { total, rows: list })
}

/// The names of the people and employers a summary shows, as they are now: read for every
/// view, a kept one too, so a renamed or erased person never shows under an old name. Two
/// look-ups by id, however many lists.
pub(super) async fn put_names(
    db: &DatabaseConnection,
    summary: &mut ProgrammeSummary,
) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    use std::collections::BTreeSet;
    let lists = [
        &mut summary.coe_expiring,
        &mut summary.registration_overdue,
        &mut summary.stuck,
    ];
    let people: BTreeSet<i32> = lists
        .iter()
        .flat_map(|list| list.rows.iter().map(|r| r.engineer_id))
        .collect();
    let employers = summary
        .breakdowns
        .iter_mut()
        .find(|b| b.dimension == "employer");
    let orgs: BTreeSet<i32> = lists
        .iter()
        .flat_map(|list| list.rows.iter().map(|r| r.organisation_id))
        .chain(
            employers
                .iter()
                .flat_map(|b| b.rows.iter().filter_map(|r| r.key.parse().ok())),
        )
        .collect();
    let (names, org_names) = futures::try_join!(
        async {
            if people.is_empty() {
                return Ok(Vec::new());
            }
            crate::db::entities::user::Entity::find()
                .select_only()
                .columns([
                    crate::db::entities::user::Column::Id,
                    crate::db::entities::user::Column::DisplayName,
                ])
                .filter(crate::db::entities::user::Column::Id.is_in(people))
                .into_tuple::<(i32, String)>()
                .all(db)
                .await
        },
        async {
            if orgs.is_empty() {
                return Ok(Vec::new());
            }
            use crate::db::entities::organisation;
            organisation::Entity::find()
                .select_only()
                .columns([
                    organisation::Column::Id,
                    organisation::Column::NameJa,
                    organisation::Column::NameEn,
                ])
                .filter(organisation::Column::Id.is_in(orgs))
                .into_tuple::<(i32, Option<String>, Option<String>)>()
                .all(db)
                .await
        },
    )?;
    let names: HashMap<i32, String> = names.into_iter().collect();
    let org_names: HashMap<i32, String> = org_names
        .into_iter()
        .map(|(id, ja, en)| (id, ja.or(en).unwrap_or_default()))
        .collect();
    for list in lists {
        for row in &mut list.rows {
            row.engineer_name = names.get(&row.engineer_id).cloned().unwrap_or_default();
            row.organisation_name = org_names
                .get(&row.organisation_id)
                .cloned()
                .unwrap_or_default();
        }
    }
    if let Some(employers) = employers {
        for row in &mut employers.rows {
            row.name = row
                .key
                .parse()
                .ok()
                .and_then(|id: i32| org_names.get(&id).cloned());
        }
    }
    Ok(())
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
