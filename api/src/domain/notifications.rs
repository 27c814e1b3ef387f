//! The emails the admission process sends, rendered from the templates in `mail/`. Each
//! carries no more personal data than its reader may see: never a personnummer, target
//! groups or caseworker notes.

use chrono::{DateTime, Utc};
use jobtrack_entity::{
    agreement, app_user, application, candidate, employer, employer_contact_person, info_meeting,
    job_track,
};
use minijinja::context;

use super::admission::TrialPlacement;
use super::outbox::Email;
use crate::error::Result;

/// A time as people in Sweden read it: Swedish local time (`Europe/Stockholm`, with
/// summer time), written the Swedish way, e.g. "10 december 2026 kl. 10.00".
pub fn when(at: DateTime<Utc>) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let local = at.with_timezone(&chrono_tz::Europe::Stockholm);
    let month = usize::try_from(local.month0())
        .ok()
        .and_then(|m| MONTHS.get(m))
        .copied()
        .unwrap_or_default();
    format!(
        "{} {month} {} kl. {}",
        local.day(),
        local.year(),
        local.format("%H.%M")
    )
}

fn email(template: &'static str, recipient: &str, context: minijinja::Value) -> Result<Email> {
    let (subject, body_text) = crate::mail::render(template, context)?;
    Ok(Email {
        template,
        recipient: recipient.to_owned(),
        subject,
        body_text,
        body_html: None,
    })
}

/// To the candidate: the invitation to the information meeting, with time and place.
pub fn info_meeting(
    to: &str,
    candidate: &candidate::Model,
    track: &job_track::Model,
    at: DateTime<Utc>,
    location: &str,
) -> Result<Email> {
    email(
        "info_meeting",
        to,
        context! { first_name => &candidate.first_name, track => &track.title, when => when(at), location },
    )
}

/// To the caseworker: candidates of theirs invited to an information meeting who have no
/// email address, to be invited by phone or letter.
pub fn info_meeting_without_email(
    to: &app_user::Model,
    track: &job_track::Model,
    meeting: &info_meeting::Model,
    names: &[String],
) -> Result<Email> {
    email(
        "info_meeting_without_email",
        &to.email,
        context! {
            caseworker => &to.name, track => &track.title, when => when(meeting.starts_at),
            location => &meeting.location, names,
        },
    )
}

/// To the employer's contact person: a trial placement is coming, with the candidate's
/// name (a trial placement needs the candidate's EMPLOYER_SHARING consent).
pub fn trial_placement(
    to: &employer_contact_person::Model,
    employer: &employer::Model,
    track: &job_track::Model,
    candidate: &candidate::Model,
    trial: &TrialPlacement,
    location: Option<&str>,
) -> Result<Email> {
    // Scheduling a trial placement requires the candidate's EMPLOYER_SHARING consent.
    let who = format!("{} {}", candidate.first_name, candidate.last_name);
    email(
        "trial_placement",
        to.email.as_deref().unwrap_or_default(),
        context! {
            contact => &to.name, employer => &employer.name, track => &track.title, who,
            starts => when(trial.starts_at), ends => when(trial.ends_at), location => location.unwrap_or("enligt överenskommelse"),
        },
    )
}

/// To the candidate's caseworker: the decision on the application.
pub fn decision(
    to: &app_user::Model,
    candidate: &candidate::Model,
    track: &job_track::Model,
    app: &application::Model,
) -> Result<Email> {
    email(
        "decision",
        &to.email,
        context! {
            caseworker => &to.name, candidate => format!("{} {}", candidate.first_name, candidate.last_name),
            admitted => app.status == jobtrack_entity::values::ApplicationStatus::Admitted, track => &track.title, reason => &app.decision_reason,
        },
    )
}

/// To a section manager of the employment service: a track passed the threshold.
pub fn escalation(
    to: &app_user::Model,
    track: &job_track::Model,
    agreement: &agreement::Model,
    active: u64,
) -> Result<Email> {
    email(
        "escalation",
        &to.email,
        context! {
            manager => &to.name, track => &track.title, active, threshold => agreement.escalation_threshold, agreement => &agreement.name,
        },
    )
}

/// To an invited user: the one-time link to set a password.
pub fn invitation(to: &app_user::Model, inviter: &str, link: &str) -> Result<Email> {
    email(
        "invitation",
        &to.email,
        context! { name => &to.name, inviter, link },
    )
}

/// To a user who asked for it: the link to set a new password.
pub fn password_reset(to: &app_user::Model, link: &str) -> Result<Email> {
    email(
        "password_reset",
        &to.email,
        context! { name => &to.name, link },
    )
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use chrono::TimeZone;

    use super::when;

    #[test]
    fn times_are_swedish_local_time_written_the_swedish_way() {
        let winter = chrono::Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).single();
        assert_eq!(
            winter.map(when).as_deref(),
            Some("10 december 2026 kl. 10.00")
        );
        let summer = chrono::Utc.with_ymd_and_hms(2027, 6, 1, 5, 0, 0).single();
        assert_eq!(summer.map(when).as_deref(), Some("1 juni 2027 kl. 07.00"));
        // The night summer time ends: 00:30 UTC is 02:30 summer time.
        let change = chrono::Utc
            .with_ymd_and_hms(2026, 10, 25, 0, 30, 0)
            .single();
        assert_eq!(
            change.map(when).as_deref(),
            Some("25 oktober 2026 kl. 02.30")
        );
    }
}
