//! Matching documents to the council's action-plan themes, explainably.
//!
//! Themes are configuration (`themes.toml`); the matcher is compiled once
//! from them and is a pure function from a document's text to a
//! [`Verdict`]: relevant or not, a score, and for every theme the terms
//! that hit and in which field. `crate::relevance` adds what the
//! store knows: a hearing takes the verdict of the document it is about.

pub mod engine;
pub mod text;
pub mod themes;

pub use engine::{DocText, Field, Hit, Matcher, ThemeScore, Verdict};
pub use themes::{Theme, ThemeError, ThemeSet};
