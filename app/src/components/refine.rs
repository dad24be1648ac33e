//! Search results' shared parts: links that keep a search's query string, and the facet
//! counts beside the results, each value a link that sets its filter.

use leptos::prelude::*;

use super::encode_component;

/// `path?k=v&…` with the empty values left out.
pub fn query_link(path: &str, pairs: Vec<(&str, String)>) -> String {
    let encoded = pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(&v)))
        .collect::<Vec<_>>()
        .join("&");
    format!("{path}?{encoded}")
}

/// One value of a facet as a page shows it.
pub struct FacetLink {
    pub label: String,
    pub href: String,
    pub count: u64,
    /// The filter is set to this value now.
    pub current: bool,
}

/// One filter's values with their counts (those that would find nothing left out), under a
/// heading; nothing at all when every value would find nothing.
pub fn facet_group(heading: String, links: Vec<FacetLink>) -> Option<AnyView> {
    let items: Vec<AnyView> = links
        .into_iter()
        .filter(|link| link.count > 0)
        .map(|link| {
            let current = link.current.then_some("true");
            let count = format!("({})", link.count);
            view! {
                <li><a href=link.href aria-current=current>{link.label}</a>" "<span class="count">{count}</span></li>
            }
            .into_any()
        })
        .collect();
    (!items.is_empty()).then(|| {
        view! {
            <div class="facet">
                <h3>{heading}</h3>
                <ul>{items}</ul>
            </div>
        }
        .into_any()
    })
}
