//! Authentication: who is calling. A bearer JWT names the user; everything else about
//! the user (roles, organisation, municipalities) is read from the database per request.

mod actor;
pub mod jwt;
pub mod password;
pub mod session;
mod throttle;
mod viewer;

pub use actor::{Actor, load_actor};
pub use viewer::{Viewer, trusted_proxies};
