//! Business advisers' contact log: contacts with employers, the log and the follow-ups due, and logging a contact.

mod mutation;
mod object;
mod query;

pub use mutation::*;
pub use object::*;
pub use query::*;
