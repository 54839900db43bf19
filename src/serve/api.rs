//! The JSON API: the CLI's `--json` shapes over HTTP, and errors as `{"status", "error"}`.
//! The search and suggest runs here are shared with the pages.
//!
//! | route | CLI shape |
//! | --- | --- |
//! | `GET /api/search` | `casebook search --json` (+ `page`, `per_page`) |
//! | `GET /api/cases/{id}` | `casebook show --json` |
//! | `POST /api/suggest` | `casebook suggest --json` |
//! | `GET /api/stats` | `casebook stats --json` |
//! | `GET /api/kb`, `GET /api/kb/{slug}` | `casebook kb --json`'s articles; one article |

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::index::{SearchRequest, SearchResults};
use crate::model::{Article, Case, Status};
use crate::suggest::{self, ticket, Suggestion};

use super::security::{valid_case_id, valid_slug};
use super::AppState;

/// An error answered as `{"status": 404, "error": "no case CAS-1"}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

pub fn error(status: StatusCode, message: impl Into<String>) -> ApiError {
    ApiError {
        status,
        message: message.into(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"status": self.status.as_u16(), "error": self.message});
        (self.status, Json(body)).into_response()
    }
}

/// A store failure: logged with its details, answered without them.
fn internal(e: impl std::fmt::Display) -> ApiError {
    eprintln!("casebook serve: {e}");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

/// Runs `f` on the blocking pool (tantivy and the pipeline are synchronous).
pub async fn blocking<T, F>(state: &Arc<AppState>, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
{
    let st = state.clone();
    tokio::task::spawn_blocking(move || f(&st))
        .await
        .map_err(internal)?
}

/// Query parameters of a search (the CLI's flags, plus `year` and paging).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
    pub status: Option<String>,
    pub customer: Option<String>,
    pub product: Option<String>,
    /// The cases' language (`zh`, `en`), as `--lang`.
    pub lang: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    /// Shorthand for `since=YYYY&until=YYYY`.
    pub year: Option<String>,
    pub page: Option<usize>,
    pub per_page: Option<usize>,
}

pub const PER_PAGE: usize = 10;
pub const MAX_PER_PAGE: usize = 50;
/// Paging asks the store for `page × per_page` hits, so deep pages are bounded.
pub const MAX_PAGE: usize = 100;

/// One page of results, with the hits published.
pub struct SearchPage {
    pub results: SearchResults,
    pub page: usize,
    pub per_page: usize,
}

pub fn run_search(state: &AppState, p: &SearchParams) -> Result<SearchPage, ApiError> {
    let per_page = p.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = p.page.unwrap_or(1).clamp(1, MAX_PAGE);
    let nonempty = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
    let (since, until) = match nonempty(&p.year) {
        Some(y) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(y.clone()), Some(y))
        }
        Some(y) => {
            return Err(error(
                StatusCode::BAD_REQUEST,
                format!("year {y:?} is not YYYY"),
            ))
        }
        None => (nonempty(&p.since), nonempty(&p.until)),
    };
    let req = SearchRequest {
        query: p.q.clone(),
        limit: page * per_page,
        customer: nonempty(&p.customer),
        product: nonempty(&p.product),
        status: nonempty(&p.status),
        lang: nonempty(&p.lang),
        since,
        until,
    };
    let mut results = state.store.search(&req).map_err(|e| {
        let text = e.to_string();
        // The store's one input error: a date filter it cannot read.
        if text.contains("cannot read the date") {
            error(
                StatusCode::BAD_REQUEST,
                "cannot read the date (use YYYY, YYYY-MM or YYYY-MM-DD)",
            )
        } else {
            internal(text)
        }
    })?;
    results.hits = std::mem::take(&mut results.hits)
        .into_iter()
        .skip((page - 1) * per_page)
        .map(|h| state.publisher.hit(h))
        .collect();
    Ok(SearchPage {
        results,
        page,
        per_page,
    })
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(|e| error(StatusCode::BAD_REQUEST, e.body_text()))?;
    let page = blocking(&state, move |s| run_search(s, &params)).await?;
    let mut doc = state.publisher.doc(&page.results).map_err(internal)?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("page".into(), json!(page.page));
        obj.insert("per_page".into(), json!(page.per_page));
    }
    Ok(Json(doc))
}

/// The stored case with `id`, published; 400 for an id that cannot be one, 404 for none.
pub fn load_case(state: &AppState, id: &str) -> Result<(Case, Case), ApiError> {
    if !valid_case_id(id) {
        return Err(error(StatusCode::BAD_REQUEST, "not a case id"));
    }
    let case = state
        .store
        .get(id)
        .map_err(internal)?
        .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("no case {id}")))?;
    let published = state.publisher.doc(&case).map_err(internal)?;
    let published: Case = serde_json::from_value(published).map_err(internal)?;
    Ok((case, published))
}

pub async fn case(
    State(state): State<Arc<AppState>>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Case>, ApiError> {
    let (_, published) = blocking(&state, move |s| load_case(s, &id)).await?;
    Ok(Json(published))
}

#[derive(Debug, Deserialize)]
pub struct SuggestParams {
    pub top: Option<usize>,
}

/// A JSON body for `POST /api/suggest`.
#[derive(Deserialize)]
struct SuggestBody {
    text: String,
    top: Option<usize>,
}

pub const MAX_TOP: usize = 20;

/// The ticket in `bytes` (text, `.eml` or a text export) through the same path as
/// `casebook suggest`.
pub fn run_suggest(state: &AppState, bytes: &[u8], top: usize) -> Result<Suggestion, ApiError> {
    run_suggest_with_ticket(state, bytes, top).map(|(found, _)| found)
}

/// [`run_suggest`], also giving the ticket read from `bytes` (the reply draft quotes it).
pub fn run_suggest_with_ticket(
    state: &AppState,
    bytes: &[u8],
    top: usize,
) -> Result<(Suggestion, ticket::Ticket), ApiError> {
    let messages = ticket::messages_from_bytes(bytes, Path::new("<request>"));
    let ticket = ticket::from_messages(messages, &state.config);
    if ticket.text.trim().is_empty() && ticket.quoted.trim().is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "the ticket has no text to match",
        ));
    }
    let top = top.clamp(1, MAX_TOP);
    let options = suggest::Options {
        top,
        abstain_below: state.config.suggest.abstain_below,
    };
    let found = suggest::suggest(&ticket, &state.store, options).map_err(internal)?;
    Ok((found, ticket))
}

pub async fn suggest(
    State(state): State<Arc<AppState>>,
    Query(params): Query<SuggestParams>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let body = body.map_err(|e| error(e.status(), e.body_text()))?;
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let (bytes, top) = if json_body {
        let b: SuggestBody = serde_json::from_slice(&body).map_err(|e| {
            error(
                StatusCode::BAD_REQUEST,
                format!("expected {{\"text\": \"...\"}}: {e}"),
            )
        })?;
        (Bytes::from(b.text), b.top.or(params.top))
    } else {
        (body, params.top)
    };
    let top = top.unwrap_or(suggest::Options::default().top);
    let found = blocking(&state, move |s| run_suggest(s, &bytes, top)).await?;
    Ok(Json(state.publisher.doc(&found).map_err(internal)?))
}

pub async fn stats(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let stats = blocking(&state, |s| s.store.stats().map_err(internal)).await?;
    Ok(Json(state.publisher.doc(&stats).map_err(internal)?))
}

/// One line of the KB index (the `articles[]` of `casebook kb --json`, without the file path).
#[derive(Serialize)]
struct ArticleLine<'a> {
    id: &'a str,
    title: &'a str,
    language: &'a str,
    status: Status,
    reuse: usize,
    tags: &'a [String],
    products: &'a [String],
    cases: Vec<&'a str>,
}

pub async fn kb_index(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let kb = blocking(&state, |s| s.kb().map_err(internal)).await?;
    let articles: Vec<ArticleLine> = kb
        .articles
        .iter()
        .map(|a| ArticleLine {
            id: &a.id,
            title: &a.title,
            language: &a.language,
            status: a.status,
            reuse: a.cases.len(),
            tags: &a.tags,
            products: &a.products,
            cases: a.cases.iter().map(|c| c.id.as_str()).collect(),
        })
        .collect();
    #[derive(Serialize)]
    struct Index<'a> {
        cases: usize,
        skipped_unresolved: usize,
        articles: Vec<ArticleLine<'a>>,
    }
    let doc = Index {
        cases: kb.cases,
        skipped_unresolved: kb.skipped_unresolved,
        articles,
    };
    Ok(Json(state.publisher.doc(&doc).map_err(internal)?))
}

/// The article with `slug` from the current KB; 400 for a slug that cannot be one, 404 for none.
pub fn load_article(state: &AppState, slug: &str) -> Result<Article, ApiError> {
    if !valid_slug(slug) {
        return Err(error(StatusCode::BAD_REQUEST, "not an article id"));
    }
    let kb = state.kb().map_err(internal)?;
    kb.articles
        .iter()
        .find(|a| a.id == slug)
        .cloned()
        .ok_or_else(|| error(StatusCode::NOT_FOUND, format!("no article {slug}")))
}

pub async fn kb_article(
    State(state): State<Arc<AppState>>,
    UrlPath(slug): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    let (article, markdown) = blocking(&state, move |s| {
        let a = load_article(s, &slug)?;
        let md = s.kb_templates.article(&a).map_err(internal)?;
        Ok((a, md))
    })
    .await?;
    let mut doc = state.publisher.doc(&article).map_err(internal)?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "markdown".into(),
            Value::String(state.publisher.text(&markdown)),
        );
    }
    Ok(Json(doc))
}

pub async fn healthz(State(state): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({"status": "ok", "generation": state.generation()}))
}
