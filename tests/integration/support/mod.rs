//! What several test topics share: running the built binary on a store (`bin`), the fixture
//! walker (`fixtures`), one export through the pipeline (`export`), hand-built cases (`kb`), a served store (`serve`) and comparing two
//! stores' search results (`store`).

pub mod bin;
pub mod export;
pub mod fixtures;
pub mod kb;
pub mod serve;
pub mod store;

pub use bin::casebook;
