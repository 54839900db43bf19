//! STUB: scoring of retrieval against corpus gold (to be written).
