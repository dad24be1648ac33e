//! One page of a search, as a results page or the API shows it: the hits of the page in the
//! order asked, the exact number of results, and the facet counts beside the filters. The
//! filters are all in the index, so the total counts what the pages hold.

use std::collections::HashMap;

use domain::matching::{self, EngineerFacts, RoleFacts};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::DocAddress;

use super::facets::{self, Facet, SetFilter};
use super::{Filters, Hit, Kind, SearchIndex, Timed};
use crate::SearchError;

/// How a page's results are ordered.
#[derive(Debug, Clone, Copy)]
pub enum Order<'a> {
    /// Most relevant to the words first (all equal when there are none).
    Relevance,
    /// Roles: newest first.
    Newest,
    /// Roles: best fit for this engineer first, by `domain::matching`.
    FitForEngineer(&'a EngineerFacts),
    /// Engineers: best fit for this role first.
    FitForRole(&'a RoleFacts),
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage {
    pub hits: Vec<Hit>,
    /// Results in all, exactly.
    pub total: usize,
    pub facets: Vec<Facet>,
    /// The typed words in most documents that only ordered the results, beside a word that
    /// chose them ("engineer" in "embedded engineer"): what the page says about them.
    pub ordering_words: Vec<String>,
}

/// Results ranked by fit reach this deep; pages beyond it follow relevance alone. Roles ranked
/// for an engineer are the best this many by relevance (the engineer's skills weigh in it),
/// scored; engineers ranked for a role are all scored, inside the index.
pub const FIT_POOL: usize = 2_000;

/// Which of a search's filters a query holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum With {
    /// Every filter: the page's hits.
    EveryFilter,
    /// Only those no facet is counted without: what the facets are counted over.
    UncountedFilters,
}

impl SearchIndex {
    /// The query of a search with the filters `with` says, and with `boost` clauses that only
    /// add to relevance.
    fn page_query(
        &self,
        kind: Kind,
        words: Option<&dyn Query>,
        filters: &Filters,
        with: With,
        boost: &[(Occur, Box<dyn Query>)],
    ) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = self
            .tagged_filters(kind, filters)
            .into_iter()
            .filter(|(tag, _)| with == With::EveryFilter || tag.is_none())
            .map(|(_, clause)| (Occur::Must, clause))
            .collect();
        if let Some(words) = words {
            clauses.push((Occur::Must, words.box_clone()));
        }
        clauses.extend(boost.iter().map(|(occur, q)| (*occur, q.box_clone())));
        BooleanQuery::new(clauses)
    }

    /// The filters a facet counts without, one for each facet.
    fn set_filters(&self, kind: Kind, filters: &Filters) -> Vec<SetFilter> {
        let mut set: Vec<SetFilter> = Vec::new();
        for (tag, clause) in self.tagged_filters(kind, filters) {
            let Some(facet) = tag else { continue };
            match set.iter_mut().find(|filter| filter.facet == facet) {
                // a facet's clauses must all hold (a JLPT level at least one and at most another)
                Some(filter) => {
                    let both = vec![filter.query.box_clone(), clause];
                    filter.query = Box::new(BooleanQuery::intersection(both));
                }
                None => set.push(SetFilter {
                    facet,
                    query: clause,
                }),
            }
        }
        set
    }

    /// A page of `kind` results for the words and filters, `offset` results in, at most
    /// `limit` long, in `order`; with the exact total and every facet's counts.
    pub fn search_page(
        &self,
        kind: Kind,
        text: &str,
        filters: &Filters,
        order: Order<'_>,
        offset: usize,
        limit: usize,
    ) -> Result<SearchPage, SearchError> {
        let _timed = Timed::start("search_page");
        let (words, ordering_words) = match self.words_clause(kind, text)? {
            Some(words) => (Some(words.query), words.ordering),
            None => (None, Vec::new()),
        };
        // ranking by fit: the other side's skills make the best candidates the most relevant
        let boost = match order {
            Order::FitForEngineer(engineer) => {
                let skills: Vec<_> = engineer.skills.iter().map(|(s, _)| s.clone()).collect();
                self.skill_terms(&skills, 1.0)
            }
            Order::FitForRole(role) => {
                let skills: Vec<_> = role
                    .required
                    .iter()
                    .map(|(s, _)| s.clone())
                    .chain(role.nice.iter().cloned())
                    .collect();
                self.skill_terms(&skills, 1.0)
            }
            Order::Relevance | Order::Newest => Vec::new(),
        };
        let query = self.page_query(kind, words.as_deref(), filters, With::EveryFilter, &boost);
        let searcher = self.reader.searcher();
        let (total, facet_counts) = facets::count_page(
            &searcher,
            kind,
            &self.page_query(kind, words.as_deref(), filters, With::UncountedFilters, &[]),
            &self.set_filters(kind, filters),
        )?;

        let limit = limit.max(1);
        let hits = match order {
            Order::Relevance => self.relevance_page(&searcher, &query, offset, limit)?,
            Order::Newest => {
                let top = searcher.search(
                    &query,
                    &TopDocs::with_limit(limit)
                        .and_offset(offset)
                        .order_by_fast_field::<i64>("created", tantivy::Order::Desc),
                )?;
                let top = top.into_iter().map(|(_, address)| (0.0, address)).collect();
                self.hits_of(&searcher, top)?
            }
            Order::FitForEngineer(engineer) => {
                let facts = self
                    .role_facts
                    .read()
                    .map_err(|_| SearchError::Document("facts lock poisoned".to_owned()))?;
                self.fit_page(&searcher, &query, offset, limit, engineer, &facts)?
            }
            Order::FitForRole(_) if offset >= FIT_POOL => {
                self.relevance_page(&searcher, &query, offset, limit)?
            }
            Order::FitForRole(role) => {
                // ranked inside the index, ones missing a strict JLPT level last; the words (and
                // the role's skills) order equal scores
                let role = role.clone().with_relations(&self.taxonomy);
                let keep = (offset + limit).min(FIT_POOL);
                let mut relevance = self.words_relevance(text);
                relevance.extend(role.required.iter().map(|(s, _)| s).chain(&role.nice).map(
                    |skill| super::ranking::Weighed {
                        term: tantivy::Term::from_field_text(self.fields.skills, skill.as_str()),
                        record: tantivy::schema::IndexRecordOption::Basic,
                        boost: 1.0,
                    },
                ));
                let candidates = super::ranking::Candidates {
                    kind: self.kind_filter(kind),
                    filters: self.narrowing_filters(filters),
                    retrieval: words.as_ref().map(|w| w.box_clone()),
                    by_role_skills: false,
                    relevance,
                };
                let found = self.rank_for_role(&searcher, &role, &candidates, keep, true)?;
                let page = found.best.get(offset..).unwrap_or_default();
                let explanations = self.explain_ranked(&searcher, &role, page)?;
                page.iter()
                    .zip(explanations)
                    .map(|(r, explanation)| Hit {
                        id: r.id,
                        relevance: r.relevance,
                        explanation: Some(explanation),
                    })
                    .collect()
            }
        };
        Ok(SearchPage {
            hits,
            total,
            facets: facet_counts,
            ordering_words,
        })
    }

    /// Ids for the addresses found, with their relevance.
    fn hits_of(
        &self,
        searcher: &tantivy::Searcher,
        top: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("id"))
            .collect::<Result<Vec<_>, _>>()?;
        top.into_iter()
            .map(|(relevance, address)| {
                let id = columns
                    .get(address.segment_ord as usize)
                    .and_then(|column| column.first(address.doc_id))
                    .ok_or_else(|| SearchError::Document("document without id".to_owned()))?;
                Ok(Hit {
                    id: id as i32,
                    relevance,
                    explanation: None,
                })
            })
            .collect()
    }

    /// A page by relevance alone.
    fn relevance_page(
        &self,
        searcher: &tantivy::Searcher,
        query: &BooleanQuery,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let top = searcher.search(
            query,
            &TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score(),
        )?;
        self.hits_of(searcher, top)
    }

    /// A page ranked by fit: the [`FIT_POOL`] most relevant scored and ordered (ones that miss
    /// a strict JLPT requirement last, then by score, text relevance and skills held), beyond
    /// the pool by relevance. Only the page's roles are explained: a score is computed without
    /// allocating, an explanation lists every skill.
    fn fit_page(
        &self,
        searcher: &tantivy::Searcher,
        query: &BooleanQuery,
        offset: usize,
        limit: usize,
        engineer: &EngineerFacts,
        facts: &HashMap<i32, RoleFacts>,
    ) -> Result<Vec<Hit>, SearchError> {
        if offset >= FIT_POOL {
            return self.relevance_page(searcher, query, offset, limit);
        }
        let top = searcher.search(query, &TopDocs::with_limit(FIT_POOL).order_by_score())?;
        let best = top.first().map_or(1.0, |t| t.0).max(f32::EPSILON);
        let mut ranked: Vec<(Hit, matching::Score)> = self
            .hits_of(searcher, top)?
            .into_iter()
            .filter_map(|hit| {
                let score = matching::score(engineer, facts.get(&hit.id)?);
                Some((
                    Hit {
                        relevance: hit.relevance / best,
                        ..hit
                    },
                    score,
                ))
            })
            .collect();
        ranked.sort_by(|(a, ascore), (b, bscore)| {
            bscore
                .eligible
                .cmp(&ascore.eligible)
                .then(bscore.score.total_cmp(&ascore.score))
                .then(b.relevance.total_cmp(&a.relevance))
                .then(bscore.skills_held.cmp(&ascore.skills_held))
                .then(a.id.cmp(&b.id))
        });
        Ok(ranked
            .into_iter()
            .skip(offset)
            .take(limit)
            .filter_map(|(hit, _)| {
                let explanation = matching::explain(engineer, facts.get(&hit.id)?);
                Some(Hit {
                    explanation: Some(explanation),
                    ..hit
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use domain::jlpt::JlptLevel;
    use domain::skills::{SkillId, Taxonomy};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::{ProfileDoc, RoleDoc, MAX_SKILL_YEARS};

    const PREFECTURES: [&str; 4] = ["tokyo", "osaka", "aichi", "fukuoka"];
    const SECTORS: [&str; 3] = ["semiconductors", "automotive", "software"];
    const REMOTE: [&str; 3] = ["onsite", "hybrid", "remote"];
    const STATES: [&str; 4] = ["ka", "mh", "tn", "dl"];
    const ROUTES: [&str; 3] = [
        "undecided",
        "highly_skilled_professional",
        "engineer_specialist",
    ];
    const LANGUAGES: [&str; 3] = ["en", "hi", "ta"];
    const SKILLS: [&str; 4] = ["rust", "python", "embedded-software", "uvm"];

    fn level(rng: &mut ChaCha8Rng) -> Option<JlptLevel> {
        [
            None,
            Some(JlptLevel::N4),
            Some(JlptLevel::N3),
            Some(JlptLevel::N2),
            Some(JlptLevel::N1),
        ][rng.gen_range(0..5)]
    }

    fn pick<'a>(rng: &mut ChaCha8Rng, from: &[&'a str]) -> &'a str {
        from[rng.gen_range(0..from.len())]
    }

    fn pool() -> (SearchIndex, Vec<RoleDoc>, Vec<ProfileDoc>) {
        let index = SearchIndex::in_memory(
            crate::index::tests::shared_dictionary(),
            Taxonomy::builtin(),
        )
        .unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(13);
        let roles: Vec<RoleDoc> = (1..=300)
            .map(|id| RoleDoc {
                id,
                text: "Engineer".to_owned(),
                facts: RoleFacts {
                    required: vec![(SkillId::new(pick(&mut rng, &SKILLS)), 1)],
                    min_jlpt: level(&mut rng),
                    salary_max_jpy: i64::from(rng.gen_range(30..=140)) * 100_000,
                    apply_from_abroad: rng.gen_bool(0.7),
                    ..Default::default()
                },
                sector: pick(&mut rng, &SECTORS).to_owned(),
                prefecture: pick(&mut rng, &PREFECTURES).to_owned(),
                remote_policy: pick(&mut rng, &REMOTE).to_owned(),
                visa_sponsorship: rng.gen_bool(0.8),
                created_at: i64::from(id) * 60,
                ..Default::default()
            })
            .collect();
        let engineers: Vec<ProfileDoc> = (1..=300)
            .map(|id| {
                let mut skills = vec![(SkillId::new(pick(&mut rng, &SKILLS)), rng.gen_range(0..9))];
                let other = SkillId::new(pick(&mut rng, &SKILLS));
                if other != skills[0].0 {
                    skills.push((other, rng.gen_range(0..20)));
                }
                ProfileDoc {
                    id,
                    text: "Engineer".to_owned(),
                    facts: EngineerFacts {
                        skills,
                        jlpt: level(&mut rng),
                        desired_salary_jpy: rng
                            .gen_bool(0.8)
                            .then(|| i64::from(rng.gen_range(30..=120)) * 100_000),
                        in_japan: false,
                    },
                    indian_state: Some(pick(&mut rng, &STATES).to_owned()),
                    jlpt_certified: rng.gen_bool(0.3),
                    years_experience: rng.gen_range(0..20),
                    visa_interest: pick(&mut rng, &ROUTES).to_owned(),
                    languages: LANGUAGES
                        .iter()
                        .filter(|_| rng.gen_bool(0.5))
                        .map(|l| (*l).to_owned())
                        .collect(),
                    // several profiles a second, as a bulk import makes them
                    created_at: 1_000_000 + i64::from(id) / 3,
                    available_from: rng.gen_bool(0.5).then(|| rng.gen_range(20_000..20_400)),
                }
            })
            .collect();
        for role in &roles {
            index.upsert_role(role).unwrap();
        }
        for engineer in &engineers {
            index.upsert_profile(engineer).unwrap();
        }
        index.commit().unwrap();
        (index, roles, engineers)
    }

    fn rank(level: Option<JlptLevel>) -> u8 {
        level.map_or(0, JlptLevel::rank)
    }

    /// The filters, checked one document at a time: what the index's answers must equal.
    fn role_passes(r: &RoleDoc, f: &Filters) -> bool {
        f.jlpt_at_most
            .is_none_or(|at_most| rank(r.facts.min_jlpt) <= rank(at_most))
            && f.prefecture.as_ref().is_none_or(|p| *p == r.prefecture)
            && f.sector.as_ref().is_none_or(|s| *s == r.sector)
            && f.remote_policy
                .as_ref()
                .is_none_or(|p| *p == r.remote_policy)
            && f.visa_sponsorship.is_none_or(|v| v == r.visa_sponsorship)
            && f.abroad.is_none_or(|a| a == r.facts.apply_from_abroad)
            && f.salary_at_least
                .is_none_or(|s| r.facts.salary_max_jpy >= s)
            && f.skills
                .iter()
                .all(|s| r.facts.required.iter().any(|(held, _)| held == s))
            && f.created_after.is_none_or(|t| r.created_at >= t)
    }

    fn engineer_passes(e: &ProfileDoc, f: &Filters) -> bool {
        f.jlpt_at_least
            .is_none_or(|level| rank(e.facts.jlpt) >= level.rank())
            && f.jlpt_certified.is_none_or(|c| c == e.jlpt_certified)
            && f.indian_state
                .as_ref()
                .is_none_or(|s| Some(s) == e.indian_state.as_ref())
            && f.years_at_least.is_none_or(|y| e.years_experience >= y)
            && f.salary_wish_at_most
                .is_none_or(|s| e.facts.desired_salary_jpy.unwrap_or(0) <= s)
            && f.visa_interest
                .as_ref()
                .is_none_or(|r| *r == e.visa_interest)
            && f.languages.iter().all(|l| e.languages.contains(l))
            && f.skill_years.iter().all(|(skill, years)| {
                e.facts
                    .skills
                    .iter()
                    .any(|(held, y)| held == skill && y.min(&MAX_SKILL_YEARS) >= years)
            })
            && f.created_after.is_none_or(|t| e.created_at >= t)
            && f.available_by
                .is_none_or(|by| e.available_from.unwrap_or(0) <= by)
    }

    fn random_role_filters(rng: &mut ChaCha8Rng) -> Filters {
        let mut f = Filters::default();
        if rng.gen_bool(0.4) {
            f.jlpt_at_most = Some(level(rng));
        }
        if rng.gen_bool(0.4) {
            f.prefecture = Some(pick(rng, &PREFECTURES).to_owned());
        }
        if rng.gen_bool(0.4) {
            f.sector = Some(pick(rng, &SECTORS).to_owned());
        }
        if rng.gen_bool(0.3) {
            f.remote_policy = Some(pick(rng, &REMOTE).to_owned());
        }
        if rng.gen_bool(0.3) {
            f.visa_sponsorship = Some(rng.gen_bool(0.5));
        }
        if rng.gen_bool(0.3) {
            f.abroad = Some(true);
        }
        if rng.gen_bool(0.3) {
            f.salary_at_least = Some(i64::from(rng.gen_range(4..=12)) * 1_000_000);
        }
        if rng.gen_bool(0.2) {
            f.skills = vec![SkillId::new(pick(rng, &SKILLS))];
        }
        if rng.gen_bool(0.2) {
            // roles are made a minute apart
            f.created_after = Some(rng.gen_range(1..=300) * 60);
        }
        f
    }

    fn random_engineer_filters(rng: &mut ChaCha8Rng) -> Filters {
        let mut f = Filters::default();
        if rng.gen_bool(0.4) {
            f.jlpt_at_least =
                [JlptLevel::N4, JlptLevel::N3, JlptLevel::N2][rng.gen_range(0..3)].into();
        }
        if rng.gen_bool(0.3) {
            f.jlpt_certified = Some(true);
        }
        if rng.gen_bool(0.4) {
            f.indian_state = Some(pick(rng, &STATES).to_owned());
        }
        if rng.gen_bool(0.3) {
            f.years_at_least = Some(rng.gen_range(1..12));
        }
        if rng.gen_bool(0.3) {
            f.salary_wish_at_most = Some(i64::from(rng.gen_range(4..=10)) * 1_000_000);
        }
        if rng.gen_bool(0.3) {
            f.visa_interest = Some(pick(rng, &ROUTES).to_owned());
        }
        if rng.gen_bool(0.3) {
            f.languages = vec![pick(rng, &LANGUAGES).to_owned()];
        }
        if rng.gen_bool(0.4) {
            f.skill_years = vec![(SkillId::new(pick(rng, &SKILLS)), rng.gen_range(0..8))];
        }
        if rng.gen_bool(0.2) {
            f.created_after = Some(1_000_000 + rng.gen_range(0..=100));
        }
        if rng.gen_bool(0.3) {
            f.available_by = Some(rng.gen_range(20_000..20_400));
        }
        f
    }

    /// The filters with one facet set to one of its values, as a link beside it would set it.
    fn choose(mut f: Filters, facet: &str, value: &str) -> Filters {
        match facet {
            facets::PREFECTURE => f.prefecture = Some(value.to_owned()),
            facets::STATE => f.indian_state = Some(value.to_owned()),
            facets::SECTOR => f.sector = Some(value.to_owned()),
            facets::REMOTE => f.remote_policy = Some(value.to_owned()),
            facets::VISA => f.visa_sponsorship = Some(value == "true"),
            facets::ABROAD => f.abroad = Some(value == "true"),
            facets::CERTIFIED => f.jlpt_certified = Some(value == "true"),
            facets::YEARS => f.years_at_least = Some(value.parse().unwrap()),
            facets::ROUTE => f.visa_interest = Some(value.to_owned()),
            facets::LANGUAGES => f.languages.push(value.to_owned()),
            facets::SKILLS => f.skill_years.push((SkillId::new(value), 0)),
            other => panic!("unknown facet {other}"),
        }
        f
    }

    /// The filters with a facet's value chosen, as its link sets them: the ordered facets
    /// replace their filter, the others as [`choose`].
    fn chosen(kind: Kind, filters: &Filters, facet: &str, value: &str) -> Filters {
        match (kind, facet) {
            // salary bands read "reaches ¥X" for roles, "at most ¥X" for wishes
            (Kind::Role, facets::SALARY) => Filters {
                salary_at_least: Some(value.parse().unwrap()),
                ..filters.clone()
            },
            (Kind::Engineer, facets::SALARY) => Filters {
                salary_wish_at_most: Some(value.parse().unwrap()),
                ..filters.clone()
            },
            (Kind::Role, facets::JLPT) => Filters {
                jlpt_at_most: Some((value != "none").then(|| JlptLevel::parse(value).unwrap())),
                ..filters.clone()
            },
            (Kind::Engineer, facets::JLPT) => Filters {
                jlpt_at_least: JlptLevel::parse(value),
                ..filters.clone()
            },
            (_, name) => choose(filters.clone(), name, value),
        }
    }

    /// Each facet value's count is `count` of the filters with that value chosen.
    fn every_count_is_of_its_value_chosen(
        page: &SearchPage,
        kind: Kind,
        filters: &Filters,
        count: impl Fn(&Filters) -> usize,
    ) {
        for facet in &page.facets {
            for value in &facet.values {
                assert_eq!(
                    value.count as usize,
                    count(&chosen(kind, filters, &facet.name, &value.value)),
                    "{kind:?} facet {} = {} under {filters:?}",
                    facet.name,
                    value.value
                );
            }
        }
    }

    #[test]
    fn a_facet_with_two_clauses_is_counted_without_both() {
        let (index, _, _) = pool();
        let searcher = index.reader.searcher();
        let count = |f: &Filters| {
            let query = index.page_query(Kind::Engineer, None, f, With::EveryFilter, &[]);
            searcher.search(&query, &tantivy::collector::Count).unwrap()
        };
        // two JLPT clauses (at least N3 and at most N2) beside a state
        let filters = Filters {
            jlpt_at_least: Some(JlptLevel::N3),
            jlpt_at_most: Some(Some(JlptLevel::N2)),
            indian_state: Some("ka".to_owned()),
            ..Filters::default()
        };
        let page = index
            .search_page(Kind::Engineer, "", &filters, Order::Relevance, 0, 5)
            .unwrap();
        assert_eq!(page.total, count(&filters));
        let names: Vec<&str> = page.facets.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, facets::names(Kind::Engineer).collect::<Vec<_>>());
        let without_jlpt = Filters {
            jlpt_at_least: None,
            jlpt_at_most: None,
            ..filters.clone()
        };
        let jlpt = page.facets.iter().find(|f| f.name == facets::JLPT).unwrap();
        assert!(jlpt.values.iter().any(|v| v.count > 0));
        for value in &jlpt.values {
            let chosen = Filters {
                jlpt_at_least: JlptLevel::parse(&value.value),
                ..without_jlpt.clone()
            };
            assert_eq!(value.count as usize, count(&chosen), "JLPT {}", value.value);
        }
        // the state's facet holds both JLPT clauses
        let state = page
            .facets
            .iter()
            .find(|f| f.name == facets::STATE)
            .unwrap();
        for value in &state.values {
            let chosen = choose(filters.clone(), facets::STATE, &value.value);
            assert_eq!(
                value.count as usize,
                count(&chosen),
                "state {}",
                value.value
            );
        }
    }

    #[test]
    fn with_words_and_deleted_documents_counts_equal_each_value_searched_on_its_own() {
        let (mut index, roles, engineers) = pool();
        // documents saved again leave their old versions deleted in the segments
        for role in roles.iter().step_by(7) {
            index.upsert_role(role).unwrap();
        }
        for engineer in engineers.iter().step_by(5) {
            index.upsert_profile(engineer).unwrap();
        }
        index.commit().unwrap();
        // on the caller's thread, then each segment on a thread of its own
        for round in 0..80 {
            if round % 40 == 0 {
                index.set_search_threads(1 + round / 40).unwrap();
            }
            let searcher = index.reader.searcher();
            assert!(searcher.segment_readers().len() > 1);
            assert!(searcher
                .segment_readers()
                .iter()
                .any(|segment| segment.num_deleted_docs() > 0));
            let mut rng = ChaCha8Rng::seed_from_u64(11 + (round % 40) as u64);
            let (kind, filters) = if round % 2 == 0 {
                (Kind::Role, random_role_filters(&mut rng))
            } else {
                (Kind::Engineer, random_engineer_filters(&mut rng))
            };
            let text = pick(&mut rng, &["engineer", "rust", "python embedded", "UVM"]);
            // the search with every filter, counted by tantivy
            let count = |f: &Filters| {
                let words = index.words_clause(kind, text).unwrap().map(|w| w.query);
                let query = index.page_query(kind, words.as_deref(), f, With::EveryFilter, &[]);
                searcher.search(&query, &tantivy::collector::Count).unwrap()
            };
            let page = index
                .search_page(kind, text, &filters, Order::Relevance, 0, 5)
                .unwrap();
            assert_eq!(page.total, count(&filters), "{kind:?} {text} {filters:?}");
            let names: Vec<&str> = page.facets.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names, facets::names(kind).collect::<Vec<_>>());
            every_count_is_of_its_value_chosen(&page, kind, &filters, count);
        }
    }

    #[test]
    fn totals_and_facet_counts_equal_counts_made_one_document_at_a_time() {
        let (index, roles, engineers) = pool();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for round in 0..60 {
            let (kind, filters) = if round % 2 == 0 {
                (Kind::Role, random_role_filters(&mut rng))
            } else {
                (Kind::Engineer, random_engineer_filters(&mut rng))
            };
            let count = |f: &Filters| match kind {
                Kind::Role => roles.iter().filter(|r| role_passes(r, f)).count(),
                Kind::Engineer => engineers.iter().filter(|e| engineer_passes(e, f)).count(),
            };
            let page = index
                .search_page(kind, "", &filters, Order::Relevance, 0, 5)
                .unwrap();
            assert_eq!(page.total, count(&filters), "{kind:?} {filters:?}");
            assert_eq!(page.hits.len(), page.total.min(5));
            every_count_is_of_its_value_chosen(&page, kind, &filters, count);
            for facet in &page.facets {
                // the values of a code facet: most first, and none left out that finds a result
                let codes: &[&str] = match (kind, facet.name.as_str()) {
                    (Kind::Role, facets::PREFECTURE) => &PREFECTURES,
                    (Kind::Role, facets::SECTOR) => &SECTORS,
                    (Kind::Role, facets::REMOTE) => &REMOTE,
                    (Kind::Engineer, facets::STATE) => &STATES,
                    (Kind::Engineer, facets::ROUTE) => &ROUTES,
                    (Kind::Engineer, facets::LANGUAGES) => &LANGUAGES,
                    (Kind::Engineer, facets::SKILLS) => &SKILLS,
                    _ => continue,
                };
                assert!(
                    facet.values.windows(2).all(|w| w[0].count >= w[1].count),
                    "{kind:?} facet {} not most first: {:?}",
                    facet.name,
                    facet.values
                );
                for code in codes {
                    if !facet.values.iter().any(|v| v.value == *code) {
                        assert_eq!(
                            count(&choose(filters.clone(), &facet.name, code)),
                            0,
                            "{kind:?} facet {} leaves out {code} under {filters:?}",
                            facet.name
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn newest_first_and_pages_cover_every_result_once() {
        let (index, roles, _) = pool();
        let filters = Filters {
            sector: Some("automotive".to_owned()),
            ..Filters::default()
        };
        let mut seen = Vec::new();
        let mut offset = 0;
        loop {
            let page = index
                .search_page(Kind::Role, "", &filters, Order::Newest, offset, 7)
                .unwrap();
            if page.hits.is_empty() {
                break;
            }
            seen.extend(page.hits.iter().map(|h| h.id));
            offset += 7;
        }
        let mut expected: Vec<i32> = roles
            .iter()
            .filter(|r| r.sector == "automotive")
            .map(|r| r.id)
            .collect();
        // created_at grows with the id: newest first is the highest id first
        expected.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, expected);
    }

    #[test]
    fn ranking_for_an_engineer_puts_the_best_fit_first_and_explains_it() {
        let (index, _, _) = pool();
        let engineer = EngineerFacts {
            skills: vec![(SkillId::new("uvm"), 5)],
            jlpt: Some(JlptLevel::N1),
            desired_salary_jpy: Some(5_000_000),
            in_japan: false,
        };
        let page = index
            .search_page(
                Kind::Role,
                "",
                &Filters::default(),
                Order::FitForEngineer(&engineer),
                0,
                10,
            )
            .unwrap();
        assert_eq!(page.total, 300, "ranking does not narrow");
        let scores: Vec<f32> = page
            .hits
            .iter()
            .map(|h| h.explanation.as_ref().unwrap().score)
            .collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        let first = page.hits[0].explanation.as_ref().unwrap();
        assert_eq!(first.matched.len(), 1, "the best fit asks UVM: {first:?}");
    }
    /// Roles are ranked by their scores and only the page is explained: every page, for many
    /// engineers, must be in the order the roles' full explanations give, and explained as
    /// `matching::explain` explains them.
    #[test]
    fn ranking_by_scores_is_the_order_of_the_explanations_on_every_page() {
        let (index, _, _) = pool();
        let mut rng = ChaCha8Rng::seed_from_u64(15);
        for _ in 0..40 {
            let skills = (0..rng.gen_range(0..4))
                .map(|_| (SkillId::new(pick(&mut rng, &SKILLS)), rng.gen_range(0..9)))
                .collect();
            let engineer = EngineerFacts {
                skills,
                jlpt: level(&mut rng),
                desired_salary_jpy: rng.gen_bool(0.7).then(|| rng.gen_range(3..12) * 1_000_000),
                in_japan: rng.gen_bool(0.3),
            };
            let mut ranked: Vec<Hit> = Vec::new();
            for offset in (0..300).step_by(7) {
                let page = index
                    .search_page(
                        Kind::Role,
                        "",
                        &Filters::default(),
                        Order::FitForEngineer(&engineer),
                        offset,
                        7,
                    )
                    .unwrap();
                ranked.extend(page.hits);
            }
            assert_eq!(ranked.len(), 300);
            let facts = index.role_facts.read().unwrap();
            for hit in &ranked {
                let explanation = hit.explanation.as_ref().unwrap();
                assert_eq!(explanation, &matching::explain(&engineer, &facts[&hit.id]));
            }
            let held = |h: &Hit| {
                let e = h.explanation.as_ref().unwrap();
                e.matched.len() + e.nice_matched.len()
            };
            for pair in ranked.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                let (ae, be) = (
                    a.explanation.as_ref().unwrap(),
                    b.explanation.as_ref().unwrap(),
                );
                let order = be
                    .eligible
                    .cmp(&ae.eligible)
                    .then(be.score.total_cmp(&ae.score))
                    .then(b.relevance.total_cmp(&a.relevance))
                    .then(held(b).cmp(&held(a)))
                    .then(a.id.cmp(&b.id));
                assert_eq!(order, std::cmp::Ordering::Less, "{a:?} before {b:?}");
            }
        }
    }
}
