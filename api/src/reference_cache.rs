//! Reference data held in memory: municipalities, occupations and industries change only
//! with a migration, so they are read once at start and served without SQL.

use std::collections::HashMap;

use jobtrack_entity::{industry, municipality, occupation};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::error::Result;

#[derive(Default)]
pub struct Reference {
    pub municipalities: HashMap<String, municipality::Model>,
    pub occupations: HashMap<String, occupation::Model>,
    pub industries: HashMap<String, industry::Model>,
}

impl Reference {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self> {
        Ok(Self {
            municipalities: municipality::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|m| (m.code.clone(), m))
                .collect(),
            occupations: occupation::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|o| (o.ssyk_code.clone(), o))
                .collect(),
            industries: industry::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|i| (i.sni_code.clone(), i))
                .collect(),
        })
    }
}
