//! How well an engineer fits a role, and why: the score behind every ranked list (role →
//! engineers and engineer → roles), with an explanation the interface shows.
//!
//! Pure and deterministic: retrieval (which engineers and roles are considered, and their text
//! relevance) is the search engine's job; this decides the order.
//!
//! A pair's score depends on the two sides' facts alone, never on what was searched for or on
//! the index's word statistics: the same person and role score the same on every page and in
//! the API, today and tomorrow. Text relevance only breaks ties in a ranked list.

use serde::{Deserialize, Serialize};

use crate::jlpt::JlptLevel;
use crate::skills::{SkillId, Taxonomy};

/// What matching needs to know about an engineer.
///
/// Skills are named by `K`: their ids everywhere but inside the search index, which scores
/// with compact codes read from its columns (see [`RoleFacts::keyed`]); the score is the same
/// function either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineerFacts<K = SkillId> {
    /// Skills with years held.
    pub skills: Vec<(K, u8)>,
    pub jlpt: Option<JlptLevel>,
    pub desired_salary_jpy: Option<i64>,
    /// Engineers on Setubashi apply from India unless they say they are in Japan.
    pub in_japan: bool,
}

impl<K> Default for EngineerFacts<K> {
    fn default() -> Self {
        EngineerFacts {
            skills: Vec::new(),
            jlpt: None,
            desired_salary_jpy: None,
            in_japan: false,
        }
    }
}

/// What matching needs to know about a role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleFacts<K = SkillId> {
    /// Required skills with minimum years.
    pub required: Vec<(K, u8)>,
    pub nice: Vec<K>,
    pub min_jlpt: Option<JlptLevel>,
    pub jlpt_strict: bool,
    pub salary_max_jpy: i64,
    pub apply_from_abroad: bool,
    /// Evidence for required skills through the taxonomy's relations: (required skill, a skill
    /// whose holders partly have it), as C is for Embedded C. Filled from
    /// [`Taxonomy::related`](crate::skills::Taxonomy::related) where the facts are read.
    #[serde(default = "Vec::new", skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<(K, K)>,
}

impl<K> Default for RoleFacts<K> {
    fn default() -> Self {
        RoleFacts {
            required: Vec::new(),
            nice: Vec::new(),
            min_jlpt: None,
            jlpt_strict: false,
            salary_max_jpy: 0,
            apply_from_abroad: false,
            related: Vec::new(),
        }
    }
}

impl<K> RoleFacts<K> {
    /// The same facts with every skill named by `key` instead (the search index scores with
    /// compact codes; an explanation made with them is named back with
    /// [`Explanation::map_skills`]).
    pub fn keyed<J>(&self, key: impl Fn(&K) -> J) -> RoleFacts<J> {
        RoleFacts {
            required: self.required.iter().map(|(s, y)| (key(s), *y)).collect(),
            nice: self.nice.iter().map(&key).collect(),
            min_jlpt: self.min_jlpt,
            jlpt_strict: self.jlpt_strict,
            salary_max_jpy: self.salary_max_jpy,
            apply_from_abroad: self.apply_from_abroad,
            related: self
                .related
                .iter()
                .map(|(skill, via)| (key(skill), key(via)))
                .collect(),
        }
    }
}

impl RoleFacts {
    /// These facts with the taxonomy's relations for their required skills (replacing any):
    /// what lets a related skill earn part of a requirement.
    pub fn with_relations(mut self, taxonomy: &Taxonomy) -> RoleFacts {
        self.related = taxonomy.related_pairs(self.required.iter().map(|(skill, _)| skill));
        self
    }
}

/// How a required skill is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillMatch<K = SkillId> {
    pub skill: K,
    pub years_held: u8,
    pub years_asked: u8,
}

/// A required skill the person does not list, met in part through a related one they hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedMatch<K = SkillId> {
    pub skill: K,
    /// The related skill held.
    pub via: K,
    pub years_held: u8,
    pub years_asked: u8,
}

/// The score's parts, each between 0 and 1 before weighting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Components {
    pub required_skills: f32,
    pub nice_skills: f32,
    pub jlpt: f32,
    pub salary: f32,
    pub location: f32,
}

/// The weights of the components; they sum to 1.
pub const WEIGHTS: Components = Components {
    required_skills: 0.50,
    nice_skills: 0.10,
    jlpt: 0.20,
    salary: 0.10,
    location: 0.10,
};

/// A score with everything the interface needs to explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation<K = SkillId> {
    /// 0–100.
    pub score: f32,
    /// False when a strict JLPT requirement is not met: such a pair is never recommended.
    pub eligible: bool,
    pub matched: Vec<SkillMatch<K>>,
    /// Required skills not listed but met in part through a related skill.
    #[serde(default = "Vec::new")]
    pub related: Vec<RelatedMatch<K>>,
    /// Required skills neither listed nor met through a related skill.
    pub missing: Vec<K>,
    pub nice_matched: Vec<K>,
    /// Nice-to-have skills the engineer has not listed.
    #[serde(default = "Vec::new")]
    pub nice_missing: Vec<K>,
    /// Levels short of the role's minimum (0 when met or none is asked).
    pub jlpt_gap: u8,
    pub components: Components,
    /// The weight each component had in this score: zero for a part the pair gives nothing to
    /// judge by (no nice-to-have skills asked, no JLPT level asked, no salary wish), the others
    /// scaled to sum to 1.
    #[serde(default = "no_weights")]
    pub weights: Components,
}

impl<K> Explanation<K> {
    /// The same explanation with every skill named by `name` (codes back to ids).
    pub fn map_skills<J>(self, name: impl Fn(&K) -> J) -> Explanation<J> {
        Explanation {
            score: self.score,
            eligible: self.eligible,
            matched: self
                .matched
                .iter()
                .map(|m| SkillMatch {
                    skill: name(&m.skill),
                    years_held: m.years_held,
                    years_asked: m.years_asked,
                })
                .collect(),
            related: self
                .related
                .iter()
                .map(|m| RelatedMatch {
                    skill: name(&m.skill),
                    via: name(&m.via),
                    years_held: m.years_held,
                    years_asked: m.years_asked,
                })
                .collect(),
            missing: self.missing.iter().map(&name).collect(),
            nice_matched: self.nice_matched.iter().map(&name).collect(),
            nice_missing: self.nice_missing.iter().map(&name).collect(),
            jlpt_gap: self.jlpt_gap,
            components: self.components,
            weights: self.weights,
        }
    }
}

fn no_weights() -> Components {
    Components {
        required_skills: 0.0,
        nice_skills: 0.0,
        jlpt: 0.0,
        salary: 0.0,
        location: 0.0,
    }
}

/// A role's required skills none of which the person holds: the score is cut to this share, so
/// that a role sharing no skill never reads as a middling match on language, salary and place
/// alone.
pub const NO_SKILL_HELD: f32 = 0.25;

/// Two JLPT levels or more below the role's: the score is halved (daily work would be hard).
pub const FAR_BELOW_JLPT: f32 = 0.5;

/// A required skill met only through a related one earns this share of what the related
/// skill's years would earn for it: evidence, not proof (4 years of C are not 4 of Embedded C).
pub const RELATED_CREDIT: f32 = 0.4;

/// A required skill held for at least the years asked counts fully; held for fewer, half plus
/// the share of years; not held, nothing.
fn requirement_credit(held: Option<u8>, asked: u8) -> f32 {
    match held {
        None => 0.0,
        Some(years) if years >= asked => 1.0,
        Some(years) => 0.5 + 0.5 * f32::from(years) / f32::from(asked.max(1)),
    }
}

/// JLPT: meeting the level counts fully, one level below half, further below nothing and the
/// whole score is halved (a strong penalty, since daily work would be hard).
fn jlpt_credit(min: Option<JlptLevel>, held: Option<JlptLevel>) -> (f32, u8) {
    match min {
        None => (1.0, 0),
        Some(required) => match required.gap(held) {
            0 => (1.0, 0),
            1 => (0.5, 1),
            gap => (0.0, gap),
        },
    }
}

/// A score without its explanation: what ranking needs for every candidate, computed without
/// allocating, so that only the results shown are explained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// 0–100.
    pub score: f32,
    pub eligible: bool,
    pub jlpt_gap: u8,
    pub components: Components,
    /// The weights as applied (see [`Explanation::weights`]).
    pub weights: Components,
    /// How many of the role's skills, required and nice-to-have, the engineer holds: among
    /// equal scores, more evidence ranks first.
    pub skills_held: u16,
}

fn years_of<K: PartialEq>(engineer: &EngineerFacts<K>, skill: &K) -> Option<u8> {
    engineer
        .skills
        .iter()
        .find(|(s, _)| s == skill)
        .map(|(_, y)| *y)
}

/// The best related skill the engineer holds for a required one they do not: (skill, years);
/// between two that earn the same, the one the taxonomy lists first (an order that does not
/// depend on how skills are named, so the index's codes explain as the ids do).
fn related_held<'a, K: PartialEq>(
    engineer: &'a EngineerFacts<K>,
    role: &'a RoleFacts<K>,
    skill: &K,
    asked: u8,
) -> Option<(&'a K, u8)> {
    role.related
        .iter()
        .enumerate()
        .filter(|(_, (required, _))| required == skill)
        .filter_map(|(position, (_, via))| {
            years_of(engineer, via).map(|years| (position, via, years))
        })
        .max_by(|(a_position, _, a), (b_position, _, b)| {
            requirement_credit(Some(*a), asked)
                .total_cmp(&requirement_credit(Some(*b), asked))
                .then_with(|| b_position.cmp(a_position))
        })
        .map(|(_, via, years)| (via, years))
}

/// The credit for one required skill: in full when held, in part through a related skill.
fn credit_for<K: PartialEq>(
    engineer: &EngineerFacts<K>,
    role: &RoleFacts<K>,
    skill: &K,
    asked: u8,
) -> f32 {
    match years_of(engineer, skill) {
        Some(years) => requirement_credit(Some(years), asked),
        None => related_held(engineer, role, skill, asked).map_or(0.0, |(_, years)| {
            RELATED_CREDIT * requirement_credit(Some(years), asked)
        }),
    }
}

/// Scores one engineer for one role.
///
/// Required skills count as a smoothed share, (credit + 1) / (asked + 2): holding all of five
/// asked skills is more evidence of fit than holding all of two, so a short list no longer
/// earns as much as a long one. A part the pair gives nothing to judge by (no nice-to-have
/// skills, no JLPT level asked, no salary wish) is left out and the other weights scaled up,
/// instead of being given away as full marks.
pub fn score<K: PartialEq>(engineer: &EngineerFacts<K>, role: &RoleFacts<K>) -> Score {
    let credit: f32 = role
        .required
        .iter()
        .map(|(skill, asked)| credit_for(engineer, role, skill, *asked))
        .sum();
    let nice_held = role
        .nice
        .iter()
        .filter(|s| years_of(engineer, s).is_some())
        .count();
    let (jlpt, jlpt_gap) = jlpt_credit(role.min_jlpt, engineer.jlpt);
    let salary = match engineer.desired_salary_jpy {
        Some(desired) if desired > role.salary_max_jpy && desired > 0 => {
            role.salary_max_jpy.max(0) as f32 / desired as f32
        }
        _ => 1.0,
    };
    let location = if engineer.in_japan || role.apply_from_abroad {
        1.0
    } else {
        0.3
    };
    let parts = Parts {
        credit,
        nice_held,
        jlpt,
        jlpt_gap,
        salary,
        wish_stated: engineer.desired_salary_jpy.is_some(),
        location,
    };
    let (weighed, components, weights) = weigh(role, &parts);
    let eligible = !(role.jlpt_strict && jlpt_gap > 0);
    let required_held = role
        .required
        .iter()
        .filter(|(s, _)| years_of(engineer, s).is_some())
        .count();
    Score {
        score: if eligible { weighed } else { 0.0 },
        eligible,
        jlpt_gap,
        components,
        weights,
        skills_held: (required_held + nice_held) as u16,
    }
}

/// What a score is made of before it is weighed: what [`ceiling`] takes at its best.
struct Parts {
    /// The required skills' credits, summed in the role's order.
    credit: f32,
    nice_held: usize,
    jlpt: f32,
    jlpt_gap: u8,
    salary: f32,
    wish_stated: bool,
    location: f32,
}

/// The score of the parts (before eligibility), its components and the weights applied. Never
/// lower for a part that is higher (floating-point rounding is monotonic): what makes
/// [`ceiling`] a true ceiling.
fn weigh<K>(role: &RoleFacts<K>, parts: &Parts) -> (f32, Components, Components) {
    let credit = parts.credit;
    let required_skills = if credit > 0.0 {
        (credit + 1.0) / (role.required.len() as f32 + 2.0)
    } else {
        0.0
    };
    let nice_skills = if role.nice.is_empty() {
        0.0
    } else {
        parts.nice_held as f32 / role.nice.len() as f32
    };
    let components = Components {
        required_skills,
        nice_skills,
        jlpt: parts.jlpt,
        salary: parts.salary,
        location: parts.location,
    };
    let applies = |weight: f32, judged: bool| if judged { weight } else { 0.0 };
    let raw = Components {
        required_skills: applies(WEIGHTS.required_skills, !role.required.is_empty()),
        nice_skills: applies(WEIGHTS.nice_skills, !role.nice.is_empty()),
        jlpt: applies(WEIGHTS.jlpt, role.min_jlpt.is_some()),
        salary: applies(WEIGHTS.salary, parts.wish_stated),
        location: WEIGHTS.location,
    };
    let total = raw.required_skills + raw.nice_skills + raw.jlpt + raw.salary + raw.location;
    let weights = Components {
        required_skills: raw.required_skills / total,
        nice_skills: raw.nice_skills / total,
        jlpt: raw.jlpt / total,
        salary: raw.salary / total,
        location: raw.location / total,
    };
    let weighted = weights.required_skills * components.required_skills
        + weights.nice_skills * components.nice_skills
        + weights.jlpt * components.jlpt
        + weights.salary * components.salary
        + weights.location * components.location;
    let mut factor = 1.0;
    if parts.jlpt_gap >= 2 {
        factor *= FAR_BELOW_JLPT;
    }
    if !role.required.is_empty() && credit == 0.0 {
        factor *= NO_SKILL_HELD;
    }
    (100.0 * weighted * factor, components, weights)
}

/// A way of falling short of a role, for [`ceiling`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// A required skill not held for the years asked (or not held at all).
    Requirement,
    /// A JLPT level below the role's.
    Jlpt,
    /// A nice-to-have skill not held.
    NiceSkill,
}

/// The highest score an eligible engineer can reach for `role` while falling short in at least
/// one of `ways` (and meeting everything else); `None` when no one can fall short in any of
/// them (the role asks no skill, say) or when doing so makes them ineligible. `in_japan`: the
/// engineers in question may be in Japan (for a role that takes no applications from abroad,
/// the others' place counts for less, whatever else they meet).
///
/// The search index ranks those who meet a role in full first, and stops as soon as the last
/// of its list scores above this: no one else can come before them.
pub fn ceiling<K: PartialEq>(
    role: &RoleFacts<K>,
    ways: &[Shortfall],
    in_japan: bool,
) -> Option<f32> {
    let location = if in_japan || role.apply_from_abroad {
        1.0
    } else {
        0.3
    };
    let full = |required: usize, credit_short: f32| -> f32 {
        role.required
            .iter()
            .enumerate()
            .map(|(i, _)| if i == required { credit_short } else { 1.0 })
            .sum()
    };
    let best = |credit: f32, nice_held: usize, jlpt: (f32, u8)| -> f32 {
        // a stated salary wish changes the weights: the better of the two
        [true, false]
            .into_iter()
            .map(|wish_stated| {
                let parts = Parts {
                    credit,
                    nice_held,
                    jlpt: jlpt.0,
                    jlpt_gap: jlpt.1,
                    salary: 1.0,
                    wish_stated,
                    location,
                };
                weigh(role, &parts).0
            })
            .fold(f32::MIN, f32::max)
    };
    let all_required = full(usize::MAX, 1.0);
    let all_nice = role.nice.len();
    let mut highest: Option<f32> = None;
    let mut consider = |score: f32| highest = Some(highest.map_or(score, |h: f32| h.max(score)));
    for way in ways {
        match way {
            Shortfall::Requirement => {
                for (i, (skill, asked)) in role.required.iter().enumerate() {
                    let fewer_years = match asked {
                        0 => 0.0, // any years meet it: held at all is in full
                        _ => requirement_credit(Some(asked - 1), *asked),
                    };
                    let through_related = if role.related.iter().any(|(s, _)| s == skill) {
                        RELATED_CREDIT * requirement_credit(Some(u8::MAX), *asked)
                    } else {
                        0.0
                    };
                    consider(best(
                        full(i, fewer_years.max(through_related)),
                        all_nice,
                        (1.0, 0),
                    ));
                }
            }
            Shortfall::Jlpt if role.min_jlpt.is_some() && !role.jlpt_strict => {
                consider(best(all_required, all_nice, (0.5, 1)));
            }
            Shortfall::Jlpt => {}
            Shortfall::NiceSkill if all_nice > 0 => {
                consider(best(all_required, all_nice - 1, (1.0, 0)));
            }
            Shortfall::NiceSkill => {}
        }
    }
    highest
}

/// Scores one engineer for one role and says why: matched and missing skills, the JLPT gap and
/// each component.
pub fn explain<K: PartialEq + Clone>(
    engineer: &EngineerFacts<K>,
    role: &RoleFacts<K>,
) -> Explanation<K> {
    let Score {
        score,
        eligible,
        jlpt_gap,
        components,
        weights,
        ..
    } = score(engineer, role);
    let mut matched = Vec::new();
    let mut related = Vec::new();
    let mut missing = Vec::new();
    for (skill, asked) in &role.required {
        match years_of(engineer, skill) {
            Some(years_held) => matched.push(SkillMatch {
                skill: skill.clone(),
                years_held,
                years_asked: *asked,
            }),
            None => match related_held(engineer, role, skill, *asked) {
                Some((via, years_held)) => related.push(RelatedMatch {
                    skill: skill.clone(),
                    via: via.clone(),
                    years_held,
                    years_asked: *asked,
                }),
                None => missing.push(skill.clone()),
            },
        }
    }
    let (nice_matched, nice_missing) = role
        .nice
        .iter()
        .cloned()
        .partition(|s| years_of(engineer, s).is_some());
    Explanation {
        score,
        eligible,
        matched,
        related,
        missing,
        nice_matched,
        nice_missing,
        jlpt_gap,
        components,
        weights,
    }
}

/// Orders scored candidates best first and drops ineligible ones: by score, then by the text
/// relevance the search engine found (which never changes a score, only the order of equal
/// ones), then by the number of the role's skills held; the id last, only so that the order
/// never changes between two identical candidates.
pub fn rank_scores<Id: Ord + Copy>(mut scored: Vec<(Id, Score, f32)>) -> Vec<(Id, Score, f32)> {
    scored.retain(|(_, s, _)| s.eligible);
    scored.sort_by(|(a_id, a, a_text), (b_id, b, b_text)| {
        compare((a, *a_text, *a_id), (b, *b_text, *b_id))
    });
    scored
}

/// Which of two scored candidates (score, text relevance, id) ranks first: `Less` when the
/// first does. Eligible ones come before the rest, then the order of [`rank_scores`].
pub fn compare<Id: Ord>(a: (&Score, f32, Id), b: (&Score, f32, Id)) -> std::cmp::Ordering {
    let ((a, a_text, a_id), (b, b_text, b_id)) = (a, b);
    b.eligible
        .cmp(&a.eligible)
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| b_text.total_cmp(&a_text))
        .then_with(|| b.skills_held.cmp(&a.skills_held))
        .then_with(|| a_id.cmp(&b_id))
}

/// Orders explained candidates best first, as [`rank_scores`] does without text relevance: by
/// score, then by the number of the role's skills held, then by id. Ineligible ones are
/// dropped.
pub fn rank<Id: Ord + Clone>(mut scored: Vec<(Id, Explanation)>) -> Vec<(Id, Explanation)> {
    scored.retain(|(_, e)| e.eligible);
    let held = |e: &Explanation| e.matched.len() + e.nice_matched.len();
    scored.sort_by(|(a_id, a), (b_id, b)| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| held(b).cmp(&held(a)))
            .then_with(|| a_id.cmp(b_id))
    });
    scored
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn id(s: &str) -> SkillId {
        SkillId::new(s)
    }

    fn role() -> RoleFacts {
        RoleFacts {
            required: vec![(id("systemverilog"), 3), (id("uvm"), 2)],
            nice: vec![id("python")],
            min_jlpt: Some(JlptLevel::N3),
            jlpt_strict: false,
            salary_max_jpy: 9_000_000,
            apply_from_abroad: true,
            related: Vec::new(),
        }
    }

    fn engineer() -> EngineerFacts {
        EngineerFacts {
            skills: vec![(id("systemverilog"), 4), (id("python"), 2)],
            jlpt: Some(JlptLevel::N3),
            desired_salary_jpy: Some(7_000_000),
            in_japan: false,
        }
    }

    #[test]
    fn the_explanation_names_matched_and_missing_skills_and_the_jlpt_gap() {
        let e = explain(&engineer(), &role());
        assert_eq!(
            e.matched,
            vec![SkillMatch {
                skill: id("systemverilog"),
                years_held: 4,
                years_asked: 3
            }]
        );
        assert_eq!(e.missing, vec![id("uvm")]);
        assert_eq!(e.nice_matched, vec![id("python")]);
        assert_eq!(e.jlpt_gap, 0);
        assert!((e.components.required_skills - 0.5).abs() < 1e-6);
        assert!(e.eligible && e.score > 0.0 && e.score <= 100.0);
    }

    #[test]
    fn a_perfect_fit_on_two_asked_skills_scores_as_the_smoothed_share_says() {
        let perfect = EngineerFacts {
            skills: vec![(id("systemverilog"), 5), (id("uvm"), 5), (id("python"), 1)],
            ..engineer()
        };
        let e = explain(&perfect, &role());
        // required (2 + 1) / (2 + 2) = 0.75 at half the weight, everything else in full
        assert!((e.score - 87.5).abs() < 1e-3, "{}", e.score);
        assert!(e.nice_missing.is_empty());
    }

    #[test]
    fn a_role_whose_requirements_are_all_held_ranks_above_one_asking_a_subset_of_them() {
        let held: Vec<(SkillId, u8)> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| (id(s), 5))
            .collect();
        let person = EngineerFacts {
            skills: held.clone(),
            ..engineer()
        };
        let five = RoleFacts {
            required: held.iter().map(|(s, _)| (s.clone(), 3)).collect(),
            nice: Vec::new(),
            ..role()
        };
        let three = RoleFacts {
            required: five.required[..3].to_vec(),
            ..five.clone()
        };
        assert!(score(&person, &five).score > score(&person, &three).score);
    }

    #[test]
    fn what_a_role_does_not_ask_gives_no_free_points() {
        let without_nice = RoleFacts {
            nice: Vec::new(),
            min_jlpt: None,
            ..role()
        };
        let s = score(&engineer(), &without_nice);
        assert_eq!((s.weights.nice_skills, s.weights.jlpt), (0.0, 0.0));
        let w = s.weights;
        let sum = w.required_skills + w.nice_skills + w.jlpt + w.salary + w.location;
        assert!((sum - 1.0).abs() < 1e-6);
        // the same engineer without the role's nice-to-have skill scores the same either way
        // for the required part, and the required part now weighs more
        assert!(s.weights.required_skills > WEIGHTS.required_skills);
    }

    #[test]
    fn a_role_sharing_no_skill_scores_clearly_low() {
        let stranger = EngineerFacts {
            skills: vec![(id("java"), 10)],
            ..engineer()
        };
        let s = score(&stranger, &role());
        assert!(s.eligible);
        assert!(s.score <= 100.0 * NO_SKILL_HELD, "{}", s.score);
        assert_eq!(s.skills_held, 0);
    }

    #[test]
    fn equal_scores_rank_by_text_then_by_skills_held() {
        let base = score(&engineer(), &role());
        let more = Score {
            skills_held: base.skills_held + 1,
            ..base
        };
        let ranked = rank_scores(vec![(1, base, 0.5), (2, more, 0.5), (3, base, 0.9)]);
        assert_eq!(
            ranked.iter().map(|(i, _, _)| *i).collect::<Vec<_>>(),
            vec![3, 2, 1]
        );
    }

    #[test]
    fn a_related_skill_earns_part_of_a_requirement_and_is_named() {
        let embedded = RoleFacts {
            required: vec![(id("embedded-c"), 3), (id("rtos"), 2)],
            nice: Vec::new(),
            related: vec![(id("embedded-c"), id("c"))],
            ..role()
        };
        let with = |skills: Vec<(SkillId, u8)>| {
            explain(
                &EngineerFacts {
                    skills,
                    ..engineer()
                },
                &embedded,
            )
        };
        let c_and_rtos = with(vec![(id("c"), 4), (id("rtos"), 3)]);
        let rtos_only = with(vec![(id("rtos"), 3)]);
        let both = with(vec![(id("embedded-c"), 4), (id("rtos"), 3)]);
        assert!(rtos_only.score < c_and_rtos.score && c_and_rtos.score < both.score);
        assert_eq!(
            c_and_rtos.related,
            vec![RelatedMatch {
                skill: id("embedded-c"),
                via: id("c"),
                years_held: 4,
                years_asked: 3
            }]
        );
        assert!(c_and_rtos.missing.is_empty());
        assert_eq!(rtos_only.missing, vec![id("embedded-c")]);
        // related evidence alone is not "no skill held": no cut to a quarter
        let c_only = with(vec![(id("c"), 4)]);
        assert!(
            c_only.score > 100.0 * NO_SKILL_HELD * 0.9,
            "{}",
            c_only.score
        );
        assert!(with(Vec::new()).score <= 100.0 * NO_SKILL_HELD);
    }

    #[test]
    fn fewer_years_than_asked_earn_partial_credit() {
        assert_eq!(requirement_credit(None, 3), 0.0);
        assert_eq!(requirement_credit(Some(3), 3), 1.0);
        assert_eq!(requirement_credit(Some(0), 3), 0.5);
        assert!((requirement_credit(Some(2), 4) - 0.75).abs() < 1e-6);
        assert_eq!(requirement_credit(Some(1), 0), 1.0);
    }

    #[test]
    fn one_level_below_is_partial_and_further_below_halves_the_score() {
        let at = |jlpt| explain(&EngineerFacts { jlpt, ..engineer() }, &role());
        let meets = at(Some(JlptLevel::N3));
        let one_below = at(Some(JlptLevel::N4));
        let two_below = at(Some(JlptLevel::N5));
        let none = at(None);
        assert_eq!(
            (one_below.jlpt_gap, two_below.jlpt_gap, none.jlpt_gap),
            (1, 2, 3)
        );
        assert!(meets.score > one_below.score);
        assert!(
            one_below.score > two_below.score * 1.9,
            "the penalty is strong"
        );
        assert_eq!(two_below.score, none.score);
    }

    #[test]
    fn a_strict_level_makes_a_pair_ineligible_and_rank_drops_it() {
        let strict = RoleFacts {
            jlpt_strict: true,
            ..role()
        };
        let below = EngineerFacts {
            jlpt: Some(JlptLevel::N4),
            ..engineer()
        };
        let e = explain(&below, &strict);
        assert!(!e.eligible);
        assert_eq!(e.score, 0.0);
        let ranked = rank(vec![(1, e), (2, explain(&engineer(), &strict))]);
        assert_eq!(ranked.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn a_salary_wish_above_the_band_lowers_the_fit_in_proportion() {
        let dear = EngineerFacts {
            desired_salary_jpy: Some(18_000_000),
            ..engineer()
        };
        assert!((explain(&dear, &role()).components.salary - 0.5).abs() < 1e-6);
        assert_eq!(explain(&engineer(), &role()).components.salary, 1.0);
    }

    #[test]
    fn equal_scores_rank_by_id_so_the_order_never_changes() {
        let e = explain(&engineer(), &role());
        let ranked = rank(vec![(3, e.clone()), (1, e.clone()), (2, e)]);
        assert_eq!(
            ranked.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn text_relevance_orders_equal_scores_but_never_outranks_a_better_fit() {
        let fit = score(&engineer(), &role());
        let weaker = score(
            &EngineerFacts {
                jlpt: Some(JlptLevel::N5),
                ..engineer()
            },
            &role(),
        );
        let ranked = rank_scores(vec![
            (1, weaker, 1.0),
            (2, fit, 0.1),
            (3, fit, 0.9),
            (4, fit, 0.9),
        ]);
        assert_eq!(
            ranked.iter().map(|(i, _, _)| *i).collect::<Vec<_>>(),
            vec![3, 4, 2, 1]
        );
    }

    #[test]
    fn a_score_depends_on_the_facts_alone() {
        // what every page and the API show for a pair: computing it twice gives the same
        assert_eq!(score(&engineer(), &role()), score(&engineer(), &role()));
        assert_eq!(
            explain(&engineer(), &role()).score,
            score(&engineer(), &role()).score
        );
    }

    #[test]
    fn a_ceiling_is_what_the_best_engineer_short_in_that_way_scores() {
        let role = role();
        let perfect = EngineerFacts {
            skills: vec![(id("systemverilog"), 3), (id("uvm"), 2), (id("python"), 1)],
            jlpt: Some(JlptLevel::N3),
            // a wish the band meets: a part judged in full weighs the score up
            desired_salary_jpy: Some(8_000_000),
            in_japan: false,
        };
        let best = score(&perfect, &role).score;
        // two years of SystemVerilog where three are asked: the best way to fall short of it
        let mut short_of_years = perfect.clone();
        short_of_years.skills[0].1 = 2;
        let requirement = ceiling(&role, &[Shortfall::Requirement], false).unwrap();
        assert_eq!(score(&short_of_years, &role).score, requirement);
        let jlpt = ceiling(&role, &[Shortfall::Jlpt], false).unwrap();
        let one_level_below = EngineerFacts {
            jlpt: Some(JlptLevel::N4),
            ..perfect.clone()
        };
        assert_eq!(score(&one_level_below, &role).score, jlpt);
        let nice = ceiling(&role, &[Shortfall::NiceSkill], false).unwrap();
        assert!(requirement < best && jlpt < best && nice < best);
        let any = ceiling(
            &role,
            &[
                Shortfall::Requirement,
                Shortfall::Jlpt,
                Shortfall::NiceSkill,
            ],
            false,
        );
        assert_eq!(any, Some(requirement.max(jlpt).max(nice)));
        // no one short of a strict level is eligible; a role asking no level has no such way
        let strict = RoleFacts {
            jlpt_strict: true,
            ..role.clone()
        };
        assert_eq!(ceiling(&strict, &[Shortfall::Jlpt], false), None);
        // a role taking no one from abroad: those in India reach less than those in Japan
        let at_home = RoleFacts {
            apply_from_abroad: false,
            ..role.clone()
        };
        let in_india = ceiling(&at_home, &[Shortfall::Requirement], false).unwrap();
        assert!(in_india < ceiling(&at_home, &[Shortfall::Requirement], true).unwrap());
        assert_eq!(score(&short_of_years, &at_home).score, in_india);
        let no_nice = RoleFacts {
            nice: Vec::new(),
            min_jlpt: None,
            ..role
        };
        assert_eq!(
            ceiling(&no_nice, &[Shortfall::Jlpt, Shortfall::NiceSkill], true),
            None
        );
    }

    #[test]
    fn codes_score_and_explain_as_ids_do() {
        let code =
            |s: &SkillId| s.as_str().len() as u64 * 1000 + u64::from(s.as_str().as_bytes()[0]);
        let role = RoleFacts {
            related: vec![(id("uvm"), id("verilog")), (id("uvm"), id("vhdl"))],
            ..role()
        };
        let engineer = EngineerFacts {
            skills: vec![
                (id("systemverilog"), 2),
                (id("verilog"), 5),
                (id("vhdl"), 5),
            ],
            ..engineer()
        };
        let keyed_engineer = EngineerFacts {
            skills: engineer.skills.iter().map(|(s, y)| (code(s), *y)).collect(),
            jlpt: engineer.jlpt,
            desired_salary_jpy: engineer.desired_salary_jpy,
            in_japan: engineer.in_japan,
        };
        let keyed_role = role.keyed(code);
        assert_eq!(score(&keyed_engineer, &keyed_role), score(&engineer, &role));
        let names: std::collections::HashMap<u64, SkillId> =
            ["systemverilog", "uvm", "python", "verilog", "vhdl"]
                .into_iter()
                .map(|s| (code(&id(s)), id(s)))
                .collect();
        let explained = explain(&keyed_engineer, &keyed_role).map_skills(|c| names[c].clone());
        // two related skills earn the same: the first the taxonomy lists is named
        assert_eq!(explained.related[0].via, id("verilog"));
        assert_eq!(explained, explain(&engineer, &role));
    }

    #[test]
    fn the_weights_sum_to_one() {
        let w = WEIGHTS;
        let sum = w.required_skills + w.nice_skills + w.jlpt + w.salary + w.location;
        assert!((sum - 1.0).abs() < 1e-6);
    }

    fn skills() -> impl Strategy<Value = Vec<(SkillId, u8)>> {
        prop::collection::vec(
            (
                prop::sample::select(vec!["a", "b", "c", "d", "e", "f"]),
                0u8..15,
            ),
            0..6,
        )
        .prop_map(|v| {
            let mut out: Vec<(SkillId, u8)> = Vec::new();
            for (s, y) in v {
                if !out.iter().any(|(k, _)| k.as_str() == s) {
                    out.push((id(s), y));
                }
            }
            out
        })
    }

    fn jlpt() -> impl Strategy<Value = Option<JlptLevel>> {
        prop::option::of(prop::sample::select(JlptLevel::ALL.to_vec()))
    }

    fn any_role() -> impl Strategy<Value = RoleFacts> {
        (
            skills(),
            skills(),
            jlpt(),
            any::<bool>(),
            3_000_000i64..15_000_000,
            any::<bool>(),
        )
            .prop_map(
                |(required, nice, min_jlpt, jlpt_strict, salary_max_jpy, apply_from_abroad)| {
                    RoleFacts {
                        nice: nice
                            .into_iter()
                            .map(|(s, _)| s)
                            .filter(|s| !required.iter().any(|(r, _)| r == s))
                            .collect(),
                        required,
                        min_jlpt,
                        jlpt_strict,
                        salary_max_jpy,
                        apply_from_abroad,
                        related: Vec::new(),
                    }
                },
            )
    }

    fn any_engineer() -> impl Strategy<Value = EngineerFacts> {
        (
            skills(),
            jlpt(),
            prop::option::of(2_000_000i64..20_000_000),
            any::<bool>(),
        )
            .prop_map(
                |(skills, jlpt, desired_salary_jpy, in_japan)| EngineerFacts {
                    skills,
                    jlpt,
                    desired_salary_jpy,
                    in_japan,
                },
            )
    }

    proptest! {
        #[test]
        fn gaining_a_required_skill_never_lowers_the_score(
            engineer in any_engineer(), role in any_role(), pick in 0usize..6, years in 0u8..15
        ) {
            prop_assume!(!role.required.is_empty());
            let (skill, _) = role.required[pick % role.required.len()].clone();
            prop_assume!(!engineer.skills.iter().any(|(s, _)| *s == skill));
            let mut better = engineer.clone();
            better.skills.push((skill, years));
            prop_assert!(explain(&better, &role).score >= explain(&engineer, &role).score);
        }

        #[test]
        fn more_years_of_a_skill_never_lower_the_score(
            engineer in any_engineer(), role in any_role(), more in 1u8..10
        ) {
            prop_assume!(!engineer.skills.is_empty());
            let mut better = engineer.clone();
            better.skills[0].1 = better.skills[0].1.saturating_add(more);
            prop_assert!(explain(&better, &role).score >= explain(&engineer, &role).score);
        }

        #[test]
        fn meeting_the_jlpt_level_ranks_above_an_otherwise_identical_engineer_who_does_not(
            engineer in any_engineer(), role in any_role()
        ) {
            let Some(required) = role.min_jlpt else { return Ok(()) };
            let below = JlptLevel::ALL.iter().copied().rev().find(|l| *l < required);
            let meets = EngineerFacts { jlpt: Some(required), ..engineer.clone() };
            let short = EngineerFacts { jlpt: below, ..engineer };
            let (a, b) = (explain(&meets, &role), explain(&short, &role));
            prop_assert!(a.score > b.score || (!b.eligible && a.eligible));
            let ranked = rank(vec![(2u32, b), (1u32, a)]);
            prop_assert_eq!(ranked[0].0, 1);
        }

        #[test]
        fn asking_one_more_skill_the_person_holds_raises_a_fully_held_roles_score(
            engineer in any_engineer(), role in any_role(), take in 1usize..6, years in 0u8..15
        ) {
            // the role asks some of what the engineer holds, at the years held
            prop_assume!(!engineer.skills.is_empty());
            let mut required: Vec<(SkillId, u8)> = Vec::new();
            for (skill, held) in engineer.skills.iter().take(take) {
                if !required.iter().any(|(s, _)| s == skill) {
                    required.push((skill.clone(), *held));
                }
            }
            let nice = role.nice.iter().filter(|s| !required.iter().any(|(r, _)| r == *s)).cloned().collect();
            let fully_held = RoleFacts { required, nice, ..role };
            let extra = SkillId::new("an-extra-skill");
            let mut person = engineer.clone();
            person.skills.push((extra.clone(), years));
            let mut longer = fully_held.clone();
            longer.required.push((extra, years));
            let (short, long) = (score(&person, &fully_held), score(&person, &longer));
            prop_assume!(short.eligible);
            prop_assert!(long.score > short.score, "{} vs {}", long.score, short.score);
        }

        #[test]
        fn a_related_skill_counts_more_than_nothing_and_less_than_the_skill(
            engineer in any_engineer(), role in any_role(), pick in 0usize..6, years in 0u8..15
        ) {
            prop_assume!(!role.required.is_empty());
            let (skill, _) = role.required[pick % role.required.len()].clone();
            let via = SkillId::new("a-related-skill");
            prop_assume!(!engineer.skills.iter().any(|(s, _)| *s == skill));
            let role = RoleFacts { related: vec![(skill.clone(), via.clone())], ..role };
            let mut through_relation = engineer.clone();
            through_relation.skills.push((via, years));
            let mut holding = engineer.clone();
            holding.skills.push((skill, years));
            let (none, related, held) = (
                score(&engineer, &role).score,
                score(&through_relation, &role).score,
                score(&holding, &role).score,
            );
            prop_assert!(none <= related && related <= held, "{none} {related} {held}");
        }

        #[test]
        fn the_quick_score_is_the_explained_score(engineer in any_engineer(), role in any_role()) {
            let quick = score(&engineer, &role);
            let explained = explain(&engineer, &role);
            prop_assert_eq!(quick.score, explained.score);
            prop_assert_eq!(quick.eligible, explained.eligible);
            prop_assert_eq!(quick.jlpt_gap, explained.jlpt_gap);
        }

        #[test]
        fn no_one_short_of_a_role_scores_above_its_ceiling(
            engineer in any_engineer(), role in any_role(), related in skills()
        ) {
            // some required skills partly met through related ones
            let related: Vec<(SkillId, SkillId)> = role
                .required
                .iter()
                .zip(related)
                .map(|((skill, _), (via, _))| (skill.clone(), via))
                .filter(|(skill, via)| skill != via)
                .collect();
            let role = RoleFacts { related, ..role };
            let held = |skill: &SkillId| {
                engineer.skills.iter().find(|(s, _)| s == skill).map(|(_, y)| *y)
            };
            let mut ways = Vec::new();
            if role.required.iter().any(|(s, asked)| held(s).is_none_or(|y| y < *asked)) {
                ways.push(Shortfall::Requirement);
            }
            if role.min_jlpt.is_some_and(|min| min.gap(engineer.jlpt) > 0) {
                ways.push(Shortfall::Jlpt);
            }
            if role.nice.iter().any(|s| held(s).is_none()) {
                ways.push(Shortfall::NiceSkill);
            }
            let scored = score(&engineer, &role);
            for way in ways {
                match ceiling(&role, &[way], engineer.in_japan) {
                    Some(highest) => prop_assert!(
                        !scored.eligible || scored.score <= highest,
                        "{way:?}: {} above {highest}", scored.score
                    ),
                    None => prop_assert!(!scored.eligible, "{way:?} had no ceiling"),
                }
            }
        }

        #[test]
        fn scores_stay_between_0_and_100(engineer in any_engineer(), role in any_role()) {
            let e = explain(&engineer, &role);
            prop_assert!((0.0..=100.0).contains(&e.score), "{}", e.score);
        }
    }
}
