//! Whitespace and label normalisation.

/// Trims and collapses every run of whitespace (including non-breaking
/// spaces and newlines) into one ASCII space.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Folds a label for comparison across bokmål and nynorsk and across
/// spellings: lower case, `ø`→`o`, `å`→`a`, `æ`→`ae`, `høyr`→`hor`, and
/// whitespace collapsed. `Høyringsfrist` and `Høringsfrist` fold alike.
pub fn fold_label(s: &str) -> String {
    let lower = collapse_ws(s).to_lowercase();
    let lower = lower.replace("høyr", "hør");
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ø' | 'ö' => out.push('o'),
            'å' | 'ä' => out.push('a'),
            'æ' => out.push_str("ae"),
            '–' | '—' => out.push('-'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_newlines_and_nbsp() {
        assert_eq!(
            collapse_ws("\n   Høring –\u{a0} NOU\t2026 \n"),
            "Høring – NOU 2026"
        );
        assert_eq!(collapse_ws("   "), "");
    }

    #[test]
    fn folds_bokmal_and_nynorsk_labels_alike() {
        assert_eq!(fold_label("Høringsfrist"), fold_label("Høyringsfrist"));
        assert_eq!(fold_label("På høyring"), "pa horing");
        assert_eq!(fold_label("Høyringsinstansar"), "horingsinstansar");
        assert_ne!(fold_label("Status"), fold_label("Høringsfrist"));
    }
}
