//! `casebook serve`: HTTP pages and API, a real browser, and the (ignored) load test.

mod browser;
mod http;
mod load;
