//! Facet counts: for each filter of a search, how many results each of its values would give,
//! counted over the index's fast fields (never by the database) by [`FacetCounter`], a
//! collector that adds each result's values into plain counters: a value's ordinal for text,
//! the number itself for small numbers, a band for salaries.
//!
//! Counts are what choosing the value would find: a facet whose filter is set is counted
//! without its own filter (the other prefectures' counts stay visible once one is chosen),
//! and the ordered filters ("at most N3", "at least 5 years", "a band reaching ¥6M") count
//! cumulatively, as the filter reads. Skills and languages narrow by each value chosen, so
//! they are counted within the results.
//!
//! [`count_page`] counts a page's total and every facet in one pass over the documents: a
//! document that passes every filter is a result, and one that misses a single set filter
//! still counts for that filter's facet. Each set filter would otherwise need a search of its
//! own, and each such search runs the words' query again.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{EnableScoring, Query, Scorer};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, TERMINATED};

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

/// Numbers at or above this are counted together: the numeric facets (JLPT ranks, flags,
/// years) are small, and every band of the years facet lies below it.
const NUMBER_SLOTS: usize = 64;

/// Counts the facets named (of a kind's) over the documents of a search, in the order a page
/// shows them. A document counts once for each value it holds (a profile's every skill).
pub(super) struct FacetCounter {
    specs: Vec<Spec>,
}

impl FacetCounter {
    pub(super) fn new(kind: Kind, names: &[&str]) -> FacetCounter {
        FacetCounter {
            specs: specs(kind)
                .iter()
                .filter(|s| names.contains(&s.name))
                .copied()
                .collect(),
        }
    }
}

/// One facet's counters in one segment.
pub(super) enum Counter {
    /// Per term ordinal of a text column (absent in a segment without the field).
    Text(Option<StrColumn>, Vec<u64>),
    /// Per number, the last slot holding every number from it up.
    Number(Column<u64>, Vec<u64>),
    /// Per band between `bounds`: below the first, between each two, from the last.
    Band(Column<i64>, Vec<i64>, Vec<u64>),
}

/// What a segment counted for one facet, ready to add across segments.
pub(super) enum Tallied {
    Text(HashMap<String, u64>),
    Number(Vec<u64>),
    Band(Vec<u64>),
}

impl Tallied {
    fn add(&mut self, other: Tallied) {
        match (self, other) {
            (Tallied::Text(mine), Tallied::Text(theirs)) => {
                for (value, n) in theirs {
                    *mine.entry(value).or_default() += n;
                }
            }
            (Tallied::Number(mine), Tallied::Number(theirs))
            | (Tallied::Band(mine), Tallied::Band(theirs)) => {
                for (m, t) in mine.iter_mut().zip(theirs) {
                    *m += t;
                }
            }
            // every segment's counters for a facet are made by the same spec
            _ => debug_assert!(false, "a facet's counts of two kinds"),
        }
    }
}

pub(super) struct SegmentFacetCounter {
    counters: Vec<Counter>,
}

impl Collector for FacetCounter {
    type Fruit = Vec<Facet>;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let columns = reader.fast_fields();
        let counters = self
            .specs
            .iter()
            .map(|spec| {
                Ok(match spec.count {
                    Count::Values { .. } => {
                        let column = columns.str(spec.field)?;
                        let terms = column.as_ref().map_or(0, |c| c.dictionary().num_terms());
                        Counter::Text(column, vec![0; terms])
                    }
                    Count::Flag
                    | Count::JlptAtMost
                    | Count::JlptAtLeast
                    | Count::YearsAtLeast(_) => {
                        Counter::Number(columns.u64(spec.field)?, vec![0; NUMBER_SLOTS])
                    }
                    Count::AtLeast(bands) => Counter::Band(
                        columns.i64(spec.field)?,
                        bands.to_vec(),
                        vec![0; bands.len() + 1],
                    ),
                    // at most X is below X + 1
                    Count::AtMost(bands) => Counter::Band(
                        columns.i64(spec.field)?,
                        bands.iter().map(|b| b + 1).collect(),
                        vec![0; bands.len() + 1],
                    ),
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(SegmentFacetCounter { counters })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        segments: Vec<tantivy::Result<Vec<Tallied>>>,
    ) -> tantivy::Result<Vec<Facet>> {
        let mut total: Option<Vec<Tallied>> = None;
        for segment in segments {
            let segment = segment?;
            match &mut total {
                None => total = Some(segment),
                Some(total) => {
                    for (mine, theirs) in total.iter_mut().zip(segment) {
                        mine.add(theirs);
                    }
                }
            }
        }
        let Some(total) = total else {
            // an index without segments: every facet counted nothing
            return Ok(self
                .specs
                .iter()
                .map(|spec| Facet {
                    name: spec.name.to_owned(),
                    values: values(spec.count, &Tallied::empty(spec.count)),
                })
                .collect());
        };
        Ok(self
            .specs
            .iter()
            .zip(total)
            .map(|(spec, tallied)| Facet {
                name: spec.name.to_owned(),
                values: values(spec.count, &tallied),
            })
            .collect())
    }
}

impl Tallied {
    fn empty(count: Count) -> Tallied {
        match count {
            Count::Values { .. } => Tallied::Text(HashMap::new()),
            Count::AtLeast(bands) | Count::AtMost(bands) => Tallied::Band(vec![0; bands.len() + 1]),
            _ => Tallied::Number(vec![0; NUMBER_SLOTS]),
        }
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = tantivy::Result<Vec<Tallied>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for counter in &mut self.counters {
            match counter {
                Counter::Text(Some(column), counts) => {
                    for ord in column.term_ords(doc) {
                        if let Some(n) = counts.get_mut(ord as usize) {
                            *n += 1;
                        }
                    }
                }
                Counter::Text(None, _) => {}
                Counter::Number(column, counts) => {
                    for value in column.values_for_doc(doc) {
                        counts[(value as usize).min(NUMBER_SLOTS - 1)] += 1;
                    }
                }
                Counter::Band(column, bounds, counts) => {
                    for value in column.values_for_doc(doc) {
                        counts[bounds.partition_point(|b| *b <= value)] += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.counters
            .into_iter()
            .map(|counter| {
                Ok(match counter {
                    Counter::Text(column, counts) => {
                        let mut by_value = HashMap::new();
                        if let Some(column) = column {
                            for (ord, n) in counts.into_iter().enumerate() {
                                if n == 0 {
                                    continue;
                                }
                                let mut value = String::new();
                                column.ord_to_str(ord as u64, &mut value)?;
                                by_value.insert(value, n);
                            }
                        }
                        Tallied::Text(by_value)
                    }
                    Counter::Number(_, counts) => Tallied::Number(counts),
                    Counter::Band(_, _, counts) => Tallied::Band(counts),
                })
            })
            .collect()
    }
}

/// A facet's values from its counts, as the filter reads them.
fn values(count: Count, tallied: &Tallied) -> Vec<FacetValue> {
    let value = |value: String, count: u64| FacetValue { value, count };
    match (count, tallied) {
        (Count::Values { size }, Tallied::Text(by_value)) => {
            let mut found: Vec<(&String, u64)> = by_value
                .iter()
                .filter(|(v, n)| !v.is_empty() && **n > 0)
                .map(|(v, n)| (v, *n))
                .collect();
            // most first; ties by value, so every index and segment layout lists them alike
            found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            found
                .into_iter()
                .take(size as usize)
                .map(|(v, n)| value(v.clone(), n))
                .collect()
        }
        (Count::Flag, Tallied::Number(counts)) => [("true", 1), ("false", 0)]
            .into_iter()
            .map(|(name, flag)| value(name.to_owned(), counts[flag]))
            .collect(),
        (Count::JlptAtMost, Tallied::Number(counts)) => {
            std::iter::once(value("none".to_owned(), counts[0]))
                .chain(JlptLevel::ALL.into_iter().map(|level| {
                    let rank = usize::from(level.rank());
                    value(level.code().to_owned(), counts[..=rank].iter().sum())
                }))
                .collect()
        }
        (Count::JlptAtLeast, Tallied::Number(counts)) => JlptLevel::ALL
            .into_iter()
            .map(|level| {
                let rank = usize::from(level.rank());
                value(level.code().to_owned(), counts[rank..].iter().sum())
            })
            .collect(),
        (Count::YearsAtLeast(bands), Tallied::Number(counts)) => bands
            .iter()
            .map(|band| {
                let from = (*band as usize).min(NUMBER_SLOTS - 1);
                value(band.to_string(), counts[from..].iter().sum())
            })
            .collect(),
        // bucket i + 1 starts at band i: a band's count is its bucket and every one above
        (Count::AtLeast(bands), Tallied::Band(counts)) => bands
            .iter()
            .enumerate()
            .map(|(i, band)| value(band.to_string(), counts.iter().skip(i + 1).sum()))
            .collect(),
        // bucket i ends below band i + 1: a band's count is its bucket and every one below
        (Count::AtMost(bands), Tallied::Band(counts)) => bands
            .iter()
            .enumerate()
            .map(|(i, band)| value(band.to_string(), counts.iter().take(i + 1).sum()))
            .collect(),
        _ => {
            debug_assert!(false, "counts of another kind than the facet's");
            Vec::new()
        }
    }
}

/// A set filter: the facet it narrows and what a document must match to pass it.
pub(super) struct SetFilter {
    pub(super) facet: &'static str,
    pub(super) query: Box<dyn Query>,
}

/// The number of documents of `results` that pass every one of `set` and the facets of `kind`
/// over them, in the order a page shows them: each set filter's facet over the documents that
/// pass every other filter, the rest over the results. One pass over `results`.
pub(super) fn count_page(
    searcher: &Searcher,
    kind: Kind,
    results: &dyn Query,
    set: &[SetFilter],
) -> tantivy::Result<(usize, Vec<Facet>)> {
    let scoring = EnableScoring::disabled_from_searcher(searcher);
    let results = results.weight(scoring)?;
    let filters = set
        .iter()
        .map(|filter| filter.query.weight(scoring))
        .collect::<tantivy::Result<Vec<_>>>()?;
    let shared_names: Vec<&str> = names(kind)
        .filter(|name| !set.iter().any(|f| f.facet == *name))
        .collect();
    let shared = FacetCounter::new(kind, &shared_names);
    let own: Vec<FacetCounter> = set
        .iter()
        .map(|filter| FacetCounter::new(kind, &[filter.facet]))
        .collect();

    // each segment on the searcher's executor (in parallel when it has threads)
    let count_segment = |(ord, segment): (usize, &SegmentReader)| {
        let ord = ord as SegmentOrdinal;
        let mut total = 0;
        let mut shared_counts = shared.for_segment(ord, segment)?;
        let mut own_counts = own
            .iter()
            .map(|counter| counter.for_segment(ord, segment))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut passes = filters
            .iter()
            .map(|weight| weight.scorer(segment, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let mut docs = results.scorer(segment, 1.0)?;
        let mut positions = vec![TERMINATED; passes.len()];
        let mut doc = docs.doc();
        while doc != TERMINATED {
            // each filter's first document from this one on
            for (position, pass) in positions.iter_mut().zip(&mut passes) {
                *position = seek_to(pass, doc);
            }
            let mut missed = (0..positions.len()).filter(|&i| positions[i] != doc);
            match (missed.next(), missed.next()) {
                _ if segment.is_deleted(doc) => {}
                (None, _) => {
                    total += 1;
                    shared_counts.collect(doc, 0.0);
                    for counts in &mut own_counts {
                        counts.collect(doc, 0.0);
                    }
                }
                (Some(i), None) => own_counts[i].collect(doc, 0.0),
                (Some(_), Some(_)) => {
                    // a document that counts misses one filter at most, so the next one lies
                    // at or after the second-to-last of the filters' next documents
                    let (_, &mut next, _) = positions.select_nth_unstable(passes.len() - 2);
                    if next == TERMINATED {
                        break;
                    }
                    doc = docs.seek(next);
                    continue;
                }
            }
            doc = docs.advance();
        }
        let own_harvest: Vec<_> = own_counts.into_iter().map(|c| c.harvest()).collect();
        Ok((total, shared_counts.harvest(), own_harvest))
    };
    let segments = searcher
        .index()
        .search_executor()
        .map(count_segment, searcher.segment_readers().iter().enumerate())?;

    let mut total = 0;
    let mut shared_fruits = Vec::new();
    let mut own_fruits: Vec<Vec<_>> = own.iter().map(|_| Vec::new()).collect();
    for (segment_total, shared_fruit, own_harvest) in segments {
        total += segment_total;
        shared_fruits.push(shared_fruit);
        for (fruits, fruit) in own_fruits.iter_mut().zip(own_harvest) {
            fruits.push(fruit);
        }
    }

    let mut facets = shared.merge_fruits(shared_fruits)?;
    for (counter, fruits) in own.iter().zip(own_fruits) {
        facets.extend(counter.merge_fruits(fruits)?);
    }
    facets.sort_by_key(|facet| names(kind).position(|name| name == facet.name));
    Ok((total, facets))
}

/// The first document of `docs` from `doc` on (documents only move forward).
fn seek_to(docs: &mut Box<dyn Scorer>, doc: DocId) -> DocId {
    if docs.doc() < doc {
        docs.seek(doc)
    } else {
        docs.doc()
    }
}
