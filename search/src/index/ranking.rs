//! Ranking engineers for a role inside the index: every candidate is scored with
//! `domain::matching::score` from the index's own columns, and only the page asked for leaves
//! it, explained.
//!
//! At a million profiles a popular skill has tens of thousands of holders, too many to score
//! one by one for each list. Most of them cannot reach the top: those who meet the role in full
//! (every required skill for the years asked, the JLPT level, the nice-to-have skills) are
//! looked at first, a small intersection of the index's terms; once the last of the list scores
//! above the best anyone short of the role in some way could score
//! ([`matching::ceiling`]), no one else can come before them and the rest is never read. When
//! it does not, the next, wider tier is read, and last every candidate. The order is
//! `domain::matching`'s at every step, so the result is the same as scoring everyone.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use domain::matching::{self, EngineerFacts, Explanation, RoleFacts, Shortfall};
use domain::skills::SkillId;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer, TermQuery, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term, TERMINATED};

use super::{jlpt_code, SearchIndex, MAX_SKILL_YEARS};
use crate::SearchError;

/// The column of `skill code << 8 | years` for each skill an engineer holds.
pub(super) const SKILL_CODES: &str = "skill_codes";
/// The column of an engineer's other facts that matching reads, packed by [`pack_traits`].
pub(super) const TRAITS: &str = "match_traits";

/// A skill's code in the index's columns: the first 56 bits of its id's FNV-1a hash. Stable
/// across runs and taxonomies (an index outlives the process that wrote it); two ids sharing
/// a code would score as one skill, which `tests::taxonomy_codes_are_distinct` rules out for
/// every skill of the taxonomy.
pub fn skill_code(skill: &SkillId) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in skill.as_str().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash >> 8
}

/// One held skill as its column stores it.
pub(super) fn skill_entry(skill: &SkillId, years: u8) -> u64 {
    skill_code(skill) << 8 | u64::from(years)
}

const IN_JAPAN: u64 = 1 << 3;
const WISH_STATED: u64 = 1 << 4;
const WISH_SHIFT: u32 = 8;

/// An engineer's JLPT level, place and salary wish in one number: bits 0–2 the level's rank,
/// bit 3 in Japan, bit 4 a wish stated, the wish in yen from bit 8 (a wish is at most the
/// form's 100,000,000, far below 2⁵⁶).
pub(super) fn pack_traits(facts: &EngineerFacts) -> u64 {
    let mut packed = jlpt_code(facts.jlpt);
    if facts.in_japan {
        packed |= IN_JAPAN;
    }
    if let Some(wish) = facts.desired_salary_jpy {
        packed |= WISH_STATED | (wish.max(0) as u64) << WISH_SHIFT;
    }
    packed
}

fn unpack_traits(packed: u64, into: &mut EngineerFacts<u64>) {
    into.jlpt = domain::jlpt::JlptLevel::ALL
        .iter()
        .copied()
        .find(|level| u64::from(level.rank()) == packed & 0b111);
    into.in_japan = packed & IN_JAPAN != 0;
    into.desired_salary_jpy = (packed & WISH_STATED != 0).then_some((packed >> WISH_SHIFT) as i64);
}

/// What ranking needs of one engineer's columns in a segment.
#[derive(Clone)]
struct Columns {
    ids: Column<u64>,
    traits: Column<u64>,
    /// `None` when the skills are known without reading them (opening the column reads its
    /// blocks' headers: a cost for every segment and every search).
    skills: Option<Column<u64>>,
}

impl Columns {
    fn of(segment: &SegmentReader, with_skills: bool) -> tantivy::Result<Columns> {
        let fast = segment.fast_fields();
        Ok(Columns {
            ids: fast.u64("id")?,
            traits: fast.u64(TRAITS)?,
            skills: with_skills.then(|| fast.u64(SKILL_CODES)).transpose()?,
        })
    }

    /// The engineer's facts, into a reused value (no allocation once its vector has grown);
    /// the skills are left as they are when their column was not opened.
    fn read(&self, doc: DocId, into: &mut EngineerFacts<u64>) {
        if let Some(skills) = &self.skills {
            into.skills.clear();
            into.skills.extend(
                skills
                    .values_for_doc(doc)
                    .map(|entry| (entry >> 8, (entry & 0xFF) as u8)),
            );
        }
        unpack_traits(self.traits.first(doc).unwrap_or_default(), into);
    }
}

/// A candidate scored: what orders it, and where to find it again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ranked {
    pub score: matching::Score,
    /// The candidates query's score: orders equal match scores.
    pub relevance: Score,
    pub id: i32,
    pub address: DocAddress,
}

impl Ranked {
    /// Best first, as `domain::matching::rank_scores` orders (eligible ones before the rest).
    fn order(&self, other: &Ranked) -> Ordering {
        matching::compare(
            (&self.score, self.relevance, self.id),
            (&other.score, other.relevance, other.id),
        )
    }
}

/// In a max-heap the worst candidate kept sits on top, ready to be replaced.
struct Worst(Ranked);

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.order(&other.0)
    }
}

/// A term whose BM25 score, times `boost`, adds to a candidate's relevance.
#[derive(Clone)]
pub(crate) struct Weighed {
    pub term: Term,
    pub record: IndexRecordOption,
    pub boost: Score,
}

/// Who a ranking considers, and what orders equal scores.
pub(super) struct Candidates {
    /// Engineers, not roles. Left out where another clause is a term only engineers' documents
    /// hold: every engineer's document holds it, so reading it in an intersection decodes nearly
    /// all of its postings for nothing.
    pub kind: Box<dyn Query>,
    /// The other filters: every candidate passes each.
    pub filters: Vec<Box<dyn Query>>,
    /// What brings a document in: the role's skills (or its text when too few hold any), or a
    /// recruiter's words; `None`: every document the filters pass.
    pub retrieval: Option<Box<dyn Query>>,
    /// Holding any of the role's skills brings a document in (so a tier that asks for one
    /// needs no retrieval clause of its own).
    pub by_role_skills: bool,
    /// Relevance: the summed scores of these terms (the role's text, or the recruiter's words).
    pub relevance: Vec<Weighed>,
}

impl Candidates {
    /// The filters and the retrieval, with `more` clauses, as one query; `engineers_only`: one
    /// of `more` matches only engineers, so the kind is not asked.
    fn query(
        &self,
        retrieval: bool,
        more: Vec<Box<dyn Query>>,
        engineers_only: bool,
    ) -> BooleanQuery {
        let clauses = std::iter::once(&self.kind)
            .filter(|_| !engineers_only)
            .chain(&self.filters)
            .map(|q| q.box_clone())
            .chain(
                self.retrieval
                    .iter()
                    .filter(|_| retrieval)
                    .map(|q| q.box_clone()),
            )
            .chain(more)
            .map(|q| (Occur::Must, q))
            .collect();
        BooleanQuery::new(clauses)
    }

    /// Every candidate.
    pub fn all(&self) -> BooleanQuery {
        self.query(true, Vec::new(), false)
    }
}

/// Scores every document a query matches for a role and keeps the best `keep`: the match score
/// from the columns, and relevance only for those that could be kept (it orders equal scores).
#[derive(Clone)]
struct RoleCollector {
    role: Arc<RoleFacts<u64>>,
    keep: usize,
    /// Ineligible ones (a strict JLPT level missed) rank last instead of not at all.
    keep_ineligible: bool,
    relevance: Arc<Vec<(Box<dyn Weight>, Score)>>,
    /// Skills that score as each candidate's own, when the query guarantees them: then the
    /// skills' column (most of a candidate's reading) is not read. See [`in_full_skills`].
    skills_known: Option<Arc<Vec<(u64, u8)>>>,
}

/// The skills that score exactly as the skills of anyone meeting `role` in full: every required
/// skill held for at least the years asked earns its full credit whatever the years beyond, and
/// a nice-to-have skill counts by being held. `None` when the index cannot promise the years:
/// its `skill:years` terms stop at [`MAX_SKILL_YEARS`], so a role asking more is met in full by
/// some who hold fewer years than it asks.
fn in_full_skills(role: &RoleFacts<u64>) -> Option<Vec<(u64, u8)>> {
    if role
        .required
        .iter()
        .any(|(_, asked)| *asked > MAX_SKILL_YEARS)
    {
        return None;
    }
    Some(
        role.required
            .iter()
            .map(|(skill, _)| *skill)
            .chain(role.nice.iter().copied())
            .map(|skill| (skill, u8::MAX))
            .collect(),
    )
}

/// The best of one segment, and how many it ranked.
type Harvest = (Vec<Ranked>, usize);

struct SegmentRoleCollector {
    role: Arc<RoleFacts<u64>>,
    keep: usize,
    keep_ineligible: bool,
    segment: SegmentOrdinal,
    columns: Columns,
    relevance: Vec<Box<dyn Scorer>>,
    engineer: EngineerFacts<u64>,
    best: BinaryHeap<Worst>,
    ranked: usize,
}

/// The summed relevance of a document, its scorers seeked forward to it (documents come in
/// ascending order).
fn relevance_at(scorers: &mut [Box<dyn Scorer>], doc: DocId) -> Score {
    let mut sum = 0.0;
    for scorer in scorers {
        if scorer.doc() < doc {
            scorer.seek(doc);
        }
        if scorer.doc() == doc {
            sum += scorer.score();
        }
    }
    sum
}

fn relevance_scorers(
    weights: &[(Box<dyn Weight>, Score)],
    reader: &SegmentReader,
) -> tantivy::Result<Vec<Box<dyn Scorer>>> {
    weights
        .iter()
        .map(|(weight, boost)| weight.scorer(reader, *boost))
        .collect()
}

impl Collector for RoleCollector {
    type Fruit = Harvest;
    type Child = SegmentRoleCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentRoleCollector> {
        let mut engineer = EngineerFacts::default();
        if let Some(skills) = &self.skills_known {
            engineer.skills.clone_from(skills);
        }
        Ok(SegmentRoleCollector {
            role: Arc::clone(&self.role),
            keep: self.keep,
            keep_ineligible: self.keep_ineligible,
            segment,
            columns: Columns::of(reader, self.skills_known.is_none())?,
            relevance: relevance_scorers(&self.relevance, reader)?,
            engineer,
            best: BinaryHeap::with_capacity(self.keep + 1),
            ranked: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        // relevance is read for the few that could be kept, not for every candidate
        false
    }

    fn merge_fruits(&self, fruits: Vec<Harvest>) -> tantivy::Result<Harvest> {
        let ranked = fruits.iter().map(|(_, n)| n).sum();
        let mut best: Vec<Ranked> = fruits.into_iter().flat_map(|(best, _)| best).collect();
        best.sort_by(Ranked::order);
        best.truncate(self.keep);
        Ok((best, ranked))
    }
}

impl SegmentCollector for SegmentRoleCollector {
    type Fruit = Harvest;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.columns.read(doc, &mut self.engineer);
        let score = matching::score(&self.engineer, &self.role);
        if !score.eligible && !self.keep_ineligible {
            return;
        }
        self.ranked += 1;
        let full = self.best.len() >= self.keep;
        // a lower score (or an ineligible one behind an eligible) cannot be kept: no relevance
        if let Some(worst) = self.best.peek().filter(|_| full) {
            let behind = (worst.0.score.eligible && !score.eligible)
                || (worst.0.score.eligible == score.eligible && score.score < worst.0.score.score);
            if behind {
                return;
            }
        }
        let candidate = Ranked {
            score,
            relevance: relevance_at(&mut self.relevance, doc),
            id: self.columns.ids.first(doc).unwrap_or_default() as i32,
            address: DocAddress::new(self.segment, doc),
        };
        if !full {
            self.best.push(Worst(candidate));
        } else if let Some(mut worst) = self.best.peek_mut() {
            if candidate.order(&worst.0) == Ordering::Less {
                *worst = Worst(candidate);
            }
        }
    }

    fn harvest(self) -> Harvest {
        (
            self.best.into_iter().map(|Worst(ranked)| ranked).collect(),
            self.ranked,
        )
    }
}

/// The best of a ranking, and how many were ranked when every candidate was read (`None`
/// when a tier sufficed).
pub(super) struct Ranking {
    pub best: Vec<Ranked>,
    pub ranked_all: Option<usize>,
}

impl SearchIndex {
    /// The best `keep` of the candidates, ranked for `role` (with its relations) in
    /// `domain::matching`'s order; see the module's comment for how. For a role that takes no
    /// one from abroad, those in Japan and those not are ranked apart (each with the ceiling
    /// its place allows) and merged.
    pub(super) fn rank_for_role(
        &self,
        searcher: &tantivy::Searcher,
        role: &RoleFacts,
        candidates: &Candidates,
        keep: usize,
        keep_ineligible: bool,
    ) -> Result<Ranking, SearchError> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let relevance = candidates
            .relevance
            .iter()
            .map(|w| {
                Ok((
                    TermQuery::new(w.term.clone(), w.record).weight(scoring)?,
                    w.boost,
                ))
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        let collector = RoleCollector {
            role: Arc::new(role.keyed(skill_code)),
            keep: keep.max(1),
            keep_ineligible,
            relevance: Arc::new(relevance),
            skills_known: None,
        };
        if role.apply_from_abroad {
            return self.rank_tiers(searcher, role, candidates, &collector, None);
        }
        let in_japan = |yes: bool| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_u64(self.fields.in_japan, u64::from(yes)),
                IndexRecordOption::Basic,
            ))
        };
        let here = self.rank_tiers(
            searcher,
            role,
            candidates,
            &collector,
            Some((true, in_japan(true))),
        )?;
        let abroad = self.rank_tiers(
            searcher,
            role,
            candidates,
            &collector,
            Some((false, in_japan(false))),
        )?;
        let mut best: Vec<Ranked> = here.best.into_iter().chain(abroad.best).collect();
        best.sort_by(Ranked::order);
        best.truncate(collector.keep);
        Ok(Ranking {
            best,
            ranked_all: here.ranked_all.zip(abroad.ranked_all).map(|(a, b)| a + b),
        })
    }

    /// Ranks tier by tier, among those in Japan or not when `place` says which.
    fn rank_tiers(
        &self,
        searcher: &tantivy::Searcher,
        role: &RoleFacts,
        candidates: &Candidates,
        collector: &RoleCollector,
        place: Option<(bool, Box<dyn Query>)>,
    ) -> Result<Ranking, SearchError> {
        let f = self.fields;
        let in_japan = place.as_ref().is_none_or(|(here, _)| *here);
        let place: Vec<Box<dyn Query>> = place.map(|(_, q)| q).into_iter().collect();
        // a place is a term of engineers' documents alone
        let placed = !place.is_empty();
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        // each requirement, and whether its term is one only engineers' documents hold (a
        // skill's years, a JLPT level; roles hold skills too)
        let mut requirements: Vec<(Box<dyn Query>, bool)> = role
            .required
            .iter()
            .map(|(skill, asked)| match (*asked).min(MAX_SKILL_YEARS) {
                0 => (term(f.skills, skill.as_str()), false),
                years => (
                    Box::new(TermQuery::new(
                        self.skill_years_term(skill, years),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>,
                    true,
                ),
            })
            .collect();
        let requirements_hold_a_skill = !requirements.is_empty();
        if let Some(level) = role.min_jlpt {
            requirements.push((self.jlpt_at_least(level), true));
        }
        let requirements_engineers_only = placed || requirements.iter().any(|(_, own)| *own);
        let requirements: Vec<Box<dyn Query>> = requirements.into_iter().map(|(q, _)| q).collect();
        let nice: Vec<Box<dyn Query>> = role
            .nice
            .iter()
            .map(|skill| term(f.skills, skill.as_str()))
            .collect();
        let in_full_holds_a_skill = requirements_hold_a_skill || !nice.is_empty();
        let in_full: Vec<Box<dyn Query>> = requirements
            .iter()
            .chain(nice.iter())
            .map(|q| q.box_clone())
            .collect();
        // in the first tier everyone's skills score alike: only their other facts are read
        let in_full_collector = RoleCollector {
            skills_known: in_full_skills(&collector.role).map(Arc::new),
            ..collector.clone()
        };
        let tiers = [
            (
                in_full,
                in_full_holds_a_skill,
                &[
                    Shortfall::Requirement,
                    Shortfall::Jlpt,
                    Shortfall::NiceSkill,
                ][..],
                &in_full_collector,
            ),
            (
                requirements,
                requirements_hold_a_skill,
                &[Shortfall::Requirement, Shortfall::Jlpt][..],
                collector,
            ),
        ];
        for (conditions, holds_a_skill, ways, tier_collector) in tiers {
            if conditions.is_empty() {
                continue;
            }
            // holding one of the role's skills is being a candidate: no retrieval clause to read
            let retrieval = !(holds_a_skill && candidates.by_role_skills);
            let more = conditions
                .into_iter()
                .chain(place.iter().map(|q| q.box_clone()))
                .collect();
            let query = candidates.query(retrieval, more, requirements_engineers_only);
            let (best, _) = searcher.search(&query, tier_collector)?;
            let ceiling = matching::ceiling(role, ways, in_japan);
            let settled = best.len() == collector.keep
                && best.last().is_some_and(|last| {
                    last.score.eligible && ceiling.is_none_or(|c| last.score.score > c)
                });
            if settled {
                return Ok(Ranking {
                    best,
                    ranked_all: None,
                });
            }
        }
        let all = candidates.query(true, place, placed);
        let (best, ranked) = searcher.search(&all, collector)?;
        Ok(Ranking {
            best,
            ranked_all: Some(ranked),
        })
    }

    /// Explains the ranked engineers for the role from the index's columns.
    pub(super) fn explain_ranked(
        &self,
        searcher: &tantivy::Searcher,
        role: &RoleFacts,
        ranked: &[Ranked],
    ) -> Result<Vec<Explanation>, SearchError> {
        let keyed = role.keyed(skill_code);
        let names: HashMap<u64, &SkillId> = role
            .required
            .iter()
            .map(|(skill, _)| skill)
            .chain(role.nice.iter())
            .chain(role.related.iter().map(|(_, via)| via))
            .map(|skill| (skill_code(skill), skill))
            .collect();
        let mut engineer = EngineerFacts::default();
        let mut columns: HashMap<SegmentOrdinal, Columns> = HashMap::new();
        ranked
            .iter()
            .map(|r| {
                let ord = r.address.segment_ord;
                let columns = match columns.entry(ord) {
                    std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                    std::collections::hash_map::Entry::Vacant(entry) => {
                        entry.insert(Columns::of(searcher.segment_reader(ord), true)?)
                    }
                };
                columns.read(r.address.doc_id, &mut engineer);
                let explained = matching::explain(&engineer, &keyed);
                // every skill an explanation names is one of the role's
                Ok(explained.map_skills(|code| {
                    names
                        .get(code)
                        .map_or_else(|| SkillId::new(""), |s| (*s).clone())
                }))
            })
            .collect()
    }

    /// How many live documents the query matches, counting no further than `n`.
    pub(super) fn count_up_to(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        n: usize,
    ) -> Result<usize, SearchError> {
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut found = 0;
        for segment in searcher.segment_readers() {
            let mut docs = weight.scorer(segment, 1.0)?;
            let mut doc = docs.doc();
            while doc != TERMINATED {
                if !segment.is_deleted(doc) {
                    found += 1;
                    if found >= n {
                        return Ok(found);
                    }
                }
                doc = docs.advance();
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use domain::jlpt::JlptLevel;
    use domain::skills::Taxonomy;
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::{Filters, Kind, ProfileDoc, Retrieval, RoleRanking, MATCH_CANDIDATES};

    const HEADLINES: [&str; 6] = [
        "embedded firmware engineer, automotive ECUs",
        "verification engineer, UVM testbenches",
        "backend engineer building payment APIs",
        "組み込みソフトウェアエンジニア",
        "machine learning engineer for factory vision",
        "engineer",
    ];

    /// Skills with relations in the taxonomy (and what they relate to), and plain ones, so that
    /// roles' related credit is exercised.
    fn skill_mix(taxonomy: &Taxonomy) -> Vec<SkillId> {
        let mut mix: Vec<SkillId> = ["rust", "python", "uvm", "embedded-software", "java"]
            .into_iter()
            .map(SkillId::new)
            .collect();
        for skill in taxonomy.all() {
            let related = taxonomy.related(&skill.id);
            if mix.len() >= 12 {
                break;
            }
            if let Some(via) = related.first() {
                mix.extend([skill.id.clone(), via.clone()]);
            }
        }
        mix.dedup();
        mix
    }

    fn some(
        rng: &mut ChaCha8Rng,
        from: &[SkillId],
        count: std::ops::RangeInclusive<usize>,
    ) -> Vec<SkillId> {
        let n = rng.gen_range(count);
        from.choose_multiple(rng, n).cloned().collect()
    }

    fn level(rng: &mut ChaCha8Rng) -> Option<JlptLevel> {
        [
            None,
            None,
            Some(JlptLevel::N5),
            Some(JlptLevel::N4),
            Some(JlptLevel::N3),
            Some(JlptLevel::N2),
            Some(JlptLevel::N1),
        ][rng.gen_range(0..7)]
    }

    /// The ranking as it was before it moved into the index, without its cut: every candidate
    /// scored from its facts with `domain::matching`, ordered by `rank_scores`, relevance read
    /// for each.
    fn scored_one_by_one(
        searcher: &tantivy::Searcher,
        facts: &HashMap<i32, EngineerFacts>,
        role: &RoleFacts,
        candidates: &Candidates,
    ) -> Vec<(i32, f32, f32)> {
        let scoring = EnableScoring::enabled_from_searcher(searcher);
        let weights: Vec<(Box<dyn Weight>, Score)> = candidates
            .relevance
            .iter()
            .map(|w| {
                let query = TermQuery::new(w.term.clone(), w.record);
                (query.weight(scoring).unwrap(), w.boost)
            })
            .collect();
        let found = searcher
            .search(&candidates.all(), &tantivy::collector::DocSetCollector)
            .unwrap();
        let mut scored = Vec::new();
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let mut docs: Vec<DocId> = found
                .iter()
                .filter(|a| a.segment_ord as usize == ord)
                .map(|a| a.doc_id)
                .collect();
            docs.sort_unstable();
            let mut scorers = relevance_scorers(&weights, reader).unwrap();
            let ids = reader.fast_fields().u64("id").unwrap();
            for doc in docs {
                let id = ids.first(doc).unwrap() as i32;
                let relevance = relevance_at(&mut scorers, doc);
                scored.push((id, matching::score(&facts[&id], role), relevance));
            }
        }
        matching::rank_scores(scored)
            .into_iter()
            .map(|(id, score, relevance)| (id, score.score, relevance))
            .collect()
    }

    #[test]
    fn ranking_in_the_index_equals_scoring_every_candidate_on_1000_roles() {
        let taxonomy = Taxonomy::builtin();
        let mut index =
            SearchIndex::in_memory(crate::index::tests::shared_dictionary(), taxonomy.clone())
                .unwrap();
        let skills = skill_mix(&taxonomy);
        let mut rng = ChaCha8Rng::seed_from_u64(15);
        let mut facts = HashMap::new();
        for id in 1..=12_000 {
            let held: Vec<(SkillId, u8)> = some(&mut rng, &skills, 1..=5)
                .into_iter()
                .map(|s| (s, rng.gen_range(0..=18)))
                .collect();
            let engineer = EngineerFacts {
                skills: held,
                jlpt: level(&mut rng),
                desired_salary_jpy: rng
                    .gen_bool(0.7)
                    .then(|| i64::from(rng.gen_range(30..=130)) * 100_000),
                in_japan: rng.gen_bool(0.1),
            };
            index
                .upsert_profile(&ProfileDoc {
                    id,
                    text: format!("Engineer {id} {}", HEADLINES[rng.gen_range(0..6)]),
                    facts: engineer.clone(),
                    indian_state: Some(["ka", "mh", "tn"][rng.gen_range(0..3)].to_owned()),
                    years_experience: rng.gen_range(0..20),
                    ..ProfileDoc::default()
                })
                .unwrap();
            facts.insert(id, engineer);
            if id % 8 == 0 {
                // roles in the same index, holding the same skills' terms: never candidates
                let role = RoleFacts {
                    required: some(&mut rng, &skills, 1..=3)
                        .into_iter()
                        .map(|s| (s, rng.gen_range(0..=6)))
                        .collect(),
                    salary_max_jpy: 8_000_000,
                    apply_from_abroad: true,
                    ..RoleFacts::default()
                };
                index
                    .upsert_role(&crate::RoleDoc {
                        id: 100_000 + id,
                        text: format!("Role {id} {}", HEADLINES[rng.gen_range(0..6)]),
                        facts: role,
                        ..crate::RoleDoc::default()
                    })
                    .unwrap();
            }
            if id % 4_000 == 0 {
                // several segments, as an index that has lived has
                index.commit().unwrap();
            }
        }
        index.commit().unwrap();
        let searcher = index.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let (mut settled_early, mut read_all, mut over_a_thousand) = (0, 0, 0);
        for n in 0..1_000 {
            if n == 500 {
                // the second half with each segment ranked on a thread of its own
                index.set_search_threads(2).unwrap();
            }
            // now and then more years than the index's `skill:years` terms reach
            let required: Vec<(SkillId, u8)> = some(&mut rng, &skills, 0..=3)
                .into_iter()
                .map(|s| match rng.gen_bool(0.1) {
                    true => (s, rng.gen_range(MAX_SKILL_YEARS + 1..=18)),
                    false => (s, rng.gen_range(0..=6)),
                })
                .collect();
            let others: Vec<SkillId> = skills
                .iter()
                .filter(|s| !required.iter().any(|(r, _)| r == *s))
                .cloned()
                .collect();
            let nice = some(&mut rng, &others, 0..=2);
            let role = RoleFacts {
                required,
                nice,
                min_jlpt: level(&mut rng),
                jlpt_strict: rng.gen_bool(0.2),
                salary_max_jpy: i64::from(rng.gen_range(40..=110)) * 100_000,
                apply_from_abroad: rng.gen_bool(0.8),
                related: Vec::new(),
            }
            .with_relations(&taxonomy);
            let text = HEADLINES[rng.gen_range(0..6)];
            let filters = match n % 3 {
                0 => Filters::default(),
                1 => Filters {
                    jlpt_at_least: Some(JlptLevel::N4),
                    ..Filters::default()
                },
                _ => Filters {
                    indian_state: Some("ka".to_owned()),
                    years_at_least: Some(rng.gen_range(0..10)),
                    ..Filters::default()
                },
            };
            let words = if n % 7 == 0 {
                "firmware 組み込み"
            } else {
                ""
            };
            let offset = if n % 10 == 0 { 20 } else { 0 };
            let page = index
                .engineers_for_role_page(
                    &role,
                    text,
                    &RoleRanking {
                        words,
                        filters: &filters,
                        offset,
                        limit: 20,
                    },
                )
                .unwrap();
            let candidates = if words.is_empty() {
                let mut asked: Vec<SkillId> =
                    role.required.iter().map(|(s, _)| s.clone()).collect();
                asked.extend(role.nice.iter().cloned());
                asked.extend(role.related.iter().map(|(_, via)| via.clone()));
                match index
                    .role_candidates(&searcher, &asked, text, &filters, Retrieval::SkillsFirst)
                    .unwrap()
                {
                    Some(candidates) => candidates,
                    None => {
                        assert!(page.hits.is_empty());
                        continue;
                    }
                }
            } else {
                Candidates {
                    kind: index.kind_filter(Kind::Engineer),
                    filters: index.narrowing_filters(&filters),
                    retrieval: index
                        .words_clause(Kind::Engineer, words)
                        .unwrap()
                        .map(|w| w.query),
                    by_role_skills: false,
                    relevance: index.words_relevance(words),
                }
            };
            let expected = scored_one_by_one(&searcher, &facts, &role, &candidates);
            over_a_thousand += usize::from(expected.len() > MATCH_CANDIDATES);
            let got: Vec<(i32, f32, f32)> = page
                .hits
                .iter()
                .map(|h| (h.id, h.explanation.as_ref().unwrap().score, h.relevance))
                .collect();
            let wanted: Vec<(i32, f32, f32)> =
                expected.iter().skip(offset).take(20).copied().collect();
            assert_eq!(got, wanted, "role {n}: {role:?} {filters:?} {words:?}");
            assert_eq!(
                page.ranked,
                expected.len().min(MATCH_CANDIDATES),
                "role {n}"
            );
            // each explanation is the one the engineer's facts give, named with the role's ids
            for hit in &page.hits {
                assert_eq!(
                    hit.explanation.as_ref(),
                    Some(&matching::explain(&facts[&hit.id], &role)),
                    "role {n}, engineer {}",
                    hit.id
                );
            }
            let found = index
                .rank_for_role(&searcher, &role, &candidates, 20, false)
                .unwrap();
            match found.ranked_all {
                None => settled_early += 1,
                Some(_) => read_all += 1,
            }
        }
        eprintln!("{settled_early} settled by a tier, {read_all} read every candidate, {over_a_thousand} had over 1,000");
        // both ways were taken, and large candidate sets were among them
        assert!(settled_early > 200, "{settled_early} settled by a tier");
        assert!(read_all > 50, "{read_all} read every candidate");
        assert!(over_a_thousand > 50, "{over_a_thousand} with over 1,000");
    }

    /// Roles hold skills' terms as engineers do. A tier that asks only for skills (no years, no
    /// JLPT, no place) must still ask for engineers: here the roles, read as engineers with no
    /// salary wish, would outrank every engineer (each wishes for far more than the role pays).
    #[test]
    fn roles_holding_a_role_s_skills_are_never_its_candidates() {
        let taxonomy = Taxonomy::builtin();
        let index =
            SearchIndex::in_memory(crate::index::tests::shared_dictionary(), taxonomy).unwrap();
        let rust = SkillId::new("rust");
        for id in 1..=40 {
            index
                .upsert_profile(&ProfileDoc {
                    id,
                    text: format!("Engineer {id}"),
                    facts: EngineerFacts {
                        skills: vec![(rust.clone(), 5)],
                        jlpt: None,
                        desired_salary_jpy: Some(50_000_000),
                        in_japan: false,
                    },
                    ..ProfileDoc::default()
                })
                .unwrap();
            index
                .upsert_role(&crate::RoleDoc {
                    id: 1_000 + id,
                    text: format!("Role {id}"),
                    facts: RoleFacts {
                        required: vec![(rust.clone(), 0)],
                        salary_max_jpy: 4_000_000,
                        apply_from_abroad: true,
                        ..RoleFacts::default()
                    },
                    ..crate::RoleDoc::default()
                })
                .unwrap();
        }
        index.commit().unwrap();
        let role = RoleFacts {
            required: vec![(rust, 0)],
            salary_max_jpy: 4_000_000,
            apply_from_abroad: true,
            ..RoleFacts::default()
        };
        let hits = index.engineers_for_role(&role, "", 20).unwrap();
        assert_eq!(hits.len(), 20);
        let roles: Vec<i32> = hits.iter().map(|h| h.id).filter(|id| *id > 1_000).collect();
        assert!(roles.is_empty(), "roles ranked as engineers: {roles:?}");
    }

    #[test]
    fn taxonomy_codes_are_distinct() {
        let taxonomy = domain::skills::Taxonomy::builtin();
        let mut seen = HashMap::new();
        for skill in taxonomy.all() {
            if let Some(other) = seen.insert(skill_code(&skill.id), skill.id.clone()) {
                panic!("{} and {} share a code", other, skill.id);
            }
        }
        assert_eq!(seen.len(), taxonomy.len());
    }

    #[test]
    fn traits_read_back_as_written() {
        for jlpt in std::iter::once(None).chain(domain::jlpt::JlptLevel::ALL.map(Some)) {
            for wish in [None, Some(0), Some(4_500_000), Some(100_000_000)] {
                for in_japan in [false, true] {
                    let facts = EngineerFacts {
                        skills: Vec::new(),
                        jlpt,
                        desired_salary_jpy: wish,
                        in_japan,
                    };
                    let mut read = EngineerFacts::default();
                    unpack_traits(pack_traits(&facts), &mut read);
                    assert_eq!(
                        (read.jlpt, read.desired_salary_jpy, read.in_japan),
                        (jlpt, wish, in_japan)
                    );
                }
            }
        }
    }
}
