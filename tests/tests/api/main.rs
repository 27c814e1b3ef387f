//! Black-box tests over HTTP. Each runs on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (the CI runs both).
#![allow(
    clippy::indexing_slicing,
    clippy::as_conversions,
    clippy::map_err_ignore,
    reason = "test code: an out-of-bounds index or a lost error is a failed test, not a bug in production"
)]
#![allow(
    clippy::expect_used,
    reason = "a test that cannot read the database or a response fails, saying what it could not do; a default in its place would hide it"
)]
#![allow(
    clippy::format_collect,
    clippy::format_push_string,
    clippy::items_after_statements,
    clippy::assigning_clones,
    clippy::unused_self,
    clippy::case_sensitive_file_extension_comparisons,
    reason = "test code builds hostile documents with format! and keeps imports beside their use"
)]

mod admission;
mod auth;
mod candidates;
mod clients;
mod concurrency;
mod consents;
mod design;
mod edits;
mod employers;
mod end_of_track;
mod follow_ups;
mod hostile;
mod http;
mod limits;
mod mail;
mod matching;
mod meetings;
mod migrations;
mod needs;
mod organizations;
mod pool;
mod positional;
mod privacy;
mod processes;
mod reports;
mod schema;
mod scope;
mod statements;
mod throttle;
mod tracks;
