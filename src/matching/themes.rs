//! Themes in configuration: `themes.toml` (or the file `sources.toml`
//! names). Raw and resolved shapes kept apart, as for the rest of the
//! config.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

/// A themes file that cannot be used: the file, the key and what is wrong
/// (config turns it into its own error, exit 3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {key}: {message}", file.display())]
pub struct ThemeError {
    pub file: std::path::PathBuf,
    pub key: String,
    pub message: String,
}

/// The council's action-plan themes, shipped in the binary.
pub const DEFAULT_THEMES: &str = include_str!("../../themes.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    matching: RawMatching,
    #[serde(default, rename = "theme")]
    themes: Vec<RawTheme>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatching {
    threshold: Option<f64>,
    title_weight: Option<f64>,
    summary_weight: Option<f64>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    departments: BTreeMap<String, f64>,
    #[serde(default)]
    topics: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: String,
    name: String,
    group: Option<String>,
    description: Option<String>,
    #[serde(default)]
    terms: BTreeMap<String, f64>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    departments: BTreeMap<String, f64>,
    #[serde(default)]
    topics: BTreeMap<String, f64>,
}

/// One theme: an action-plan goal or area.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    pub description: Option<String>,
    /// Term → weight. See `themes.toml` for the term syntax.
    pub terms: Vec<(String, f64)>,
    pub exclude: Vec<String>,
    pub departments: Vec<(String, f64)>,
    pub topics: Vec<(String, f64)>,
}

/// All themes and the settings that apply across them.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeSet {
    /// A document is relevant when its best theme, plus the global
    /// signals, scores at least this.
    pub threshold: f64,
    pub title_weight: f64,
    pub summary_weight: f64,
    /// Phrases that cancel any term hit inside them (`dyrehelse`, `helse,
    /// miljø og sikkerhet`).
    pub exclude: Vec<String>,
    /// Global signals: a department or topic adds this to the score of a
    /// document that has at least one term hit.
    pub departments: Vec<(String, f64)>,
    pub topics: Vec<(String, f64)>,
    pub themes: Vec<Theme>,
    /// A fingerprint of the file, so a change of themes is noticed.
    pub version: String,
}

impl ThemeSet {
    pub fn default_set() -> ThemeSet {
        ThemeSet::parse(DEFAULT_THEMES, Path::new("<innebygd themes.toml>"))
            .expect("the shipped themes.toml is valid")
    }

    pub fn load(path: &Path) -> Result<ThemeSet, ThemeError> {
        let text = std::fs::read_to_string(path).map_err(|e| ThemeError {
            file: path.to_path_buf(),
            key: String::new(),
            message: format!("kan ikke lese filen: {e}"),
        })?;
        ThemeSet::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<ThemeSet, ThemeError> {
        let err = |key: String, message: String| ThemeError {
            file: path.to_path_buf(),
            key,
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            err(
                String::new(),
                format!("ugyldig TOML: {}", e.to_string().trim_end()),
            )
        })?;
        let m = raw.matching;
        let positive = |key: &str, v: Option<f64>, default: f64| match v {
            None => Ok(default),
            Some(x) if x.is_finite() && x >= 0.0 => Ok(x),
            Some(x) => Err(err(
                format!("matching.{key}"),
                format!("{x} må være et tall ≥ 0"),
            )),
        };
        let weights =
            |key: String, map: BTreeMap<String, f64>| -> Result<Vec<(String, f64)>, ThemeError> {
                map.into_iter()
                    .map(|(k, w)| {
                        if k.trim().is_empty() {
                            Err(err(key.clone(), "tomt uttrykk".into()))
                        } else if !w.is_finite() || w.abs() > 100.0 {
                            Err(err(
                                format!("{key}.\"{k}\""),
                                format!("vekten {w} er utenfor -100–100"),
                            ))
                        } else {
                            Ok((k, w))
                        }
                    })
                    .collect()
            };
        let mut themes: Vec<Theme> = Vec::new();
        for (i, t) in raw.themes.into_iter().enumerate() {
            let key = |f: &str| format!("theme[{i}] ({}).{f}", t.id);
            if t.id.trim().is_empty() || t.id.contains(char::is_whitespace) {
                return Err(err(
                    format!("theme[{i}].id"),
                    "må være et ord uten mellomrom".into(),
                ));
            }
            if themes.iter().any(|o| o.id == t.id) {
                return Err(err(key("id"), "id-en er brukt før".into()));
            }
            if t.terms.is_empty() {
                return Err(err(
                    key("terms"),
                    "et tema trenger minst ett uttrykk".into(),
                ));
            }
            for (field, text) in [("id", &t.id), ("name", &t.name)]
                .into_iter()
                .chain(t.group.iter().map(|g| ("group", g)))
                .chain(t.description.iter().map(|d| ("description", d)))
            {
                check_label(text).map_err(|m| err(key(field), m))?;
            }
            for term in t.terms.keys().chain(&t.exclude) {
                check_term(term).map_err(|m| err(key("terms"), m))?;
            }
            for label in t.departments.keys().chain(t.topics.keys()) {
                check_label(label).map_err(|m| err(key("departments"), m))?;
            }
            themes.push(Theme {
                terms: weights(key("terms"), t.terms)?,
                departments: weights(key("departments"), t.departments)?,
                topics: weights(key("topics"), t.topics)?,
                id: t.id,
                name: t.name,
                group: t.group,
                description: t.description,
                exclude: t.exclude,
            });
        }
        if themes.is_empty() {
            return Err(err(
                "theme".into(),
                "ingen temaer er satt opp ([[theme]])".into(),
            ));
        }
        for term in &m.exclude {
            check_term(term).map_err(|msg| err("matching.exclude".into(), msg))?;
        }
        Ok(ThemeSet {
            threshold: positive("threshold", m.threshold, 2.0)?,
            title_weight: positive("title_weight", m.title_weight, 1.0)?,
            summary_weight: positive("summary_weight", m.summary_weight, 0.5)?,
            exclude: m.exclude,
            departments: weights("matching.departments".into(), m.departments)?,
            topics: weights("matching.topics".into(), m.topics)?,
            themes,
            version: fingerprint(text),
        })
    }

    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }
}

/// The longest term taken: a phrase of a dozen words. Longer is a typing
/// or pasting mistake, and would make the matcher slow to build.
pub const MAX_TERM_CHARS: usize = 120;

/// The longest name, description or signal label taken.
const MAX_LABEL_CHARS: usize = 2_000;

fn check_label(text: &str) -> Result<(), String> {
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        return Err(format!(
            "inneholder kontrolltegnet U+{:04X}, som ikke hører hjemme i et navn",
            c as u32
        ));
    }
    let n = text.chars().count();
    if n > MAX_LABEL_CHARS {
        return Err(format!("er {n} tegn; høyst {MAX_LABEL_CHARS} går"));
    }
    Ok(())
}

fn check_term(term: &str) -> Result<(), String> {
    let n = term.chars().count();
    if n > MAX_TERM_CHARS {
        let start: String = term.chars().take(30).collect();
        return Err(format!(
            "«{start}…» er {n} tegn; et uttrykk kan ha høyst {MAX_TERM_CHARS}"
        ));
    }
    if term.chars().any(char::is_control) {
        return Err("et uttrykk kan ikke ha kontrolltegn".into());
    }
    let words = super::text::normalize(&term.replace(['*', '='], " "));
    if words.token_count() == 0 {
        return Err(format!("«{term}» har ingen bokstaver"));
    }
    Ok(())
}

fn fingerprint(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_themes_load() {
        let set = ThemeSet::default_set();
        assert!(set.themes.len() >= 10);
        assert!(set.theme("H2").is_some());
        assert_eq!(set.version.len(), 16);
    }

    #[test]
    fn bad_theme_files_are_refused_with_key() {
        let e = ThemeSet::parse("[[theme]]\nid = \"a\"\nname = \"A\"\n", Path::new("t.toml"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.toml: theme[0] (a).terms: et tema trenger minst ett uttrykk"
        );
        let e = ThemeSet::parse(
            "[[theme]]\nid = \"a\"\nname = \"A\"\nterms = { helse = \"x\" }\n",
            Path::new("t.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ugyldig TOML"), "{e}");
        let e = ThemeSet::parse(
            "[[theme]]\nid = \"a\"\nname = \"A\"\nterms = { \"*=\" = 1 }\n",
            Path::new("t.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ingen bokstaver"), "{e}");
        let e = ThemeSet::parse(
            "[matching]\nthreshold = -1\n[[theme]]\nid = \"a\"\nname = \"A\"\nterms = { x = 1 }\n",
            Path::new("t.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("matching.threshold"), "{e}");
    }
}
