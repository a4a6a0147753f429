//! Text as the matcher sees it: NFC, lower case, dashes and punctuation as
//! token breaks, a few nynorsk forms mapped to bokmål, tokens joined by
//! single spaces.

use unicode_normalization::UnicodeNormalization;

/// Nynorsk spellings rewritten to bokmål inside words, so one bokmål term
/// list serves both (`forsking` → `forskning`, `tenester` → `tjenester`).
/// Applied to whole normalised text, so they must be safe inside compounds.
const NYNORSK: &[(&str, &str)] = &[
    ("forsking", "forskning"),
    ("tenest", "tjenest"),
    ("høyring", "høring"),
    ("utgreiing", "utredning"),
    ("sjukehus", "sykehus"),
    ("sjukdom", "sykdom"),
    ("heime", "hjemme"),
    ("utjamning", "utjevning"),
    ("ulikskap", "ulikhet"),
    ("kunnskapsstøtte", "kunnskapsstøtte"),
    ("opplysningar", "opplysninger"),
    ("forskjellar", "forskjeller"),
    ("meldinga", "meldingen"),
    ("utdanninga", "utdanningen"),
    ("lova", "loven"),
    ("bu trygt", "bo trygt"),
];

static NYNORSK_AC: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(NYNORSK.iter().map(|(nn, _)| nn))
            .expect("nynorsk patterns build an automaton")
    });

/// A normalised text: `text` holds the tokens separated by one space, and
/// `starts[i]` is where token `i` begins.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    pub starts: Vec<usize>,
}

impl Normalized {
    pub fn token_count(&self) -> usize {
        self.starts.len()
    }

    /// The token a byte offset falls in.
    pub fn token_at(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    pub fn token_end(&self, i: usize) -> usize {
        self.starts
            .get(i + 1)
            .map(|s| s - 1)
            .unwrap_or(self.text.len())
    }

    pub fn token(&self, i: usize) -> &str {
        &self.text[self.starts[i]..self.token_end(i)]
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Normalises a text for matching.
pub fn normalize(s: &str) -> Normalized {
    let mut lowered = String::with_capacity(s.len());
    let mut push = |c: char| {
        if is_word_char(c) {
            lowered.extend(c.to_lowercase());
        } else {
            lowered.push(' ');
        }
    };
    // Most text is already composed: skip the NFC pass then.
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        s.chars().for_each(&mut push);
    } else {
        s.nfc().for_each(&mut push);
    }
    let mut joined = String::with_capacity(lowered.len());
    for word in lowered.split(' ').filter(|w| !w.is_empty()) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
    }
    if NYNORSK_AC.is_match(&joined) {
        let to: Vec<&str> = NYNORSK.iter().map(|(_, nb)| *nb).collect();
        joined = NYNORSK_AC.replace_all(&joined, &to);
    }
    let mut starts = Vec::new();
    let mut at_start = true;
    for (i, b) in joined.bytes().enumerate() {
        if at_start && b != b' ' {
            starts.push(i);
        }
        at_start = b == b' ';
    }
    Normalized {
        text: joined,
        starts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_dashes() {
        let n = normalize("Høring – NOU 2026: 6 «Helse- og omsorgstjenester» i e-helse");
        assert_eq!(
            n.text,
            "høring nou 2026 6 helse og omsorgstjenester i e helse"
        );
        assert_eq!(n.token_count(), 10);
        assert_eq!(n.token(6), "omsorgstjenester");
        assert_eq!(n.token_at(n.starts[6] + 3), 6);
    }

    #[test]
    fn nynorsk_forms_become_bokmal() {
        assert_eq!(
            normalize("Høyring om forsking i kommunale tenester").text,
            "høring om forskning i kommunale tjenester"
        );
        assert_eq!(normalize("Bu trygt heime").text, "bo trygt hjemme");
    }

    #[test]
    fn decomposed_letters_are_composed() {
        assert_eq!(
            normalize("pa\u{30a} ho\u{308}ring").text,
            normalize("på höring").text
        );
    }
}
