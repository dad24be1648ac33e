//! The thread on the application page: the messages, oldest first, each with its sender, time
//! (Japan's and India's), language and attachment; read receipts on one's own; a form that
//! posts text and a PDF as `multipart/form-data` to `/applications/{id}/messages` and works
//! without the wasm (a refused message comes back with its text and the reason).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{list_messages, MessageView, MessagesPage};
use crate::components::{FieldProblems, FormError};
use crate::forms::take_plain_submission;
use crate::i18n::{t, t_with, use_lang};
use crate::PageError;

/// The form's name for a failed plain post (see [`crate::forms`]).
pub const SEND_FORM: &str = "send_message";

#[component]
pub fn MessageThread(application_id: i32) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let before = move || {
        query
            .read()
            .get("messages_before")
            .and_then(|b| b.parse::<i32>().ok())
    };
    let thread = Resource::new(before, move |before| list_messages(application_id, before));
    let failed = Resource::new(|| (), |_| take_plain_submission(SEND_FORM.to_owned()));
    view! {
        <section id="messages" class="card thread" aria-labelledby="messages-heading">
            <h2 id="messages-heading">{t(lang, "messages.heading")}</h2>
            <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
                {move || {
                    let failed = failed.get().and_then(|f| f.ok()).flatten();
                    thread.get().map(|result| match result {
                        Ok(page) => view! { <Thread application_id page failed /> }.into_any(),
                        Err(error) => view! { <PageError error /> }.into_any(),
                    })
                }}
            </Suspense>
        </section>
    }
}

#[component]
fn Thread(
    application_id: i32,
    page: MessagesPage,
    failed: Option<crate::forms::PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let typed = failed
        .as_ref()
        .map(|f| f.typed_text("body"))
        .unwrap_or_default();
    let error: FormError = Signal::derive({
        let error = failed.and_then(|f| f.error);
        move || error.clone()
    });
    let sent = use_query_map()
        .read_untracked()
        .get("message")
        .is_some_and(|m| m == "sent");
    let earlier = page.next_before.map(|before| {
        view! {
            <p><a href=format!("/applications/{application_id}?messages_before={before}#messages")>{t(lang, "messages.earlier")}</a></p>
        }
    });
    let empty = page.messages.is_empty();
    view! {
        {earlier}
        {empty.then(|| view! { <p class="muted">{t(lang, "messages.none")}</p> })}
        <ol class="messages">
            {page.messages.into_iter().map(|m| view! { <Message application_id message=m /> }).collect_view()}
        </ol>
        {page.can_write.then(|| view! {
            <form method="post" action=format!("/applications/{application_id}/messages") enctype="multipart/form-data" class="message-form">
                {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> })}
                {sent.then(|| view! { <p class="alert alert-success" role="status">{t(lang, "messages.sent")}</p> })}
                <div class="field">
                    <label for="message-body">{t(lang, "messages.write")}</label>
                    <textarea id="message-body" name="body" rows="4" maxlength=domain::messaging::MAX_MESSAGE_CHARS.to_string()>{typed.clone()}</textarea>
                    <FieldProblems field="body" error=error />
                </div>
                <div class="field">
                    <label for="message-attachment">{t(lang, "messages.attach")}</label>
                    <input id="message-attachment" type="file" name="attachment" accept="application/pdf,.pdf" />
                    <p class="hint">{t(lang, "messages.attach_hint")}</p>
                    <FieldProblems field="attachment" error=error />
                </div>
                <button type="submit" class="button">{t(lang, "messages.send")}</button>
            </form>
        })}
    }
}

#[component]
fn Message(application_id: i32, message: MessageView) -> impl IntoView {
    let lang = use_lang();
    let who = message
        .from_name
        .clone()
        .unwrap_or_else(|| t(lang, "notifications.someone"));
    let side = t(lang, &format!("messages.from_{}", message.from_party));
    let when = domain::time::format_jst_ist(message.sent_at);
    let receipt = message.mine.then(|| match message.read_at {
        Some(at) => t_with(
            lang,
            "messages.read_at",
            &[("when", &domain::time::format_jst_ist(at))],
        ),
        None => t(lang, "messages.unread"),
    });
    let attachment = message.attachment_name.clone().map(|name| {
        let size = message.attachment_size.unwrap_or(0);
        let kb = (i64::from(size) + 1023) / 1024;
        view! {
            <p class="attachment">
                <a href=format!("/api/v1/applications/{application_id}/messages/{}/attachment", message.id) download=name.clone()>{name.clone()}</a>
                {format!(" (PDF, {kb} KB)")}
            </p>
        }
    });
    let class = if message.mine {
        "message mine"
    } else {
        "message"
    };
    view! {
        <li class=class data-party=message.from_party.clone()>
            <p class="message-meta">
                <strong>{who}</strong>" · "{side}" · "<time datetime=message.sent_at.to_rfc3339()>{when}</time>
            </p>
            {(!message.body.is_empty()).then(|| view! { <p class="message-body" lang=message.language.clone()>{message.body.clone()}</p> })}
            {attachment}
            {receipt.map(|r| view! { <p class="muted receipt">{r}</p> })}
        </li>
    }
}
