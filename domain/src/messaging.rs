//! The message thread of an application: what a message may hold. Text in any language (its
//! language is detected where it is stored), and at most one attachment, a PDF, checked by its
//! first bytes and its declared type, never by its name alone.

use crate::validation::{self, Problem};

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 5_000;
/// The largest attachment kept: a scanned certificate or a portfolio fits.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// The longest attachment name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 120;
/// Messages shown a page.
pub const MESSAGES_PER_PAGE: u64 = 30;

/// The message's text: required unless a file is attached, bounded, no control characters.
pub fn check_body(raw: &str, has_attachment: bool) -> Result<String, Problem> {
    if has_attachment {
        Ok(validation::optional_text(raw, MAX_MESSAGE_CHARS)?.unwrap_or_default())
    } else {
        validation::text(raw, 1, MAX_MESSAGE_CHARS)
    }
}

/// Checks an attachment: a PDF by its signature (`%PDF-` within the first kilobyte, as readers
/// accept it) and by its declared type when one was sent, not empty, not larger than
/// [`MAX_ATTACHMENT_BYTES`]. Returns the name to keep.
pub fn check_attachment(
    file_name: &str,
    declared_type: Option<&str>,
    bytes: &[u8],
) -> Result<String, Problem> {
    if bytes.is_empty() {
        return Err(Problem::Required);
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(Problem::TooLong);
    }
    let declared_ok = declared_type.is_none_or(|t| {
        let t = t.split(';').next().unwrap_or("").trim();
        // browsers send these for a .pdf; an empty type is a client that did not say
        matches!(
            t,
            "" | "application/pdf" | "application/x-pdf" | "application/octet-stream"
        )
    });
    let head = &bytes[..bytes.len().min(1024)];
    let signed = head.windows(5).any(|w| w == b"%PDF-");
    if !declared_ok || !signed {
        return Err(Problem::NotAPdf);
    }
    Ok(safe_file_name(file_name))
}

/// A name safe to store and to send back in `Content-Disposition`: the last path component,
/// letters, digits and `._- ` kept (any script), the rest replaced, bounded, ending `.pdf`.
pub fn safe_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = cleaned
        .trim()
        .trim_end_matches(".pdf")
        .trim_end_matches(".PDF")
        .trim_matches('.');
    let stem: String = stem.chars().take(MAX_FILE_NAME_CHARS - 4).collect();
    let stem = if stem.trim().is_empty() {
        "attachment".to_owned()
    } else {
        stem
    };
    format!("{}.pdf", stem.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] =
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

    #[test]
    fn a_message_needs_words_unless_a_file_is_attached() {
        assert_eq!(check_body("  ", false), Err(Problem::Required));
        assert_eq!(check_body("  ", true), Ok(String::new()));
        assert_eq!(check_body(" 面接の件 ", false), Ok("面接の件".into()));
        assert_eq!(
            check_body(&"अ".repeat(MAX_MESSAGE_CHARS + 1), false),
            Err(Problem::TooLong)
        );
        assert_eq!(
            check_body("a\u{202E}b", false),
            Err(Problem::ControlCharacter)
        );
    }

    #[test]
    fn only_a_pdf_is_attached() {
        assert_eq!(
            check_attachment("cv.pdf", Some("application/pdf"), PDF),
            Ok("cv.pdf".into())
        );
        // a PDF with a preamble some writers add is still a PDF
        let mut prefixed = b"\xef\xbb\xbf".to_vec();
        prefixed.extend_from_slice(PDF);
        assert!(check_attachment("cv.pdf", None, &prefixed).is_ok());
        // named .pdf, but an executable or an HTML page
        assert_eq!(
            check_attachment("cv.pdf", Some("application/pdf"), b"MZ\x90\x00rest"),
            Err(Problem::NotAPdf)
        );
        assert_eq!(
            check_attachment("cv.pdf", None, b"<html><script>alert(1)</script>"),
            Err(Problem::NotAPdf)
        );
        // a PDF declared as something a browser would render
        assert_eq!(
            check_attachment("cv.pdf", Some("text/html"), PDF),
            Err(Problem::NotAPdf)
        );
        assert_eq!(
            check_attachment("cv.pdf", None, b""),
            Err(Problem::Required)
        );
        let mut big = PDF.to_vec();
        big.resize(MAX_ATTACHMENT_BYTES + 1, b' ');
        assert_eq!(
            check_attachment("cv.pdf", None, &big),
            Err(Problem::TooLong)
        );
    }

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd.pdf");
        assert_eq!(safe_file_name("C:\\Users\\a\\履歴書.pdf"), "履歴書.pdf");
        assert_eq!(
            safe_file_name("a\"; filename=evil.exe"),
            "a__ filename_evil.exe.pdf"
        );
        assert_eq!(safe_file_name(""), "attachment.pdf");
        assert_eq!(safe_file_name("...pdf"), "attachment.pdf");
        assert_eq!(safe_file_name("x\u{202E}fdp.exe"), "x_fdp.exe.pdf");
        let long = safe_file_name(&"क".repeat(500));
        assert_eq!(long.chars().count(), MAX_FILE_NAME_CHARS);
        assert!(long.ends_with(".pdf"));
    }
}
