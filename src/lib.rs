//! policywatch: watches regjeringen.no's policy pipeline (høringer, NOU,
//! Meld. St., strategies) for the HelseOmsorg21 council.
//!
//! Data flows one way: fetch → parse → store (changes become events).
//! Parsers are pure functions; only [`store`] speaks SQL; [`commands`] wire
//! the stages together.

pub mod model;
pub mod norsk;
pub mod sources;
pub mod config;
pub mod fetch;
pub mod store;
