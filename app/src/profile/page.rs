//! The engineer's profile editor.

use domain::jlpt::JlptLevel;
use domain::language::{SpokenLevel, UiLanguage, SPOKEN_LANGUAGES};
use domain::profile::{
    Degree, LanguageRowDraft, ProfileDraft, SkillLevel, SkillRowDraft, VisaInterest,
};
use leptos::prelude::*;

use super::api::{load_profile, ProfileEditor, SaveProfile};
use crate::auth::pages::state_choices;
use crate::components::{
    CheckboxField, Choice, FormError, FormStatus, PageTitle, SelectField, TextArea, TextField,
};
use crate::forms::{current_error, succeeded, take_plain_submission, PlainSubmission};
use crate::i18n::{t, use_lang};
use crate::PageError;

/// Empty rows offered after the saved ones, so skills can be added without JavaScript.
const SPARE_SKILL_ROWS: usize = 3;
const SPARE_LANGUAGE_ROWS: usize = 2;

pub fn jlpt_choices(lang: UiLanguage, none_key: &str) -> Vec<Choice> {
    std::iter::once(Choice::new("none", t(lang, none_key)))
        .chain(
            JlptLevel::ALL
                .iter()
                .rev()
                .map(|l| Choice::new(l.code(), l.code())),
        )
        .collect()
}

fn coded<T: Copy>(
    lang: UiLanguage,
    prefix: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice::new(code(*v), t(lang, &format!("{prefix}.{}", code(*v)))))
        .collect()
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let lang = use_lang();
    let editor = Resource::new(|| (), |_| load_profile());
    let failed = Resource::new(|| (), |_| take_plain_submission("save_profile".to_owned()));
    view! {
        <PageTitle text=t(lang, "profile.title") />
        <h1>{t(lang, "profile.title")}</h1>
        <p><a href="/profile/career">{t(lang, "career.link")}</a></p>
        <p><a href="/profile/documents">{t(lang, "documents.link")}</a></p>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                editor.get().map(|result| match result {
                    Ok(editor) => view! { <ProfileForm editor failed /> }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn ProfileForm(editor: ProfileEditor, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveProfile>::new();
    let saved = succeeded(action.value(), failed.as_ref());
    let ProfileEditor {
        draft,
        skill_names,
        free_skills,
    } = editor;
    // what the last save kept in the engineer's words, else what the saved profile holds
    let free_skills = Signal::derive(move || match action.value().get() {
        Some(Ok(kept)) => kept,
        _ => free_skills.clone(),
    });
    // after a failed plain post, show what was typed rather than what is saved
    let draft = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
        .unwrap_or(draft);
    let error = current_error(action.value(), failed);
    let ProfileDraft {
        full_name,
        headline,
        summary,
        years_experience,
        jlpt_level,
        jlpt_certified,
        indian_state,
        city,
        degree,
        desired_salary_jpy,
        date_of_birth,
        visa_interest,
        available_from,
        searchable,
        mut skills,
        mut languages,
    } = draft;
    skills.extend(std::iter::repeat_n(
        SkillRowDraft::default(),
        SPARE_SKILL_ROWS,
    ));
    languages.extend(std::iter::repeat_n(
        LanguageRowDraft::default(),
        SPARE_LANGUAGE_ROWS,
    ));
    let is_on = |v: &Option<String>| domain::profile::checkbox(v);

    view! {
        <ActionForm action=action attr:class="form profile-form" attr:novalidate="true">
            <datalist id="skill-names">
                {skill_names.into_iter().map(|name| view! { <option value=name></option> }).collect_view()}
            </datalist>
            <fieldset>
                <legend>{t(lang, "profile.about_legend")}</legend>
                <TextField argument="draft" field="full_name" label="profile.full_name" value=full_name required=true autocomplete="name" error=error />
                <TextField argument="draft" field="headline" label="profile.headline" value=headline hint="profile.headline_hint" error=error />
                <TextArea argument="draft" field="summary" label="profile.summary" value=summary error=error />
                <TextField argument="draft" field="years_experience" label="profile.years_experience" value=years_experience kind="number" inputmode="numeric" required=true error=error />
                <SelectField argument="draft" field="degree" label="profile.degree" choices=coded(lang, "profile.degrees", &Degree::ALL, Degree::code) selected=degree error=error />
            </fieldset>
            <fieldset>
                <legend>{t(lang, "profile.japanese_legend")}</legend>
                <SelectField argument="draft" field="jlpt_level" label="profile.jlpt_level" choices=jlpt_choices(lang, "profile.jlpt_none") selected=jlpt_level error=error />
                <CheckboxField argument="draft" field="jlpt_certified" label="profile.jlpt_certified" checked=is_on(&jlpt_certified) />
            </fieldset>
            <fieldset>
                <legend>{t(lang, "profile.skills_legend")}</legend>
                <p class="hint">{t(lang, "profile.skills_hint")}</p>
                <table class="rows">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "profile.skill")}</th>
                            <th scope="col">{t(lang, "profile.skill_years")}</th>
                            <th scope="col">{t(lang, "profile.skill_level")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {skills.into_iter().enumerate().map(|(i, row)| view! { <SkillRow index=i row error /> }).collect_view()}
                    </tbody>
                </table>
                <crate::components::FreeSkillsNote names=free_skills message="profile.free_skills" />
            </fieldset>
            <fieldset>
                <legend>{t(lang, "profile.languages_legend")}</legend>
                {languages.into_iter().enumerate().map(|(i, row)| view! { <LanguageRow index=i row error /> }).collect_view()}
            </fieldset>
            <fieldset>
                <legend>{t(lang, "profile.location_legend")}</legend>
                <SelectField argument="draft" field="indian_state" label="profile.indian_state" choices=state_choices(lang) selected=indian_state error=error />
                <TextField argument="draft" field="city" label="profile.city" value=city autocomplete="address-level2" error=error />
                <TextField argument="draft" field="desired_salary_jpy" label="profile.desired_salary_jpy" value=desired_salary_jpy hint="profile.salary_hint" error=error />
                <TextField argument="draft" field="date_of_birth" label="profile.date_of_birth" value=date_of_birth kind="date" hint="profile.date_of_birth_hint" error=error />
                <SelectField argument="draft" field="visa_interest" label="profile.visa_interest" choices=coded(lang, "profile.visas", &VisaInterest::ALL, VisaInterest::code) selected=visa_interest error=error />
                <TextField argument="draft" field="available_from" label="profile.available_from" value=available_from kind="date" hint="profile.available_from_hint" error=error />
                <CheckboxField argument="draft" field="searchable" label="profile.searchable" checked=is_on(&searchable) />
            </fieldset>
            <FormStatus error=error saved=saved saved_message="profile.saved" />
            <button type="submit" class="button primary">{t(lang, "common.save")}</button>
        </ActionForm>
    }
}

#[component]
fn SkillRow(index: usize, row: SkillRowDraft, error: FormError) -> impl IntoView {
    let lang = use_lang();
    let field = |name: &str| format!("skills[{index}].{name}");
    let number = index + 1;
    let label = |key: &str| format!("{} {number}", t(lang, key));
    let levels = SkillLevel::ALL
        .iter()
        .map(|l| Choice::new(l.code(), t(lang, &format!("profile.levels.{}", l.code()))));
    let selected = if row.level.is_empty() {
        "intermediate".to_owned()
    } else {
        row.level.clone()
    };
    view! {
        <tr>
            <td>
                <input
                    name=crate::components::form_name("draft", &field("skill"))
                    id=crate::components::field_id(&field("skill"))
                    value=row.skill
                    list="skill-names"
                    autocomplete="off"
                    aria-label=label("profile.skill")
                />
                <crate::components::FieldProblems field=field("skill") error=error />
            </td>
            <td>
                <input
                    name=crate::components::form_name("draft", &field("years"))
                    id=crate::components::field_id(&field("years"))
                    value=row.years
                    inputmode="numeric"
                    size="3"
                    aria-label=label("profile.skill_years")
                />
                <crate::components::FieldProblems field=field("years") error=error />
            </td>
            <td>
                <select name=crate::components::form_name("draft", &field("level")) aria-label=label("profile.skill_level")>
                    {levels.map(|c| {
                        let is_selected = c.value == selected;
                        view! { <option value=c.value selected=is_selected>{c.label}</option> }
                    }).collect_view()}
                </select>
            </td>
        </tr>
    }
}

#[component]
fn LanguageRow(index: usize, row: LanguageRowDraft, error: FormError) -> impl IntoView {
    let lang = use_lang();
    let field = |name: &str| format!("languages[{index}].{name}");
    let number = index + 1;
    let languages = std::iter::once(Choice::new("", t(lang, "common.choose")))
        .chain(
            SPOKEN_LANGUAGES
                .iter()
                .map(|code| Choice::new(*code, t(lang, &format!("languages.{code}")))),
        )
        .collect::<Vec<_>>();
    let levels = std::iter::once(Choice::new("", t(lang, "common.choose")))
        .chain(
            SpokenLevel::ALL
                .iter()
                .map(|l| Choice::new(l.code(), t(lang, &format!("profile.spoken.{}", l.code())))),
        )
        .collect::<Vec<_>>();
    view! {
        <div class="row-pair">
            <SelectField argument="draft" field=field("language") label="profile.language" suffix=number.to_string() choices=languages selected=row.language error=error />
            <SelectField argument="draft" field=field("level") label="profile.language_level" suffix=number.to_string() choices=levels selected=row.level error=error />
        </div>
    }
}
