//! Calendar days as people in Sweden count them. A deadline, a due date or a report's
//! period is a Swedish date (`Europe/Stockholm`, with summer time), so the server turns
//! the clock into dates here and nowhere else: between midnight in Sweden and midnight
//! UTC the two disagree by a day.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::Stockholm;

/// The Swedish date at instant `at`.
pub fn swedish_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Stockholm).date_naive()
}

/// Today's date in Sweden.
pub fn swedish_today() -> NaiveDate {
    swedish_date(Utc::now())
}

/// The instant a Swedish day begins (midnight exists every day in `Europe/Stockholm`:
/// summer time starts at 02:00 and ends at 03:00).
pub fn swedish_midnight(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_time(NaiveTime::MIN);
    Stockholm
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |local| local.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::{swedish_date, swedish_midnight};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn the_swedish_day_begins_an_hour_or_two_before_utc_midnight() {
        // Winter (UTC+1): 23:30 UTC is 00:30 the next day in Sweden.
        let late = utc(2026, 12, 7, 23, 30);
        assert_eq!(swedish_date(late), day(2026, 12, 8));
        assert_eq!(swedish_midnight(day(2026, 12, 8)), utc(2026, 12, 7, 23, 0));
        // Summer (UTC+2): 22:30 UTC is 00:30 the next day.
        let summer = utc(2026, 6, 30, 22, 30);
        assert_eq!(swedish_date(summer), day(2026, 7, 1));
        assert_eq!(swedish_midnight(day(2026, 7, 1)), utc(2026, 6, 30, 22, 0));
        // Each date's midnight belongs to that date, also on the days the clocks change.
        for d in [day(2026, 3, 29), day(2026, 10, 25), day(2026, 12, 8)] {
            assert_eq!(swedish_date(swedish_midnight(d)), d);
        }
    }
}
