//! The emails the admission process sends, each carrying no more personal data than its
//! reader may see: never a personnummer, target groups or caseworker notes.

use chrono::{DateTime, Utc};
use jobtrack_entity::{
    agreement, app_user, application, candidate, employer, employer_contact_person, job_track,
};

use super::admission::TrialPlacement;
use super::outbox::Email;

fn when(at: DateTime<Utc>) -> String {
    // Swedish local time is what readers expect; the zone is named to be unambiguous.
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// To the candidate: the invitation to the information meeting, with time and place.
pub fn info_meeting(
    to: &str,
    candidate: &candidate::Model,
    track: &job_track::Model,
    at: DateTime<Utc>,
    location: &str,
) -> Email {
    Email {
        template: "info_meeting",
        recipient: to.to_owned(),
        subject: format!("Inbjudan till informationsmöte: {}", track.title),
        body_text: format!(
            "Hej {}!\n\nDu är inbjuden till ett informationsmöte om jobbspåret \"{}\".\n\nTid: {}\nPlats: {}\n\nVälkommen!\n",
            candidate.first_name,
            track.title,
            when(at),
            location
        ),
        body_html: None,
    }
}

/// To the employer's contact person: a trial placement is coming. The candidate is named
/// only if the candidate consented to sharing with employers.
pub fn trial_placement(
    to: &employer_contact_person::Model,
    employer: &employer::Model,
    track: &job_track::Model,
    candidate: &candidate::Model,
    shares_with_employers: bool,
    trial: &TrialPlacement,
    location: Option<&str>,
) -> Email {
    let who = if shares_with_employers {
        format!("{} {}", candidate.first_name, candidate.last_name)
    } else {
        "en kandidat".to_owned()
    };
    Email {
        template: "trial_placement",
        recipient: to.email.clone().unwrap_or_default(),
        subject: format!("Kortare praktik hos {}: {}", employer.name, track.title),
        body_text: format!(
            "Hej {}!\n\nInom jobbspåret \"{}\" kommer {} på kortare praktik hos er.\n\nFrån: {}\nTill: {}\nPlats: {}\n\nEfter praktiken lämnar ni er bedömning i Jobtrack.\n",
            to.name,
            track.title,
            who,
            when(trial.starts_at),
            when(trial.ends_at),
            location.unwrap_or("enligt överenskommelse")
        ),
        body_html: None,
    }
}

/// To the candidate's caseworker: the decision on the application.
pub fn decision(
    to: &app_user::Model,
    candidate: &candidate::Model,
    track: &job_track::Model,
    app: &application::Model,
) -> Email {
    let outcome = if app.status == "ADMITTED" {
        "antagen"
    } else {
        "inte antagen"
    };
    let reason = app
        .decision_reason
        .as_deref()
        .map(|r| format!("\nMotivering: {r}\n"))
        .unwrap_or_default();
    Email {
        template: "decision",
        recipient: to.email.clone(),
        subject: format!("Beslut i jobbspåret {}", track.title),
        body_text: format!(
            "Hej {}!\n\n{} {} har blivit {} till jobbspåret \"{}\".\n{reason}\n",
            to.name, candidate.first_name, candidate.last_name, outcome, track.title
        ),
        body_html: None,
    }
}

/// To a section manager of the employment service: a track passed the threshold.
pub fn escalation(
    to: &app_user::Model,
    track: &job_track::Model,
    agreement: &agreement::Model,
    active: u64,
) -> Email {
    Email {
        template: "escalation",
        recipient: to.email.clone(),
        subject: format!("Många sökande till jobbspåret {}", track.title),
        body_text: format!(
            "Hej {}!\n\nJobbspåret \"{}\" har nu {} aktiva sökande, fler än tröskeln {} i överenskommelsen \"{}\".\n",
            to.name, track.title, active, agreement.escalation_threshold, agreement.name
        ),
        body_html: None,
    }
}
