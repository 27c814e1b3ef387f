//! Automatic persisted queries (Apollo's `persistedQuery` extension, version 1): a client
//! sends the SHA-256 of a query it sent before instead of its text. Resolved by the limits
//! extension rather than by async-graphql's own: that would be a second extension, and
//! extensions belong only on the schema that checks (`AppSchema`).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, ServerError, ServerResult};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Deserialize)]
struct PersistedQuery {
    version: i32,
    #[serde(rename = "sha256Hash")]
    sha256_hash: String,
}

/// Parsed documents by a key; the least recently used goes when `capacity` is reached.
struct Documents {
    capacity: usize,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    tick: u64,
    by_key: HashMap<String, (ExecutableDocument, u64)>,
}

impl Documents {
    fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            entries: Mutex::default(),
        }
    }

    fn get(&self, key: &str) -> Option<ExecutableDocument> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.tick += 1;
        let tick = entries.tick;
        entries.by_key.get_mut(key).map(|(document, used)| {
            *used = tick;
            document.clone()
        })
    }

    fn put(&self, key: String, document: ExecutableDocument) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.tick += 1;
        let tick = entries.tick;
        if !entries.by_key.contains_key(&key) && entries.by_key.len() >= self.capacity {
            let oldest = entries
                .by_key
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                entries.by_key.remove(&oldest);
            }
        }
        entries.by_key.insert(key, (document, tick));
    }
}

/// The documents of automatic persisted queries, by the hex SHA-256 of their text, and
/// the documents of the most recently sent query texts up to [`MAX_PARSED_QUERY_BYTES`]
/// by their text: parsing the shortlist's 300-byte query took 4 % of the instructions
/// the server spent on the request (callgrind); taking a parsed copy takes a tenth of
/// that.
pub struct Persisted {
    by_hash: Documents,
    by_text: Documents,
}

/// The longest query text whose parsed document is kept by its text: 256 of them take
/// a few MiB at most.
pub const MAX_PARSED_QUERY_BYTES: usize = 4 * 1024;

impl Persisted {
    /// Room for `capacity` persisted queries and as many parsed texts.
    pub fn new(capacity: usize) -> Self {
        Self {
            by_hash: Documents::new(capacity),
            by_text: Documents::new(capacity),
        }
    }

    /// `request` with its document: the kept one for a text parsed before, or the text
    /// parsed now (and kept when it is short enough).
    fn parse(&self, mut request: Request) -> ServerResult<Request> {
        if request.query.len() > MAX_PARSED_QUERY_BYTES {
            return Ok(request);
        }
        if let Some(document) = self.by_text.get(&request.query) {
            request.set_parsed_query(document);
            return Ok(request);
        }
        let document = request.parsed_query()?.clone();
        self.by_text.put(request.query.clone(), document);
        Ok(request)
    }

    /// `request` with its persisted query resolved: the document for a known hash, or
    /// the sent text checked against its hash and kept. The messages are Apollo's (and
    /// async-graphql's), which clients look for.
    pub fn resolve(&self, mut request: Request) -> ServerResult<Request> {
        let Some(value) = request.extensions.remove("persistedQuery") else {
            return self.parse(request);
        };
        let persisted: PersistedQuery = async_graphql::from_value(value).map_err(|_malformed| {
            ServerError::new("Invalid \"PersistedQuery\" extension configuration.", None)
        })?;
        if persisted.version != 1 {
            return Err(ServerError::new(
                format!(
                    "Only the \"PersistedQuery\" extension of version \"1\" is supported, and the current version is \"{}\".",
                    persisted.version
                ),
                None,
            ));
        }
        if request.query.is_empty() {
            let document = self
                .by_hash
                .get(&persisted.sha256_hash)
                .ok_or_else(|| ServerError::new("PersistedQueryNotFound", None))?;
            request.set_parsed_query(document);
            return Ok(request);
        }
        let hash = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if persisted.sha256_hash != hash {
            return Err(ServerError::new("provided sha does not match query", None));
        }
        let mut request = self.parse(request)?;
        let document = request.parsed_query()?.clone();
        self.by_hash.put(hash, document);
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::{Documents, MAX_PARSED_QUERY_BYTES, Persisted};

    fn document(text: &str) -> async_graphql::parser::types::ExecutableDocument {
        async_graphql::parser::parse_query(text).unwrap()
    }

    #[test]
    fn the_least_recently_used_goes_first() {
        let cache = Documents::new(2);
        cache.put("a".into(), document("{ a }"));
        cache.put("b".into(), document("{ b }"));
        assert!(cache.get("a").is_some(), "a is now the most recently used");
        cache.put("c".into(), document("{ c }"));
        assert!(cache.get("b").is_none(), "b went");
        assert!(cache.get("a").is_some());
        assert!(cache.get("c").is_some());
    }

    /// A text parsed once is served from what was kept; a long text and one that does
    /// not parse are not kept, and the second still fails as the first did.
    #[test]
    fn a_short_query_text_is_parsed_once() {
        let cache = Persisted::new(4);
        let text = "query Q($id: ID!) { node(id: $id) { id } }";
        let mut first = cache.resolve(async_graphql::Request::new(text)).unwrap();
        assert!(cache.by_text.get(text).is_some(), "kept by its text");
        let mut again = cache.resolve(async_graphql::Request::new(text)).unwrap();
        assert_eq!(
            format!("{:?}", again.parsed_query().unwrap()),
            format!("{:?}", first.parsed_query().unwrap())
        );

        let long = format!("{{ a {} }}", " ".repeat(MAX_PARSED_QUERY_BYTES));
        cache
            .resolve(async_graphql::Request::new(long.clone()))
            .unwrap();
        assert!(
            cache.by_text.get(&long).is_none(),
            "a long text is not kept"
        );

        for _ in 0..2 {
            let broken = cache.resolve(async_graphql::Request::new("{ a "));
            assert!(broken.is_err(), "a text that does not parse is an error");
        }
        assert!(cache.by_text.get("{ a ").is_none());
    }
}
