//! The query root, merged from one object per area.

mod employers;
mod people;
mod reference;
mod reports;
mod tracks;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Query(
    people::PeopleQuery,
    reference::ReferenceQuery,
    employers::EmployerQuery,
    tracks::TrackQuery,
    reports::ReportQuery,
    crate::graphql::mutation::mail::MailQuery,
);
