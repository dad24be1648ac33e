//! Mobility applications: an engineer applies to a role, both sides move it along the pipeline
//! (rules in `domain::pipeline`), and both follow the same timeline.

pub mod api;
mod drag;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
