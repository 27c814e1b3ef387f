//! Nested connections as loader keys: one page per parent for many parents at once.

use crate::db::Db;
use std::collections::HashMap;
use std::sync::Arc;

use sea_orm::EntityTrait;

use crate::domain::pagination::{Page, PageRequest, fetch_per_parent};
use crate::error::Error;

/// A page of one parent's children as a loader key: the parent and the page asked for
/// (size, cursor, whether counted, status filter). `Of` names the children, so that each kind of page is
/// its own key type. Keys asking for the same page are loaded together by
/// [`child_pages`], so a list of parents costs two statements, not two per parent.
pub struct ChildPage<Of, S = Unfiltered> {
    pub parent: i64,
    pub request: PageRequest,
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
            request,
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
        (self.parent, self.request) == (other.parent, other.request)
            && self.statuses == other.statuses
    }
}

impl<Of, S: Eq> Eq for ChildPage<Of, S> {}

impl<Of, S: std::hash::Hash> std::hash::Hash for ChildPage<Of, S> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.parent, self.request, &self.statuses).hash(state);
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
    db: &Db,
    keys: &[ChildPage<Of, S>],
    select: impl Fn(&[S]) -> sea_orm::Select<E>,
    (parent, parent_of): ParentOf<E>,
    order: &[(E::Column, sea_orm::Order)],
) -> Result<HashMap<ChildPage<Of, S>, Page<E::Model>>, Arc<Error>>
where
    S: Clone + std::hash::Hash + Eq,
    E: EntityTrait,
    E::Model: jobtrack_entity::positional::Positional + Send + Sync,
{
    // The parents of the keys that ask for the same page (size, cursor, filter).
    type SamePage<S> = (PageRequest, Vec<S>);
    let mut groups: HashMap<SamePage<S>, Vec<i64>> = HashMap::new();
    for key in keys {
        groups
            .entry((key.request, key.statuses.clone()))
            .or_default()
            .push(key.parent);
    }
    let mut found = HashMap::new();
    for ((request, statuses), parents) in groups {
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
                request,
                statuses: statuses.clone(),
                of: std::marker::PhantomData,
            };
            found.insert(key, page);
        }
    }
    Ok(found)
}
