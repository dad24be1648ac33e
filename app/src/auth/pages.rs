//! The sign-up and log-in pages.

use domain::geo::{Sector, INDIAN_STATES, PREFECTURES};
use domain::role::CompanySize;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

use super::api::{ConfirmEmail, LogIn, RequestPasswordReset, ResetPassword, SignUp, SignUpForm};
use crate::components::{Choice, FieldProblems, FormStatus, PageTitle, SelectField, TextField};
use crate::error::AppError;
use crate::forms::{current_error, take_plain_submission, PlainSubmission};
use crate::i18n::{t, use_lang};

/// Prefecture choices with names in the page's language, and an empty first choice.
pub fn prefecture_choices(lang: domain::language::UiLanguage) -> Vec<Choice> {
    std::iter::once(Choice::new("", t(lang, "common.choose")))
        .chain(
            PREFECTURES
                .iter()
                .map(|p| Choice::new(p.code, p.name.in_language(lang.code()))),
        )
        .collect()
}

/// Indian state choices in the page's language.
pub fn state_choices(lang: domain::language::UiLanguage) -> Vec<Choice> {
    std::iter::once(Choice::new("", t(lang, "common.choose")))
        .chain(
            INDIAN_STATES
                .iter()
                .map(|s| Choice::new(s.code, s.name.in_language(lang.code()))),
        )
        .collect()
}

pub fn sector_choices(lang: domain::language::UiLanguage) -> Vec<Choice> {
    std::iter::once(Choice::new("", t(lang, "common.choose")))
        .chain(
            Sector::ALL
                .iter()
                .map(|s| Choice::new(s.code(), s.name().in_language(lang.code()))),
        )
        .collect()
}

pub fn size_choices(lang: domain::language::UiLanguage) -> Vec<Choice> {
    std::iter::once(Choice::new("", t(lang, "common.choose")))
        .chain(CompanySize::ALL.iter().map(|s| {
            Choice::new(
                s.code(),
                t(lang, &format!("organisation.size_{}", s.code())),
            )
        }))
        .collect()
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let lang = use_lang();
    let failed = Resource::new(|| (), |_| take_plain_submission("sign_up".to_owned()));
    view! {
        <PageTitle text=t(lang, "signup.title") />
        <h1>{t(lang, "signup.title")}</h1>
        <p>{t(lang, "signup.intro")}</p>
        <Suspense fallback=|| ()>
            {move || failed.get().map(|f| view! { <SignUpFormView failed=f.ok().flatten() /> })}
        </Suspense>
        <p>{t(lang, "signup.have_account")}" "<a href="/login">{t(lang, "nav.log_in")}</a></p>
    }
}

#[component]
fn SignUpFormView(failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SignUp>::new();
    let typed: SignUpForm = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
        .unwrap_or_default();
    let error = current_error(action.value(), failed);
    let never = Signal::derive(|| false);
    let employer = typed.role == "employer";
    let org = typed.organisation;
    view! {
        <ActionForm action=action attr:class="form signup-form" attr:novalidate="true">
            <fieldset class="role-choice">
                <legend>{t(lang, "signup.i_am")}</legend>
                <div class="radio">
                    <input type="radio" id="role-engineer" name="form[role]" value="engineer" checked=!employer />
                    <label for="role-engineer">{t(lang, "signup.role_engineer")}</label>
                </div>
                <div class="radio">
                    <input type="radio" id="role-employer" name="form[role]" value="employer" checked=employer />
                    <label for="role-employer">{t(lang, "signup.role_employer")}</label>
                </div>
                <FieldProblems field="role" error=error />
            </fieldset>
            <TextField argument="form" field="display_name" label="signup.display_name" value=typed.display_name required=true autocomplete="name" error=error />
            <TextField argument="form" field="email" label="signup.email" value=typed.email kind="email" required=true autocomplete="email" error=error />
            <TextField argument="form" field="password" label="signup.password" kind="password" required=true autocomplete="new-password" hint="signup.password_hint" error=error />
            <fieldset class="employer-only">
                <legend>{t(lang, "signup.organisation_legend")}</legend>
                <p class="hint">{t(lang, "signup.organisation_hint")}</p>
                <TextField argument="form" field="organisation.name_ja" label="organisation.name_ja" value=org.name_ja error=error />
                <TextField argument="form" field="organisation.name_en" label="organisation.name_en" value=org.name_en error=error />
                <SelectField argument="form" field="organisation.prefecture" label="organisation.prefecture" choices=prefecture_choices(lang) selected=org.prefecture error=error />
                <SelectField argument="form" field="organisation.sector" label="organisation.sector" choices=sector_choices(lang) selected=org.sector error=error />
                <SelectField argument="form" field="organisation.size" label="organisation.size" choices=size_choices(lang) selected=org.size error=error />
                <TextField argument="form" field="organisation.corporate_number" label="organisation.corporate_number" value=org.corporate_number hint="organisation.corporate_number_hint" inputmode="numeric" autocomplete="off" error=error />
                <TextField argument="form" field="organisation.website" label="organisation.website" value=org.website kind="url" autocomplete="url" error=error />
            </fieldset>
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "signup.submit")}</button>
        </ActionForm>
    }
}

/// What was typed in `field` of a refused form (passwords are never kept).
fn typed_value(failed: Option<&PlainSubmission>, field: &str) -> String {
    failed.map(|f| f.typed_text(field)).unwrap_or_default()
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let lang = use_lang();
    let failed = Resource::new(|| (), |_| take_plain_submission("log_in".to_owned()));
    view! {
        <PageTitle text=t(lang, "login.title") />
        <h1>{t(lang, "login.title")}</h1>
        <Show when=move || use_query_map().read().get("reset").is_some()>
            <p class="notice" role="status">{t(lang, "recovery.reset_done")}</p>
        </Show>
        <Suspense fallback=|| ()>
            {move || failed.get().map(|f| view! { <LogInFormView failed=f.ok().flatten() /> })}
        </Suspense>
        <p><a href="/forgot-password">{t(lang, "recovery.forgot_link")}</a></p>
        <p>{t(lang, "login.no_account")}" "<a href="/signup">{t(lang, "nav.sign_up")}</a></p>
    }
}

/// A plain form post, also with the wasm loaded: signing in loads the next page afresh, in the
/// account's saved language (the server sets it as the language cookie), with the header of a
/// signed-in user. A refused attempt comes back to this page with its error and the address.
#[component]
fn LogInFormView(failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let typed_email = typed_value(failed.as_ref(), "email");
    let error: Signal<Option<AppError>> = Signal::stored(failed.and_then(|f| f.error));
    let never = Signal::derive(|| false);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <form method="post" action=LogIn::url() class="form login-form">
            <input type="hidden" name="next" value=next />
            <TextField argument="" field="email" label="signup.email" value=typed_email kind="email" required=true autocomplete="username" error=error />
            <TextField argument="" field="password" label="signup.password" kind="password" required=true autocomplete="current-password" error=error />
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "login.submit")}</button>
        </form>
    }
}

/// Asks for a reset link by e-mail.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let failed = Resource::new(
        || (),
        |_| take_plain_submission("request_password_reset".to_owned()),
    );
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    view! {
        <PageTitle text=t(lang, "recovery.forgot_title") />
        <h1>{t(lang, "recovery.forgot_title")}</h1>
        <Show
            when=sent
            fallback=move || view! {
                <p>{t(lang, "recovery.forgot_intro")}</p>
                <Suspense fallback=|| ()>
                    {move || failed.get().map(|f| view! { <ForgotFormView failed=f.ok().flatten() /> })}
                </Suspense>
            }
        >
            <p class="notice" role="status">{t(lang, "recovery.sent")}</p>
        </Show>
        <p><a href="/login">{t(lang, "nav.log_in")}</a></p>
    }
}

#[component]
fn ForgotFormView(failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<RequestPasswordReset>::new();
    let typed_email = typed_value(failed.as_ref(), "email");
    let error = current_error(action.value(), failed);
    let never = Signal::derive(|| false);
    view! {
        <ActionForm action=action attr:class="form forgot-form">
            <TextField argument="" field="email" label="signup.email" value=typed_email kind="email" required=true autocomplete="username" error=error />
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "recovery.send_link")}</button>
        </ActionForm>
    }
}

/// Proves an e-mail address: the link from the message opens this page, whose button posts the
/// token (a link-checking mail scanner that only fetches the page proves nothing).
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let lang = use_lang();
    let failed = Resource::new(|| (), |_| take_plain_submission("confirm_email".to_owned()));
    let query = use_query_map();
    let done = move || query.read().get("done").is_some();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <PageTitle text=t(lang, "verify.title") />
        <h1>{t(lang, "verify.title")}</h1>
        <Show
            when=done
            fallback=move || view! {
                <p>{t(lang, "verify.intro")}</p>
                <Suspense fallback=|| ()>
                    {move || failed.get().map(|f| {
                        let action = ServerAction::<ConfirmEmail>::new();
                        let error = current_error(action.value(), f.ok().flatten());
                        let never = Signal::derive(|| false);
                        view! {
                            <ActionForm action=action attr:class="form verify-form">
                                <input type="hidden" name="token" value=token />
                                <FieldProblems field="token" error=error />
                                <FormStatus error=error saved=never saved_message="common.saved" />
                                <button type="submit" class="button primary">{t(lang, "verify.confirm")}</button>
                            </ActionForm>
                        }
                    })}
                </Suspense>
            }
        >
            <p class="notice" role="status">{t(lang, "verify.done")}</p>
        </Show>
    }
}

/// Chooses a new password with the token from the e-mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let lang = use_lang();
    let failed = Resource::new(
        || (),
        |_| take_plain_submission("reset_password".to_owned()),
    );
    view! {
        <PageTitle text=t(lang, "recovery.reset_title") />
        <h1>{t(lang, "recovery.reset_title")}</h1>
        <Suspense fallback=|| ()>
            {move || failed.get().map(|f| view! { <ResetFormView failed=f.ok().flatten() /> })}
        </Suspense>
        <p><a href="/forgot-password">{t(lang, "recovery.ask_again")}</a></p>
    }
}

#[component]
fn ResetFormView(failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ResetPassword>::new();
    let error = current_error(action.value(), failed);
    let never = Signal::derive(|| false);
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    view! {
        <ActionForm action=action attr:class="form reset-form">
            <input type="hidden" name="token" value=token />
            <FieldProblems field="token" error=error />
            <TextField argument="" field="password" label="recovery.new_password" kind="password" required=true autocomplete="new-password" hint="signup.password_hint" error=error />
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "recovery.set_password")}</button>
        </ActionForm>
    }
}
