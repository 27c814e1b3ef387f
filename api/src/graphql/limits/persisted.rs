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

/// Parsed documents by the hex SHA-256 of their text; the least recently used goes when
/// `capacity` is reached.
pub struct Persisted {
    capacity: usize,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    tick: u64,
    by_hash: HashMap<String, (ExecutableDocument, u64)>,
}

impl Persisted {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            entries: Mutex::default(),
        }
    }

    fn get(&self, hash: &str) -> Option<ExecutableDocument> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.tick += 1;
        let tick = entries.tick;
        entries.by_hash.get_mut(hash).map(|(document, used)| {
            *used = tick;
            document.clone()
        })
    }

    fn put(&self, hash: String, document: ExecutableDocument) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.tick += 1;
        let tick = entries.tick;
        if !entries.by_hash.contains_key(&hash) && entries.by_hash.len() >= self.capacity {
            let oldest = entries
                .by_hash
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(hash, _)| hash.clone());
            if let Some(oldest) = oldest {
                entries.by_hash.remove(&oldest);
            }
        }
        entries.by_hash.insert(hash, (document, tick));
    }

    /// `request` with its persisted query resolved: the document for a known hash, or
    /// the sent text checked against its hash and kept. The messages are Apollo's (and
    /// async-graphql's), which clients look for.
    pub fn resolve(&self, mut request: Request) -> ServerResult<Request> {
        let Some(value) = request.extensions.remove("persistedQuery") else {
            return Ok(request);
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
                .get(&persisted.sha256_hash)
                .ok_or_else(|| ServerError::new("PersistedQueryNotFound", None))?;
            request.set_parsed_query(document);
            return Ok(request);
        }
        let hash = format!("{:x}", Sha256::digest(request.query.as_bytes()));
        if persisted.sha256_hash != hash {
            return Err(ServerError::new("provided sha does not match query", None));
        }
        let document = request.parsed_query()?.clone();
        self.put(hash, document);
        Ok(request)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::Persisted;

    fn document(text: &str) -> async_graphql::parser::types::ExecutableDocument {
        async_graphql::parser::parse_query(text).unwrap()
    }

    #[test]
    fn the_least_recently_used_goes_first() {
        let cache = Persisted::new(2);
        cache.put("a".into(), document("{ a }"));
        cache.put("b".into(), document("{ b }"));
        assert!(cache.get("a").is_some(), "a is now the most recently used");
        cache.put("c".into(), document("{ c }"));
        assert!(cache.get("b").is_none(), "b went");
        assert!(cache.get("a").is_some());
        assert!(cache.get("c").is_some());
    }
}
