//! "Oversikt meldinger og strategier": the council's overview table, kept
//! current from the crawl and edited by the secretariat, rendered for the
//! case papers.

pub mod cells;
pub mod model;

pub use model::{Cell, Column, Entry, EntryKind, Span, When};
