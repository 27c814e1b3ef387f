//! The GraphQL API: thin resolvers that decode ids, call one domain function and wrap
//! the result. Limits on depth and complexity refuse hostile queries before they run.

pub mod connection;
pub mod context;
pub mod error;
pub mod ids;
pub mod loader;
pub mod loader_tracks;
pub mod mutation;
pub mod object;
pub mod query;
pub mod scalars;

use async_graphql::{EmptySubscription, Schema};

pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 5000;

pub fn build_schema() -> AppSchema {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
    .limit_directives(20)
    .finish()
}

/// The SDL as served, for `jobtrack print-schema`.
pub fn sdl() -> String {
    build_schema().sdl()
}
