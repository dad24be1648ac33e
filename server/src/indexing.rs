//! Opening the search index at start-up, rebuilding it from the database when it is new or of
//! an older schema, and `server reindex`.

use std::sync::Arc;

use domain::skills::Taxonomy;
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::DatabaseConnection;
use search::SearchIndex;

use crate::config::Config;

/// The search index as opened.
pub struct Opened {
    pub index: Arc<SearchIndex>,
    /// Whether it was created (or of an older schema) and so just filled from the database.
    pub rebuilt: bool,
}

/// Opens (or creates) the index in the data directory; a new one is filled from the database.
pub async fn open(
    config: &Config,
    db: &DatabaseConnection,
    progress: bool,
) -> anyhow::Result<Opened> {
    let (index, created) = open_or_create(config).await?;
    let index = Arc::new(index);
    if created {
        rebuild(db, &index, progress).await?;
    }
    // changes committed since the index's last commit are applied by the indexer's first
    // round (see `app::indexing::Indexer`), before /readyz reports ready
    Ok(Opened {
        index,
        rebuilt: created,
    })
}

/// Opens the index in the data directory as it is, or creates it empty (returning `true`) when
/// it is missing, of another schema version or never completed; fills nothing.
pub async fn open_or_create(config: &Config) -> anyhow::Result<(SearchIndex, bool)> {
    let (data_dir, sources, index_dir, threads) = (
        config.data_dir.clone(),
        config.ipadic_sources.clone(),
        config.index_dir(),
        config.search_threads,
    );
    Ok(tokio::task::spawn_blocking(move || {
        let dictionary = search::ipadic::load_or_build(&data_dir, &sources)?;
        let (mut index, created) =
            SearchIndex::open_or_create(&index_dir, dictionary, Taxonomy::builtin())?;
        index.set_search_threads(threads)?;
        Ok::<_, search::SearchError>((index, created))
    })
    .await??)
}

/// Rebuilds the index from the database, with a progress bar on a terminal.
pub async fn rebuild(
    db: &DatabaseConnection,
    index: &Arc<SearchIndex>,
    progress: bool,
) -> anyhow::Result<(usize, usize)> {
    let bar = if progress {
        ProgressBar::new(0)
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("indexing");
    let ticker = bar.clone();
    let started = std::time::Instant::now();
    let counts = app::indexing::rebuild(db, index, move |done, total| {
        ticker.set_length(total as u64);
        ticker.set_position(done as u64);
    })
    .await
    .map_err(|e| anyhow::anyhow!("rebuilding the search index failed: {e}"))?;
    bar.finish_and_clear();
    tracing::info!(
        profiles = counts.0,
        roles = counts.1,
        seconds = started.elapsed().as_secs_f64(),
        "search index rebuilt"
    );
    Ok(counts)
}
