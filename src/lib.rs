//! policywatch: watches regjeringen.no's policy pipeline (høringer, NOU,
//! Meld. St., strategies) for the HelseOmsorg21 council.
//!
//! Data flows one way: fetch → parse → store (changes become events).
//! Parsers are pure functions; only [`store`] speaks SQL; [`commands`] wire
//! the stages together.

pub mod alerts;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod crawl;
pub mod escape;
pub mod fetch;
pub mod job;
pub mod matching;
pub mod meetings;
pub mod model;
pub mod norsk;
pub mod overview;
pub mod sources;
pub mod store;
