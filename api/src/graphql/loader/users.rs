//! Loaders of what hangs off an agreement or a user: parties, municipalities, roles and
//! the employer of an employer user.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{
    agreement_municipality, agreement_party, agreement_revision, employer, municipality,
    organization, user_employer, user_municipality, user_role,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{LoadResult, Loader, fail, group, unscoped};
use crate::domain::values::Role;
use crate::error::Error;

list_key!(PartiesOfAgreement);
list_key!(MunicipalitiesOfAgreement);
list_key!(RolesOfUser);
list_key!(MunicipalitiesOfUser);
list_key!(EmployerOfUser);
list_key!(RevisionsOfAgreement);

children!(
    RevisionsOfAgreement,
    agreement_revision,
    AgreementId,
    agreement_id,
    [(RevisedOn, Desc), (Id, Desc)],
    unscoped
);

impl Loader {
    /// Municipalities by code, from the reference data.
    fn municipalities(&self, codes: Vec<String>) -> HashMap<String, municipality::Model> {
        codes
            .into_iter()
            .filter_map(|c| {
                self.reference
                    .municipalities
                    .get(&c)
                    .map(|m| (c, m.clone()))
            })
            .collect()
    }
}

/// Resolves `(parent, code)` link rows to municipalities, sorted by name per parent.
fn with_municipalities<K: std::hash::Hash + Eq>(
    links: Vec<(i64, String)>,
    by_code: &HashMap<String, municipality::Model>,
    key: impl Fn(i64) -> K,
) -> HashMap<K, Vec<municipality::Model>> {
    let mut grouped = group(
        links
            .into_iter()
            .filter_map(|(p, c)| by_code.get(&c).map(|m| (p, m.clone()))),
    );
    for v in grouped.values_mut() {
        v.sort_by(|a, b| a.name.cmp(&b.name));
    }
    grouped.into_iter().map(|(k, v)| (key(k), v)).collect()
}

through_link!(
    PartiesOfAgreement,
    agreement_party,
    AgreementId,
    OrganizationId,
    organization,
    |a, b| a.name.cmp(&b.name)
);

impl LoaderTrait<MunicipalitiesOfAgreement> for Loader {
    type Value = Vec<municipality::Model>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[MunicipalitiesOfAgreement],
    ) -> LoadResult<MunicipalitiesOfAgreement, Self::Value> {
        let links = agreement_municipality::Entity::find()
            .filter(agreement_municipality::Column::AgreementId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let by_code =
            self.municipalities(links.iter().map(|l| l.municipality_code.clone()).collect());
        let pairs = links
            .into_iter()
            .map(|l| (l.agreement_id, l.municipality_code))
            .collect();
        Ok(with_municipalities(
            pairs,
            &by_code,
            MunicipalitiesOfAgreement,
        ))
    }
}

impl LoaderTrait<MunicipalitiesOfUser> for Loader {
    type Value = Vec<municipality::Model>;
    type Error = Arc<Error>;

    async fn load(
        &self,
        keys: &[MunicipalitiesOfUser],
    ) -> LoadResult<MunicipalitiesOfUser, Self::Value> {
        let links = user_municipality::Entity::find()
            .filter(user_municipality::Column::UserId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let by_code =
            self.municipalities(links.iter().map(|l| l.municipality_code.clone()).collect());
        let pairs = links
            .into_iter()
            .map(|l| (l.user_id, l.municipality_code))
            .collect();
        Ok(with_municipalities(pairs, &by_code, MunicipalitiesOfUser))
    }
}

impl LoaderTrait<RolesOfUser> for Loader {
    type Value = Vec<Role>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[RolesOfUser]) -> LoadResult<RolesOfUser, Self::Value> {
        let rows = user_role::Entity::find()
            .filter(user_role::Column::UserId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut pairs = Vec::new();
        for row in rows {
            pairs.push((row.user_id, row.role));
        }
        let mut grouped = group(pairs);
        for v in grouped.values_mut() {
            v.sort_unstable();
        }
        Ok(grouped
            .into_iter()
            .map(|(k, v)| (RolesOfUser(k), v))
            .collect())
    }
}

impl LoaderTrait<EmployerOfUser> for Loader {
    type Value = employer::Model;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[EmployerOfUser]) -> LoadResult<EmployerOfUser, Self::Value> {
        let links = user_employer::Entity::find()
            .filter(user_employer::Column::UserId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await
            .map_err(fail)?;
        let employers: HashMap<i64, employer::Model> = employer::Entity::find()
            .filter(employer::Column::Id.is_in(links.iter().map(|l| l.employer_id)))
            .all(&self.db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        Ok(links
            .into_iter()
            .filter_map(|l| {
                employers
                    .get(&l.employer_id)
                    .map(|e| (EmployerOfUser(l.user_id), e.clone()))
            })
            .collect())
    }
}
