//! Where the site may send a browser after an action: a path on this site, nothing else.

/// The longest path followed; a longer one is ignored.
const MAX_PATH_BYTES: usize = 2_000;

/// `raw` as a same-site path that is safe to put in a `Location` header or a link, or `None`.
///
/// A browser strips tabs and line breaks from URLs and reads `\` as `/`, so
/// `/\t/evil.example` and `/\evil.example` become `//evil.example`, another site. Any
/// whitespace, control character or backslash is refused outright rather than cleaned, as is a
/// second leading slash; what remains is percent-encoded where a header cannot carry it raw.
pub fn local_path(raw: &str) -> Option<String> {
    if raw.len() > MAX_PATH_BYTES
        || !raw.starts_with('/')
        || raw[1..].starts_with('/')
        || raw
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_graphic() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_are_kept_with_their_queries_and_non_ascii_encoded() {
        assert_eq!(local_path("/roles/new").as_deref(), Some("/roles/new"));
        assert_eq!(local_path("/").as_deref(), Some("/"));
        assert_eq!(
            local_path("/jobs?q=組み込み&jlpt=N3").as_deref(),
            Some("/jobs?q=%E7%B5%84%E3%81%BF%E8%BE%BC%E3%81%BF&jlpt=N3")
        );
    }

    #[test]
    fn anything_a_browser_could_read_as_another_site_is_refused() {
        for attack in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "/ /evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/\u{0}",
            "/\u{3000}/evil.example",
            "",
        ] {
            assert_eq!(local_path(attack), None, "{attack:?}");
        }
        assert_eq!(local_path(&format!("/{}", "a".repeat(3_000))), None);
    }
}
