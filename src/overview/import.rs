//! Importing an existing overview table: tab-separated (as pasted from the
//! Word case papers) or a Markdown table. Columns are found by their
//! headings, so an extra column ("#") or the 2026 wording ("Innspill",
//! "Forslag videre oppfølging …") is fine.

use std::collections::BTreeMap;

use super::cells::from_html;
use super::model::Column;
use crate::norsk::fold_label;

/// One imported row: the text of each column in the table's markup.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedRow {
    pub cells: BTreeMap<Column, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("linje {line}: {message}")]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

fn column_of_heading(h: &str) -> Option<Column> {
    let f = fold_label(h);
    if f.contains("melding") && f.contains("nou") || f.starts_with("melding/strategi") {
        Some(Column::Title)
    } else if f.contains("oppfolging") {
        Some(Column::Followup)
    } else if f.starts_with("innspill") {
        Some(Column::Input)
    } else if f.starts_with("lansering") {
        Some(Column::Launch)
    } else if f.starts_with("horing") {
        Some(Column::Hearing)
    } else {
        None
    }
}

fn header_columns(headings: &[String], line: usize) -> Result<Vec<Option<Column>>, ImportError> {
    let cols: Vec<Option<Column>> = headings.iter().map(|h| column_of_heading(h)).collect();
    if !cols.contains(&Some(Column::Title)) {
        return Err(ImportError {
            line,
            message: format!(
                "fant ikke kolonnen «Melding/strategi/NOU» i overskriftene {headings:?}"
            ),
        });
    }
    Ok(cols)
}

fn row_from(cols: &[Option<Column>], fields: &[String]) -> ImportedRow {
    let mut row = ImportedRow::default();
    for (col, field) in cols.iter().zip(fields) {
        if let Some(col) = col {
            let text = from_html(field);
            let text = text.trim().to_string();
            if !text.is_empty() {
                row.cells.insert(*col, text);
            }
        }
    }
    row
}

/// The table's own column headings, as written in its first line (the 2024
/// and 2026 tables word two of them differently).
pub fn table_headings(text: &str) -> BTreeMap<Column, String> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let fields: Vec<String> = if first.trim_start().starts_with('|') {
        md_fields(first)
    } else {
        first.split('\t').map(|f| f.trim().to_string()).collect()
    };
    fields
        .iter()
        .filter_map(|h| {
            let h = from_html(h).trim().to_string();
            column_of_heading(&h).map(|c| (c, crate::norsk::clean_text(&h, 100)))
        })
        .collect()
}

/// Reads a table, tab-separated or Markdown (told apart by the first line).
pub fn parse_table(text: &str) -> Result<Vec<ImportedRow>, ImportError> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.trim_start().starts_with('|') {
        parse_markdown(text)
    } else {
        parse_tsv(text)
    }
}

pub fn parse_tsv(text: &str) -> Result<Vec<ImportedRow>, ImportError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((n, header)) = lines.next() else {
        return Err(ImportError {
            line: 1,
            message: "tabellen er tom".into(),
        });
    };
    let headings: Vec<String> = header
        .split('\t')
        .map(|h| from_html(h).trim().to_string())
        .collect();
    let cols = header_columns(&headings, n + 1)?;
    let mut rows = Vec::new();
    for (n, line) in lines {
        let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
        if fields.len() > cols.len() {
            return Err(ImportError {
                line: n + 1,
                message: format!("{} felt, men overskriften har {}", fields.len(), cols.len()),
            });
        }
        let row = row_from(&cols, &fields);
        if !row.cells.contains_key(&Column::Title) {
            return Err(ImportError {
                line: n + 1,
                message: "raden har ingen tittel".into(),
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Splits a Markdown table line on `|`, keeping `\|` as a character.
fn md_fields(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                field.push('|');
                chars.next();
            }
            '|' => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

pub fn parse_markdown(text: &str) -> Result<Vec<ImportedRow>, ImportError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with('|'));
    let Some((n, header)) = lines.next() else {
        return Err(ImportError {
            line: 1,
            message: "fant ingen Markdown-tabell".into(),
        });
    };
    let cols = header_columns(&md_fields(header), n + 1)?;
    let mut rows = Vec::new();
    for (n, line) in lines {
        let fields = md_fields(line);
        if fields
            .iter()
            .all(|f| f.chars().all(|c| c == '-' || c == ':' || c == ' '))
        {
            continue; // the |---|---| line
        }
        let row = row_from(&cols, &fields);
        if !row.cells.contains_key(&Column::Title) {
            return Err(ImportError {
                line: n + 1,
                message: "raden har ingen tittel".into(),
            });
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_with_html_links_and_blank_lines() {
        let text = "Melding/strategi/NOU\tInnspill\tLansering\tHøring\tForslag videre oppfølging fra HO21-rådet\n\
<a href=\"#\">Demensplan 2030</a>\t\tLegges frem våren 2026\t\t\n\n\
Hjernehelsestrategi\t\tVentes lansert våren 2026\t\t\n";
        let rows = parse_tsv(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].cells[&Column::Title], "[Demensplan 2030](#)");
        assert_eq!(rows[0].cells[&Column::Launch], "Legges frem våren 2026");
        assert!(!rows[0].cells.contains_key(&Column::Input));
    }

    #[test]
    fn markdown_with_an_extra_column_and_escaped_pipes() {
        let text = "| # | Melding/strategi/NOU | Innspill fra rådet | Lansering | Høring | Videre oppfølging fra HO21-rådet |\n\
|---|---|---|---|---|---|\n\
| A1 | Veikart for helsenæring | Innspill , 2024 Innspill , 2023 | 23.08.2023 | | Brev a \\| b |\n";
        let rows = parse_markdown(text).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].cells[&Column::Title], "Veikart for helsenæring");
        assert_eq!(rows[0].cells[&Column::Followup], "Brev a | b");
        assert_eq!(rows[0].cells.len(), 4);
    }

    #[test]
    fn the_tables_own_headings_are_kept() {
        let h = table_headings(
            "Melding/strategi/NOU\tInnspill\tLansering\tHøring\tForslag videre oppfølging fra HO21-rådet\nx\t\t\t\t\n",
        );
        assert_eq!(h[&Column::Input], "Innspill");
        assert_eq!(
            h[&Column::Followup],
            "Forslag videre oppfølging fra HO21-rådet"
        );
        assert_eq!(h.len(), 5);
    }

    #[test]
    fn a_table_without_the_title_column_is_refused() {
        let e = parse_tsv("A\tB\nx\ty\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse_tsv("Melding/strategi/NOU\tInnspill\n\tx\n").unwrap_err();
        assert!(e.message.contains("ingen tittel"), "{e}");
    }
}
