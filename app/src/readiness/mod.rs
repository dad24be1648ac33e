//! Visa readiness on an application: the Highly Skilled Professional points at the offer's
//! actual salary, the JLPT as declared and as certified, the Certificate of Eligibility
//! checklist from the offer on (each side ticks its own documents), and the candidate's
//! documents for the employer.

pub mod api;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod server;
