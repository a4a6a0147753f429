//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The folder of real regjeringen.no captures (`../shared/fixtures/regjeringen`
/// beside the repo, or `POLICYWATCH_FIXTURES`). They are third-party pages and
/// never committed; when absent the tests that need them say so and pass.
pub fn real_fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("POLICYWATCH_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/regjeringen")
        });
    if dir.join("hoyringar-list-id1763-2026-07-04.html").is_file() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: the real regjeringen.no captures are not at {} (set POLICYWATCH_FIXTURES)",
            dir.display()
        );
        None
    }
}

/// A hand-written fixture in `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
