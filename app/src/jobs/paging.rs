//! What both searches (roles on `/jobs`, engineers on `/talent`) and their API faces share:
//! how a page is asked of the index, and how the API refuses what the page forgives.

use domain::matching::{EngineerFacts, RoleFacts};
use domain::validation::{FieldError, Problem};
use search::{Filters, Kind, Order, SearchPage};

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// How a page is ordered, owned so it can cross to the blocking pool.
pub enum Ranking {
    Relevance,
    Newest,
    FitForEngineer(EngineerFacts),
    FitForRole(RoleFacts),
}

impl Ranking {
    fn order(&self) -> Order<'_> {
        match self {
            Ranking::Relevance => Order::Relevance,
            Ranking::Newest => Order::Newest,
            Ranking::FitForEngineer(engineer) => Order::FitForEngineer(engineer),
            Ranking::FitForRole(role) => Order::FitForRole(role),
        }
    }
}

/// Page `page` (1-based) of `per_page` results, in a search slot (`AppState::search_slots`); a
/// page beyond the last shows the last. Returns the page and its number.
pub async fn search_page(
    state: &AppState,
    kind: Kind,
    text: String,
    filters: Filters,
    ranking: Ranking,
    page: usize,
    per_page: usize,
) -> AppResult<(SearchPage, usize)> {
    let index = state.search.clone();
    state
        .search_slots
        .run(move || {
            let run = |page: usize| {
                let offset = (page - 1) * per_page;
                index.search_page(kind, &text, &filters, ranking.order(), offset, per_page)
            };
            let found = run(page)?;
            let last = found.total.div_ceil(per_page).max(1);
            if page > last {
                return run(last).map(|found| (found, last));
            }
            Ok((found, page))
        })
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, ?kind, "search failed");
            AppError::Internal
        })
}

/// The API's answer to parameters the page would leave out: a 400 naming each, a skill the
/// taxonomy does not know as unknown (the page searches it as a word).
pub fn refusal(ignored: Vec<FieldError>) -> AppError {
    AppError::InvalidParameters(
        ignored
            .into_iter()
            .map(|mut e| {
                if e.problem == Problem::SearchedAsText {
                    e.problem = Problem::UnknownSkill;
                }
                e
            })
            .collect(),
    )
}
