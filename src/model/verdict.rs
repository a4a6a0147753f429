//! The matcher's judgement of a document, as stored and explained: the
//! themes it matched, and every hit that counted.

use serde::{Deserialize, Serialize};

/// Where a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Title,
    Summary,
    Topic,
    Department,
    /// The document it is about (a hearing on a white paper), whose
    /// relevance it takes.
    Refers,
}

impl Field {
    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "tittel",
            Field::Summary => "sammendrag",
            Field::Topic => "tema på nettstedet",
            Field::Department => "departement",
            Field::Refers => "gjelder",
        }
    }
}

/// One reason a theme scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The term as configured (or the topic or department).
    pub term: String,
    pub field: Field,
    /// The words in the document that matched.
    pub text: String,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeScore {
    pub id: String,
    pub name: String,
    pub score: f64,
    /// Whether this theme, with the global signals, reaches the threshold.
    pub matched: bool,
    pub hits: Vec<Hit>,
}

/// The matcher's judgement of one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub relevant: bool,
    /// The best theme's score plus the global signals.
    pub score: f64,
    /// Themes with any hit, best first.
    pub themes: Vec<ThemeScore>,
    /// Global signals (department, topic) that counted.
    pub signals: Vec<Hit>,
}

impl Verdict {
    /// The themes that matched, best first.
    pub fn matched(&self) -> impl Iterator<Item = &ThemeScore> {
        self.themes.iter().filter(|t| t.matched)
    }
}
