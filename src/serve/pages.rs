//! The HTML pages: Search, Case, Suggest, KB (index and article), the login form and the static
//! files. Each handler gathers values (through `api`'s runs, so pages and API answer alike) and
//! renders one template; the UI language comes from `i18n::negotiate`.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, OriginalUri, Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use crate::kb::markdown_to_html;
use crate::model::{format_date, Case, Status};
use crate::suggest::render;

use super::api::{self, blocking, ApiError, SearchParams};
use super::i18n;
use super::security::{self, valid_case_id, TOKEN_COOKIE};
use super::views::{path_segment, query_string, segments, source_of};
use super::web::ASSETS;
use super::AppState;

const UI_COOKIE: &str = "casebook_ui";

/// The request's UI language and what every page needs to draw its frame.
struct Ui {
    lang: &'static str,
    /// The current URL with the other language chosen.
    switch_href: String,
    /// Set when `?ui=` chose the language, so the choice sticks.
    remember: bool,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn ui(headers: &HeaderMap, uri: &Uri) -> Ui {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let explicit = pairs
        .iter()
        .find(|(k, _)| k == "ui")
        .map(|(_, v)| v.as_str());
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = i18n::negotiate(explicit, cookie(headers, UI_COOKIE), accept);
    let other = if lang == "zh" { "en" } else { "zh" };
    let kept = pairs
        .iter()
        .filter(|(k, _)| k != "ui")
        .map(|(k, v)| (k.as_str(), v.as_str()));
    let query = query_string(kept.chain([("ui", other)]));
    // `//host/...` would be a link to another site: such a path switches on the home page.
    let path = uri.path();
    let path = if path.starts_with("//") || path.starts_with("/\\") {
        "/"
    } else {
        path
    };
    Ui {
        lang,
        switch_href: format!("{path}{query}"),
        remember: explicit.is_some_and(|e| e == lang),
    }
}

/// Renders `template` with the frame's values and `ctx`.
fn render(state: &AppState, ui: &Ui, status: StatusCode, template: &str, ctx: Value) -> Response {
    let base = context! {
        ui => ui.lang,
        t => i18n::table(ui.lang),
        switch_href => &ui.switch_href,
        auth => state.token.is_some(),
    };
    let full = context! { ..ctx, ..base };
    let mut resp = match state.web.render(template, full) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            eprintln!("casebook serve: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    };
    if ui.remember {
        let c = format!(
            "{UI_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            ui.lang
        );
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    resp
}

fn error_page(state: &AppState, ui: &Ui, e: ApiError) -> Response {
    let t = i18n::table(ui.lang);
    let title = match e.status {
        StatusCode::NOT_FOUND => t["not_found"],
        StatusCode::BAD_REQUEST => t["bad_request"],
        _ => t["error"],
    };
    let ctx =
        context! { page => "error", title, status => e.status.as_u16(), message => e.message };
    render(state, ui, e.status, "error.html.j2", ctx)
}

fn case_href(id: &str) -> Option<String> {
    valid_case_id(id).then(|| format!("/cases/{}", path_segment(id)))
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Resolved => "resolved",
        Status::Unresolved => "unresolved",
    }
}

#[derive(Serialize)]
struct FacetValue {
    label: String,
    count: u64,
    href: String,
    active: bool,
}

#[derive(Serialize)]
struct Facet {
    key: &'static str,
    values: Vec<FacetValue>,
}

/// The search parameters as pairs, with `key` set to `value` (or dropped when `None`) and the
/// page reset.
fn with_param(p: &SearchParams, key: &str, value: Option<&str>) -> String {
    let mut pairs: BTreeMap<&str, String> = BTreeMap::new();
    pairs.insert("q", p.q.clone());
    for (k, v) in [
        ("status", &p.status),
        ("customer", &p.customer),
        ("product", &p.product),
        ("lang", &p.lang),
        ("since", &p.since),
        ("until", &p.until),
        ("year", &p.year),
    ] {
        if let Some(v) = v {
            pairs.insert(k, v.clone());
        }
    }
    match value {
        Some(v) => pairs.insert(key, v.to_string()),
        None => pairs.remove(key),
    };
    format!(
        "/{}",
        query_string(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    )
}

pub async fn search(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    let ui = ui(&headers, &uri);
    let params = match params {
        Ok(Query(p)) => p,
        Err(e) => {
            return error_page(
                &state,
                &ui,
                api::error(StatusCode::BAD_REQUEST, e.body_text()),
            )
        }
    };
    let p = params.clone();
    let page = match blocking(&state, move |s| api::run_search(s, &p)).await {
        Ok(page) => page,
        Err(e) => return error_page(&state, &ui, e),
    };
    let r = &page.results;
    let hits: Vec<Value> = r
        .hits
        .iter()
        .map(|h| {
            let runs: Vec<Value> = segments(&h.snippet, &h.highlights)
                .into_iter()
                .map(|(text, hit)| context! { text, hit })
                .collect();
            context! {
                id => &h.id, href => case_href(&h.id), title => &h.title,
                status => &h.status, score => format!("{:.2}", h.score), segments => runs,
            }
        })
        .collect();
    let mut facets = Vec::new();
    for key in ["status", "customer", "language", "year"] {
        let param = match key {
            "language" => "lang",
            other => other,
        };
        let current = match param {
            "status" => params.status.as_deref(),
            "customer" => params.customer.as_deref(),
            "lang" => params.lang.as_deref(),
            _ => params.year.as_deref(),
        };
        let counts = r.facets.get(key).and_then(|v| v.as_object());
        let mut values: Vec<FacetValue> = counts
            .into_iter()
            .flatten()
            .map(|(label, n)| {
                let active = current == Some(label.as_str());
                FacetValue {
                    label: label.clone(),
                    count: n.as_u64().unwrap_or(0),
                    href: with_param(&params, param, (!active).then_some(label.as_str())),
                    active,
                }
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
        values.truncate(20);
        facets.push(Facet { key, values });
    }
    let pages = r.total.div_ceil(page.per_page).clamp(1, api::MAX_PAGE);
    let page_href = |n: usize| {
        let mut href = with_param(&params, "page", None);
        href.push(if href.contains('?') { '&' } else { '?' });
        href.push_str(&format!("page={n}"));
        href
    };
    let filters: Vec<(&str, &str)> = [
        ("status", &params.status),
        ("customer", &params.customer),
        ("lang", &params.lang),
        ("year", &params.year),
        ("since", &params.since),
        ("until", &params.until),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect();
    let ctx = context! {
        page => "search",
        title => if params.q.is_empty() { i18n::table(ui.lang)["nav_search"].to_string() } else { params.q.clone() },
        q => &params.q,
        product => params.product.as_deref().unwrap_or(""),
        filters,
        hits,
        total => r.total,
        first => (page.page - 1) * page.per_page + 1,
        facets,
        current_page => page.page,
        pages,
        prev_href => (page.page > 1).then(|| page_href(page.page - 1)),
        next_href => (page.page < pages).then(|| page_href(page.page + 1)),
        clear_href => format!("/{}", query_string([("q", params.q.as_str())])),
    };
    render(&state, &ui, StatusCode::OK, "search.html.j2", ctx)
}

#[derive(Serialize)]
struct FieldView {
    key: &'static str,
    text: String,
    source: Option<usize>,
    confidence: Option<f32>,
}

fn case_context(original: &Case, c: &Case) -> Value {
    let source = |text: &str| source_of(&original.messages, text);
    let conf = &c.confidence;
    let fields: Vec<FieldView> = [
        ("problem", &original.problem, &c.problem, conf.problem),
        ("analysis", &original.analysis, &c.analysis, conf.analysis),
        ("cause", &original.cause, &c.cause, conf.cause),
        (
            "resolution",
            &original.resolution,
            &c.resolution,
            conf.resolution,
        ),
    ]
    .into_iter()
    .filter(|(_, _, text, _)| !text.trim().is_empty())
    .map(|(key, raw, text, confidence)| FieldView {
        key,
        text: text.clone(),
        source: source(raw),
        confidence: Some(confidence),
    })
    .collect();
    let items = |raw: &[String], shown: &[String]| -> Vec<FieldView> {
        raw.iter()
            .zip(shown)
            .map(|(r, s)| FieldView {
                key: "item",
                text: s.clone(),
                source: source(r),
                confidence: None,
            })
            .collect()
    };
    let e = &c.entities;
    let entities: Vec<(&str, &Vec<String>)> = [
        ("case_ids", &e.case_ids),
        ("products", &e.products),
        ("versions", &e.versions),
        ("error_codes", &e.error_codes),
        ("files", &e.files),
        ("commands", &e.commands),
        ("kb", &e.kb),
        ("hashes", &e.hashes),
        ("urls", &e.urls),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let messages: Vec<Value> = c
        .messages
        .iter()
        .map(|m| {
            let removed: Vec<Value> = m
                .removed
                .iter()
                .map(|r| {
                    let reason = serde_json::to_value(r.reason)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default();
                    context! { reason, rule => &r.rule, text => &r.text }
                })
                .collect();
            let kind = serde_json::to_value(m.kind)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default();
            context! {
                index => m.index, from => &m.from, role => status_role(m.role), kind,
                date => m.date.as_ref().map(format_date), day => m.date.map(|d| d.format("%Y-%m-%d %H:%M").to_string()),
                greeting => &m.greeting, text => &m.text, status_ping => m.status_ping, removed,
            }
        })
        .collect();
    context! {
        page => "case",
        title => format!("{} — {}", c.id, c.title),
        case => context! {
            id => &c.id, title => &c.title, status => status_name(c.status), language => &c.language,
            customer => &c.customer, priority => &c.priority,
            opened => c.opened.as_ref().map(format_date), closed => c.closed.as_ref().map(format_date),
            steps_confidence => conf.steps,
        },
        fields,
        steps => items(&original.steps, &c.steps),
        diagnostics => items(&original.diagnostics, &c.diagnostics),
        entities,
        messages,
    }
}

fn status_role(r: crate::model::Role) -> &'static str {
    match r {
        crate::model::Role::Customer => "customer",
        crate::model::Role::Engineer => "engineer",
    }
}

pub async fn case(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    let ui = ui(&headers, &uri);
    match blocking(&state, move |s| api::load_case(s, &id)).await {
        Ok((original, published)) => render(
            &state,
            &ui,
            StatusCode::OK,
            "case.html.j2",
            case_context(&original, &published),
        ),
        Err(e) => error_page(&state, &ui, e),
    }
}

pub async fn suggest_form(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let ui = ui(&headers, &uri);
    let ctx = context! { page => "suggest", title => i18n::table(ui.lang)["nav_suggest"], top => 5, result => () };
    render(&state, &ui, StatusCode::OK, "suggest.html.j2", ctx)
}

#[derive(Deserialize)]
pub struct SuggestForm {
    #[serde(default)]
    ticket: String,
    top: Option<usize>,
}

pub async fn suggest(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    form: Result<Form<SuggestForm>, FormRejection>,
) -> Response {
    let ui = ui(&headers, &uri);
    let form = match form {
        Ok(Form(f)) => f,
        Err(e) => return error_page(&state, &ui, api::error(e.status(), e.body_text())),
    };
    let top = form.top.unwrap_or(5).clamp(1, api::MAX_TOP);
    let bytes = form.ticket.into_bytes();
    let (found, ticket) = match blocking(&state, move |s| {
        api::run_suggest_with_ticket(s, &bytes, top)
    })
    .await
    {
        Ok(found) => found,
        Err(e) => return error_page(&state, &ui, e),
    };
    // The reply an engineer would send (`suggest --draft`); the plain suggestion if the draft
    // template fails.
    let reply = crate::suggest::draft::render(&crate::suggest::draft::plan(&found, &ticket))
        .unwrap_or_else(|_| render::text(&found));
    let p = state.publisher;
    let advice = |items: &[crate::suggest::merge::Merged]| -> Vec<Value> {
        items
            .iter()
            .map(|m| {
                let cases: Vec<Value> = m
                    .cases
                    .iter()
                    .map(|id| context! { id, href => case_href(id) })
                    .collect();
                let steps: Vec<String> = m.steps.iter().map(|s| p.text(s)).collect();
                context! { text => p.text(&m.text), steps, cases, confidence => format!("{:.2}", m.confidence) }
            })
            .collect()
    };
    let matches: Vec<Value> = found
        .matches
        .iter()
        .map(|m| {
            context! {
                id => &m.id, href => case_href(&m.id), title => p.text(&m.title),
                status => status_name(m.status), score => format!("{:.2}", m.score),
                entities => &m.why.entities, terms => &m.why.terms,
            }
        })
        .collect();
    let result = context! {
        language => &found.language,
        matches,
        remedies => advice(&found.remedies),
        diagnostics => advice(&found.diagnostics),
        abstain => found.abstain,
        reply => p.text(&reply),
    };
    let ctx =
        context! { page => "suggest", title => i18n::table(ui.lang)["nav_suggest"], top, result };
    render(&state, &ui, StatusCode::OK, "suggest.html.j2", ctx)
}

pub async fn kb_index(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    let ui = ui(&headers, &uri);
    let kb = match blocking(&state, |s| {
        s.kb()
            .map_err(|e| api::error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
    })
    .await
    {
        Ok(kb) => kb,
        Err(e) => return error_page(&state, &ui, e),
    };
    let t = i18n::table(ui.lang);
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for a in &kb.articles {
        let cases: Vec<Value> = a
            .cases
            .iter()
            .map(|c| context! { id => &c.id, href => case_href(&c.id) })
            .collect();
        let view = context! {
            id => &a.id, href => format!("/kb/{}", path_segment(&a.id)), title => &a.title,
            language => &a.language, tags => &a.tags, status => status_name(a.status), cases,
        };
        let product = a
            .products
            .first()
            .cloned()
            .unwrap_or_else(|| t["kb_other"].to_string());
        groups.entry(product).or_default().push(view);
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(name, articles)| context! { name, articles })
        .collect();
    let ctx = context! {
        page => "kb", title => t["kb_title"], groups,
        articles => kb.articles.len(), cases => kb.cases,
    };
    render(&state, &ui, StatusCode::OK, "kb.html.j2", ctx)
}

pub async fn kb_article(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    UrlPath(slug): UrlPath<String>,
) -> Response {
    let ui = ui(&headers, &uri);
    let loaded = blocking(&state, move |s| {
        let a = api::load_article(s, &slug)?;
        let md = s
            .kb_templates
            .article(&a)
            .map_err(|e| api::error(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok((a, md))
    })
    .await;
    let (article, markdown) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(&state, &ui, e),
    };
    let cases: Vec<Value> = article
        .cases
        .iter()
        .map(|c| context! { id => &c.id, title => state.publisher.text(&c.title), href => case_href(&c.id) })
        .collect();
    // The article body is Markdown the KB templates escaped; markdown_to_html turns any raw HTML
    // left into text, so it is the one value printed unescaped.
    let body = markdown_to_html(&state.publisher.text(&markdown));
    let ctx = context! {
        page => "kb", title => &article.title, tags => &article.tags, products => &article.products,
        cases, body => Value::from_safe_string(body),
    };
    render(&state, &ui, StatusCode::OK, "article.html.j2", ctx)
}

pub async fn login_form(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    if state.token.is_none() {
        return Redirect::to("/").into_response();
    }
    let ui = ui(&headers, &uri);
    let ctx =
        context! { page => "login", title => i18n::table(ui.lang)["login_title"], wrong => false };
    render(&state, &ui, StatusCode::OK, "login.html.j2", ctx)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    token: String,
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Some(token) = state.token.as_deref() else {
        return Redirect::to("/").into_response();
    };
    let ui = ui(&headers, &uri);
    let given = form.map(|Form(f)| f.token).unwrap_or_default();
    if !security::same(&given, token) {
        let ctx = context! { page => "login", title => i18n::table(ui.lang)["login_title"], wrong => true };
        return render(&state, &ui, StatusCode::UNAUTHORIZED, "login.html.j2", ctx);
    }
    let mut resp = Redirect::to("/").into_response();
    let c = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

pub async fn asset(UrlPath(file): UrlPath<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, mime, content)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "max-age=300"),
            ],
            *content,
        )
            .into_response(),
        None => api::error(StatusCode::NOT_FOUND, "no such file").into_response(),
    }
}

pub async fn not_found(
    State(state): State<Arc<AppState>>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
) -> Response {
    if uri.path().starts_with("/api/") {
        return api::error(StatusCode::NOT_FOUND, "no such endpoint").into_response();
    }
    let ui = ui(&headers, &uri);
    let msg = i18n::table(ui.lang)["not_found"];
    error_page(&state, &ui, api::error(StatusCode::NOT_FOUND, msg))
}

pub async fn method_not_allowed(OriginalUri(uri): OriginalUri) -> Response {
    let msg = format!(
        "{} does not take this method (the server is read-only)",
        uri.path()
    );
    api::error(StatusCode::METHOD_NOT_ALLOWED, msg).into_response()
}
