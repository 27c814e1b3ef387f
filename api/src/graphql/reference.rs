//! Reference data: municipalities, occupations (SSYK 2012) and industries (SNI 2007).

use crate::domain::reference;
use crate::graphql::context::db;
use crate::graphql::context::state;
use crate::graphql::error::ApiResult;
use async_graphql::Context;
use async_graphql::Object;
use jobtrack_entity::industry;
use jobtrack_entity::municipality;
use jobtrack_entity::occupation;

pub struct Occupation(pub occupation::Model);

#[Object]
impl Occupation {
    /// SSYK 2012 four-digit code.
    async fn ssyk_code(&self) -> &str {
        &self.0.ssyk_code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// JobTech Taxonomy's concept id for this unit group, where JobTech has the same
    /// code (it merges some manager groups and has none for 4430 and 7619).
    async fn jobtech_concept_id(&self) -> Option<&str> {
        self.0.jobtech_concept_id.as_deref()
    }
}

pub struct Industry(pub industry::Model);

#[Object]
impl Industry {
    /// SNI 2007 code, e.g. 25.620 or 25.
    async fn sni_code(&self) -> &str {
        &self.0.sni_code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// 1 (section, a letter) to 5 (detailed group, `25.620`).
    async fn level(&self) -> i32 {
        self.0.level
    }

    /// The section (A–U) the code belongs to; a section is its own.
    async fn section(&self, ctx: &Context<'_>) -> ApiResult<Industry> {
        let reference = &crate::graphql::context::state(ctx)?.reference;
        let mut current = self.0.clone();
        while let Some(parent) = current
            .parent
            .as_ref()
            .and_then(|p| reference.industries.get(p))
        {
            current = parent.clone();
        }
        Ok(Industry(current))
    }
}

pub struct Municipality(pub municipality::Model);

#[Object]
impl Municipality {
    /// Four-digit kommunkod, e.g. 1488.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn name(&self) -> &str {
        &self.0.name
    }
}

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
