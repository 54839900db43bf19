//! casebook's integration tests: one test binary, one module per topic, run on the real pipeline
//! and the built `casebook` binary over `corpus/` and generated inputs. `support` holds what
//! several topics share (running the binary, hand-built cases, a served store, the fixture
//! walker). Filter by topic: `cargo test --test integration parse::`.
//!
//! Two targets stay apart: `tests/conformance_mail_parser.rs` (a conformance report against
//! another parser's fixtures) and the unit tests inside `src/`.

mod cases;
mod clean;
mod cli;
mod extract;
mod kb;
mod parse;
mod regressions;
mod search;
mod serve;
mod store;
mod suggest;
mod support;
mod thread;
