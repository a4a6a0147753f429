//! Property tests: no input makes the date, identifier, cell or HTML
//! parsers panic, and what they accept round-trips.

mod common;

use policywatch::norsk::{Identifier, format_date, parse_date};
use policywatch::overview::cells::parse_cell;
use policywatch::sources::regjeringen::feed::parse_feed;
use policywatch::sources::regjeringen::{parse_document, parse_list};
use proptest::prelude::*;
use url::Url;

fn base() -> Url {
    Url::parse("https://www.regjeringen.no/no/dokument/hoyringar/id1763/").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn dates_never_panic(s in "\\PC{0,40}") {
        let _ = parse_date(&s);
        let _ = policywatch::norsk::find_date(&s);
    }

    #[test]
    fn real_dates_round_trip(y in 1990i16..2100, m in 1i8..=12, d in 1i8..=28) {
        let date = jiff::civil::Date::new(y, m, d).unwrap();
        prop_assert_eq!(parse_date(&format_date(date)).unwrap(), date);
        prop_assert_eq!(parse_date(&format!("{d}.{m}.{y}")).unwrap(), date);
        const MONTHS: [&str; 12] = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"];
        let long = format!("{d}. {} {y}", MONTHS[(m - 1) as usize]);
        prop_assert_eq!(parse_date(&long).unwrap(), date);
    }

    #[test]
    fn identifiers_never_panic(s in "\\PC{0,60}") {
        let _ = Identifier::find_all(&s);
        let _ = s.parse::<Identifier>();
    }

    #[test]
    fn identifiers_round_trip(n in 1u16..200, y in 1990u16..2100, dash in prop::bool::ANY) {
        let nou: Identifier = format!("NOU {y}: {n}").parse().unwrap();
        prop_assert_eq!(nou.to_string().parse::<Identifier>().unwrap(), nou);
        let sep = if dash { "–" } else { "-" };
        let meld: Identifier = format!("Meld. St. {n} ({y}{sep}{})", y + 1).parse().unwrap();
        prop_assert_eq!(meld.to_string(), format!("Meld. St. {n} ({y}–{})", y + 1));
    }

    #[test]
    fn cells_never_panic(s in "\\PC{0,80}") {
        let _ = parse_cell(&s);
    }

    #[test]
    fn html_parsers_never_panic_on_garbage(s in "\\PC{0,300}") {
        let _ = parse_list(&s, &base());
        let _ = parse_document(&s, &base());
        let _ = parse_feed(s.as_bytes(), &base());
    }

    /// Real-shaped pages cut short and with bytes flipped: an error or a
    /// value, never a panic.
    #[test]
    fn html_parsers_never_panic_on_damaged_pages(cut in 0usize..4000, flips in prop::collection::vec((0usize..4000, any::<u8>()), 0..20)) {
        for name in ["list-closed.html", "nou-document.html", "hearing-closed.html"] {
            let mut bytes = common::fixture(name).into_bytes();
            for (at, b) in &flips {
                if !bytes.is_empty() {
                    let i = at % bytes.len();
                    bytes[i] = *b;
                }
            }
            bytes.truncate(cut.min(bytes.len()));
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse_list(&text, &base());
            let _ = parse_document(&text, &base());
            let _ = parse_feed(&bytes, &base());
        }
    }
}
