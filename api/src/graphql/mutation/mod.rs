//! The mutation root, merged from one object per area. Every mutation takes one `input`
//! and returns a `…Payload`; each calls one domain function.

mod auth;
mod employers;
mod people;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    people::PeopleMutation,
    employers::EmployerMutation,
);
