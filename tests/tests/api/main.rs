//! Black-box tests over HTTP. Each runs on SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (the CI runs both).

mod admission;
mod auth;
mod candidates;
mod clients;
mod concurrency;
mod employers;
mod hostile;
mod http;
mod limits;
mod mail;
mod migrations;
mod needs;
mod organizations;
mod privacy;
mod processes;
mod reports;
mod schema;
mod scope;
mod statements;
mod throttle;
mod tracks;
