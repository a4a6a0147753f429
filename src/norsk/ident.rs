//! Typed identifiers of official documents: `NOU 2026: 6`,
//! `Meld. St. 9 (2023–2024)`, `Prop. 45 L (2025–2026)`.
//!
//! The site writes the session with a hyphen or an en dash; both parse, and
//! the canonical form (`Display`) uses the en dash, as the titles do.

use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Identifier {
    /// Norges offentlige utredninger: `NOU 2026: 6`.
    Nou { year: u16, number: u16 },
    /// Melding til Stortinget: `Meld. St. 9 (2023–2024)`.
    MeldSt { number: u16, session: (u16, u16) },
    /// Proposisjon til Stortinget: `Prop. 45 L (2025–2026)`.
    Prop {
        number: u16,
        suffix: PropSuffix,
        session: (u16, u16),
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PropSuffix {
    L,
    S,
    LS,
}

static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \bNOU\s*(?P<ny>\d{4})\s*:\s*(?P<nn>\d{1,3})\b
      | \bMeld\.\s*St\.\s*(?:nr\.\s*)?(?P<mn>\d{1,3})\s*\(\s*(?P<ma>\d{4})\s*[-–—]\s*(?P<mb>\d{4})\s*\)
      | \bProp\.\s*(?:(?P<pp>LS|L|S)\s+)?(?P<pn>\d{1,3})\s*(?P<ps>LS|L|S)?\s*\(\s*(?P<pa>\d{4})\s*[-–—]\s*(?P<pb>\d{4})\s*\)
    ",
    )
    .expect("valid identifier regex")
});

impl Identifier {
    /// Every identifier in a text, in order of appearance.
    pub fn find_all(text: &str) -> Vec<Identifier> {
        PATTERN
            .captures_iter(text)
            .filter_map(|c| from_captures(&c))
            .collect()
    }

    /// The first identifier in a text.
    pub fn find(text: &str) -> Option<Identifier> {
        PATTERN.captures_iter(text).find_map(|c| from_captures(&c))
    }

    /// The first identifier, if the text starts with it (a NOU's own title
    /// starts with its number; a hearing's title mentions it later).
    pub fn leading(text: &str) -> Option<Identifier> {
        let c = PATTERN.captures(text.trim_start())?;
        if c.get(0)?.start() == 0 {
            from_captures(&c)
        } else {
            None
        }
    }
}

fn from_captures(c: &regex::Captures<'_>) -> Option<Identifier> {
    let n = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u16>().ok());
    if let (Some(year), Some(number)) = (n("ny"), n("nn")) {
        return Some(Identifier::Nou { year, number });
    }
    if let (Some(number), Some(a), Some(b)) = (n("mn"), n("ma"), n("mb")) {
        return (b == a + 1).then_some(Identifier::MeldSt {
            number,
            session: (a, b),
        });
    }
    if let (Some(number), Some(a), Some(b)) = (n("pn"), n("pa"), n("pb")) {
        // "Prop. 45 L (…)", and the variant "Prop. L 45 (…)" seen in letters.
        let suffix = match c.name("ps").or_else(|| c.name("pp"))?.as_str() {
            "L" => PropSuffix::L,
            "S" => PropSuffix::S,
            _ => PropSuffix::LS,
        };
        return (b == a + 1).then_some(Identifier::Prop {
            number,
            suffix,
            session: (a, b),
        });
    }
    None
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Nou { year, number } => write!(f, "NOU {year}: {number}"),
            Identifier::MeldSt {
                number,
                session: (a, b),
            } => write!(f, "Meld. St. {number} ({a}–{b})"),
            Identifier::Prop {
                number,
                suffix,
                session: (a, b),
            } => {
                let s = match suffix {
                    PropSuffix::L => "L",
                    PropSuffix::S => "S",
                    PropSuffix::LS => "LS",
                };
                write!(f, "Prop. {number} {s} ({a}–{b})")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("«{0}» er ikke en NOU-, Meld. St.- eller Prop.-referanse")]
pub struct IdentifierError(String);

impl FromStr for Identifier {
    type Err = IdentifierError;
    /// The whole string must be one identifier.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        PATTERN
            .captures(t)
            .filter(|c| {
                c.get(0)
                    .is_some_and(|m| m.start() == 0 && m.end() == t.len())
            })
            .and_then(|c| from_captures(&c))
            .ok_or_else(|| IdentifierError(s.to_string()))
    }
}

impl Serialize for Identifier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Identifier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nou_forms() {
        let id = Identifier::find("NOU 2026: 6 Helsepersonellkommisjonen").unwrap();
        assert_eq!(
            id,
            Identifier::Nou {
                year: 2026,
                number: 6
            }
        );
        assert_eq!(id.to_string(), "NOU 2026: 6");
        assert_eq!(Identifier::find("NOU 2026:6"), Some(id));
        assert_eq!("NOU 2026: 6".parse::<Identifier>(), Ok(id));
    }

    #[test]
    fn meld_st_with_hyphen_or_en_dash() {
        let want = Identifier::MeldSt {
            number: 9,
            session: (2023, 2024),
        };
        assert_eq!(
            Identifier::find("Meld. St. 9 (2023–2024) Nasjonal helse"),
            Some(want)
        );
        assert_eq!(Identifier::find("Meld. St. 9 (2023-2024)"), Some(want));
        assert_eq!(Identifier::find("Meld.St.9 (2023 - 2024)"), Some(want));
        assert_eq!(want.to_string(), "Meld. St. 9 (2023–2024)");
        assert_eq!("Meld. St. 9 (2023-2024)".parse::<Identifier>(), Ok(want));
        // A session must be two consecutive years.
        assert_eq!(Identifier::find("Meld. St. 9 (2023–2025)"), None);
    }

    #[test]
    fn prop_with_suffix() {
        let id = Identifier::find("Prop. 45 L (2025-2026) Endringer i").unwrap();
        assert_eq!(id.to_string(), "Prop. 45 L (2025–2026)");
        let id = Identifier::find("fremmet i mars Prop. L 45 (2025-2026) med").unwrap();
        assert_eq!(id.to_string(), "Prop. 45 L (2025–2026)");
        assert_eq!(Identifier::find("Prop. 45 (2025–2026)"), None);
        let id = Identifier::find("Prop. 1 LS (2025–2026)").unwrap();
        assert_eq!(id.to_string(), "Prop. 1 LS (2025–2026)");
    }

    #[test]
    fn hearing_refers_to_nou_but_does_not_lead_with_it() {
        let title = "Høring - NOU 2026: 8 Samarbeid og informasjonsdeling";
        assert_eq!(
            Identifier::find(title),
            Some(Identifier::Nou {
                year: 2026,
                number: 8
            })
        );
        assert_eq!(Identifier::leading(title), None);
        assert_eq!(
            Identifier::find("Høyring – NOU 2026: 9 Noko"),
            Identifier::find("NOU 2026: 9")
        );
    }

    #[test]
    fn rejects_non_identifiers() {
        assert!(
            "Nasjonal helse- og samhandlingsplan"
                .parse::<Identifier>()
                .is_err()
        );
        assert!("NOU 2026: 6 og mer".parse::<Identifier>().is_err());
        assert_eq!(Identifier::find_all("NOU 2025: 1 og NOU 2025: 2").len(), 2);
    }
}
