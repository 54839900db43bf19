//! What every request shares: the store, the rules, the publishing policy, the page templates,
//! the store generation the server follows and the KB built for it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::config::Config;
use crate::index::Store;
use crate::kb::{self, Templates};
use crate::model::Article;

use super::publish::{self, Publisher};
use super::web::Web;
use super::{security, Options, ServeError};

/// The KB of one store generation.
pub struct KbView {
    pub generation: u64,
    pub articles: Vec<Article>,
    pub cases: usize,
    pub skipped_unresolved: usize,
}

pub struct AppState {
    pub store: Store,
    pub config: Config,
    pub publisher: Publisher,
    pub token: Option<String>,
    pub web: Web,
    pub kb_templates: Templates,
    /// Bumped each time the reader moves to a newer commit.
    generation: AtomicU64,
    kb: Mutex<Option<Arc<KbView>>>,
    kb_build: Mutex<()>,
}

impl AppState {
    pub fn new(store: Store, config: Config, options: &Options) -> Result<AppState, ServeError> {
        security::check_bind(&options.addr, options.token.as_deref())?;
        if !options.keep_pii {
            publish::check_redacted(&store)?;
        }
        Ok(AppState {
            store,
            config,
            publisher: Publisher {
                keep_pii: options.keep_pii,
            },
            token: options.token.clone(),
            web: Web::new()?,
            kb_templates: Templates::builtin()?,
            generation: AtomicU64::new(0),
            kb: Mutex::new(None),
            kb_build: Mutex::new(()),
        })
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(super) fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The KB of the current generation, built on first use (blocking: call it off the async
    /// threads).
    pub fn kb(&self) -> Result<Arc<KbView>, crate::Error> {
        let generation = self.generation();
        let cached = || {
            self.kb
                .lock()
                .ok()
                .and_then(|g| g.clone())
                .filter(|v| v.generation == generation)
        };
        if let Some(view) = cached() {
            return Ok(view);
        }
        // One build at a time (seconds on a big store); the others wait and take its result.
        let _building = self.kb_build.lock();
        if let Some(view) = cached() {
            return Ok(view);
        }
        let cases = self.store.cases()?;
        let (articles, report) = kb::build(&cases, &self.config.kb, &kb::Manifest::default());
        let view = Arc::new(KbView {
            generation,
            articles,
            cases: report.cases,
            skipped_unresolved: report.skipped_unresolved,
        });
        if let Ok(mut slot) = self.kb.lock() {
            *slot = Some(view.clone());
        }
        Ok(view)
    }
}
