//! Building blocks shared by every page: the page frame, form fields with their translated
//! errors, and the language switcher.

mod fields;
mod layout;

pub use fields::*;
pub use layout::*;
