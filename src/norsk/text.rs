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

/// Text from a page made safe to keep and show: whitespace collapsed,
/// control characters removed (they make a Word file invalid XML and reach
/// a terminal raw), and at most `max` characters (cut with "…").
pub fn clean_text(s: &str, max: usize) -> String {
    let chars: Vec<char> = collapse_ws(s)
        .chars()
        .filter(|c| !c.is_control() && !is_noncharacter(*c))
        .collect();
    if chars.len() <= max {
        return chars.into_iter().collect();
    }
    let mut out: String = chars[..max.saturating_sub(1)].iter().collect();
    out.push('…');
    out
}

/// Code points that are not characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and
/// their kin), which XML does not allow.
fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE
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
    fn clean_text_removes_controls_and_caps_length() {
        assert_eq!(
            clean_text("A\u{0}B\u{1b}[31mC\u{7}\u{fffe}", 100),
            "AB[31mC"
        );
        assert_eq!(clean_text("  x\n y ", 100), "x y");
        let long = "æ".repeat(2000);
        let c = clean_text(&long, 1000);
        assert_eq!(c.chars().count(), 1000);
        assert!(c.ends_with('…'));
        assert_eq!(clean_text(&"a".repeat(1000), 1000), "a".repeat(1000));
    }

    #[test]
    fn folds_bokmal_and_nynorsk_labels_alike() {
        assert_eq!(fold_label("Høringsfrist"), fold_label("Høyringsfrist"));
        assert_eq!(fold_label("På høyring"), "pa horing");
        assert_eq!(fold_label("Høyringsinstansar"), "horingsinstansar");
        assert_ne!(fold_label("Status"), fold_label("Høringsfrist"));
    }
}
