//! Reads a PDF back as a person would see it, with poppler (Debian's poppler-utils, installed by
//! scripts/test.sh): its text laid out (`pdftotext -layout`), every word's box
//! (`pdftotext -bbox-layout`) and the pages rendered (`pdftoppm`).

use std::path::PathBuf;
use std::process::Command;

/// One line of a page as poppler finds it, with its box in points.
#[derive(Debug)]
pub struct Line {
    pub text: String,
    pub y_max: f64,
}

#[derive(Debug)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    /// Every word's box: (x_min, y_min, x_max, y_max, word).
    pub words: Vec<(f64, f64, f64, f64, String)>,
    pub lines: Vec<Line>,
}

pub struct ReadPdf {
    path: PathBuf,
    /// `pdftotext -layout`: columns side by side, each line as printed.
    pub layout: String,
    /// `pdftotext` in reading order, whitespace collapsed: for texts that may wrap.
    pub flowing: String,
    pub pages: Vec<Page>,
}

fn poppler(program: &str, args: &[&str]) -> Vec<u8> {
    let out = Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program} (Debian poppler-utils; scripts/test.sh installs it): {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn attribute(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).unwrap_or_else(|| panic!("{name} in {tag}"));
    tag[start..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} in {tag}"))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The pages of `pdftotext -bbox-layout`'s XHTML: page sizes, word boxes, lines.
fn parse_boxes(xhtml: &str) -> Vec<Page> {
    let mut pages = Vec::new();
    for page in xhtml.split("<page ").skip(1) {
        let (tag, body) = page.split_once('>').unwrap();
        let mut p = Page { width: attribute(tag, "width"), height: attribute(tag, "height"), words: vec![], lines: vec![] };
        for line in body.split("<line ").skip(1) {
            let (tag, body) = line.split_once('>').unwrap();
            let mut words = Vec::new();
            for word in body.split("<word ").skip(1) {
                let (tag, rest) = word.split_once('>').unwrap();
                let text = unescape(rest.split("</word>").next().unwrap());
                p.words.push((attribute(tag, "xMin"), attribute(tag, "yMin"), attribute(tag, "xMax"), attribute(tag, "yMax"), text.clone()));
                words.push(text);
            }
            p.lines.push(Line { text: words.join(" "), y_max: attribute(tag, "yMax") });
        }
        pages.push(p);
    }
    pages
}

impl ReadPdf {
    pub fn new(name: &str, pdf: &[u8]) -> ReadPdf {
        assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
        let path = std::env::temp_dir().join(format!("{name}-{}.pdf", uuid::Uuid::new_v4().simple()));
        std::fs::write(&path, pdf).unwrap();
        let file = path.to_str().unwrap();
        let layout = String::from_utf8(poppler("pdftotext", &["-layout", file, "-"])).unwrap();
        let raw = String::from_utf8(poppler("pdftotext", &[file, "-"])).unwrap();
        let flowing = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let pages = parse_boxes(&String::from_utf8(poppler("pdftotext", &["-bbox-layout", file, "-"])).unwrap());
        ReadPdf { path, layout, flowing, pages }
    }

    /// Each string is printed on one line, whole: not cut, not wrapped, not split.
    pub fn assert_unbroken(&self, expected: &[&str]) {
        let lines: Vec<String> = self.layout.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        for s in expected {
            assert!(lines.iter().any(|l| l.contains(s)), "{s:?} on one line of:\n{}", self.layout);
        }
    }

    /// Each string is printed whole, though it may wrap over lines.
    pub fn assert_whole(&self, expected: &[&str]) {
        for s in expected {
            assert!(self.flowing.contains(s), "{s:?} in:\n{}", self.flowing);
        }
    }

    /// No word lies in the band of `margin` points along any edge of its page.
    pub fn assert_words_inside(&self, margin: f64) {
        for (n, page) in self.pages.iter().enumerate() {
            for (x0, y0, x1, y1, word) in &page.words {
                let inside = *x0 >= margin && *y0 >= margin && *x1 <= page.width - margin && *y1 <= page.height - margin;
                assert!(inside, "page {}: {word:?} at ({x0:.0}, {y0:.0})–({x1:.0}, {y1:.0}) is within {margin} pt of the edge of {:.0} × {:.0}", n + 1, page.width, page.height);
            }
        }
    }

    /// Rendered at 36 dpi, every page's outer band of `band` points is white: nothing, text or
    /// drawing, runs off the page.
    pub fn assert_outer_band_white(&self, band: f64) {
        let prefix = self.path.with_extension("");
        let prefix = prefix.to_str().unwrap();
        poppler("pdftoppm", &["-r", "36", "-gray", self.path.to_str().unwrap(), prefix]);
        let dir = self.path.parent().unwrap();
        let stem = prefix.rsplit('/').next().unwrap().to_string();
        let mut rendered: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(&stem) && p.extension().is_some_and(|e| e == "pgm"))
            .collect();
        rendered.sort();
        assert_eq!(rendered.len(), self.pages.len(), "one image per page");
        for image in &rendered {
            let bytes = std::fs::read(image).unwrap();
            let _ = std::fs::remove_file(image);
            // Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                while bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                let start = at;
                while !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8(bytes[start..at].to_vec()).unwrap());
            }
            let pixels = &bytes[at + 1..];
            let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
            let px = (band / 72.0 * 36.0).floor() as usize;
            for y in 0..h {
                for x in 0..w {
                    if x < px || y < px || x >= w - px || y >= h - px {
                        assert!(pixels[y * w + x] > 250, "{}: ink at ({x}, {y}) px in the outer {band} pt band", image.display());
                    }
                }
            }
        }
    }

    /// No page ends on one of `headings`: a heading is always followed on its page by what it
    /// heads. The page number at the top is not a line of the body.
    pub fn assert_no_heading_at_page_foot(&self, headings: &[&str]) {
        for (n, page) in self.pages.iter().enumerate() {
            let Some(last) = page.lines.iter().max_by(|a, b| a.y_max.total_cmp(&b.y_max)) else {
                continue;
            };
            assert!(!headings.iter().any(|h| last.text.contains(h)), "page {} ends on the heading {:?}", n + 1, last.text);
        }
    }
}

impl Drop for ReadPdf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
