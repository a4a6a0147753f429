//! policywatch: watches the government's policy pipeline (høringer, NOU,
//! Meld. St., strategies) for the HelseOmsorg21 council.
//!
//! Data flows one way: fetch → source (parse) → store (changes become
//! events) → match → overview → alerts and outputs. Each site policywatch
//! reads is a folder under [`sources`]; parsers and renderers are pure;
//! only [`store`] speaks SQL; [`commands`] wire the stages together and
//! end in one [`Error`].

pub mod alerts;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod crawl;
pub mod error;
pub mod escape;
pub mod fetch;
pub mod job;
pub mod matching;
pub mod meetings;
pub mod model;
pub mod norsk;
pub mod overview;
pub mod relevance;
pub mod sources;
pub mod store;
pub mod web;

pub use error::{Error, ErrorKind, Exit, Result};
