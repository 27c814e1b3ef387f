//! Swedish identifiers, parsed once at the edge (parse, don't validate): holding an
//! `OrgNumber` or a `PersonalIdentityNumber` means it passed its checks.

use chrono::{Datelike, NaiveDate};

/// Luhn check over `digits`, the last of which is the check digit.
fn luhn_valid(digits: &[u8]) -> bool {
    let Some((&check, body)) = digits.split_last() else {
        return false;
    };
    let sum: u32 = body
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let v = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    (10 - sum % 10) % 10 == u32::from(check)
}

/// The check digit that makes `body` (nine digits) Luhn-valid.
pub fn luhn_check_digit(body: &[u8]) -> u8 {
    (0..10)
        .find(|&c| luhn_valid(&[body, &[c]].concat()))
        .unwrap_or(0)
}

fn digits_of(text: &str) -> Option<Vec<u8>> {
    text.chars()
        .map(|c| c.to_digit(10).and_then(|d| u8::try_from(d).ok()))
        .collect()
}

/// An organisationsnummer of a legal entity: ten digits, digits 3–4 at least 20, Luhn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgNumber(String);

impl OrgNumber {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let compact: String = input.trim().chars().filter(|c| *c != '-').collect();
        let digits: [u8; 10] = digits_of(&compact)
            .and_then(|d| d.try_into().ok())
            .ok_or("must be ten digits, NNNNNN-NNNN")?;
        if digits[2] * 10 + digits[3] < 20 {
            return Err(
                "is not an organisationsnummer: its third and fourth digits must be at least 20",
            );
        }
        if !luhn_valid(&digits) {
            return Err("has a wrong check digit");
        }
        Ok(Self(format!("{}-{}", &compact[..6], &compact[6..])))
    }

    /// `NNNNNN-NNNN`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How an employer is identified: a legal entity's organisationsnummer, or for a sole
/// trader (enskild firma) the owner's personnummer — personal data, shown masked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmployerNumber {
    Organization(OrgNumber),
    SoleTrader(PersonalIdentityNumber),
}

impl EmployerNumber {
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, &'static str> {
        let compact: String = input.trim().chars().filter(char::is_ascii_digit).collect();
        let is_person = compact.len() == 12 || (compact.len() == 10 && compact[2..4] < *"20");
        if is_person {
            PersonalIdentityNumber::parse(input, today).map(Self::SoleTrader)
        } else {
            OrgNumber::parse(input).map(Self::Organization)
        }
    }

    /// What is stored: `NNNNNN-NNNN`, or `YYYYMMDD-NNNN` for a sole trader.
    pub fn stored(&self) -> String {
        match self {
            Self::Organization(org) => org.as_str().to_owned(),
            Self::SoleTrader(pin) => pin.full(),
        }
    }
}

/// Shows a stored employer number: a sole trader's personnummer is masked.
pub fn display_employer_number(stored: &str) -> String {
    if stored.len() == 13 {
        format!("{}-****", &stored[..8])
    } else {
        stored.to_owned()
    }
}

/// A personnummer or samordningsnummer, kept as twelve digits `YYYYMMDDNNNC`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonalIdentityNumber(String);

impl PersonalIdentityNumber {
    /// Accepts `YYYYMMDD-NNNN`, `YYYYMMDDNNNN`, `YYMMDD-NNNN`, `YYMMDD+NNNN` and
    /// `YYMMDDNNNN`. In the ten-digit form the century is the one that makes the person
    /// younger than 100 (`-`) or at least 100 (`+`), as of `today`.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, &'static str> {
        const FORM: &str = "must be YYYYMMDD-NNNN or YYMMDD-NNNN";
        let input = input.trim();
        let (body, centenarian) = match input.find(['-', '+']) {
            Some(pos) => {
                let (head, tail) = input.split_at(pos);
                if tail.len() != 5 {
                    return Err(FORM);
                }
                (format!("{head}{}", &tail[1..]), tail.starts_with('+'))
            }
            None => (input.to_owned(), false),
        };
        let digits = digits_of(&body).ok_or(FORM)?;
        let full: [u8; 12] = match (
            <[u8; 12]>::try_from(digits.as_slice()),
            <[u8; 10]>::try_from(digits.as_slice()),
        ) {
            (Ok(full), _) => {
                if centenarian {
                    return Err(FORM);
                }
                full
            }
            (_, Ok(digits)) => {
                let yy = i32::from(digits[0]) * 10 + i32::from(digits[1]);
                let mut year = today.year() - today.year().rem_euclid(100) + yy;
                let month = u32::from(digits[2]) * 10 + u32::from(digits[3]);
                let day = (u32::from(digits[4]) * 10 + u32::from(digits[5])) % 60;
                let born =
                    NaiveDate::from_ymd_opt(year, month, day.max(1)).ok_or("is not a real date")?;
                if born > today {
                    year -= 100;
                }
                if centenarian {
                    year -= 100;
                }
                let year = u32::try_from(year).map_err(|_negative| "is not a real date")?;
                let [c1, c2] =
                    [(year / 1000 % 10), (year / 100 % 10)].map(|d| u8::try_from(d).unwrap_or(0));
                let [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9] = digits;
                [c1, c2, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9]
            }
            _ => return Err(FORM),
        };
        if !luhn_valid(&full[2..]) {
            return Err("has a wrong check digit");
        }
        let year = full[..4]
            .iter()
            .fold(0_i32, |acc, &d| acc * 10 + i32::from(d));
        let month = u32::from(full[4]) * 10 + u32::from(full[5]);
        let mut day = u32::from(full[6]) * 10 + u32::from(full[7]);
        if day > 60 {
            day -= 60; // samordningsnummer
        }
        let born = NaiveDate::from_ymd_opt(year, month, day).ok_or("is not a real date")?;
        if born > today || year < 1880 {
            return Err("is not a real date");
        }
        Ok(Self(full.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// Twelve digits, as stored.
    pub fn canonical(&self) -> &str {
        &self.0
    }

    /// `YYYYMMDD-NNNN`.
    pub fn full(&self) -> String {
        format!("{}-{}", &self.0[..8], &self.0[8..])
    }

    pub fn birth_year(&self) -> i32 {
        self.0[..4].parse().unwrap_or_default()
    }
}

/// `YYYYMMDD-****` from a stored twelve-digit number.
pub fn mask_personal_identity_number(stored: &str) -> String {
    format!("{}-****", stored.get(..8).unwrap_or("********"))
}

/// `YYYYMMDD-NNNN` from a stored twelve-digit number.
pub fn format_personal_identity_number(stored: &str) -> String {
    match (stored.get(..8), stored.get(8..)) {
        (Some(head), Some(tail)) => format!("{head}-{tail}"),
        _ => stored.to_owned(),
    }
}

/// A four-digit code of shape only; whether it names a municipality or an occupation
/// is checked against the reference tables.
pub fn four_digit_code(input: &str) -> Result<String, &'static str> {
    let code = input.trim();
    if code.len() == 4 && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(code.to_owned())
    } else {
        Err("must be a four-digit code")
    }
}

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    reason = "test code: an index out of bounds is a failed test"
)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    #[test]
    fn real_org_numbers_of_the_agreements_pass() {
        for n in [
            "212000-1546",
            "212000-1538",
            "212000-1595",
            "202100-2114",
            "212000-1470",
            "212000-1413",
            "212000-1421",
            "212000-1488",
            "212000-1587",
        ] {
            assert_eq!(
                OrgNumber::parse(n).map(|o| o.as_str().to_owned()),
                Ok(n.to_owned()),
                "{n}"
            );
        }
        assert_eq!(
            OrgNumber::parse("2120001546").map(|o| o.0),
            Ok("212000-1546".to_owned())
        );
    }

    #[test]
    fn misprinted_amal_number_fails_the_check_digit() {
        assert_eq!(
            OrgNumber::parse("222000-1587"),
            Err("has a wrong check digit")
        );
    }

    #[test]
    fn org_number_refuses_wrong_shapes_and_personnummer() {
        assert!(OrgNumber::parse("212000-154").is_err());
        assert!(OrgNumber::parse("21200a-1546").is_err());
        assert!(
            OrgNumber::parse("121212-1212").is_err(),
            "digits 3-4 below 20 is a person"
        );
    }

    #[test]
    fn personnummer_forms_are_canonicalised() {
        for form in ["19121212-1212", "191212121212", "121212+1212"] {
            assert_eq!(
                PersonalIdentityNumber::parse(form, today()).map(|p| p.0),
                Ok("191212121212".into()),
                "{form}"
            );
        }
        // Ten digits with '-': younger than 100, so 2012.
        assert_eq!(
            PersonalIdentityNumber::parse("121212-1212", today()).map(|p| p.0),
            Ok("201212121212".into())
        );
        let p = PersonalIdentityNumber::parse("121212-1212", today()).map(|p| p.birth_year());
        assert_eq!(p, Ok(2012));
    }

    #[test]
    fn personnummer_check_digit_and_date_are_checked() {
        assert_eq!(
            PersonalIdentityNumber::parse("19121212-1213", today()),
            Err("has a wrong check digit")
        );
        // 1990-02-30 does not exist; give it a valid check digit to reach the date check.
        let body = [9, 0, 0, 2, 3, 0, 1, 2, 3];
        let n = format!("19900230-123{}", luhn_check_digit(&body));
        assert_eq!(
            PersonalIdentityNumber::parse(&n, today()),
            Err("is not a real date")
        );
        assert!(PersonalIdentityNumber::parse("1212121212121", today()).is_err());
    }

    #[test]
    fn samordningsnummer_adds_sixty_to_the_day() {
        let body = [9, 0, 0, 3, 7, 5, 2, 3, 4]; // 1990-03-15 + 60
        let n = format!("19900375-234{}", luhn_check_digit(&body));
        let parsed = PersonalIdentityNumber::parse(&n, today());
        assert_eq!(
            parsed.as_ref().map(PersonalIdentityNumber::birth_year),
            Ok(1990)
        );
        assert_eq!(parsed.map(|p| p.full()), Ok(n));
    }

    #[test]
    fn future_births_are_refused() {
        let body = [2, 7, 0, 1, 0, 1, 1, 2, 3];
        let n = format!("20270101-123{}", luhn_check_digit(&body));
        assert_eq!(
            PersonalIdentityNumber::parse(&n, today()),
            Err("is not a real date")
        );
    }

    #[test]
    fn masking_hides_the_last_four() {
        assert_eq!(
            mask_personal_identity_number("191212121212"),
            "19121212-****"
        );
        assert_eq!(
            format_personal_identity_number("191212121212"),
            "19121212-1212"
        );
    }

    #[test]
    fn sole_trader_is_a_personnummer_and_shown_masked() {
        let n = EmployerNumber::parse("19121212-1212", today());
        assert_eq!(
            n.as_ref().map(EmployerNumber::stored),
            Ok("19121212-1212".to_owned())
        );
        assert_eq!(display_employer_number("19121212-1212"), "19121212-****");
        assert!(matches!(
            EmployerNumber::parse("556036-0793", today()),
            Ok(EmployerNumber::Organization(_))
        ));
    }
}
