//! The page's `<title>`, safe for text that users wrote.

use leptos::prelude::*;

/// Sets the document's title. Every page uses this rather than `leptos_meta::Title`, which in
/// 0.8 writes its text into the server-rendered `<head>` unescaped: a role titled
/// `</title><script>…` would close the element and run in the site's origin. Here the server
/// escapes the text (a browser decodes the entities back inside `<title>`), and in the browser it
/// is set as `document.title`, which is plain text already.
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <leptos_meta::Title text=title_markup(text) /> }
}

/// The title as it must be written into HTML on the server; unchanged in the browser.
fn title_markup(text: String) -> String {
    if cfg!(feature = "ssr") {
        escape_text(&text)
    } else {
        text
    }
}

/// Escapes text for an HTML text node or a quoted attribute.
pub fn escape_text(text: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_text_is_escaped_so_it_cannot_close_the_element() {
        assert_eq!(
            escape_text("</title><script>alert('x')</script> & \"q\""),
            "&lt;/title&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape_text("組み込みエンジニア"), "組み込みエンジニア");
    }
}
