//! Norwegian dates: `03.07.2026`, `6.1.2025`, `6. januar 2025`,
//! `fredag 14. august 2026`, ISO `2026-07-03`, and the English site's
//! `06/06/2023`. A date is a calendar date (Europe/Oslo), with no time.

use jiff::civil::Date;
use std::sync::LazyLock;

use regex::Regex;

/// Month names in bokmål and nynorsk (they are the same words), with the
/// usual abbreviations. Index + 1 is the month number.
const MONTHS: [&[&str]; 12] = [
    &["januar", "jan"],
    &["februar", "feb", "febr"],
    &["mars", "mar"],
    &["april", "apr"],
    &["mai"],
    &["juni", "jun"],
    &["juli", "jul"],
    &["august", "aug"],
    &["september", "sep", "sept"],
    &["oktober", "okt"],
    &["november", "nov"],
    &["desember", "des"],
];

fn month_number(name: &str) -> Option<i8> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&name.as_str()))
        .map(|i| i as i8 + 1)
}

static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>\d{4})\b      # 03.07.2026, 6.1.2025
      | \b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b               # 2026-07-03
      | \b(?P<sd>\d{1,2})/(?P<sm>\d{1,2})/(?P<sy>\d{4})\b           # 06/06/2023
    ",
    )
    .expect("valid date regex")
});

static LONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<d>\d{1,2})\.?\s+(?P<m>[a-zæøå]{3,9}\.?)\s+(?P<y>\d{4})\b")
        .expect("valid long date regex")
});

/// A date the Norwegian way: `14.08.2026`.
pub fn format_date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month(), d.year())
}

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("ingen dato funnet i «{0}»")]
    NotFound(String),
    #[error("ugyldig dato «{0}»")]
    Invalid(String),
}

/// Parses a string that is a date and nothing else (surrounding whitespace
/// and a weekday name are allowed).
pub fn parse_date(s: &str) -> Result<Date, DateError> {
    let trimmed = s.trim();
    match find_date(trimmed)? {
        Some((date, range)) => {
            let rest = format!("{}{}", &trimmed[..range.start], &trimmed[range.end..]);
            let rest = rest.trim().trim_end_matches(',').trim().to_lowercase();
            if rest.is_empty() || is_weekday(&rest) || rest == "dato:" {
                Ok(date)
            } else {
                Err(DateError::Invalid(trimmed.to_string()))
            }
        }
        None => Err(DateError::NotFound(trimmed.to_string())),
    }
}

fn is_weekday(s: &str) -> bool {
    const DAYS: [&str; 10] = [
        "mandag", "tirsdag", "tysdag", "onsdag", "torsdag", "fredag", "lørdag", "laurdag",
        "søndag", "sundag",
    ];
    DAYS.contains(&s.trim_end_matches(','))
}

/// Finds the first date in a text ("Høringsfrist: 14.08.2026", "innen 1.
/// november 2026"). `Ok(None)` when the text holds no date at all;
/// `Err(Invalid)` when something shaped like a date is not a real one
/// (31.02.2026), so that a typo on the site is reported, not skipped.
/// Which of the two date forms was found first.
enum Pick<'a> {
    Numeric(regex::Captures<'a>),
    Long(regex::Captures<'a>),
}

pub fn find_date(s: &str) -> Result<Option<(Date, std::ops::Range<usize>)>, DateError> {
    let numeric = NUMERIC.captures(s);
    let long = LONG
        .captures_iter(s)
        .find(|c| month_number(&c["m"]).is_some());
    // Take whichever comes first in the text.
    let start = |c: &regex::Captures<'_>| c.get(0).map_or(usize::MAX, |m| m.start());
    let pick = match (numeric, long) {
        (Some(n), Some(l)) if start(&n) <= start(&l) => Pick::Numeric(n),
        (_, Some(l)) => Pick::Long(l),
        (Some(n), None) => Pick::Numeric(n),
        (None, None) => return Ok(None),
    };
    let (y, m, d, c) = match pick {
        Pick::Numeric(c) => {
            let g = |a: &str, b: &str, e: &str| {
                c.name(a)
                    .or_else(|| c.name(b))
                    .or_else(|| c.name(e))
                    .map(|m| m.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            (
                g("y", "iy", "sy"),
                g("m", "im", "sm"),
                g("d", "id", "sd"),
                c,
            )
        }
        Pick::Long(c) => {
            let m = c
                .name("m")
                .and_then(|m| month_number(m.as_str()))
                .map(|m| m.to_string())
                .unwrap_or_default();
            let g = |n: &str| {
                c.name(n)
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default()
            };
            (g("y"), m, g("d"), c)
        }
    };
    let Some(whole) = c.get(0) else {
        return Ok(None);
    };
    let bad = || DateError::Invalid(whole.as_str().to_string());
    let (y, m, d): (i16, i8, i8) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let date = Date::new(y, m, d).map_err(|_| bad())?;
    Ok(Some((date, whole.range())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn formats_norwegian_style() {
        assert_eq!(format_date(date(2026, 8, 4)), "04.08.2026");
    }

    #[test]
    fn numeric_forms() {
        assert_eq!(parse_date("03.07.2026"), Ok(date(2026, 7, 3)));
        assert_eq!(parse_date(" 6.1.2025 "), Ok(date(2025, 1, 6)));
        assert_eq!(parse_date("2026-07-03"), Ok(date(2026, 7, 3)));
        assert_eq!(parse_date("06/06/2023"), Ok(date(2023, 6, 6)));
        assert_eq!(parse_date("Dato: 03.07.2026"), Ok(date(2026, 7, 3)));
    }

    #[test]
    fn long_forms_bokmal_and_nynorsk() {
        assert_eq!(parse_date("6. januar 2025"), Ok(date(2025, 1, 6)));
        assert_eq!(parse_date("fredag 14. august 2026"), Ok(date(2026, 8, 14)));
        assert_eq!(parse_date("laurdag 1. mars 2025"), Ok(date(2025, 3, 1)));
        assert_eq!(parse_date("1. Desember 2026"), Ok(date(2026, 12, 1)));
        assert_eq!(parse_date("9. sept. 2026"), Ok(date(2026, 9, 9)));
    }

    #[test]
    fn finds_date_inside_text() {
        let (d, _) = find_date("Høyringsfrist: 14.08.2026").unwrap().unwrap();
        assert_eq!(d, date(2026, 8, 14));
        let (d, _) = find_date("NOU skal leveres innen 1. november 2026")
            .unwrap()
            .unwrap();
        assert_eq!(d, date(2026, 11, 1));
        assert_eq!(find_date("Høringsfrist ikke klar"), Ok(None));
    }

    #[test]
    fn rejects_impossible_and_unknown() {
        assert!(matches!(
            parse_date("31.02.2026"),
            Err(DateError::Invalid(_))
        ));
        assert!(matches!(parse_date("snart"), Err(DateError::NotFound(_))));
        assert!(matches!(
            parse_date("14. smarch 2026"),
            Err(DateError::NotFound(_))
        ));
        assert!(matches!(
            parse_date("03.07.2026 kl. 12"),
            Err(DateError::Invalid(_))
        ));
    }
}
