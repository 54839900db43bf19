//! Suggestions for a new ticket: similar past cases from the store, their merged remedies and
//! the diagnostics engineers asked for, each with its evidence.
//!
//! STUB: filled in by issue #6.
