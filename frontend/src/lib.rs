//! The wasm entry point: takes over the server-rendered page and makes it interactive.

// the release build computes the layout of each page's whole view type at once; the job
// search's is deeper than rustc's default 128 queries
#![recursion_limit = "256"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
