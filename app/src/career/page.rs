//! The career editor: education, jobs and qualifications as rows, with spare empty rows so that
//! one can be added without JavaScript.

use domain::career::{
    CareerDraft, EducationDraft, EducationLevel, EmploymentDraft, QualificationDraft,
    QualificationKind, JAPANESE_IT_EXAMS, NIELIT_LEVELS,
};
use domain::language::UiLanguage;
use leptos::prelude::*;

use super::api::{load_career, SaveCareer};
use crate::components::{
    Choice, FormError, FormStatus, PageTitle, SelectField, TextArea, TextField,
};
use crate::forms::{current_error, succeeded, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_with, use_lang};
use crate::PageError;

/// Empty rows offered after the saved ones.
const SPARE_EDUCATION_ROWS: usize = 1;
const SPARE_EMPLOYMENT_ROWS: usize = 1;
const SPARE_QUALIFICATION_ROWS: usize = 2;

#[component]
pub fn CareerPage() -> impl IntoView {
    let lang = use_lang();
    let career = Resource::new(|| (), |_| load_career());
    let failed = Resource::new(|| (), |_| take_plain_submission("save_career".to_owned()));
    view! {
        <PageTitle text=t(lang, "career.title") />
        <h1>{t(lang, "career.title")}</h1>
        <p class="hint">{t(lang, "career.intro")}</p>
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                career.get().map(|result| match result {
                    Ok(draft) => view! { <CareerForm draft failed /> }.into_any(),
                    Err(crate::error::AppError::NotFound) => view! {
                        <p class="alert alert-info">{t(lang, "career.profile_first")}" "<a href="/profile">{t(lang, "nav.profile")}</a></p>
                    }.into_any(),
                    Err(error) => view! { <PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn CareerForm(draft: CareerDraft, failed: Option<PlainSubmission>) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveCareer>::new();
    let saved = succeeded(action.value(), failed.as_ref());
    // after a failed plain post, show what was typed rather than what is saved
    let CareerDraft {
        mut education,
        mut employment,
        mut qualifications,
    } = failed
        .as_ref()
        .and_then(PlainSubmission::values_as)
        .unwrap_or(draft);
    let error = current_error(action.value(), failed);
    education.extend(std::iter::repeat_n(
        EducationDraft::default(),
        SPARE_EDUCATION_ROWS,
    ));
    employment.extend(std::iter::repeat_n(
        EmploymentDraft::default(),
        SPARE_EMPLOYMENT_ROWS,
    ));
    qualifications.extend(std::iter::repeat_n(
        QualificationDraft::default(),
        SPARE_QUALIFICATION_ROWS,
    ));
    let rows: Vec<AnyView> = education
        .into_iter()
        .enumerate()
        .map(|(i, row)| view! { <EducationRow index=i row error /> }.into_any())
        .collect();
    let jobs: Vec<AnyView> = employment
        .into_iter()
        .enumerate()
        .map(|(i, row)| view! { <EmploymentRow index=i row error /> }.into_any())
        .collect();
    let held: Vec<AnyView> = qualifications
        .into_iter()
        .enumerate()
        .map(|(i, row)| view! { <QualificationRow index=i row error /> }.into_any())
        .collect();
    view! {
        <ActionForm action=action attr:class="form career-form" attr:novalidate="true">
            <datalist id="countries">
                {["IN", "JP", "US", "GB", "DE", "SG", "AE", "AU", "CA", "KR"].into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
            </datalist>
            <datalist id="it-exams">
                {JAPANESE_IT_EXAMS.iter().map(|(_, ja, en)| view! { <option value=*ja>{*en}</option> }).collect_view()}
                {NIELIT_LEVELS.iter().map(|(level, _)| view! { <option value=*level>{format!("NIELIT {level}")}</option> }).collect_view()}
            </datalist>
            <h2>{t(lang, "career.education")}</h2>
            {rows}
            <h2>{t(lang, "career.employment")}</h2>
            <p class="hint">{t(lang, "career.employment_hint")}</p>
            {jobs}
            <h2>{t(lang, "career.qualifications")}</h2>
            <p class="hint">{t(lang, "career.qualifications_hint")}</p>
            {held}
            <FormStatus error=error saved=saved saved_message="career.saved" />
            <button type="submit" class="button primary">{t(lang, "common.save")}</button>
        </ActionForm>
    }
}

fn coded_choices<T: Copy>(
    lang: UiLanguage,
    prefix: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    std::iter::once(Choice::new("", "—"))
        .chain(
            all.iter()
                .map(|v| Choice::new(code(*v), t(lang, &format!("{prefix}.{}", code(*v))))),
        )
        .collect()
}

#[component]
fn EducationRow(index: usize, row: EducationDraft, error: FormError) -> impl IntoView {
    let lang = use_lang();
    let field = move |name: &str| format!("education[{index}].{name}");
    view! {
        <fieldset class="career-row">
            <legend>{t_with(lang, "career.education_n", &[("n", &(index + 1).to_string())])}</legend>
            <SelectField argument="draft" field=field("level") label="career.level" choices=coded_choices(lang, "career.levels", &EducationLevel::ALL, EducationLevel::code) selected=row.level error=error />
            <TextField argument="draft" field=field("field") label="career.field" value=row.field error=error />
            <TextField argument="draft" field=field("institution") label="career.institution" value=row.institution error=error />
            <TextField argument="draft" field=field("country") label="career.country" value=row.country list="countries" hint="career.country_hint" error=error />
            <TextField argument="draft" field=field("started") label="career.started" value=row.started kind="month" error=error />
            <TextField argument="draft" field=field("ended") label="career.ended" value=row.ended kind="month" hint="career.ended_hint" error=error />
        </fieldset>
    }
}

#[component]
fn EmploymentRow(index: usize, row: EmploymentDraft, error: FormError) -> impl IntoView {
    let lang = use_lang();
    let field = move |name: &str| format!("employment[{index}].{name}");
    view! {
        <fieldset class="career-row">
            <legend>{t_with(lang, "career.job_n", &[("n", &(index + 1).to_string())])}</legend>
            <TextField argument="draft" field=field("employer") label="career.employer" value=row.employer autocomplete="organization" error=error />
            <TextField argument="draft" field=field("title") label="career.job_title" value=row.title autocomplete="organization-title" error=error />
            <TextField argument="draft" field=field("country") label="career.country" value=row.country list="countries" hint="career.country_hint" error=error />
            <TextField argument="draft" field=field("started") label="career.started" value=row.started kind="month" error=error />
            <TextField argument="draft" field=field("ended") label="career.ended" value=row.ended kind="month" hint="career.current_hint" error=error />
            <TextArea argument="draft" field=field("description") label="career.description" value=row.description error=error />
            <TextField argument="draft" field=field("skills") label="career.skills" value=row.skills hint="career.skills_hint" error=error />
        </fieldset>
    }
}

#[component]
fn QualificationRow(index: usize, row: QualificationDraft, error: FormError) -> impl IntoView {
    let lang = use_lang();
    let field = move |name: &str| format!("qualifications[{index}].{name}");
    view! {
        <fieldset class="career-row">
            <legend>{t_with(lang, "career.qualification_n", &[("n", &(index + 1).to_string())])}</legend>
            <SelectField argument="draft" field=field("kind") label="career.kind" choices=coded_choices(lang, "career.kinds", &QualificationKind::ALL, QualificationKind::code) selected=row.kind error=error />
            <TextField argument="draft" field=field("name") label="career.name" value=row.name list="it-exams" hint="career.name_hint" error=error />
            <TextField argument="draft" field=field("obtained") label="career.obtained" value=row.obtained kind="month" error=error />
            <TextField argument="draft" field=field("identifier") label="career.identifier" value=row.identifier hint="career.identifier_hint" error=error />
        </fieldset>
    }
}
