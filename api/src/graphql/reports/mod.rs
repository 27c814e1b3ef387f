//! The completion report to the steering group, split by gender.

mod object;
mod query;

pub use object::*;
pub use query::*;
