//! Reading cells: the light markup (`[text](url)`, `*italics*`), and the
//! council's wordings ("Frist høring 6.01.2025", "Lansering 2. halvår
//! 2024", "Innspill , 2024 Innspill , 2023") as typed entries.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{Cell, Entry, EntryKind, Season, Span, When};
use crate::norsk::{find_date, fold_label};

/// Characters a backslash escapes in the markup.
const ESCAPABLE: &[char] = &['\\', '[', ']', '*', '(', ')'];

/// `[text](url)` starting at `i`: the text (unescaped), the URL, and the
/// index after the closing parenthesis.
fn link_at(c: &[char], i: usize) -> Option<(String, String, usize)> {
    let mut text = String::new();
    let mut j = i + 1;
    loop {
        match c.get(j)? {
            '\\' if c.get(j + 1).is_some_and(|n| ESCAPABLE.contains(n)) => {
                text.push(c[j + 1]);
                j += 2;
            }
            ']' => break,
            '[' | '\n' => return None,
            ch => {
                text.push(*ch);
                j += 1;
            }
        }
    }
    if c.get(j + 1) != Some(&'(') {
        return None;
    }
    let mut url = String::new();
    let mut k = j + 2;
    loop {
        match c.get(k)? {
            ')' => break,
            ch if ch.is_whitespace() => return None,
            ch => {
                url.push(*ch);
                k += 1;
            }
        }
    }
    Some((text, url, k + 1))
}

/// `*text*` starting at `i`, on one line: the text and the index after.
fn italic_at(c: &[char], i: usize) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut j = i + 1;
    loop {
        match c.get(j)? {
            '\\' if c.get(j + 1).is_some_and(|n| ESCAPABLE.contains(n)) => {
                text.push(c[j + 1]);
                j += 2;
            }
            '*' if !text.is_empty() => return Some((text, j + 1)),
            '*' | '\n' => return None,
            ch => {
                text.push(*ch);
                j += 1;
            }
        }
    }
}

/// Splits marked-up text into spans: `[text](url)` links, `*italics*`, and
/// `\[`, `\]`, `\*`, `\\` for the characters themselves. Unmatched
/// brackets and stars are text.
pub fn spans(text: &str) -> Vec<Span> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut plain = String::new();
    let flush = |plain: &mut String, out: &mut Vec<Span>| {
        if !plain.is_empty() {
            out.push(Span::plain(std::mem::take(plain)));
        }
    };
    let mut i = 0;
    while i < c.len() {
        match c[i] {
            '\\' if c.get(i + 1).is_some_and(|n| ESCAPABLE.contains(n)) => {
                plain.push(c[i + 1]);
                i += 2;
            }
            '[' => match link_at(&c, i) {
                Some((t, url, end)) => {
                    flush(&mut plain, &mut out);
                    out.push(Span::link(t, url));
                    i = end;
                }
                None => {
                    plain.push('[');
                    i += 1;
                }
            },
            '*' => match italic_at(&c, i) {
                Some((t, end)) => {
                    flush(&mut plain, &mut out);
                    out.push(Span {
                        text: t,
                        link: None,
                        italic: true,
                    });
                    i = end;
                }
                None => {
                    plain.push('*');
                    i += 1;
                }
            },
            ch => {
                plain.push(ch);
                i += 1;
            }
        }
    }
    flush(&mut plain, &mut out);
    out
}

/// The text without markup.
pub fn plain_text(text: &str) -> String {
    spans(text).into_iter().map(|s| s.text).collect()
}

/// Escapes text so that it reads back as itself in the markup.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '\\' | '[' | ']' | '*') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Marked-up text for a link. The URL keeps its meaning: spaces and
/// parentheses are percent-encoded, as a browser would.
pub fn link_markup(text: &str, url: &str) -> String {
    let url = url
        .trim()
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29");
    format!("[{}]({url})", escape_markup(text))
}

/// Converts the HTML of pasted table cells (`<a href="…">…</a>`,
/// `<i>…</i>`, `<br>`) to the markup; other tags are dropped and their
/// text kept. Markup already in the text (`[x](y)`) passes through.
pub fn from_html(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    let fragment = scraper::Html::parse_fragment(s);
    let mut out = String::new();
    markup_of(fragment.root_element(), &mut out);
    out.replace('\u{a0}', " ")
}

fn markup_of(el: scraper::ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
            continue;
        }
        let Some(child) = scraper::ElementRef::wrap(child) else {
            continue;
        };
        let mut inner = String::new();
        match child.value().name() {
            "br" => out.push('\n'),
            "script" | "style" => {}
            "a" => {
                markup_of(child, &mut inner);
                match child.value().attr("href").map(str::trim) {
                    Some(href) if !href.is_empty() => {
                        let href = href
                            .replace(' ', "%20")
                            .replace('(', "%28")
                            .replace(')', "%29");
                        out.push_str(&format!("[{inner}]({href})"));
                    }
                    _ => out.push_str(&inner),
                }
            }
            "i" | "em" => {
                markup_of(child, &mut inner);
                if inner.trim().is_empty() {
                    out.push_str(&inner);
                } else {
                    out.push_str(&format!("*{inner}*"));
                }
            }
            _ => markup_of(child, out),
        }
    }
}

/// The clause openers the council uses; a cell is split before each.
const OPENERS: &[&str] = &[
    "ikke levert innspill",
    "innspill ikke aktuelt",
    "innspill",
    "se over",
    "lansert",
    "lansering",
    "ventes lansert",
    "legges frem",
    "nou skal leveres",
    "rapport innen",
    "rapport ferdig",
    "frist horing",
    "horingsfrist",
    "frist for innspill",
    "innspillsfrist",
    "horingsuttalelse",
    "horings svar",
    "horingssvar",
    "sak pa",
];

/// Reads a cell's text into typed entries.
pub fn parse_cell(text: &str) -> Cell {
    let mut entries = Vec::new();
    // Labels in italics ("*Stortingsmelding:* Lansering 1. halvår 2025")
    // start a labelled part.
    let mut label: Option<String> = None;
    let mut part = String::new();
    let mut link: Option<String> = None;
    let flush = |part: &mut String,
                 link: &mut Option<String>,
                 label: &Option<String>,
                 entries: &mut Vec<Entry>| {
        for clause in split_clauses(part) {
            entries.push(read_clause(&clause, label.clone(), link.take()));
        }
        part.clear();
    };
    for span in spans(text) {
        if span.italic && span.text.trim_end().ends_with(':') {
            flush(&mut part, &mut link, &label, &mut entries);
            label = Some(span.text.trim().trim_end_matches(':').trim().to_string());
            continue;
        }
        if let Some(l) = &span.link {
            link.get_or_insert_with(|| l.clone());
        }
        part.push_str(&span.text);
    }
    flush(&mut part, &mut link, &label, &mut entries);
    Cell {
        text: text.to_string(),
        entries,
    }
}

/// Splits a run of text before each opener ("Innspill , 2024 Innspill ,
/// 2023" → two clauses). The longest opener wins, so "Ikke levert
/// innspill" is one clause, not two.
fn split_clauses(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold_label(w)).collect();
    let opener_at = |i: usize| -> Option<usize> {
        let rest = folded[i..].join(" ");
        OPENERS
            .iter()
            .filter(|op| rest.starts_with(*op))
            .map(|op| op.split(' ').count())
            .max()
    };
    let mut cuts = vec![0];
    let mut i = opener_at(0).unwrap_or(1).min(words.len());
    while i < words.len() {
        match opener_at(i) {
            Some(n) => {
                cuts.push(i);
                i += n;
            }
            None => i += 1,
        }
    }
    cuts.push(words.len());
    cuts.windows(2)
        .map(|w| words[w[0]..w[1]].join(" "))
        .filter(|s| !s.trim().is_empty())
        .collect()
}

fn when_in(text: &str) -> Option<When> {
    if let Ok(Some((date, _))) = find_date(text) {
        return Some(When::Day { date });
    }
    let f = fold_label(text);
    static HALF: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"([12])\.\s*halvar\s+(\d{4})").expect("half regex"));
    static SEASON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(varen|var|sommeren|sommer|hosten|host|vinteren|vinter)\s+(\d{4})")
            .expect("season regex")
    });
    static MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\s+(\d{4})")
            .expect("month regex")
    });
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(19|20)(\d{2})\b").expect("year regex"));
    if let Some(c) = HALF.captures(&f) {
        return Some(When::Half {
            year: c[2].parse().ok()?,
            half: c[1].parse().ok()?,
        });
    }
    if let Some(c) = SEASON.captures(&f) {
        let season = match &c[1] {
            "varen" | "var" => Season::Spring,
            "sommeren" | "sommer" => Season::Summer,
            "hosten" | "host" => Season::Autumn,
            _ => Season::Winter,
        };
        return Some(When::Season {
            year: c[2].parse().ok()?,
            season,
        });
    }
    if let Some(c) = MONTH.captures(&f) {
        const M: [&str; 12] = [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ];
        let month = M.iter().position(|m| *m == &c[1])? as i8 + 1;
        return Some(When::Month {
            year: c[2].parse().ok()?,
            month,
        });
    }
    YEAR.captures(&f).and_then(|c| {
        Some(When::Year {
            year: format!("{}{}", &c[1], &c[2]).parse().ok()?,
        })
    })
}

fn read_clause(clause: &str, label: Option<String>, link: Option<String>) -> Entry {
    let f = fold_label(clause);
    let when = when_in(clause);
    // A deadline for written input (a Storting committee's hearing).
    let input_deadline = f.starts_with("frist for innspill") || f.starts_with("innspillsfrist");
    let kind = if input_deadline {
        EntryKind::HearingDeadline
    } else if f.starts_with("ikke levert innspill") {
        EntryKind::NoInput
    } else if f.starts_with("innspill ikke aktuelt") {
        EntryKind::NotRelevant
    } else if f.starts_with("se over") {
        EntryKind::SeeAbove
    } else if f.starts_with("innspill") {
        EntryKind::CouncilInput
    } else if f.starts_with("horingsuttalelse")
        || f.starts_with("horings svar")
        || f.starts_with("horingssvar")
    {
        EntryKind::CouncilResponse
    } else if (f.starts_with("frist horing") || f.starts_with("horingsfrist"))
        && f.contains("ikke klar")
    {
        EntryKind::DeadlineUnknown
    } else if f.starts_with("frist horing") || f.starts_with("horingsfrist") {
        EntryKind::HearingDeadline
    } else if f.starts_with("lansert") {
        EntryKind::Launched
    } else if f.starts_with("lansering") || f.starts_with("ventes") || f.starts_with("legges frem")
    {
        EntryKind::Expected
    } else if f.contains("innen") || f.contains("skal leveres") {
        EntryKind::DueBy
    } else if f.starts_with("sak pa") {
        EntryKind::MeetingCase
    } else if matches!(when, Some(When::Day { .. }))
        && f.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ' ')
    {
        // A bare date: launched (in the launch column) or a deadline (in
        // the hearing column); the column decides, see `Cell` users.
        EntryKind::Launched
    } else {
        EntryKind::FreeText
    };
    Entry {
        kind,
        label,
        when: if matches!(
            kind,
            EntryKind::NoInput | EntryKind::NotRelevant | EntryKind::SeeAbove
        ) {
            None
        } else {
            when
        },
        link,
        text: clause.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn kinds(text: &str) -> Vec<(EntryKind, Option<When>)> {
        parse_cell(text)
            .entries
            .into_iter()
            .map(|e| (e.kind, e.when))
            .collect()
    }

    #[test]
    fn input_column() {
        assert_eq!(
            kinds("Innspill , 2024 Innspill , 2023"),
            vec![
                (EntryKind::CouncilInput, Some(When::Year { year: 2024 })),
                (EntryKind::CouncilInput, Some(When::Year { year: 2023 })),
            ]
        );
        let cell = parse_cell("[Innspill](https://x/innspill) , 14.10.2024");
        assert_eq!(cell.entries.len(), 1);
        assert_eq!(
            cell.entries[0].when,
            Some(When::Day {
                date: date(2024, 10, 14)
            })
        );
        assert_eq!(cell.entries[0].link.as_deref(), Some("https://x/innspill"));
        assert_eq!(
            kinds("Ikke levert innspill"),
            vec![(EntryKind::NoInput, None)]
        );
        assert_eq!(
            kinds("Innspill ikke aktuelt"),
            vec![(EntryKind::NotRelevant, None)]
        );
        assert_eq!(kinds("Se over."), vec![(EntryKind::SeeAbove, None)]);
    }

    #[test]
    fn launch_column() {
        assert_eq!(
            kinds("26.09.2024"),
            vec![(
                EntryKind::Launched,
                Some(When::Day {
                    date: date(2024, 9, 26)
                })
            )]
        );
        assert_eq!(
            kinds("[Lansert 28.5.2026](#)"),
            vec![(
                EntryKind::Launched,
                Some(When::Day {
                    date: date(2026, 5, 28)
                })
            )]
        );
        assert_eq!(
            kinds("Lansering 2. halvår 2024"),
            vec![(
                EntryKind::Expected,
                Some(When::Half {
                    year: 2024,
                    half: 2
                })
            )]
        );
        assert_eq!(
            kinds("Lansering i 2025"),
            vec![(EntryKind::Expected, Some(When::Year { year: 2025 }))]
        );
        assert_eq!(
            kinds("Ventes lansert våren 2026"),
            vec![(
                EntryKind::Expected,
                Some(When::Season {
                    year: 2026,
                    season: Season::Spring
                })
            )]
        );
        assert_eq!(
            kinds("NOU skal leveres innen 1 november 2026"),
            vec![(
                EntryKind::DueBy,
                Some(When::Day {
                    date: date(2026, 11, 1)
                })
            )]
        );
        assert_eq!(
            kinds("Rapport innen 1. mars 2027"),
            vec![(
                EntryKind::DueBy,
                Some(When::Day {
                    date: date(2027, 3, 1)
                })
            )]
        );
        let cell =
            parse_cell("*Stortingsmelding:* Lansering 1. halvår 2025 *Rapporter:* 15.02.2024");
        assert_eq!(cell.entries.len(), 2);
        assert_eq!(cell.entries[0].label.as_deref(), Some("Stortingsmelding"));
        assert_eq!(
            cell.entries[0].when,
            Some(When::Half {
                year: 2025,
                half: 1
            })
        );
        assert_eq!(cell.entries[1].label.as_deref(), Some("Rapporter"));
        assert_eq!(
            cell.entries[1].when,
            Some(When::Day {
                date: date(2024, 2, 15)
            })
        );
    }

    #[test]
    fn hearing_column_deadline_or_response() {
        assert_eq!(
            kinds("Frist høring 6.01.2025"),
            vec![(
                EntryKind::HearingDeadline,
                Some(When::Day {
                    date: date(2025, 1, 6)
                })
            )]
        );
        assert_eq!(
            kinds("Høringsfrist ikke klar"),
            vec![(EntryKind::DeadlineUnknown, None)]
        );
        assert_eq!(
            kinds("Høringsuttalelse , 2024"),
            vec![(EntryKind::CouncilResponse, Some(When::Year { year: 2024 }))]
        );
        assert_eq!(
            kinds("[Høringsuttalelse](#) , 6.1.2025"),
            vec![(
                EntryKind::CouncilResponse,
                Some(When::Day {
                    date: date(2025, 1, 6)
                })
            )]
        );
    }

    #[test]
    fn followup_mixes_response_and_text() {
        let cell = parse_cell("[Hørings svar](#) , 6.5.2025  Følges opp i helsedataarbeidet");
        assert_eq!(cell.entries[0].kind, EntryKind::CouncilResponse);
        assert_eq!(kinds("Sak på rådsmøte 3/2026")[0].0, EntryKind::MeetingCase);
        // A Storting committee's deadline for written input.
        let k = kinds("Stortinget, helse- og omsorgskomiteen: frist for innspill 12.01.2027");
        assert_eq!(k.last().unwrap().0, EntryKind::HearingDeadline, "{k:?}");
        assert_eq!(
            k.last().unwrap().1,
            Some(When::Day {
                date: date(2027, 1, 12)
            })
        );
        assert_eq!(
            kinds("Innspillsfrist 12.01.2027")[0].0,
            EntryKind::HearingDeadline
        );
    }

    #[test]
    fn html_and_markup() {
        let t = from_html(r##"<a href="#">Innspill</a> , 14.10.2024 <i>Rapporter:</i> x &amp; y"##);
        assert_eq!(t, "[Innspill](#) , 14.10.2024 *Rapporter:* x & y");
        // Tags the pasted table has around its text; a line break; an
        // address with spaces; a link without one; a half-open tag.
        assert_eq!(
            from_html(
                r#"<p><span style="x">Lansert</span>&nbsp;23.3.2026<br>Ny <a href="https://x/a (b)">linje</a> <a>ingen</a> <b"#
            ),
            "Lansert 23.3.2026\nNy [linje](https://x/a%20%28b%29) ingen "
        );
        assert_eq!(
            from_html("[Innspill](https://x) a < b"),
            "[Innspill](https://x) a < b"
        );
        assert_eq!(plain_text(&t), "Innspill , 14.10.2024 Rapporter: x & y");
        let s = spans("a [b](u) *c* d");
        assert_eq!(s.len(), 5);
        assert_eq!(s[1], Span::link("b", "u"));
        assert!(s[3].italic);
        let l = link_markup("Tittel [utkast] *viktig*", "https://x/a b_(c)");
        assert_eq!(
            spans(&l),
            [Span::link(
                "Tittel [utkast] *viktig*",
                "https://x/a%20b_%28c%29"
            )]
        );
        assert_eq!(plain_text(&escape_markup("a [b] *c* \\d")), "a [b] *c* \\d");
        assert_eq!(
            spans("[ikke lenke] (x) *"),
            [Span::plain("[ikke lenke] (x) *")]
        );
    }
}
