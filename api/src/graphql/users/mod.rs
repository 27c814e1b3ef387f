//! Users, organisations, agreements and the audit log: the viewer, signing in, invitations, and what administrators create.

mod account;
mod mutation;
mod object;
mod query;

pub use account::*;
pub use mutation::*;
pub use object::*;
pub use query::*;
