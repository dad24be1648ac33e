//! Drawing the laid-out pages into a PDF with krilla: fonts embedded as subsets (only the
//! glyphs used), text written with its Unicode so that it can be searched and copied.

use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::layout::{Face, Op, PAGE_HEIGHT, PAGE_WIDTH};
use crate::DocumentError;

/// Writes `pages` as a PDF titled `title`, in `language` (BCP 47: `ja`, `en`).
pub fn write(
    pages: &[Vec<Op>],
    font_of: impl Fn(Face) -> Font,
    title: &str,
    language: &str,
) -> Result<Vec<u8>, DocumentError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language(language.to_owned())
            .creator("Setubashi".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(DocumentError::Layout)?;
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    face,
                    text,
                } => {
                    if !text.trim().is_empty() {
                        surface.draw_text(
                            Point::from_xy(*x, *y),
                            font_of(*face),
                            *size,
                            text,
                            false,
                            TextDirection::Auto,
                        );
                    }
                }
                Op::Line { from, to, width } => {
                    let mut path = PathBuilder::new();
                    path.move_to(from.0, from.1);
                    path.line_to(to.0, to.1);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        // text is drawn with the fill: give it back
                        surface.set_stroke(None);
                        surface.set_fill(Some(Fill::default()));
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}
