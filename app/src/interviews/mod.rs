//! Interviews between India and Japan: the employer proposes up to five times, the engineer
//! picks one, both get an `.ics` invitation; rescheduling (new times) and cancelling carry a
//! reason; a reminder goes a day before. Times are kept in UTC and shown in IST to the
//! engineer, JST to the employer, and the reader's own zone beside them when it is neither.
//! The rules are `domain::interview`'s.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ics;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod server;
