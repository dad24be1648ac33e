//! Checks an index against the database: the same searchable profiles and open roles, by id.
//! For operators (`server verify-index`) and for the tests that kill instances mid-write.

use std::collections::BTreeSet;
use std::sync::Arc;

use sea_orm::ConnectionTrait;
use search::{Kind, SearchIndex};

use super::documents::{every_document_by_page, search_failed, Page};
use crate::error::AppResult;

/// Where an index and the database disagree, for one kind of record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub kind: Kind,
    /// In the database (may be found) but not in the index.
    pub missing: Vec<i32>,
    /// In the index but not (or no longer) findable in the database.
    pub extra: Vec<i32>,
    /// In the index more than once (a record added twice: searches would show it twice).
    pub duplicated: Vec<i32>,
}

/// What the database says may be found, and where the index differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub profiles: usize,
    pub roles: usize,
    pub differences: Vec<Difference>,
}

impl Verification {
    pub fn matches(&self) -> bool {
        self.differences.is_empty()
    }
}

/// Compares the index's documents with what the database says may be found.
pub async fn verify(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
) -> AppResult<Verification> {
    // read a page at a time, as a rebuild does: only the ids are kept
    let (pages, mut receive) = tokio::sync::mpsc::channel(2);
    let read = async move { every_document_by_page(db, 5_000, &pages).await };
    let collect = async {
        let (mut profiles, mut roles) = (BTreeSet::new(), BTreeSet::new());
        while let Some(page) = receive.recv().await {
            match page {
                Page::Profiles(docs) => profiles.extend(docs.iter().map(|p| p.id)),
                Page::Roles(docs) => roles.extend(docs.iter().map(|r| r.id)),
            }
        }
        (profiles, roles)
    };
    let (read, (profiles, roles)) = tokio::join!(read, collect);
    read?;
    let (profile_count, role_count) = (profiles.len(), roles.len());
    let expected = [(Kind::Engineer, profiles), (Kind::Role, roles)];
    let mut differences = Vec::new();
    for (kind, wanted) in expected {
        let mut held = BTreeSet::new();
        let mut duplicated = BTreeSet::new();
        for id in index.ids(kind).map_err(search_failed)? {
            if !held.insert(id) {
                duplicated.insert(id);
            }
        }
        let missing: Vec<i32> = wanted.difference(&held).copied().collect();
        let extra: Vec<i32> = held.difference(&wanted).copied().collect();
        if !missing.is_empty() || !extra.is_empty() || !duplicated.is_empty() {
            differences.push(Difference {
                kind,
                missing,
                extra,
                duplicated: duplicated.into_iter().collect(),
            });
        }
    }
    Ok(Verification {
        profiles: profile_count,
        roles: role_count,
        differences,
    })
}
