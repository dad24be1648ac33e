//! The engineer's journey: the dashboard of best matches, role search with the filters of
//! Japanese job boards, and the role page with its match explanation, visa routes and Apply.

pub mod api;
#[cfg(feature = "ssr")]
pub mod kept;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod paging;
#[cfg(feature = "ssr")]
pub mod server;
