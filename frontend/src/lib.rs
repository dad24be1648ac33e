//! The wasm entry point. The pages are server-rendered HTML whose forms and links work without
//! it; only the islands (`#[island]` components: the what-if points, the browser's own time
//! zone, the pipeline board's drag and drop) run here.

use wasm_bindgen::JsCast;

// the islands are exported from `app`: linked in even though nothing here names them
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // leptos' script hydrates each island right after this returns, without waiting on anything
    // but already-settled promises; a task queued now runs once they all have. It marks the page
    // interactive, for people's scripts and the browser tests alike.
    let mark = wasm_bindgen::closure::Closure::once_into_js(|| {
        if let Some(body) = leptos::prelude::document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    let _ = leptos::prelude::window().set_timeout_with_callback(mark.unchecked_ref());
}
