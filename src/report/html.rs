//! `report.html`: one self-contained page — summary tables and the plots as inline SVG,
//! styles inline, no scripts and nothing fetched from the network.

use std::fmt::Write as _;

/// A piece of a report section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph of plain text.
    Text(String),
    /// What every row of the table below it has in common (said once, not repeated in
    /// a column).
    Same(String),
    /// Preformatted text (a terminal table), shown in a monospace font.
    Pre(String),
    /// A table: header cells and rows of cells.
    Table {
        /// Column headings.
        head: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<String>>,
    },
    /// A figure: an SVG document drawn inline, with a caption.
    Figure {
        /// The SVG document (an `<svg>` element, optionally after an XML declaration).
        svg: String,
        /// Shown under the figure.
        caption: String,
    },
}

/// A titled section of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Heading.
    pub title: String,
    /// Its contents, in order.
    pub blocks: Vec<Block>,
}

/// A whole report page.
#[derive(Clone, Debug, PartialEq)]
pub struct HtmlReport {
    /// Page title and top heading.
    pub title: String,
    /// A line under the title (what was run, by which version).
    pub subtitle: String,
    /// The sections.
    pub sections: Vec<Section>,
}

const STYLE: &str = "body{font-family:'Noto Sans',Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1a1a1a;background:#fff}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}\
p.sub{color:#555;margin-top:0}pre{background:#f6f6f6;padding:.8rem;overflow-x:auto;font-size:.8rem;line-height:1.25}\
div.table{overflow-x:auto;max-width:100%}\
table{border-collapse:collapse;font-size:.85rem;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right;white-space:nowrap}\
th{background:#f0f0f0;vertical-align:bottom;white-space:normal}th.short{white-space:nowrap}td:first-child,th:first-child,.name{text-align:left}\
p.same{color:#444;font-size:.9rem;margin:.6rem 0 0}\
figure{margin:1.2rem 0}figure svg{max-width:100%;height:auto;display:block}figcaption{color:#444;font-size:.9rem;margin-top:.3rem}\
nav ul{columns:2;font-size:.9rem}\
@media (max-width:900px){body{margin:1rem auto}table{font-size:.78rem}th,td{padding:.2rem .3rem}}";

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An SVG document as an inline element: the XML declaration and doctype dropped.
fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => svg[i..].trim_end(),
        None => svg.trim(),
    }
}

/// Whether a cell is a name rather than a figure: it holds a letter and is no verdict,
/// no interval and no percentage.
fn is_name(cell: &str) -> bool {
    cell.chars().any(char::is_alphabetic)
        && !cell.contains('…')
        && cell != "ok"
        && !cell.starts_with("UNSTABLE")
}

/// A table in a container that scrolls sideways when the page is narrower than the
/// table (cells never wrap: an interval stays on one line). A column of names is
/// aligned left, heading included; figures right.
fn render_table(out: &mut String, head: &[String], rows: &[Vec<String>]) {
    let names: Vec<bool> = (0..head.len())
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .all(|cell| cell.trim().is_empty() || is_name(cell))
        })
        .collect();
    let class = |c: usize| {
        if names.get(c).copied().unwrap_or(false) {
            " class=\"name\""
        } else {
            ""
        }
    };
    out.push_str("<div class=\"table\"><table>\n<thead><tr>");
    for (c, h) in head.iter().enumerate() {
        // A short heading ("mean h", "staff-hours") stays on one line; a long one (an
        // axis path) may break at its spaces and after its dots. Cells never break.
        if h.chars().count() <= 14 {
            let class = if class(c).is_empty() { "" } else { " name" };
            let _ = write!(out, "<th class=\"short{class}\">{}</th>", escape(h));
        } else {
            let text = escape(h).replace('.', ".<wbr>");
            let _ = write!(out, "<th{}>{text}</th>", class(c));
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        out.push_str("<tr>");
        for (c, cell) in r.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(c), escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// A table whose columns of words (names, verdicts: not figures) with the same value
/// in every row (of two or more) are said once, in a line above it, instead of
/// repeated: `head: value · head: value`. A figure stays in its column even when it is
/// the same in every row (one mode's flow is the overall flow). A table of one row, or
/// whose every column is constant, is kept whole.
pub fn table_blocks(head: Vec<String>, rows: Vec<Vec<String>>) -> Vec<Block> {
    let words = |cell: &String| cell.chars().any(char::is_alphabetic);
    let constant: Vec<bool> = (0..head.len())
        .map(|c| {
            // Only a column of words (a series, a verdict): figures that happen to
            // agree (a one-mode scenario's mode and overall) are still figures.
            rows.len() > 1
                && rows
                    .iter()
                    .all(|r| r.get(c).is_some_and(words) && r.get(c) == rows[0].get(c))
        })
        .collect();
    if !constant.contains(&true) || constant.iter().all(|&k| k) {
        return vec![Block::Table { head, rows }];
    }
    let same: Vec<String> = (0..head.len())
        .filter(|&c| constant[c])
        .map(|c| format!("{}: {}", head[c], rows[0][c].trim()))
        .collect();
    let keep = |cells: Vec<String>| -> Vec<String> {
        cells
            .into_iter()
            .zip(&constant)
            .filter(|(_, k)| !**k)
            .map(|(c, _)| c)
            .collect()
    };
    vec![
        Block::Same(format!("In every row: {}.", same.join(" · "))),
        Block::Table {
            head: keep(head),
            rows: rows.into_iter().map(keep).collect(),
        },
    ]
}

impl HtmlReport {
    /// The page, as HTML5 text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sub\">{}</p>\n",
            escape(&self.title),
            escape(&self.title),
            escape(&self.subtitle)
        );
        if self.sections.len() > 1 {
            out.push_str("<nav><ul>\n");
            for (i, s) in self.sections.iter().enumerate() {
                let _ = writeln!(out, "<li><a href=\"#s{i}\">{}</a></li>", escape(&s.title));
            }
            out.push_str("</ul></nav>\n");
        }
        for (i, s) in self.sections.iter().enumerate() {
            let _ = writeln!(out, "<section id=\"s{i}\">\n<h2>{}</h2>", escape(&s.title));
            for b in &s.blocks {
                match b {
                    Block::Text(t) => {
                        let _ = writeln!(out, "<p>{}</p>", escape(t));
                    }
                    Block::Same(t) => {
                        let _ = writeln!(out, "<p class=\"same\">{}</p>", escape(t));
                    }
                    Block::Pre(t) => {
                        let _ = writeln!(out, "<pre>{}</pre>", escape(t.trim_end()));
                    }
                    Block::Table { head, rows } => render_table(&mut out, head, rows),
                    Block::Figure { svg, caption } => {
                        let _ = writeln!(
                            out,
                            "<figure>\n{}\n<figcaption>{}</figcaption>\n</figure>",
                            inline_svg(svg),
                            escape(caption)
                        );
                    }
                }
            }
            out.push_str("</section>\n");
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_contained_page() {
        let r = HtmlReport {
            title: "Ports <2017>".into(),
            subtitle: "portsim & friends".into(),
            sections: vec![
                Section {
                    title: "Summary".into(),
                    blocks: vec![
                        Block::Pre("a  b\n1  2\n".into()),
                        Block::Table {
                            head: vec!["mode".into(), "mean h".into()],
                            rows: vec![vec!["rail".into(), "8.5".into()]],
                        },
                    ],
                },
                Section {
                    title: "Plots".into(),
                    blocks: vec![Block::Figure {
                        svg: "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\"></svg>\n"
                            .into(),
                        caption: "a \"plot\"".into(),
                    }],
                },
            ],
        };
        let html = r.render();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>Ports &lt;2017&gt;</title>"));
        assert!(html.contains("portsim &amp; friends"));
        assert!(html.contains("<svg width=\"10\" height=\"10\"></svg>"));
        assert!(
            !html.contains("<?xml"),
            "declarations are dropped inside HTML"
        );
        assert!(html.contains("<td class=\"name\">rail</td><td>8.5</td>"));
        // Headings: a short one on one line, a long one (an axis path) broken after dots.
        assert!(html.contains("<th class=\"short\">mean h</th>"));
        let long = HtmlReport {
            sections: vec![Section {
                title: "Variants".into(),
                blocks: vec![Block::Table {
                    head: vec!["pools.release.staff".into()],
                    rows: vec![vec!["3".into()]],
                }],
            }],
            ..r.clone()
        };
        assert!(
            long.render()
                .contains("<th>pools.<wbr>release.<wbr>staff</th>")
        );
        assert!(html.contains("a &quot;plot&quot;"));
        // Self-contained: no scripts, no external references.
        for banned in ["<script", "http://", "https://", "src=", "<link"] {
            assert!(!html.contains(banned), "{banned}");
        }
    }
}
