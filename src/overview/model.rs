//! The overview table as data: rows of cells, each cell a rich text as the
//! secretariat writes it (with links) and the typed entries read from it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use crate::model::Column;

/// A run of text, maybe a link, maybe in italics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub italic: bool,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            link: None,
            italic: false,
        }
    }

    pub fn link(text: impl Into<String>, url: impl Into<String>) -> Span {
        Span {
            text: text.into(),
            link: Some(url.into()),
            italic: false,
        }
    }
}

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "precision", rename_all = "snake_case")]
pub enum When {
    Day {
        date: Date,
    },
    Month {
        year: i16,
        month: i8,
    },
    /// 1. or 2. halvår.
    Half {
        year: i16,
        half: i8,
    },
    Season {
        year: i16,
        season: Season,
    },
    Year {
        year: i16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

impl When {
    /// The first and last day the expression can mean. Spring is March to
    /// June, autumn August to December, as the council uses the words.
    pub fn window(self) -> (Date, Date) {
        let d = |y: i16, m: i8, day: i8| Date::new(y, m, day).unwrap_or_default();
        let last = |y: i16, m: i8| d(y, m, 1).last_of_month();
        match self {
            When::Day { date } => (date, date),
            When::Month { year, month } => (d(year, month, 1), last(year, month)),
            When::Half { year, half: 1 } => (d(year, 1, 1), d(year, 6, 30)),
            When::Half { year, .. } => (d(year, 7, 1), d(year, 12, 31)),
            When::Season { year, season } => match season {
                Season::Spring => (d(year, 3, 1), d(year, 6, 30)),
                Season::Summer => (d(year, 6, 1), d(year, 8, 31)),
                Season::Autumn => (d(year, 8, 1), d(year, 12, 31)),
                Season::Winter => (d(year, 1, 1), d(year, 2, 28)),
            },
            When::Year { year } => (d(year, 1, 1), d(year, 12, 31)),
        }
    }

    pub fn day(self) -> Option<Date> {
        match self {
            When::Day { date } => Some(date),
            _ => None,
        }
    }
}

/// What an entry in a cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Lansert / a bare date in the launch column.
    Launched,
    /// Ventes lansert, Lansering 2. halvår 2024, Legges frem våren 2026.
    Expected,
    /// NOU skal leveres innen …, Rapport innen …
    DueBy,
    /// Frist høring 22.11.2024.
    HearingDeadline,
    /// Høringsfrist ikke klar.
    DeadlineUnknown,
    /// Innspill , 2024.
    CouncilInput,
    /// Høringsuttalelse , 6.1.2025 — the council's own response.
    CouncilResponse,
    /// Ikke levert innspill.
    NoInput,
    /// Innspill ikke aktuelt.
    NotRelevant,
    /// Se over.
    SeeAbove,
    /// Sak på rådsmøte 3/2026.
    MeetingCase,
    FreeText,
}

/// One typed statement read from a cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: EntryKind,
    /// An italic label before it ("Stortingsmelding:").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The words it was read from.
    pub text: String,
}

/// A cell: what is shown, and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cell {
    /// The text in the table's light markup: `[text](url)` links and
    /// `*italics*`, lines separated by newlines.
    pub text: String,
    pub entries: Vec<Entry>,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn windows() {
        assert_eq!(
            When::Half {
                year: 2024,
                half: 2
            }
            .window(),
            (date(2024, 7, 1), date(2024, 12, 31))
        );
        assert_eq!(
            When::Season {
                year: 2026,
                season: Season::Spring
            }
            .window(),
            (date(2026, 3, 1), date(2026, 6, 30))
        );
        assert_eq!(
            When::Month {
                year: 2026,
                month: 2
            }
            .window()
            .1,
            date(2026, 2, 28)
        );
    }
}
