//! CSV: the table only, plain text, the title's link in its own column.

use super::super::model::Column;
use super::super::view::{Block, Doc};
use super::Renderer;

pub struct Csv;

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first) gets a leading apostrophe. Every column,
/// the link column included.
fn spreadsheet_safe(s: String) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s
    }
}

impl Renderer for Csv {
    fn render(&self, doc: &Doc) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        for block in &doc.blocks {
            if let Block::Table(table) = block {
                let mut header: Vec<&str> =
                    Column::ALL.iter().map(|c| table.headings.get(*c)).collect();
                header.extend(["Lenke", "Merknad"]);
                w.write_record(&header)?;
                for row in &table.rows {
                    let mut rec: Vec<String> = Column::ALL
                        .iter()
                        .map(|c| spreadsheet_safe(row.plain(*c)))
                        .collect();
                    let link = row.link().and_then(crate::escape::http_url).unwrap_or("");
                    rec.push(spreadsheet_safe(link.to_string()));
                    rec.push(spreadsheet_safe(
                        row.flags
                            .iter()
                            .map(|f| f.label())
                            .collect::<Vec<_>>()
                            .join("; "),
                    ));
                    w.write_record(&rec)?;
                }
            }
        }
        Ok(w.into_inner()?)
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_not_run() {
        assert_eq!(
            spreadsheet_safe("=HYPERLINK(\"x\")".into()),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(spreadsheet_safe("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(
            spreadsheet_safe("-2+3+cmd|' /C calc'!A0".into()),
            "'-2+3+cmd|' /C calc'!A0"
        );
        assert_eq!(
            spreadsheet_safe("Frist høring 01.06.2026".into()),
            "Frist høring 01.06.2026"
        );
    }
}
