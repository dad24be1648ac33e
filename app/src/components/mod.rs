//! Building blocks shared by every page: the page frame, form fields with their translated
//! errors, and the language switcher.

mod fields;
mod layout;
mod refine;
mod title;

pub use fields::*;
pub use layout::*;
pub use refine::*;
pub use title::*;
