//! What labs and vitals share: an observation's value in words, its reference range, and
//! its abnormal flag, taken from `interpretation` when the lab sent one and otherwise
//! computed from the reference range (never guessed when neither exists).
//!
//! `place` says where an observation is listed, `value` puts a value in words, `range`
//! picks and writes the reference range, `flag` says whether the value is abnormal.

mod flag;
mod panel;
mod place;
mod range;
mod value;

pub use flag::{Flag, FlagSource, computed_flag, interpretation_flag};
pub use panel::Panels;
pub use place::{Place, observation_section, place};
pub use range::{pick_range, range_text};
pub use value::show_value;

#[cfg(test)]
mod tests;
