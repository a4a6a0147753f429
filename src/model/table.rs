//! The council's table as the store knows it: its five columns.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The council's five columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// Melding/strategi/NOU: the title, with a link.
    Title,
    /// Innspill fra rådet.
    Input,
    /// Lansering.
    Launch,
    /// Høring.
    Hearing,
    /// Videre oppfølging fra HO21-rådet.
    Followup,
}

impl Column {
    pub const ALL: [Column; 5] = [
        Column::Title,
        Column::Input,
        Column::Launch,
        Column::Hearing,
        Column::Followup,
    ];

    /// The heading, as the council writes it.
    pub fn heading(self) -> &'static str {
        match self {
            Column::Title => "Melding/strategi/NOU",
            Column::Input => "Innspill fra rådet",
            Column::Launch => "Lansering",
            Column::Hearing => "Høring",
            Column::Followup => "Videre oppfølging fra HO21-rådet",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Column::Title => "title",
            Column::Input => "input",
            Column::Launch => "launch",
            Column::Hearing => "hearing",
            Column::Followup => "followup",
        }
    }

    pub fn parse(s: &str) -> Option<Column> {
        let s = s.trim().to_lowercase();
        Column::ALL.into_iter().find(|c| {
            c.as_str() == s
                || match c {
                    Column::Title => ["tittel", "melding"].contains(&s.as_str()),
                    Column::Input => s == "innspill",
                    Column::Launch => s == "lansering",
                    Column::Hearing => s == "høring" || s == "horing",
                    Column::Followup => ["oppfølging", "oppfolging"].contains(&s.as_str()),
                }
        })
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_parse_in_both_languages_of_the_cli() {
        assert_eq!(Column::parse("hearing"), Some(Column::Hearing));
        assert_eq!(Column::parse("Høring"), Some(Column::Hearing));
        assert_eq!(Column::parse("oppfølging"), Some(Column::Followup));
        assert_eq!(Column::parse("x"), None);
    }
}
