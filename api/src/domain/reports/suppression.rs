//! Small-cell suppression: a report never shows a count between 1 and 4 of a group, so a
//! gender split of a small municipality or track does not name people.
//!
//! The rule, for each measure of a report (started, completed, each funnel stage, …)
//! taken as one table — the agreement's row, the rows per track and the rows per
//! municipality, each with women, men, other and total:
//!
//! 1. *Primary*: every cell from 1 to 4 (inclusive) is suppressed, totals included.
//!    Zeros and counts of 5 or more are shown.
//! 2. *Complementary*: wherever cells add up — women + men + other = total in a row, and
//!    the rows per track (or per municipality) = the agreement's row in a column — a
//!    relation with exactly one suppressed cell would let a reader subtract it back, so
//!    one more cell of that relation is suppressed: the smallest non-zero one shown, else
//!    a zero part, else the sum. This repeats until no relation has exactly one.
//!
//! Suppressed cells are `None`. Measures are suppressed each on its own: the relations
//! between different measures (completed + dropped out ≤ started) are not protected.

use super::GenderCount;

/// The smallest count a report shows (apart from zero).
pub const SMALLEST_SHOWN: i64 = 5;

/// A gender-split count as a report may show it: `None` where suppressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    pub women: Option<i64>,
    pub men: Option<i64>,
    pub other: Option<i64>,
    pub total: Option<i64>,
}

impl Shown {
    pub fn suppressed(&self) -> bool {
        [self.women, self.men, self.other, self.total]
            .iter()
            .any(Option::is_none)
    }

    /// A count of one group on its own (a total without split): suppressed when 1–4.
    pub fn total_only(c: GenderCount) -> Self {
        let total = c.total();
        Self {
            women: Some(0),
            men: Some(0),
            other: Some(0),
            total: (!is_small(total)).then_some(total),
        }
    }
}

fn is_small(n: i64) -> bool {
    (1..SMALLEST_SHOWN).contains(&n)
}

#[derive(Clone, Copy)]
struct Cells {
    value: [i64; 4],
    hidden: [bool; 4],
}

const TOTAL: usize = 3;

impl Cells {
    fn new(c: GenderCount) -> Self {
        let value = [c.women, c.men, c.other, c.total()];
        Self {
            value,
            hidden: value.map(is_small),
        }
    }

    fn shown(&self) -> Shown {
        let [women, men, other, total] = self.value;
        let [w, m, o, t] = self.hidden;
        Shown {
            women: (!w).then_some(women),
            men: (!m).then_some(men),
            other: (!o).then_some(other),
            total: (!t).then_some(total),
        }
    }
}

/// A cell of a table: (row, column).
type Cell = (usize, usize);

fn value(table: &[Cells], (r, c): Cell) -> i64 {
    table
        .get(r)
        .and_then(|row| row.value.get(c))
        .copied()
        .unwrap_or_default()
}

fn hidden(table: &[Cells], (r, c): Cell) -> bool {
    table
        .get(r)
        .and_then(|row| row.hidden.get(c))
        .copied()
        .unwrap_or_default()
}

/// Suppresses a second cell of `parts` + `sum` when exactly one of them is suppressed.
fn protect(table: &mut [Cells], parts: &[Cell], sum: Cell) -> bool {
    let suppressed =
        parts.iter().filter(|&&p| hidden(table, p)).count() + usize::from(hidden(table, sum));
    if suppressed != 1 {
        return false;
    }
    let shown_parts = || parts.iter().copied().filter(|&p| !hidden(table, p));
    let next = shown_parts()
        .filter(|&p| value(table, p) > 0)
        .min_by_key(|&p| value(table, p))
        .or_else(|| shown_parts().next())
        .or_else(|| (!hidden(table, sum)).then_some(sum));
    let Some((r, c)) = next else {
        return false;
    };
    match table.get_mut(r).and_then(|row| row.hidden.get_mut(c)) {
        Some(cell) => {
            *cell = true;
            true
        }
        None => false,
    }
}

/// Suppresses one measure's table: `total` is the agreement's row, `groups` are the
/// row sets that add up to it (per track, per municipality). Gives the rows shown, the
/// agreement's first, then each group's in order.
pub fn suppress(total: GenderCount, groups: &[Vec<GenderCount>]) -> (Shown, Vec<Vec<Shown>>) {
    let mut table = vec![Cells::new(total)];
    let mut ranges = Vec::new();
    for group in groups {
        let start = table.len();
        table.extend(group.iter().copied().map(Cells::new));
        ranges.push(start..table.len());
    }
    let mut relations: Vec<(Vec<Cell>, Cell)> = (0..table.len())
        .map(|r| (vec![(r, 0), (r, 1), (r, 2)], (r, TOTAL)))
        .collect();
    for range in &ranges {
        for c in 0..4 {
            relations.push((range.clone().map(|r| (r, c)).collect(), (0, c)));
        }
    }
    while relations.iter().fold(false, |changed, (parts, sum)| {
        protect(&mut table, parts, *sum) | changed
    }) {}
    let rows = ranges
        .into_iter()
        .map(|range| {
            table
                .get(range)
                .unwrap_or_default()
                .iter()
                .map(Cells::shown)
                .collect()
        })
        .collect();
    (table.first().map(Cells::shown).unwrap_or_default(), rows)
}

/// A count alone, with no rows adding up to it (one track's funnel).
pub fn suppress_one(count: GenderCount) -> Shown {
    suppress(count, &[]).0
}

#[cfg(test)]
mod tests {
    use super::{GenderCount, Shown, suppress, suppress_one};

    fn count(women: i64, men: i64, other: i64) -> GenderCount {
        GenderCount { women, men, other }
    }

    fn shown(
        women: Option<i64>,
        men: Option<i64>,
        other: Option<i64>,
        total: Option<i64>,
    ) -> Shown {
        Shown {
            women,
            men,
            other,
            total,
        }
    }

    #[test]
    fn counts_of_one_to_four_are_suppressed_with_a_complement() {
        assert_eq!(
            suppress_one(count(12, 7, 0)),
            shown(Some(12), Some(7), Some(0), Some(19)),
            "zeros and counts of five or more are shown"
        );
        assert_eq!(
            suppress_one(count(3, 10, 0)),
            shown(None, None, Some(0), Some(13)),
            "women 3 suppressed; men too, or 13 − 10 gives them back"
        );
        assert_eq!(
            suppress_one(count(3, 10, 6)),
            shown(None, Some(10), None, Some(19)),
            "the smallest other cell is the complement"
        );
        assert_eq!(
            suppress_one(count(2, 1, 0)),
            shown(None, None, Some(0), None),
            "a total under five is suppressed too"
        );
        assert_eq!(
            suppress_one(count(3, 0, 0)),
            shown(None, Some(0), Some(0), None)
        );
        assert_eq!(
            suppress_one(count(0, 0, 0)),
            shown(Some(0), Some(0), Some(0), Some(0))
        );
        assert!(suppress_one(count(3, 10, 0)).suppressed());
        assert!(!suppress_one(count(5, 10, 0)).suppressed());
    }

    #[test]
    fn a_row_is_not_given_back_by_the_other_rows_and_the_total() {
        // Grästorp's 3 women among Trollhättan's 20 and Vänersborg's 8: the agreement's
        // 31 women minus 20 and 8 would give them back, so Vänersborg's women go too, and
        // then one more of Vänersborg's cells so its own total does not give them back.
        let (total, rows) = suppress(
            count(31, 36, 0),
            &[vec![count(20, 20, 0), count(8, 9, 0), count(3, 7, 0)]],
        );
        assert_eq!(total, shown(Some(31), Some(36), Some(0), Some(67)));
        assert_eq!(
            rows,
            [vec![
                shown(Some(20), Some(20), Some(0), Some(40)),
                shown(None, None, Some(0), Some(17)),
                shown(None, None, Some(0), Some(10)),
            ]]
        );
    }

    #[test]
    fn an_employer_sees_a_total_only_when_it_is_not_small() {
        assert_eq!(Shown::total_only(count(1, 2, 0)).total, None);
        assert_eq!(Shown::total_only(count(1, 4, 0)).total, Some(5));
        assert_eq!(Shown::total_only(count(0, 0, 0)).total, Some(0));
    }
}
