//! Employers and their competence needs: the objects, the lists, and creating employers and posting needs.

mod mutation;
mod object;
mod query;

pub use mutation::*;
pub use object::*;
pub use query::*;
