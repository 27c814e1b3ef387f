//! GraphiQL, served from the binary: its production build and React's, so the page
//! works on a network without internet and no request leaves for a CDN. The page is
//! locked to its own assets by a Content-Security-Policy.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Part of every asset URL, so a new version is never served from a stale cache.
pub const GRAPHIQL_VERSION: &str = "3.8.3";

/// GraphiQL's page: only our own scripts and styles; inline styles are GraphiQL's
/// editors' own (CodeMirror positions with `style=`).
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "init.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/graphiql/init.js"),
    ),
    (
        "page.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/graphiql/page.css"),
    ),
    (
        "LICENSE-graphiql.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSE-graphiql.txt"),
    ),
    (
        "LICENSE-react.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSE-react.txt"),
    ),
    (
        "LICENSE-react-dom.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../../assets/graphiql/LICENSE-react-dom.txt"),
    ),
];

/// The page at `GET /graphql` for a browser.
pub fn page() -> Response {
    let base = format!("/graphiql/{GRAPHIQL_VERSION}");
    let html = format!(
        r#"<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Jobtrack · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{base}/graphiql.min.css">
<link rel="stylesheet" href="{base}/page.css">
</head>
<body>
<div id="graphiql">Laddar GraphiQL…</div>
<script src="{base}/react.production.min.js"></script>
<script src="{base}/react-dom.production.min.js"></script>
<script src="{base}/graphiql.min.js"></script>
<script src="{base}/init.js"></script>
</body>
</html>
"#
    );
    let mut response = (StatusCode::OK, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `GET /graphiql/{version}/{file}`: one of the bundled files, cached for good.
pub async fn asset(Path((version, file)): Path<(String, String)>) -> Response {
    let found = ASSETS
        .iter()
        .find(|(name, _, _)| *name == file)
        .filter(|_| version == GRAPHIQL_VERSION);
    let Some((_, content_type, bytes)) = found else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let mut response = (StatusCode::OK, *bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}
