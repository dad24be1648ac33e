//! Account recovery and outgoing mail: a reset link by e-mail that works once and ends every
//! session, changing a password, and mail jobs sent once each by several senders, retried after
//! a failure.

use app::db::entities::mail_job;
use app::mail::sender::{self, send_due};
use app::mail::transport::Transport;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

use crate::helpers::{new_client, spawn_app, Backend, TestApp, STRONG_PASSWORD};
use crate::on_both_databases;

const NEW_PASSWORD: &str = "a fresh passphrase for Setubashi 2027";

fn demo_from() -> lettre::message::Mailbox {
    "Setubashi <no-reply@setubashi.localhost>".parse().unwrap()
}

/// The messages queued, but for the address verification every sign-up sends.
async fn jobs(app: &TestApp) -> Vec<mail_job::Model> {
    mail_job::Entity::find()
        .filter(mail_job::Column::Kind.ne("verify_email"))
        .order_by_asc(mail_job::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The reset token in a queued message's text.
fn token_in(job: &mail_job::Model) -> String {
    let start = job.body_text.find("token=").expect("a link with a token") + "token=".len();
    job.body_text[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

async fn status_of(app: &TestApp, client: &reqwest::Client, path: &str) -> StatusCode {
    client.get(app.url(path)).send().await.unwrap().status()
}

on_both_databases!(
    a_forgotten_password_is_reset_by_a_link_that_works_once_and_ends_every_session,
    async |app: &TestApp| {
        let user = app.sign_up_engineer("forgetful@example.in").await;
        assert_eq!(
            status_of(app, &app.client, "/api/v1/me").await,
            StatusCode::OK
        );

        // the same answer whether or not the address has an account
        let mut answers = Vec::new();
        for email in ["Forgetful@Example.in", "nobody-here@example.in"] {
            let response = new_client()
                .post(app.url("/api/v1/password-reset"))
                .json(&json!({ "email": email }))
                .send()
                .await
                .unwrap();
            answers.push((response.status(), response.text().await.unwrap()));
        }
        assert_eq!(answers[0], answers[1]);
        assert_eq!(answers[0].0, StatusCode::ACCEPTED);
        // what is not an address at all is said to be so, as at sign-up
        let typo = new_client()
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({ "email": "forgetful at example.in" }))
            .send()
            .await
            .unwrap();
        assert_eq!(typo.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = typo.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "email");
        let queued = jobs(app).await;
        assert_eq!(
            queued.len(),
            1,
            "a message only to the address with an account"
        );
        let reset = &queued[0];
        assert_eq!(reset.kind, "password_reset");
        assert_eq!(reset.to_address, "forgetful@example.in");
        assert_eq!(reset.user_id, user["id"].as_i64().map(|id| id as i32));
        assert!(reset.body_text.contains(&app.url("/reset-password?token=")));
        let token = token_in(reset);
        assert_eq!(token.len(), 64);
        // only a hash of the token is kept
        let stored: Vec<String> = app::db::entities::account_token::Entity::find()
            .filter(app::db::entities::account_token::Column::Purpose.eq("password_reset"))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.token_hash)
            .collect();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0], token);

        // the demo's transport writes it to the mailbox directory
        let mailbox = tempfile::tempdir().unwrap();
        let transport = Transport::from_config(None, mailbox.path().to_path_buf()).unwrap();
        // the sign-up's address verification, and the reset link
        assert_eq!(
            send_due(&app.db, &transport, &demo_from()).await.unwrap(),
            2
        );
        let files: Vec<_> = std::fs::read_dir(mailbox.path()).unwrap().collect();
        assert_eq!(files.len(), 2);
        let sent = mail_job::Entity::find_by_id(reset.id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((sent.status.as_str(), sent.attempts), (sender::SENT, 1));

        let confirm = |token: String, password: &'static str| {
            let url = app.url("/api/v1/password-reset/confirm");
            async move {
                new_client()
                    .post(url)
                    .json(&json!({ "token": token, "password": password }))
                    .send()
                    .await
                    .unwrap()
            }
        };
        // a refused password keeps the link usable
        let weak = confirm(token.clone(), "password").await;
        assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = weak.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "password");
        assert_eq!(
            confirm(token.clone(), NEW_PASSWORD).await.status(),
            StatusCode::NO_CONTENT
        );

        // every session ended; the old password is gone, the new one works
        assert_eq!(
            status_of(app, &app.client, "/api/v1/me").await,
            StatusCode::UNAUTHORIZED
        );
        let log_in = |password: &'static str| {
            let url = app.url("/api/v1/session");
            async move {
                new_client()
                    .post(url)
                    .json(&json!({"email": "forgetful@example.in", "password": password}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(log_in(STRONG_PASSWORD).await, StatusCode::UNAUTHORIZED);
        assert_eq!(log_in(NEW_PASSWORD).await, StatusCode::OK);

        // the link worked once
        let again = confirm(token, NEW_PASSWORD).await;
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = again.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "token");
        // and the person is told their password changed
        let kinds: Vec<String> = jobs(app).await.into_iter().map(|j| j.kind).collect();
        assert_eq!(kinds, vec!["password_reset", "password_changed"]);
    }
);

on_both_databases!(
    a_reset_link_expires_after_thirty_minutes,
    async |app: &TestApp| {
        app.sign_up_engineer("late@example.in").await;
        let asked = new_client()
            .post(app.url("/api/v1/password-reset"))
            .json(&json!({"email": "late@example.in"}))
            .send()
            .await
            .unwrap();
        assert_eq!(asked.status(), StatusCode::ACCEPTED);
        let token = token_in(&jobs(app).await[0]);
        let stored = app::db::entities::account_token::Entity::find()
            .filter(app::db::entities::account_token::Column::Purpose.eq("password_reset"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let minutes = (stored.expires_at - stored.created_at).num_minutes();
        assert_eq!(minutes, app::auth::recovery::RESET_MINUTES);
        app::db::entities::account_token::Entity::update_many()
            .col_expr(
                app::db::entities::account_token::Column::ExpiresAt,
                (chrono::Utc::now() - chrono::Duration::seconds(1)).into(),
            )
            .exec(&app.db)
            .await
            .unwrap();
        let late = new_client()
            .post(app.url("/api/v1/password-reset/confirm"))
            .json(&json!({"token": token, "password": NEW_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
);

on_both_databases!(
    changing_a_password_needs_the_current_one_and_signs_out_every_other_session,
    async |app: &TestApp| {
        app.sign_up_engineer("changer@example.in").await;
        let elsewhere = new_client();
        let signed_in = elsewhere
            .post(app.url("/api/v1/session"))
            .json(&json!({"email": "changer@example.in", "password": STRONG_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(signed_in.status(), StatusCode::OK);

        let change = |current: &'static str| async move {
            app.put_json(
                "/api/v1/me/password",
                &json!({"current_password": current, "new_password": NEW_PASSWORD}),
            )
            .await
        };
        let wrong = change("not my password at all").await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body: Value = wrong.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "current_password");
        assert!(jobs(app).await.is_empty());

        assert_eq!(
            change(STRONG_PASSWORD).await.status(),
            StatusCode::NO_CONTENT
        );
        // this device stays signed in; the other is signed out
        assert_eq!(
            status_of(app, &app.client, "/api/v1/me").await,
            StatusCode::OK
        );
        assert_eq!(
            status_of(app, &elsewhere, "/api/v1/me").await,
            StatusCode::UNAUTHORIZED
        );
        let told: Vec<String> = jobs(app).await.into_iter().map(|j| j.kind).collect();
        assert_eq!(told, vec!["password_changed"]);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_senders_send_each_message_exactly_once() {
    let app = spawn_app(Backend::Postgres).await;
    for n in 0..60 {
        let mut message = app::mail::compose::password_changed(
            domain::language::UiLanguage::Ja,
            0,
            &format!("person-{n}@example.in"),
            "Sato",
        );
        message.user_id = None;
        app::mail::queue(&app.db, message).await.unwrap();
    }
    let mailbox = tempfile::tempdir().unwrap();
    // two instances: their own connection pools, one mailbox to count what arrives
    let other = app::db::connect_and_migrate(&app.postgres_url().unwrap())
        .await
        .unwrap();
    let senders = [app.db.clone(), other].map(|db| {
        let dir = mailbox.path().to_path_buf();
        tokio::spawn(async move {
            let transport = Transport::from_config(None, dir).unwrap();
            let mut sent = 0;
            loop {
                match send_due(&db, &transport, &demo_from()).await.unwrap() {
                    0 => return sent,
                    n => sent += n,
                }
            }
        })
    });
    let mut total = 0;
    let mut each = Vec::new();
    for sender in senders {
        let sent = sender.await.unwrap();
        each.push(sent);
        total += sent;
    }
    assert_eq!(total, 60, "{each:?}");
    assert_eq!(std::fs::read_dir(mailbox.path()).unwrap().count(), 60);
    let all = jobs(&app).await;
    assert!(all
        .iter()
        .all(|j| j.status == sender::SENT && j.attempts == 1));
    app.cleanup().await;
}

on_both_databases!(
    a_message_that_cannot_be_sent_is_retried_later_and_the_error_kept,
    async |app: &TestApp| {
        let mut message = app::mail::compose::password_changed(
            domain::language::UiLanguage::Hi,
            0,
            "retry@example.in",
            "Asha",
        );
        message.user_id = None;
        app::mail::queue(&app.db, message).await.unwrap();
        // a mailbox that is a file, not a directory: every write fails
        let blocked = tempfile::NamedTempFile::new().unwrap();
        let transport = Transport::Files(lettre::AsyncFileTransport::new(blocked.path()));
        assert_eq!(
            send_due(&app.db, &transport, &demo_from()).await.unwrap(),
            0
        );
        let job = mail_job::Entity::find()
            .filter(mail_job::Column::ToAddress.eq("retry@example.in"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(job.status, sender::QUEUED);
        assert_eq!(job.attempts, 1);
        assert!(job.last_error.is_some());
        assert!(job.next_attempt_at > chrono::Utc::now() + chrono::Duration::seconds(50));
        // not due yet: nothing is claimed again before its time
        let working = tempfile::tempdir().unwrap();
        let transport = Transport::from_config(None, working.path().to_path_buf()).unwrap();
        assert_eq!(
            send_due(&app.db, &transport, &demo_from()).await.unwrap(),
            0
        );
    }
);

on_both_databases!(
    a_date_of_birth_can_be_corrected_and_removed,
    async |app: &TestApp| {
        app.sign_up_engineer("birthday@example.in").await;
        let profile = |born: Option<&str>| {
            let mut body = json!({"full_name": "Ravi Kumar", "years_experience": 4});
            if let Some(born) = born {
                body["date_of_birth"] = json!(born);
            }
            body
        };
        for (sent, kept) in [
            (Some("1994-03-02"), json!("1994-03-02")),
            (Some("1995-03-02"), json!("1995-03-02")),
            (None, Value::Null),
        ] {
            let saved = app.put_json("/api/v1/me/profile", &profile(sent)).await;
            assert_eq!(saved.status(), StatusCode::OK);
            let read: Value = app.get("/api/v1/me/profile").await.json().await.unwrap();
            assert_eq!(read["date_of_birth"], kept, "after sending {sent:?}");
        }
    }
);
