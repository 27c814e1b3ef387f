//! Jobtrack's sea-orm entities, one module per table, and how the most-read models are
//! read by column position ([`positional`]); nothing else lives here.
//! Queries live with the domain functions that need them.

pub mod admission_step;
pub mod agreement;
pub mod agreement_municipality;
pub mod agreement_party;
pub mod agreement_revision;
pub mod app_user;
pub mod application;
pub mod application_stage;
pub mod audit_event;
pub mod candidate;
pub mod candidate_target_group;
pub mod competence_need;
pub mod consent;
pub mod email_outbox;
pub mod employer;
pub mod employer_contact;
pub mod employer_contact_person;
pub mod escalation_acknowledgement;
pub mod follow_up;
pub mod industry;
pub mod info_meeting;
pub mod info_meeting_invitation;
pub mod invitation;
pub mod job_track;
pub mod job_track_competence_need;
pub mod job_track_design_member;
pub mod job_track_employer;
pub mod job_track_municipality;
pub mod login_throttle;
pub mod municipality;
pub mod occupation;
pub mod organization;
pub mod outcome;
pub mod password_reset;
pub mod positional;
pub mod refresh_token;
pub mod setting;
pub mod track_component;
pub mod track_review;
pub mod user_employer;
pub mod user_municipality;
pub mod user_role;
pub mod values;
