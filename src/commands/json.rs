//! The `--json` contract: every command's JSON carries a `schema` number,
//! raised whenever a field changes meaning or goes away (adding a field
//! does not raise it). README "JSON output" documents the shapes.

/// The version of every command's JSON output.
pub const SCHEMA: u32 = 1;
