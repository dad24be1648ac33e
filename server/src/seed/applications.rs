//! Synthetic mobility applications: each one walks the pipeline from a random day since the
//! programme's start, step by step with plausible gaps, closing with a fitting reason at the
//! rates of a real funnel, and stopping where today falls. The result has applications open at
//! every stage, closed for every reason, arrivals spread over the months, and legal clocks
//! running, met and missed — a living programme rather than empty charts.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use domain::pipeline::{self, ClosingReason, Party, Stage};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};

use app::db::entities::{
    application, application_event, engineer_profile, organisation, role, user,
};

/// The programme's start (../shared/reference/programme.yaml): applications begin then.
pub fn programme_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or(NaiveDate::MIN)
}

/// One simulated step.
struct Step {
    from: Option<Stage>,
    to: Stage,
    closed: Option<ClosingReason>,
    by: Party,
    on: NaiveDate,
    note: Option<&'static str>,
    details: serde_json::Value,
}

/// What a simulated application ended as.
struct Simulated {
    steps: Vec<Step>,
    stage: Stage,
    closed: Option<ClosingReason>,
    offer_salary: Option<i64>,
    visa_route: Option<&'static str>,
    coe_issued_on: Option<NaiveDate>,
    visa_issued_on: Option<NaiveDate>,
    arrived_on: Option<NaiveDate>,
    registered_on: Option<NaiveDate>,
}

/// Days to the next step after each stage, and the chance of closing there (with its reasons).
fn gap_and_exit(stage: Stage) -> ((u64, u64), f64, &'static [ClosingReason]) {
    use ClosingReason as R;
    match stage {
        Stage::Applied => (
            (2, 10),
            0.22,
            &[
                R::RejectedByEmployer,
                R::CandidateWithdrew,
                R::RoleClosed,
                R::CandidateUnreachable,
            ],
        ),
        Stage::Screening => (
            (3, 14),
            0.20,
            &[R::RejectedByEmployer, R::CandidateWithdrew],
        ),
        Stage::Shortlisted => (
            (5, 20),
            0.12,
            &[R::RejectedByEmployer, R::CandidateWithdrew],
        ),
        Stage::Interview => (
            (5, 20),
            0.30,
            &[R::RejectedByEmployer, R::CandidateWithdrew],
        ),
        Stage::OfferExtended => (
            (2, 14),
            0.15,
            &[
                R::CandidateDeclinedOffer,
                R::CandidateDeclinedOffer,
                R::OfferRetracted,
            ],
        ),
        Stage::OfferAccepted => ((7, 30), 0.03, &[R::CandidateWithdrew, R::OfferRetracted]),
        Stage::CoeFiled => ((30, 90), 0.05, &[R::CoeDenied]),
        Stage::CoeIssued => ((5, 25), 0.03, &[R::CoeExpired, R::CandidateWithdrew]),
        Stage::VisaApplied => ((5, 14), 0.03, &[R::VisaRefused]),
        Stage::VisaIssued => ((7, 40), 0.02, &[R::CoeExpired]),
        Stage::Arrived => ((1, 13), 0.0, &[]),
        Stage::ResidentRegistered => ((0, 0), 0.0, &[]),
    }
}

fn simulate(
    rng: &mut ChaCha8Rng,
    applied_on: NaiveDate,
    today: NaiveDate,
    salary: i64,
) -> Simulated {
    let mut s = Simulated {
        steps: vec![Step {
            from: None,
            to: Stage::Applied,
            closed: None,
            by: Party::Engineer,
            on: applied_on,
            note: Some("I would love to bring my experience to your team in Japan."),
            details: serde_json::json!({}),
        }],
        stage: Stage::Applied,
        closed: None,
        offer_salary: None,
        visa_route: None,
        coe_issued_on: None,
        visa_issued_on: None,
        arrived_on: None,
        registered_on: None,
    };
    let mut on = applied_on;
    let mut rounds = 0u32;
    loop {
        let stage = s.stage;
        let ((low, high), exit, reasons) = gap_and_exit(stage);
        if stage == Stage::ResidentRegistered {
            return s;
        }
        let mut gap = rng.gen_range(low..=high);
        if stage == Stage::Arrived && rng.gen_bool(0.06) {
            // some people register late: the overdue clocks of the dashboard
            gap = rng.gen_range(15..=25);
        }
        let next_on = on + Days::new(gap);
        if next_on > today {
            return s; // still open at this stage
        }
        // a few stall where they are (nobody acts), and a few who arrive never register: the
        // dashboard's "stuck" and "registration overdue" lists
        let stall = if stage == Stage::Arrived { 0.05 } else { 0.02 };
        if rng.gen_bool(stall) {
            return s;
        }
        on = next_on;
        if rng.gen_bool(exit) {
            let reason = *reasons
                .choose(rng)
                .unwrap_or(&ClosingReason::CandidateWithdrew);
            let by = pipeline::movers(stage, pipeline::Target::Closed(reason))
                .first()
                .copied()
                .unwrap_or(Party::Employer);
            s.steps.push(Step {
                from: Some(stage),
                to: stage,
                closed: Some(reason),
                by,
                on,
                note: Some(match reason {
                    ClosingReason::CandidateWithdrew => "I have accepted another offer.",
                    ClosingReason::CandidateDeclinedOffer => {
                        "The relocation timing does not work for my family."
                    }
                    _ => "Thank you for your time.",
                }),
                details: serde_json::json!({}),
            });
            s.closed = Some(reason);
            return s;
        }
        let next = match stage {
            Stage::Applied if rng.gen_bool(0.5) => Stage::Shortlisted,
            Stage::Interview if rounds < 3 && rng.gen_bool(0.35) => Stage::Interview,
            other => Stage::ALL[(other.position() + 1).min(Stage::ALL.len() - 1)],
        };
        let by = pipeline::movers(stage, pipeline::Target::Stage(next))
            .first()
            .copied()
            .unwrap_or(Party::Employer);
        let details = match next {
            Stage::Interview => {
                rounds += 1;
                let format = ["video", "onsite", "phone"][rng.gen_range(0..3)];
                let rating: u8 = rng.gen_range(2..=5);
                serde_json::json!({
                    "interview_round": rounds,
                    "interview": {"format": format, "rating": rating}
                })
            }
            Stage::OfferExtended => {
                s.offer_salary = Some(salary);
                let start = on + Days::new(rng.gen_range(90..180));
                serde_json::json!({"offer": {"annual_salary_jpy": salary, "employment_type": "permanent", "start_date": start}})
            }
            Stage::OfferAccepted => {
                let route = if salary >= 8_000_000 {
                    "highly_skilled_professional"
                } else {
                    "engineer_specialist"
                };
                s.visa_route = Some(route);
                serde_json::json!({"visa_route": route})
            }
            _ => serde_json::json!({}),
        };
        match next {
            Stage::CoeIssued => s.coe_issued_on = Some(on),
            Stage::VisaIssued => s.visa_issued_on = Some(on),
            Stage::Arrived => {
                // entry must fall inside the certificate's validity
                let expiry = s.coe_issued_on.map(pipeline::coe_expires_on);
                if expiry.is_some_and(|e| on > e) {
                    s.steps.push(Step {
                        from: Some(stage),
                        to: stage,
                        closed: Some(ClosingReason::CoeExpired),
                        by: Party::Employer,
                        on,
                        note: None,
                        details: serde_json::json!({}),
                    });
                    s.closed = Some(ClosingReason::CoeExpired);
                    return s;
                }
                s.arrived_on = Some(on);
            }
            Stage::ResidentRegistered => s.registered_on = Some(on),
            _ => {}
        }
        s.steps.push(Step {
            from: Some(stage),
            to: next,
            closed: None,
            by,
            on,
            note: match next {
                Stage::Interview => Some("Strong fundamentals; good questions about the team."),
                Stage::CoeFiled => Some("Filed at the regional immigration bureau."),
                _ => None,
            },
            details,
        });
        s.stage = next;
    }
}

fn at_nine(on: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&on.and_hms_opt(9, 0, 0).unwrap_or_default())
}

/// Loads of at least this many applications rebuild the dashboard's rollups at their end.
const DEFER_ROLLUPS_FROM: usize = 10_000;

/// Seeds `count` applications between existing demo engineers and open roles of verified
/// organisations. The first ones go to the demo engineer and the demo employer's roles, so the
/// demo accounts have something to show. Returns how many were made.
pub async fn seed_applications(
    db: &DatabaseConnection,
    rng: &mut ChaCha8Rng,
    count: usize,
    demo_engineer: Option<i32>,
    demo_organisation: Option<i32>,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<usize> {
    let today = domain::time::japan_date(Utc::now());
    let start = programme_start();
    // a large load keeps the dashboard's rollups once at its end, not per batch of 500 (ten
    // times faster at 2M applications); a load cut short leaves them for `rebuild-rollups`
    let deferred_rollups = (count >= DEFER_ROLLUPS_FROM)
        .then(|| {
            migrations::dashboard_rollups::defer_in_transaction(
                migrations::dashboard_rollups::Dialect(db.get_database_backend()),
            )
        })
        .flatten();
    let span = (today - start).num_days().max(1) as u64;
    let verified: Vec<i32> = organisation::Entity::find()
        .select_only()
        .column(organisation::Column::Id)
        .filter(organisation::Column::Verified.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    let roles: Vec<role::Model> = role::Entity::find()
        .filter(role::Column::OrganisationId.is_in(verified))
        .all(db)
        .await?;
    let engineers: Vec<i32> = user::Entity::find()
        .select_only()
        .column(user::Column::Id)
        .filter(user::Column::Role.eq("engineer"))
        .into_tuple()
        .all(db)
        .await?;
    if roles.is_empty() || engineers.is_empty() {
        return Ok(0);
    }
    let sectors: HashMap<i32, String> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.sector))
        .collect();
    // (Indian state, JLPT level) of each engineer, copied onto their applications
    let profiles: HashMap<i32, (Option<String>, Option<String>)> = engineer_profile::Entity::find()
        .select_only()
        .column(engineer_profile::Column::UserId)
        .column(engineer_profile::Column::IndianState)
        .column(engineer_profile::Column::JlptLevel)
        .into_tuple::<(i32, Option<String>, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, state, jlpt)| (id, (state, jlpt)))
        .collect();
    let mut employer_of: HashMap<i32, i32> = HashMap::new();
    for u in user::Entity::find()
        .filter(user::Column::Role.eq("employer"))
        .all(db)
        .await?
    {
        if let Some(org) = u.organisation_id {
            employer_of.entry(org).or_insert(u.id);
        }
    }
    let demo_roles: Vec<&role::Model> = roles
        .iter()
        .filter(|r| Some(r.organisation_id) == demo_organisation)
        .collect();
    let mut taken: HashSet<(i32, i32)> = application::Entity::find()
        .select_only()
        .column(application::Column::RoleId)
        .column(application::Column::EngineerUserId)
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();

    let mut made = 0;
    while made < count {
        let size = super::BATCH.min(count - made);
        let mut batch = Vec::with_capacity(size);
        let mut attempts = 0;
        // after a pair that exists already, the next try is random, so a fixed choice for the
        // demo accounts can never stall the batch
        let mut retrying = false;
        while batch.len() < size && attempts < size * 20 {
            attempts += 1;
            let n = made + batch.len();
            let role = if n < 60 && !demo_roles.is_empty() && !retrying {
                demo_roles[n % demo_roles.len()]
            } else {
                &roles[rng.gen_range(0..roles.len())]
            };
            let engineer = match demo_engineer {
                Some(id) if n % 20 == 0 && n < 100 && !retrying => id,
                _ => engineers[rng.gen_range(0..engineers.len())],
            };
            if !taken.insert((role.id, engineer)) {
                retrying = true;
                continue;
            }
            retrying = false;
            // more applications in recent months, as a programme ramps up (the density of
            // √u), and in the order they were made, as a live table receives them: the n-th of
            // `count` falls in the n-th of `count` equal shares of the distribution
            let r = (n as f64 + rng.gen::<f64>()) / count as f64;
            let applied_on = start + Days::new((span as f64 * r.sqrt()) as u64);
            let applied_on = applied_on.min(today);
            let salary = (role.salary_min_jpy + role.salary_max_jpy) / 2 / 100_000 * 100_000;
            let sim = simulate(rng, applied_on, today, salary);
            batch.push((role, engineer, sim));
        }
        if batch.is_empty() {
            break;
        }
        let txn = db.begin().await?;
        if let Some(defer) = deferred_rollups.as_deref() {
            txn.execute_unprepared(defer).await?;
        }
        let rows = batch.iter().map(|(role, engineer, sim)| {
            let last = sim.steps.last().map_or(sim.steps[0].on, |s| s.on);
            application::ActiveModel {
                role_id: Set(role.id),
                engineer_user_id: Set(*engineer),
                organisation_id: Set(role.organisation_id),
                stage: Set(sim.stage.code().to_owned()),
                closed_reason: Set(sim.closed.map(|r| r.code().to_owned())),
                version: Set(sim.steps.len() as i32),
                cover_note: Set(sim.steps[0].note.map(str::to_owned)),
                invited: Set(false),
                applied_at: Set(at_nine(sim.steps[0].on)),
                stage_changed_at: Set(at_nine(last)),
                updated_at: Set(at_nine(last)),
                offer_salary_jpy: Set(sim.offer_salary),
                visa_route: Set(sim.visa_route.map(str::to_owned)),
                coe_issued_on: Set(sim.coe_issued_on),
                visa_issued_on: Set(sim.visa_issued_on),
                arrived_on: Set(sim.arrived_on),
                registered_on: Set(sim.registered_on),
                is_demo: Set(true),
                sector: Set(sectors.get(&role.organisation_id).cloned()),
                role_prefecture: Set(Some(role.prefecture.clone())),
                indian_state: Set(profiles.get(engineer).and_then(|p| p.0.clone())),
                jlpt_level: Set(profiles.get(engineer).and_then(|p| p.1.clone())),
                offered_on: Set(sim
                    .steps
                    .iter()
                    .find(|s| s.to == Stage::OfferExtended && s.closed.is_none())
                    .map(|s| s.on)),
                ..Default::default()
            }
        });
        application::Entity::insert_many(rows).exec(&txn).await?;
        let roles_in_batch: Vec<i32> = batch.iter().map(|(r, _, _)| r.id).collect();
        let ids: HashMap<(i32, i32), i32> = application::Entity::find()
            .select_only()
            .column(application::Column::Id)
            .column(application::Column::RoleId)
            .column(application::Column::EngineerUserId)
            .filter(application::Column::RoleId.is_in(roles_in_batch))
            .into_tuple::<(i32, i32, i32)>()
            .all(&txn)
            .await?
            .into_iter()
            .map(|(id, role, engineer)| ((role, engineer), id))
            .collect();
        let mut events = Vec::new();
        for (role, engineer, sim) in &batch {
            let Some(&id) = ids.get(&(role.id, *engineer)) else {
                anyhow::bail!("a seeded application vanished");
            };
            let employer = employer_of.get(&role.organisation_id).copied();
            for step in &sim.steps {
                events.push(application_event::ActiveModel {
                    application_id: Set(id),
                    from_stage: Set(step.from.map(|s| s.code().to_owned())),
                    to_stage: Set(step.to.code().to_owned()),
                    closed_reason: Set(step.closed.map(|r| r.code().to_owned())),
                    actor_user_id: Set(match step.by {
                        Party::Engineer => Some(*engineer),
                        Party::Employer => employer,
                    }),
                    actor_party: Set(step.by.code().to_owned()),
                    note: Set(step.note.map(str::to_owned)),
                    details: Set(step.details.to_string()),
                    occurred_on: Set(step.on),
                    recorded_at: Set(at_nine(step.on)),
                    ..Default::default()
                });
            }
        }
        for chunk in events.chunks(super::BATCH) {
            application_event::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        made += batch.len();
        bar.inc(batch.len() as u64);
    }
    if deferred_rollups.is_some() {
        app::admin::stats::rebuild_rollups(db)
            .await
            .map_err(|e| anyhow::anyhow!("could not rebuild the dashboard's rollups: {e}"))?;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn simulated_paths_obey_the_pipeline_rules_and_the_calendar() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let mut stages = HashSet::new();
        let mut reasons = HashSet::new();
        for _ in 0..3_000 {
            let applied = programme_start() + Days::new(rng.gen_range(0..440));
            let sim = simulate(&mut rng, applied, today, 7_000_000);
            let mut status = pipeline::Status::new_application();
            for step in sim.steps.iter().skip(1) {
                let target = match step.closed {
                    Some(r) => pipeline::Target::Closed(r),
                    None => pipeline::Target::Stage(step.to),
                };
                assert_eq!(pipeline::check_move(status, step.by, target), Ok(()));
                status = status.after(target);
            }
            assert_eq!(status.stage, sim.stage);
            assert_eq!(status.closed, sim.closed);
            assert!(sim.steps.windows(2).all(|w| w[0].on <= w[1].on));
            assert!(sim.steps.iter().all(|s| s.on <= today));
            if let (Some(issued), Some(arrived)) = (sim.coe_issued_on, sim.arrived_on) {
                assert!(arrived <= pipeline::coe_expires_on(issued));
            }
            stages.insert(sim.stage);
            if let Some(r) = sim.closed {
                reasons.insert(r);
            }
        }
        assert_eq!(stages.len(), Stage::ALL.len(), "every stage is reached");
        assert_eq!(
            reasons.len(),
            ClosingReason::ALL.len(),
            "every closing reason occurs"
        );
    }
}
