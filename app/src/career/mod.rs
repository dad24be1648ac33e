//! The engineer's education, employment history and qualifications (`domain::career`): the
//! rows a 履歴書 and a 職務経歴書 are written from, and what the points count.

pub mod api;
pub mod documents_page;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
