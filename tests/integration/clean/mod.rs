//! Cleaning: quotes, banners, signatures and disclaimers removed against the corpus expectations,
//! the user's `[clean]` rules, and the properties that hold for any body.

mod config;
mod corpus;
/// Whatever the input: no panic, the whitespace convention, nothing lost.
mod invariants;
/// A body with text of its own is never emptied.
mod own_text;
mod sample;
