//! Loaders of what hangs off an employer: contact persons, a page of its competence
//! needs, a page of its contact log and its last contact.

use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{competence_need, employer_contact, employer_contact_person};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{LoadResult, Loader, fail, group, unscoped};
use crate::domain::values::CompetenceNeedStatus;
use crate::error::Error;
use crate::graphql::loader::ChildPage;
use crate::graphql::loader::Page;
use crate::graphql::loader::child_pages;
use crate::graphql::loader::first_rows_per_parent;

list_key!(ContactPersonsOfEmployer);

children!(
    ContactPersonsOfEmployer,
    employer_contact_person,
    EmployerId,
    employer_id,
    [(Position, Asc)],
    unscoped
);

/// One page of an employer's competence needs, oldest first. Reached only through an
/// employer whose details the viewer may read.
pub type NeedsOfEmployer = ChildPage<competence_need::Entity, CompetenceNeedStatus>;

impl LoaderTrait<NeedsOfEmployer> for Loader {
    type Value = Page<competence_need::Model>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[NeedsOfEmployer]) -> LoadResult<NeedsOfEmployer, Self::Value> {
        child_pages(
            &self.db,
            keys,
            |statuses| {
                let mut select = competence_need::Entity::find();
                if !statuses.is_empty() {
                    select = select
                        .filter(competence_need::Column::Status.is_in(statuses.iter().copied()));
                }
                select
            },
            (
                competence_need::Column::EmployerId,
                |n: &competence_need::Model| n.employer_id,
            ),
            &[(competence_need::Column::Id, sea_orm::Order::Asc)],
        )
        .await
    }
}

/// One page of an employer's contact log, newest first (by when the contact happened,
/// then by id). Reached only through an employer the viewer may see, and refused to
/// employer users by the field itself.
pub type ContactsOfEmployer = ChildPage<employer_contact::Entity>;

impl LoaderTrait<ContactsOfEmployer> for Loader {
    type Value = Page<employer_contact::Model>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[ContactsOfEmployer],
    ) -> LoadResult<ContactsOfEmployer, Self::Value> {
        child_pages(
            &self.db,
            keys,
            |_| employer_contact::Entity::find(),
            (
                employer_contact::Column::EmployerId,
                |c: &employer_contact::Model| c.employer_id,
            ),
            &[
                (employer_contact::Column::OccurredAt, sea_orm::Order::Desc),
                (employer_contact::Column::Id, sea_orm::Order::Desc),
            ],
        )
        .await
    }
}

list_key!(LastContactOfEmployer);

/// The most recent contact with each employer, in one statement (the first row per
/// employer by occurrence, then id), so a page of employers never loads their whole
/// contact logs.
impl LoaderTrait<LastContactOfEmployer> for Loader {
    type Value = employer_contact::Model;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[LastContactOfEmployer],
    ) -> LoadResult<LastContactOfEmployer, Self::Value> {
        let select = employer_contact::Entity::find()
            .filter(employer_contact::Column::EmployerId.is_in(keys.iter().map(|k| k.0)));
        let newest = first_rows_per_parent(
            &self.db,
            select,
            employer_contact::Column::EmployerId,
            &[
                (employer_contact::Column::OccurredAt, sea_orm::Order::Desc),
                (employer_contact::Column::Id, sea_orm::Order::Desc),
            ],
            1,
        )
        .await
        .map_err(Arc::new)?;
        Ok(newest
            .into_iter()
            .map(|c| (LastContactOfEmployer(c.employer_id), c))
            .collect())
    }
}
