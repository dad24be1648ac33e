//! The home page: what Setubashi is for each of its three kinds of user.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::PageTitle;
use crate::i18n::{t, use_lang};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let audiences = [
        ("home.engineers", "/signup", "home.engineers_cta"),
        ("home.employers", "/signup", "home.employers_cta"),
        ("home.administrators", "/login", "home.administrators_cta"),
    ];
    let query = use_query_map();
    let deleted = move || query.read().get("account_deleted").is_some();
    view! {
        <PageTitle text=t(lang, "brand.title") />
        <Show when=deleted fallback=|| ()>
            <p class="notice" role="status">{t(lang, "home.account_deleted")}</p>
        </Show>
        <section class="hero">
            <h1>{t(lang, "home.headline")}</h1>
            <p class="lead">{t(lang, "home.lead")}</p>
            <p class="target">{t(lang, "home.target")}</p>
        </section>
        <section class="audiences" aria-label=t(lang, "home.audiences_label")>
            {audiences
                .into_iter()
                .map(|(key, href, cta)| {
                    view! {
                        <article class="card">
                            <h2>{t(lang, &format!("{key}_title"))}</h2>
                            <p>{t(lang, &format!("{key}_body"))}</p>
                            <a class="button" href=href>{t(lang, cta)}</a>
                        </article>
                    }
                })
                .collect_view()}
        </section>
    }
}
