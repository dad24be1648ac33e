//! The account page (password, download of one's data, consents, deleting the account) and the
//! privacy notice.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::api::{
    load_mail_preferences, load_my_consents, ConsentPage, DeleteMyAccount, MailPreferences,
    SaveMailPreferences, Unsubscribe,
};
use crate::auth::api::{load_my_devices, ChangeMyPassword, DeviceView, SignOutDevices};
use crate::components::{FormStatus, PageTitle, TextField};
use crate::forms::{current_error, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_with, use_lang};
use crate::PageError;

/// `/account`: what a signed-in person can do about their account and their data.
#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let consents = Resource::new(page, load_my_consents);
    let failed_password = Resource::new(
        || (),
        |_| take_plain_submission("change_my_password".to_owned()),
    );
    let failed_deletion = Resource::new(
        || (),
        |_| take_plain_submission("delete_my_account".to_owned()),
    );
    let password_changed = move || query.read().get("password_changed").is_some();
    let mail_saved = move || query.read().get("mail_saved").is_some();
    let preferences = Resource::new(|| (), |_| load_mail_preferences());
    let devices = Resource::new(|| (), |_| load_my_devices());
    view! {
        <PageTitle text=t(lang, "account.title") />
        <h1>{t(lang, "account.title")}</h1>
        <Suspense fallback=|| ()>
            {move || consents.get().map(|loaded| match loaded {
                Err(error) => view! { <PageError error /> }.into_any(),
                Ok(consents) => view! {
                    <section aria-labelledby="password-heading" class="card">
                        <h2 id="password-heading">{t(lang, "account.password_heading")}</h2>
                        <Show when=password_changed fallback=|| ()>
                            <p class="notice" role="status">{t(lang, "account.password_changed")}</p>
                        </Show>
                        {move || failed_password.get().map(|f| view! { <PasswordForm failed=f.ok().flatten() /> })}
                    </section>
                    <section aria-labelledby="devices-heading" class="card">
                        <h2 id="devices-heading">{t(lang, "account.devices_heading")}</h2>
                        {move || devices.get().and_then(|d| d.ok()).map(|list| view! { <Devices list /> })}
                    </section>
                    <section aria-labelledby="mail-heading" class="card">
                        <h2 id="mail-heading">{t(lang, "account.mail_heading")}</h2>
                        <Show when=mail_saved fallback=|| ()>
                            <p class="notice" role="status">{t(lang, "account.mail_saved")}</p>
                        </Show>
                        {move || preferences.get().and_then(|p| p.ok()).map(|p| view! { <MailForm preferences=p /> })}
                    </section>
                    <section aria-labelledby="data-heading" class="card">
                        <h2 id="data-heading">{t(lang, "account.data_heading")}</h2>
                        <p>{t(lang, "account.data_body")}</p>
                        <p><a class="button" href="/api/v1/me/export" download="setubashi-my-data.json">{t(lang, "account.download")}</a></p>
                        <p><a href="/privacy">{t(lang, "account.privacy_link")}</a></p>
                    </section>
                    <ConsentHistory consents />
                    <section aria-labelledby="delete-heading" class="card danger-zone">
                        <h2 id="delete-heading">{t(lang, "account.delete_heading")}</h2>
                        <p>{t(lang, "account.delete_body")}</p>
                        {move || failed_deletion.get().map(|f| view! { <DeleteForm failed=f.ok().flatten() /> })}
                    </section>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn PasswordForm(failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ChangeMyPassword>::new();
    let error = current_error(action.value(), failed);
    let never = Signal::derive(|| false);
    view! {
        <ActionForm action=action attr:class="form password-form">
            <TextField argument="" field="current_password" label="account.current_password" kind="password" required=true autocomplete="current-password" error=error />
            <TextField argument="" field="password" label="recovery.new_password" kind="password" required=true autocomplete="new-password" hint="signup.password_hint" error=error />
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "account.change_password")}</button>
        </ActionForm>
    }
}

/// Where the person is signed in, with a button per other device and one for all of them.
#[component]
fn Devices(list: Vec<DeviceView>) -> impl IntoView {
    let lang = use_lang();
    let one = ServerAction::<SignOutDevices>::new();
    let others = ServerAction::<SignOutDevices>::new();
    let has_others = list.iter().any(|d| !d.current);
    view! {
        <ul class="device-list">
            {list.into_iter().map(|d| view! {
                <li data-current=d.current.to_string()>
                    <strong>{d.device.clone()}</strong>
                    {d.current.then(|| view! { " · "<span class="badge">{t(lang, "account.this_device")}</span> })}
                    <p class="muted">
                        {t_with(lang, "account.device_times", &[
                            ("signed_in", &domain::time::format_jst_ist(d.signed_in_at)),
                            ("last_seen", &domain::time::format_jst_ist(d.last_seen_at)),
                        ])}
                    </p>
                    {(!d.current).then(|| view! {
                        <ActionForm action=one attr:class="inline-form">
                            <input type="hidden" name="id" value=d.id.to_string() />
                            <button type="submit" class="link-button">{t(lang, "account.sign_out_device")}</button>
                        </ActionForm>
                    })}
                </li>
            }).collect_view()}
        </ul>
        {has_others.then(|| view! {
            <ActionForm action=others attr:class="inline-form sign-out-others">
                <input type="hidden" name="id" value="0" />
                <button type="submit" class="button">{t(lang, "account.sign_out_others")}</button>
            </ActionForm>
        })}
    }
}

#[component]
fn MailForm(preferences: MailPreferences) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveMailPreferences>::new();
    let topics = [
        ("invitations", preferences.invitations),
        ("applications", preferences.applications),
        ("offers", preferences.offers),
        ("new_sign_ins", preferences.new_sign_ins),
    ];
    view! {
        <ActionForm action=action attr:class="form mail-form">
            <fieldset>
                <legend>{t(lang, "account.mail_body")}</legend>
                {topics.into_iter().map(|(topic, on)| view! {
                    <div class="field checkbox">
                        <input type="checkbox" id=format!("mail-{topic}") name=topic value="on" checked=on />
                        <label for=format!("mail-{topic}")>{t(lang, &format!("account.topic_{topic}"))}</label>
                    </div>
                }).collect_view()}
            </fieldset>
            <p class="muted">{t(lang, "account.mail_essential")}</p>
            <button type="submit" class="button">{t(lang, "account.save_mail")}</button>
        </ActionForm>
    }
}

#[component]
fn DeleteForm(failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<DeleteMyAccount>::new();
    let error = current_error(action.value(), failed);
    let never = Signal::derive(|| false);
    view! {
        <ActionForm action=action attr:class="form delete-account-form">
            <TextField argument="" field="password" label="account.confirm_password" kind="password" required=true autocomplete="current-password" error=error />
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button danger">{t(lang, "account.delete")}</button>
        </ActionForm>
    }
}

/// Every consent the person gave or withdrew, with the words they were shown.
#[component]
fn ConsentHistory(consents: ConsentPage) -> impl IntoView {
    let lang = use_lang();
    let pages = consents.total.div_ceil(consents.page_size.max(1));
    let current = consents.page;
    view! {
        <section aria-labelledby="consents-heading" class="card">
            <h2 id="consents-heading">{t(lang, "account.consents_heading")}</h2>
            <p>{t(lang, "account.consents_body")}</p>
            {if consents.results.is_empty() {
                view! { <p class="empty">{t(lang, "account.no_consents")}</p> }.into_any()
            } else {
                view! {
                    <ul class="consent-list">
                        {consents.results.into_iter().map(|c| {
                            let what = if c.granted { t(lang, "account.consent_given") } else { t(lang, "account.consent_withdrawn") };
                            view! {
                                <li>
                                    <p>
                                        <strong>{what}</strong>" · "{c.organisation_name}" · "
                                        <a href=format!("/applications/{}", c.application_id)>{t(lang, "account.see_application")}</a>
                                        " · "<time datetime=c.at.to_rfc3339()>{domain::time::format_jst_ist(c.at)}</time>
                                    </p>
                                    <blockquote>{c.text_shown}</blockquote>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(pages > 1).then(|| view! {
                        <nav class="pager" aria-label=t(lang, "account.consents_heading")>
                            {(current > 0).then(|| view! { <a href=format!("/account?page={}", current - 1)>{t(lang, "jobs.previous")}</a> })}
                            " "{t_with(lang, "jobs.page_of", &[("page", &(current + 1).to_string()), ("pages", &pages.to_string())])}" "
                            {(current + 1 < pages).then(|| view! { <a href=format!("/account?page={}", current + 1)>{t(lang, "jobs.next")}</a> })}
                        </nav>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// `/unsubscribe`: the page an e-mail's "stop these messages" link opens; a button confirms (a
/// link checker fetching the page changes nothing).
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let done = move || query.read().get("done").is_some();
    let param = move |name: &str| query.read().get(name).unwrap_or_default();
    let failed = Resource::new(|| (), |_| take_plain_submission("unsubscribe".to_owned()));
    view! {
        <PageTitle text=t(lang, "unsubscribe.title") />
        <h1>{t(lang, "unsubscribe.title")}</h1>
        <Show
            when=done
            fallback=move || {
                let topic = param("topic");
                let label = if domain::mail::MailTopic::parse(&topic).is_some() {
                    t(lang, &format!("account.topic_{topic}"))
                } else {
                    String::new()
                };
                view! {
                    <p>{t_with(lang, "unsubscribe.body", &[("topic", &label)])}</p>
                    <Suspense fallback=|| ()>
                        {move || failed.get().map(|f| {
                            let action = ServerAction::<Unsubscribe>::new();
                            let error = current_error(action.value(), f.ok().flatten());
                            let never = Signal::derive(|| false);
                            view! {
                                <ActionForm action=action attr:class="form unsubscribe-form">
                                    <input type="hidden" name="user" value=param("user") />
                                    <input type="hidden" name="topic" value=param("topic") />
                                    <input type="hidden" name="key" value=param("key") />
                                    <FormStatus error=error saved=never saved_message="common.saved" />
                                    <button type="submit" class="button primary">{t(lang, "unsubscribe.confirm")}</button>
                                </ActionForm>
                            }
                        })}
                    </Suspense>
                }
            }
        >
            <p class="notice" role="status">{t(lang, "unsubscribe.done")}</p>
        </Show>
        <p><a href="/account">{t(lang, "privacy.go_to_account")}</a></p>
    }
}

/// `/privacy`: what is collected, why, who receives it, for how long, and how to exercise each
/// right — in the reader's language.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = use_lang();
    let sections = [
        "collected",
        "purposes",
        "recipients",
        "retention",
        "rights",
        "security",
        "contact",
    ];
    view! {
        <PageTitle text=t(lang, "privacy.title") />
        <article class="privacy">
            <h1>{t(lang, "privacy.title")}</h1>
            <p class="lead">{t(lang, "privacy.intro")}</p>
            {sections
                .into_iter()
                .map(|key| view! {
                    <section>
                        <h2>{t(lang, &format!("privacy.{key}_heading"))}</h2>
                        <p>{t(lang, &format!("privacy.{key}_body"))}</p>
                    </section>
                })
                .collect_view()}
            <p><a href="/account">{t(lang, "privacy.go_to_account")}</a></p>
        </article>
    }
}
