//! Search: the `search` command and retrieval over the corpus store.

mod cli;
mod corpus;
