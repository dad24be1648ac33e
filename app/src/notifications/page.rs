//! The notifications page: newest first, unread ones marked, "mark all read".

use leptos::prelude::*;

use super::api::{describe, list_notifications, MarkNotificationsRead, NotificationView};
use crate::components::PageTitle;
use crate::i18n::{t, use_lang};
use crate::PageError;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let lang = use_lang();
    let mark = ServerAction::<MarkNotificationsRead>::new();
    let query = leptos_router::hooks::use_query_map();
    let before = move || {
        query
            .read()
            .get("before")
            .and_then(|b| b.parse::<i32>().ok())
    };
    let list = Resource::new(
        move || (mark.version().get(), before()),
        |(_, before)| list_notifications(before),
    );
    view! {
        <PageTitle text=t(lang, "notifications.title") />
        <h1>{t(lang, "notifications.title")}</h1>
        <ActionForm action=mark attr:class="inline-form">
            <button type="submit" class="button">{t(lang, "notifications.mark_all_read")}</button>
        </ActionForm>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || list.get().map(|result| match result {
                Ok(page) if page.notifications.is_empty() => view! { <p>{t(lang, "notifications.none")}</p> }.into_any(),
                Ok(page) => view! {
                    <ul class="notifications">
                        {page.notifications.into_iter().map(|n| view! { <NotificationItem n /> }).collect_view()}
                    </ul>
                    {page.next_before.map(|id| view! {
                        <p><a class="older" href=format!("/notifications?before={id}")>{t(lang, "notifications.older")}</a></p>
                    })}
                }.into_any(),
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn NotificationItem(n: NotificationView) -> impl IntoView {
    let lang = use_lang();
    let (text, href) = describe(lang, &n);
    view! {
        <li class=if n.unread { "notification unread" } else { "notification" }>
            {n.unread.then(|| view! { <span class="badge">{t(lang, "notifications.new")}</span>" " })}
            <a href=href>{text}</a>
            {n.message.map(|m| view! { <p class="note">{m}</p> })}
            <p class="muted"><time datetime=n.created_at.to_rfc3339()>{domain::time::format_jst_ist(n.created_at)}</time></p>
        </li>
    }
}
