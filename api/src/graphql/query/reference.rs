//! Reference data: public, no sign-in needed.

use async_graphql::{Context, Object};

use crate::domain::reference;
use crate::graphql::context::db;
use crate::graphql::error::ApiResult;
use crate::graphql::object::employers::Occupation;
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

    /// SSYK 2012 occupations whose name contains `search` or whose code starts with it.
    async fn occupations(
        &self,
        ctx: &Context<'_>,
        search: Option<String>,
    ) -> ApiResult<Vec<Occupation>> {
        Ok(reference::occupations(db(ctx)?, search.as_deref())
            .await?
            .into_iter()
            .map(Occupation)
            .collect())
    }
}
