//! Facet counts: for each filter of a search, how many results each of its values would give,
//! counted by tantivy's aggregations over the index's fast fields (never by the database).
//!
//! Counts are what choosing the value would find: a facet whose filter is set is counted
//! without its own filter (the other prefectures' counts stay visible once one is chosen),
//! and the ordered filters ("at most N3", "at least 5 years", "a band reaching ¥6M") count
//! cumulatively, as the filter reads. Skills and languages narrow by each value chosen, so
//! they are counted within the results.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use domain::jlpt::JlptLevel;

use super::Kind;

pub const JLPT: &str = "jlpt";
pub const PREFECTURE: &str = "prefecture";
pub const STATE: &str = "state";
pub const SECTOR: &str = "sector";
pub const REMOTE: &str = "remote";
pub const VISA: &str = "visa";
pub const ABROAD: &str = "abroad";
pub const CERTIFIED: &str = "certified";
pub const YEARS: &str = "years";
pub const ROUTE: &str = "route";
pub const SALARY: &str = "salary";
pub const LANGUAGES: &str = "languages";
pub const SKILLS: &str = "skills";

/// One value of a facet and how many results choosing it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValue {
    /// The value as the filter takes it: a code (`tokyo`, `N3`, `true`) or a number (yen,
    /// years).
    pub value: String,
    pub count: u64,
}

/// The counts of one filter's values, in the filter's order (ordered values) or most first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub name: String,
    pub values: Vec<FacetValue>,
}

/// How a facet's values are read from the index and what a count means.
#[derive(Debug, Clone, Copy)]
enum Count {
    /// Each stored value and its number, most first (text codes).
    Values { size: u32 },
    /// A 0/1 field read as `false` / `true`.
    Flag,
    /// JLPT rank: results at most each level (roles asking it or less).
    JlptAtMost,
    /// JLPT rank: results at least each level (engineers holding it or more).
    JlptAtLeast,
    /// Results with at least each number of years.
    YearsAtLeast(&'static [u64]),
    /// Results whose number reaches each band (a role's salary band reaching ¥X).
    AtLeast(&'static [i64]),
    /// Results whose number stays within each band (an engineer's salary wish at most ¥X;
    /// no wish is 0 and counts).
    AtMost(&'static [i64]),
}

#[derive(Debug, Clone, Copy)]
struct Spec {
    name: &'static str,
    field: &'static str,
    count: Count,
}

const ROLE_SALARY_BANDS: &[i64] = &[
    4_000_000, 5_000_000, 6_000_000, 7_000_000, 8_000_000, 10_000_000, 12_000_000,
];
const WISH_SALARY_BANDS: &[i64] = &[
    4_000_000, 5_000_000, 6_000_000, 7_000_000, 8_000_000, 10_000_000,
];
const YEAR_BANDS: &[u64] = &[1, 3, 5, 8, 10, 15];

const ROLE_FACETS: &[Spec] = &[
    Spec {
        name: JLPT,
        field: "jlpt",
        count: Count::JlptAtMost,
    },
    Spec {
        name: PREFECTURE,
        field: "place",
        count: Count::Values { size: 60 },
    },
    Spec {
        name: SECTOR,
        field: "sector",
        count: Count::Values { size: 30 },
    },
    Spec {
        name: REMOTE,
        field: "remote",
        count: Count::Values { size: 5 },
    },
    Spec {
        name: VISA,
        field: "visa",
        count: Count::Flag,
    },
    Spec {
        name: ABROAD,
        field: "abroad",
        count: Count::Flag,
    },
    Spec {
        name: SALARY,
        field: "salary_max",
        count: Count::AtLeast(ROLE_SALARY_BANDS),
    },
];

const ENGINEER_FACETS: &[Spec] = &[
    Spec {
        name: JLPT,
        field: "jlpt",
        count: Count::JlptAtLeast,
    },
    Spec {
        name: CERTIFIED,
        field: "certified",
        count: Count::Flag,
    },
    Spec {
        name: STATE,
        field: "place",
        count: Count::Values { size: 50 },
    },
    Spec {
        name: YEARS,
        field: "years",
        count: Count::YearsAtLeast(YEAR_BANDS),
    },
    Spec {
        name: SALARY,
        field: "salary_max",
        count: Count::AtMost(WISH_SALARY_BANDS),
    },
    Spec {
        name: ROUTE,
        field: "route",
        count: Count::Values { size: 10 },
    },
    Spec {
        name: LANGUAGES,
        field: "languages",
        count: Count::Values { size: 20 },
    },
    Spec {
        name: SKILLS,
        field: "skills",
        count: Count::Values { size: 40 },
    },
];

fn specs(kind: Kind) -> &'static [Spec] {
    match kind {
        Kind::Role => ROLE_FACETS,
        Kind::Engineer => ENGINEER_FACETS,
    }
}

/// The names of a kind's facets, in the order a page shows them.
pub fn names(kind: Kind) -> impl Iterator<Item = &'static str> {
    specs(kind).iter().map(|s| s.name)
}

/// The aggregation request counting `names` (of `kind`'s facets), in tantivy's
/// Elasticsearch-compatible form.
pub(super) fn request(kind: Kind, names: &[&str]) -> Value {
    let mut aggs = Map::new();
    for spec in specs(kind).iter().filter(|s| names.contains(&s.name)) {
        let agg = match spec.count {
            Count::Values { size } => json!({ "terms": { "field": spec.field, "size": size } }),
            Count::Flag | Count::JlptAtMost | Count::JlptAtLeast | Count::YearsAtLeast(_) => {
                // few distinct values: every one counted, then folded as the facet reads
                json!({ "terms": { "field": spec.field, "size": 100 } })
            }
            Count::AtLeast(bands) => json!({ "range": { "field": spec.field,
                "ranges": ranges(bands.iter().map(|b| *b as f64)) } }),
            // at most X is below X + 1
            Count::AtMost(bands) => json!({ "range": { "field": spec.field,
                "ranges": ranges(bands.iter().map(|b| *b as f64 + 1.0)) } }),
        };
        aggs.insert(spec.name.to_owned(), agg);
    }
    Value::Object(aggs)
}

/// Contiguous ranges split at each bound: below the first, between each two, from the last.
fn ranges(bounds: impl Iterator<Item = f64>) -> Value {
    let bounds: Vec<f64> = bounds.collect();
    let mut out = vec![json!({ "to": bounds[0] })];
    for pair in bounds.windows(2) {
        out.push(json!({ "from": pair[0], "to": pair[1] }));
    }
    out.push(json!({ "from": bounds[bounds.len() - 1] }));
    Value::Array(out)
}

/// Reads the counts of the facets of `kind` out of an aggregation result (as JSON).
pub(super) fn read(kind: Kind, result: &Value) -> Vec<Facet> {
    specs(kind)
        .iter()
        .filter_map(|spec| {
            let buckets = result.get(spec.name)?.get("buckets")?.as_array()?;
            Some(Facet {
                name: spec.name.to_owned(),
                values: values(spec.count, buckets),
            })
        })
        .collect()
}

fn key_number(bucket: &Value) -> Option<u64> {
    let key = bucket.get("key")?;
    key.as_u64().or_else(|| key.as_f64().map(|k| k as u64))
}

fn doc_count(bucket: &Value) -> u64 {
    bucket
        .get("doc_count")
        .and_then(Value::as_u64)
        .unwrap_or_default()
}

fn values(count: Count, buckets: &[Value]) -> Vec<FacetValue> {
    let numbers = || {
        buckets
            .iter()
            .filter_map(|b| Some((key_number(b)?, doc_count(b))))
    };
    let sum = |keep: &dyn Fn(u64) -> bool| -> u64 {
        numbers().filter(|(k, _)| keep(*k)).map(|(_, n)| n).sum()
    };
    let value = |value: String, count: u64| FacetValue { value, count };
    match count {
        Count::Values { .. } => buckets
            .iter()
            .filter_map(|b| {
                let key = b.get("key")?;
                let key = key
                    .as_str()
                    .map(str::to_owned)
                    .or_else(|| key_number(b).map(|n| n.to_string()))?;
                (!key.is_empty()).then(|| value(key, doc_count(b)))
            })
            .collect(),
        Count::Flag => [("true", 1), ("false", 0)]
            .into_iter()
            .map(|(name, flag)| value(name.to_owned(), sum(&|k| k == flag)))
            .collect(),
        Count::JlptAtMost => std::iter::once(value("none".to_owned(), sum(&|k| k == 0)))
            .chain(JlptLevel::ALL.into_iter().map(|level| {
                let rank = u64::from(level.rank());
                value(level.code().to_owned(), sum(&|k| k <= rank))
            }))
            .collect(),
        Count::JlptAtLeast => JlptLevel::ALL
            .into_iter()
            .map(|level| {
                let rank = u64::from(level.rank());
                value(level.code().to_owned(), sum(&|k| k >= rank))
            })
            .collect(),
        Count::YearsAtLeast(bands) => bands
            .iter()
            .map(|band| value(band.to_string(), sum(&|k| k >= *band)))
            .collect(),
        Count::AtLeast(bands) => {
            // bucket i + 1 starts at band i: a band's count is its bucket and every one above
            let counts: Vec<u64> = buckets.iter().map(doc_count).collect();
            bands
                .iter()
                .enumerate()
                .map(|(i, band)| value(band.to_string(), counts.iter().skip(i + 1).sum()))
                .collect()
        }
        Count::AtMost(bands) => {
            // bucket i ends below band i + 1: a band's count is its bucket and every one below
            let counts: Vec<u64> = buckets.iter().map(doc_count).collect();
            bands
                .iter()
                .enumerate()
                .map(|(i, band)| value(band.to_string(), counts.iter().take(i + 1).sum()))
                .collect()
        }
    }
}
