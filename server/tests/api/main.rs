//! Integration tests: the whole app over HTTP, each test on its own SQLite file and again on its
//! own PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a panic is a failed test with its location

mod accounts;
mod applications;
mod authorisation;
mod career;
mod closing;
mod companies;
mod conversation;
mod devices;
mod facets;
mod helpers;
mod matrix;
mod members;
mod notices;
mod operations;
mod outbox;
mod pages;
mod pipeline;
mod profile_and_roles;
mod programme;
mod readiness;
mod recovery;
mod reminders;
mod replicas;
mod retention;
mod rights;
mod rollups;
mod search;
mod security;
mod verification;
