//! The mutation root, merged from one object per area. Every mutation takes one `input`
//! and returns a `…Payload`; each calls one domain function.

mod admission;
mod auth;
mod candidates;
mod contacts;
mod employers;
pub mod mail;
mod people;
mod tracks;

use async_graphql::MergedObject;

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    people::PeopleMutation,
    employers::EmployerMutation,
    tracks::TrackMutation,
    candidates::CandidateMutation,
    admission::AdmissionMutation,
    contacts::ContactMutation,
    mail::MailMutation,
);
