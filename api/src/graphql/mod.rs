//! The GraphQL API: thin resolvers that decode ids, call one domain function and wrap
//! the result. Limits on shape (`limits`) and complexity refuse hostile queries before
//! they run.
//!
//! One module per area (candidates, applications, tracks, employers, contacts, users,
//! reports, outbox, reference, node), each with its objects, query fields and
//! mutations. Objects wrap the domain's views (or entity models where nothing personal
//! is shown) and expose only the contract's fields, so a new column never becomes an
//! API field by accident; nested lists load through `loader`.

pub mod budget;
pub mod connection;
pub mod context;
pub mod contract;
pub mod error;
pub mod ids;
pub mod limits;
pub mod loader;
pub mod matching;
pub mod scalars;

// The API by area: each holds its objects, its query fields and its mutations.
pub mod applications;
pub mod candidates;
pub mod contacts;
pub mod employers;
pub mod node;
pub mod outbox;
pub mod reference;
pub mod reports;
pub mod tracks;
pub mod users;

use async_graphql::{EmptySubscription, MergedObject, Schema};

// The query root, merged from the areas' query objects.
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    users::UserQuery,
    reference::ReferenceQuery,
    employers::EmployerQuery,
    tracks::TrackQuery,
    candidates::CandidateQuery,
    applications::ApplicationQuery,
    applications::follow_up::FollowUpQuery,
    users::AuditQuery,
    contacts::ContactQuery,
    reports::ReportQuery,
    outbox::MailQuery,
);

// The mutation root, merged from the areas' mutation objects. Every mutation takes one
// `input` and returns a `…Payload`; each calls one domain function.
#[derive(MergedObject, Default)]
pub struct Mutation(
    users::AuthMutation,
    users::PeopleMutation,
    employers::EmployerMutation,
    tracks::TrackMutation,
    tracks::MeetingMutation,
    tracks::end::EndOfTrackMutation,
    candidates::CandidateMutation,
    applications::AdmissionMutation,
    applications::follow_up::FollowUpMutation,
    contacts::ContactMutation,
    users::AccountMutation,
    users::InvitationMutation,
    outbox::OutboxMutation,
);

/// The schema as async-graphql builds it.
pub type GraphQLSchema = Schema<Query, Mutation, EmptySubscription>;

/// The most an operation may cost; a list counts its `first` (default 20) times over.
pub const MAX_COMPLEXITY: usize = 20_000;
/// Automatic persisted queries kept per server (least recently used go first).
pub const PERSISTED_QUERIES: usize = 256;
/// The longest query text that may be registered as a persisted query.
pub const MAX_PERSISTED_QUERY_BYTES: usize = 32 * 1024;

/// The schema, built twice from the same types. `checks` carries the `limits` extension
/// (persisted queries, shape, transport, token, cost budget) and stops once the document
/// is validated; `run` executes what passed and has no extension, because with any
/// extension async-graphql wraps the resolution of every field and list item in the
/// extension chain (a fifth of the server's CPU on a 50-row list, measured with the
/// `scale` bench). The document is parsed once and validated in full once; `run` only
/// computes what execution needs (async-graphql's fast validation mode).
#[derive(Clone)]
pub struct AppSchema {
    checks: GraphQLSchema,
    run: GraphQLSchema,
}

impl AppSchema {
    /// Checks `check`, then executes `run` — the same request with the data resolvers
    /// need — if it passed: the checks' refusal otherwise.
    pub async fn execute(
        &self,
        check: async_graphql::Request,
        mut run: async_graphql::Request,
    ) -> async_graphql::Response {
        let prepared = std::sync::Arc::new(limits::Prepared::default());
        let checked = self.checks.execute(check.data(prepared.clone())).await;
        if !checked.errors.is_empty() {
            return checked;
        }
        let Some(document) = prepared.take() else {
            // The checks passed without handing over their document: never run an
            // unchecked one.
            return async_graphql::Response::from_errors(vec![limits::refusal(
                crate::error::Error::Internal("a checked document went missing".into()),
            )]);
        };
        run.set_parsed_query(document);
        self.run.execute(run).await
    }

    pub fn sdl(&self) -> String {
        self.run.sdl()
    }
}

fn schema() -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
}

pub fn build_schema() -> AppSchema {
    AppSchema {
        checks: schema()
            .extension(limits::Limits::new(PERSISTED_QUERIES))
            .finish(),
        // What `run` is given has passed every rule in `checks`: it runs only the
        // rules execution needs.
        run: schema()
            .validation_mode(async_graphql::ValidationMode::Fast)
            .finish(),
    }
}

/// The SDL as served, for `jobtrack print-schema`.
pub fn sdl() -> String {
    build_schema().sdl()
}
