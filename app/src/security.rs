//! The Content-Security-Policy of a rendered page.
//!
//! Leptos writes a few inline scripts into each page (the hydration loader, resolved resources,
//! streamed chunks); with its `nonce` feature each render gets a fresh nonce that those scripts
//! carry. The page's policy allows scripts from our own origin and with that nonce only, so a
//! script that an attacker manages to write into a page does not run. Every other response
//! gets the server's stricter default policy (`server::security`).

use leptos::prelude::*;

/// The policy of a page rendered with `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's policy on the response being rendered.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        tracing::error!("page rendered without a nonce or response options");
        return;
    };
    match http::HeaderValue::from_str(&page_policy(&nonce)) {
        Ok(value) => response.insert_header(http::header::CONTENT_SECURITY_POLICY, value),
        Err(err) => tracing::error!(error = %err, "content security policy is not a header value"),
    }
}
