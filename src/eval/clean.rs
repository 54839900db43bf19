//! STUB: scoring of clean against corpus gold (to be written).
