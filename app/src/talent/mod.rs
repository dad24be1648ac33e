//! The talent pool: employers of verified organisations (and administrators) search every
//! searchable engineer in any language, filter by skills with years, JLPT, state, experience,
//! salary wish, visa route and languages, see how many each filter value would find, and sort
//! by relevance or by fit to one of their roles.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
