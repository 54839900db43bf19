//! The case store: ingest, incremental and bounded ingests, upserts, shards, concurrent writers
//! and a writer killed mid-commit.

mod bounded;
mod concurrency;
mod crash;
mod incremental;
mod ingest;
mod sharded;
mod upsert;
