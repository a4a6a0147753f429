//! "Oversikt meldinger og strategier": the council's overview table, kept
//! current from the crawl and edited by the secretariat, rendered for the
//! case papers.

pub mod case;
pub mod cells;
pub mod import;
pub mod model;
pub mod ops;
pub mod papers;
pub mod render;
pub mod sync;
pub mod view;

pub use model::{Cell, Column, Entry, EntryKind, Span, When};
