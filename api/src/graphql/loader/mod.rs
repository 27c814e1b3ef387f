//! DataLoaders for every nested object and list, so the number of statements of a
//! request does not grow with the page size. Created per request: a loader's cache never
//! outlives the viewer it served. Scoping is by construction: each key is reached only
//! through an object the viewer was allowed to see.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{
    agreement, agreement_municipality, agreement_party, competence_need, employer,
    employer_contact, employer_contact_person, industry, job_track, municipality, occupation,
    organization, user_employer, user_municipality, user_role,
};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use crate::domain::pagination::{Page, PageRequest, fetch_per_parent, first_rows_per_parent};
use crate::domain::values::CompetenceNeedStatus;
use crate::domain::views::Reader;

use crate::domain::values::Role;
use crate::error::Error;

/// The loader of one request, with its per-request cache.
pub type RequestLoader =
    async_graphql::dataloader::DataLoader<Loader, async_graphql::dataloader::HashMapCache>;

pub struct Loader {
    pub db: DatabaseConnection,
    /// The viewer: loaders of scoped relations filter by it inside the query.
    pub actor: Option<crate::auth::Actor>,
    /// The request's audit batch: loaders of personal data build views, which record.
    pub reads: Arc<crate::domain::audit::Reads>,
    pub reference: Arc<crate::reference_cache::Reference>,
}

pub(crate) type LoadResult<K, V> = Result<HashMap<K, V>, Arc<Error>>;

pub(crate) fn fail(err: sea_orm::DbErr) -> Arc<Error> {
    Arc::new(Error::from(err))
}

/// Groups rows into lists per key.
pub(crate) fn group<K: std::hash::Hash + Eq, V>(
    rows: impl IntoIterator<Item = (K, V)>,
) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in rows {
        map.entry(k).or_default().push(v);
    }
    map
}

/// Declares the loader of a child table's rows, grouped by their parent's id, in the
/// given order and within `scope` (a condition from the loader's viewer, for rows that
/// are personal data; `Condition::all()` for rows reached only through a visible parent).
macro_rules! children {
    ($key:ident, $entity:ident, $parent:ident, $field:ident, [$(($column:ident, $order:ident)),+], $scope:expr) => {
        impl LoaderTrait<$key> for Loader {
            type Value = Vec<$entity::Model>;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Self::Value> {
                let scope: fn(&Loader) -> sea_orm::Condition = $scope;
                let rows = $entity::Entity::find()
                    .filter($entity::Column::$parent.is_in(keys.iter().map(|k| k.0)))
                    .filter(scope(self))
                    $(.order_by($entity::Column::$column, sea_orm::Order::$order))+
                    .all(&self.db)
                    .await
                    .map_err(fail)?;
                Ok(group(rows.into_iter().map(|r| (r.$field, r))).into_iter().map(|(k, v)| ($key(k), v)).collect())
            }
        }
    };
}

/// Declares the loader of the rows a parent reaches through a link table: the links by
/// parent, then their targets by id, grouped per parent and sorted by `$sort`.
macro_rules! through_link {
    ($key:ident, $link:ident, $parent:ident, $parent_field:ident, $target_field:ident, $target:ident, $sort:expr) => {
        through_link!(
            $key,
            $link,
            $parent,
            $parent_field,
            $target_field,
            $target,
            $sort,
            unscoped
        );
    };
    ($key:ident, $link:ident, $parent:ident, $parent_field:ident, $target_field:ident, $target:ident, $sort:expr, $scope:expr) => {
        impl LoaderTrait<$key> for Loader {
            type Value = Vec<$target::Model>;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Self::Value> {
                let links = $link::Entity::find()
                    .filter($link::Column::$parent.is_in(keys.iter().map(|k| k.0)))
                    .all(&self.db)
                    .await
                    .map_err(fail)?;
                let targets: HashMap<i64, $target::Model> = $target::Entity::find()
                    .filter($target::Column::Id.is_in(links.iter().map(|l| l.$target_field)))
                    .filter($scope(self))
                    .all(&self.db)
                    .await
                    .map_err(fail)?
                    .into_iter()
                    .map(|t| (t.id, t))
                    .collect();
                let mut grouped = group(links.into_iter().filter_map(|l| {
                    targets
                        .get(&l.$target_field)
                        .map(|t| (l.$parent_field, t.clone()))
                }));
                let sort: fn(&$target::Model, &$target::Model) -> std::cmp::Ordering = $sort;
                for v in grouped.values_mut() {
                    v.sort_by(sort);
                }
                Ok(grouped.into_iter().map(|(k, v)| ($key(k), v)).collect())
            }
        }
    };
}

/// No extra scope: the parent was already visible.
pub(crate) fn unscoped(_: &Loader) -> sea_orm::Condition {
    sea_orm::Condition::all()
}

/// Declares a key type and its loader that fetches rows by primary key.
macro_rules! by_id {
    ($key:ident, $key_ty:ty, $entity:ident, $column:ident, $field:ident) => {
        by_id!($key, $key_ty, $entity, $column, $field, unscoped);
    };
    ($key:ident, $key_ty:ty, $entity:ident, $column:ident, $field:ident, $scope:expr) => {
        #[derive(Clone, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub $key_ty);

        impl LoaderTrait<$key> for Loader {
            type Value = $entity::Model;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Self::Value> {
                let wanted: Vec<$key_ty> = keys.iter().map(|k| k.0.clone()).collect();
                let rows = $entity::Entity::find()
                    .filter($entity::Column::$column.is_in(wanted))
                    .filter($scope(self))
                    .all(&self.db)
                    .await
                    .map_err(fail)?;
                Ok(rows
                    .into_iter()
                    .map(|row| ($key(row.$field.clone()), row))
                    .collect())
            }
        }
    };
}

/// Declares a key type answered from the in-memory reference data.
macro_rules! from_reference {
    ($key:ident, $entity:ident, $map:ident) => {
        #[derive(Clone, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub String);

        impl LoaderTrait<$key> for Loader {
            type Value = $entity::Model;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Self::Value> {
                Ok(keys
                    .iter()
                    .filter_map(|k| {
                        self.reference
                            .$map
                            .get(&k.0)
                            .map(|v| (k.clone(), v.clone()))
                    })
                    .collect())
            }
        }
    };
}

from_reference!(MunicipalityByCode, municipality, municipalities);
from_reference!(OccupationByCode, occupation, occupations);
from_reference!(IndustryByCode, industry, industries);
by_id!(OrganizationById, i64, organization, Id, id);
// An employer reached by id from another object (a trial placement's host, an
// outcome's employer, a need's employer) is shown only to those who may see it.
by_id!(EmployerById, i64, employer, Id, id, |l: &Loader| l
    .scope(crate::domain::policy::employer_scope));
by_id!(AgreementById, i64, agreement, Id, id);
by_id!(TrackById, i64, job_track, Id, id);

/// Declares a key type (a parent id) whose value is a list.
macro_rules! list_key {
    ($key:ident) => {
        #[derive(Clone, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);
    };
}

list_key!(PartiesOfAgreement);
list_key!(MunicipalitiesOfAgreement);
list_key!(RolesOfUser);
list_key!(MunicipalitiesOfUser);
list_key!(EmployerOfUser);
list_key!(ContactPersonsOfEmployer);

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
    agreement_id,
    organization_id,
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

children!(
    ContactPersonsOfEmployer,
    employer_contact_person,
    EmployerId,
    employer_id,
    [(Position, Asc)],
    unscoped
);

// All competence needs of an employer, oldest first; the nested connection pages them.
/// A page of one parent's children as a loader key: the parent and the page asked for
/// (size, cursor, status filter). `Of` names the children, so that each kind of page is
/// its own key type. Keys asking for the same page are loaded together by
/// [`child_pages`], so a list of parents costs two statements, not two per parent.
pub struct ChildPage<Of, S = Unfiltered> {
    pub parent: i64,
    pub first: u64,
    pub after: Option<i64>,
    /// Sorted and without repeats, so equal filters make equal keys. Empty: all.
    pub statuses: Vec<S>,
    of: std::marker::PhantomData<fn() -> Of>,
}

impl<Of, S: Ord> ChildPage<Of, S> {
    pub fn new(parent: i64, request: PageRequest, statuses: Option<Vec<S>>) -> Self {
        let mut statuses = statuses.unwrap_or_default();
        statuses.sort_unstable();
        statuses.dedup();
        Self {
            parent,
            first: request.first,
            after: request.after,
            statuses,
            of: std::marker::PhantomData,
        }
    }
}

// By hand: derived impls would ask the same of `Of`, which is only a name.
impl<Of, S: Clone> Clone for ChildPage<Of, S> {
    fn clone(&self) -> Self {
        Self {
            statuses: self.statuses.clone(),
            of: std::marker::PhantomData,
            ..*self
        }
    }
}

impl<Of, S: PartialEq> PartialEq for ChildPage<Of, S> {
    fn eq(&self, other: &Self) -> bool {
        (self.parent, self.first, self.after) == (other.parent, other.first, other.after)
            && self.statuses == other.statuses
    }
}

impl<Of, S: Eq> Eq for ChildPage<Of, S> {}

impl<Of, S: std::hash::Hash> std::hash::Hash for ChildPage<Of, S> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.parent, self.first, self.after, &self.statuses).hash(state);
    }
}

/// A [`ChildPage`] without a status filter.
pub type Unfiltered = std::convert::Infallible;

/// The column holding a child's parent, and how to read it off a child.
type ParentOf<E> = (
    <E as EntityTrait>::Column,
    fn(&<E as EntityTrait>::Model) -> i64,
);

/// The pages `keys` ask for: rows of `select(statuses)` under their parent column in
/// `order` (its last column the cursor), grouped by the page asked for, each group in
/// two statements.
pub(crate) async fn child_pages<Of, S, E>(
    db: &DatabaseConnection,
    keys: &[ChildPage<Of, S>],
    select: impl Fn(&[S]) -> sea_orm::Select<E>,
    (parent, parent_of): ParentOf<E>,
    order: &[(E::Column, sea_orm::Order)],
) -> Result<HashMap<ChildPage<Of, S>, Page<E::Model>>, Arc<Error>>
where
    S: Clone + std::hash::Hash + Eq,
    E: EntityTrait,
    E::Model: Sync,
{
    // The parents of the keys that ask for the same page (size, cursor, filter).
    type SamePage<S> = (u64, Option<i64>, Vec<S>);
    let mut groups: HashMap<SamePage<S>, Vec<i64>> = HashMap::new();
    for key in keys {
        groups
            .entry((key.first, key.after, key.statuses.clone()))
            .or_default()
            .push(key.parent);
    }
    let mut found = HashMap::new();
    for ((first, after, statuses), parents) in groups {
        let request = PageRequest { first, after };
        let pages = fetch_per_parent(
            db,
            select(&statuses),
            (parent, parent_of),
            order,
            &parents,
            request,
        )
        .await
        .map_err(Arc::new)?;
        for (parent, page) in pages {
            let key = ChildPage {
                parent,
                first,
                after,
                statuses: statuses.clone(),
                of: std::marker::PhantomData,
            };
            found.insert(key, page);
        }
    }
    Ok(found)
}

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

macro_rules! key {
    ($($key:ident),+) => {
        $(
            #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
            pub struct $key(pub i64);
        )+
    };
}

mod people;
mod tracks;

pub use people::{
    ApplicantById, ApplicationsOfCandidate, CandidateById, ConsentsOfCandidate,
    OutcomeOfApplication, StepsOfApplication, TargetGroupsOfCandidate, UserById,
};
pub use tracks::{
    ApplicationsOfTrack, ComponentsOfTrack, DesignTeamOfTrack, EmployersOfTrack,
    MunicipalitiesOfTrack, NeedsOfTrack, StatusCountsOfTrack, TracksOfEmployer, TracksOfNeed,
};

impl Loader {
    /// Who reads, for building views; `None` without a signed-in viewer.
    pub(crate) fn reader(&self) -> Result<Reader<'_>, Arc<Error>> {
        match &self.actor {
            Some(actor) => Ok(Reader {
                actor,
                reads: &self.reads,
            }),
            None => Err(Arc::new(Error::Unauthenticated("sign in first".into()))),
        }
    }

    pub(crate) fn scope(&self, scope: fn(&crate::auth::Actor) -> Option<Condition>) -> Condition {
        match &self.actor {
            Some(actor) => scope(actor).unwrap_or_else(Condition::all),
            // No viewer sees nothing (resolvers refuse earlier; this is the backstop).
            None => Condition::all().add(Expr::val(1).eq(0)),
        }
    }

    /// Rows of link table `L` for `keys`, then the targets `T` they point at, grouped.
    fn linked<T, V>(links: Vec<(i64, V)>, targets: &HashMap<V, T>) -> HashMap<i64, Vec<T>>
    where
        V: std::hash::Hash + Eq,
        T: Clone,
    {
        group(
            links
                .into_iter()
                .filter_map(|(k, v)| targets.get(&v).map(|t| (k, t.clone()))),
        )
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
