//! Where in Japan a search names: the 47 prefectures and the cities where employers are
//! (`data/cities.toml`), in Latin letters, Japanese and Devanagari. "Kumamoto", 熊本市 and
//! 菊陽 all find roles in Kumamoto prefecture (a role records its prefecture).

use std::collections::HashMap;

use serde::Deserialize;

use crate::geo::{Prefecture, PREFECTURES};
use crate::lexicon::{fold, Lexicon};

/// A city, with the prefecture it is in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct City {
    pub en: String,
    pub ja: Vec<String>,
    #[serde(default)]
    pub hi: String,
    /// A prefecture code of [`PREFECTURES`].
    pub prefecture: String,
}

#[derive(Deserialize)]
struct CitiesFile {
    city: Vec<City>,
}

/// Why the cities file was refused.
#[derive(Debug, thiserror::Error)]
pub enum PlacesError {
    #[error("cities file is not valid toml: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("the city {0} names an unknown prefecture")]
    UnknownPrefecture(String),
}

/// The names of prefectures and cities, each to its prefecture.
#[derive(Debug, Clone)]
pub struct Places {
    lexicon: Lexicon,
}

const CITIES: &str = include_str!("../data/cities.toml");

impl Places {
    /// The prefectures' names (with and without 都, 府, 県; Hokkaido keeps 道) and the cities'
    /// of `cities_toml`. A city name shared by two prefectures (Fuchu is in Tokyo and in
    /// Hiroshima) is left out: it cannot say which is meant; a prefecture's own name wins over a
    /// city's.
    pub fn parse(cities_toml: &str) -> Result<Places, PlacesError> {
        let file: CitiesFile = toml::from_str(cities_toml)?;
        let mut names: Vec<(String, usize)> = Vec::new();
        for (index, prefecture) in PREFECTURES.iter().enumerate() {
            let ja = prefecture.name.ja;
            let bare = ja
                .strip_suffix('県')
                .or_else(|| ja.strip_suffix('府'))
                .or_else(|| ja.strip_suffix('都'))
                .unwrap_or(ja);
            for name in [
                prefecture.name.en,
                ja,
                bare,
                prefecture.name.hi,
                prefecture.code,
            ] {
                names.push((name.to_owned(), index));
            }
        }
        let taken: HashMap<String, usize> = names.iter().map(|(n, i)| (fold(n), *i)).collect();
        let mut city_names: HashMap<String, (String, Option<usize>)> = HashMap::new();
        for city in &file.city {
            let index = PREFECTURES
                .iter()
                .position(|p| p.code == city.prefecture)
                .ok_or_else(|| PlacesError::UnknownPrefecture(city.en.clone()))?;
            let hi = (!city.hi.is_empty()).then_some(&city.hi);
            for name in std::iter::once(&city.en).chain(&city.ja).chain(hi) {
                let key = fold(name);
                if key.is_empty() || taken.contains_key(&key) {
                    continue;
                }
                city_names
                    .entry(key)
                    .and_modify(|(_, seen)| {
                        if *seen != Some(index) {
                            *seen = None;
                        }
                    })
                    .or_insert((name.clone(), Some(index)));
            }
        }
        names.extend(
            city_names
                .into_values()
                .filter_map(|(name, index)| Some((name, index?))),
        );
        let lexicon =
            Lexicon::new(names.iter().map(|(n, i)| (n.as_str(), *i)), false).unwrap_or_default();
        Ok(Places { lexicon })
    }

    /// The places shipped with Setubashi; checked by a test, so a failure is a build defect and
    /// falls back to the prefectures alone.
    pub fn builtin() -> Places {
        static PARSED: std::sync::OnceLock<Places> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                Places::parse(CITIES).unwrap_or_else(|_| {
                    Places::parse("city = []").unwrap_or(Places {
                        lexicon: Lexicon::default(),
                    })
                })
            })
            .clone()
    }

    /// The prefectures a text names, directly or through a city, in the order they appear.
    pub fn prefectures_in_text(&self, text: &str) -> Vec<&'static Prefecture> {
        self.lexicon
            .find_in_text(text)
            .into_iter()
            .filter_map(|index| PREFECTURES.get(index))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(places: &Places, text: &str) -> Vec<&'static str> {
        places
            .prefectures_in_text(text)
            .iter()
            .map(|p| p.code)
            .collect()
    }

    #[test]
    fn the_builtin_cities_are_valid() {
        let parsed = Places::parse(CITIES);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    #[test]
    fn a_prefecture_or_city_in_any_script_names_its_prefecture() {
        let places = Places::builtin();
        assert_eq!(codes(&places, "Tokyo"), vec!["tokyo"]);
        assert_eq!(codes(&places, "東京"), vec!["tokyo"]);
        assert_eq!(codes(&places, "東京都の組み込み"), vec!["tokyo"]);
        assert_eq!(codes(&places, "embedded Kumamoto"), vec!["kumamoto"]);
        assert_eq!(codes(&places, "熊本県"), vec!["kumamoto"]);
        assert_eq!(codes(&places, "Yokohama"), vec!["kanagawa"]);
        assert_eq!(codes(&places, "豊田市"), vec!["aichi"]);
        assert!(codes(&places, "python developer").is_empty());
    }

    #[test]
    fn a_city_of_an_unknown_prefecture_is_refused_and_a_shared_name_left_out() {
        let unknown =
            "[[city]]\nen = \"Atlantis\"\nja = [\"アトランティス\"]\nprefecture = \"nowhere\"\n";
        assert!(matches!(
            Places::parse(unknown),
            Err(PlacesError::UnknownPrefecture(_))
        ));
        let shared = "[[city]]\nen = \"Fuchu\"\nja = [\"府中\"]\nprefecture = \"tokyo\"\n\
                      [[city]]\nen = \"Fuchu\"\nja = [\"府中\"]\nprefecture = \"hiroshima\"\n";
        let places = Places::parse(shared).unwrap();
        assert!(codes(&places, "Fuchu").is_empty());
    }
}
