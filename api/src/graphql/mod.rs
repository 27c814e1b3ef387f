//! The GraphQL API: thin resolvers that decode ids, call one domain function and wrap
//! the result. Limits on shape (`limits`) and complexity refuse hostile queries before
//! they run.

pub mod budget;
pub mod connection;
pub mod context;
pub mod contract;
pub mod error;
pub mod ids;
pub mod limits;
pub mod loader;
pub mod mutation;
pub mod object;
pub mod query;
pub mod scalars;

use async_graphql::extensions::apollo_persisted_queries::{
    ApolloPersistedQueries, LruCacheStorage,
};
use async_graphql::{EmptySubscription, Schema};

pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// The most an operation may cost; a list counts its `first` (default 20) times over.
pub const MAX_COMPLEXITY: usize = 20_000;
/// Automatic persisted queries kept per server (least recently used go first).
pub const PERSISTED_QUERIES: usize = 256;
/// The longest query text that may be registered as a persisted query.
pub const MAX_PERSISTED_QUERY_BYTES: usize = 32 * 1024;

pub fn build_schema() -> AppSchema {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .extension(ApolloPersistedQueries::new(LruCacheStorage::new(
        PERSISTED_QUERIES,
    )))
    .extension(limits::Limits)
    .limit_complexity(MAX_COMPLEXITY)
    .limit_recursive_depth(32)
    .limit_directives(20)
    .finish()
}

/// The SDL as served, for `jobtrack print-schema`.
pub fn sdl() -> String {
    build_schema().sdl()
}
