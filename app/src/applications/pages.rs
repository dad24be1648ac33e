//! Pages of the mobility application: the lists ("My applications"), one application with its
//! timeline and the moves the viewer may make, and the employer's pipeline board for a role.

use domain::pipeline::{
    Clock, ClockState, EmploymentType, InterviewFormat, MoveDraft, Party, Stage, Target,
};
use leptos::prelude::*;

use super::api::{
    list_my_applications, load_application, load_pipeline, ApplicationDetail, ApplicationSummary,
    BulkMoveResult, MoveApplication, MoveApplications, PipelineBoard, TimelineEntry,
};
use super::drag::DragToMove;
use crate::components::{Choice, FormStatus, PageTitle, SelectField, TableRegion, TextField};
use crate::error::AppResult;
use crate::forms::{current_error, take_plain_submission, PlainSubmission};
use crate::i18n::{t, t_count, t_with, use_lang};
use crate::roles::pages::title_for;
use crate::PageError;
use domain::language::UiLanguage;
use domain::money::format_yen;

/// A stage's or closing reason's name in the reader's language.
pub fn stage_label(lang: UiLanguage, code: &str) -> String {
    match Target::parse(code) {
        Some(Target::Stage(_)) => t(lang, &format!("stages.{code}")),
        Some(Target::Closed(_)) => t(lang, &format!("closing.{code}")),
        None => code.to_owned(),
    }
}

/// Where an application stands, in words: its stage, or "closed: reason".
pub fn status_label(lang: UiLanguage, stage: &str, closed: &Option<String>) -> String {
    match closed {
        Some(reason) => t_with(
            lang,
            "applications.closed_at",
            &[
                ("reason", &stage_label(lang, reason)),
                ("stage", &stage_label(lang, stage)),
            ],
        ),
        None => stage_label(lang, stage),
    }
}

fn party_label(lang: UiLanguage, party: Party) -> String {
    t(lang, &format!("parties.{}", party.code()))
}

/// A legal deadline as a sentence, with a class for its urgency.
pub fn clock_text(lang: UiLanguage, clock: &Clock) -> (String, &'static str) {
    let what = t(
        lang,
        match clock.kind {
            domain::pipeline::ClockKind::CoeValidity => "clocks.coe_validity",
            domain::pipeline::ClockKind::ResidentRegistration => "clocks.resident_registration",
        },
    );
    let due = clock.due.format("%Y-%m-%d").to_string();
    let (state, class) = match clock.state {
        ClockState::Running { days_left } => (
            t_count(lang, "clocks.days_left", "days", days_left, &[]),
            "clock-running",
        ),
        ClockState::Warning { days_left, .. } => (
            t_count(lang, "clocks.days_left", "days", days_left, &[]),
            "clock-warning",
        ),
        ClockState::Overdue { days_over } => (
            t_count(lang, "clocks.overdue", "days", days_over, &[]),
            "clock-overdue",
        ),
        ClockState::Met => (t(lang, "clocks.met"), "clock-met"),
    };
    (
        t_with(
            lang,
            "clocks.sentence",
            &[("what", &what), ("due", &due), ("state", &state)],
        ),
        class,
    )
}

#[component]
fn Clocks(clocks: Vec<Clock>) -> impl IntoView {
    let lang = use_lang();
    (!clocks.is_empty()).then(|| {
        view! {
            <ul class="clocks">
                {clocks
                    .iter()
                    .map(|c| {
                        let (text, class) = clock_text(lang, c);
                        view! { <li class=class>{text}</li> }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

fn next_step_text(lang: UiLanguage, a: &ApplicationSummary) -> Option<String> {
    let next = a.next_stage.as_ref()?;
    let who = a
        .next_by
        .iter()
        .map(|p| party_label(lang, *p))
        .collect::<Vec<_>>()
        .join(" / ");
    Some(t_with(
        lang,
        "applications.next_step",
        &[("stage", &stage_label(lang, next)), ("who", &who)],
    ))
}

/// "My applications": an engineer's own, or an employer's organisation's.
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let lang = use_lang();
    let query = leptos_router::hooks::use_query_map();
    let args = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
        (
            get("role").and_then(|r| r.parse::<i32>().ok()),
            get("stage"),
            get("open"),
            get("page").and_then(|p| p.parse::<u64>().ok()),
        )
    };
    let list = Resource::new(args, |(role, stage, open, page)| {
        list_my_applications(role, stage, open, page)
    });
    view! {
        <PageTitle text=t(lang, "applications.title") />
        <h1>{t(lang, "applications.title")}</h1>
        {move || {
            let (role, stage, open, _) = args();
            view! { <ApplicationFilters role stage=stage.unwrap_or_default() open=open.unwrap_or_default() /> }
        }}
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || list.get().map(|result| match result {
                Ok(found) if found.total == 0 => view! {
                    <p>{t(lang, "applications.none_yet")}</p>
                    <p><a href="/jobs">{t(lang, "nav.jobs")}</a></p>
                }.into_any(),
                Ok(found) => {
                    let (role, stage, open, _) = args();
                    let link = move |page: u64| {
                        let mut pairs = vec![format!("page={page}")];
                        if let Some(r) = role {
                            pairs.push(format!("role={r}"));
                        }
                        if let Some(s) = &stage {
                            pairs.push(format!("stage={s}"));
                        }
                        if let Some(o) = &open {
                            pairs.push(format!("open={o}"));
                        }
                        format!("/applications?{}", pairs.join("&"))
                    };
                    let (page, pages) = (found.page, found.pages);
                    view! {
                        <p class="muted">{crate::i18n::t_count(lang, "applications.count", "count", found.total, &[])}</p>
                        <ApplicationTable applications=found.rows />
                        {(pages > 1).then(|| view! {
                            <nav class="pager" aria-label=t(lang, "jobs.pages")>
                                {(page > 1).then(|| view! { <a rel="prev" href=link(page - 1)>{t(lang, "jobs.previous")}</a> })}
                                <span>{t_with(lang, "jobs.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string())])}</span>
                                {(page < pages).then(|| view! { <a rel="next" href=link(page + 1)>{t(lang, "jobs.next")}</a> })}
                            </nav>
                        })}
                    }.into_any()
                }
                Err(error) => view! { <PageError error /> }.into_any(),
            })}
        </Suspense>
    }
}

/// Filters for the list of applications: a stage, open or closed.
#[component]
fn ApplicationFilters(role: Option<i32>, stage: String, open: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <form method="get" action="/applications" class="form inline-form filters">
            {role.map(|r| view! { <input type="hidden" name="role" value=r.to_string() /> })}
            <label for="filter-stage">{t(lang, "applications.stage")}</label>
            <select id="filter-stage" name="stage">
                <option value="">{t(lang, "applications.any_stage")}</option>
                {Stage::ALL.into_iter().map(|s| {
                    let on = s.code() == stage;
                    view! { <option value=s.code() selected=on>{stage_label(lang, s.code())}</option> }
                }).collect_view()}
            </select>
            <label for="filter-open">{t(lang, "applications.open_or_closed")}</label>
            <select id="filter-open" name="open">
                {[("", "applications.any_state"), ("open", "applications.only_open"), ("closed", "applications.only_closed")].into_iter().map(|(value, key)| {
                    let on = value == open;
                    view! { <option value=value selected=on>{t(lang, key)}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button">{t(lang, "applications.filter")}</button>
        </form>
    }
}

#[component]
pub fn ApplicationTable(applications: Vec<ApplicationSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <TableRegion label=t(lang, "applications.title")>
            <table class="data applications">
                <caption>{t(lang, "applications.title")}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t(lang, "applications.role")}</th>
                        <th scope="col">{t(lang, "applications.candidate")}</th>
                        <th scope="col">{t(lang, "applications.stage")}</th>
                        <th scope="col">{t(lang, "applications.next")}</th>
                        <th scope="col">{t(lang, "applications.deadlines")}</th>
                        <th scope="col">{t(lang, "applications.updated")}</th>
                    </tr>
                </thead>
                <tbody>
                    {applications
                        .into_iter()
                        .map(|a| {
                            let title = title_for(lang, &a.role_title_ja, &a.role_title_en);
                            let next = next_step_text(lang, &a).unwrap_or_default();
                            view! {
                                <tr>
                                    <td><a href=format!("/applications/{}", a.id)>{title}</a><br /><span class="muted">{a.organisation_name.clone()}</span></td>
                                    <td>{a.engineer_name.clone()}</td>
                                    <td><span class="stage-badge">{status_label(lang, &a.stage, &a.closed_reason)}</span></td>
                                    <td>{next}</td>
                                    <td><Clocks clocks=a.clocks.clone() /></td>
                                    <td>{a.updated_at.format("%Y-%m-%d").to_string()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

/// One application: status, deadlines, timeline, and the viewer's moves.
#[component]
pub fn ApplicationPage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let failed = Resource::new(
        || (),
        |_| take_plain_submission("move_application".to_owned()),
    );
    // the move form posts plainly and comes back here: a move made shows in the reloaded
    // application, a refused one in the form, with what was typed
    let action = ServerAction::<MoveApplication>::new();
    let detail = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_application(id).await,
            None => Err(crate::error::AppError::NotFound),
        }
    });
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let failed = failed.get()?.ok().flatten();
                detail.get().map(|result| match result {
                    Ok(detail) => view! { <ApplicationView detail failed action /> }.into_any(),
                    Err(error) => view! { <PageTitle text=t(lang, "applications.one_title") /><h1>{t(lang, "applications.one_title")}</h1><PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

#[component]
fn ApplicationView(
    detail: ApplicationDetail,
    failed: Option<PlainSubmission>,
    action: ServerAction<MoveApplication>,
) -> impl IntoView {
    let lang = use_lang();
    let a = detail.summary.clone();
    let title = title_for(lang, &a.role_title_ja, &a.role_title_en);
    let heading = t_with(
        lang,
        "applications.heading",
        &[("name", &a.engineer_name), ("role", &title)],
    );
    let next = next_step_text(lang, &a);
    view! {
        <PageTitle text=heading.clone() />
        <h1>{heading}</h1>
        <p class="muted">
            {a.organisation_name.clone()}" · "<a href=format!("/jobs/{}", a.role_id)>{t(lang, "applications.see_role")}</a>
            {(detail.viewer != Some(Party::Engineer)).then(|| view! {
                " · "<a href=format!("/talent/{}?role={}", a.engineer_user_id, a.role_id)>{t(lang, "candidate.see_profile")}</a>
            })}
        </p>
        <section class="status-panel" aria-labelledby="status-heading">
            <h2 id="status-heading">{t(lang, "applications.status")}</h2>
            <p class="stage-now" data-stage=a.stage.clone() data-closed=a.closed_reason.clone().unwrap_or_default()>
                {status_label(lang, &a.stage, &a.closed_reason)}
            </p>
            {next.map(|n| view! { <p>{n}</p> })}
            <Clocks clocks=a.clocks.clone() />
            <dl class="facts">
                {match (detail.viewer, detail.engineer_email.clone()) {
                    (Some(Party::Engineer), _) => ().into_any(),
                    (_, Some(email)) => view! {
                        <dt>{t(lang, "applications.contact")}</dt>
                        <dd><a href=format!("mailto:{email}")>{email.clone()}</a></dd>
                    }.into_any(),
                    (_, None) => view! {
                        <dt>{t(lang, "applications.contact")}</dt>
                        <dd class="muted contact-hidden">{t(lang, "consent.employer_hidden")}</dd>
                    }.into_any(),
                }}
                {detail.engineer_jlpt.is_some().then(|| view! { <dt>"JLPT"</dt><dd class="jlpt">{crate::components::jlpt_text(lang, &detail.engineer_jlpt, detail.engineer_jlpt_certified)}</dd> })}
                {detail.offer_salary_jpy.map(|s| view! { <dt>{t(lang, "applications.offer_salary")}</dt><dd>{format_yen(s, lang)}</dd> })}
                {detail.visa_route.clone().map(|r| view! { <dt>{t(lang, "applications.visa_route")}</dt><dd>{t(lang, &format!("visa_routes.{r}"))}</dd> })}
                {detail.coe_expires_on.map(|d| view! { <dt>{t(lang, "applications.coe_expires")}</dt><dd>{d.format("%Y-%m-%d").to_string()}</dd> })}
            </dl>
            {detail.cover_note.clone().map(|note| view! {
                <h3>{t(lang, "applications.cover_note")}</h3>
                <p class="note">{note}</p>
            })}
        </section>
        {(detail.viewer == Some(Party::Engineer)).then(|| view! {
            <ContactSharing application_id=a.id organisation=a.organisation_name.clone() shared=detail.contact_shared />
        })}
        <crate::readiness::panel::ReadinessPanel application_id=a.id />
        <crate::interviews::panel::InterviewsPanel application_id=a.id />
        <crate::messages::thread::MessageThread application_id=a.id />
        <Moves detail=detail.clone() failed action />
        <section aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t(lang, "applications.timeline")}</h2>
            <ol class="timeline">
                {detail.timeline.iter().map(|e| view! { <TimelineItem entry=e.clone() /> }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn TimelineItem(entry: TimelineEntry) -> impl IntoView {
    let lang = use_lang();
    let what = match (&entry.closed_reason, &entry.from_stage) {
        (Some(reason), _) => t_with(
            lang,
            "applications.event_closed",
            &[("reason", &stage_label(lang, reason))],
        ),
        (None, None) => t(lang, "applications.event_applied"),
        (None, Some(_)) => stage_label(lang, &entry.to_stage),
    };
    let who = format!(
        "{} ({})",
        entry.by_name.clone().unwrap_or_default(),
        party_label(lang, entry.by)
    );
    let d = entry.details.clone();
    view! {
        <li class="timeline-entry" data-to=entry.closed_reason.clone().unwrap_or(entry.to_stage.clone())>
            <p>
                <strong class="what">{what}</strong>
                " · "<time datetime=entry.occurred_on.to_string()>{entry.occurred_on.format("%Y-%m-%d").to_string()}</time>
                " · "<span class="who">{who}</span>
            </p>
            {d.interview_round.map(|round| {
                let format = d.interview.map(|i| t(lang, &format!("interview_formats.{}", i.format.code()))).unwrap_or_default();
                let rating = d.interview.and_then(|i| i.rating).map(|r| format!(" · {}", t_with(lang, "applications.rating_of", &[("rating", &r.to_string())]))).unwrap_or_default();
                view! { <p>{t_with(lang, "applications.round", &[("round", &round.to_string())])}" · "{format}{rating}</p> }
            })}
            {d.offer.map(|o| view! {
                <p>{t_with(lang, "applications.offer_line", &[
                    ("salary", &format_yen(o.annual_salary_jpy, lang)),
                    ("type", &t(lang, &format!("employment_types.{}", o.employment_type.code()))),
                    ("start", &o.start_date.format("%Y-%m-%d").to_string()),
                ])}</p>
            })}
            {d.visa_route.map(|r| view! { <p>{t(lang, "applications.visa_route")}": "{t(lang, &format!("visa_routes.{r}"))}</p> })}
            {entry.message.clone().map(|m| view! {
                <p class="note message"><span class="label">{t(lang, "applications.message_label")}": "</span>{m}</p>
            })}
            {entry.note.clone().map(|n| {
                // the employer's own notes are marked as internal where they read them
                let label = (entry.by == Party::Employer).then(|| t(lang, "applications.internal_label"));
                view! { <p class="note">{label.map(|l| view! { <span class="label">{l}": "</span> })}{n}</p> }
            })}
        </li>
    }
}

/// One form per move the viewer may make: each works as a plain form post before the page is
/// interactive, and carries the version the viewer saw.
#[component]
fn Moves(
    detail: ApplicationDetail,
    failed: Option<PlainSubmission>,
    action: ServerAction<MoveApplication>,
) -> impl IntoView {
    let lang = use_lang();
    if detail.moves.is_empty() {
        return None;
    }
    let typed: Option<MoveDraft> = failed.as_ref().and_then(PlainSubmission::values_as);
    let error = current_error(action.value(), failed);
    let id = detail.summary.id;
    let version = detail.summary.version;
    let proposed = detail.visa_route.clone();
    let employer = detail.viewer == Some(Party::Employer);
    let today = detail.today.format("%Y-%m-%d").to_string();
    Some(view! {
        <section aria-labelledby="moves-heading" class="moves">
            <h2 id="moves-heading">{t(lang, "applications.moves")}</h2>
            <FormStatus error=error saved=Signal::derive(|| false) saved_message="common.saved" />
            {detail
                .moves
                .into_iter()
                .map(|code| {
                    let today = today.clone();
                    let proposed = proposed.clone();
                    let target = Target::parse(&code);
                    let closing = matches!(target, Some(Target::Closed(_)));
                    // the move that failed opens again with what was typed
                    let again = typed.as_ref().filter(|d| d.to == code).cloned();
                    let values = again.clone().unwrap_or_default();
                    let label = if closing {
                        t_with(lang, "applications.close_with", &[("reason", &stage_label(lang, &code))])
                    } else {
                        t_with(lang, "applications.move_to", &[("stage", &stage_label(lang, &code))])
                    };
                    let move_code = code.clone();
                    let field = {
                        let code = code.clone();
                        move |name: &str| format!("{name}-{code}")
                    };
                    view! {
                        <details class=if closing { "move closing" } else { "move" } data-move=move_code open=again.is_some()>
                            <summary>{label.clone()}</summary>
                            <ActionForm action=action attr:class="form move-form" attr:novalidate="true">
                                <input type="hidden" name="id" value=id.to_string() />
                                <input type="hidden" name="version" value=version.to_string() />
                                <input type="hidden" name="draft[to]" value=code.clone() />
                                <div class="field">
                                    <label for=field("on")>{t(lang, "applications.on")}</label>
                                    <input id=field("on") type="date" name="draft[on]" value=if values.on.is_empty() { today.clone() } else { values.on.clone() } max=today.clone() />
                                    <crate::components::FieldProblems field="on" error=error />
                                </div>
                                {(target == Some(Target::Stage(Stage::Interview))).then(|| view! {
                                    <SelectField argument="draft" field="interview_format" label="applications.interview_format"
                                        choices=InterviewFormat::ALL.iter().map(|f| Choice::new(f.code(), t(lang, &format!("interview_formats.{}", f.code())))).collect()
                                        selected=values.interview_format.clone() error=error />
                                    <TextField argument="draft" field="rating" label="applications.rating" value=values.rating.clone() inputmode="numeric" hint="applications.rating_hint" error=error />
                                })}
                                {(target == Some(Target::Stage(Stage::OfferExtended))).then(|| view! {
                                    <TextField argument="draft" field="salary_jpy" label="applications.offer_salary" value=values.salary_jpy.clone() hint="profile.salary_hint" required=true error=error />
                                    <SelectField argument="draft" field="employment_type" label="applications.employment_type"
                                        choices=EmploymentType::ALL.iter().map(|e| Choice::new(e.code(), t(lang, &format!("employment_types.{}", e.code())))).collect()
                                        selected=values.employment_type.clone() error=error />
                                    <TextField argument="draft" field="start_date" label="applications.start_date" value=values.start_date.clone() kind="date" required=true error=error />
                                    <SelectField argument="draft" field="visa_route" label="applications.proposed_visa_route"
                                        choices=std::iter::once(Choice::new("", t(lang, "applications.no_route_proposed"))).chain(["engineer_specialist", "highly_skilled_professional"].iter().map(|r| Choice::new(*r, t(lang, &format!("visa_routes.{r}"))))).collect()
                                        selected=values.visa_route.clone() error=error />
                                })}
                                {(target == Some(Target::Stage(Stage::OfferAccepted))).then(|| {
                                    // the route the offer proposed is chosen unless the engineer picks another
                                    let selected = if values.visa_route.is_empty() { proposed.unwrap_or_default() } else { values.visa_route.clone() };
                                    view! {
                                        <SelectField argument="draft" field="visa_route" label="applications.visa_route"
                                            choices=["engineer_specialist", "highly_skilled_professional"].iter().map(|r| Choice::new(*r, t(lang, &format!("visa_routes.{r}")))).collect()
                                            selected=selected error=error />
                                    }
                                })}
                                {if employer {
                                    // two fields, each saying who reads it: the organisation's own
                                    // assessment never reaches the candidate
                                    view! {
                                        <div class="field">
                                            <label for=field("note")>{t(lang, if target == Some(Target::Stage(Stage::Interview)) { "applications.internal_feedback" } else { "applications.internal_note" })}</label>
                                            <p class="hint" id=field("note-hint")>{t(lang, "applications.internal_hint")}</p>
                                            <textarea id=field("note") name="draft[note]" rows="3" aria-describedby=field("note-hint")>{values.note.clone()}</textarea>
                                            <crate::components::FieldProblems field="note" error=error />
                                        </div>
                                        <div class="field">
                                            <label for=field("message")>{t(lang, "applications.message_to_candidate")}</label>
                                            <p class="hint" id=field("message-hint")>{t(lang, "applications.message_hint")}</p>
                                            <textarea id=field("message") name="draft[message]" rows="3" aria-describedby=field("message-hint")>{values.message.clone()}</textarea>
                                            <crate::components::FieldProblems field="message" error=error />
                                        </div>
                                    }.into_any()
                                } else {
                                    view! {
                                        <div class="field">
                                            <label for=field("note")>{t(lang, "applications.note_to_employer")}</label>
                                            <textarea id=field("note") name="draft[note]" rows="3">{values.note.clone()}</textarea>
                                            <crate::components::FieldProblems field="note" error=error />
                                        </div>
                                    }.into_any()
                                }}
                                <button type="submit" class=if closing { "button danger" } else { "button primary" }>{label}</button>
                            </ActionForm>
                        </details>
                    }
                })
                .collect_view()}
        </section>
    })
}

/// A role's pipeline board: a column per stage with counts and the latest cards.
#[component]
pub fn PipelinePage() -> impl IntoView {
    let lang = use_lang();
    let id = crate::components::id_param();
    let bulk = ServerAction::<MoveApplications>::new();
    let board = Resource::new(
        move || (id(), bulk.version().get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_pipeline(id).await,
                None => Err(crate::error::AppError::NotFound),
            }
        },
    );
    // what the last bulk move posted without the wasm did
    let kept = Resource::new(
        || (),
        |_| take_plain_submission("move_applications".to_owned()),
    );
    view! {
        <Suspense fallback=move || view! { <p>{t(lang, "common.loading")}</p> }>
            {move || {
                let kept = kept.get()?.ok().flatten();
                board.get().map(|result| match result {
                    Ok(board) => view! { <Board board bulk kept /> }.into_any(),
                    Err(error) => view! { <PageTitle text=t(lang, "pipeline.title") /><h1>{t(lang, "pipeline.title")}</h1><PageError error /> }.into_any(),
                })
            }}
        </Suspense>
    }
}

/// What the last bulk move did: how many moved, and each refusal with its reason (from the
/// action's answer, or from the plain post the page came back from).
#[component]
fn BulkOutcome(
    bulk: ServerAction<MoveApplications>,
    kept: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let kept: Option<AppResult<BulkMoveResult>> = kept.and_then(|k| match k.error {
        Some(error) => Some(Err(error)),
        None => k.answer_as().map(Ok),
    });
    move || {
        bulk.value().get().or_else(|| kept.clone()).map(|result| match result {
            Ok(done) => {
                let refused = done
                    .refused
                    .iter()
                    .map(|(id, why)| format!("#{id}: {}", t(lang, &format!("errors.{why}"))))
                    .collect::<Vec<_>>();
                view! {
                    <div class="alert alert-success" role="status">
                        <p>{t_count(lang, "pipeline.moved", "count", done.moved.len(), &[])}</p>
                        {(!refused.is_empty()).then(|| view! {
                            <p>{t(lang, "pipeline.not_moved")}</p>
                            <ul>{refused.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                        })}
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="alert alert-error" role="alert">{e.message(lang)}</p> }.into_any(),
        })
    }
}

/// The moves a recruiter makes in bulk: the stages, and closing as rejected or role closed.
fn bulk_targets() -> Vec<String> {
    Stage::ALL
        .iter()
        .map(|s| s.code().to_owned())
        .chain(["rejected_by_employer".to_owned(), "role_closed".to_owned()])
        .collect()
}

#[component]
fn Board(
    board: PipelineBoard,
    bulk: ServerAction<MoveApplications>,
    kept: Option<PlainSubmission>,
) -> impl IntoView {
    let lang = use_lang();
    let title = title_for(lang, &board.role_title_ja, &board.role_title_en);
    let total: u64 = board.columns.iter().map(|c| c.count).sum();
    let heading = t_with(lang, "pipeline.heading", &[("role", &title)]);
    let role_id = board.role_id;
    view! {
        <PageTitle text=heading.clone() />
        <h1>{heading}</h1>
        <p>
            {t_count(lang, "pipeline.open_count", "count", total, &[])}
            " · "<a href=format!("/roles/{}/candidates", board.role_id)>{t(lang, "candidates.title")}</a>
            " · "<a href=format!("/roles/{}/edit", board.role_id)>{t(lang, "roles.edit_title")}</a>
        </p>
        <BulkOutcome bulk kept />
        <DragToMove />
        <ActionForm action=bulk attr:class="bulk-move">
        <input type="hidden" name="role_id" value=role_id.to_string() />
        <p class="hint">{t(lang, "pipeline.bulk_hint")}</p>
        <div class="board" tabindex="0" role="region" aria-label=t(lang, "pipeline.title")>
            {board
                .columns
                .into_iter()
                .map(|column| {
                    let heading_id = format!("column-{}", column.stage);
                    let labelled_by = heading_id.clone();
                    let shown = column.cards.len() as u64;
                    let stage = column.stage.clone();
                    let more = format!("/applications?role={role_id}&stage={stage}&open=open");
                    view! {
                        <section class="board-column" aria-labelledby=labelled_by data-stage=column.stage.clone()>
                            <h2 id=heading_id>{stage_label(lang, &column.stage)}" "<span class="count">{column.count}</span></h2>
                            <ul>
                                {column.cards.into_iter().map(|card| {
                                    let id = card.id;
                                    let check = format!("select-{id}");
                                    view! {
                                        <li class="board-card" draggable="true" data-id=id.to_string()>
                                            <input type="checkbox" id=check.clone() name=format!("ids[{id}]") value=id.to_string() />
                                            <label for=check class="visually-hidden">{t_with(lang, "pipeline.select", &[("name", &card.engineer_name)])}</label>
                                            <a href=format!("/applications/{id}")>{card.engineer_name.clone()}</a>
                                            <span class="muted">{crate::components::jlpt_text(lang, &card.jlpt, card.jlpt_certified)}" · "{t_count(lang, "pipeline.years", "years", card.years_experience, &[])}</span>
                                            <Clocks clocks=card.clocks />
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(column.count > shown).then(|| view! {
                                <p><a href=more>{t_with(lang, "pipeline.more", &[("count", &(column.count - shown).to_string())])}</a></p>
                            })}
                        </section>
                    }
                })
                .collect_view()}
        </div>
        <div class="bulk-bar">
            <label for="bulk-to">{t(lang, "pipeline.move_selected_to")}</label>
            <select id="bulk-to" name="to">
                {bulk_targets().into_iter().map(|code| {
                    let label = stage_label(lang, &code);
                    view! { <option value=code>{label}</option> }
                }).collect_view()}
            </select>
            <label for="bulk-note">{t(lang, "pipeline.note")}</label>
            <input id="bulk-note" type="text" name="note" maxlength="2000" />
            <button type="submit" class="button">{t(lang, "pipeline.move_selected")}</button>
        </div>
        </ActionForm>
        {(!board.closed.is_empty()).then(|| view! {
            <section aria-labelledby="closed-heading">
                <h2 id="closed-heading">{t(lang, "pipeline.closed")}</h2>
                <ul class="closed-counts">
                    {board.closed.into_iter().map(|(reason, n)| view! { <li>{stage_label(lang, &reason)}": "{n}</li> }).collect_view()}
                </ul>
            </section>
        })}
    }
}

/// The engineer's consent to share contact details with this application's organisation, with
/// the button that gives or withdraws it (a plain form: it works before the wasm loads).
#[component]
fn ContactSharing(application_id: i32, organisation: String, shared: bool) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<crate::rights::api::SetContactSharing>::new();
    // the words of what the button does: they are what the consent record keeps
    let (state, button, share, terms) = if shared {
        (
            "consent.shared",
            "consent.withdraw",
            "false",
            "consent.withdraw_text",
        )
    } else {
        (
            "consent.not_shared",
            "consent.share",
            "true",
            "consent.grant_text",
        )
    };
    let terms = t_with(lang, terms, &[("organisation", &organisation)]);
    view! {
        <section class="card contact-sharing" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{t(lang, "consent.heading")}</h2>
            <p data-shared=shared.to_string()>{t_with(lang, state, &[("organisation", &organisation)])}</p>
            <ActionForm action=action attr:class="inline-form">
                <input type="hidden" name="application_id" value=application_id.to_string() />
                <input type="hidden" name="share" value=share />
                <p class="muted">{terms}</p>
                <button type="submit" class="button">{t(lang, button)}</button>
            </ActionForm>
        </section>
    }
}
