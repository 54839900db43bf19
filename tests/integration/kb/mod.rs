//! The knowledge base: articles from the corpus and from hand-built cases, the rendered site, the
//! Markdown escaping, the grouping against gold labels, and the (ignored) size benchmark.

mod bench;
mod corpus;
mod escape;
mod gold;
mod sample;
mod site;
