//! Candidates: their profile and consents as staff see them, the candidate list, and registering, updating, consenting and erasing.

mod mutation;
mod object;
mod query;

pub use mutation::*;
pub use object::*;
pub use query::*;
