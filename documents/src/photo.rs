//! The 履歴書's photo: a JPEG or PNG the person uploads, checked before it is kept by writing it
//! into a one-page PDF the way the document will (so an image that passes here never fails a
//! document later), and bounded so that decoding it cannot take the server's memory.

use std::sync::Arc;

use krilla::geom::{Size, Transform};
use krilla::image::Image;
use krilla::page::PageSettings;
use krilla::Document;

/// The most pixels a side: a 4 × 3 cm photo at 600 dpi is about 950 × 700.
pub const MAX_PHOTO_SIDE: u32 = 3_000;
/// The fewest pixels a side that still print as a face.
pub const MIN_PHOTO_SIDE: u32 = 60;

/// The image formats kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoKind {
    Jpeg,
    Png,
}

impl PhotoKind {
    /// The format from the file's first bytes (never from its name or a declared type).
    pub fn sniff(bytes: &[u8]) -> Option<PhotoKind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(PhotoKind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(PhotoKind::Png)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            PhotoKind::Jpeg => "image/jpeg",
            PhotoKind::Png => "image/png",
        }
    }
}

/// Why an upload is not a photo.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not a JPEG or PNG image")]
    NotAnImage,
    #[error("{0} × {1} pixels: outside {MIN_PHOTO_SIDE}–{MAX_PHOTO_SIDE} a side")]
    Size(u32, u32),
}

/// A kept photo, as a document draws it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub kind: PhotoKind,
    pub bytes: Arc<Vec<u8>>,
}

impl Photo {
    /// The image krilla draws (its header read now, its pixels when the PDF is written).
    pub(crate) fn image(&self) -> Result<Image, PhotoError> {
        let data = self.bytes.clone().into();
        match self.kind {
            PhotoKind::Jpeg => Image::from_jpeg(data, true),
            PhotoKind::Png => Image::from_png(data, true),
        }
        .map_err(|_| PhotoError::NotAnImage)
    }
}

/// Checks an upload: its format from its bytes, its size from its header, and its pixels by
/// writing it into a PDF.
pub fn check_photo(bytes: &[u8]) -> Result<PhotoKind, PhotoError> {
    let kind = PhotoKind::sniff(bytes).ok_or(PhotoError::NotAnImage)?;
    let photo = Photo {
        kind,
        bytes: Arc::new(bytes.to_vec()),
    };
    let image = photo.image()?;
    let (width, height) = image.size();
    let bounds = MIN_PHOTO_SIDE..=MAX_PHOTO_SIDE;
    if !bounds.contains(&width) || !bounds.contains(&height) {
        return Err(PhotoError::Size(width, height));
    }
    let mut document = Document::new();
    let settings = PageSettings::from_wh(100.0, 100.0).ok_or(PhotoError::NotAnImage)?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();
    surface.push_transform(&Transform::from_translate(0.0, 0.0));
    surface.draw_image(
        image,
        Size::from_wh(30.0, 40.0).ok_or(PhotoError::NotAnImage)?,
    );
    surface.pop();
    surface.finish();
    page.finish();
    document.finish().map_err(|_| PhotoError::NotAnImage)?;
    Ok(kind)
}
