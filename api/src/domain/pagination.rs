//! Keyset pagination over an id column: stable under inserts, no duplicates or gaps
//! when paging to the end. The page size has a default and a hard maximum.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::error::{Error, Result};
use jobtrack_entity::positional::Positional;

pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PageRequest {
    pub first: u64,
    /// The id of the last row of the previous page.
    pub after: Option<i64>,
    /// Whether the total is wanted (`totalCount` selected); without it the count's
    /// statement is skipped and the page's total is 0.
    pub counted: bool,
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
        Ok(Self {
            first,
            after,
            counted: true,
        })
    }

    /// The same request, counting the total only if `counted`.
    #[must_use]
    pub fn counted(self, counted: bool) -> Self {
        Self { counted, ..self }
    }
}

#[derive(Clone)]
pub struct Page<M> {
    pub items: Vec<M>,
    pub has_next: bool,
    pub has_previous: bool,
    pub total: u64,
}

impl<M> Page<M> {
    /// A page with nothing on it, for `request`.
    pub fn empty(request: PageRequest) -> Self {
        Self {
            items: Vec::new(),
            has_next: false,
            has_previous: request.after.is_some(),
            total: 0,
        }
    }

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
/// unpaged selection when the request is `counted`.
pub async fn fetch<E, C>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: C,
    request: PageRequest,
    direction: Direction,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: jobtrack_entity::positional::Positional + Send + Sync,
    C: ColumnTrait,
{
    let total = if request.counted {
        select.clone().count(db).await?
    } else {
        0
    };
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
    let mut items = crate::db::all_by_position(query.limit(request.first + 1), db).await?;
    let has_next = u64::try_from(items.len()).unwrap_or(u64::MAX) > request.first;
    items.truncate(usize::try_from(request.first).unwrap_or(usize::MAX));
    Ok(Page {
        items,
        has_next,
        has_previous: request.after.is_some(),
        total,
    })
}

/// One page per parent for many parents at once — the nested connections of a list
/// (`jobTracks { applications(first: 10) }`) — in two statements whatever the number of
/// parents (one when the request is not `counted`): the totals per parent, and the pages
/// ([`first_rows_per_parent`] after the cursor, cut at `first + 1`). Parents without rows get an empty page.
///
/// `order` sorts each parent's rows, all in one direction; its last column is the
/// cursor (a unique id). With more columns (newest occurrence first, then id) the page
/// starts after the cursor's row in that order, compared as a row value.
pub async fn fetch_per_parent<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    (parent, parent_of): (E::Column, impl Fn(&E::Model) -> i64),
    order: &[(E::Column, sea_orm::Order)],
    parents: &[i64],
    request: PageRequest,
) -> Result<std::collections::HashMap<i64, Page<E::Model>>>
where
    E: EntityTrait,
    E::Model: Positional + Send + Sync,
{
    use sea_orm::sea_query::{Expr, ExprTrait};

    let Some((cursor, direction)) = order.last().cloned() else {
        return Err(Error::Internal("a page needs an order".into()));
    };
    if order.iter().any(|(_, d)| *d != direction) {
        return Err(Error::Internal(
            "a keyset order runs in one direction".into(),
        ));
    }
    let select = select.filter(parent.is_in(parents.iter().copied()));
    let totals: Vec<(i64, i64)> = if request.counted {
        select
            .clone()
            .select_only()
            .column(parent)
            .column_as(Expr::col(cursor).count(), "n")
            .group_by(parent)
            .into_tuple()
            .all(db)
            .await?
    } else {
        Vec::new()
    };
    let mut pages: std::collections::HashMap<i64, Page<E::Model>> =
        parents.iter().map(|p| (*p, Page::empty(request))).collect();
    for (p, n) in totals {
        if let Some(page) = pages.get_mut(&p) {
            page.total = u64::try_from(n).unwrap_or(0);
        }
    }

    let select = match request.after {
        Some(after) => select.filter(after_row::<E>(order, cursor, &direction, after)),
        None => select,
    };
    let rows = first_rows_per_parent(db, select, parent, order, request.first + 1).await?;
    let limit = usize::try_from(request.first).unwrap_or(usize::MAX);
    for model in rows {
        if let Some(page) = pages.get_mut(&parent_of(&model)) {
            if page.items.len() < limit {
                page.items.push(model);
            } else {
                page.has_next = true;
            }
        }
    }
    Ok(pages)
}

/// Rows after the one whose `cursor` is `after`, in `order`: `cursor > after` for a
/// single column, else `(a, b, cursor) > (SELECT a, b, cursor … WHERE cursor = after)`
/// (SQLite and PostgreSQL both compare row values). A cursor naming no row matches none.
fn after_row<E: EntityTrait>(
    order: &[(E::Column, sea_orm::Order)],
    cursor: E::Column,
    direction: &sea_orm::Order,
    after: i64,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};

    let descending = *direction == sea_orm::Order::Desc;
    if let [_] = order {
        return if descending {
            cursor.lt(after)
        } else {
            cursor.gt(after)
        };
    }
    let cursor_row = Alias::new("cursor_row");
    let of_cursor = Query::select()
        .exprs(
            order
                .iter()
                .map(|(column, _)| Expr::col((cursor_row.clone(), *column))),
        )
        .from_as(E::default(), cursor_row.clone())
        .and_where(Expr::col((cursor_row, cursor)).eq(after))
        .to_owned();
    let row = Expr::tuple(
        order
            .iter()
            .map(|(column, _)| Expr::col((E::default(), *column))),
    );
    if descending {
        row.lt(Expr::from(of_cursor))
    } else {
        row.gt(Expr::from(of_cursor))
    }
}

/// The first `limit` rows of `select` for each value of `parent`, in `order`, in one
/// statement: `ROW_NUMBER() OVER (PARTITION BY parent ORDER BY …)` cut at `limit`. The
/// rows are read by column position: the entity's columns come first, the row number last.
pub async fn first_rows_per_parent<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    parent: E::Column,
    order: &[(E::Column, sea_orm::Order)],
    limit: u64,
) -> Result<Vec<E::Model>>
where
    E: EntityTrait,
    E::Model: Positional + Send + Sync,
{
    use jobtrack_entity::positional::ByPosition;
    use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Query};
    use sea_orm::{FromQueryResult, IdenStatic, QueryTrait};

    let order_by = order
        .iter()
        .map(|(column, direction)| {
            let direction = match direction {
                sea_orm::Order::Desc => "DESC",
                _ => "ASC",
            };
            format!("\"{}\" {direction}", column.as_str())
        })
        .collect::<Vec<_>>()
        .join(", ");
    let numbered = select
        .expr_as(
            Expr::cust(format!(
                "ROW_NUMBER() OVER (PARTITION BY \"{}\" ORDER BY {order_by})",
                parent.as_str()
            )),
            "row_in_parent",
        )
        .into_query();
    let row = Alias::new("row_in_parent");
    let outer = Query::select()
        .column(Asterisk)
        .from_subquery(numbered, Alias::new("numbered"))
        .and_where(Expr::col(row.clone()).lte(limit))
        .order_by(row, sea_orm::Order::Asc)
        .to_owned();
    let statement = db.get_database_backend().build(&outer);
    Ok(ByPosition::<E::Model>::find_by_statement(statement)
        .all(db)
        .await?
        .into_iter()
        .map(|ByPosition(model)| model)
        .collect())
}
