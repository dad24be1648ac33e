//! Several server instances on one database, each with its own search index: what one saves,
//! the others find (or stop finding) within a second; an instance started later, or stopped
//! while others write, catches up; one away longer than the log keeps rows rebuilds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use app::indexing::change_log::{self, Mark, Retention};
use app::indexing::{Indexer, IndexerConfig};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{
    dictionary, new_client, spawn_app, spawn_instance, valid_role, verify_organisation_of, Backend,
    TestApp,
};
use crate::on_both_databases;

/// The bound for a save on one instance to be searchable on another.
const WITHIN: Duration = Duration::from_secs(1);

/// How long `check` took to pass, if it passed within `limit` (tried every 10 ms).
async fn passes_within<F, Fut>(limit: Duration, check: F) -> Option<Duration>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    loop {
        if check().await {
            return Some(started.elapsed());
        }
        if started.elapsed() > limit {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn ids(results: &Value) -> Vec<i64> {
    let results = results.get("results").unwrap_or(results);
    results
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The roles an anonymous visitor finds on `instance` for `query`.
async fn roles_found(instance: &TestApp, query: &str) -> Vec<i64> {
    let found = new_client()
        .get(instance.url(&format!("/api/v1/roles?q={query}")))
        .send()
        .await
        .unwrap();
    ids(&found.json().await.unwrap())
}

/// The engineers `employer` (signed in, verified) finds on `instance` for `query`.
async fn engineers_found(instance: &TestApp, employer: &Client, query: &str) -> Vec<i64> {
    let found = employer
        .get(instance.url(&format!("/api/v1/engineers?q={query}")))
        .send()
        .await
        .unwrap();
    ids(&found.json().await.unwrap())
}

async fn assert_everywhere(
    instances: &[&TestApp],
    what: &str,
    check: impl AsyncFn(&TestApp) -> bool,
) {
    for (n, instance) in instances.iter().enumerate() {
        let took = passes_within(WITHIN, || check(instance)).await;
        assert!(
            took.is_some(),
            "{what}: not so on instance {n} within {WITHIN:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_instance_saves_the_others_find_within_a_second() {
    let a = spawn_app(Backend::Postgres).await;
    let b = spawn_instance(&a).await;
    // sessions live in the database, so one client is signed in on every instance
    let employer = a.client.clone();
    let signed_up = a.sign_up_employer("two-instances@example.jp").await;
    verify_organisation_of(&a, &signed_up).await;
    let organisation = signed_up["organisation_id"].as_i64().unwrap() as i32;

    // a role posted through B is found on A, and one posted through A on B
    let mut posted = Vec::new();
    for (through, title) in [
        (&b, "Battery firmware lead"),
        (&a, "Lithography process lead"),
    ] {
        let mut role = valid_role();
        role["title_en"] = json!(title);
        let created = employer
            .post(through.url("/api/v1/roles"))
            .json(&role)
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        posted.push(
            created.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    assert_everywhere(&[&a, &b], "both roles are found", async |i| {
        let (firmware, lithography) = (
            roles_found(i, "firmware").await,
            roles_found(i, "lithography").await,
        );
        firmware.contains(&posted[0]) && lithography.contains(&posted[1])
    })
    .await;

    // a profile saved through B is found by the employer on A; hidden through A, gone on B
    let engineer = new_client();
    let user: Value = engineer
        .post(b.url("/api/v1/users"))
        .json(&json!({"email": "replica-engineer@example.in", "password": crate::helpers::STRONG_PASSWORD, "role": "engineer", "display_name": "Anjali"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let engineer_id = user["id"].as_i64().unwrap();
    let profile = |searchable: bool| {
        json!({"full_name": "Anjali Rao", "headline": "Photolithography yield engineer",
               "years_experience": 7, "searchable": searchable,
               "skills": [{"skill": "Python", "years": 4}]})
    };
    for (through, searchable) in [(&b, true), (&a, false)] {
        let saved = engineer
            .put(through.url("/api/v1/me/profile"))
            .json(&profile(searchable))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), StatusCode::OK);
        assert_everywhere(
            &[&a, &b],
            &format!("the profile is found: {searchable}"),
            async |i| {
                engineers_found(i, &employer, "photolithography")
                    .await
                    .contains(&engineer_id)
                    == searchable
            },
        )
        .await;
    }

    // a role closed through B is gone on A
    let mut closed = valid_role();
    closed["title_en"] = json!("Battery firmware lead");
    closed["is_open"] = json!(false);
    let put = employer
        .put(b.url(&format!("/api/v1/roles/{}", posted[0])))
        .json(&closed)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), StatusCode::OK);
    assert_everywhere(&[&a, &b], "the closed role is gone", async |i| {
        !roles_found(i, "firmware").await.contains(&posted[0])
    })
    .await;

    // the organisation's verification withdrawn on B: its roles go everywhere; restored on A
    for (through, verified) in [(&b, false), (&a, true)] {
        app::organisation::server::set_verified(&through.db, None, organisation, verified)
            .await
            .unwrap();
        assert_everywhere(
            &[&a, &b],
            &format!("the roles follow the verification: {verified}"),
            async |i| roles_found(i, "lithography").await.contains(&posted[1]) == verified,
        )
        .await;
    }

    // a third instance started now fills its new index and agrees with the database
    let c = spawn_instance(&a).await;
    let caught_up = passes_within(Duration::from_secs(20), || async {
        c.indexer.status().caught_up
    })
    .await;
    assert!(caught_up.is_some(), "the third instance never caught up");
    for instance in [&a, &b, &c] {
        instance.indexer.sync().await;
        let report = app::indexing::verify(&instance.db, &instance.search)
            .await
            .unwrap();
        assert!(report.matches(), "{report:?}");
        assert_eq!((report.profiles, report.roles), (0, 1));
    }
    for instance in [b, c] {
        instance.cleanup().await;
    }
    a.cleanup().await;
}

/// An index on disk followed by an indexer of its own (no web server): a stopped and restarted
/// instance. Waits until it has caught up.
async fn follow(app: &TestApp, dir: &std::path::Path, config: Option<IndexerConfig>) -> Replica {
    // the previous run's writer lets go of the directory within a poll
    let index = loop {
        match search::SearchIndex::open_or_create(
            dir,
            dictionary(),
            domain::skills::Taxonomy::builtin(),
        ) {
            Ok((index, _)) => break Arc::new(index),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    };
    let config = config.unwrap_or_else(|| IndexerConfig::for_index(&index));
    let indexer = Indexer::start_with(app.db.clone(), Arc::clone(&index), config);
    let caught_up = passes_within(Duration::from_secs(30), || async {
        indexer.status().caught_up
    })
    .await;
    assert!(caught_up.is_some(), "the replica never caught up");
    Replica { index, indexer }
}

struct Replica {
    index: Arc<search::SearchIndex>,
    indexer: Arc<Indexer>,
}

impl Replica {
    /// Stops the replica as a stopped process would be: its writer task has ended (it ends
    /// within a poll of its last handle going) and its index is closed.
    async fn stop(self) {
        let Replica { index, indexer } = self;
        drop(indexer);
        let stopped = passes_within(Duration::from_secs(5), || async {
            Arc::strong_count(&index) == 1
        })
        .await;
        assert!(stopped.is_some(), "the writer task did not end");
    }
}

/// Creates `count` searchable engineer profiles, from eight writers at once whose transactions
/// interleave; returns their ids.
async fn many_profiles(app: &TestApp, count: usize, tag: &str) -> Vec<i32> {
    let taxonomy = domain::skills::Taxonomy::builtin();
    let profile = domain::profile::ProfileDraft {
        full_name: "Replica Engineer".into(),
        headline: format!("semiconductor verification engineer {tag}"),
        years_experience: "5".into(),
        searchable: Some("on".into()),
        ..Default::default()
    }
    .parse(&taxonomy)
    .unwrap();
    let writers: Vec<_> = (0..8)
        .map(|writer| {
            let (db, profile, tag) = (app.db.clone(), profile.clone(), tag.to_owned());
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for n in (writer..count).step_by(8) {
                    let user = server::seed::engineer_without_password(
                        &db,
                        &format!("replica-{tag}-{n}@example.in"),
                        &format!("Engineer {n}"),
                    )
                    .await
                    .unwrap();
                    app::profile::server::save(&db, user, &profile)
                        .await
                        .unwrap();
                    ids.push(user);
                }
                ids
            })
        })
        .collect();
    let mut ids = Vec::new();
    for writer in writers {
        ids.extend(writer.await.unwrap());
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_stopped_while_a_thousand_changes_are_made_catches_up_with_nothing_missed() {
    let a = spawn_app(Backend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let stopped = follow(&a, dir.path(), None).await;
    let mark_before = stopped.indexer.status().mark;
    stopped.stop().await;

    let made = many_profiles(&a, 1_000, "while-away").await;
    assert_eq!(made.len(), 1_000);

    let restarted = follow(&a, dir.path(), None).await;
    let status = restarted.indexer.status();
    assert!(!status.rebuilding);
    assert!(
        status.applied >= 1_000,
        "caught up from the log, not rebuilt: {status:?}"
    );
    assert!(status.mark > mark_before);
    let report = app::indexing::verify(&a.db, &restarted.index)
        .await
        .unwrap();
    assert!(report.matches(), "{report:?}");
    assert_eq!(report.profiles, 1_000);
    restarted.stop().await;
    a.cleanup().await;
}

on_both_databases!(
    the_log_is_pruned_below_every_live_mark_and_an_instance_away_too_long_rebuilds,
    async |app: &TestApp| {
        let dir = tempfile::tempdir().unwrap();
        let away = follow(app, dir.path(), None).await;
        let away_mark = away.indexer.status().mark;
        away.stop().await;
        many_profiles(app, 40, "pruned").await;

        // the away instance's last report goes out of the live window; a round after that
        // brings the app's own instance's mark past every row written
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        app.indexer.sync().await;
        let live_mark = app.indexer.status().mark;
        change_log::heartbeat(&app.db, "the-live-one", live_mark, search::SCHEMA_VERSION)
            .await
            .unwrap();
        let pruned = change_log::prune(
            &app.db,
            Retention {
                keep: Duration::ZERO,
                live: Duration::from_secs(1),
            },
        )
        .await
        .unwrap();
        assert!(pruned >= 40, "pruned {pruned}");
        let floor = change_log::floor(&app.db).await.unwrap();
        assert!(floor > away_mark, "{floor:?} {away_mark:?}");
        assert!(
            floor <= live_mark,
            "nothing the live instance lacks is gone"
        );
        // what is left is what the live instance has not yet passed
        let (left, _) = change_log::pending(&app.db, Mark(0)).await.unwrap();
        let (above, _) = change_log::pending(&app.db, live_mark).await.unwrap();
        assert_eq!(left, above);

        // the instance that was away cannot follow the log any more: it rebuilds, and agrees
        let back = follow(app, dir.path(), None).await;
        let status = back.indexer.status();
        assert_eq!(status.applied, 0, "rebuilt from the tables: {status:?}");
        assert!(status.mark >= floor);
        let report = app::indexing::verify(&app.db, &back.index).await.unwrap();
        assert!(report.matches(), "{report:?}");
        assert_eq!(report.profiles, 40);
        back.stop().await;
    }
);

/// A new, empty index on disk (with the directory that holds it, kept as long as it is used).
fn empty_index() -> (tempfile::TempDir, Arc<search::SearchIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let (index, _) = search::SearchIndex::open_or_create(
        dir.path(),
        dictionary(),
        domain::skills::Taxonomy::builtin(),
    )
    .unwrap();
    (dir, Arc::new(index))
}

on_both_databases!(
    a_rebuild_over_a_full_index_holds_each_record_once_and_verify_finds_a_record_held_twice,
    async |app: &TestApp| {
        let made = many_profiles(app, 30, "rebuilt").await;
        let (_dir, index) = empty_index();
        // twice: the second rebuild adds every record again to an index that holds them all
        for _ in 0..2 {
            let (profiles, _) = app::indexing::rebuild(&app.db, &index, |_, _| {})
                .await
                .unwrap();
            assert_eq!(profiles, made.len());
            let report = app::indexing::verify(&app.db, &index).await.unwrap();
            assert!(report.matches(), "{report:?}");
            assert_eq!(index.count(search::Kind::Engineer).unwrap(), made.len());
        }

        // the check can fail: a record added twice (and the others not at all) is reported
        let again = search::ProfileDoc {
            id: made[0],
            text: "Replica Engineer".to_owned(),
            ..Default::default()
        };
        let mut refill = index.refill().unwrap();
        refill.add_profile(&again).unwrap();
        refill.add_profile(&again).unwrap();
        refill.finish(&Mark(0).payload()).unwrap();
        let report = app::indexing::verify(&app.db, &index).await.unwrap();
        assert!(!report.matches());
        assert_eq!(report.differences[0].duplicated, vec![made[0]]);
        let mut others: Vec<i32> = made[1..].to_vec();
        others.sort_unstable();
        assert_eq!(report.differences[0].missing, others);
        assert!(report.differences[0].extra.is_empty());
    }
);

on_both_databases!(
    a_rebuild_whose_reads_fail_part_way_publishes_nothing_and_the_index_keeps_its_last_commit,
    async |app: &TestApp| {
        use sea_orm::ConnectionTrait;
        let made = many_profiles(app, 12, "cut-short").await;
        let signed_up = app.sign_up_employer("cut-short@example.jp").await;
        verify_organisation_of(app, &signed_up).await;
        let posted = app
            .client
            .post(app.url("/api/v1/roles"))
            .json(&valid_role())
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), StatusCode::CREATED);
        let (_dir, index) = empty_index();
        app::indexing::rebuild(&app.db, &index, |_, _| {})
            .await
            .unwrap();
        let whole = app::indexing::verify(&app.db, &index).await.unwrap();
        assert!(whole.matches(), "{whole:?}");
        assert_eq!((whole.profiles, whole.roles), (made.len(), 1));
        let payload = index.last_payload().unwrap();

        // the profiles are read and indexed, then reading the roles fails
        app.db
            .execute_unprepared("ALTER TABLE role_skills RENAME TO role_skills_away")
            .await
            .unwrap();
        let cut_short = app::indexing::rebuild(&app.db, &index, |_, _| {}).await;
        app.db
            .execute_unprepared("ALTER TABLE role_skills_away RENAME TO role_skills")
            .await
            .unwrap();
        assert!(cut_short.is_err(), "{cut_short:?}");
        assert_eq!(
            index.last_payload().unwrap(),
            payload,
            "nothing was committed"
        );

        // the next commit (the indexer applying a change) publishes nothing of the emptied,
        // half-filled index: the roles are all still there
        index.commit().unwrap();
        let after = app::indexing::verify(&app.db, &index).await.unwrap();
        assert!(after.matches(), "{after:?}");
        assert_eq!(index.count(search::Kind::Role).unwrap(), 1);
        // and the next rebuild succeeds
        app::indexing::rebuild(&app.db, &index, |_, _| {})
            .await
            .unwrap();
        assert!(app::indexing::verify(&app.db, &index)
            .await
            .unwrap()
            .matches());
    }
);

#[tokio::test]
async fn a_binary_refuses_a_database_migrated_by_a_newer_version() {
    use sea_orm::ConnectionTrait;
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("db.sqlite3").display()
    );
    let db = app::db::connect_and_migrate(&url).await.unwrap();
    db.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20990101_000001_from_the_future', 0)",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    let refused = app::db::connect_and_migrate(&url).await.err();
    assert!(
        refused.is_some_and(|e| e.to_string().contains("m20990101_000001_from_the_future")),
        "an older binary must not serve a schema it does not know"
    );
}
