//! Checks on a parsed document before it is validated or run: its shape (data depth,
//! aliases, root fields, operations, fragments, and the size fragments expand to), what
//! the transport allows (no mutation over GET), and whether a presented access token
//! was accepted. Introspection fields (`__schema`, `__type`, `__typename`) do not count
//! towards the depth, so the standard introspection query of graphql-js is answered
//! while a deep data query is refused.
//!
//! These run as an extension's `prepare_request` hook: after an automatic persisted
//! query has been resolved to its document, and before anything else walks the
//! document (async-graphql's own checks and validation), whose cost grows with the
//! expanded document.

use std::any::TypeId;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use async_graphql::ValidationResult;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest, NextValidation,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection,
    SelectionSet,
};
use async_graphql::{Positioned, Request, ServerError, ServerResult};

use super::context::Viewer;
use crate::app::AppState;
use crate::error::Error;

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

pub struct Limits;

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension)
    }
}

struct LimitsExtension;

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
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
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
        next.run(ctx, request).await
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

/// The longest text any input may hold; each field has its own, shorter maximum in the
/// domain (names 200, notes and motivations 4,000, …). Checked here first so that no
/// megabyte string reaches a parser or the database.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// The longest search text (`search:` arguments and filter fields).
pub const MAX_SEARCH_CHARS: usize = crate::domain::reference::MAX_SEARCH_CHARS;

/// Text inputs hold no control characters but line breaks and tabs (a NUL is refused
/// by PostgreSQL and invisible everywhere), and are not longer than their maximum.
/// `path` names the input for `extensions.field`.
fn check_text(text: &str, path: &[&str]) -> Result<(), Error> {
    let field = || {
        let named: Vec<&str> = path.iter().copied().skip_while(|p| *p == "input").collect();
        if named.is_empty() {
            "input".to_owned()
        } else {
            named.join(".")
        }
    };
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::bad_input(
            field(),
            format!(
                "must not contain control characters (found U+{:04X})",
                u32::from(c)
            ),
        ));
    }
    let max = if path.last() == Some(&"search") {
        MAX_SEARCH_CHARS
    } else {
        MAX_TEXT_CHARS
    };
    if text.chars().nth(max).is_some() {
        return Err(Error::bad_input(
            field(),
            format!("must be at most {max} characters"),
        ));
    }
    Ok(())
}

fn check_text_value<'a>(
    value: &'a async_graphql::Value,
    path: &mut Vec<&'a str>,
) -> Result<(), Error> {
    use async_graphql::Value;
    match value {
        Value::String(text) => check_text(text, path),
        Value::List(items) => items
            .iter()
            .try_for_each(|item| check_text_value(item, path)),
        Value::Object(map) => map.iter().try_for_each(|(key, item)| {
            path.push(key.as_str());
            let checked = check_text_value(item, path);
            path.pop();
            checked
        }),
        _ => Ok(()),
    }
}

/// The same for strings written into the document itself (arguments, defaults).
fn check_document_text(document: &ExecutableDocument) -> Result<(), Error> {
    fn selections(set: &SelectionSet) -> Result<(), Error> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    for (name, value) in &field.node.arguments {
                        // Variables inside a literal are checked with the variables.
                        let constant = value
                            .node
                            .clone()
                            .into_const_with(|_| {
                                Ok::<_, std::convert::Infallible>(async_graphql::Value::Null)
                            })
                            .unwrap_or_default();
                        check_text_value(&constant, &mut vec![name.node.as_str()])?;
                    }
                    selections(&field.node.selection_set.node)?;
                }
                Selection::InlineFragment(inline) => selections(&inline.node.selection_set.node)?,
                Selection::FragmentSpread(_) => {}
            }
        }
        Ok(())
    }
    for fragment in document.fragments.values() {
        selections(&fragment.node.selection_set.node)?;
    }
    for (_, operation) in document.operations.iter() {
        for variable in &operation.node.variable_definitions {
            if let Some(default) = &variable.node.default_value {
                check_text_value(&default.node, &mut vec![variable.node.name.node.as_str()])?;
            }
        }
        selections(&operation.node.selection_set.node)?;
    }
    Ok(())
}

fn refusal(error: Error) -> ServerError {
    let error: async_graphql::Error = super::error::ApiError(error).into();
    let mut error = error.into_server_error(async_graphql::Pos::default());
    // About the whole request, not a place in the document.
    error.locations.clear();
    error
}

fn too_big(limit: &str, max: usize) -> ServerError {
    refusal(Error::bad_input(
        "query",
        format!("the query has too many {limit} (at most {max})"),
    ))
}

/// Refuses a document over any of the limits above.
pub fn check_shape(document: &ExecutableDocument) -> ServerResult<()> {
    let operations: Vec<&SelectionSet> = match &document.operations {
        DocumentOperations::Single(op) => vec![&op.node.selection_set.node],
        DocumentOperations::Multiple(ops) => {
            ops.values().map(|op| &op.node.selection_set.node).collect()
        }
    };
    if operations.len() > MAX_OPERATIONS {
        return Err(too_big("operations", MAX_OPERATIONS));
    }
    if document.fragments.len() > MAX_FRAGMENTS {
        return Err(too_big("fragments", MAX_FRAGMENTS));
    }
    let mut walker = Walker {
        document,
        fragments: HashMap::new(),
        in_progress: HashSet::new(),
        cycle: false,
        aliases: 0,
    };
    for fragment in document.fragments.values() {
        walker.count_aliases(&fragment.node.selection_set.node);
    }
    for selection_set in &operations {
        walker.count_aliases(selection_set);
    }
    if walker.aliases > MAX_ALIASES {
        return Err(too_big("aliases", MAX_ALIASES));
    }
    for selection_set in operations {
        let size = walker.measure(selection_set, 0);
        if walker.cycle {
            return Err(refusal(Error::bad_input(
                "query",
                "fragments must not spread each other in a cycle",
            )));
        }
        if size.top > MAX_ROOT_FIELDS {
            return Err(too_big("fields at the root", MAX_ROOT_FIELDS));
        }
        if size.fields > MAX_EXPANDED_FIELDS {
            return Err(too_big(
                "fields once fragments are expanded",
                MAX_EXPANDED_FIELDS,
            ));
        }
        if size.depth > MAX_DEPTH {
            return Err(refusal(Error::bad_input(
                "query",
                format!("the query is nested too deep (at most {MAX_DEPTH} levels of data fields)"),
            )));
        }
    }
    Ok(())
}

#[derive(Clone, Copy, Default)]
struct Size {
    /// Data fields on the deepest path.
    depth: usize,
    /// Fields in all, fragments expanded.
    fields: usize,
    /// Fields at the top level of the selection, through fragments.
    top: usize,
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    /// Each fragment's size, measured once (so repeated spreads cost nothing).
    fragments: HashMap<&'a str, Size>,
    /// Fragments being measured: meeting one again is a cycle.
    in_progress: HashSet<&'a str>,
    cycle: bool,
    aliases: usize,
}

/// Fragment spreads nested deeper than this are not followed (only a cycle, which
/// validation refuses afterwards, or a hostile document goes so deep).
const MAX_SPREAD_NESTING: usize = 64;

impl<'a> Walker<'a> {
    fn count_aliases(&mut self, set: &'a SelectionSet) {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    if field.node.alias.is_some() {
                        self.aliases += 1;
                    }
                    self.count_aliases(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => {
                    self.count_aliases(&inline.node.selection_set.node);
                }
                Selection::FragmentSpread(_) => {}
            }
        }
    }

    fn measure(&mut self, set: &'a SelectionSet, nesting: usize) -> Size {
        let mut size = Size::default();
        if nesting > MAX_SPREAD_NESTING {
            return size;
        }
        for item in &set.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    if name.starts_with("__") {
                        // Introspection: its own, bounded shape; counted as one field.
                        Size {
                            depth: 0,
                            fields: 1,
                            top: 1,
                        }
                    } else {
                        let children = self.measure(&field.node.selection_set.node, nesting + 1);
                        Size {
                            depth: children.depth + 1,
                            fields: children.fields.saturating_add(1),
                            top: 1,
                        }
                    }
                }
                Selection::InlineFragment(inline) => {
                    self.measure(&inline.node.selection_set.node, nesting + 1)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if self.in_progress.contains(name) {
                        self.cycle = true;
                        Size::default()
                    } else if let Some(known) = self.fragments.get(name) {
                        *known
                    } else if let Some(fragment) = self.document.fragments.get(name) {
                        self.in_progress.insert(name);
                        let measured = self.measure(&fragment.node.selection_set.node, nesting + 1);
                        self.in_progress.remove(name);
                        self.fragments.insert(name, measured);
                        measured
                    } else {
                        Size::default()
                    }
                }
            };
            size.depth = size.depth.max(inner.depth);
            size.fields = size.fields.saturating_add(inner.fields);
            size.top = size.top.saturating_add(inner.top);
        }
        size
    }
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    clippy::format_collect,
    clippy::format_push_string,
    reason = "test code: builds hostile documents with format!; an index out of bounds is a failed test"
)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::*;

    fn shape(query: &str) -> Result<(), String> {
        let document = parse_query(query).map_err(|e| e.to_string())?;
        check_shape(&document).map_err(|e| e.message)
    }

    #[test]
    fn ordinary_queries_pass() {
        assert_eq!(
            shape("{ viewer { id name } a: municipalities { code } }"),
            Ok(())
        );
    }

    #[test]
    fn aliases_root_fields_and_depth_are_bounded() {
        let aliases: String = (0..=MAX_ALIASES)
            .map(|i| format!("a{i}: viewer {{ id }} "))
            .collect();
        assert!(shape(&format!("{{ {aliases} }}")).is_err_and(|m| m.contains("aliases")));
        let roots = "viewer { id } ".repeat(MAX_ROOT_FIELDS + 1);
        assert!(shape(&format!("{{ {roots} }}")).is_err_and(|m| m.contains("root")));
        let deep = format!(
            "{}id{}",
            "a { ".repeat(MAX_DEPTH + 1),
            " }".repeat(MAX_DEPTH + 1)
        );
        assert!(shape(&format!("{{ {deep} }}")).is_err_and(|m| m.contains("deep")));
        let fine = format!(
            "{}id{}",
            "a { ".repeat(MAX_DEPTH - 1),
            " }".repeat(MAX_DEPTH - 1)
        );
        assert_eq!(shape(&format!("{{ {fine} }}")), Ok(()));
    }

    #[test]
    fn introspection_does_not_count_towards_depth() {
        let nested = format!(
            "{{ __schema {{ types {{ {}name{} }} }} }}",
            "ofType { ".repeat(20),
            " }".repeat(20)
        );
        assert_eq!(shape(&nested), Ok(()));
    }

    #[test]
    fn fragment_cycles_are_refused() {
        let query = "{ ...F } fragment F on Query { ...G ...G } fragment G on Query { ...F ...F }";
        assert!(shape(query).is_err_and(|m| m.contains("cycle")));
    }

    #[test]
    fn fragment_bombs_are_measured_without_expanding_them() {
        // Each fragment spreads the next twice: 2^40 fields if expanded.
        let mut query = String::from("{ viewer { ...F0 } }\n");
        for i in 0..40 {
            query.push_str(&format!(
                "fragment F{i} on User {{ ...F{n} ...F{n} }}\n",
                n = i + 1
            ));
        }
        query.push_str("fragment F40 on User { id name }\n");
        assert!(shape(&query).is_err_and(|m| m.contains("fragments")));
    }
}
