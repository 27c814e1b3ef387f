//! Relay cursor connections with `totalCount`, one pair of types per node type.

use async_graphql::SimpleObject;

use super::ids;
use crate::domain::pagination::{Page, PageRequest};

/// The page a connection field asks for, from its `first` and `after`; its total is
/// counted only when the field's `totalCount` is selected (the count's statement is
/// skipped otherwise).
pub fn page_request(
    ctx: &async_graphql::Context<'_>,
    first: Option<i32>,
    after: Option<&str>,
) -> crate::error::Result<PageRequest> {
    Ok(PageRequest::new(first, ids::decode_cursor(after)?)?
        .counted(ctx.look_ahead().field("totalCount").exists()))
}

#[derive(SimpleObject)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

/// Edges and page info of a page of rows, each wrapped as a node.
pub fn edges<M, N>(
    page: Page<M>,
    id: impl Fn(&M) -> i64,
    wrap: impl Fn(M) -> N,
) -> (Vec<(String, N)>, PageInfo, i32) {
    let total = i32::try_from(page.total).unwrap_or(i32::MAX);
    let edges: Vec<(String, N)> = page
        .items
        .into_iter()
        .map(|m| (ids::cursor(id(&m)), wrap(m)))
        .collect();
    let info = PageInfo {
        has_next_page: page.has_next,
        has_previous_page: page.has_previous,
        start_cursor: edges.first().map(|(c, _)| c.clone()),
        end_cursor: edges.last().map(|(c, _)| c.clone()),
    };
    (edges, info, total)
}

/// Declares `<Name>Connection` and `<Name>Edge` for a node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty) => {
        #[derive(async_graphql::SimpleObject)]
        pub struct $edge {
            pub cursor: String,
            pub node: $node,
        }

        #[derive(async_graphql::SimpleObject)]
        pub struct $connection {
            pub edges: Vec<$edge>,
            pub page_info: $crate::graphql::connection::PageInfo,
            pub total_count: i32,
        }

        impl $connection {
            pub fn new<M>(
                page: $crate::domain::pagination::Page<M>,
                id: impl Fn(&M) -> i64,
                wrap: impl Fn(M) -> $node,
            ) -> Self {
                let (edges, page_info, total_count) =
                    $crate::graphql::connection::edges(page, id, wrap);
                Self {
                    edges: edges
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info,
                    total_count,
                }
            }
        }
    };
}
pub(crate) use connection;

/// The complexity of a list field: its items' complexity `first` times over (the
/// default page when `first` is not given), so that asking for 100 costs 100 times 1.
pub fn list_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let default = usize::try_from(crate::domain::pagination::DEFAULT_PAGE_SIZE).unwrap_or(20);
    let items = first.map_or(default, |f| usize::try_from(f).unwrap_or(0));
    items
        .max(1)
        .saturating_mul(child_complexity)
        .saturating_add(1)
}
