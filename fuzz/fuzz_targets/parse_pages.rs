#![no_main]
//! Any bytes, read as a list page, a document page, a feed and a table
//! cell: an error or a value, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let base = url::Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap();
    let text = String::from_utf8_lossy(data);
    let _ = policywatch::sources::regjeringen::parse_list(&text, &base);
    let _ = policywatch::sources::regjeringen::parse_document(&text, &base);
    let _ = policywatch::sources::rss::parse_feed(data, &base);
    let _ = policywatch::overview::cells::parse_cell(&text);
    let _ = policywatch::norsk::parse_date(&text);
});
