//! The server's defences, in one place: who may connect ([`check_bind`], [`authorize`]), which
//! ids and slugs are looked up at all ([`valid_case_id`], [`valid_slug`]) and the headers every
//! response carries ([`headers`]).
//!
//! Ids never reach the file system (they are term lookups in the index), so a traversal attempt
//! could find nothing; they are still refused early with 400 so the logs and the client see why.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{api, AppState, ServeError};

/// Shortest token accepted: a guessable token is no protection on a network.
pub const MIN_TOKEN_CHARS: usize = 16;

/// The cookie the login form sets, so a browser (which cannot add a Bearer header by itself) can
/// use the pages of a server that has a token.
pub const TOKEN_COOKIE: &str = "casebook_token";

/// Loopback needs nothing; any other address needs a token.
pub fn check_bind(addr: &SocketAddr, token: Option<&str>) -> Result<(), ServeError> {
    match token {
        Some(t) if t.chars().count() < MIN_TOKEN_CHARS => Err(ServeError::ShortToken {
            min: MIN_TOKEN_CHARS,
        }),
        None if !addr.ip().is_loopback() => Err(ServeError::NeedsToken { addr: *addr }),
        _ => Ok(()),
    }
}

/// With a token, every request but the login form and its stylesheet must carry it:
/// `Authorization: Bearer T`, or the cookie the login form sets.
pub async fn authorize(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(token) = state.token.as_deref() else {
        return next.run(req).await;
    };
    let path = req.uri().path();
    if path == "/login" || path == "/static/web.css" || presented(req.headers(), token) {
        return next.run(req).await;
    }
    let mut resp = if path.starts_with("/api/") || path == "/healthz" {
        api::error(StatusCode::UNAUTHORIZED, "missing or wrong bearer token").into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            axum::response::Html(
                "<!DOCTYPE html><meta charset=\"utf-8\"><title>401</title>\
                 <p>401: this server needs a token. <a href=\"/login\">Log in</a></p>",
            ),
        )
            .into_response()
    };
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    resp
}

/// Whether the request carries `token` (compared in constant time).
fn presented(headers: &HeaderMap, token: &str) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == TOKEN_COOKIE)
        .map(|(_, v)| v);
    bearer.is_some_and(|b| same(b, token)) || cookie.is_some_and(|c| same(c, token))
}

/// Constant-time equality, so the time of a refusal does not tell how much of a guess was right.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

/// Case ids as the thread stage makes them (`CAS-06616-G5Z4X1`, `T-2bcb895c32`, a configured
/// pattern): ASCII letters, digits, `-`, `_`, `.`, starting with a letter or digit, no `..`.
pub fn valid_case_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !id.contains("..")
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Article ids as `kb::article_id` makes them: lowercase ASCII letters, digits and `-`.
pub fn valid_slug(slug: &str) -> bool {
    (1..=200).contains(&slug.len())
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The Content-Security-Policy of every page: scripts and styles only from this server, no
/// inline script, no frames, forms post only here.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                       connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_runs_without_a_token() {
        let lo: SocketAddr = "127.0.0.1:7878".parse().unwrap();
        let lo6: SocketAddr = "[::1]:7878".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:7878".parse().unwrap();
        assert!(check_bind(&lo, None).is_ok());
        assert!(check_bind(&lo6, None).is_ok());
        assert!(matches!(
            check_bind(&any, None),
            Err(ServeError::NeedsToken { .. })
        ));
        assert!(check_bind(&any, Some("0123456789abcdef")).is_ok());
        assert!(matches!(
            check_bind(&any, Some("short")),
            Err(ServeError::ShortToken { .. })
        ));
    }

    #[test]
    fn ids_and_slugs() {
        for ok in ["CAS-06616-G5Z4X1", "T-2bcb895c32", "TCK-123456", "a.b_c"] {
            assert!(valid_case_id(ok), "{ok}");
        }
        for bad in [
            "",
            "../etc/passwd",
            "..",
            "a/b",
            ".hidden",
            "a..b",
            "x%2F",
            "案例",
            "a b",
        ] {
            assert!(!valid_case_id(bad), "{bad}");
        }
        assert!(valid_slug("cas-06616-g5z4x1-icbc"));
        for bad in ["", "../x", "A", "a/b", "a.b", "a%2e"] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn constant_time_equality_is_equality() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "abcd"));
        assert!(!same("", "a"));
    }
}
