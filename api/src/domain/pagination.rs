//! Keyset pagination over an id column: stable under inserts, no duplicates or gaps
//! when paging to the end. The page size has a default and a hard maximum.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::error::{Error, Result};

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    pub first: u64,
    /// The id of the last row of the previous page.
    pub after: Option<i64>,
}

impl PageRequest {
    pub fn new(first: Option<i32>, after: Option<i64>) -> Result<Self> {
        let first = match first {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if n < 0 => return Err(Error::bad_input("first", "must not be negative")),
            Some(n) => u64::try_from(n).unwrap_or(0),
        };
        if first > MAX_PAGE_SIZE {
            return Err(Error::bad_input(
                "first",
                format!("must be at most {MAX_PAGE_SIZE}"),
            ));
        }
        Ok(Self { first, after })
    }
}

pub struct Page<M> {
    pub items: Vec<M>,
    pub has_next: bool,
    pub has_previous: bool,
    pub total: u64,
}

impl<M> Page<M> {
    /// The same page with each item turned into something else, or the first error.
    pub fn try_map<T, E>(
        self,
        f: impl FnMut(M) -> std::result::Result<T, E>,
    ) -> std::result::Result<Page<T>, E> {
        Ok(Page {
            items: self
                .items
                .into_iter()
                .map(f)
                .collect::<std::result::Result<_, _>>()?,
            has_next: self.has_next,
            has_previous: self.has_previous,
            total: self.total,
        })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Oldest first.
    Ascending,
    /// Newest first.
    Descending,
}

/// One page of `select`, ordered by `id` in `direction`, with the total count of the
/// unpaged selection.
pub async fn fetch<E, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: C,
    request: PageRequest,
    direction: Direction,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ColumnTrait,
{
    let total = select.clone().count(db).await?;
    let mut query = select;
    if let Some(after) = request.after {
        query = match direction {
            Direction::Ascending => query.filter(id.gt(after)),
            Direction::Descending => query.filter(id.lt(after)),
        };
    }
    query = match direction {
        Direction::Ascending => query.order_by_asc(id),
        Direction::Descending => query.order_by_desc(id),
    };
    let mut items = query.limit(request.first + 1).all(db).await?;
    let has_next = items.len() as u64 > request.first;
    items.truncate(usize::try_from(request.first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next,
        has_previous: request.after.is_some(),
        total,
    })
}
