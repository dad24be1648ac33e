//! The message thread of an application, between the engineer and the organisation's members:
//! text in any language (its language detected and kept), a PDF attachment at most, read
//! receipts, a notification (and its e-mail) to the other side. Nobody else learns the thread
//! exists: another organisation or engineer is told the application does not exist, and an
//! administrator reads it only through the audited detail view.

pub mod api;
#[cfg(feature = "ssr")]
pub mod server;
pub mod thread;
