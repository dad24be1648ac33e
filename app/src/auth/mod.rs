//! Accounts: sign-up, log-in, log-out and the signed-in user.

pub mod api;
#[cfg(feature = "ssr")]
pub mod limits;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod server;
