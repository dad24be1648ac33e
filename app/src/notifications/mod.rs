//! In-app notifications: stage changes, new applications and invitations, with unread counts.

pub mod api;
pub mod page;
#[cfg(feature = "ssr")]
pub mod server;
