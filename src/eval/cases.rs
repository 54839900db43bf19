//! STUB: scoring of cases against corpus gold (to be written).
