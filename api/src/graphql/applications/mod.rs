//! Applications and the admission process: the application, its steps and outcome (and what an employer sees of an applicant), and every admission mutation.

pub mod follow_up;
mod mutation;
mod object;
mod query;

pub use mutation::*;
pub use object::*;
pub use query::*;
