//! The sign-up and log-in pages.

use domain::geo::{Sector, INDIAN_STATES, PREFECTURES};
use domain::role::CompanySize;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{LogIn, SignUp};
use crate::components::{error_of, Choice, FieldProblems, FormStatus, SelectField, TextField};
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
    let action = ServerAction::<SignUp>::new();
    let error = error_of(action.value());
    let never = Signal::derive(|| false);
    view! {
        <Title text=t(lang, "signup.title") />
        <h1>{t(lang, "signup.title")}</h1>
        <p>{t(lang, "signup.intro")}</p>
        <ActionForm action=action attr:class="form signup-form" attr:novalidate="true">
            <fieldset class="role-choice">
                <legend>{t(lang, "signup.i_am")}</legend>
                <div class="radio">
                    <input type="radio" id="role-engineer" name="form[role]" value="engineer" checked=true />
                    <label for="role-engineer">{t(lang, "signup.role_engineer")}</label>
                </div>
                <div class="radio">
                    <input type="radio" id="role-employer" name="form[role]" value="employer" />
                    <label for="role-employer">{t(lang, "signup.role_employer")}</label>
                </div>
                <FieldProblems field="role" error=error />
            </fieldset>
            <TextField argument="form" field="display_name" label="signup.display_name" required=true autocomplete="name" error=error />
            <TextField argument="form" field="email" label="signup.email" kind="email" required=true autocomplete="email" error=error />
            <TextField argument="form" field="password" label="signup.password" kind="password" required=true autocomplete="new-password" hint="signup.password_hint" error=error />
            <fieldset class="employer-only">
                <legend>{t(lang, "signup.organisation_legend")}</legend>
                <p class="hint">{t(lang, "signup.organisation_hint")}</p>
                <TextField argument="form" field="organisation.name_ja" label="organisation.name_ja" error=error />
                <TextField argument="form" field="organisation.name_en" label="organisation.name_en" error=error />
                <SelectField argument="form" field="organisation.prefecture" label="organisation.prefecture" choices=prefecture_choices(lang) error=error />
                <SelectField argument="form" field="organisation.sector" label="organisation.sector" choices=sector_choices(lang) error=error />
                <SelectField argument="form" field="organisation.size" label="organisation.size" choices=size_choices(lang) error=error />
            </fieldset>
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "signup.submit")}</button>
        </ActionForm>
        <p>{t(lang, "signup.have_account")}" "<a href="/login">{t(lang, "nav.log_in")}</a></p>
    }
}

#[component]
pub fn LogInPage() -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<LogIn>::new();
    let error = error_of(action.value());
    let never = Signal::derive(|| false);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=t(lang, "login.title") />
        <h1>{t(lang, "login.title")}</h1>
        <ActionForm action=action attr:class="form login-form">
            <input type="hidden" name="next" value=next />
            <TextField argument="" field="email" label="signup.email" kind="email" required=true autocomplete="username" error=error />
            <TextField argument="" field="password" label="signup.password" kind="password" required=true autocomplete="current-password" error=error />
            <FormStatus error=error saved=never saved_message="common.saved" />
            <button type="submit" class="button primary">{t(lang, "login.submit")}</button>
        </ActionForm>
        <p>{t(lang, "login.no_account")}" "<a href="/signup">{t(lang, "nav.sign_up")}</a></p>
    }
}
