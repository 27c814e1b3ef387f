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

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// The most an operation may cost; a list counts its `first` (default 20) times over.
pub const MAX_COMPLEXITY: usize = 20_000;
/// Automatic persisted queries kept per server (least recently used go first).
pub const PERSISTED_QUERIES: usize = 256;
/// The longest query text that may be registered as a persisted query.
pub const MAX_PERSISTED_QUERY_BYTES: usize = 32 * 1024;

pub fn build_schema() -> AppSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        // The only extension: each one wraps the resolution of every field.
        .extension(limits::Limits::new(PERSISTED_QUERIES))
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
        .finish()
}

/// The SDL as served, for `jobtrack print-schema`.
pub fn sdl() -> String {
    build_schema().sdl()
}
