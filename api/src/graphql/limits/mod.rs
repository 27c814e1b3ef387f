//! Checks on a parsed document before it is validated or run: its shape (data depth,
//! aliases, root fields, operations, fragments, and the size fragments expand to), what
//! the transport allows (no mutation over GET), and whether a presented access token
//! was accepted. Introspection fields (`__schema`, `__type`, `__typename`) do not count
//! towards the depth, so the standard introspection query of graphql-js is answered
//! while a deep data query is refused.
//!
//! These run as an extension's `prepare_request` hook: after an automatic persisted
//! query has been resolved to its document (`persisted`), and before anything else walks the
//! document (async-graphql's own checks and validation), whose cost grows with the
//! expanded document. The extension sits on the schema that checks, which stops after
//! validation and hands the document to the schema that runs (`AppSchema`).

use std::any::TypeId;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use async_graphql::ValidationResult;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextPrepareRequest, NextValidation,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
};
use async_graphql::{Positioned, Request, ServerError, ServerResult};

use super::context::Viewer;
use text::{check_document_text, check_text_value};

use crate::app::AppState;
use crate::error::Error;
pub use shape::check_shape;
pub use text::{MAX_SEARCH_CHARS, MAX_TEXT_CHARS};

/// Fields nested deeper than this (not counting introspection) are refused.
pub const MAX_DEPTH: usize = 12;
/// Aliased fields in one document.
pub const MAX_ALIASES: usize = 100;
/// Fields at the root of one operation, fragments at the root included.
pub const MAX_ROOT_FIELDS: usize = 100;
/// Operations in one document.
pub const MAX_OPERATIONS: usize = 20;
/// Fragment definitions in one document.
pub const MAX_FRAGMENTS: usize = 50;
/// Fields once every fragment spread is expanded (a few nested fragments can otherwise
/// stand for millions of fields).
pub const MAX_EXPANDED_FIELDS: usize = 2000;

/// Mutations that work without signing in, and so also when a stale token is sent
/// with them (a client refreshing its expired token).
const PUBLIC_MUTATIONS: &[&str] = &[
    "login",
    "refreshToken",
    "logout",
    "acceptInvitation",
    "__typename",
];

/// How the request arrived, set by the HTTP layer.
#[derive(Default)]
pub struct Transport {
    /// `GET /graphql`: queries only.
    pub read_only: bool,
    /// Set when a mutation was refused because it came over GET (HTTP 405).
    pub refused_method: AtomicBool,
    /// Set when the request was refused for its access token (HTTP 401).
    pub refused_token: AtomicBool,
    /// Seconds to wait when the request was over the cost budget (HTTP 429).
    pub refused_rate: std::sync::atomic::AtomicU64,
}

/// The document that passed the checks, handed from the schema that checks to the one
/// that runs (`AppSchema::execute`).
#[derive(Default)]
pub struct Prepared(std::sync::Mutex<Option<ExecutableDocument>>);

impl Prepared {
    fn put(&self, document: ExecutableDocument) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(document);
        }
    }

    pub fn take(&self) -> Option<ExecutableDocument> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// The checks, and the persisted queries they come after.
pub struct Limits {
    persisted: Arc<Persisted>,
}

impl Limits {
    /// With room for `persisted_queries` automatic persisted queries.
    pub fn new(persisted_queries: usize) -> Self {
        Self {
            persisted: Arc::new(Persisted::new(persisted_queries)),
        }
    }
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension {
            persisted: self.persisted.clone(),
        })
    }
}

struct LimitsExtension {
    persisted: Arc<Persisted>,
}

fn request_data<T: 'static>(request: &Request) -> Option<&T> {
    request
        .data
        .get(&TypeId::of::<T>())
        .and_then(|d| d.downcast_ref::<T>())
}

#[async_graphql::async_trait::async_trait]
impl Extension for LimitsExtension {
    /// Runs before async-graphql's own checks of the parsed document, which follow
    /// every fragment spread without remembering one (a fragment "bomb" would keep them
    /// busy for hours, a cycle would overflow the stack).
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        let mut request = self.persisted.resolve(request)?;
        let transport = request_data::<Arc<Transport>>(&request).cloned();
        let token_problem = request_data::<Viewer>(&request).and_then(|v| v.token_problem.clone());
        let operation_name = request.operation_name.clone();
        for (name, value) in request.variables.iter() {
            check_text_value(value, &mut vec![name.as_str()]).map_err(refusal)?;
        }
        let document = request.parsed_query()?;
        check_shape(document)?;
        check_document_text(document).map_err(refusal)?;
        let operation = selected_operation(document, operation_name.as_deref());
        if let (Some(transport), Some(operation)) = (&transport, operation)
            && transport.read_only
            && operation.node.ty != OperationType::Query
        {
            transport.refused_method.store(true, Ordering::Relaxed);
            return Err(refusal(Error::bad_input(
                "query",
                "only queries can be sent with GET; send mutations with POST",
            )));
        }
        if let Some(problem) = token_problem {
            let public = operation.is_some_and(|op| {
                op.node.ty == OperationType::Mutation
                    && op.node.selection_set.node.items.iter().all(|item| {
                        matches!(&item.node, Selection::Field(field)
                            if PUBLIC_MUTATIONS.contains(&field.node.name.node.as_str()))
                    })
            });
            if !public {
                if let Some(transport) = &transport {
                    transport.refused_token.store(true, Ordering::Relaxed);
                }
                return Err(refusal(Error::Unauthenticated(problem)));
            }
        }
        if let Some(prepared) = request_data::<Arc<Prepared>>(&request).cloned() {
            prepared.put(request.parsed_query()?.clone());
        }
        next.run(ctx, request).await
    }

    /// Stops after validation: the checking schema never resolves a field (the running
    /// schema does, without extensions).
    async fn execute(
        &self,
        _ctx: &ExtensionContext<'_>,
        _operation_name: Option<&str>,
        _next: NextExecute<'_>,
    ) -> async_graphql::Response {
        async_graphql::Response::default()
    }

    /// Charges the validated operation's complexity to the viewer's cost budget.
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        if let (Some(state), Some(viewer)) = (ctx.data_opt::<AppState>(), ctx.data_opt::<Viewer>())
        {
            let who = viewer.actor.as_ref().map_or_else(
                || format!("addr:{}", viewer.client_address),
                |actor| format!("user:{}", actor.user_id),
            );
            if let Err(wait) = state
                .budgets
                .charge(&who, result.complexity.max(1), Instant::now())
            {
                if let Some(transport) = ctx.data_opt::<Arc<Transport>>() {
                    transport.refused_rate.store(wait, Ordering::Relaxed);
                }
                return Err(vec![refusal(Error::RateLimited(wait))]);
            }
        }
        Ok(result)
    }
}

fn selected_operation<'a>(
    document: &'a ExecutableDocument,
    wanted: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (&document.operations, wanted) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next()
        }
        _ => None,
    }
}

pub(super) fn refusal(error: Error) -> ServerError {
    let error: async_graphql::Error = crate::graphql::error::ApiError(error).into();
    let mut error = error.into_server_error(async_graphql::Pos::default());
    // About the whole request, not a place in the document.
    error.locations.clear();
    error
}

mod persisted;
mod shape;
mod text;

use persisted::Persisted;
