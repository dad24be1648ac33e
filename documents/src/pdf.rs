//! Drawing the laid-out pages into a PDF with krilla: fonts embedded as subsets (only the
//! glyphs used), text written with its Unicode so that it can be searched and copied.

use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use crate::layout::{Face, FontData, Op, Setter, PAGE_HEIGHT, PAGE_WIDTH};
use crate::DocumentError;

/// A face as drawn: its measurements, its font and the font that sets what it lacks.
pub struct Drawn<'a> {
    pub data: &'a FontData,
    pub font: Font,
    pub fallback: Option<Font>,
}

/// Writes `pages` as a PDF titled `title`, in `language` (BCP 47: `ja`, `en`). Each text is
/// drawn run by run, each run in the font that has its characters.
pub fn write<'a>(
    pages: &[Vec<Op>],
    font_of: impl Fn(Face) -> Drawn<'a>,
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
                        let drawn = font_of(*face);
                        let mut at = *x;
                        for (setter, run) in drawn.data.runs(text) {
                            let font = match (setter, &drawn.fallback) {
                                (Setter::Fallback, Some(fallback)) => fallback.clone(),
                                _ => drawn.font.clone(),
                            };
                            surface.draw_text(
                                Point::from_xy(at, *y),
                                font,
                                *size,
                                &run,
                                false,
                                TextDirection::Auto,
                            );
                            at += drawn.data.run_width(setter, &run, *size);
                        }
                    }
                }
                Op::Image {
                    x,
                    y,
                    width,
                    height,
                    photo,
                } => {
                    // checked when it was kept; one that still fails is left out, not fatal
                    if let (Ok(image), Some(size)) = (photo.image(), Size::from_wh(*width, *height))
                    {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(image, size);
                        surface.pop();
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
