//! How well an engineer fits a role, and why: the score behind every ranked list (role →
//! engineers and engineer → roles), with an explanation the interface shows.
//!
//! Pure and deterministic: retrieval (which engineers and roles are considered, and their text
//! relevance) is the search engine's job; this decides the order.

use serde::{Deserialize, Serialize};

use crate::jlpt::JlptLevel;
use crate::skills::SkillId;

/// What matching needs to know about an engineer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineerFacts {
    /// Skills with years held.
    pub skills: Vec<(SkillId, u8)>,
    pub jlpt: Option<JlptLevel>,
    pub desired_salary_jpy: Option<i64>,
    /// Engineers on Setubashi apply from India unless they say they are in Japan.
    pub in_japan: bool,
}

/// What matching needs to know about a role.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleFacts {
    /// Required skills with minimum years.
    pub required: Vec<(SkillId, u8)>,
    pub nice: Vec<SkillId>,
    pub min_jlpt: Option<JlptLevel>,
    pub jlpt_strict: bool,
    pub salary_max_jpy: i64,
    pub apply_from_abroad: bool,
}

/// How a required skill is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillMatch {
    pub skill: SkillId,
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
    pub text: f32,
}

/// The weights of the components; they sum to 1.
pub const WEIGHTS: Components = Components {
    required_skills: 0.45,
    nice_skills: 0.10,
    jlpt: 0.20,
    salary: 0.10,
    location: 0.05,
    text: 0.10,
};

/// A score with everything the interface needs to explain it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// 0–100.
    pub score: f32,
    /// False when a strict JLPT requirement is not met: such a pair is never recommended.
    pub eligible: bool,
    pub matched: Vec<SkillMatch>,
    pub missing: Vec<SkillId>,
    pub nice_matched: Vec<SkillId>,
    /// Levels short of the role's minimum (0 when met or none is asked).
    pub jlpt_gap: u8,
    pub components: Components,
}

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
}

fn years_of(engineer: &EngineerFacts, skill: &SkillId) -> Option<u8> {
    engineer
        .skills
        .iter()
        .find(|(s, _)| s == skill)
        .map(|(_, y)| *y)
}

/// Scores one engineer for one role. `text_relevance` is the search engine's relevance of the
/// pair's texts, normalised to 0–1.
pub fn score(engineer: &EngineerFacts, role: &RoleFacts, text_relevance: f32) -> Score {
    let credit: f32 = role
        .required
        .iter()
        .map(|(skill, asked)| requirement_credit(years_of(engineer, skill), *asked))
        .sum();
    let required_skills = if role.required.is_empty() {
        1.0
    } else {
        credit / role.required.len() as f32
    };
    let nice_held = role
        .nice
        .iter()
        .filter(|s| years_of(engineer, s).is_some())
        .count();
    let nice_skills = if role.nice.is_empty() {
        1.0
    } else {
        nice_held as f32 / role.nice.len() as f32
    };
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
    let text = text_relevance.clamp(0.0, 1.0);
    let components = Components {
        required_skills,
        nice_skills,
        jlpt,
        salary,
        location,
        text,
    };
    let weighted = WEIGHTS.required_skills * required_skills
        + WEIGHTS.nice_skills * nice_skills
        + WEIGHTS.jlpt * jlpt
        + WEIGHTS.salary * salary
        + WEIGHTS.location * location
        + WEIGHTS.text * text;
    let penalty = if jlpt_gap >= 2 { 0.5 } else { 1.0 };
    let eligible = !(role.jlpt_strict && jlpt_gap > 0);
    Score {
        score: if eligible {
            100.0 * weighted * penalty
        } else {
            0.0
        },
        eligible,
        jlpt_gap,
        components,
    }
}

/// Scores one engineer for one role and says why: matched and missing skills, the JLPT gap and
/// each component.
pub fn explain(engineer: &EngineerFacts, role: &RoleFacts, text_relevance: f32) -> Explanation {
    let Score {
        score,
        eligible,
        jlpt_gap,
        components,
    } = score(engineer, role, text_relevance);
    let mut matched = Vec::new();
    let mut missing = Vec::new();
    for (skill, asked) in &role.required {
        match years_of(engineer, skill) {
            Some(years_held) => matched.push(SkillMatch {
                skill: skill.clone(),
                years_held,
                years_asked: *asked,
            }),
            None => missing.push(skill.clone()),
        }
    }
    let nice_matched = role
        .nice
        .iter()
        .filter(|s| years_of(engineer, s).is_some())
        .cloned()
        .collect();
    Explanation {
        score,
        eligible,
        matched,
        missing,
        nice_matched,
        jlpt_gap,
        components,
    }
}

/// Orders scored candidates best first (by score, then id) and drops ineligible ones: the same
/// order as [`rank`], for candidates not yet explained.
pub fn rank_scores<Id: Ord + Copy>(mut scored: Vec<(Id, Score)>) -> Vec<(Id, Score)> {
    scored.retain(|(_, s)| s.eligible);
    scored.sort_by(|(a_id, a), (b_id, b)| b.score.total_cmp(&a.score).then_with(|| a_id.cmp(b_id)));
    scored
}

/// Orders candidates best first: by score, then by id so that equal scores always come out in
/// the same order. Ineligible candidates are dropped.
pub fn rank<Id: Ord + Clone>(mut scored: Vec<(Id, Explanation)>) -> Vec<(Id, Explanation)> {
    scored.retain(|(_, e)| e.eligible);
    scored.sort_by(|(a_id, a), (b_id, b)| b.score.total_cmp(&a.score).then_with(|| a_id.cmp(b_id)));
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
        let e = explain(&engineer(), &role(), 0.5);
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
    fn a_perfect_fit_scores_100() {
        let perfect = EngineerFacts {
            skills: vec![(id("systemverilog"), 5), (id("uvm"), 5), (id("python"), 1)],
            ..engineer()
        };
        let e = explain(&perfect, &role(), 1.0);
        assert!((e.score - 100.0).abs() < 1e-3, "{}", e.score);
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
        let at = |jlpt| explain(&EngineerFacts { jlpt, ..engineer() }, &role(), 0.5);
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
        let e = explain(&below, &strict, 1.0);
        assert!(!e.eligible);
        assert_eq!(e.score, 0.0);
        let ranked = rank(vec![(1, e), (2, explain(&engineer(), &strict, 0.0))]);
        assert_eq!(ranked.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn a_salary_wish_above_the_band_lowers_the_fit_in_proportion() {
        let dear = EngineerFacts {
            desired_salary_jpy: Some(18_000_000),
            ..engineer()
        };
        assert!((explain(&dear, &role(), 0.0).components.salary - 0.5).abs() < 1e-6);
        assert_eq!(explain(&engineer(), &role(), 0.0).components.salary, 1.0);
    }

    #[test]
    fn equal_scores_rank_by_id_so_the_order_never_changes() {
        let e = explain(&engineer(), &role(), 0.3);
        let ranked = rank(vec![(3, e.clone()), (1, e.clone()), (2, e)]);
        assert_eq!(
            ranked.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn the_weights_sum_to_one() {
        let w = WEIGHTS;
        let sum = w.required_skills + w.nice_skills + w.jlpt + w.salary + w.location + w.text;
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
            engineer in any_engineer(), role in any_role(), text in 0.0f32..1.0, pick in 0usize..6, years in 0u8..15
        ) {
            prop_assume!(!role.required.is_empty());
            let (skill, _) = role.required[pick % role.required.len()].clone();
            prop_assume!(!engineer.skills.iter().any(|(s, _)| *s == skill));
            let mut better = engineer.clone();
            better.skills.push((skill, years));
            prop_assert!(explain(&better, &role, text).score >= explain(&engineer, &role, text).score);
        }

        #[test]
        fn more_years_of_a_skill_never_lower_the_score(
            engineer in any_engineer(), role in any_role(), text in 0.0f32..1.0, more in 1u8..10
        ) {
            prop_assume!(!engineer.skills.is_empty());
            let mut better = engineer.clone();
            better.skills[0].1 = better.skills[0].1.saturating_add(more);
            prop_assert!(explain(&better, &role, text).score >= explain(&engineer, &role, text).score);
        }

        #[test]
        fn meeting_the_jlpt_level_ranks_above_an_otherwise_identical_engineer_who_does_not(
            engineer in any_engineer(), role in any_role(), text in 0.0f32..1.0
        ) {
            let Some(required) = role.min_jlpt else { return Ok(()) };
            let below = JlptLevel::ALL.iter().copied().rev().find(|l| *l < required);
            let meets = EngineerFacts { jlpt: Some(required), ..engineer.clone() };
            let short = EngineerFacts { jlpt: below, ..engineer };
            let (a, b) = (explain(&meets, &role, text), explain(&short, &role, text));
            prop_assert!(a.score > b.score || (!b.eligible && a.eligible));
            let ranked = rank(vec![(2u32, b), (1u32, a)]);
            prop_assert_eq!(ranked[0].0, 1);
        }

        #[test]
        fn the_quick_score_is_the_explained_score(engineer in any_engineer(), role in any_role(), text in 0.0f32..1.0) {
            let quick = score(&engineer, &role, text);
            let explained = explain(&engineer, &role, text);
            prop_assert_eq!(quick.score, explained.score);
            prop_assert_eq!(quick.eligible, explained.eligible);
            prop_assert_eq!(quick.jlpt_gap, explained.jlpt_gap);
        }

        #[test]
        fn scores_stay_between_0_and_100(engineer in any_engineer(), role in any_role(), text in -1.0f32..2.0) {
            let e = explain(&engineer, &role, text);
            prop_assert!((0.0..=100.0).contains(&e.score), "{}", e.score);
        }
    }
}
