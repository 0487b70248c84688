//! A small PDF writer on krilla: pages with a cursor, text, table rows, rectangles and lines.
//! Every PDF of the platform (annual report, minutes, certificates) is in Vietnamese, so it
//! embeds DejaVu Sans (bundled in `app/assets/fonts`, subset by krilla), whose glyphs cover
//! every Vietnamese letter with its diacritics.

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

/// Pages with a cursor: text, table rows, rectangles and lines.
pub struct Pdf {
    doc: krilla::Document,
    width: f32,
    height: f32,
    regular: krilla::text::Font,
    bold: krilla::text::Font,
    pages: Vec<Vec<Op>>,
    page_numbers: bool,
    /// The cursor: top of the next line, in points from the top of the page.
    pub y: f32,
}

pub enum Op {
    Text { x: f32, y: f32, size: f32, bold: bool, text: String },
    Rect { x: f32, y: f32, w: f32, h: f32, rgb: (u8, u8, u8) },
    Line { points: Vec<(f32, f32)>, rgb: (u8, u8, u8), width: f32 },
}

pub const MARGIN: f32 = 40.0;

impl Pdf {
    /// A4 landscape (842 × 595 pt): wide tables.
    pub fn landscape() -> Option<Pdf> {
        Pdf::with_size(842.0, 595.0)
    }

    /// A4 portrait (595 × 842 pt): minutes and letters.
    pub fn portrait() -> Option<Pdf> {
        Pdf::with_size(595.0, 842.0)
    }

    fn with_size(width: f32, height: f32) -> Option<Pdf> {
        let regular = krilla::text::Font::new(REGULAR.to_vec().into(), 0)?;
        let bold = krilla::text::Font::new(BOLD.to_vec().into(), 0)?;
        Some(Pdf { doc: krilla::Document::new(), width, height, regular, bold, pages: vec![vec![]], y: MARGIN, page_numbers: true })
    }

    pub fn width(&self) -> f32 {
        self.width
    }

    pub fn height(&self) -> f32 {
        self.height
    }

    /// Certificates are single framed pages without "Trang 1/1".
    pub fn without_page_numbers(mut self) -> Pdf {
        self.page_numbers = false;
        self
    }

    /// Starts a new page, whatever room is left.
    pub fn new_page(&mut self) {
        self.pages.push(vec![]);
        self.y = MARGIN;
    }

    /// Text centred on the page at the cursor. DejaVu Sans has no metrics API in krilla, so
    /// the width is estimated from its mean advance (0.55 em); good to a few points.
    pub fn centered(&mut self, size: f32, bold: bool, text: &str) {
        let w = text.chars().count() as f32 * size * if bold { 0.6 } else { 0.55 };
        let x = ((self.width - w) / 2.0).max(MARGIN);
        self.text_at(x, size, bold, text);
    }

    /// Wraps `text` to lines of at most `max_chars` characters at spaces, writing each.
    pub fn paragraph(&mut self, size: f32, text: &str, max_chars: usize) {
        let mut line = String::new();
        for word in text.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max_chars {
                self.ensure(size * 1.5);
                self.text_at(MARGIN, size, false, &line);
                self.y += size * 1.5;
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            self.ensure(size * 1.5);
            self.text_at(MARGIN, size, false, &line);
            self.y += size * 1.5;
        }
    }

    pub fn ensure(&mut self, height: f32) {
        if self.y + height > self.height - MARGIN {
            self.pages.push(vec![]);
            self.y = MARGIN;
        }
    }

    pub fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub fn text_at(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        let y = self.y + size;
        self.push(Op::Text { x, y, size, bold, text: text.to_string() });
    }

    pub fn heading(&mut self, text: &str) {
        self.ensure(40.0);
        self.y += 8.0;
        self.text_at(MARGIN, 13.0, true, text);
        self.y += 22.0;
    }

    /// One table row; `widths` are column widths in points; cells are cut to fit.
    pub fn row(&mut self, cells: &[String], widths: &[f32], bold: bool) {
        self.ensure(16.0);
        let mut x = MARGIN;
        for (cell, w) in cells.iter().zip(widths) {
            let max_chars = (*w / 5.2) as usize;
            let shown: String = if cell.chars().count() > max_chars { cell.chars().take(max_chars.saturating_sub(1)).collect::<String>() + "…" } else { cell.clone() };
            self.text_at(x, 9.0, bold, &shown);
            x += w;
        }
        self.y += 15.0;
    }

    pub fn finish(mut self) -> Option<Vec<u8>> {
        use krilla::color::rgb;
        use krilla::geom::{PathBuilder, Point, Rect};
        use krilla::num::NormalizedF32;
        use krilla::page::PageSettings;
        use krilla::paint::{Fill, Stroke};
        use krilla::text::TextDirection;
        let total = self.pages.len();
        for (n, ops) in std::mem::take(&mut self.pages).into_iter().enumerate() {
            let mut page = self.doc.start_page_with(PageSettings::from_wh(self.width, self.height)?);
            let mut surface = page.surface();
            let black = Fill { paint: rgb::Color::new(0, 0, 0).into(), opacity: NormalizedF32::ONE, rule: Default::default() };
            let number = self.page_numbers.then(|| Op::Text { x: self.width - MARGIN - 60.0, y: self.height - 20.0, size: 8.0, bold: false, text: format!("Trang {}/{}", n + 1, total) });
            for op in ops.into_iter().chain(number) {
                match op {
                    Op::Text { x, y, size, bold, text } => {
                        surface.set_fill(Some(black.clone()));
                        let font = if bold { self.bold.clone() } else { self.regular.clone() };
                        surface.draw_text(Point::from_xy(x, y), font, size, &text, false, TextDirection::Auto);
                    }
                    Op::Rect { x, y, w, h, rgb: (r, g, b) } => {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(Rect::from_xywh(x, y, w, h)?);
                        surface.set_fill(Some(Fill { paint: rgb::Color::new(r, g, b).into(), opacity: NormalizedF32::ONE, rule: Default::default() }));
                        surface.draw_path(&pb.finish()?);
                    }
                    Op::Line { points, rgb: (r, g, b), width } => {
                        let mut pb = PathBuilder::new();
                        for (i, (x, y)) in points.iter().enumerate() {
                            if i == 0 { pb.move_to(*x, *y) } else { pb.line_to(*x, *y) }
                        }
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke { paint: rgb::Color::new(r, g, b).into(), width, ..Default::default() }));
                        surface.draw_path(&pb.finish()?);
                        surface.set_stroke(None);
                    }
                }
            }
            surface.finish();
            page.finish();
        }
        self.doc.finish().ok()
    }
}

