//! Reference data: public, no sign-in needed.

use async_graphql::{Context, Object};

use crate::domain::reference;
use crate::graphql::context::{db, state};
use crate::graphql::error::ApiResult;
use crate::graphql::object::employers::{Industry, Occupation};
use crate::graphql::object::people::Municipality;

#[derive(Default)]
pub struct ReferenceQuery;

#[Object]
impl ReferenceQuery {
    /// All 290 municipalities, by name.
    async fn municipalities(&self, ctx: &Context<'_>) -> ApiResult<Vec<Municipality>> {
        Ok(reference::municipalities(db(ctx)?)
            .await?
            .into_iter()
            .map(Municipality)
            .collect())
    }

    /// The 429 SSYK 2012 unit groups whose name contains `search` or whose code starts
    /// with it, ignoring case and diacritics (`underskot` finds 5321).
    async fn occupations(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
    ) -> ApiResult<Vec<Occupation>> {
        Ok(
            reference::occupations(&state(ctx)?.reference, search.as_deref())?
                .into_iter()
                .map(Occupation)
                .collect(),
        )
    }

    /// SNI 2007 industries at every level (sections A–U to detailed groups such as
    /// 25.620) whose name contains `search` or whose code starts with it.
    async fn industries(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
    ) -> ApiResult<Vec<Industry>> {
        Ok(
            reference::industries(&state(ctx)?.reference, search.as_deref())?
                .into_iter()
                .map(Industry)
                .collect(),
        )
    }
}
