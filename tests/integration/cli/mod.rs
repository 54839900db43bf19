//! The command line as a user meets it: exit statuses, a closed pipe, the README's config
//! example.

mod exit_status;
mod pipe;
mod readme_config;
