//! The tantivy index of engineer profiles and roles: derived from the database (which stays the
//! source of truth), searched by text in any language and by skill ids, and ranked with the
//! explained scores of `domain::matching`.
//!
//! Only what may be found is indexed: hidden profiles and closed roles are removed, so no search
//! can return them.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, RwLock};

use domain::geo::{Prefecture, Sector};
use domain::glossary::{Glossary, Term as GlossaryTerm};
use domain::jlpt::JlptLevel;
use domain::matching::{self, EngineerFacts, Explanation, RoleFacts};
use domain::places::Places;
use domain::skills::{SkillId, Taxonomy};
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{self, normalise};

pub mod facets;
mod page;
mod ranking;

use crate::language::{analyser_runs, Analyser, Detector};
use crate::phrases::{self, PhraseSet};
use crate::SearchError;
pub use facets::{Facet, FacetValue};
pub use page::{Order, SearchPage, FIT_POOL};
pub use ranking::skill_code;

/// Bumped whenever the schema or the analysis changes (the glossary too: its phrases are marked
/// when a text is indexed): an index of another version is rebuilt. 10: a skill listed twice is
/// indexed once. 11: roles hold a years' value (0), so that the years' column is full.
pub const SCHEMA_VERSION: u32 = 11;
const VERSION_FILE: &str = "setubashi-schema-version";

/// What a document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Engineer,
    Role,
}

impl Kind {
    /// Its place in per-kind arrays.
    fn slot(self) -> usize {
        match self {
            Kind::Engineer => 0,
            Kind::Role => 1,
        }
    }

    fn code(self) -> u64 {
        match self {
            Kind::Engineer => 0,
            Kind::Role => 1,
        }
    }
}

/// An emptied index being filled again, holding its writer (see [`SearchIndex::refill`]).
/// [`finish`](Refill::finish) commits it; dropped unfinished (a rebuild whose reads failed, a
/// panic), it rolls the writer back to the last commit, so no later commit publishes an
/// emptied or half-filled index.
pub struct Refill<'a>(HeldWriter<'a>);

/// The index's writer, held by one writer from its first change to its commit; dropped
/// uncommitted, it rolls back to the last commit, the staged facts with it. Nothing else is
/// lost: every writer holds the writer this way ([`Batch`], [`Refill`]), so what is
/// uncommitted is the holder's own.
struct HeldWriter<'a> {
    index: &'a SearchIndex,
    writer: std::sync::MutexGuard<'a, IndexWriter>,
    committed: bool,
    /// What holds it, for the log.
    what: &'static str,
}

impl Drop for HeldWriter<'_> {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if let Err(err) = self.writer.rollback() {
            tracing::error!(error = %err, "rolling back an unfinished {} failed", self.what);
        }
        match self.index.staged_facts.lock() {
            Ok(mut staged) => staged.clear(),
            Err(_) => tracing::error!("facts lock poisoned while rolling back a {}", self.what),
        }
    }
}

impl HeldWriter<'_> {
    /// Commits with `payload` in the commit's metadata (see
    /// [`SearchIndex::commit_with_payload`]), still holding the writer: nothing else is written
    /// between the last change and the commit.
    fn commit(&mut self, payload: &str) -> Result<(), SearchError> {
        self.index.commit_held(&mut self.writer, Some(payload))?;
        self.committed = true;
        Ok(())
    }
}

/// Changes written through the writer held from the first to their commit (see
/// [`SearchIndex::batch`]); dropped uncommitted, it rolls them back.
///
/// Why hold it: a [`Refill`] empties the index with tantivy's `delete_all_documents`, which
/// drops the committed segments but not the documents added since the last commit. An upsert
/// that let go of the writer before its commit, with a rebuild coming in between, left its
/// record in the index twice (its copy, and the rebuild's) until the record changed again.
pub struct Batch<'a>(HeldWriter<'a>);

impl Batch<'_> {
    /// Adds or replaces an engineer profile.
    pub fn upsert_profile(&mut self, doc: &ProfileDoc) -> Result<(), SearchError> {
        self.0.index.write_profile(&self.0.writer, doc)
    }

    /// Adds or replaces a role.
    pub fn upsert_role(&mut self, doc: &RoleDoc) -> Result<(), SearchError> {
        self.0.index.write_role(&self.0.writer, doc)
    }

    /// Removes a record (a hidden profile, a closed role); nothing if it is not there.
    pub fn remove(&mut self, kind: Kind, id: i32) -> Result<(), SearchError> {
        self.0.index.write_removal(&self.0.writer, kind, id)
    }

    /// Commits the changes with `payload` in the commit's metadata.
    pub fn commit(mut self, payload: &str) -> Result<(), SearchError> {
        self.0.commit(payload)
    }
}

impl Refill<'_> {
    /// Commits the refilled index with `payload` in its commit metadata, still holding the
    /// writer.
    pub fn finish(mut self, payload: &str) -> Result<(), SearchError> {
        self.0.commit(payload)
    }

    /// Adds a profile; each is added once (the index was emptied).
    pub fn add_profile(&mut self, doc: &ProfileDoc) -> Result<(), SearchError> {
        let document = self.0.index.profile_document(doc)?;
        self.0.writer.add_document(document)?;
        Ok(())
    }

    /// Adds a role; each is added once (the index was emptied).
    pub fn add_role(&mut self, doc: &RoleDoc) -> Result<(), SearchError> {
        let document = self.0.index.role_document(doc)?;
        self.0.writer.add_document(document)?;
        self.0.index.stage_role(doc)
    }
}

/// The writer's memory for documents not yet written as a segment, shared among its indexing
/// threads (one per core): each thread writes a segment when its share is full. Used only while
/// documents are added: a rebuild's budget, freed at each segment.
const WRITER_MEMORY: usize = 128 * 1024 * 1024;

/// An engineer profile as the index sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileDoc {
    pub id: i32,
    /// Name, headline and summary, in whatever languages they were written.
    pub text: String,
    pub facts: EngineerFacts,
    pub indian_state: Option<String>,
    /// The JLPT level is backed by a certificate (not only declared).
    pub jlpt_certified: bool,
    pub years_experience: u8,
    /// The visa route of interest's code (`hsp`, `engineer_specialist`, …).
    pub visa_interest: String,
    /// Languages spoken, as ISO 639-1 codes.
    pub languages: Vec<String>,
    /// When the profile was first saved, in seconds since the epoch: a saved search's "new".
    pub created_at: i64,
    /// The first day the person could start, in days since the epoch; `None` for now.
    #[serde(default)]
    pub available_from: Option<i64>,
}

/// A role as the index sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDoc {
    pub id: i32,
    /// Titles and descriptions in Japanese and English.
    pub text: String,
    pub facts: RoleFacts,
    /// The employer's sector code (`semiconductors`): a sector word in a query finds it.
    pub sector: String,
    pub salary_min_jpy: i64,
    pub prefecture: String,
    pub remote_policy: String,
    pub visa_sponsorship: bool,
    /// When it was posted, in seconds since the epoch: "newest first" sorts on it.
    pub created_at: i64,
}

/// Filters on role searches, as job boards offer them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filters {
    /// Only roles whose JLPT requirement is at or below this level (none required counts).
    pub jlpt_at_most: Option<Option<JlptLevel>>,
    pub prefecture: Option<String>,
    pub visa_sponsorship: Option<bool>,
    pub remote_policy: Option<String>,
    /// Roles whose band reaches at least this salary.
    pub salary_at_least: Option<i64>,
    /// Skill ids that must all be present.
    pub skills: Vec<SkillId>,
    /// Roles of this sector (the role's own, else its organisation's).
    pub sector: Option<String>,
    /// Only roles that take applications from abroad.
    pub abroad: Option<bool>,
    /// Engineers: at least this JLPT level.
    pub jlpt_at_least: Option<JlptLevel>,
    /// Engineers: the JLPT level is certified.
    pub jlpt_certified: Option<bool>,
    /// Engineers: from this Indian state.
    pub indian_state: Option<String>,
    /// Engineers: at least this many years of experience.
    pub years_at_least: Option<u8>,
    /// Engineers: a salary wish at most this (JPY); no wish stated counts.
    pub salary_wish_at_most: Option<i64>,
    /// Engineers: interested in this visa route.
    pub visa_interest: Option<String>,
    /// Engineers: speaking every one of these languages.
    pub languages: Vec<String>,
    /// Engineers: holding each skill for at least so many years.
    pub skill_years: Vec<(SkillId, u8)>,
    /// Only records made at or after this time (seconds since the epoch): what is new since a
    /// saved search last looked.
    pub created_after: Option<i64>,
    /// Engineers: able to start by this day (days since the epoch); no date given counts.
    pub available_by: Option<i64>,
}

/// What a query names besides its words (see [`SearchIndex::read_query`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryReading {
    pub skills: Vec<SkillId>,
    /// Job-ad words found, each with its words in every language.
    pub terms: Vec<GlossaryTerm>,
    pub sectors: Vec<Sector>,
    pub prefectures: Vec<&'static Prefecture>,
}

impl QueryReading {
    /// The job-ad words found, in every language, as one text (commas keep them apart).
    fn other_words(&self) -> String {
        self.terms
            .iter()
            .flat_map(GlossaryTerm::words)
            .collect::<Vec<_>>()
            .join(" , ")
    }
}

/// Which words are in most documents of a kind: a word in more than a fifth of the profiles
/// (or of the roles) says almost nothing about which of them to show (the idea of Lucene's
/// `CommonTermsQuery`). A fifth takes in words such as "engineer" (in most profiles) or
/// エンジニア (in most roles' titles) and leaves skills and specialisms ("embedded",
/// "verification": a few percent each) choosing. A word must also be in a thousand documents
/// or more: in a small index a fifth is a handful of documents, which says little about the
/// word, and a page of all of them is cheap.
///
/// tantivy counts a term's documents over both kinds at once. The kind's share is read from
/// bounds first: a word the other kind could account for all but a fifth of is common, and
/// one whose documents could not make a fifth is not. Only a word between the two (a big
/// word in a role search, where profiles outnumber roles ten to one) is counted, by
/// intersecting its documents with the kind's.
struct CommonWords {
    searcher: tantivy::Searcher,
    kind: Term,
    /// Documents of the kind, and of the other kind.
    of_kind: u64,
    others: u64,
    /// What was counted, by term: a word in several of the glossary's phrases (エンジニア in a
    /// role search) is counted once per query, not once per phrase.
    counted: std::cell::RefCell<HashMap<Term, u64>>,
}

impl CommonWords {
    /// More than `1 / COMMON_SHARE` of the kind's documents: common.
    const COMMON_SHARE: u64 = 5;
    /// And in at least this many.
    const COMMON_AT_LEAST: u64 = 1_000;

    fn of(searcher: tantivy::Searcher, kind_field: Field, kind: Kind) -> CommonWords {
        let kind = Term::from_field_u64(kind_field, kind.code());
        let of_kind = searcher.doc_freq(&kind).unwrap_or(0);
        let others = searcher.num_docs().saturating_sub(of_kind);
        CommonWords {
            searcher,
            kind,
            of_kind,
            others,
            counted: Default::default(),
        }
    }

    /// How many documents of the kind hold `term`: the bounds when they decide, else counted.
    fn held(&self, term: &Term) -> u64 {
        /// A word in fewer documents than this (of both kinds) is counted when the bounds
        /// cannot tell whether the kind holds it at all: a pass over so few is cheap.
        const CHEAP_TO_COUNT: u64 = 10_000;
        let both = self.searcher.doc_freq(term).unwrap_or(0);
        let at_least = both.saturating_sub(self.others);
        let at_most = both.min(self.of_kind);
        if self.common(at_least) {
            return at_least;
        }
        // count when the kind may hold it in most documents, or perhaps in none (cheaply)
        let maybe_none = at_least == 0 && at_most > 0 && both < CHEAP_TO_COUNT;
        let must_count = self.common(at_most) || maybe_none;
        if !must_count {
            return at_most;
        }
        if let Some(held) = self.counted.borrow().get(term) {
            return *held;
        }
        let of_kind = BooleanQuery::intersection(vec![
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::Basic)) as Box<dyn Query>,
            Box::new(TermQuery::new(self.kind.clone(), IndexRecordOption::Basic)),
        ]);
        let held = self
            .searcher
            .search(&of_kind, &tantivy::collector::Count)
            .map_or(at_most, |n| n as u64);
        self.counted.borrow_mut().insert(term.clone(), held);
        held
    }

    fn common(&self, held: u64) -> bool {
        held >= Self::COMMON_AT_LEAST && held * Self::COMMON_SHARE > self.of_kind
    }

    /// Held by some documents of the kind but not most: a clause of it chooses results.
    fn selects(&self, term: &Term) -> bool {
        self.chooses(self.held(term))
    }

    fn chooses(&self, held: u64) -> bool {
        held > 0 && !self.common(held)
    }
}

/// What a query's words look for ([`SearchIndex::words_clause`]).
pub(crate) struct Words {
    pub query: Box<dyn Query>,
    /// The typed words in most documents of the kind that, beside a word that chooses, only
    /// ordered the results: what a page says about them. Empty when none did.
    pub ordering: Vec<String>,
}

/// The clauses of a query's words, each with whether it may choose results, and the typed
/// words' terms that are common.
struct WordClauses {
    clauses: Vec<(Box<dyn Query>, bool)>,
    common_typed: Vec<Term>,
}

/// How match candidates are retrieved before scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retrieval {
    /// Documents holding one of the skills, the text adding to their relevance; the text alone
    /// retrieves only when too few hold any (the default).
    SkillsFirst,
    /// Documents holding one of the skills *or* matching the text: wider, and slower, since
    /// common title words match nearly everything.
    SkillsOrText,
}

/// One result: the record's id, its text relevance, and (for matches) the explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub id: i32,
    pub relevance: f32,
    pub explanation: Option<Explanation>,
}

#[derive(Clone, Copy)]
struct Fields {
    kind: Field,
    id: Field,
    key: Field,
    text_en: Field,
    text_ja: Field,
    text_indic: Field,
    /// The glossary's phrases each text holds, one marker term each (`crate::phrases`), per
    /// analyser: English, Japanese, Indic.
    phrases: [Field; 3],
    skills: Field,
    sector: Field,
    jlpt: Field,
    salary_max: Field,
    place: Field,
    remote: Field,
    visa: Field,
    abroad: Field,
    created: Field,
    /// Engineers: the first day they could start (days since the epoch; 0 for now).
    available: Field,
    certified: Field,
    /// Engineers: years of experience. Roles hold 0, so the column has a value for every
    /// document: a filter on it (at least 3 years) then reads its values by document straight
    /// away. Were roles left out, every read would first map documents to the column's rows
    /// (an optional column's select), a quarter of a fresh candidates page's time at 300,000
    /// engineers. No filter reads a role's 0: the years' filter is the talent pool's.
    years: Field,
    route: Field,
    languages: Field,
    /// A skill's code with each year up to the years held (capped; [`ranking::skill_entry`]):
    /// Rust's code with 3 finds anyone with three years of Rust or more in one term look-up.
    /// Numbers, not `rust:3` texts: a profile writes about 25 of them, and a number is neither
    /// formatted nor tokenised.
    skill_years: Field,
    /// Engineers: what matching reads of them, as columns (see `ranking`).
    skill_codes: Field,
    traits: Field,
    /// Engineers: in Japan already (1) or not (0), for roles that take no one from abroad.
    in_japan: Field,
    /// Engineers: `n` for each JLPT rank up to theirs, so "at least N3" is one term look-up (a
    /// range over the level's column reads the whole column).
    jlpt_at_least: Field,
    /// Roles: their facts as JSON, read into memory at open. Engineers' facts are read from
    /// the columns ranking uses, so theirs are not stored (a fifth of the index at a million).
    facts: Field,
}

/// Years of a skill indexed as `skill:n` terms, at most (a filter asks at most this).
pub const MAX_SKILL_YEARS: u8 = 15;

/// Splits text by script into the parts for the English, Japanese and Indic fields.
fn split_text(text: &str) -> (String, String, String) {
    let text = normalise(text);
    let (mut en, mut ja, mut indic) = (String::new(), String::new(), String::new());
    // by script alone: the Indic languages share one analyser, so lingua is not asked
    for (start, end, analyser) in analyser_runs(&text) {
        let part = &text[start..end];
        let target = match analyser {
            Analyser::English => &mut en,
            Analyser::Japanese => &mut ja,
            Analyser::Indic => &mut indic,
        };
        target.push_str(part);
        target.push(' ');
    }
    (en, ja, indic)
}

/// The phrases of one glossary word as each analyser reads it, with their words' positions
/// from the first: words written apart are a phrase; a word written as one (組込みシステム,
/// which the analyser splits in two) is each of its parts, as a typed word is. A word in two
/// scripts ("EV・パワエレ") is read by each analyser.
fn phrases_of_word(
    manager: &tantivy::tokenizer::TokenizerManager,
    word: &str,
) -> Vec<(Analyser, Vec<(usize, String)>)> {
    let (en, ja, indic) = split_text(word);
    let mut out = Vec::new();
    for (analyser, name, part) in [
        (Analyser::English, analysis::ENGLISH, en),
        (Analyser::Japanese, analysis::JAPANESE, ja),
        (Analyser::Indic, analysis::INDIC, indic),
    ] {
        let tokens = analysis::terms_at(manager, name, &part);
        let Some(first) = tokens.first().map(|(at, _)| *at) else {
            continue;
        };
        let phrase = tokens.into_iter().map(|(at, text)| (at - first, text));
        if part.split_whitespace().nth(1).is_some() {
            out.push((analyser, phrase.collect()));
        } else {
            out.extend(phrase.map(|(_, text)| (analyser, vec![(0, text)])));
        }
    }
    out
}

/// The phrases of every glossary word, for each analyser (English, Japanese, Indic): what
/// the phrases fields hold markers for.
fn glossary_phrase_sets(
    manager: &tantivy::tokenizer::TokenizerManager,
    glossary: &Glossary,
) -> [std::sync::Arc<PhraseSet>; 3] {
    let phrases: Vec<(Analyser, Vec<(usize, String)>)> = glossary
        .terms()
        .iter()
        .flat_map(GlossaryTerm::words)
        .flat_map(|word| phrases_of_word(manager, word))
        .collect();
    [Analyser::English, Analyser::Japanese, Analyser::Indic].map(|analyser| {
        std::sync::Arc::new(PhraseSet::new(
            phrases
                .iter()
                .filter(|(a, _)| *a == analyser)
                .map(|(_, words)| words.clone()),
        ))
    })
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |analyser: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(analyser)
                // no positions: the only phrases searched are the glossary's, marked as terms
                // when the text is indexed (crate::phrases)
                .set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let fields = Fields {
        kind: builder.add_u64_field("kind", INDEXED | FAST | STORED),
        id: builder.add_u64_field("id", INDEXED | FAST | STORED),
        key: builder.add_text_field("key", STRING),
        text_en: builder.add_text_field("text_en", text(analysis::ENGLISH)),
        text_ja: builder.add_text_field("text_ja", text(analysis::JAPANESE)),
        text_indic: builder.add_text_field("text_indic", text(analysis::INDIC)),
        phrases: [
            builder.add_text_field("phrases_en", text(analysis::ENGLISH_PHRASES)),
            builder.add_text_field("phrases_ja", text(analysis::JAPANESE_PHRASES)),
            builder.add_text_field("phrases_indic", text(analysis::INDIC_PHRASES)),
        ],
        skills: builder.add_text_field("skills", STRING | FAST),
        sector: builder.add_text_field("sector", STRING | FAST),
        jlpt: builder.add_u64_field("jlpt", INDEXED | FAST),
        salary_max: builder.add_i64_field("salary_max", INDEXED | FAST),
        place: builder.add_text_field("place", STRING | FAST),
        remote: builder.add_text_field("remote", STRING | FAST),
        visa: builder.add_u64_field("visa", INDEXED | FAST),
        abroad: builder.add_u64_field("abroad", INDEXED | FAST),
        created: builder.add_i64_field("created", INDEXED | FAST),
        available: builder.add_i64_field("available", INDEXED | FAST),
        certified: builder.add_u64_field("certified", INDEXED | FAST),
        years: builder.add_u64_field("years", INDEXED | FAST),
        route: builder.add_text_field("route", STRING | FAST),
        languages: builder.add_text_field("languages", STRING | FAST),
        skill_years: builder.add_u64_field("skill_years", INDEXED),
        skill_codes: builder.add_u64_field(ranking::SKILL_CODES, FAST),
        traits: builder.add_u64_field(ranking::TRAITS, FAST),
        in_japan: builder.add_u64_field("in_japan", INDEXED),
        jlpt_at_least: builder.add_u64_field("jlpt_at_least", INDEXED),
        facts: builder.add_text_field("facts", STORED),
    };
    (builder.build(), fields)
}

/// Records how long a search took in `setubashi_search_seconds` when dropped (a no-op unless
/// the server installed a metrics recorder).
struct Timed {
    operation: &'static str,
    started: std::time::Instant,
}

impl Timed {
    fn start(operation: &'static str) -> Timed {
        Timed {
            operation,
            started: std::time::Instant::now(),
        }
    }
}

impl Drop for Timed {
    fn drop(&mut self) {
        metrics::histogram!("setubashi_search_seconds", "operation" => self.operation)
            .record(self.started.elapsed().as_secs_f64());
    }
}

/// A change to the in-memory facts, applied when the writes it goes with are committed.
enum StagedFacts {
    Role(i32, Option<RoleFacts>),
    Clear,
}

/// The key "newest first" sorts on: when it was posted, to the second, then (for roles posted
/// in the same second) the later id first. Seconds fit in 39 bits until the year 19,400, the id's
/// low 24 bits below them.
fn newest_first_key(created_at: i64, id: i32) -> i64 {
    (created_at << 24) | i64::from(id & 0x00FF_FFFF)
}

fn jlpt_code(level: Option<JlptLevel>) -> u64 {
    level.map_or(0, |l| u64::from(l.rank()))
}

/// The index, one writer behind a lock and one reader; a fresh searcher per search.
pub struct SearchIndex {
    /// Whether the glossary has phrases for each analyser (English, Japanese, Indic): a text
    /// is read a second time, for its phrases, only if so.
    reads_phrases: [bool; 3],
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    /// The roles' facts matching scores, by id, kept in memory beside the index: reading and
    /// parsing them from tantivy's document store for every candidate took 10 ms per match
    /// list. Engineers' facts are read from the index's columns instead (see `ranking`): a
    /// million of them would not fit a small machine's memory as a map.
    role_facts: RwLock<HashMap<i32, RoleFacts>>,
    /// Changes to those facts written but not yet committed: they take effect with the commit,
    /// so matching never sees a document's facts before (or after) the document itself, and an
    /// index being rebuilt in place keeps serving its last commit whole.
    staged_facts: Mutex<Vec<StagedFacts>>,
    fields: Fields,
    detector: Detector,
    taxonomy: Taxonomy,
    /// Job-ad words across languages and the places a query can name.
    glossary: Glossary,
    places: Places,
    /// The directory of an index on disk, where the schema-version marker is written once the
    /// index is complete; `None` in memory.
    dir: Option<std::path::PathBuf>,
    /// Whether words in most documents choose results beside words that do (`false`, the
    /// default: they only order them; see [`words_clause`](Self::words_clause)). `true` is
    /// the benchmarks' baseline: every word chooses, as before.
    common_words_choose: std::sync::atomic::AtomicBool,
    /// Per kind (engineers, roles): whether a write since the last commit touched it, and how
    /// many commits have changed what its searches find (see [`generation`](Self::generation)).
    touched: [std::sync::atomic::AtomicBool; 2],
    generations: [std::sync::atomic::AtomicU64; 2],
}

impl SearchIndex {
    /// Opens the index in `dir`, or creates it (empty) when missing, of another schema version,
    /// or never completed; returns whether it was created, so the caller rebuilds it from the
    /// database and then calls [`mark_complete`](Self::mark_complete).
    ///
    /// The version marker is what says an index is complete: it is written only after the first
    /// fill has committed, so a process killed during that fill (a deploy, an out-of-memory kill)
    /// leaves an index the next start recognises as unfinished and fills again.
    pub fn open_or_create(
        dir: &Path,
        ipadic: lindera::dictionary::Dictionary,
        taxonomy: Taxonomy,
    ) -> Result<(Self, bool), SearchError> {
        let (schema, fields) = schema();
        let version_file = dir.join(VERSION_FILE);
        let current = std::fs::read_to_string(&version_file)
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok());
        let (index, created) = if current == Some(SCHEMA_VERSION) && dir.join("meta.json").exists()
        {
            (Index::open_in_dir(dir)?, false)
        } else {
            if dir.exists() {
                std::fs::remove_dir_all(dir)?;
            }
            std::fs::create_dir_all(dir)?;
            let index = Index::create_in_dir(dir, schema)?;
            (index, true)
        };
        let mut engine = Self::with_index(index, fields, ipadic, taxonomy)?;
        engine.dir = Some(dir.to_path_buf());
        Ok((engine, created))
    }

    /// Records that the index holds everything (call after a full rebuild has committed): from
    /// now on it is opened as it is rather than filled again.
    pub fn mark_complete(&self) -> Result<(), SearchError> {
        if let Some(dir) = &self.dir {
            let marker = dir.join(VERSION_FILE);
            let partial = dir.join(format!("{VERSION_FILE}.partial"));
            // written whole, then renamed into place: never a half-written marker
            std::fs::write(&partial, SCHEMA_VERSION.to_string())?;
            std::fs::rename(&partial, &marker)?;
        }
        Ok(())
    }

    /// Searches each query's segments on `threads` threads (1: on the caller's thread, the
    /// default). With two, at a million profiles, matching took a fifth to a third less time
    /// and the broad talent search half (BENCHMARKS.md), when the machine has a core to spare;
    /// under a full load the cores are busy anyway and the pool only queues the segments'
    /// work. The largest segment bounds the gain. The searchers come from a reader opened
    /// anew, since each carries the executor of its reader.
    pub fn set_search_threads(&mut self, threads: usize) -> Result<(), SearchError> {
        if threads > 1 {
            self.index.set_multithread_executor(threads)?;
        } else {
            self.index.set_executor(tantivy::Executor::single_thread());
        }
        self.reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(())
    }

    /// Lets words in most documents choose results beside words that do (`true`), as every
    /// word did before: the benchmarks' baseline.
    pub fn set_common_words_choose(&self, yes: bool) {
        self.common_words_choose
            .store(yes, std::sync::atomic::Ordering::Relaxed);
        // the same words now find other results: what was kept of the old ones is stale
        for generation in &self.generations {
            generation.fetch_add(1, std::sync::atomic::Ordering::Release);
        }
    }

    /// How many times what a search of `kind` finds has changed: a commit that wrote a record
    /// of that kind (a refill writes both) moves it on, and one that wrote only the other kind
    /// does not. A result kept under one generation is what a search finds until the next, so
    /// a cache of results can key on it (see `app::jobs::kept`). Read it *before* searching:
    /// it moves on only after the reader sees the commit, so a search that read it first
    /// found at least that generation's documents.
    pub fn generation(&self, kind: Kind) -> u64 {
        self.generations[kind.slot()].load(std::sync::atomic::Ordering::Acquire)
    }

    /// Notes that a write (not yet committed) touched a record of `kind`.
    fn touch(&self, kind: Kind) {
        self.touched[kind.slot()].store(true, std::sync::atomic::Ordering::Release);
    }

    fn common_words_choose(&self) -> bool {
        self.common_words_choose
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many segments the searchers read, and the documents of each (deleted ones not
    /// counted), largest first.
    pub fn segment_sizes(&self) -> Vec<u32> {
        let mut sizes: Vec<u32> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|s| s.num_docs())
            .collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        sizes
    }

    /// The directory the index lives in; `None` in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// An index in memory, for tests and benchmarks.
    pub fn in_memory(
        ipadic: lindera::dictionary::Dictionary,
        taxonomy: Taxonomy,
    ) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields, ipadic, taxonomy)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        ipadic: lindera::dictionary::Dictionary,
        taxonomy: Taxonomy,
    ) -> Result<Self, SearchError> {
        analysis::register(index.tokenizers(), ipadic.clone());
        let glossary = Glossary::builtin();
        let phrase_sets = glossary_phrase_sets(index.tokenizers(), &glossary);
        let reads_phrases = phrase_sets.each_ref().map(|set| !set.is_empty());
        analysis::register_phrases(index.tokenizers(), ipadic, phrase_sets);
        let writer = index.writer(WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let engine = Self {
            reads_phrases,
            index,
            reader,
            writer: Mutex::new(writer),
            role_facts: RwLock::new(HashMap::new()),
            staged_facts: Mutex::new(Vec::new()),
            fields,
            detector: Detector::new(),
            taxonomy,
            glossary,
            places: Places::builtin(),
            dir: None,
            common_words_choose: std::sync::atomic::AtomicBool::new(false),
            touched: Default::default(),
            generations: Default::default(),
        };
        engine.load_facts()?;
        Ok(engine)
    }

    /// Reads every stored role's facts into memory (at open).
    fn load_facts(&self) -> Result<(), SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.kind, Kind::Role.code()),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut roles = self.roles_write()?;
        for address in addresses {
            let document: TantivyDocument = searcher.doc(address)?;
            let id = document
                .get_first(self.fields.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default() as i32;
            let facts = document
                .get_first(self.fields.facts)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let role: RoleFacts =
                serde_json::from_str(facts).map_err(|e| SearchError::Document(e.to_string()))?;
            // relations come from the taxonomy of this run, not the one that indexed
            roles.insert(id, role.with_relations(&self.taxonomy));
        }
        Ok(())
    }

    fn roles_write(
        &self,
    ) -> Result<std::sync::RwLockWriteGuard<'_, HashMap<i32, RoleFacts>>, SearchError> {
        self.role_facts
            .write()
            .map_err(|_| SearchError::Document("facts lock poisoned".to_owned()))
    }

    /// The language detector the index analyses text with.
    pub fn detector(&self) -> &Detector {
        &self.detector
    }

    /// The taxonomy that resolves skill names in queries.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer
            .lock()
            .map_err(|_| SearchError::Document("index writer lock poisoned".to_owned()))
    }

    fn key(kind: Kind, id: i32) -> String {
        format!("{}:{id}", kind.code())
    }

    /// Holds the writer for a batch of changes until their commit: how a process that may run
    /// beside a rebuild (the indexer following the change log) writes. See [`Batch`].
    pub fn batch(&self) -> Result<Batch<'_>, SearchError> {
        Ok(Batch(HeldWriter {
            index: self,
            writer: self.writer()?,
            committed: false,
            what: "batch of changes",
        }))
    }

    /// Adds or replaces an engineer profile (call [`remove`](Self::remove) for hidden ones),
    /// letting go of the writer before the commit: for a sole writer (tests, benchmarks, a
    /// seeded index). A writer beside a rebuild writes through a [`batch`](Self::batch).
    pub fn upsert_profile(&self, doc: &ProfileDoc) -> Result<(), SearchError> {
        let writer = self.writer()?;
        self.write_profile(&writer, doc)
    }

    fn write_profile(&self, writer: &IndexWriter, doc: &ProfileDoc) -> Result<(), SearchError> {
        let document = self.profile_document(doc)?;
        writer.delete_term(self.key_term(Kind::Engineer, doc.id));
        writer.add_document(document)?;
        self.touch(Kind::Engineer);
        Ok(())
    }

    /// Empties the index and holds its writer until the returned [`Refill`] is dropped: the
    /// records added through it go in without the delete an upsert makes. Those deletes were
    /// most of a rebuild's memory (tantivy keeps a query per delete until the commit: 870 MB
    /// for a million profiles, measured with heaptrack) and work; holding the writer keeps any
    /// other writer (an indexer following the change log) from adding a record in between,
    /// which would then be held twice.
    pub fn refill(&self) -> Result<Refill<'_>, SearchError> {
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        self.stage(StagedFacts::Clear)?;
        self.touch(Kind::Engineer);
        self.touch(Kind::Role);
        Ok(Refill(HeldWriter {
            index: self,
            writer,
            committed: false,
            what: "refill",
        }))
    }

    /// Holding `skill` for at least `years` (1 to [`MAX_SKILL_YEARS`]).
    fn skill_years_term(&self, skill: &SkillId, years: u8) -> Term {
        Term::from_field_u64(self.fields.skill_years, ranking::skill_entry(skill, years))
    }

    fn key_term(&self, kind: Kind, id: i32) -> Term {
        Term::from_field_text(self.fields.key, &Self::key(kind, id))
    }

    fn profile_document(&self, doc: &ProfileDoc) -> Result<TantivyDocument, SearchError> {
        let f = self.fields;
        let mut document = doc!(
            f.kind => Kind::Engineer.code(),
            f.id => doc.id as u64,
            f.key => Self::key(Kind::Engineer, doc.id),
            f.jlpt => jlpt_code(doc.facts.jlpt),
            f.salary_max => doc.facts.desired_salary_jpy.unwrap_or(0),
            f.place => doc.indian_state.clone().unwrap_or_default(),
        );
        self.add_text(&mut document, &doc.text);
        document.add_i64(f.created, newest_first_key(doc.created_at, doc.id));
        document.add_i64(f.available, doc.available_from.unwrap_or(0));
        document.add_u64(f.certified, u64::from(doc.jlpt_certified));
        document.add_u64(f.years, u64::from(doc.years_experience));
        document.add_text(f.route, &doc.visa_interest);
        for language in &doc.languages {
            document.add_text(f.languages, language);
        }
        document.add_u64(f.traits, ranking::pack_traits(&doc.facts));
        document.add_u64(f.in_japan, u64::from(doc.facts.in_japan));
        for rank in 1..=jlpt_code(doc.facts.jlpt) {
            document.add_u64(f.jlpt_at_least, rank);
        }
        for (listed, (skill, years)) in doc.facts.skills.iter().enumerate() {
            // A skill listed twice (forms refuse it; a row may still hold it) is indexed as its
            // first listing alone, the one `domain::matching` reads: the ranking's tiers promise
            // that their terms and the scores from the columns agree.
            if doc.facts.skills[..listed].iter().any(|(s, _)| s == skill) {
                continue;
            }
            document.add_text(f.skills, skill.as_str());
            document.add_u64(f.skill_codes, ranking::skill_entry(skill, *years));
            for year in 1..=(*years).min(MAX_SKILL_YEARS) {
                document.add_u64(f.skill_years, ranking::skill_entry(skill, year));
            }
        }
        Ok(document)
    }

    /// Adds or replaces a role (call [`remove`](Self::remove) for closed ones); for a sole
    /// writer, like [`upsert_profile`](Self::upsert_profile).
    pub fn upsert_role(&self, doc: &RoleDoc) -> Result<(), SearchError> {
        let writer = self.writer()?;
        self.write_role(&writer, doc)
    }

    fn write_role(&self, writer: &IndexWriter, doc: &RoleDoc) -> Result<(), SearchError> {
        let document = self.role_document(doc)?;
        writer.delete_term(self.key_term(Kind::Role, doc.id));
        writer.add_document(document)?;
        self.touch(Kind::Role);
        self.stage_role(doc)
    }

    fn stage_role(&self, doc: &RoleDoc) -> Result<(), SearchError> {
        let facts = doc.facts.clone().with_relations(&self.taxonomy);
        self.stage(StagedFacts::Role(doc.id, Some(facts)))
    }

    fn role_document(&self, doc: &RoleDoc) -> Result<TantivyDocument, SearchError> {
        let f = self.fields;
        let mut document = doc!(
            f.kind => Kind::Role.code(),
            f.id => doc.id as u64,
            f.key => Self::key(Kind::Role, doc.id),
            f.jlpt => jlpt_code(doc.facts.min_jlpt),
            f.salary_max => doc.facts.salary_max_jpy,
            f.place => doc.prefecture.clone(),
            f.sector => doc.sector.clone(),
            f.remote => doc.remote_policy.clone(),
            f.visa => u64::from(doc.visa_sponsorship),
            f.abroad => u64::from(doc.facts.apply_from_abroad),
            f.created => newest_first_key(doc.created_at, doc.id),
            f.facts => serde_json::to_string(&doc.facts).map_err(|e| SearchError::Document(e.to_string()))?,
            f.years => 0_u64,
        );
        self.add_text(&mut document, &doc.text);
        for (skill, _) in &doc.facts.required {
            document.add_text(f.skills, skill.as_str());
        }
        for skill in &doc.facts.nice {
            document.add_text(f.skills, skill.as_str());
        }
        Ok(document)
    }

    /// A document's text: each script's part in its analyser's field, and again in that
    /// analyser's phrases field when the glossary has phrases in it.
    fn add_text(&self, document: &mut TantivyDocument, text: &str) {
        let f = self.fields;
        let (en, ja, indic) = split_text(text);
        for (i, (field, part)) in [(f.text_en, en), (f.text_ja, ja), (f.text_indic, indic)]
            .into_iter()
            .enumerate()
        {
            if self.reads_phrases[i] && !part.trim().is_empty() {
                document.add_text(f.phrases[i], &part);
            }
            document.add_text(field, part);
        }
    }

    /// Removes a record (a profile made hidden, a role closed or deleted); for a sole writer,
    /// like [`upsert_profile`](Self::upsert_profile).
    pub fn remove(&self, kind: Kind, id: i32) -> Result<(), SearchError> {
        let writer = self.writer()?;
        self.write_removal(&writer, kind, id)
    }

    fn write_removal(&self, writer: &IndexWriter, kind: Kind, id: i32) -> Result<(), SearchError> {
        writer.delete_term(self.key_term(kind, id));
        self.touch(kind);
        match kind {
            Kind::Engineer => Ok(()),
            Kind::Role => self.stage(StagedFacts::Role(id, None)),
        }
    }

    fn stage(&self, change: StagedFacts) -> Result<(), SearchError> {
        self.staged_facts
            .lock()
            .map_err(|_| SearchError::Document("facts lock poisoned".to_owned()))?
            .push(change);
        Ok(())
    }

    /// Applies the staged facts once their documents are committed and visible.
    fn publish_facts(&self) -> Result<(), SearchError> {
        let staged = std::mem::take(
            &mut *self
                .staged_facts
                .lock()
                .map_err(|_| SearchError::Document("facts lock poisoned".to_owned()))?,
        );
        if staged.is_empty() {
            return Ok(());
        }
        let mut roles = self.roles_write()?;
        for change in staged {
            match change {
                StagedFacts::Role(id, Some(facts)) => {
                    roles.insert(id, facts);
                }
                StagedFacts::Role(id, None) => {
                    roles.remove(&id);
                }
                StagedFacts::Clear => roles.clear(),
            }
        }
        Ok(())
    }

    /// Makes the writes so far durable and searchable.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.commit_held(&mut *self.writer()?, None)
    }

    /// Commits with a payload stored in tantivy's commit metadata (how far the index has
    /// followed the database's change queue).
    pub fn commit_with_payload(&self, payload: &str) -> Result<(), SearchError> {
        self.commit_held(&mut *self.writer()?, Some(payload))
    }

    /// Commits through the writer the caller holds, then publishes the staged facts still
    /// under its lock: no other write can slip between the commit and the facts.
    fn commit_held(
        &self,
        writer: &mut IndexWriter,
        payload: Option<&str>,
    ) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        if let Some(payload) = payload {
            prepared.set_payload(payload);
        }
        prepared.commit()?;
        self.reader.reload()?;
        let published = self.publish_facts();
        // the searchers see the commit now, whether or not its facts could be published: what
        // was kept under the old generations is stale either way. Under the writer's lock: no
        // write can touch a kind between the commit and this
        for (touched, generation) in self.touched.iter().zip(&self.generations) {
            if touched.swap(false, std::sync::atomic::Ordering::AcqRel) {
                generation.fetch_add(1, std::sync::atomic::Ordering::Release);
            }
        }
        published
    }

    /// The payload of the last commit, if any.
    pub fn last_payload(&self) -> Result<Option<String>, SearchError> {
        Ok(self.index.load_metas()?.payload)
    }

    /// The ids of every searchable document of a kind, ascending (for checking the index
    /// against the database: read from the index itself, not from the facts beside it).
    pub fn ids(&self, kind: Kind) -> Result<Vec<i32>, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.kind, kind.code()),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let ids_column = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .u64("id")?;
            if let Some(id) = ids_column.first(address.doc_id) {
                ids.push(id as i32);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Number of searchable documents of a kind.
    pub fn count(&self, kind: Kind) -> Result<usize, SearchError> {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_u64(self.fields.kind, kind.code()),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &tantivy::collector::Count)?)
    }

    /// The skills a query names, in any language: its words and phrases ("machine learning",
    /// "मशीन लर्निंग"), a typing error forgiven in longer ones, and the taxonomy's Japanese names
    /// inside Japanese text ("組み込みエンジニア"); see [`Taxonomy::skills_in_text`].
    pub fn skills_in_query(&self, query: &str) -> Vec<SkillId> {
        self.taxonomy
            .skills_in_text(query)
            .into_iter()
            .map(|skill| skill.id.clone())
            .collect()
    }

    /// What a query names besides its words: skills, job-ad words with their other languages'
    /// words, sectors and prefectures. A search looks for all of them; the page says so.
    pub fn read_query(&self, query: &str) -> QueryReading {
        let terms: Vec<GlossaryTerm> = self
            .glossary
            .terms_in_text(query)
            .into_iter()
            .cloned()
            .collect();
        let mut sectors: Vec<Sector> = Vec::new();
        for sector in terms.iter().filter_map(GlossaryTerm::sector) {
            if !sectors.contains(&sector) {
                sectors.push(sector);
            }
        }
        QueryReading {
            skills: self.skills_in_query(query),
            terms,
            sectors,
            prefectures: self.places.prefectures_in_text(query),
        }
    }

    /// The query for free text: each part of the text (by language) run through the analyser of
    /// its field, and every term it yields a `Should` clause scored with BM25.
    ///
    /// User text never reaches tantivy's query language: field names (`salary_max:`), ranges,
    /// boosts (`^2`), wildcards and phrase syntax are just characters that the analyser drops or
    /// indexes as words, so a query can only match what the text fields hold.
    fn text_query(&self, text: &str) -> Result<Option<Box<dyn Query>>, SearchError> {
        let parts: Vec<(Occur, Box<dyn Query>)> = self
            .text_terms(text)
            .into_iter()
            .map(|term| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        Ok((!parts.is_empty()).then(|| Box::new(BooleanQuery::new(parts)) as Box<dyn Query>))
    }

    /// The glossary's words for what a query names, as the terms of one field with their
    /// positions: words written apart ("assembly and test") as one phrase, a word written as
    /// one as each of its terms. A word in two scripts ("EV・パワエレ") is read in each
    /// field. Each phrase once, at most [`MAX_PHRASES`](Self::MAX_PHRASES).
    fn glossary_phrases(&self, reading: &QueryReading) -> Vec<Vec<(usize, Term)>> {
        let manager = self.index.tokenizers();
        let mut phrases: Vec<Vec<(usize, Term)>> = Vec::new();
        for word in reading.terms.iter().flat_map(GlossaryTerm::words) {
            for (analyser, words) in phrases_of_word(manager, word) {
                let field = self.text_field(analyser);
                let phrase: Vec<(usize, Term)> = words
                    .into_iter()
                    .map(|(at, text)| (at, Term::from_field_text(field, &text)))
                    .collect();
                if !phrases.contains(&phrase) {
                    phrases.push(phrase);
                }
                if phrases.len() >= Self::MAX_PHRASES {
                    return phrases;
                }
            }
        }
        phrases
    }

    /// The text field an analyser's terms are in.
    fn text_field(&self, analyser: Analyser) -> Field {
        match analyser {
            Analyser::English => self.fields.text_en,
            Analyser::Japanese => self.fields.text_ja,
            Analyser::Indic => self.fields.text_indic,
        }
    }

    /// The phrases field beside a text field.
    fn phrases_field_of(&self, text_field: Field) -> Field {
        let f = self.fields;
        match text_field {
            t if t == f.text_ja => f.phrases[1],
            t if t == f.text_indic => f.phrases[2],
            _ => f.phrases[0],
        }
    }

    /// Enough of the glossary's phrases for any query: a query naming several entries has a
    /// few dozen.
    const MAX_PHRASES: usize = 64;

    /// The terms of free text, each part (by language) run through the analyser of its field.
    fn text_terms(&self, text: &str) -> Vec<Term> {
        /// Enough terms for any real query (role search takes 500 characters); more would only
        /// make a search slower, never better.
        const MAX_TERMS: usize = 64;
        let (en, ja, indic) = split_text(text);
        let manager = self.index.tokenizers();
        let mut terms = Vec::new();
        for (field, analyser, part) in [
            (self.fields.text_en, analysis::ENGLISH, en),
            (self.fields.text_ja, analysis::JAPANESE, ja),
            (self.fields.text_indic, analysis::INDIC, indic),
        ] {
            let mut seen = std::collections::HashSet::new();
            for term in analysis::terms(manager, analyser, &part) {
                if terms.len() >= MAX_TERMS {
                    break;
                }
                if seen.insert(term.clone()) {
                    terms.push(Term::from_field_text(field, &term));
                }
            }
        }
        terms
    }

    /// What [`words_clause`](Self::words_clause) scores a document by, as terms with their
    /// boosts: a ranking's relevance when a recruiter's words choose the candidates.
    pub(crate) fn words_relevance(&self, text: &str) -> Vec<ranking::Weighed> {
        let reading = self.read_query(text);
        let basic = |field: Field, value: &str, boost: f32| ranking::Weighed {
            term: Term::from_field_text(field, value),
            record: IndexRecordOption::Basic,
            boost,
        };
        let mut out: Vec<ranking::Weighed> = reading
            .skills
            .iter()
            .map(|skill| basic(self.fields.skills, skill.as_str(), 3.0))
            .collect();
        out.extend(self.text_relevance(text, 1.0));
        out.extend(self.text_relevance(&reading.other_words(), 0.5));
        for sector in &reading.sectors {
            out.push(basic(self.fields.sector, sector.code(), 2.0));
        }
        for prefecture in &reading.prefectures {
            out.push(basic(self.fields.place, prefecture.code, 2.0));
        }
        out
    }

    /// The free text's terms as relevance, each scored with BM25 and `boost`.
    pub(crate) fn text_relevance(&self, text: &str, boost: f32) -> Vec<ranking::Weighed> {
        self.text_terms(text)
            .into_iter()
            .map(|term| ranking::Weighed {
                term,
                record: IndexRecordOption::WithFreqs,
                boost,
            })
            .collect()
    }

    fn boosted_term(&self, field: Field, value: &str, boost: f32) -> Box<dyn Query> {
        let term = TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        );
        Box::new(BoostQuery::new(Box::new(term), boost))
    }

    fn skill_terms(&self, skills: &[SkillId], boost: f32) -> Vec<(Occur, Box<dyn Query>)> {
        skills
            .iter()
            .map(|s| {
                let term = TermQuery::new(
                    Term::from_field_text(self.fields.skills, s.as_str()),
                    IndexRecordOption::Basic,
                );
                (
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(term), boost)) as Box<dyn Query>,
                )
            })
            .collect()
    }

    /// Engineers with at least this JLPT level.
    fn jlpt_at_least(&self, level: JlptLevel) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_u64(self.fields.jlpt_at_least, jlpt_code(Some(level))),
            IndexRecordOption::Basic,
        ))
    }

    fn filter_clauses(&self, kind: Kind, filters: &Filters) -> Vec<(Occur, Box<dyn Query>)> {
        self.tagged_filters(kind, filters)
            .into_iter()
            .map(|(_, clause)| (Occur::Must, clause))
            .collect()
    }

    /// The filters as queries, each tagged with the facet it narrows (`None`: the kind, and the
    /// skills, which narrow no facet of their own), so a facet's counts can leave out its own
    /// filter and show what choosing another value would find.
    pub(crate) fn tagged_filters(
        &self,
        kind: Kind,
        filters: &Filters,
    ) -> Vec<(Option<&'static str>, Box<dyn Query>)> {
        let mut out = vec![(None, self.kind_filter(kind))];
        out.extend(self.tagged_narrowing_filters(filters));
        out
    }

    /// Documents of one kind.
    pub(crate) fn kind_filter(&self, kind: Kind) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_u64(self.fields.kind, kind.code()),
            IndexRecordOption::Basic,
        ))
    }

    /// The filters but the kind.
    pub(crate) fn narrowing_filters(&self, filters: &Filters) -> Vec<Box<dyn Query>> {
        self.tagged_narrowing_filters(filters)
            .into_iter()
            .map(|(_, clause)| clause)
            .collect()
    }

    /// [`tagged_filters`](Self::tagged_filters) but the kind.
    fn tagged_narrowing_filters(
        &self,
        filters: &Filters,
    ) -> Vec<(Option<&'static str>, Box<dyn Query>)> {
        let f = self.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let number = |field: Field, value: u64| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_u64(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let u64_range = |field: Field, from: u64, to: u64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_u64(field, from)),
                std::ops::Bound::Included(Term::from_field_u64(field, to)),
            ))
        };
        let mut out: Vec<(Option<&'static str>, Box<dyn Query>)> = Vec::new();
        if let Some(level) = filters.jlpt_at_most {
            out.push((Some(facets::JLPT), u64_range(f.jlpt, 0, jlpt_code(level))));
        }
        if let Some(level) = filters.jlpt_at_least {
            out.push((Some(facets::JLPT), self.jlpt_at_least(level)));
        }
        if let Some(place) = &filters.prefecture {
            out.push((Some(facets::PREFECTURE), term(f.place, place)));
        }
        if let Some(state) = &filters.indian_state {
            out.push((Some(facets::STATE), term(f.place, state)));
        }
        if let Some(sector) = &filters.sector {
            out.push((Some(facets::SECTOR), term(f.sector, sector)));
        }
        if let Some(remote) = &filters.remote_policy {
            out.push((Some(facets::REMOTE), term(f.remote, remote)));
        }
        if let Some(visa) = filters.visa_sponsorship {
            out.push((Some(facets::VISA), number(f.visa, u64::from(visa))));
        }
        if let Some(abroad) = filters.abroad {
            out.push((Some(facets::ABROAD), number(f.abroad, u64::from(abroad))));
        }
        if let Some(certified) = filters.jlpt_certified {
            out.push((
                Some(facets::CERTIFIED),
                number(f.certified, u64::from(certified)),
            ));
        }
        // at least 0 years holds for every engineer: no clause (and none that a role's 0 meets)
        if let Some(years) = filters.years_at_least.filter(|&years| years > 0) {
            out.push((
                Some(facets::YEARS),
                u64_range(f.years, u64::from(years), u64::MAX),
            ));
        }
        if let Some(route) = &filters.visa_interest {
            out.push((Some(facets::ROUTE), term(f.route, route)));
        }
        if let Some(salary) = filters.salary_at_least {
            out.push((
                Some(facets::SALARY),
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(Term::from_field_i64(f.salary_max, salary)),
                    std::ops::Bound::Unbounded,
                )),
            ));
        }
        if let Some(salary) = filters.salary_wish_at_most {
            out.push((
                Some(facets::SALARY),
                Box::new(RangeQuery::new(
                    std::ops::Bound::Unbounded,
                    std::ops::Bound::Included(Term::from_field_i64(f.salary_max, salary)),
                )),
            ));
        }
        if let Some(by) = filters.available_by {
            out.push((
                None,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Unbounded,
                    std::ops::Bound::Included(Term::from_field_i64(f.available, by)),
                )),
            ));
        }
        if let Some(after) = filters.created_after {
            // the key orders by time first: every key of a record made at `after` or later is
            // at least the key of the smallest id at that second
            out.push((
                None,
                Box::new(RangeQuery::new(
                    std::ops::Bound::Included(Term::from_field_i64(
                        f.created,
                        newest_first_key(after, 0),
                    )),
                    std::ops::Bound::Unbounded,
                )),
            ));
        }
        // each language and skill narrows further (all must hold): their facets count within
        // the results, so they stay untagged
        for language in &filters.languages {
            out.push((None, term(f.languages, language)));
        }
        for skill in &filters.skills {
            out.push((None, term(f.skills, skill.as_str())));
        }
        for (skill, years) in &filters.skill_years {
            let clause = match (*years).min(MAX_SKILL_YEARS) {
                0 => term(f.skills, skill.as_str()),
                years => Box::new(TermQuery::new(
                    self.skill_years_term(skill, years),
                    IndexRecordOption::Basic,
                )),
            };
            out.push((None, clause));
        }
        out
    }

    /// Runs a query and returns (id, score), best first; ids come from the fast field, not the
    /// document store.
    fn run(&self, query: &dyn Query, limit: usize) -> Result<Vec<(i32, f32)>, SearchError> {
        let searcher = self.reader.searcher();
        let top = searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("id"))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let id = columns
                .get(address.segment_ord as usize)
                .and_then(|column| column.first(address.doc_id))
                .ok_or_else(|| SearchError::Document("document without id".to_owned()))?;
            out.push((id as i32, score));
        }
        Ok(out)
    }

    /// What a query's words look for: the text in each language's field, the skills it names
    /// (so 「組み込み」 finds "embedded" profiles and roles), the glossary's words for it in the
    /// other languages, and the sectors and prefectures it names. `None` when there is nothing
    /// to look for (an empty query: the filters alone decide).
    ///
    /// A word found in most documents ([`CommonWords`]) chooses almost nothing: beside a word
    /// that does choose, it only orders the results ("embedded engineer" finds the profiles
    /// that say "embedded", those that also say "engineer" first, and not every engineer of
    /// the pool). Alone, or beside words nothing holds, the common words choose as before.
    ///
    /// The words are read once: the query and the typed words that only order come from the
    /// same look-ups.
    pub(crate) fn words_clause(
        &self,
        kind: Kind,
        text: &str,
    ) -> Result<Option<Words>, SearchError> {
        let common = self.common_words_of(kind);
        let WordClauses {
            clauses,
            common_typed,
        } = self.word_clauses(text, &common);
        if clauses.is_empty() {
            return Ok(None);
        }
        let any = |clauses: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        if self.common_words_choose() || !clauses.iter().any(|(_, chooses)| *chooses) {
            return Ok(Some(Words {
                query: any(clauses.into_iter().map(|(q, _)| q).collect()),
                ordering: Vec::new(),
            }));
        }
        let (choosing, ordering): (Vec<_>, Vec<_>) =
            clauses.into_iter().partition(|(_, chooses)| *chooses);
        let mut query = vec![(
            Occur::Must,
            any(choosing.into_iter().map(|(q, _)| q).collect()),
        )];
        if !ordering.is_empty() {
            query.push((
                Occur::Should,
                any(ordering.into_iter().map(|(q, _)| q).collect()),
            ));
        }
        Ok(Some(Words {
            query: Box::new(BooleanQuery::new(query)),
            ordering: self.typed_words_among(text, &common_typed),
        }))
    }

    /// The words of `text` as typed (split at spaces) whose terms are all among `terms`: what a
    /// page names of the words that only ordered. Of a word written as one that holds other
    /// terms too (組み込みエンジニア), the parts among them are named (エンジニア): Japanese and
    /// Indic terms are the words as written, where an English term is a stem. A word whose
    /// terms the whole text read otherwise (a mixed-language query) is not named.
    fn typed_words_among(&self, text: &str, terms: &[Term]) -> Vec<String> {
        if terms.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::new();
        let mut name = |word: &str| {
            if !out.iter().any(|w| w == word) {
                out.push(word.to_owned());
            }
        };
        for word in text.split_whitespace() {
            let own = self.text_terms(word);
            if !own.is_empty() && own.iter().all(|t| terms.contains(t)) {
                name(word);
                continue;
            }
            for part in own
                .iter()
                .filter(|t| t.field() != self.fields.text_en && terms.contains(t))
            {
                if let Some(part) = part.value().as_str() {
                    name(part);
                }
            }
        }
        out
    }

    fn common_words_of(&self, kind: Kind) -> CommonWords {
        CommonWords::of(self.reader.searcher(), self.fields.kind, kind)
    }

    /// Each clause of a query's words, and whether it may choose results: a skill, a place or a
    /// word that some but not most documents hold.
    fn word_clauses(&self, text: &str, common: &CommonWords) -> WordClauses {
        let mut common_typed = Vec::new();
        let reading = self.read_query(text);
        // a skill, sector or place named: one keyword term, boosted
        let keyword = |field: Field, value: &str, boost: f32| {
            let chooses = common.selects(&Term::from_field_text(field, value));
            (self.boosted_term(field, value, boost), chooses)
        };
        let mut clauses: Vec<(Box<dyn Query>, bool)> = reading
            .skills
            .iter()
            .map(|skill| keyword(self.fields.skills, skill.as_str(), 3.0))
            .collect();
        // the words typed, each on its own
        for term in self.text_terms(text) {
            let held = common.held(&term);
            if common.common(held) {
                common_typed.push(term.clone());
            }
            let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
            clauses.push((Box::new(query), common.chooses(held)));
        }
        // the glossary's words for what the query names, in the other languages (半導体 finds
        // a role that says "semiconductor"), weighed below the words typed; each as a whole:
        // 組み込みエンジニア's "embedded software engineer" does not find every software engineer
        for phrase in self.glossary_phrases(&reading) {
            // a phrase is in no more documents than its rarest word: it chooses if that word
            // does (all its words common, it only orders, like a common word)
            let held = phrase
                .iter()
                .map(|(_, t)| common.held(t))
                .min()
                .unwrap_or(0);
            // a phrase of several words is the one term its indexing marked it with
            let term = match phrase.as_slice() {
                [(_, term)] => term.clone(),
                _ => {
                    let words: Vec<(usize, String)> = phrase
                        .iter()
                        .map(|(at, t)| {
                            let text = t.value().as_str().unwrap_or_default().to_owned();
                            (*at, text)
                        })
                        .collect();
                    let field = self.phrases_field_of(phrase[0].1.field());
                    Term::from_field_text(field, &phrases::marker(&words))
                }
            };
            let query: Box<dyn Query> =
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
            clauses.push((Box::new(BoostQuery::new(query, 0.5)), common.chooses(held)));
        }
        clauses.extend(
            reading
                .sectors
                .iter()
                .map(|sector| keyword(self.fields.sector, sector.code(), 2.0)),
        );
        clauses.extend(
            reading
                .prefectures
                .iter()
                .map(|prefecture| keyword(self.fields.place, prefecture.code, 2.0)),
        );
        WordClauses {
            clauses,
            common_typed,
        }
    }

    /// Keyword search in any language: the text in each language's field, and the skills the
    /// query names (so 「組み込み」 finds "embedded" profiles and roles). Best first by
    /// relevance, ties by id.
    pub fn search(
        &self,
        kind: Kind,
        text: &str,
        filters: &Filters,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let _timed = Timed::start("search");
        let mut clauses = self.filter_clauses(kind, filters);
        if let Some(words) = self.words_clause(kind, text)? {
            clauses.push((Occur::Must, words.query));
        }
        let mut hits: Vec<Hit> = self
            .run(&BooleanQuery::new(clauses), limit)?
            .into_iter()
            .map(|(id, relevance)| Hit {
                id,
                relevance,
                explanation: None,
            })
            .collect();
        hits.sort_by(|a, b| b.relevance.total_cmp(&a.relevance).then(a.id.cmp(&b.id)));
        Ok(hits)
    }

    /// The best engineers for a role: candidates by skills and text, then scored and explained
    /// by `domain::matching`. Strict JLPT misses are dropped.
    pub fn engineers_for_role(
        &self,
        role: &RoleFacts,
        role_text: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        self.engineers_for_role_with(role, role_text, limit, Retrieval::SkillsFirst)
    }

    /// [`engineers_for_role`](Self::engineers_for_role) with a chosen retrieval (the benchmark
    /// compares the two).
    pub fn engineers_for_role_with(
        &self,
        role: &RoleFacts,
        role_text: &str,
        limit: usize,
        retrieval: Retrieval,
    ) -> Result<Vec<Hit>, SearchError> {
        let none = Filters::default();
        let all = RoleRanking {
            words: "",
            filters: &none,
            offset: 0,
            limit,
        };
        self.engineers_for_role_in(role, role_text, &all, retrieval)
            .map(|page| page.hits)
    }

    /// One page of the engineers ranked for a role: the role's own candidates, or those the
    /// recruiter's words find, narrowed by the talent pool's filters; with how many were
    /// ranked in all.
    pub fn engineers_for_role_page(
        &self,
        role: &RoleFacts,
        role_text: &str,
        ranking: &RoleRanking,
    ) -> Result<RankedPage, SearchError> {
        self.engineers_for_role_in(role, role_text, ranking, Retrieval::SkillsFirst)
    }

    fn engineers_for_role_in(
        &self,
        role: &RoleFacts,
        role_text: &str,
        ranking: &RoleRanking,
        retrieval: Retrieval,
    ) -> Result<RankedPage, SearchError> {
        let _timed = Timed::start("engineers_for_role");
        let role = &role.clone().with_relations(&self.taxonomy);
        // those holding a related skill (C for Embedded C) are candidates too
        let skills: Vec<SkillId> = role
            .required
            .iter()
            .map(|(s, _)| s.clone())
            .chain(role.nice.iter().cloned())
            .chain(role.related.iter().map(|(_, via)| via.clone()))
            .collect();
        let RoleRanking {
            words,
            filters,
            offset,
            limit,
        } = ranking;
        let searcher = self.reader.searcher();
        let candidates = if words.trim().is_empty() {
            self.role_candidates(&searcher, &skills, role_text, filters, retrieval)?
        } else {
            // the recruiter's words choose the candidates; the role ranks them
            self.words_clause(Kind::Engineer, words)?
                .map(|clause| ranking::Candidates {
                    kind: self.kind_filter(Kind::Engineer),
                    filters: self.narrowing_filters(filters),
                    retrieval: Some(clause.query),
                    by_role_skills: false,
                    relevance: self.words_relevance(words),
                })
        };
        let Some(candidates) = candidates else {
            return Ok(RankedPage::default());
        };
        let keep = (offset + limit).min(MATCH_CANDIDATES);
        if *offset >= keep {
            return Ok(RankedPage::default());
        }
        let found = self.rank_for_role(&searcher, role, &candidates, keep, false)?;
        let ranked = match found.ranked_all {
            Some(all) => all.min(MATCH_CANDIDATES),
            // the ranking stopped early: count the eligible ones as far as a page can reach
            None => {
                let mut eligible: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Must, Box::new(candidates.all()))];
                if let (Some(level), true) = (role.min_jlpt, role.jlpt_strict) {
                    eligible.push((Occur::Must, self.jlpt_at_least(level)));
                }
                self.count_up_to(&searcher, &BooleanQuery::new(eligible), MATCH_CANDIDATES)?
            }
        };
        let page = found.best.get(*offset..).unwrap_or_default();
        let explanations = self.explain_ranked(&searcher, role, page)?;
        Ok(RankedPage {
            ranked,
            hits: page
                .iter()
                .zip(explanations)
                .map(|(r, explanation)| Hit {
                    id: r.id,
                    relevance: r.relevance,
                    explanation: Some(explanation),
                })
                .collect(),
        })
    }

    /// The best roles for an engineer, scored and explained.
    pub fn roles_for_engineer(
        &self,
        engineer: &EngineerFacts,
        engineer_text: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        self.roles_for_engineer_with(engineer, engineer_text, limit, Retrieval::SkillsFirst)
    }

    /// [`roles_for_engineer`](Self::roles_for_engineer) with a chosen retrieval.
    pub fn roles_for_engineer_with(
        &self,
        engineer: &EngineerFacts,
        engineer_text: &str,
        limit: usize,
        retrieval: Retrieval,
    ) -> Result<Vec<Hit>, SearchError> {
        let _timed = Timed::start("roles_for_engineer");
        // roles asking a skill the engineer's skills are evidence for are candidates too
        let mut skills: Vec<SkillId> = engineer.skills.iter().map(|(s, _)| s.clone()).collect();
        for (held, _) in &engineer.skills {
            for supported in self.taxonomy.evidence_for(held) {
                if !skills.contains(supported) {
                    skills.push(supported.clone());
                }
            }
        }
        let candidates = self.candidates(
            Kind::Role,
            &skills,
            engineer_text,
            &Filters::default(),
            retrieval,
        )?;
        let facts = self
            .role_facts
            .read()
            .map_err(|_| SearchError::Document("facts lock poisoned".to_owned()))?;
        Ok(rank_candidates(
            candidates,
            &facts,
            0,
            limit,
            |role| matching::score(engineer, role),
            |role| matching::explain(engineer, role),
        )
        .hits)
    }

    /// Raw tantivy top-k by skill terms alone, no scoring or explanation: the floor our matching
    /// is measured against in the benchmark.
    pub fn raw_skill_top_k(
        &self,
        kind: Kind,
        skills: &[SkillId],
        k: usize,
    ) -> Result<Vec<(f32, tantivy::DocAddress)>, SearchError> {
        let mut clauses = self.filter_clauses(kind, &Filters::default());
        clauses.push((
            Occur::Must,
            Box::new(BooleanQuery::new(self.skill_terms(skills, 2.0))),
        ));
        let searcher = self.reader.searcher();
        Ok(searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(k.max(1)).order_by_score(),
        )?)
    }

    /// Up to 1,000 candidates that share a skill with, or whose text matches, the other side.
    fn candidates(
        &self,
        kind: Kind,
        skills: &[SkillId],
        text: &str,
        filters: &Filters,
        retrieval: Retrieval,
    ) -> Result<Vec<(i32, f32)>, SearchError> {
        let searcher = self.reader.searcher();
        match self.candidates_query(&searcher, kind, skills, text, filters, retrieval)? {
            Some(query) => self.run(query.as_ref(), MATCH_CANDIDATES),
            None => Ok(Vec::new()),
        }
    }

    /// The engineers a role ranks: those holding one of its skills (or, when fewer than
    /// [`FILL_FROM_TEXT_BELOW`] do, matching its text too), ordered among equal scores by its
    /// text; `None` when there is nothing to look for.
    fn role_candidates(
        &self,
        searcher: &tantivy::Searcher,
        skills: &[SkillId],
        text: &str,
        filters: &Filters,
        retrieval: Retrieval,
    ) -> Result<Option<ranking::Candidates>, SearchError> {
        let skill_terms = self.skill_terms(skills, 2.0);
        let text_query = self.text_query(text)?;
        let (clause, by_role_skills): (Box<dyn Query>, bool) =
            match (skill_terms.is_empty(), text_query) {
                (true, None) => return Ok(None),
                (true, Some(text_query)) => (text_query, false),
                (false, text_query) if retrieval == Retrieval::SkillsOrText => {
                    let mut should = skill_terms;
                    should.extend(text_query.map(|q| (Occur::Should, q)));
                    (Box::new(BooleanQuery::new(should)), true)
                }
                (false, _) => (Box::new(BooleanQuery::new(skill_terms)), true),
            };
        let candidates = ranking::Candidates {
            kind: self.kind_filter(Kind::Engineer),
            filters: self.narrowing_filters(filters),
            retrieval: Some(clause),
            by_role_skills,
            relevance: self.text_relevance(text, 1.0),
        };
        if retrieval == Retrieval::SkillsFirst
            && self.count_up_to(searcher, &candidates.all(), FILL_FROM_TEXT_BELOW)?
                < FILL_FROM_TEXT_BELOW
        {
            return self.role_candidates(searcher, skills, text, filters, Retrieval::SkillsOrText);
        }
        Ok(Some(candidates))
    }

    /// The query for the candidates that share a skill with, or whose text matches, the other
    /// side; `None` when there is nothing to look for.
    fn candidates_query(
        &self,
        searcher: &tantivy::Searcher,
        kind: Kind,
        skills: &[SkillId],
        text: &str,
        filters: &Filters,
        retrieval: Retrieval,
    ) -> Result<Option<Box<dyn Query>>, SearchError> {
        let skill_terms = self.skill_terms(skills, 2.0);
        let text_query = self.text_query(text)?;
        let mut clauses = self.filter_clauses(kind, filters);
        match (skill_terms.is_empty(), text_query) {
            (true, None) => return Ok(None),
            (true, Some(text_query)) => clauses.push((Occur::Must, text_query)),
            (false, text_query) if retrieval == Retrieval::SkillsOrText => {
                let mut should = skill_terms;
                should.extend(text_query.map(|q| (Occur::Should, q)));
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(should))));
            }
            // With skills to look for, a candidate must hold one of them and the text only adds
            // to its relevance: common title words ("engineer", "エンジニア") would otherwise
            // make nearly every document a candidate to score, and one holding none of the
            // skills cannot rank high (required skills are most of the match score).
            (false, text_query) => {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(skill_terms))));
                if let Some(text_query) = text_query {
                    clauses.push((Occur::Should, text_query));
                }
            }
        }
        let query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        // Too few hold any of the skills to fill a list: let the text bring in the rest. A
        // fixed bar, not the page asked for, so that every page of a ranking ranks the same
        // candidates.
        if retrieval == Retrieval::SkillsFirst
            && self.count_up_to(searcher, query.as_ref(), FILL_FROM_TEXT_BELOW)?
                < FILL_FROM_TEXT_BELOW
        {
            return self.candidates_query(
                searcher,
                kind,
                skills,
                text,
                filters,
                Retrieval::SkillsOrText,
            );
        }
        Ok(Some(query))
    }
}

/// How deep a ranked list reads: the pages of a role's candidates reach the 1,000th engineer,
/// and an engineer's roles are scored from the 1,000 sharing most with them.
pub const MATCH_CANDIDATES: usize = 1000;

/// Fewer candidates than this sharing a skill with the other side, and those sharing a word
/// are candidates too (a list of matches is at most 100 long).
const FILL_FROM_TEXT_BELOW: usize = 100;

/// Which page of a role's ranked engineers to read, and among whom.
#[derive(Debug, Clone)]
pub struct RoleRanking<'a> {
    /// The recruiter's words; empty for the role's own candidates.
    pub words: &'a str,
    pub filters: &'a Filters,
    pub offset: usize,
    pub limit: usize,
}

/// A page of a ranking, and how many were ranked in all (counted as far as the pages reach,
/// [`MATCH_CANDIDATES`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RankedPage {
    pub hits: Vec<Hit>,
    pub ranked: usize,
}

/// Scores each candidate with its facts, ranks them (text relevance, normalised to the best
/// candidate's, orders equal scores) and explains only the `limit` from `offset`.
fn rank_candidates<F>(
    candidates: Vec<(i32, f32)>,
    facts: &HashMap<i32, F>,
    offset: usize,
    limit: usize,
    score: impl Fn(&F) -> matching::Score,
    explain: impl Fn(&F) -> Explanation,
) -> RankedPage {
    let best = candidates
        .iter()
        .map(|c| c.1)
        .fold(0.0f32, f32::max)
        .max(f32::EPSILON);
    let scored: Vec<(i32, matching::Score, f32)> = candidates
        .iter()
        .filter_map(|(id, relevance)| facts.get(id).map(|f| (*id, score(f), relevance / best)))
        .collect();
    let ranked = matching::rank_scores(scored);
    RankedPage {
        ranked: ranked.len(),
        hits: ranked
            .into_iter()
            .skip(offset)
            .take(limit)
            .filter_map(|(id, _, relevance)| {
                Some(Hit {
                    id,
                    relevance,
                    explanation: Some(explain(facts.get(&id)?)),
                })
            })
            .collect(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// IPADIC built once per test run, under the build's target directory.
    pub(crate) fn shared_dictionary() -> lindera::dictionary::Dictionary {
        static BUILT: std::sync::Once = std::sync::Once::new();
        let cache = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ipadic-cache");
        let cache = std::env::var("SETUBASHI_IPADIC_CACHE")
            .map(std::path::PathBuf::from)
            .unwrap_or(cache);
        BUILT.call_once(|| {
            crate::ipadic::load_or_build(&cache, Path::new(crate::ipadic::DEBIAN_SOURCES)).unwrap();
        });
        crate::ipadic::load_or_build(&cache, Path::new(crate::ipadic::DEBIAN_SOURCES)).unwrap()
    }

    fn id(s: &str) -> SkillId {
        SkillId::new(s)
    }

    /// The glossary is part of the analysis now: an index holds markers for the phrases of the
    /// glossary it was built with. A glossary changed under the same schema version would leave
    /// the documents indexed before without the new phrases' markers (a search would miss
    /// them until the next rebuild), so this fails until both change together.
    #[test]
    fn a_changed_glossary_comes_with_a_new_schema_version() {
        const GLOSSARY_OF_THIS_VERSION: (u32, u64) = (11, 0x4ec2_7929_4dcc_bc91);
        // FNV-1a: a fingerprint that stays the same across Rust releases
        let fingerprint = include_str!("../../domain/data/glossary.toml")
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
                (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
            });
        assert_eq!(
            (SCHEMA_VERSION, fingerprint),
            GLOSSARY_OF_THIS_VERSION,
            "the glossary changed: bump SCHEMA_VERSION and write both here"
        );
    }

    /// The marker terms find exactly what phrase queries over positions found, for every
    /// glossary phrase, in texts made of the phrases' words in every order, among other
    /// scripts' words and punctuation (a phrase may be cut by another script's run, as the
    /// split text joins each script's runs).
    #[test]
    fn a_glossary_phrase_s_marker_finds_exactly_what_its_phrase_query_found() {
        use rand::seq::SliceRandom;
        use rand::{Rng, SeedableRng};
        use tantivy::collector::DocSetCollector;
        use tantivy::query::PhraseQuery;

        let schema_index = Index::create_in_ram({
            let mut builder = Schema::builder();
            for analyser in [analysis::ENGLISH, analysis::JAPANESE, analysis::INDIC] {
                let options = |name: &str, record| {
                    TextOptions::default().set_indexing_options(
                        TextFieldIndexing::default()
                            .set_tokenizer(name)
                            .set_index_option(record),
                    )
                };
                builder.add_text_field(
                    &format!("positions_{analyser}"),
                    options(analyser, IndexRecordOption::WithFreqsAndPositions),
                );
                builder.add_text_field(
                    &format!("marked_{analyser}"),
                    options(&format!("{analyser}_phrases"), IndexRecordOption::WithFreqs),
                );
            }
            builder.build()
        });
        let manager = schema_index.tokenizers();
        analysis::register(manager, shared_dictionary());
        let glossary = Glossary::builtin();
        analysis::register_phrases(
            manager,
            shared_dictionary(),
            glossary_phrase_sets(manager, &glossary),
        );
        let schema = schema_index.schema();
        let field = |name: String| schema.get_field(&name).unwrap();
        let analysers = [
            (Analyser::English, analysis::ENGLISH),
            (Analyser::Japanese, analysis::JAPANESE),
            (Analyser::Indic, analysis::INDIC),
        ];

        // every glossary phrase of two words or more, and the words they are made of
        let phrases: Vec<(Analyser, Vec<(usize, String)>)> = glossary
            .terms()
            .iter()
            .flat_map(GlossaryTerm::words)
            .flat_map(|word| phrases_of_word(manager, word))
            .filter(|(_, words)| words.len() > 1)
            .collect();
        assert!(phrases.len() > 100, "{} phrases", phrases.len());
        let written: Vec<&str> = glossary
            .terms()
            .iter()
            .flat_map(GlossaryTerm::words)
            .filter(|w| w.split_whitespace().nth(1).is_some())
            .collect();
        let loose: Vec<&str> = written
            .iter()
            .flat_map(|w| w.split_whitespace())
            .chain(["and", "the", "東京", "募集", "में", "·", ",", "(", "engineer"])
            .collect();

        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(15);
        let mut writer: IndexWriter = schema_index.writer(50_000_000).unwrap();
        for _ in 0..3_000 {
            let mut parts: Vec<&str> = Vec::new();
            for _ in 0..rng.gen_range(3..25) {
                if rng.gen_bool(0.15) {
                    parts.push(written.choose(&mut rng).unwrap());
                } else {
                    parts.push(loose.choose(&mut rng).unwrap());
                }
            }
            let (en, ja, indic) = split_text(&parts.join(" "));
            let mut document = TantivyDocument::default();
            for ((_, name), part) in analysers.iter().zip([en, ja, indic]) {
                document.add_text(field(format!("positions_{name}")), &part);
                document.add_text(field(format!("marked_{name}")), &part);
            }
            writer.add_document(document).unwrap();
        }
        writer.commit().unwrap();
        let searcher = schema_index.reader().unwrap().searcher();

        let (mut found, mut phrases_found) = (0, 0);
        for (analyser, words) in &phrases {
            let name = analysers.iter().find(|(a, _)| a == analyser).unwrap().1;
            let positions = field(format!("positions_{name}"));
            let by_positions = searcher
                .search(
                    &PhraseQuery::new_with_offset(
                        words
                            .iter()
                            .map(|(at, w)| (*at, Term::from_field_text(positions, w)))
                            .collect(),
                    ),
                    &DocSetCollector,
                )
                .unwrap();
            let marker =
                Term::from_field_text(field(format!("marked_{name}")), &phrases::marker(words));
            let by_marker = searcher
                .search(
                    &TermQuery::new(marker, IndexRecordOption::Basic),
                    &DocSetCollector,
                )
                .unwrap();
            assert_eq!(by_marker, by_positions, "{analyser:?} {words:?}");
            found += by_positions.len();
            phrases_found += usize::from(!by_positions.is_empty());
        }
        // not vacuous: most phrases were written somewhere, and many times in all
        assert!(
            phrases_found * 2 > phrases.len(),
            "{phrases_found} of {}",
            phrases.len()
        );
        assert!(found > 1_000, "{found}");
    }

    fn index() -> SearchIndex {
        let index = SearchIndex::in_memory(shared_dictionary(), Taxonomy::builtin()).unwrap();
        let engineers = [
            (
                1,
                "Priya Sharma — embedded software engineer, automotive firmware",
                vec![(id("embedded-software"), 6), (id("rust"), 3)],
                Some(JlptLevel::N3),
            ),
            (
                2,
                "Rahul Verma — machine learning engineer for computer vision",
                vec![(id("machine-learning"), 4), (id("python"), 5)],
                Some(JlptLevel::N4),
            ),
            (
                3,
                "Ananya Iyer — verification engineer, UVM and SystemVerilog",
                vec![(id("uvm"), 3)],
                None,
            ),
            (
                4,
                "Karthik Rao — embedded C developer",
                vec![(id("embedded-software"), 2)],
                Some(JlptLevel::N2),
            ),
        ];
        for (pid, text, skills, jlpt) in engineers {
            index
                .upsert_profile(&ProfileDoc {
                    id: pid,
                    text: text.to_owned(),
                    facts: EngineerFacts {
                        skills,
                        jlpt,
                        desired_salary_jpy: Some(6_000_000),
                        in_japan: false,
                    },
                    indian_state: Some("ka".to_owned()),
                    ..Default::default()
                })
                .unwrap();
        }
        let roles = [
            (
                10,
                "組み込みエンジニア（EV）。BMSのファームウェア開発を担当します。東京都",
                vec![(id("embedded-software"), 3)],
                Some(JlptLevel::N3),
                "tokyo",
            ),
            (
                11,
                "Machine learning engineer — computer vision for factory inspection (京都)",
                vec![(id("machine-learning"), 3)],
                None,
                "kyoto",
            ),
            (
                12,
                "मशीन लर्निंग इंजीनियर",
                vec![(id("machine-learning"), 1)],
                Some(JlptLevel::N2),
                "osaka",
            ),
        ];
        for (rid, text, required, min_jlpt, prefecture) in roles {
            index
                .upsert_role(&RoleDoc {
                    id: rid,
                    text: text.to_owned(),
                    facts: RoleFacts {
                        required,
                        nice: vec![],
                        min_jlpt,
                        jlpt_strict: false,
                        salary_max_jpy: 8_000_000,
                        apply_from_abroad: true,
                        related: Vec::new(),
                    },
                    sector: "software".to_owned(),
                    salary_min_jpy: 5_000_000,
                    prefecture: prefecture.to_owned(),
                    remote_policy: "hybrid".to_owned(),
                    visa_sponsorship: true,
                    ..Default::default()
                })
                .unwrap();
        }
        index.commit().unwrap();
        index
    }

    fn ids(hits: &[Hit]) -> Vec<i32> {
        hits.iter().map(|h| h.id).collect()
    }

    #[test]
    fn a_kind_s_generation_moves_on_only_with_a_commit_that_wrote_that_kind() {
        let index = index();
        let now = |index: &SearchIndex| {
            (
                index.generation(Kind::Engineer),
                index.generation(Kind::Role),
            )
        };
        let (engineers, roles) = now(&index);
        assert!(
            engineers > 0 && roles > 0,
            "the fixture's commit wrote both"
        );

        // a profile written and committed: the engineers' searches change, the roles' do not
        index
            .upsert_profile(&ProfileDoc {
                id: 9,
                text: "FPGA engineer".to_owned(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(now(&index), (engineers, roles), "not before the commit");
        index.commit().unwrap();
        assert_eq!(now(&index), (engineers + 1, roles));

        // a commit that wrote nothing moves nothing
        index.commit().unwrap();
        assert_eq!(now(&index), (engineers + 1, roles));

        // a role closed (removed) through a batch: the roles' searches change
        let mut batch = index.batch().unwrap();
        batch.remove(Kind::Role, 11).unwrap();
        batch.commit("1").unwrap();
        assert_eq!(now(&index), (engineers + 1, roles + 1));

        // a refill empties both kinds
        let refill = index.refill().unwrap();
        refill.finish("2").unwrap();
        assert_eq!(now(&index), (engineers + 2, roles + 2));

        // the words' rule changed: what both kinds find may change
        index.set_common_words_choose(true);
        assert_eq!(now(&index), (engineers + 3, roles + 3));
    }

    /// 1,250 profiles: 1,099 engineers ("engineer" is in more than a fifth of them and in more
    /// than a thousand: common), two of them embedded ("embedded" chooses), and 150 writers.
    fn pool_with_a_common_word() -> SearchIndex {
        let index = SearchIndex::in_memory(shared_dictionary(), Taxonomy::builtin()).unwrap();
        let specialisms = [
            "data",
            "verification",
            "cloud",
            "test",
            "network",
            "security",
            "backend",
            "mobile",
        ];
        let text = |id: i32| match id {
            1 => "embedded engineer, battery controllers".to_owned(),
            2 => "embedded developer, battery controllers".to_owned(),
            3..=1100 => format!("{} engineer", specialisms[id as usize % specialisms.len()]),
            _ => "technical writer, manuals".to_owned(),
        };
        for id in 1..=1250 {
            index
                .upsert_profile(&ProfileDoc {
                    id,
                    text: text(id),
                    ..Default::default()
                })
                .unwrap();
        }
        index.commit().unwrap();
        index
    }

    /// An index of profiles that say only their text.
    fn profiles_saying<'a>(texts: impl IntoIterator<Item = (i32, &'a str)>) -> SearchIndex {
        let index = SearchIndex::in_memory(shared_dictionary(), Taxonomy::builtin()).unwrap();
        for (id, text) in texts {
            let doc = ProfileDoc {
                id,
                text: text.to_owned(),
                ..Default::default()
            };
            index.upsert_profile(&doc).unwrap();
        }
        index.commit().unwrap();
        index
    }

    /// The typed words a page says only ordered its results.
    fn ordering_words(index: &SearchIndex, kind: Kind, words: &str) -> Vec<String> {
        index
            .search_page(kind, words, &Filters::default(), Order::Relevance, 0, 1)
            .unwrap()
            .ordering_words
    }

    fn found(index: &SearchIndex, words: &str) -> Vec<i32> {
        ids(&index
            .search(Kind::Engineer, words, &Filters::default(), 2_000)
            .unwrap())
    }

    #[test]
    fn a_word_in_most_profiles_orders_the_results_of_a_word_that_chooses_them() {
        let index = pool_with_a_common_word();
        // "embedded" chooses; "engineer" only puts the engineer before the developer
        assert_eq!(found(&index, "embedded engineer"), vec![1, 2]);
        assert_eq!(found(&index, "engineer embedded"), vec![1, 2]);
        assert_eq!(
            ordering_words(&index, Kind::Engineer, "embedded engineer"),
            vec!["engineer"]
        );
        // alone, the common word still chooses: every engineer
        let mut engineers = found(&index, "engineer");
        engineers.sort();
        assert_eq!(
            engineers,
            (1..=1100).filter(|&id| id != 2).collect::<Vec<_>>()
        );
        assert!(ordering_words(&index, Kind::Engineer, "engineer").is_empty());
        // beside a word no profile holds (a typo), too: nothing would be found otherwise
        let mut beside_a_typo = found(&index, "engineer zzqx");
        beside_a_typo.sort();
        assert_eq!(beside_a_typo, engineers);
        assert!(ordering_words(&index, Kind::Engineer, "engineer zzqx").is_empty());
        // two words that choose: either finds
        let mut either = found(&index, "embedded writer");
        either.sort();
        assert_eq!(
            either,
            [1, 2].into_iter().chain(1101..=1250).collect::<Vec<_>>()
        );
        // the rule off (the benchmarks' baseline): every engineer again
        index.set_common_words_choose(true);
        assert_eq!(
            found(&index, "embedded engineer").len(),
            engineers.len() + 1
        );
        assert!(ordering_words(&index, Kind::Engineer, "embedded engineer").is_empty());
    }

    /// A Japanese word written as one (組み込みエンジニア) whose part is in most profiles
    /// (エンジニア): the part only orders, and the page names the part.
    #[test]
    fn the_common_part_of_a_japanese_compound_is_named() {
        let index = profiles_saying((1..=1_250).map(|id| match id {
            1 => (id, "組み込み エンジニア"),
            2..=1_100 => (id, "データ エンジニア"),
            _ => (id, "テクニカル ライター"),
        }));
        assert_eq!(
            ordering_words(&index, Kind::Engineer, "組み込みエンジニア"),
            vec!["エンジニア"]
        );
        assert_eq!(found(&index, "組み込みエンジニア"), vec![1]);
        // the whole word common: named as typed
        assert_eq!(
            ordering_words(&index, Kind::Engineer, "組み込み エンジニア"),
            vec!["エンジニア"]
        );
    }

    #[test]
    fn a_word_in_most_roles_is_common_for_a_role_search_though_rare_among_all_documents() {
        let index = SearchIndex::in_memory(shared_dictionary(), Taxonomy::builtin()).unwrap();
        // 6,000 profiles, none of them "friendly"; 1,100 roles, all of them (a sixth of all
        // the documents, every role)
        for id in 1..=6_000 {
            let text = "technical writer".to_owned();
            let doc = ProfileDoc {
                id,
                text,
                ..Default::default()
            };
            index.upsert_profile(&doc).unwrap();
        }
        for id in 1..=1_100 {
            let text = if id == 1 {
                "embedded team, friendly".to_owned()
            } else {
                "backend team, friendly".to_owned()
            };
            let doc = RoleDoc {
                id,
                text,
                ..Default::default()
            };
            index.upsert_role(&doc).unwrap();
        }
        index.commit().unwrap();
        let roles = |words: &str| {
            ids(&index
                .search(Kind::Role, words, &Filters::default(), 2_000)
                .unwrap())
        };
        assert_eq!(roles("embedded friendly"), vec![1]);
        assert_eq!(roles("friendly").len(), 1_100);
        assert_eq!(
            ordering_words(&index, Kind::Role, "embedded friendly"),
            vec!["friendly"]
        );
        // no profile is friendly: for the talent pool it is a word like any other
        assert!(ordering_words(&index, Kind::Engineer, "writer friendly").is_empty());
    }

    /// The glossary's phrases are searched as phrases: 組み込みエンジニア's "embedded software
    /// engineer" finds the embedded engineers, not every software engineer, and 後工程's
    /// "assembly and test" finds assembly and test, not every tester (nor every "and").
    #[test]
    fn the_glossarys_phrases_find_the_phrase_not_each_of_its_words() {
        let index = profiles_saying([
            (1, "embedded software engineer, automotive controllers"),
            (2, "software engineer and web developer"),
            (3, "test engineer for mobile apps"),
            (4, "semiconductor assembly and test line lead"),
        ]);
        let found = |words: &str| {
            let mut ids = ids(&index
                .search(Kind::Engineer, words, &Filters::default(), 10)
                .unwrap());
            ids.sort();
            ids
        };
        assert_eq!(found("組み込みエンジニア"), vec![1]);
        assert_eq!(found("後工程"), vec![4]);
        // typed words are each a word of their own, as before
        assert_eq!(found("software engineer"), vec![1, 2, 3]);
    }

    #[test]
    fn a_japanese_query_finds_english_profiles_through_skill_ids() {
        let index = index();
        let hits = index
            .search(Kind::Engineer, "組み込み Rust", &Filters::default(), 10)
            .unwrap();
        assert_eq!(ids(&hits)[0], 1, "Priya has both skills: {hits:?}");
        assert!(ids(&hits).contains(&4));
        assert!(!ids(&hits).contains(&2));
    }

    #[test]
    fn a_hindi_query_finds_machine_learning_roles_in_english_and_hindi() {
        let index = index();
        let hits = index
            .search(Kind::Role, "मशीन लर्निंग", &Filters::default(), 10)
            .unwrap();
        let mut found = ids(&hits);
        found.sort();
        assert_eq!(found, vec![11, 12]);
    }

    #[test]
    fn kyoto_does_not_find_the_tokyo_role() {
        let index = index();
        let hits = index
            .search(Kind::Role, "京都", &Filters::default(), 10)
            .unwrap();
        assert_eq!(ids(&hits), vec![11]);
    }

    /// Roles hold 0 years so that the years' column is full in every segment that holds both
    /// kinds: a filter reads a full column's values by document, an optional one maps each
    /// document to its row first (a quarter of a fresh candidates page's time).
    #[test]
    fn the_years_column_has_a_value_for_every_document_roles_too() {
        let index = index();
        let searcher = index.reader.searcher();
        let mut kinds = std::collections::BTreeSet::new();
        for segment in searcher.segment_readers() {
            let column = segment.fast_fields().u64("years").unwrap();
            assert_eq!(
                column.get_cardinality(),
                tantivy::columnar::Cardinality::Full
            );
            let kind = segment.fast_fields().u64("kind").unwrap();
            kinds.extend((0..segment.max_doc()).filter_map(|doc| kind.first(doc)));
        }
        assert_eq!(
            kinds,
            [Kind::Engineer.code(), Kind::Role.code()].into(),
            "the index holds both kinds"
        );
    }

    #[test]
    fn filters_narrow_role_searches() {
        let index = index();
        let n3 = Filters {
            jlpt_at_most: Some(Some(JlptLevel::N3)),
            ..Filters::default()
        };
        let hits = index
            .search(Kind::Role, "machine learning", &n3, 10)
            .unwrap();
        assert_eq!(ids(&hits), vec![11], "the N2 role is above N3");
        let tokyo = Filters {
            prefecture: Some("tokyo".to_owned()),
            ..Filters::default()
        };
        assert_eq!(
            ids(&index.search(Kind::Role, "エンジニア", &tokyo, 10).unwrap()),
            vec![10]
        );
    }

    #[test]
    fn query_syntax_in_user_text_is_searched_as_words_never_as_fields_ranges_or_boosts() {
        let index = index();
        // every profile wishes 6,000,000 yen: were this a range on the salary field, [0 TO 100]
        // would find none and [0 TO 9000000] all four
        for attack in [
            "salary_max:[0 TO 100]",
            "salary_max:[0 TO 9000000]",
            "kind:0",
            "*^2",
            "facts:*",
            "\"unclosed",
        ] {
            let hits = index
                .search(Kind::Engineer, attack, &Filters::default(), 10)
                .unwrap();
            assert!(
                hits.is_empty(),
                "{attack:?} matched no text of any profile, yet found {:?}",
                ids(&hits)
            );
        }
        // the words of such text still count as words
        let hits = index
            .search(Kind::Engineer, "firmware^2 OR:", &Filters::default(), 10)
            .unwrap();
        assert_eq!(ids(&hits), vec![1]);
    }

    #[test]
    fn removed_profiles_are_never_found() {
        let index = index();
        index.remove(Kind::Engineer, 1).unwrap();
        index.commit().unwrap();
        let hits = index
            .search(Kind::Engineer, "embedded", &Filters::default(), 10)
            .unwrap();
        assert_eq!(ids(&hits), vec![4]);
        assert_eq!(index.count(Kind::Engineer).unwrap(), 3);
    }

    #[test]
    fn matches_for_a_role_are_ranked_and_explained() {
        let index = index();
        let role = RoleFacts {
            required: vec![(id("embedded-software"), 3)],
            nice: vec![id("rust")],
            min_jlpt: Some(JlptLevel::N3),
            jlpt_strict: false,
            salary_max_jpy: 8_000_000,
            apply_from_abroad: true,
            related: Vec::new(),
        };
        let hits = index
            .engineers_for_role(&role, "組み込みエンジニア", 10)
            .unwrap();
        assert_eq!(ids(&hits)[..2], [1, 4]);
        let best = hits[0].explanation.as_ref().unwrap();
        assert_eq!(best.matched[0].skill, id("embedded-software"));
        assert!(best.missing.is_empty());
        let second = hits[1].explanation.as_ref().unwrap();
        assert_eq!(
            second.matched[0].years_held, 2,
            "fewer years than asked, partially credited"
        );
    }

    #[test]
    fn a_role_ranking_is_paged_and_narrowed_by_the_talent_filters() {
        const TEXT: &str = "組み込みエンジニア";
        let page = |filters, offset, limit| RoleRanking {
            words: "",
            filters,
            offset,
            limit,
        };
        let none = Filters::default();
        let index = index();
        let role = RoleFacts {
            required: vec![(id("embedded-software"), 3)],
            nice: vec![id("rust")],
            min_jlpt: Some(JlptLevel::N3),
            jlpt_strict: false,
            salary_max_jpy: 8_000_000,
            apply_from_abroad: true,
            related: Vec::new(),
        };
        let all = index
            .engineers_for_role_page(&role, TEXT, &page(&none, 0, 10))
            .unwrap();
        assert_eq!(all.ranked, all.hits.len());
        let first = index
            .engineers_for_role_page(&role, TEXT, &page(&none, 0, 1))
            .unwrap();
        let second = index
            .engineers_for_role_page(&role, TEXT, &page(&none, 1, 1))
            .unwrap();
        assert_eq!(
            first.ranked, all.ranked,
            "the total does not depend on the page"
        );
        assert_eq!(ids(&first.hits), ids(&all.hits)[..1]);
        assert_eq!(ids(&second.hits), ids(&all.hits)[1..2]);
        // N2 or better: only Karthik (N2) of the two embedded engineers
        let n2 = Filters {
            jlpt_at_least: Some(JlptLevel::N2),
            ..Filters::default()
        };
        let narrowed = index
            .engineers_for_role_page(&role, TEXT, &page(&n2, 0, 10))
            .unwrap();
        assert_eq!(ids(&narrowed.hits), [4]);
        assert_eq!(narrowed.ranked, 1);
        let beyond = index
            .engineers_for_role_page(&role, TEXT, &page(&n2, 10, 10))
            .unwrap();
        assert!(beyond.hits.is_empty());
        assert_eq!(beyond.ranked, 1);
        // the recruiter's words choose the candidates (machine learning), the role ranks them
        let searched = index
            .engineers_for_role_page(
                &role,
                TEXT,
                &RoleRanking {
                    words: "machine learning",
                    ..page(&none, 0, 10)
                },
            )
            .unwrap();
        assert_eq!(ids(&searched.hits), [2]);
        assert_eq!(
            searched.hits[0].explanation.as_ref().unwrap().missing.len(),
            1
        );
    }

    #[test]
    fn a_refill_dropped_unfinished_leaves_the_last_commit_and_a_finished_one_replaces_it() {
        let index = index();
        let engineer = EngineerFacts {
            skills: vec![(id("embedded-software"), 6)],
            jlpt: Some(JlptLevel::N3),
            desired_salary_jpy: Some(6_000_000),
            in_japan: false,
        };
        let newcomer = ProfileDoc {
            id: 99,
            text: "Meera Nair — embedded firmware engineer".to_owned(),
            facts: engineer.clone(),
            ..Default::default()
        };
        {
            // a rebuild whose reads failed after its first page: emptied, one record added
            let mut refill = index.refill().unwrap();
            refill.add_profile(&newcomer).unwrap();
        }
        // the next commit (an indexer applying a change) publishes nothing of it
        index.commit().unwrap();
        assert_eq!(index.ids(Kind::Engineer).unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(index.ids(Kind::Role).unwrap(), vec![10, 11, 12]);
        let roles = index
            .roles_for_engineer(&engineer, "embedded firmware", 10)
            .unwrap();
        assert!(
            ids(&roles).contains(&10),
            "the roles' facts were not cleared: {roles:?}"
        );
        // the writer works after the rollback
        index.upsert_profile(&newcomer).unwrap();
        index.commit().unwrap();
        assert_eq!(index.ids(Kind::Engineer).unwrap(), vec![1, 2, 3, 4, 99]);

        let mut refill = index.refill().unwrap();
        refill.add_profile(&newcomer).unwrap();
        refill.finish("mark 7").unwrap();
        assert_eq!(index.ids(Kind::Engineer).unwrap(), vec![99]);
        assert!(index.ids(Kind::Role).unwrap().is_empty());
        assert!(index
            .roles_for_engineer(&engineer, "embedded firmware", 10)
            .unwrap()
            .is_empty());
        assert_eq!(index.last_payload().unwrap().as_deref(), Some("mark 7"));
    }

    /// The indexer applies a batch while a rebuild starts: the rebuild waits for the batch's
    /// commit, so each record is held once. (When the indexer let go of the writer between its
    /// upserts and its commit, the rebuild's emptying kept the uncommitted copy: the record was
    /// held twice, and the facet counts said one more than the database.)
    #[test]
    fn a_rebuild_beside_a_batch_of_changes_holds_each_record_once() {
        let index = index();
        let changed = ProfileDoc {
            id: 2,
            text: "changed while the rebuild started".to_owned(),
            ..Default::default()
        };
        let started = std::sync::Barrier::new(2);
        std::thread::scope(|scope| {
            let mut batch = index.batch().unwrap();
            batch.upsert_profile(&changed).unwrap();
            let rebuild = scope.spawn(|| {
                started.wait();
                let mut refill = index.refill().unwrap();
                for id in 1..=4 {
                    let doc = ProfileDoc {
                        id,
                        text: "as the rebuild read it".to_owned(),
                        ..Default::default()
                    };
                    refill.add_profile(&doc).unwrap();
                }
                refill.finish("rebuilt").unwrap();
            });
            started.wait();
            // the rebuild has had every chance to take the writer
            std::thread::sleep(std::time::Duration::from_millis(200));
            batch.commit("applied").unwrap();
            rebuild.join().unwrap();
        });
        assert_eq!(index.ids(Kind::Engineer).unwrap(), vec![1, 2, 3, 4]);
        // the rebuild came last: its copy is the one kept, and its mark
        assert_eq!(index.last_payload().unwrap().as_deref(), Some("rebuilt"));
        let found = index
            .search(Kind::Engineer, "rebuild", &Filters::default(), 10)
            .unwrap();
        assert_eq!(ids(&found), vec![1, 2, 3, 4]);
    }

    #[test]
    fn a_batch_dropped_uncommitted_is_rolled_back() {
        let index = index();
        {
            let mut batch = index.batch().unwrap();
            batch.remove(Kind::Engineer, 1).unwrap();
            batch.remove(Kind::Role, 10).unwrap();
        }
        index.commit().unwrap();
        assert_eq!(index.ids(Kind::Engineer).unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(index.ids(Kind::Role).unwrap(), vec![10, 11, 12]);
    }

    #[test]
    fn a_first_fill_cut_short_is_filled_again_at_the_next_start() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let (index, created) =
            SearchIndex::open_or_create(&path, shared_dictionary(), Taxonomy::builtin()).unwrap();
        assert!(created);
        // part of a fill committed, then the process died before the fill finished
        index
            .upsert_profile(&ProfileDoc {
                id: 1,
                text: "half a fill".into(),
                facts: EngineerFacts::default(),
                indian_state: None,
                ..ProfileDoc::default()
            })
            .unwrap();
        index.commit().unwrap();
        drop(index);
        assert!(path.join("meta.json").exists());
        let (again, created) =
            SearchIndex::open_or_create(&path, shared_dictionary(), Taxonomy::builtin()).unwrap();
        assert!(
            created,
            "an unfinished index is never taken for a complete one"
        );
        assert_eq!(again.count(Kind::Engineer).unwrap(), 0);
    }

    #[test]
    fn an_index_on_disk_reopens_with_its_documents_and_a_new_schema_version_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index");
        let (index, created) =
            SearchIndex::open_or_create(&path, shared_dictionary(), Taxonomy::builtin()).unwrap();
        assert!(created);
        index
            .upsert_profile(&ProfileDoc {
                id: 7,
                text: "Rust".into(),
                facts: EngineerFacts {
                    skills: vec![(id("rust"), 2)],
                    ..EngineerFacts::default()
                },
                indian_state: None,
                ..ProfileDoc::default()
            })
            .unwrap();
        index.commit().unwrap();
        index.mark_complete().unwrap();
        drop(index);
        let (reopened, created) =
            SearchIndex::open_or_create(&path, shared_dictionary(), Taxonomy::builtin()).unwrap();
        assert!(!created);
        assert_eq!(reopened.count(Kind::Engineer).unwrap(), 1);
        // the facts that matching needs are loaded back with the index
        let role = RoleFacts {
            required: vec![(id("rust"), 1)],
            ..RoleFacts::default()
        };
        let hits = reopened.engineers_for_role(&role, "", 10).unwrap();
        assert_eq!(ids(&hits), vec![7]);
        assert_eq!(
            hits[0].explanation.as_ref().unwrap().matched[0].years_held,
            2
        );
        drop(reopened);
        std::fs::write(path.join(VERSION_FILE), "0").unwrap();
        let (rebuilt, created) =
            SearchIndex::open_or_create(&path, shared_dictionary(), Taxonomy::builtin()).unwrap();
        assert!(created);
        assert_eq!(rebuilt.count(Kind::Engineer).unwrap(), 0);
    }
}
