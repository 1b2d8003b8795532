//! A self-contained HTML report: sections of text, tables and PNG pictures embedded as
//! base64, so the one file can be opened or mailed anywhere.

use base64::Engine;
use std::fmt::Write;

/// A report being assembled, section by section.
pub struct Report {
    title: String,
    body: String,
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Report {
    pub fn new(title: &str) -> Self {
        Report {
            title: title.to_string(),
            body: String::new(),
        }
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) {
        let _ = writeln!(self.body, "<h2>{}</h2>", esc(text));
    }

    /// A paragraph of plain text.
    pub fn paragraph(&mut self, text: &str) {
        let _ = writeln!(self.body, "<p>{}</p>", esc(text));
    }

    /// A PNG picture with a caption.
    pub fn image(&mut self, png: &[u8], caption: &str) {
        let data = base64::engine::general_purpose::STANDARD.encode(png);
        let _ = writeln!(
            self.body,
            "<figure><img src=\"data:image/png;base64,{data}\" alt=\"{0}\"><figcaption>{0}</figcaption></figure>",
            esc(caption)
        );
    }

    /// A table with a header row.
    pub fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        self.body.push_str("<table><tr>");
        for h in header {
            let _ = write!(self.body, "<th>{}</th>", esc(h));
        }
        self.body.push_str("</tr>\n");
        for row in rows {
            self.body.push_str("<tr>");
            for cell in row {
                let _ = write!(self.body, "<td>{}</td>", esc(cell));
            }
            self.body.push_str("</tr>\n");
        }
        self.body.push_str("</table>\n");
    }

    /// The whole page.
    pub fn html(&self) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{0}</title>\n<style>\
             body{{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}}\
             table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:3px 8px;text-align:right}}\
             th{{background:#f3f3f3}}img{{max-width:100%;border:1px solid #ddd}}figcaption{{color:#666;font-size:90%}}\
             </style></head>\n<body><h1>{0}</h1>\n{1}</body></html>\n",
            esc(&self.title),
            self.body
        )
    }
}
