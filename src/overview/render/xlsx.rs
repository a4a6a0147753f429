//! An Excel workbook of the table: a header row that stays in view, column
//! widths, wrapped text, clickable titles, the flags as coloured cells, and
//! every row. (A comma CSV opens as one column in Norwegian Excel; this is
//! what people open.) Printed landscape on A4, one page wide, the header on
//! every page.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Url, Workbook};

use super::super::model::Column;
use super::super::view::{Block, Doc, Flag};
use super::{Renderer, real_link};

pub struct Xlsx;

/// Excel's limits: characters in a cell, and in a link.
const MAX_CELL: usize = 32_000;
const MAX_URL: usize = 2_000;

/// The lines a text takes in a column this many characters wide, wrapped
/// at words as Excel does (near enough to size the row).
fn lines_in(text: &str, width: f64) -> u32 {
    let per_line = (width * 1.1).max(1.0) as usize;
    text.lines()
        .map(|l| l.chars().count().div_ceil(per_line).max(1) as u32)
        .sum::<u32>()
        .max(1)
}

fn fit(s: &str) -> String {
    let clean = crate::escape::xml_text(s);
    if clean.chars().count() <= MAX_CELL {
        return clean;
    }
    let mut cut: String = clean.chars().take(MAX_CELL - 1).collect();
    cut.push('…');
    cut
}

/// The flag colour that matters most for a row: the most urgent first.
fn fill(flags: &[Flag]) -> Option<u32> {
    let rank = |k: &str| match k {
        "urgent" => 0,
        "soon" => 1,
        "passed" => 2,
        "new" => 3,
        _ => 4,
    };
    let kind = flags.iter().map(|f| f.kind()).min_by_key(|k| rank(k))?;
    Some(match kind {
        "urgent" => 0xFFC9A3,
        "soon" => 0xFFE3A3,
        "passed" => 0xF3C6C6,
        "new" => 0xD8F0D8,
        _ => 0xE0E0F0,
    })
}

impl Renderer for Xlsx {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Oversikt")?;
        let cell = Format::new()
            .set_text_wrap()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBBBBBB));
        let head = cell
            .clone()
            .set_bold()
            .set_background_color(Color::RGB(0xE8EEF4));
        let link = cell
            .clone()
            .set_text_wrap()
            .set_font_color(Color::RGB(0x0563C1))
            .set_underline(rust_xlsxwriter::FormatUnderline::Single);
        let widths = [48.0, 24.0, 26.0, 28.0, 40.0, 34.0];
        for (i, w) in widths.iter().enumerate() {
            sheet.set_column_width(i as u16, *w)?;
        }
        let mut r: u32 = 0;
        for block in &doc.blocks {
            let Block::Table(table) = block else {
                continue;
            };
            for (i, c) in Column::ALL.iter().enumerate() {
                sheet.write_string_with_format(r, i as u16, table.headings.get(*c), &head)?;
            }
            sheet.write_string_with_format(r, Column::ALL.len() as u16, "Merknad", &head)?;
            if r == 0 {
                sheet.set_freeze_panes(1, 0)?;
                sheet.set_repeat_rows(0, 0)?;
            }
            r += 1;
            for row in &table.rows {
                // Wrapped text needs the row's height set: LibreOffice does
                // not grow a row by itself.
                let labels: Vec<String> = row.flags.iter().map(|f| f.label()).collect();
                let lines = Column::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, c)| lines_in(&row.plain(*c), widths[i]))
                    .chain(std::iter::once(lines_in(&labels.join("\n"), widths[5])))
                    .max()
                    .unwrap_or(1)
                    .min(40);
                sheet.set_row_height(r, 15.0 * f64::from(lines))?;
                for (i, c) in Column::ALL.iter().enumerate() {
                    let text = fit(&row.plain(*c));
                    let url = (*c == Column::Title)
                        .then(|| real_link(row.link()))
                        .flatten()
                        .filter(|u| u.len() <= MAX_URL);
                    match url {
                        Some(u) if !text.is_empty() => {
                            sheet.write_url_with_format(
                                r,
                                i as u16,
                                Url::new(u).set_text(text),
                                &link,
                            )?;
                        }
                        _ => {
                            sheet.write_string_with_format(r, i as u16, text, &cell)?;
                        }
                    }
                }
                let flag_cell = match fill(&row.flags) {
                    Some(rgb) => cell
                        .clone()
                        .set_background_color(Color::RGB(rgb))
                        .set_bold(),
                    None => cell.clone(),
                };
                sheet.write_string_with_format(
                    r,
                    Column::ALL.len() as u16,
                    fit(&labels.join("\n")),
                    &flag_cell,
                )?;
                r += 1;
            }
        }
        if r > 1 {
            sheet.autofilter(0, 0, r - 1, Column::ALL.len() as u16)?;
        }
        sheet.set_landscape();
        sheet.set_paper_size(9); // A4
        sheet.set_print_fit_to_pages(1, 0);
        Ok(book.save_to_buffer()?)
    }
}
