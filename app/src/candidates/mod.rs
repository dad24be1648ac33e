//! The employer's view of the talent pool for a role: ranked candidates with the reasons for
//! each rank, search in Japanese or English, and invitations to apply.

pub mod api;
pub mod pages;
pub mod profile_page;
#[cfg(feature = "ssr")]
pub mod profile_server;
#[cfg(feature = "ssr")]
pub mod server;
