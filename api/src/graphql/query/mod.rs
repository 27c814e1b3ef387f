//! The query root, merged from one object per area.

mod employers;
mod people;
mod reference;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Query(
    people::PeopleQuery,
    reference::ReferenceQuery,
    employers::EmployerQuery,
);
