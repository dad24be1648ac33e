//! Drag and drop on the pipeline board: a card dropped on another column is sent through the
//! board's bulk form, with that card alone ticked and the column as the stage. The form works
//! without it (tick, choose, send); this only adds the shortcut, so it is the board's one island.

use leptos::prelude::*;

/// Attaches the board's drag and drop once the wasm runs; renders nothing.
#[island]
pub fn DragToMove() -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::attach();
    });
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::Rc;

    use leptos::prelude::document;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{DragEvent, Element, HtmlFormElement, HtmlInputElement, HtmlSelectElement};

    /// Every element of the page that `selector` finds.
    fn all(selector: &str) -> Vec<Element> {
        let Ok(found) = document().query_selector_all(selector) else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
            .collect()
    }

    fn listen(element: &Element, event: &str, handler: impl FnMut(DragEvent) + 'static) {
        let handler = Closure::<dyn FnMut(DragEvent)>::new(handler);
        let _ = element.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        // the listeners live as long as the page
        handler.forget();
    }

    pub fn attach() {
        let dragged: Rc<RefCell<Option<String>>> = Rc::default();
        for card in all(".board-card") {
            let dragged = Rc::clone(&dragged);
            let id = card.get_attribute("data-id");
            listen(&card, "dragstart", move |ev| {
                if let (Some(id), Some(transfer)) = (&id, ev.data_transfer()) {
                    // some browsers start a drag only with data set
                    let _ = transfer.set_data("text/plain", id);
                }
                *dragged.borrow_mut() = id.clone();
            });
        }
        for column in all(".board-column") {
            listen(&column, "dragover", |ev| ev.prevent_default());
            let dragged = Rc::clone(&dragged);
            let stage = column.get_attribute("data-stage");
            listen(&column, "drop", move |ev| {
                ev.prevent_default();
                if let (Some(id), Some(stage)) = (dragged.borrow_mut().take(), &stage) {
                    send_one(&id, stage);
                }
            });
        }
    }

    /// Sends the bulk form with only the card `id` ticked, to `stage`, without a note.
    fn send_one(id: &str, stage: &str) {
        for tick in all("form.bulk-move input[type=checkbox]") {
            if let Ok(tick) = tick.dyn_into::<HtmlInputElement>() {
                tick.set_checked(tick.value() == id);
            }
        }
        let document = document();
        if let Some(to) = document
            .get_element_by_id("bulk-to")
            .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
        {
            to.set_value(stage);
        }
        if let Some(note) = document
            .get_element_by_id("bulk-note")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        {
            note.set_value("");
        }
        if let Some(form) = document
            .query_selector("form.bulk-move")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlFormElement>().ok())
        {
            let _ = form.request_submit();
        }
    }
}
