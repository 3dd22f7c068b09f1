//! Text from servers, made safe and tidy for a terminal: the one sanitizer every server
//! string passes through before display, XHTML narrative to plain text, and display-width
//! aware padding and truncation for tables, and folding for accent-blind matching. No
//! terminal I/O here.

mod fold;
mod html;
mod sanitize;
mod width;

pub use fold::fold;
pub use html::html_to_text;
pub use sanitize::{clean_block, clean_line};
pub use width::{clean_width, display_width, fit, pad_to, truncate_to};
