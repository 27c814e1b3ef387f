//! Opaque global ids (`node(id:)`) and page cursors: base64url of `Type:id`.

use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, Result};

pub fn encode(type_name: &str, id: i64) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}")))
}

/// Splits a global id into its type and number.
pub fn decode_any(id: &ID) -> Option<(String, i64)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_str()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (type_name, number) = text.split_once(':')?;
    Some((type_name.to_owned(), number.parse().ok()?))
}

/// The number of a global id of `type_name`, or BAD_USER_INPUT on `field`.
pub fn decode(field: &str, type_name: &str, id: &ID) -> Result<i64> {
    match decode_any(id) {
        Some((t, n)) if t == type_name => Ok(n),
        _ => Err(Error::bad_input(
            field,
            format!("is not {} {type_name} id", crate::error::article(type_name)),
        )),
    }
}

pub fn cursor(id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("cursor:{id}"))
}

pub fn decode_cursor(after: Option<&str>) -> Result<Option<i64>> {
    let Some(after) = after else { return Ok(None) };
    URL_SAFE_NO_PAD
        .decode(after)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|t| t.strip_prefix("cursor:").and_then(|n| n.parse().ok()))
        .map(Some)
        .ok_or_else(|| Error::bad_input("after", "is not a cursor from this list"))
}
