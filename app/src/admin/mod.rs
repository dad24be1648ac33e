//! The programme administrators' area: the dashboard against the 50,000 target, employer
//! verification, users, the audit log, the outgoing mail and the programme's settings. Every page and server
//! function requires an administrator.

pub mod api;
pub mod charts;
#[cfg(feature = "ssr")]
pub mod outbox;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod stats;
