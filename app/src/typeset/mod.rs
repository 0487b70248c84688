//! The platform's documents (annual report, council minutes, certificates) are laid out by
//! Typst, used as a library: a template (`.typ`, compiled into the binary) reads its data from
//! a JSON file the [`DocumentWorld`] serves, so names, titles and reasons typed by users are
//! never parsed as Typst markup; they are strings, printed as they are. Fonts are the DejaVu
//! Sans faces bundled in `app/assets/fonts` (every Vietnamese letter with its diacritics): no
//! system font lookup, no downloads, no `@preview` packages; the World answers only the files
//! listed here. The fonts, their book and Typst's standard library are set up once per process.

pub mod admin;

use std::sync::LazyLock;
use std::time::Instant;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::Duration;
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
/// The place-and-date line of an administrative document is italic (Decree 30/2020/NĐ-CP);
/// Typst does not slant an upright face, so the family's oblique face is bundled too.
const OBLIQUE: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Oblique.ttf");

/// Pieces every document imports (`#import "/common.typ": *`).
const COMMON: &str = include_str!("common.typ");

/// Where a template finds its data.
const DATA_PATH: &str = "/data.json";

/// What is set up once per process: Typst's standard library, the fonts and their book.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = [REGULAR, BOLD, OBLIQUE].into_iter().flat_map(|bytes| Font::iter(Bytes::new(bytes))).collect();
    Shared { library: LazyHash::new(Library::default()), book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// A document template: its name (for errors and timings) and its Typst source.
#[derive(Clone, Copy)]
pub struct Template {
    pub name: &'static str,
    pub source: &'static str,
}

/// Why a document could not be laid out: a template error, never the user's data.
#[derive(Debug, thiserror::Error)]
#[error("document {template}: {message}")]
pub struct TypesetError {
    template: &'static str,
    message: String,
}

/// One compilation: the template as `/main.typ`, the shared pieces, the data.
struct DocumentWorld {
    main: Source,
    common: Source,
    data_id: FileId,
    data: Bytes,
}

/// A file of the project root; the paths are constants of this module.
fn file_id(path: &str) -> FileId {
    #[allow(clippy::expect_used)]
    let vpath = VirtualPath::new(path).expect("a constant, valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl DocumentWorld {
    fn new(template: Template, data: Vec<u8>) -> DocumentWorld {
        DocumentWorld {
            main: Source::new(file_id("/main.typ"), template.source.to_string()),
            common: Source::new(file_id("/common.typ"), COMMON.to_string()),
            data_id: file_id(DATA_PATH),
            data: Bytes::new(data),
        }
    }
}

impl World for DocumentWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        [&self.main, &self.common].into_iter().find(|s| s.id() == id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            return Ok(self.data.clone());
        }
        match self.source(id) {
            Ok(source) => Ok(Bytes::from_string(source.text().to_string())),
            Err(e) => Err(e),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }

    /// Documents print the dates they are given, never "today" from the clock.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(std::path::PathBuf::from(id.get().vpath().get_with_slash()))
}

fn describe(template: Template, errors: &[SourceDiagnostic]) -> TypesetError {
    let message = errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ");
    TypesetError { template: template.name, message }
}

/// Lays `template` out with `data` (serialised to `/data.json`).
pub fn layout(template: Template, data: &impl serde::Serialize) -> Result<PagedDocument, TypesetError> {
    let json = serde_json::to_vec(data).map_err(|e| TypesetError { template: template.name, message: e.to_string() })?;
    let world = DocumentWorld::new(template, json);
    let document = typst::compile::<PagedDocument>(&world).output.map_err(|errors| describe(template, &errors));
    // Typst memoises layout across compilations; documents rarely repeat, so old entries are
    // dropped to keep the server's memory flat.
    comemo::evict(10);
    document
}

/// Lays `template` out with `data` and writes the PDF. Heavy for large reports: callers run
/// it off the async threads (`state.reports.render`).
pub fn pdf(template: Template, data: &impl serde::Serialize) -> Result<Vec<u8>, TypesetError> {
    let started = Instant::now();
    let document = layout(template, data)?;
    let laid_out = started.elapsed();
    let bytes = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| describe(template, &errors))?;
    tracing::info!(
        document = template.name,
        pages = document.pages().len(),
        layout_ms = laid_out.as_millis() as u64,
        total_ms = started.elapsed().as_millis() as u64,
        "document rendered"
    );
    Ok(bytes)
}

/// The text of every page, in reading order of the layout (for tests).
#[cfg(test)]
pub fn page_texts(document: &PagedDocument) -> Vec<String> {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => {
                    out.push_str(&text.text);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    document
        .pages()
        .iter()
        .map(|page| {
            let mut out = String::new();
            walk(&page.frame, &mut out);
            out
        })
        .collect()
}

/// Writes `document` as `name.pdf` into `$DOCS_PDF_DIR` when it is set, to look at the
/// pages a test laid out (`pdftoppm -png`).
#[cfg(test)]
pub fn keep_for_a_look(name: &str, document: &PagedDocument) {
    if let Some(dir) = std::env::var_os("DOCS_PDF_DIR") {
        let bytes = typst_pdf::pdf(document, &typst_pdf::PdfOptions::default()).map_err(|e| format!("{e:?}")).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.pdf")), bytes).unwrap();
    }
}

#[cfg(test)]
mod tests;
