//! Norwegian text: dates, document identifiers and label normalisation.
//!
//! Everything here is pure: strings in, typed values out.

pub mod dates;
pub mod ident;
pub mod text;

pub use dates::{find_date, format_date, parse_date};
pub use ident::Identifier;
pub use text::{clean_text, collapse_ws, fold_label};
