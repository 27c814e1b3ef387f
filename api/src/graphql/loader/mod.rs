//! DataLoaders for every nested object and list, so the number of statements of a
//! request does not grow with the page size. Created per request: a loader's cache never
//! outlives the viewer it served. Scoping is by construction: each key is reached only
//! through an object the viewer was allowed to see.

use crate::db::Db;
use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{
    agreement, application, employer, escalation_acknowledgement, industry, job_track,
    municipality, occupation, organization, track_review,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, IntoIden, SelectStatement},
};

use crate::domain::pagination::{Page, first_rows_per_parent};
use crate::domain::views::Reader;

use crate::error::Error;

/// The loader of one request, with its per-request cache.
pub type RequestLoader =
    async_graphql::dataloader::DataLoader<Loader, async_graphql::dataloader::HashMapCache>;

pub struct Loader {
    pub db: Db,
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

/// Declares the loader of the rows a parent reaches through a link table: the targets
/// joined to their links by parent, in one statement, read by position with the link's
/// parent id after the target's columns, grouped per parent and sorted by `$sort`.
macro_rules! through_link {
    ($key:ident, $link:ident, $parent:ident, $target_column:ident, $target:ident, $sort:expr) => {
        through_link!(
            $key,
            $link,
            $parent,
            $target_column,
            $target,
            $sort,
            unscoped
        );
    };
    ($key:ident, $link:ident, $parent:ident, $target_column:ident, $target:ident, $sort:expr, $scope:expr) => {
        impl LoaderTrait<$key> for Loader {
            type Value = Vec<$target::Model>;
            type Error = Arc<Error>;

            async fn load(&self, keys: &[$key]) -> LoadResult<$key, Self::Value> {
                use jobtrack_entity::positional::WithParent;
                use sea_orm::{EntityTrait as _, QuerySelect as _};
                let to_target: sea_orm::RelationDef = $link::Entity::belongs_to($target::Entity)
                    .from($link::Column::$target_column)
                    .to($target::Column::Id)
                    .into();
                let select = $target::Entity::find()
                    .join_rev(sea_orm::JoinType::InnerJoin, to_target)
                    .column_as($link::Column::$parent, "link_parent")
                    .filter($scope(self));
                let rows: Vec<WithParent<$target::Model>> = $crate::graphql::loader::for_parents(
                    &self.db,
                    sea_orm::QueryTrait::into_query(select),
                    ($link::Entity, $link::Column::$parent),
                    keys.iter().map(|k| k.0).collect(),
                )
                .await
                .map_err(fail)?;
                let mut grouped = group(
                    rows.into_iter()
                        .map(|WithParent(parent, target)| (parent, target)),
                );
                let sort: fn(&$target::Model, &$target::Model) -> std::cmp::Ordering = $sort;
                for v in grouped.values_mut() {
                    v.sort_by(sort);
                }
                Ok(grouped.into_iter().map(|(k, v)| ($key(k), v)).collect())
            }
        }
    };
}

/// The rows `select` finds for each of `parents`, matched on its column `parent`, in one
/// statement. On PostgreSQL the ids are a bound array and each is looked up on its own
/// (a LATERAL join, as PostGraphile does with its correlated subqueries): given a
/// `parent IN (…)` list over a table of a few thousand rows, the planner at its default
/// `random_page_cost` reads the whole table instead of its index (the national-scale
/// bench's track list: needs 0.32 against 0.14 ms, employers 0.23 against 0.15).
/// `OFFSET 0` keeps it from flattening the lookup back into that join. On SQLite an
/// `IN` list.
pub(crate) async fn for_parents<M: sea_orm::FromQueryResult>(
    db: &Db,
    mut select: SelectStatement,
    parent: (impl IntoIden, impl IntoIden),
    parents: Vec<i64>,
) -> Result<Vec<M>, sea_orm::DbErr> {
    use sea_orm::sea_query::{Alias, PostgresQueryBuilder};
    use sea_orm::{DbBackend, Statement};
    let backend = db.get_database_backend();
    let column = Expr::col(parent);
    if backend != DbBackend::Postgres {
        select.and_where(column.is_in(parents));
        return M::find_by_statement(backend.build(&select)).all(db).await;
    }
    select.and_where(column.equals((Alias::new("parent"), Alias::new("id"))));
    let (sql, values) = select.build(PostgresQueryBuilder);
    let mut values = values.0;
    values.push(parents.into());
    let sql = format!(
        "SELECT linked.* FROM unnest(${}::bigint[]) AS parent(id) \
         CROSS JOIN LATERAL ({sql} OFFSET 0) AS linked",
        values.len()
    );
    M::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(db)
        .await
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
by_id!(ReviewOfTrack, i64, track_review, JobTrackId, job_track_id);
// An application reached from another (a carried-over nomination's origin): only
// within the viewer's application scope.
by_id!(ApplicationById, i64, application, Id, id, |l: &Loader| l
    .scope(crate::domain::policy::application_scope));
by_id!(
    AcknowledgementOfTrack,
    i64,
    escalation_acknowledgement,
    JobTrackId,
    job_track_id
);

/// Declares a key type (a parent id) whose value is a list.
macro_rules! list_key {
    ($key:ident) => {
        #[derive(Clone, Debug, Hash, PartialEq, Eq)]
        pub struct $key(pub i64);
    };
}

macro_rules! key {
    ($($key:ident),+) => {
        $(
            #[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
            pub struct $key(pub i64);
        )+
    };
}

pub mod batching;
mod employers;
mod meetings;
mod pages;
mod people;
mod tracks;
mod users;

pub use employers::{
    ContactPersonsOfEmployer, ContactsOfEmployer, LastContactOfEmployer, NeedsOfEmployer,
};
pub(crate) use pages::child_pages;
pub use pages::{ChildPage, Unfiltered};
pub use users::{
    EmployerOfUser, MunicipalitiesOfAgreement, MunicipalitiesOfUser, PartiesOfAgreement,
    RevisionsOfAgreement, RolesOfUser,
};

pub use meetings::{InvitedToMeeting, MeetingCounts, MeetingsOfTrack};
pub use people::{
    ApplicantById, ApplicationsOfCandidate, CandidateById, ConsentsOfCandidate,
    FollowUpsOfApplication, OutcomeOfApplication, StepsOfApplication, TargetGroupsOfCandidate,
    UserById,
};
pub use tracks::{
    ApplicationsOfTrack, ComponentsOfTrack, DesignTeamOfTrack, EmployersOfTrack,
    MunicipalitiesOfTrack, NeedsOfTrack, StageCountsOfTrack, StatusCountsOfTrack, TracksOfEmployer,
    TracksOfNeed,
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
