//! The Japanese-Language Proficiency Test (JLPT): N5 (basic) to N1 (advanced).

use serde::{Deserialize, Serialize};

/// A JLPT level. Ordered so that `N1 > N5`: a higher level is more Japanese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum JlptLevel {
    N5,
    N4,
    N3,
    N2,
    N1,
}

impl JlptLevel {
    pub const ALL: [JlptLevel; 5] = [
        JlptLevel::N5,
        JlptLevel::N4,
        JlptLevel::N3,
        JlptLevel::N2,
        JlptLevel::N1,
    ];

    pub fn code(self) -> &'static str {
        match self {
            JlptLevel::N5 => "N5",
            JlptLevel::N4 => "N4",
            JlptLevel::N3 => "N3",
            JlptLevel::N2 => "N2",
            JlptLevel::N1 => "N1",
        }
    }

    /// Parses `N1`..`N5` (case-insensitive, full-width letters allowed: Ｎ２).
    pub fn parse(raw: &str) -> Option<JlptLevel> {
        let folded: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                'Ｎ' | 'ｎ' => 'N',
                '１'..='５' => char::from_u32(c as u32 - '１' as u32 + '1' as u32).unwrap_or(c),
                other => other.to_ascii_uppercase(),
            })
            .collect();
        JlptLevel::ALL.into_iter().find(|l| l.code() == folded)
    }

    /// 1 for N5 up to 5 for N1: the number of steps above having no certificate.
    pub fn rank(self) -> u8 {
        self as u8 + 1
    }

    /// Whether someone holding `held` (or nothing) meets this required level.
    pub fn is_met_by(self, held: Option<JlptLevel>) -> bool {
        held.is_some_and(|h| h >= self)
    }

    /// How many levels `held` falls short of this required level (0 when met).
    pub fn gap(self, held: Option<JlptLevel>) -> u8 {
        let held_rank = held.map_or(0, JlptLevel::rank);
        self.rank().saturating_sub(held_rank)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n1_is_the_highest_level() {
        assert!(JlptLevel::N1 > JlptLevel::N2);
        assert!(JlptLevel::N5 < JlptLevel::N4);
        assert_eq!(JlptLevel::ALL.iter().max(), Some(&JlptLevel::N1));
    }

    #[test]
    fn levels_parse_in_any_width_and_case() {
        assert_eq!(JlptLevel::parse("n2"), Some(JlptLevel::N2));
        assert_eq!(JlptLevel::parse("Ｎ１"), Some(JlptLevel::N1));
        assert_eq!(JlptLevel::parse(" N5 "), Some(JlptLevel::N5));
        assert_eq!(JlptLevel::parse("N6"), None);
        assert_eq!(JlptLevel::parse(""), None);
        for level in JlptLevel::ALL {
            assert_eq!(JlptLevel::parse(level.code()), Some(level));
        }
    }

    #[test]
    fn a_level_is_met_by_itself_and_every_higher_level_only() {
        for required in JlptLevel::ALL {
            assert!(!required.is_met_by(None));
            for held in JlptLevel::ALL {
                assert_eq!(required.is_met_by(Some(held)), held >= required);
                assert_eq!(required.gap(Some(held)) == 0, held >= required);
            }
        }
    }

    #[test]
    fn the_gap_counts_levels_short_including_having_none() {
        assert_eq!(JlptLevel::N2.gap(Some(JlptLevel::N3)), 1);
        assert_eq!(JlptLevel::N1.gap(Some(JlptLevel::N5)), 4);
        assert_eq!(JlptLevel::N5.gap(None), 1);
        assert_eq!(JlptLevel::N1.gap(None), 5);
        assert_eq!(JlptLevel::N3.gap(Some(JlptLevel::N1)), 0);
    }
}
