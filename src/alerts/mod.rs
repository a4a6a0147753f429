//! Alerts: from stored changes to messages, delivered exactly once per
//! recipient and channel, and the deadline calendar.

pub mod calendar;
pub mod channels;
pub mod deliver;
pub mod events;
pub mod messages;

pub use events::{Alert, AlertKind, DocFacts, derive_alerts, source_alerts};
