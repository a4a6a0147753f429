//! The compiled matcher: every term of every theme in one Aho-Corasick
//! automaton, run once over each field; hits checked against token
//! boundaries, phrases and exclusions; scores summed per theme.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use rust_stemmers::{Algorithm, Stemmer};

use super::text::{Normalized, normalize};
use super::themes::ThemeSet;
use crate::norsk::fold_label;

pub use crate::model::verdict::{Field, Hit, ThemeScore, Verdict};

/// What the matcher reads of a document.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocText<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub departments: &'a [String],
    pub topics: &'a [String],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The word starts a token (inflections, and compounds it begins).
    Prefix,
    /// The word may sit anywhere in a token (`*journal` in
    /// `pasientjournalloven`).
    Infix,
    /// The whole token (`=ki`).
    Exact,
}

#[derive(Debug, Clone)]
struct Word {
    pat: usize,
    mode: Mode,
}

#[derive(Debug, Clone)]
struct Term {
    raw: String,
    weight: f64,
    words: Vec<Word>,
}

#[derive(Debug, Clone)]
struct CompiledTheme {
    terms: Vec<Term>,
    exclude: Vec<Term>,
    departments: Vec<(String, String, f64)>,
    topics: Vec<(String, String, f64)>,
}

pub struct Matcher {
    set: ThemeSet,
    ac: AhoCorasick,
    /// For each pattern: the (theme, term) pairs whose first word it is.
    by_first_word: Vec<Vec<(usize, usize)>>,
    themes: Vec<CompiledTheme>,
    exclude: Vec<Term>,
    departments: Vec<(String, String, f64)>,
    topics: Vec<(String, String, f64)>,
}

/// Occurrences of patterns in one field, sorted by (pattern, token).
struct Occurrences {
    /// (pattern, token, at token start, whole token)
    list: Vec<(usize, usize, bool, bool)>,
}

impl Occurrences {
    fn of(&self, pat: usize) -> &[(usize, usize, bool, bool)] {
        let lo = self.list.partition_point(|o| o.0 < pat);
        let hi = self.list.partition_point(|o| o.0 <= pat);
        &self.list[lo..hi]
    }
}

fn accepts(mode: Mode, at_start: bool, whole: bool) -> bool {
    match mode {
        Mode::Prefix => at_start,
        Mode::Infix => true,
        Mode::Exact => at_start && whole,
    }
}

/// A term's spans (first token, last token) in a field.
fn spans(term: &Term, occ: &Occurrences) -> Vec<(usize, usize)> {
    let first = &term.words[0];
    let mut out = Vec::new();
    for &(_, tok, at_start, whole) in occ.of(first.pat) {
        if !accepts(first.mode, at_start, whole) {
            continue;
        }
        let rest_ok = term.words[1..].iter().enumerate().all(|(i, w)| {
            occ.of(w.pat)
                .iter()
                .any(|&(_, t, s, wh)| t == tok + 1 + i && accepts(w.mode, s, wh))
        });
        if rest_ok {
            out.push((tok, tok + term.words.len() - 1));
        }
    }
    out.dedup();
    out
}

struct Compiler {
    stemmer: Stemmer,
    patterns: Vec<String>,
    index: HashMap<String, usize>,
}

impl Compiler {
    fn intern(&mut self, p: &str) -> usize {
        if let Some(&i) = self.index.get(p) {
            return i;
        }
        self.patterns.push(p.to_string());
        self.index.insert(p.to_string(), self.patterns.len() - 1);
        self.patterns.len() - 1
    }

    /// The prefix to look for: the word's stem when the stemmer only took
    /// an inflection off (`studier` → `studi`), else the word itself
    /// (`folkehelse` stays; the stemmer would cut it to `folkeh`).
    fn stem(&self, word: &str) -> String {
        let stem = self.stemmer.stem(word);
        let cut = word.chars().count().saturating_sub(stem.chars().count());
        let mut out = if stem.chars().count() >= 5 && cut <= 2 && word.starts_with(stem.as_ref()) {
            stem.into_owned()
        } else {
            word.to_string()
        };
        // middel/midler, artikkel/artikler: a long word ending in a doubled
        // consonant + "el" is looked for without the "el" and the double,
        // so both forms match.
        let chars: Vec<char> = out.chars().collect();
        let n = chars.len();
        if out == word
            && n >= 8
            && out.ends_with("el")
            && chars[n - 3] == chars[n - 4]
            && !"aeiouyæøå".contains(chars[n - 3])
        {
            return chars[..n - 3].iter().collect();
        }
        // register/registre, teater/teatre: a stem that ends in consonant +
        // "r" drops the "r", so both the singular and the plural match.
        let chars: Vec<char> = out.chars().collect();
        if chars.len() >= 6
            && chars[chars.len() - 1] == 'r'
            && !"aeiouyæøå".contains(chars[chars.len() - 2])
            && out != word
        {
            out.pop();
        }
        out
    }

    fn term(&mut self, raw: &str, weight: f64) -> Term {
        let mut words = Vec::new();
        for part in raw.split_whitespace() {
            let (mode, rest) = if let Some(r) = part.strip_prefix('*') {
                (Mode::Infix, r)
            } else if let Some(r) = part.strip_prefix('=') {
                (Mode::Exact, r)
            } else {
                (Mode::Prefix, part)
            };
            let n = normalize(rest);
            for (i, tok) in n.text.split(' ').filter(|t| !t.is_empty()).enumerate() {
                let mode = if i == 0 { mode } else { Mode::Prefix };
                let pat = match mode {
                    Mode::Exact => tok.to_string(),
                    _ => self.stem(tok),
                };
                let pat = self.intern(&pat);
                words.push(Word { pat, mode });
            }
        }
        Term {
            raw: raw.to_string(),
            weight,
            words,
        }
    }
}

fn folded(list: &[(String, f64)]) -> Vec<(String, String, f64)> {
    list.iter()
        .map(|(k, w)| (fold_label(k), k.clone(), *w))
        .collect()
}

impl Matcher {
    pub fn new(set: ThemeSet) -> Matcher {
        let mut c = Compiler {
            stemmer: Stemmer::create(Algorithm::Norwegian),
            patterns: Vec::new(),
            index: HashMap::new(),
        };
        let themes: Vec<CompiledTheme> = set
            .themes
            .iter()
            .map(|t| CompiledTheme {
                terms: t.terms.iter().map(|(k, w)| c.term(k, *w)).collect(),
                exclude: t.exclude.iter().map(|k| c.term(k, 0.0)).collect(),
                departments: folded(&t.departments),
                topics: folded(&t.topics),
            })
            .collect();
        let exclude = set.exclude.iter().map(|k| c.term(k, 0.0)).collect();
        // A DFA is fastest; a themes file too large for one gets the
        // automaton's own choice instead of a crash.
        let ac = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&c.patterns)
            .or_else(|_| AhoCorasick::new(&c.patterns))
            .expect("term patterns build an automaton");
        let mut by_first_word = vec![Vec::new(); c.patterns.len()];
        for (ti, t) in themes.iter().enumerate() {
            let t: &CompiledTheme = t;
            for (i, term) in t.terms.iter().enumerate() {
                by_first_word[term.words[0].pat].push((ti, i));
            }
        }
        Matcher {
            by_first_word,
            departments: folded(&set.departments),
            topics: folded(&set.topics),
            set,
            ac,
            themes,
            exclude,
        }
    }

    /// Whether the document could be relevant once its own page is read:
    /// a page adds topics, and a topic lifts a theme a term has hit (and
    /// the global score). The bound adds every topic weight not already
    /// counted; a document no topic can lift over the threshold gains
    /// nothing from its page as far as relevance goes.
    pub fn topics_could_lift(&self, v: &Verdict) -> bool {
        if v.relevant {
            return true;
        }
        let unhit = |table: &[(String, String, f64)], hits: &[Hit]| -> f64 {
            table
                .iter()
                .filter(|(_, orig, _)| {
                    !hits
                        .iter()
                        .any(|h| h.field == Field::Topic && &h.term == orig)
                })
                .map(|(_, _, w)| w.max(0.0))
                .sum()
        };
        let global_now: f64 = v.signals.iter().map(|h| h.weight).sum();
        let global_topics = unhit(&self.topics, &v.signals);
        v.themes.iter().filter(|t| t.score > 0.0).any(|t| {
            let own_topics = self
                .set
                .themes
                .iter()
                .position(|x| x.id == t.id)
                .map_or(0.0, |i| unhit(&self.themes[i].topics, &t.hits));
            t.score + own_topics + global_now + global_topics >= self.set.threshold
        })
    }

    pub fn themes(&self) -> &ThemeSet {
        &self.set
    }

    fn occurrences(&self, n: &Normalized) -> Occurrences {
        let mut list = Vec::new();
        for m in self.ac.find_overlapping_iter(&n.text) {
            let tok = n.token_at(m.start());
            let at_start = n.starts[tok] == m.start();
            let whole = at_start && n.token_end(tok) == m.end();
            list.push((m.pattern().as_usize(), tok, at_start, whole));
        }
        list.sort_unstable();
        list.dedup();
        Occurrences { list }
    }

    /// Judges one document.
    pub fn classify(&self, doc: &DocText<'_>) -> Verdict {
        let fields: Vec<(Field, Normalized, f64)> = [
            (Field::Title, Some(doc.title), self.set.title_weight),
            (Field::Summary, doc.summary, self.set.summary_weight),
        ]
        .into_iter()
        .filter_map(|(f, text, w)| text.map(|t| (f, normalize(t), w)))
        .collect();
        // (field, text, weight, occurrences, spans cancelled by exclusions)
        type Scanned<'n> = (Field, &'n Normalized, f64, Occurrences, Vec<(usize, usize)>);
        let scanned: Vec<Scanned<'_>> = fields
            .iter()
            .map(|(f, n, w)| {
                let occ = self.occurrences(n);
                let excluded = self.exclude.iter().flat_map(|t| spans(t, &occ)).collect();
                (*f, n, *w, occ, excluded)
            })
            .collect();
        let doc_deps: Vec<String> = doc.departments.iter().map(|d| fold_label(d)).collect();
        let doc_topics: Vec<String> = doc.topics.iter().map(|t| fold_label(t)).collect();
        let signal_hits =
            |table: &[(String, String, f64)], have: &[String], field: Field| -> Vec<Hit> {
                table
                    .iter()
                    .filter(|(k, _, _)| have.contains(k))
                    .map(|(_, orig, w)| Hit {
                        term: orig.clone(),
                        field,
                        text: orig.clone(),
                        weight: *w,
                    })
                    .collect()
            };

        // Only terms whose first word occurs somewhere are looked at:
        // (theme, term) pairs, sorted, so each theme's come in term order.
        let mut candidates: Vec<(usize, usize)> = scanned
            .iter()
            .flat_map(|(_, _, _, occ, _)| {
                occ.list
                    .iter()
                    .flat_map(|o| self.by_first_word[o.0].iter().copied())
            })
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut cursor = 0;

        let mut themes = Vec::new();
        for (ti, (theme, compiled)) in self.set.themes.iter().zip(&self.themes).enumerate() {
            let mut hits = Vec::new();
            let mut term_score = 0.0;
            let start = cursor;
            while cursor < candidates.len() && candidates[cursor].0 == ti {
                cursor += 1;
            }
            let mine = &candidates[start..cursor];
            // The theme's own exclusions, per field (only when needed).
            let own_excl: Vec<Vec<(usize, usize)>> =
                if mine.is_empty() || compiled.exclude.is_empty() {
                    vec![Vec::new(); scanned.len()]
                } else {
                    scanned
                        .iter()
                        .map(|(_, _, _, occ, _)| {
                            compiled
                                .exclude
                                .iter()
                                .flat_map(|t| spans(t, occ))
                                .collect()
                        })
                        .collect()
                };
            for &(_, term_idx) in mine {
                let term = &compiled.terms[term_idx];
                for ((field, n, fw, occ, excluded), own) in scanned.iter().zip(&own_excl) {
                    let found = spans(term, occ).into_iter().find(|&(a, b)| {
                        !excluded.iter().chain(own).any(|&(x, y)| a <= y && x <= b)
                    });
                    if let Some((a, b)) = found {
                        let text = (a..=b).map(|i| n.token(i)).collect::<Vec<_>>().join(" ");
                        let weight = term.weight * fw;
                        term_score += weight;
                        hits.push(Hit {
                            term: term.raw.clone(),
                            field: *field,
                            text,
                            weight,
                        });
                        break; // a term counts once, in its best field
                    }
                }
            }
            let mut signals = signal_hits(&compiled.topics, &doc_topics, Field::Topic);
            signals.extend(signal_hits(
                &compiled.departments,
                &doc_deps,
                Field::Department,
            ));
            if hits.is_empty() && signals.is_empty() {
                continue;
            }
            let score = if term_score > 0.0 {
                term_score + signals.iter().map(|h| h.weight).sum::<f64>()
            } else {
                0.0
            };
            hits.extend(signals);
            themes.push(ThemeScore {
                id: theme.id.clone(),
                name: theme.name.clone(),
                score,
                matched: false,
                hits,
            });
        }
        themes.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));

        let any_terms = themes.iter().any(|t| t.score > 0.0);
        let mut signals = signal_hits(&self.departments, &doc_deps, Field::Department);
        signals.extend(signal_hits(&self.topics, &doc_topics, Field::Topic));
        let global: f64 = if any_terms {
            signals.iter().map(|h| h.weight).sum()
        } else {
            0.0
        };
        let best = themes.first().map(|t| t.score).unwrap_or(0.0);
        let score = if any_terms { best + global } else { 0.0 };
        let relevant = any_terms && score >= self.set.threshold;
        // A theme matches on its own score; the global signals only lift
        // the best theme over the threshold, so that a relevant document
        // always names at least one theme and weak ones are not listed.
        for (i, t) in themes.iter_mut().enumerate() {
            t.matched = t.score > 0.0 && (t.score >= self.set.threshold || (i == 0 && relevant));
        }
        Verdict {
            relevant,
            score: (score * 100.0).round() / 100.0,
            themes,
            signals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn matcher(terms: &str) -> Matcher {
        let text = format!(
            "[matching]\nexclude = [\"dyrehelse\", \"helse miljø og sikkerhet\"]\ndepartments = {{ \"Helse- og omsorgsdepartementet\" = 1.0 }}\n[[theme]]\nid = \"T\"\nname = \"Test\"\nterms = {{ {terms} }}\n"
        );
        Matcher::new(ThemeSet::parse(&text, Path::new("t.toml")).unwrap())
    }

    fn title(m: &Matcher, t: &str) -> Verdict {
        m.classify(&DocText {
            title: t,
            ..DocText::default()
        })
    }

    #[test]
    fn a_page_can_lift_only_what_a_term_has_hit() {
        let set = ThemeSet::parse(
            "[matching]\nthreshold = 2.0\ntopics = { \"Helse og omsorg\" = 0.5 }\n\
             [[theme]]\nid = \"T\"\nname = \"Test\"\nterms = { \"legemidler\" = 1.0, \"fisk\" = 0.25 }\n\
             topics = { \"Legemidler\" = 0.5 }\n",
            Path::new("t.toml"),
        )
        .unwrap();
        let m = Matcher::new(set);
        let v = |title: &str, topics: &[&str]| {
            let topics: Vec<String> = topics.iter().map(|t| t.to_string()).collect();
            m.classify(&DocText {
                title,
                summary: None,
                departments: &[],
                topics: &topics,
            })
        };
        // 1.0 + 0.5 + 0.5 reaches 2.0: the page may make it relevant, and
        // does when it names both topics.
        let before = v("Høring om legemidler", &[]);
        assert!(!before.relevant && m.topics_could_lift(&before));
        assert!(v("Høring om legemidler", &["Legemidler", "Helse og omsorg"]).relevant);
        // 0.25 + 1.0 cannot; no hit at all cannot either.
        assert!(!m.topics_could_lift(&v("Høring om fisk", &[])));
        assert!(!m.topics_could_lift(&v("Høring om skatt", &[])));
        // Topics already read are not counted twice.
        assert!(!m.topics_could_lift(&v("Høring om fisk", &["Legemidler", "Helse og omsorg"])));
    }

    #[test]
    fn prefix_terms_match_inflections_and_leading_compounds() {
        let m = matcher("\"helsedata\" = 3, \"kvalitetsregistre\" = 3");
        assert!(title(&m, "Bruk av helsedataene").relevant);
        assert!(title(&m, "Det nye helsedataområdet").relevant);
        // The stemmer takes the plural off the term: the singular matches.
        assert!(title(&m, "Et nasjonalt kvalitetsregister").relevant);
        assert!(!title(&m, "Persondata i skatteforvaltningen").relevant);
        let m = matcher("\"legemiddel\" = 3");
        assert!(title(&m, "Nye legemidler").relevant, "middel/midler");
        assert!(title(&m, "Legemiddelindustrien").relevant);
    }

    #[test]
    fn infix_terms_match_inside_compounds_but_not_excluded_ones() {
        let m = matcher("\"*journal\" = 2, \"*helse\" = 2");
        let v = title(&m, "Endringer i pasientjournalloven");
        assert!(v.relevant);
        assert_eq!(v.themes[0].hits[0].text, "pasientjournalloven");
        assert!(title(&m, "En universell tannhelsetjeneste").relevant);
        assert!(!title(&m, "Forskrift om dyrehelse og dyrehelsepersonell").relevant);
        assert!(
            !title(
                &m,
                "Rammeforskriften om helse, miljø og sikkerhet i petroleumsvirksomheten"
            )
            .relevant
        );
    }

    #[test]
    fn exact_terms_and_phrases() {
        let m = matcher("\"=ki\" = 2, \"kliniske studier\" = 3");
        assert!(title(&m, "KI i helsetjenesten").relevant);
        assert!(!title(&m, "Kirkelig forvaltning").relevant);
        assert!(title(&m, "Handlingsplan for klinisk studie-virksomhet").relevant);
        assert!(title(&m, "Flere kliniske studier").relevant);
        assert!(!title(&m, "Kliniske retningslinjer for studier av fisk").relevant);
    }

    #[test]
    fn shipped_themes_do_not_read_forskrift_as_forskning() {
        let m = Matcher::new(ThemeSet::default_set());
        let v = title(&m, "Høring – forskrift om parkering ved sykehjem");
        assert!(!v.relevant, "{v:#?}");
        assert!(title(&m, "Langtidsplan for forskning og høyere utdanning").relevant);
    }

    #[test]
    fn nynorsk_text_meets_bokmal_terms() {
        let m = matcher("\"forskning\" = 2, \"helse og omsorgstjenest\" = 2");
        assert!(title(&m, "Forsking i kommunane").relevant);
        assert!(title(&m, "Endringar i helse- og omsorgstenestelova").relevant);
    }

    #[test]
    fn department_counts_only_with_a_term_hit_and_is_explained() {
        let m = matcher("\"samhandling\" = 1.5");
        let hod = vec!["Helse- og omsorgsdepartementet".to_string()];
        let doc = |t| DocText {
            title: t,
            departments: &hod,
            ..DocText::default()
        };
        let v = m.classify(&doc("Nasjonal helse- og samhandlingsplan"));
        assert!(v.relevant);
        assert_eq!(v.score, 2.5);
        assert_eq!(v.signals[0].field, Field::Department);
        let v = m.classify(&doc("Forslag til endringer i gjødselbrukforskriften"));
        assert!(!v.relevant);
        assert_eq!(v.score, 0.0);
    }

    #[test]
    fn a_term_counts_once_in_its_best_field() {
        let m = matcher("\"helsedata\" = 2");
        let v = m.classify(&DocText {
            title: "Helsedata",
            summary: Some("Helsedata og mer helsedata."),
            ..DocText::default()
        });
        assert_eq!(v.themes[0].hits.len(), 1);
        assert_eq!(v.themes[0].hits[0].field, Field::Title);
        assert_eq!(v.score, 2.0);
        let v = m.classify(&DocText {
            title: "Ny forskrift",
            summary: Some("Om helsedata."),
            ..DocText::default()
        });
        assert_eq!(v.themes[0].hits[0].field, Field::Summary);
        assert_eq!(v.score, 1.0, "the summary weighs half");
        assert!(!v.relevant);
    }
}
