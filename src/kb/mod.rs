//! KB articles: cases grouped by recurring problem, rendered through templates into Markdown (and
//! HTML), with an index for the site.
//!
//! STUB: filled in by issue #7.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KbConfig {}
