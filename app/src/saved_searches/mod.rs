//! Saved searches with alerts: an engineer keeps a role search, an employer a talent-pool
//! search; the page of saved searches says how many results are new since each was last
//! opened (asked of the index live, so a new match shows at once), and a digest e-mail goes
//! daily or weekly with the new results scoring at least the person's threshold. The rules
//! (what may be saved, when digests fall due) are `domain::saved_search`'s.

#[cfg(feature = "ssr")]
pub mod alerts;
pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
