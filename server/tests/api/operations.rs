//! Running several instances on one PostgreSQL database: what happens at the same time must not
//! break either.

use sea_orm::{ConnectionTrait, Database};

use crate::helpers::postgres_admin_url;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_at_once_migrate_one_after_the_other() {
    let admin_url = postgres_admin_url();
    let name = format!("setubashi_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Database::connect(&admin_url).await.unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let base = admin_url
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap();
    let url = format!("{base}/{name}");
    // four instances of a deploy start together on an empty database
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { app::db::connect_and_migrate(&url).await })
        })
        .collect();
    for start in starts {
        let db = start.await.unwrap().expect("every instance starts");
        db.close().await.unwrap();
    }
    let _ = admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await;
}
