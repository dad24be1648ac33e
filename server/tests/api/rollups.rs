//! The programme dashboard's rollups: kept by the database's triggers through every kind of
//! write (a row, a statement over many rows, a delete, a settings change), they give the same
//! dashboard as the applications themselves under every kind of filter; `verify-rollups` finds
//! a rollup row that is wrong and `rebuild-rollups` mends it.

use app::admin::api::DashboardFilters;
use app::admin::stats::{rebuild_rollups, summary, summary_from_rows, verify_rollups, KeptViews};
use app::db::entities::application;
use chrono::{Datelike, Days, NaiveDate};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use crate::helpers::TestApp;
use crate::on_both_databases;

const STAGES: [&str; 11] = [
    "applied",
    "screening",
    "shortlisted",
    "interview",
    "offer_extended",
    "offer_accepted",
    "coe_issued",
    "visa_applied",
    "visa_issued",
    "arrived",
    "resident_registered",
];

/// Every view of the dashboard a test asks for: each filter alone, pairs, and periods that
/// start and end on and off month boundaries.
fn views(apps: &[application::Model], today: NaiveDate) -> Vec<DashboardFilters> {
    let first = |pick: fn(&application::Model) -> Option<&String>| {
        apps.iter()
            .find_map(|a| pick(a).cloned())
            .unwrap_or_default()
    };
    let sector = first(|a| a.sector.as_ref());
    let state = first(|a| a.indian_state.as_ref());
    let prefecture = first(|a| a.role_prefecture.as_ref());
    let jlpt = first(|a| a.jlpt_level.as_ref());
    let earliest = apps
        .iter()
        .map(|a| a.applied_at.date_naive())
        .min()
        .unwrap();
    let month_start = |d: NaiveDate| d.with_day(1).unwrap();
    let periods: Vec<(String, String)> = vec![
        (String::new(), String::new()),
        (month_start(earliest).to_string(), String::new()),
        ((earliest + Days::new(9)).to_string(), String::new()),
        (String::new(), (today - Days::new(40)).to_string()),
        (
            month_start(earliest + Days::new(40)).to_string(),
            (month_start(today) - Days::new(1)).to_string(),
        ),
        (
            (earliest + Days::new(17)).to_string(),
            (today - Days::new(23)).to_string(),
        ),
        (
            (today - Days::new(20)).to_string(),
            (today - Days::new(3)).to_string(),
        ),
        // whole calendar years: the employers from the yearly slices
        (
            NaiveDate::from_ymd_opt(today.year(), 1, 1)
                .unwrap()
                .to_string(),
            String::new(),
        ),
        (
            NaiveDate::from_ymd_opt(today.year() - 1, 1, 1)
                .unwrap()
                .to_string(),
            NaiveDate::from_ymd_opt(today.year() - 1, 12, 31)
                .unwrap()
                .to_string(),
        ),
    ];
    let filters: Vec<DashboardFilters> = vec![
        DashboardFilters::default(),
        DashboardFilters {
            sector: sector.clone(),
            ..Default::default()
        },
        DashboardFilters {
            state: state.clone(),
            ..Default::default()
        },
        DashboardFilters {
            prefecture: prefecture.clone(),
            ..Default::default()
        },
        DashboardFilters {
            jlpt: jlpt.clone(),
            ..Default::default()
        },
        DashboardFilters {
            jlpt: "none".to_owned(),
            ..Default::default()
        },
        DashboardFilters {
            route: "engineer_specialist".to_owned(),
            ..Default::default()
        },
        DashboardFilters {
            route: "highly_skilled_professional".to_owned(),
            state: state.clone(),
            ..Default::default()
        },
        DashboardFilters {
            sector,
            prefecture,
            ..Default::default()
        },
    ];
    let mut views = Vec::new();
    for filter in &filters {
        for (from, to) in &periods {
            views.push(DashboardFilters {
                from: from.clone(),
                to: to.clone(),
                ..filter.clone()
            });
        }
    }
    views
}

async fn all_applications(app: &TestApp) -> Vec<application::Model> {
    application::Entity::find().all(&app.db).await.unwrap()
}

/// Asserts the rollups are right, by the operator's check and by every view of the dashboard;
/// and that each view kept from before is computed again (something it counts was written
/// since, by a statement of its own as another instance's would be), then kept: equal to the
/// rows as well. Returns how many views were asked twice, and answered from what was kept.
async fn assert_rollups_agree(app: &TestApp, kept: &KeptViews, moment: &str) -> (u64, u64) {
    assert_eq!(
        verify_rollups(&app.db).await.unwrap(),
        (0, 0),
        "{moment}: the rollups differ from a recount"
    );
    let today = domain::time::japan_date(chrono::Utc::now());
    let apps = all_applications(app).await;
    // the views below read this instance's columns, which follow every change by the log
    let columns = &app.state.dashboard_columns;
    let held = columns
        .current(&app.db)
        .await
        .unwrap()
        .expect("the columns load");
    assert_eq!(
        held.len(),
        apps.len(),
        "{moment}: the columns hold every application"
    );
    drop(held);
    let (mut asked_again, mut found_again) = (0, 0);
    for view in views(&apps, today) {
        let from_rollups = summary(&app.db, columns, &view, today).await.unwrap();
        let from_rows = summary_from_rows(&app.db, &view, today).await.unwrap();
        assert_eq!(from_rollups, from_rows, "{moment}: {view:?}");

        let (found, _) = kept.counts();
        let afresh = kept.summary(&app.db, columns, &view, today).await.unwrap();
        assert_eq!(
            kept.counts().0,
            found,
            "{moment}: a view kept from before the writes was shown: {view:?}"
        );
        assert_eq!(afresh, from_rows, "{moment}: computed to keep: {view:?}");
        let again = kept.summary(&app.db, columns, &view, today).await.unwrap();
        assert_eq!(again, from_rows, "{moment}: kept: {view:?}");
        found_again += kept.counts().0 - found;
        asked_again += 1;
    }
    (asked_again, found_again)
}

on_both_databases!(
    the_dashboard_read_from_its_rollups_equals_the_dashboard_read_from_the_rows,
    async |app: &TestApp| {
        // the columns load before the seeder writes: they follow a bulk load by the log (one
        // entry for every application on PostgreSQL, where the seeder defers the rollups)
        let empty = app.state.dashboard_columns.current(&app.db).await.unwrap();
        assert_eq!(empty.map(|c| c.len()), Some(0));
        let taxonomy = domain::skills::Taxonomy::builtin();
        let options = server::seed::SeedOptions {
            engineers: 60,
            roles: 12,
            applications: 300,
            seed: 11,
            progress: false,
        };
        server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
            .await
            .unwrap();
        // every view fits: each is asked again after the next writes (the app's own keeps fewer)
        let kept_views = KeptViews::new(std::num::NonZeroUsize::new(256).unwrap());
        let mut kept = assert_rollups_agree(app, &kept_views, "after seeding").await;

        // single rows changed in every way the dashboard reads
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let apps = all_applications(app).await;
        let today = domain::time::japan_date(chrono::Utc::now());
        for a in apps.choose_multiple(&mut rng, 60) {
            let mut row = a.clone().into_active_model();
            let day = today - Days::new(rng.gen_range(0..400));
            match rng.gen_range(0..7) {
                0 => {
                    row.stage = Set(STAGES.choose(&mut rng).unwrap().to_string());
                    row.stage_changed_at = Set(day.and_hms_opt(3, 0, 0).unwrap().and_utc());
                }
                1 => row.closed_reason = Set(Some("candidate_withdrew".to_owned())),
                2 => {
                    row.stage = Set("arrived".to_owned());
                    row.closed_reason = Set(None);
                    row.offered_on = Set(Some(day - Days::new(90)));
                    row.coe_issued_on = Set(Some(day - Days::new(30)));
                    row.arrived_on = Set(Some(day));
                }
                3 => row.visa_route = Set(Some("highly_skilled_professional".to_owned())),
                4 => {
                    row.jlpt_level = Set(None);
                    row.sector = Set(Some("ev_power_electronics".to_owned()));
                }
                5 => row.coe_issued_on = Set(Some(day)),
                _ => row.indian_state = Set(Some("KA".to_owned())),
            }
            row.update(&app.db).await.unwrap();
        }
        let more = assert_rollups_agree(app, &kept_views, "after single-row changes").await;
        kept = (kept.0 + more.0, kept.1 + more.1);

        // one statement over many rows (as the closing sweep and erasure write), and deletes
        application::Entity::update_many()
            .col_expr(
                application::Column::ClosedReason,
                Expr::value("role_closed"),
            )
            .filter(application::Column::Stage.is_in(["applied", "screening"]))
            .filter(application::Column::ClosedReason.is_null())
            .exec(&app.db)
            .await
            .unwrap();
        let gone: Vec<i32> = all_applications(app)
            .await
            .choose_multiple(&mut rng, 25)
            .map(|a| a.id)
            .collect();
        application::Entity::delete_many()
            .filter(application::Column::Id.is_in(gone))
            .exec(&app.db)
            .await
            .unwrap();
        let more = assert_rollups_agree(app, &kept_views, "after bulk changes and deletes").await;
        kept = (kept.0 + more.0, kept.1 + more.1);

        // another counted stage and routes: the counted people are counted again
        let admin = app::admin::server::settings(&app.db).await.unwrap();
        let changed = domain::programme::Settings {
            counted_stage: domain::pipeline::Stage::CoeIssued,
            counted_routes: vec!["engineer_specialist".to_owned()],
            ..admin
        };
        app::admin::server::save_settings(&app.db, 1, &changed)
            .await
            .unwrap();
        let more = assert_rollups_agree(app, &kept_views, "after a settings change").await;
        kept = (kept.0 + more.0, kept.1 + more.1);

        // the dashboard reads the rollups (a wrong one shows), for a filtered view as well
        let backend = app.db.get_database_backend();
        let today = domain::time::japan_date(chrono::Utc::now());
        let jlpt_none = DashboardFilters {
            jlpt: "none".to_owned(),
            ..Default::default()
        };
        for (wrong, view) in [
            (
                "UPDATE dashboard_slices SET applications = applications + 1 \
                 WHERE grain = 0 AND filter_dim = 0 AND group_dim = 0",
                DashboardFilters::default(),
            ),
            (
                "UPDATE dashboard_slices SET applications = applications + 1 \
                 WHERE grain = 0 AND filter_dim = 4 AND group_dim = 1 AND filter_value = 'none'",
                jlpt_none.clone(),
            ),
            (
                "UPDATE counted_months SET people = people + 1 WHERE filter_dim = 0",
                DashboardFilters::default(),
            ),
        ] {
            app.db
                .execute(sea_orm::Statement::from_string(backend, wrong))
                .await
                .unwrap();
            assert_ne!(
                summary(&app.db, &app.state.dashboard_columns, &view, today)
                    .await
                    .unwrap(),
                summary_from_rows(&app.db, &view, today).await.unwrap(),
                "{wrong}"
            );
            rebuild_rollups(&app.db).await.unwrap();
        }

        // a wrong slice and a lost counted person are found, and a rebuild mends both
        app.db
            .execute(sea_orm::Statement::from_string(
                backend,
                "UPDATE dashboard_slices SET applications = applications + 1 \
                 WHERE grain = 1 AND group_dim = 0 AND filter_dim = 2",
            ))
            .await
            .unwrap();
        let (slices, people) = verify_rollups(&app.db).await.unwrap();
        assert!(slices > 0 && people == 0, "{slices} {people}");
        app.db
            .execute(sea_orm::Statement::from_string(
                backend,
                "DELETE FROM counted_people WHERE filter_dim = 0",
            ))
            .await
            .unwrap();
        let (_, people) = verify_rollups(&app.db).await.unwrap();
        assert!(people > 0);
        rebuild_rollups(&app.db).await.unwrap();
        let more = assert_rollups_agree(app, &kept_views, "after a rebuild").await;
        kept = (kept.0 + more.0, kept.1 + more.1);
        // asked again at once, a view is kept (a transaction open at that moment elsewhere may
        // hold the log's horizon back: then it is computed again, which is never wrong)
        assert!(
            kept.1 * 2 >= kept.0,
            "kept views found {} of {}",
            kept.1,
            kept.0
        );

        // a kept view names the people at risk as they are now (their names are not logged)
        let views = &app.state.dashboard_views;
        let columns = &app.state.dashboard_columns;
        let everything = DashboardFilters::default();
        let shown = views
            .summary(&app.db, columns, &everything, today)
            .await
            .unwrap();
        let at_risk = [
            &shown.coe_expiring,
            &shown.registration_overdue,
            &shown.stuck,
        ]
        .into_iter()
        .find_map(|list| list.rows.first().cloned())
        .expect("the seeded applications put someone at risk");
        app::db::entities::user::Entity::update_many()
            .col_expr(
                app::db::entities::user::Column::DisplayName,
                Expr::value("Renamed Since"),
            )
            .filter(app::db::entities::user::Column::Id.eq(at_risk.engineer_id))
            .exec(&app.db)
            .await
            .unwrap();
        let (found, _) = views.counts();
        let renamed = views
            .summary(&app.db, columns, &everything, today)
            .await
            .unwrap();
        assert_eq!(views.counts().0, found + 1, "the numbers were kept");
        let row = [
            &renamed.coe_expiring,
            &renamed.registration_overdue,
            &renamed.stuck,
        ]
        .into_iter()
        .flat_map(|list| &list.rows)
        .find(|r| r.application_id == at_risk.application_id)
        .unwrap();
        assert_eq!(row.engineer_name, "Renamed Since");
        assert_ne!(at_risk.engineer_name, "Renamed Since");
    }
);

/// Two employers moving two applications of the same person at the same moment: each
/// transaction recounts that person, and neither may count from what the other is changing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moves_of_one_persons_applications_at_the_same_moment_keep_the_counted_people_right() {
    use crate::helpers::{spawn_app, Backend};
    use sea_orm::TransactionTrait;
    let app = spawn_app(Backend::Postgres).await;
    let taxonomy = domain::skills::Taxonomy::builtin();
    let options = server::seed::SeedOptions {
        engineers: 30,
        roles: 10,
        applications: 200,
        seed: 3,
        progress: false,
    };
    server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
        .await
        .unwrap();
    let apps = all_applications(&app).await;
    let mut by_person: std::collections::BTreeMap<i32, Vec<i32>> = Default::default();
    for a in &apps {
        by_person.entry(a.engineer_user_id).or_default().push(a.id);
    }
    let pairs: Vec<(i32, i32)> = by_person
        .values()
        .filter(|ids| ids.len() >= 2)
        .map(|ids| (ids[0], ids[1]))
        .take(8)
        .collect();
    assert!(pairs.len() >= 4, "the seed gives people two applications");
    let today = domain::time::japan_date(chrono::Utc::now());
    for round in 0..3u64 {
        let mut moves = Vec::new();
        for (k, (first, second)) in pairs.iter().enumerate() {
            for (id, offset) in [(*first, 10 + round), (*second, 40 + round + k as u64)] {
                let db = app.db.clone();
                moves.push(tokio::spawn(async move {
                    let txn = db.begin().await.unwrap();
                    application::Entity::update_many()
                        .col_expr(application::Column::Stage, Expr::value("arrived"))
                        .col_expr(
                            application::Column::ClosedReason,
                            Expr::value(None::<String>),
                        )
                        .col_expr(
                            application::Column::VisaRoute,
                            Expr::value("engineer_specialist"),
                        )
                        .col_expr(
                            application::Column::ArrivedOn,
                            Expr::value(today - Days::new(offset * 7)),
                        )
                        .filter(application::Column::Id.eq(id))
                        .exec(&txn)
                        .await
                        .unwrap();
                    // hold the transaction open while the other one runs
                    txn.execute_unprepared("SELECT pg_sleep(0.05)")
                        .await
                        .unwrap();
                    txn.commit().await.unwrap();
                }));
            }
        }
        for done in moves {
            done.await.unwrap();
        }
        assert_eq!(
            verify_rollups(&app.db).await.unwrap(),
            (0, 0),
            "round {round}: the rollups differ from a recount"
        );
    }
    app.cleanup().await;
}

/// A bulk load defers the rollups in its own transactions only, and a rebuild brings them back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_load_defers_the_rollups_in_its_own_transactions_only() {
    use crate::helpers::{spawn_app, Backend};
    use migrations::dashboard_rollups::{defer_in_transaction, Dialect};
    use sea_orm::TransactionTrait;
    let app = spawn_app(Backend::Postgres).await;
    let taxonomy = domain::skills::Taxonomy::builtin();
    let options = server::seed::SeedOptions {
        engineers: 20,
        roles: 6,
        applications: 80,
        seed: 5,
        progress: false,
    };
    server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
        .await
        .unwrap();
    let defer = defer_in_transaction(Dialect(sea_orm::DatabaseBackend::Postgres)).unwrap();
    let txn = app.db.begin().await.unwrap();
    txn.execute_unprepared(&defer).await.unwrap();
    application::Entity::update_many()
        .col_expr(
            application::Column::ClosedReason,
            Expr::value("role_closed"),
        )
        .filter(application::Column::ClosedReason.is_null())
        .exec(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let (slices, _) = verify_rollups(&app.db).await.unwrap();
    assert!(slices > 0, "the deferred change left the rollups behind");
    rebuild_rollups(&app.db).await.unwrap();
    assert_eq!(verify_rollups(&app.db).await.unwrap(), (0, 0));
    // the next transaction, on the same pool, keeps them again
    let txn = app.db.begin().await.unwrap();
    application::Entity::update_many()
        .col_expr(
            application::Column::ClosedReason,
            Expr::value(None::<String>),
        )
        .filter(application::Column::ClosedReason.eq("role_closed"))
        .exec(&txn)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(verify_rollups(&app.db).await.unwrap(), (0, 0));
    app.cleanup().await;
}

on_both_databases!(
    the_dashboard_columns_load_again_when_the_log_was_pruned_past_them,
    async |app: &TestApp| {
        use app::indexing::change_log::{self, Retention};
        let taxonomy = domain::skills::Taxonomy::builtin();
        let options = server::seed::SeedOptions {
            engineers: 30,
            roles: 6,
            applications: 80,
            seed: 3,
            progress: false,
        };
        server::seed::seed(&app.db, &taxonomy, options, "demo-password-for-tests")
            .await
            .unwrap();
        let columns = &app.state.dashboard_columns;
        assert_eq!(
            columns.current(&app.db).await.unwrap().map(|c| c.len()),
            Some(80)
        );

        // a change the columns have not read, and the log pruned past it
        let moved = all_applications(app).await[0].clone();
        let mut row = moved.clone().into_active_model();
        row.sector = Set(Some("ev_power_electronics".to_owned()));
        row.indian_state = Set(Some("ka".to_owned()));
        row.update(&app.db).await.unwrap();
        // the instance's own last report goes out of the live window; one that has read past
        // the change holds nothing back
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        app.indexer.sync().await;
        let mark = app.indexer.status().mark;
        change_log::heartbeat(&app.db, "the-live-one", mark, search::SCHEMA_VERSION)
            .await
            .unwrap();
        let pruned = change_log::prune(
            &app.db,
            Retention {
                keep: std::time::Duration::ZERO,
                live: std::time::Duration::from_secs(1),
            },
        )
        .await
        .unwrap();
        assert!(pruned > 0, "the change's entry is pruned");

        // a view that shows the change (two filters: read from the columns) agrees with the rows
        let today = domain::time::japan_date(chrono::Utc::now());
        let view = DashboardFilters {
            sector: "ev_power_electronics".to_owned(),
            state: "ka".to_owned(),
            ..Default::default()
        };
        let from_rows = summary_from_rows(&app.db, &view, today).await.unwrap();
        assert!(
            from_rows.funnel[0].reached >= 1,
            "the view holds the moved application"
        );
        assert_eq!(
            summary(&app.db, columns, &view, today).await.unwrap(),
            from_rows
        );
    }
);
