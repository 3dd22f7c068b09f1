//! Text from servers, made safe and tidy for a terminal: the one sanitizer every server
//! string passes through before display, XHTML narrative to plain text, and display-width
//! aware padding and truncation for tables. No terminal I/O here.

mod html;
mod sanitize;
mod width;

pub use html::html_to_text;
pub use sanitize::{clean_block, clean_line};
pub use width::{clean_width, display_width, fit, pad_to, truncate_to};
