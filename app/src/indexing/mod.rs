//! Keeps each instance's search index derived from the database.
//!
//! Every save appends a row to the change log ([`change_log`]) in its own transaction; each
//! instance's [`Indexer`] follows the log into its own index, records how far it got in the
//! index's commit, and rebuilds from the tables ([`rebuild`]) when it cannot follow. See
//! ARCHITECTURE.md, "Search: one index per instance".

pub mod change_log;
mod documents;
mod indexer;
mod verify;

pub use change_log::{record as enqueue, Queued};
pub use documents::{days_since_epoch, engineer_facts, join_texts, role_facts, skill_years};
pub use indexer::{rebuild, IndexStatus, Indexer, IndexerConfig};
pub use verify::{verify, Difference, Verification};
