//! Following the store while `casebook ingest` writes to it from another process.
//!
//! tantivy publishes a commit by atomically replacing `index/meta.json` after every segment it
//! names is on disk, so a reader that reloads on a changed `meta.json` moves from one complete
//! commit to the next. Each request takes one searcher, a snapshot of one commit: a page never
//! mixes two. A reload that fails (a segment merged away between reading the meta and opening it)
//! keeps the previous commit and is tried again on the next tick.

use std::sync::Arc;
use std::time::Duration;

use super::AppState;

pub async fn follow(state: Arc<AppState>, every: Duration) {
    let meta = state.store.dir.join("index").join("meta.json");
    let mut seen = tokio::fs::read(&meta).await.ok();
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let now = tokio::fs::read(&meta).await.ok();
        if now.is_none() || now == seen {
            continue;
        }
        let st = state.clone();
        match tokio::task::spawn_blocking(move || st.store.reload()).await {
            Ok(Ok(())) => {
                seen = now;
                state.bump_generation();
            }
            Ok(Err(e)) => eprintln!("casebook serve: reload: {e} (keeping the previous commit)"),
            Err(e) => eprintln!("casebook serve: reload task: {e}"),
        }
    }
}
