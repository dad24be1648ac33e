//! Building blocks shared by every page: the page frame, form fields with their translated
//! errors, and the language switcher.

mod fields;
mod layout;
mod title;

pub use fields::*;
pub use layout::*;
pub use title::*;
