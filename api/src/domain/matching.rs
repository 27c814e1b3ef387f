//! Matching candidates and tracks, explained: which candidates fit a recruiting track
//! (and which are one requirement short), which open tracks fit a candidate, and which
//! tracks answer an employer's competence need. Each list is one SQL statement per page;
//! the requirements are the rules `NOT_ELIGIBLE` names (`domain::eligibility`).
//!
//! **Score** (higher first; ties: registered earliest first, then id):
//! `100 − 50 × unmet requirements + 10 × shared target groups (at most 3, when the track
//! names target groups) + 10 when the Swedish level is above the track's minimum`.
//! A candidate who meets everything scores 100–140; a near miss (one unmet) 50–90.

use jobtrack_entity::{
    application, candidate, candidate_target_group, competence_need, employer, job_track,
    job_track_municipality,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
};

use super::pagination::{Page, PageRequest};
use super::values::{
    ApplicationStatus, ConsentScope, EducationLevel, JobTrackStatus, Programme, SwedishLevel,
    TargetGroup, parse_list,
};
use super::{policy, tracks};
use crate::auth::Actor;
use crate::error::{Error, Result};

/// One requirement of a track and whether a candidate meets it, as SQL.
struct Rule {
    name: &'static str,
    holds: Expr,
}

/// A suggestion: who (or which track), the score and why.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub id: i64,
    pub score: i64,
    pub met: Vec<&'static str>,
    pub unmet: Vec<&'static str>,
}

/// Applications that keep a candidate from being suggested anywhere else: in a trial
/// placement, admitted or started.
const BLOCKING: &[ApplicationStatus] = &[
    ApplicationStatus::InTrial,
    ApplicationStatus::Admitted,
    ApplicationStatus::Started,
];

fn at_least<T: Copy + Ord>(all: &[T], minimum: T) -> Vec<T> {
    all.iter().copied().filter(|v| *v >= minimum).collect()
}

fn above<T: Copy + Ord>(all: &[T], minimum: T) -> Vec<T> {
    all.iter().copied().filter(|v| *v > minimum).collect()
}

/// `CASE WHEN cond THEN then ELSE otherwise END`.
fn case(cond: Expr, then: impl Into<Expr>, otherwise: impl Into<Expr>) -> Expr {
    Expr::case(cond, then).finally(otherwise).into()
}

fn flag(cond: Expr) -> Expr {
    case(cond, 1, 0)
}

fn c(column: candidate::Column) -> Expr {
    Expr::col((candidate::Entity, column))
}

/// Per candidate, how many of `groups` they belong to: joined once (a correlated
/// subquery would run once per use per candidate).
fn shared_groups(groups: &[TargetGroup]) -> SelectStatement {
    Query::select()
        .column(candidate_target_group::Column::CandidateId)
        .expr_as(
            Expr::col(candidate_target_group::Column::CandidateId).count(),
            Alias::new("shared"),
        )
        .from(candidate_target_group::Entity)
        .and_where(candidate_target_group::Column::TargetGroup.is_in(groups.iter().copied()))
        .group_by_col(candidate_target_group::Column::CandidateId)
        .to_owned()
}

const SHARED: &str = "shared_groups";

/// The rules `track` asks for, each as a condition on the candidate row, and the
/// score's bonus.
fn rules_of(track: &job_track::Model) -> Result<(Vec<Rule>, Expr, Option<SelectStatement>)> {
    let mut rules = Vec::new();
    let mut bonus = Expr::val(0);
    let programmes = parse_list(&track.eligible_programmes, Programme::parse)?;
    if !programmes.is_empty() {
        rules.push(Rule {
            name: "programme",
            holds: c(candidate::Column::Programme).is_in(programmes),
        });
    }
    let groups = parse_list(&track.eligible_target_groups, TargetGroup::parse)?;
    let mut join = None;
    if !groups.is_empty() {
        join = Some(shared_groups(&groups));
        let shared: Expr = Func::coalesce([
            Expr::col((Alias::new(SHARED), Alias::new("shared"))),
            Expr::val(0),
        ])
        .into();
        rules.push(Rule {
            name: "targetGroups",
            holds: shared.clone().gt(0),
        });
        bonus = bonus.add(case(shared.clone().gte(3), 30, shared.mul(10)));
    }
    if track.requires_driving_licence {
        rules.push(Rule {
            name: "drivingLicence",
            holds: c(candidate::Column::DrivingLicence).eq(true),
        });
    }
    if let Some(minimum) = track.minimum_swedish_level {
        rules.push(Rule {
            name: "swedishLevel",
            holds: c(candidate::Column::SwedishLevel).is_in(at_least(SwedishLevel::ALL, minimum)),
        });
        bonus = bonus.add(
            flag(c(candidate::Column::SwedishLevel).is_in(above(SwedishLevel::ALL, minimum)))
                .mul(10),
        );
    }
    if let Some(minimum) = track.minimum_education {
        rules.push(Rule {
            name: "educationLevel",
            holds: c(candidate::Column::EducationLevel)
                .is_in(at_least(EducationLevel::ALL, minimum)),
        });
    }
    Ok((rules, bonus, join))
}

#[derive(FromQueryResult)]
struct Row {
    id: i64,
    met: i64,
    score: i64,
    total: i64,
}

/// Candidates for a RECRUITING track, best first (see the module's score): those the
/// viewer may read who live in one of the track's municipalities, have an active
/// COLLABORATION consent, are not in the track's process already, are not in a trial
/// placement, admitted or started elsewhere, and meet every requirement — or, with
/// `near_misses`, all but one. `None` for viewers who get no suggestions (employers).
pub async fn suggested_candidates(
    db: &impl ConnectionTrait,
    actor: &Actor,
    track_id: i64,
    near_misses: bool,
    page: PageRequest,
) -> Result<Option<Page<(i64, Suggestion)>>> {
    if !policy::may_read_suggestions(actor) {
        return Ok(None);
    }
    let track = tracks::visible_track(db, actor, track_id).await?;
    if track.status != JobTrackStatus::Recruiting {
        return Ok(Some(Page::empty(page)));
    }
    let (rules, bonus, join) = rules_of(&track)?;
    // Which rules hold, as a bit mask (rule i: bit i).
    let met_mask = rules
        .iter()
        .zip(0..)
        .fold(Expr::val(0), |mask, (rule, bit)| {
            mask.add(case(rule.holds.clone(), 1_i64 << bit, 0))
        })
        .cast_as(Alias::new("BIGINT"));
    let met_count = rules
        .iter()
        .fold(Expr::val(0), |sum, rule| sum.add(flag(rule.holds.clone())));
    let unmet = Expr::val(i64::try_from(rules.len()).unwrap_or(0)).sub(met_count);
    let score = Expr::val(100)
        .sub(unmet.clone().mul(50))
        .add(bonus)
        .cast_as(Alias::new("BIGINT"));
    let in_track = Query::select()
        .column(application::Column::CandidateId)
        .from(application::Entity)
        .and_where(application::Column::JobTrackId.eq(track.id))
        .and_where(
            application::Column::Status
                .is_not_in([ApplicationStatus::Withdrawn, ApplicationStatus::Rejected]),
        )
        .to_owned();
    let blocked = Query::select()
        .column(application::Column::CandidateId)
        .from(application::Entity)
        .and_where(application::Column::Status.is_in(BLOCKING.iter().copied()))
        .to_owned();
    // The track's municipalities as values: PostgreSQL then scans the candidates by
    // their municipality index instead of a nested loop per municipality.
    let places: Vec<String> = job_track_municipality::Entity::find()
        .filter(job_track_municipality::Column::JobTrackId.eq(track.id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.municipality_code)
        .collect();
    let mut query = Query::select();
    query
        .expr_as(c(candidate::Column::Id), Alias::new("id"))
        .expr_as(met_mask, Alias::new("met"))
        .expr_as(score.clone(), Alias::new("score"))
        .expr_as(Expr::cust("COUNT(*) OVER ()"), Alias::new("total"))
        .from(candidate::Entity)
        .and_where(c(candidate::Column::ErasedAt).is_null())
        .and_where(c(candidate::Column::MunicipalityCode).is_in(places))
        .and_where(
            c(candidate::Column::Id)
                .in_subquery(policy::with_active_consent(ConsentScope::Collaboration)),
        )
        .and_where(c(candidate::Column::Id).not_in_subquery(in_track))
        .and_where(c(candidate::Column::Id).not_in_subquery(blocked))
        .and_where(unmet.lte(i64::from(near_misses)))
        .order_by_expr(score, Order::Desc)
        .order_by(
            (candidate::Entity, candidate::Column::CreatedAt),
            Order::Asc,
        )
        .order_by((candidate::Entity, candidate::Column::Id), Order::Asc)
        .limit(page.first + 1)
        .offset(u64::try_from(page.after.unwrap_or(0)).unwrap_or(0));
    if let Some(scope) = policy::candidate_scope(actor) {
        query.cond_where(scope);
    }
    if let Some(groups) = join {
        query.join_subquery(
            JoinType::LeftJoin,
            groups,
            Alias::new(SHARED),
            Expr::col((
                Alias::new(SHARED),
                candidate_target_group::Column::CandidateId,
            ))
            .equals((candidate::Entity, candidate::Column::Id)),
        );
    }
    let names: Vec<&'static str> = rules.iter().map(|r| r.name).collect();
    let rows = Row::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    Ok(Some(page_of(rows, &names, page)))
}

/// The rows of one page as numbered suggestions: the number is the row's position in
/// the ranking, which is also its cursor.
fn page_of(rows: Vec<Row>, names: &[&'static str], page: PageRequest) -> Page<(i64, Suggestion)> {
    let offset = page.after.unwrap_or(0);
    let total = rows.first().map_or(0, |r| r.total);
    let has_next = u64::try_from(rows.len()).unwrap_or(0) > page.first;
    let items = rows
        .into_iter()
        .take(usize::try_from(page.first).unwrap_or(0))
        .zip(offset + 1..)
        .map(|(row, position)| {
            let (met, unmet) = names
                .iter()
                .zip(0..)
                .partition::<Vec<_>, _>(|(_, bit)| row.met & (1_i64 << bit) != 0);
            let (met, unmet) = (
                met.into_iter().map(|(n, _)| *n).collect(),
                unmet.into_iter().map(|(n, _)| *n).collect(),
            );
            (
                position,
                Suggestion {
                    id: row.id,
                    score: row.score,
                    met,
                    unmet,
                },
            )
        })
        .collect();
    Page {
        items,
        has_next,
        has_previous: offset > 0,
        total: u64::try_from(total).unwrap_or(0),
    }
}

/// Open (RECRUITING) tracks the candidate fits, best first, with the same explanation;
/// tracks in the viewer's scope that recruit from the candidate's municipality and that
/// the candidate is not already in. `None` for viewers who get no suggestions.
pub async fn suggested_tracks(
    db: &impl ConnectionTrait,
    actor: &Actor,
    candidate_id: i64,
) -> Result<Option<Vec<Suggestion>>> {
    if !policy::may_read_suggestions(actor) {
        return Ok(None);
    }
    let candidate = &super::candidates::visible_candidate(db, actor, candidate_id).await?;
    let groups: Vec<TargetGroup> = candidate_target_group::Entity::find()
        .filter(candidate_target_group::Column::CandidateId.eq(candidate.id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.target_group)
        .collect();
    let in_process = Query::select()
        .column(application::Column::JobTrackId)
        .from(application::Entity)
        .and_where(application::Column::CandidateId.eq(candidate.id))
        .and_where(
            application::Column::Status
                .is_not_in([ApplicationStatus::Withdrawn, ApplicationStatus::Rejected]),
        )
        .to_owned();
    let recruiting_here = Query::select()
        .column(job_track_municipality::Column::JobTrackId)
        .from(job_track_municipality::Entity)
        .and_where(
            job_track_municipality::Column::MunicipalityCode.eq(&candidate.municipality_code),
        )
        .to_owned();
    let tracks = policy::scoped(job_track::Entity::find(), policy::track_scope(actor))
        .filter(job_track::Column::Status.eq(JobTrackStatus::Recruiting))
        .filter(job_track::Column::Id.in_subquery(recruiting_here))
        .filter(job_track::Column::Id.not_in_subquery(in_process))
        .filter(
            Condition::any()
                .add(job_track::Column::ApplicationDeadline.is_null())
                .add(
                    job_track::Column::ApplicationDeadline
                        .gte(crate::domain::calendar::swedish_today()),
                ),
        )
        .order_by_asc(job_track::Column::Id)
        .all(db)
        .await?;
    let mut suggestions = Vec::new();
    for track in tracks {
        let asks = super::eligibility::Asks {
            municipalities: std::slice::from_ref(&candidate.municipality_code),
            programmes: &parse_list(&track.eligible_programmes, Programme::parse)?,
            target_groups: &parse_list(&track.eligible_target_groups, TargetGroup::parse)?,
            driving_licence: track.requires_driving_licence,
            minimum_swedish_level: track.minimum_swedish_level,
            minimum_education: track.minimum_education,
        };
        let has = super::eligibility::Has::of(candidate, &groups);
        let (met, unmet) = super::eligibility::explain(&asks, &has);
        if unmet.len() > 1 {
            continue;
        }
        let shared = asks
            .target_groups
            .iter()
            .filter(|g| groups.contains(g))
            .count();
        let mut score = 100 - 50 * i64::try_from(unmet.len()).unwrap_or(1);
        if !asks.target_groups.is_empty() {
            score += 10 * i64::try_from(shared.min(3)).unwrap_or(0);
        }
        if track
            .minimum_swedish_level
            .is_some_and(|m| candidate.swedish_level > m)
        {
            score += 10;
        }
        suggestions.push(Suggestion {
            id: track.id,
            score,
            met,
            unmet,
        });
    }
    suggestions.sort_by_key(|s| (std::cmp::Reverse(s.score), s.id));
    Ok(Some(suggestions))
}

/// Tracks of the viewer's agreements that could answer an employer's need: the same
/// SSYK unit group (four digits) first, then the same minor group (three), recruiting
/// from the employer's municipality, not COMPLETED or CANCELLED. `None` for employers.
pub async fn matching_tracks(
    db: &impl ConnectionTrait,
    actor: &Actor,
    need: &competence_need::Model,
) -> Result<Option<Vec<job_track::Model>>> {
    if !policy::may_read_suggestions(actor) {
        return Ok(None);
    }
    let municipality = employer::Entity::find_by_id(need.employer_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?
        .municipality_code;
    let minor_group: String = need.ssyk_code.chars().take(3).collect();
    let recruiting_there = Query::select()
        .column(job_track_municipality::Column::JobTrackId)
        .from(job_track_municipality::Entity)
        .and_where(job_track_municipality::Column::MunicipalityCode.eq(municipality))
        .to_owned();
    let mut found = policy::scoped(job_track::Entity::find(), policy::track_scope(actor))
        .filter(job_track::Column::SsykCode.starts_with(&minor_group))
        .filter(job_track::Column::Id.in_subquery(recruiting_there))
        .filter(
            job_track::Column::Status
                .is_not_in([JobTrackStatus::Completed, JobTrackStatus::Cancelled]),
        )
        .order_by_asc(job_track::Column::Id)
        .all(db)
        .await?;
    found.sort_by_key(|t| (t.ssyk_code != need.ssyk_code, t.id));
    Ok(Some(found))
}
