//! Loaders of a track's information meetings, their counts and their invited applications.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader as LoaderTrait;
use jobtrack_entity::{admission_step, application, info_meeting, info_meeting_invitation};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{LoadResult, Loader, fail, group, unscoped};
use crate::domain::policy;
use crate::domain::values::{AdmissionStepKind, StepResult};
use crate::domain::views::ApplicationView;
use crate::error::Error;

key!(MeetingsOfTrack, InvitedToMeeting, MeetingCounts);

children!(
    MeetingsOfTrack,
    info_meeting,
    JobTrackId,
    job_track_id,
    [(StartsAt, Asc), (Id, Asc)],
    unscoped
);

/// (meeting, application) for the meetings.
async fn invitations(loader: &Loader, meetings: &[i64]) -> Result<Vec<(i64, i64)>, Arc<Error>> {
    Ok(info_meeting_invitation::Entity::find()
        .filter(info_meeting_invitation::Column::InfoMeetingId.is_in(meetings.iter().copied()))
        .all(&loader.db)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|i| (i.info_meeting_id, i.application_id))
        .collect())
}

/// The applications invited to a meeting that the viewer may see, oldest first.
impl LoaderTrait<InvitedToMeeting> for Loader {
    type Value = Vec<ApplicationView>;
    type Error = Arc<Error>;

    async fn load(&self, keys: &[InvitedToMeeting]) -> LoadResult<InvitedToMeeting, Self::Value> {
        let meetings: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let links = invitations(self, &meetings).await?;
        let meeting_of: HashMap<i64, i64> = links.iter().map(|(m, a)| (*a, *m)).collect();
        let reader = self.reader()?;
        let rows = application::Entity::find()
            .filter(application::Column::Id.is_in(meeting_of.keys().copied()))
            .filter(self.scope(policy::application_scope))
            .order_by_asc(application::Column::Id)
            .all(&self.db)
            .await
            .map_err(fail)?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let meeting = meeting_of.get(&row.id).copied().unwrap_or_default();
            views.push((
                meeting,
                ApplicationView::build(row, reader).map_err(Arc::new)?,
            ));
        }
        Ok(group(views)
            .into_iter()
            .map(|(k, v)| (InvitedToMeeting(k), v))
            .collect())
    }
}

/// (invited, attended) per meeting: its invitations, and those whose INFO_MEETING step
/// was recorded ATTENDED.
impl LoaderTrait<MeetingCounts> for Loader {
    type Value = (i64, i64);
    type Error = Arc<Error>;

    async fn load(&self, keys: &[MeetingCounts]) -> LoadResult<MeetingCounts, Self::Value> {
        let meetings: Vec<i64> = keys.iter().map(|k| k.0).collect();
        let links = invitations(self, &meetings).await?;
        let attended: std::collections::HashSet<i64> = admission_step::Entity::find()
            .filter(admission_step::Column::ApplicationId.is_in(links.iter().map(|(_, a)| *a)))
            .filter(admission_step::Column::Kind.eq(AdmissionStepKind::InfoMeeting))
            .filter(admission_step::Column::Result.eq(StepResult::Attended))
            .all(&self.db)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|s| s.application_id)
            .collect();
        let mut counts: HashMap<MeetingCounts, (i64, i64)> =
            keys.iter().map(|k| (*k, (0, 0))).collect();
        for (meeting, application) in links {
            let entry = counts.entry(MeetingCounts(meeting)).or_default();
            entry.0 += 1;
            if attended.contains(&application) {
                entry.1 += 1;
            }
        }
        Ok(counts)
    }
}
