//! GraphQL over HTTP, as the GraphQL-over-HTTP specification has it: `POST /graphql`
//! with a JSON body, `GET /graphql?query=…` for queries (GraphiQL when a browser asks
//! for HTML). The response's media type follows `Accept`; under
//! `application/graphql-response+json` a request that could not run (syntax, validation,
//! variables, limits) is a 4xx without `data`, under `application/json` it is a 200, as
//! the specification asks of each.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Request, Variables};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::app::AppState;
use crate::auth::Viewer;
use crate::domain::audit::Reads;
use crate::graphql::AppSchema;
use crate::graphql::limits::Transport;
use crate::graphql::loader::Loader;
use crate::graphql::loader::batching::{self, Batches};

use super::media::{MediaType, Wanted, is_json_body, negotiate, not_acceptable, request_error};

/// The parameters of a GraphQL request, from a JSON body or a query string.
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Map<String, Value>,
    extensions: Map<String, Value>,
}

fn optional_map(value: Option<Value>, name: &str) -> Result<Map<String, Value>, String> {
    match value {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(_) => Err(format!("`{name}` must be a JSON object")),
    }
}

impl Params {
    fn from_json(body: Value) -> Result<Self, String> {
        let mut body = match body {
            Value::Object(map) => map,
            Value::Array(_) => {
                return Err(
                    "batched requests are not supported; send one operation per request".into(),
                );
            }
            _ => {
                return Err(
                    "the body must be a JSON object {query, variables, operationName}".into(),
                );
            }
        };
        let extensions = optional_map(body.remove("extensions"), "extensions")?;
        let query = match body.remove("query") {
            Some(Value::String(query)) => query,
            // An automatic persisted query may come without its text.
            None | Some(Value::Null) if extensions.contains_key("persistedQuery") => String::new(),
            None | Some(Value::Null) => return Err("the `query` parameter is missing".into()),
            Some(_) => return Err("`query` must be a string".into()),
        };
        let operation_name = match body.remove("operationName") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => Some(name),
            Some(_) => return Err("`operationName` must be a string".into()),
        };
        Ok(Self {
            query,
            operation_name,
            variables: optional_map(body.remove("variables"), "variables")?,
            extensions,
        })
    }

    fn from_query_string(mut params: HashMap<String, String>) -> Result<Self, String> {
        let json_param = |params: &mut HashMap<String, String>, name: &str| {
            params
                .remove(name)
                .map(|text| {
                    serde_json::from_str::<Value>(&text)
                        .map_err(|_unparsable| format!("`{name}` must be URL-encoded JSON"))
                })
                .transpose()
        };
        let variables = json_param(&mut params, "variables")?;
        let extensions = optional_map(json_param(&mut params, "extensions")?, "extensions")?;
        let query = match params.remove("query") {
            Some(query) => query,
            None if extensions.contains_key("persistedQuery") => String::new(),
            None => return Err("the `query` parameter is missing".into()),
        };
        Ok(Self {
            query,
            operation_name: params.remove("operationName").filter(|n| !n.is_empty()),
            variables: optional_map(variables, "variables")?,
            extensions,
        })
    }
}

pub async fn post(
    State(state): State<AppState>,
    Extension(schema): Extension<AppSchema>,
    viewer: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Wanted::GraphQL(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    if !is_json_body(&headers) {
        // Only JSON is executed: a form or `text/plain` post, which any web page can
        // send across origins without asking, never reaches the schema.
        return request_error(
            media,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as Content-Type: application/json",
        );
    }
    if body.is_empty() {
        return request_error(media, StatusCode::BAD_REQUEST, "the request body is empty");
    }
    let params = match serde_json::from_slice::<Value>(&body) {
        Ok(value) => Params::from_json(value),
        Err(_) => Err("the request body is not valid JSON".to_owned()),
    };
    match params {
        Ok(params) => execute(&state, &schema, viewer, params, media, false).await,
        Err(message) => request_error(media, StatusCode::BAD_REQUEST, &message),
    }
}

pub async fn get(
    State(state): State<AppState>,
    Extension(schema): Extension<AppSchema>,
    viewer: Viewer,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let media = match negotiate(&headers) {
        Wanted::Html => return super::graphiql::page(),
        Wanted::GraphQL(media) => media,
        Wanted::Nothing => return not_acceptable(),
    };
    match Params::from_query_string(query) {
        Ok(params) => execute(&state, &schema, viewer, params, media, true).await,
        Err(message) => request_error(media, StatusCode::BAD_REQUEST, &message),
    }
}

/// Runs one GraphQL request for the viewer its token names, records its reads of
/// personal data, and writes the response in `media`.
async fn execute(
    state: &AppState,
    schema: &AppSchema,
    viewer: Viewer,
    params: Params,
    media: MediaType,
    read_only: bool,
) -> Response {
    let started = Instant::now();
    if params.extensions.contains_key("persistedQuery")
        && params.query.len() > crate::graphql::MAX_PERSISTED_QUERY_BYTES
    {
        return request_error(
            media,
            StatusCode::BAD_REQUEST,
            "a persisted query may be at most 32 KiB; send a longer one without persistedQuery",
        );
    }
    let actor = viewer.actor.clone();
    // Per request and per viewer, so its cache never serves one user's rows to another;
    // the cache also keeps a key fetched in one batching round from being fetched again.
    let reads = Arc::new(Reads::default());
    let batches = Batches::default();
    let loader = DataLoader::with_cache(
        Loader {
            db: state.db.clone(),
            actor: actor.clone(),
            reads: reads.clone(),
            reference: state.reference.clone(),
        },
        batches.spawner(),
        async_graphql::dataloader::HashMapCache::default(),
    )
    // A batch starts when the request can go no further without it (see `batching`).
    .delay(std::time::Duration::ZERO);
    let transport = Arc::new(Transport {
        read_only,
        ..Transport::default()
    });
    let operation = params.operation_name.clone();
    let variables = Variables::from_json(Value::Object(params.variables));
    // The same request twice: for the checks (with what they read), and to run.
    let mut check = Request::new(params.query)
        .variables(variables.clone())
        .data(viewer.clone())
        .data(transport.clone())
        .data(state.clone());
    let mut run = Request::new(String::new())
        .variables(variables)
        .data(viewer)
        .data(loader)
        .data(reads.clone())
        .data(transport.clone())
        .data(state.clone());
    if let Some(name) = params.operation_name {
        check = check.operation_name(name.clone());
        run = run.operation_name(name);
    }
    for (key, value) in params.extensions {
        if let Ok(value) = async_graphql::Value::from_json(value) {
            check.extensions.insert(key, value);
        }
    }
    if !state.config.introspection {
        check = check.disable_introspection();
        run = run.disable_introspection();
    }
    let response = batching::run(batches, schema.execute(check, run)).await;

    // Every read of personal data is logged; a response whose reads could not be logged
    // is not delivered.
    if let Err(err) = reads.flush(&state.db, actor.as_ref()).await {
        tracing::error!(error = %err, "writing the audit log of reads failed");
        state.metrics.graphql_request(
            operation.as_deref(),
            "internal",
            started.elapsed().as_secs_f64(),
        );
        let body = json!({ "errors": [{ "message": "internal error", "extensions": { "code": "INTERNAL" } }] });
        let mut failed = (StatusCode::INTERNAL_SERVER_ERROR, body.to_string()).into_response();
        failed
            .headers_mut()
            .insert(header::CONTENT_TYPE, media.content_type());
        return failed;
    }

    // A request error (the document could not run at all) has no data and no error
    // with a path; an execution error always has a path.
    let request_failed = !response.errors.is_empty()
        && response.data == async_graphql::Value::Null
        && response.errors.iter().all(|e| e.path.is_empty());
    let body = serde_json::to_string(&Written {
        response: &response,
        with_data: !request_failed,
    })
    .unwrap_or_default();

    let refused_token = transport.refused_token.load(Ordering::Relaxed);
    let refused_method = transport.refused_method.load(Ordering::Relaxed);
    let retry_after = transport.refused_rate.load(Ordering::Relaxed);
    let (status, outcome) = if retry_after > 0 {
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    } else if refused_method {
        (StatusCode::METHOD_NOT_ALLOWED, "refused")
    } else if refused_token {
        let status = match media {
            MediaType::GraphQLResponse => StatusCode::UNAUTHORIZED,
            MediaType::Json => StatusCode::OK,
        };
        (status, "unauthenticated")
    } else if request_failed {
        let status = match media {
            MediaType::GraphQLResponse => StatusCode::BAD_REQUEST,
            MediaType::Json => StatusCode::OK,
        };
        (status, "refused")
    } else if response.errors.is_empty() {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::OK, "error")
    };
    state.metrics.graphql_request(
        operation.as_deref(),
        outcome,
        started.elapsed().as_secs_f64(),
    );

    let mut http = (status, body).into_response();
    let http_headers = http.headers_mut();
    http_headers.insert(header::CONTENT_TYPE, media.content_type());
    http_headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        http_headers.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Bearer error="invalid_token""#),
        );
    }
    if status == StatusCode::TOO_MANY_REQUESTS
        && let Ok(value) = HeaderValue::from_str(&retry_after.to_string())
    {
        http_headers.insert(header::RETRY_AFTER, value);
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        http_headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    http
}

/// A response as written: `data` (left out when the request could not run), `errors`
/// and `extensions` when there are any, every object's keys in alphabetical order.
/// async-graphql assembles an object's fields in the order they finish resolving, so
/// unsorted the same query could come back in a different order on each request.
struct Written<'a> {
    response: &'a async_graphql::Response,
    with_data: bool,
}

impl serde::Serialize for Written<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let Self {
            response,
            with_data,
        } = *self;
        let mut map = serializer.serialize_map(None)?;
        if with_data {
            map.serialize_entry("data", &Sorted(&response.data))?;
        }
        if !response.errors.is_empty() {
            map.serialize_entry("errors", &coded(&response.errors))?;
        }
        if !response.extensions.is_empty() {
            map.serialize_entry(
                "extensions",
                &response
                    .extensions
                    .iter()
                    .map(|(key, value)| (key, Sorted(value)))
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )?;
        }
        map.end()
    }
}

/// The errors as JSON (keys in order), each of async-graphql's own (syntax,
/// validation, coercion), which carry no code, coded as about the request the client
/// sent.
fn coded(errors: &[async_graphql::ServerError]) -> Vec<Value> {
    errors
        .iter()
        .map(|error| {
            let mut error = serde_json::to_value(error).unwrap_or_else(|_unwritable| json!({}));
            if let Some(error) = error.as_object_mut() {
                let extensions = error
                    .entry("extensions")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(extensions) = extensions.as_object_mut()
                    && !extensions.contains_key("code")
                {
                    extensions.insert("code".into(), json!("BAD_USER_INPUT"));
                    extensions.insert("field".into(), json!("query"));
                }
            }
            error
        })
        .collect()
}

/// A value with each object's keys in alphabetical order.
struct Sorted<'a>(&'a async_graphql::Value);

impl serde::Serialize for Sorted<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap as _, SerializeSeq as _};
        match self.0 {
            async_graphql::Value::Object(object) => {
                let mut entries: Vec<_> = object.iter().collect();
                entries.sort_unstable_by(|(a, _), (b, _)| a.as_str().cmp(b.as_str()));
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key.as_str(), &Sorted(value))?;
                }
                map.end()
            }
            async_graphql::Value::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Sorted(item))?;
                }
                seq.end()
            }
            scalar => scalar.serialize(serializer),
        }
    }
}
