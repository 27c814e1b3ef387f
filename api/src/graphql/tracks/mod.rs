//! Job tracks: the track and its components, the track list, and designing tracks and changing their status.

pub mod end;
mod meetings;
mod mutation;
mod object;
mod query;

pub use meetings::*;
pub use mutation::*;
pub use object::*;
pub use query::*;
