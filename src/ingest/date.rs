//! Date parsing: a date string as found in a header or an export line in, a UTC instant out
//! (`None` when it cannot be read; the reader then records a warning, never a failure).
//!
//! Three shapes are accepted: ISO 8601 / the case export's `2022-07-11 17:12:56.495000+00:00`,
//! Chinese forms (`2022年7月6日 16:28`, `2022年7月6日 星期三 下午4:28`), and RFC 2822 with the
//! breakage real mailers produce (no day name, two-digit years, `GMT+8`, `+0800 (CST)`, doubled
//! spaces, no seconds, month-first Outlook forms with AM/PM). Zones: a numeric offset wins; a
//! date with no zone at all is taken as UTC, except the Chinese forms, which are written by
//! Chinese clients in China Standard Time and are taken as +08:00.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use regex::Regex;

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9})\d*)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    )
    .expect("static regex")
});

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static CHINESE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:(?:星期|周)[一二三四五六日天])?\s*(上午|下午|中午|晚上|凌晨)?\s*(?:(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?\s*(?:(?:GMT|UTC)?\s*([+-]\d{1,2}(?::?\d{2})?))?\s*$",
    )
    .expect("static regex")
});

/// Parses any supported date form into UTC.
pub fn parse_date(input: &str) -> Option<DateTime<Utc>> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    parse_iso(s)
        .or_else(|| parse_chinese(s))
        .or_else(|| parse_rfc2822ish(s))
}

fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    let c = ISO.captures(s)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(2)?, num(3)?)?;
    let nanos = c.get(7).map(|m| fraction_nanos(m.as_str())).unwrap_or(0);
    let time = NaiveTime::from_hms_nano_opt(
        num(4).unwrap_or(0),
        num(5).unwrap_or(0),
        num(6).unwrap_or(0),
        nanos,
    )?;
    let offset = match c.get(8).map(|m| m.as_str()) {
        None | Some("Z" | "UTC" | "GMT") => 0,
        Some(z) => numeric_offset(z)?,
    };
    to_utc(date.and_time(time), offset)
}

fn parse_chinese(s: &str) -> Option<DateTime<Utc>> {
    let c = CHINESE.captures(s)?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, num(2)?, num(3)?)?;
    let mut hour = num(5).unwrap_or(0);
    hour = apply_meridiem(hour, c.get(4).map(|m| m.as_str()))?;
    let time = NaiveTime::from_hms_opt(hour, num(6).unwrap_or(0), num(7).unwrap_or(0))?;
    // Chinese-form dates rarely carry a zone; the clients that write them run in China, so a
    // missing zone is China Standard Time (UTC+8).
    let offset = match c.get(8) {
        Some(z) => numeric_offset(z.as_str())?,
        None => 8 * 3600,
    };
    to_utc(date.and_time(time), offset)
}

/// `下午`/`PM` move 1–11 o'clock into the afternoon; `上午`/`AM` move 12 to midnight.
fn apply_meridiem(hour: u32, meridiem: Option<&str>) -> Option<u32> {
    let pm = matches!(
        meridiem,
        Some("下午" | "晚上" | "PM" | "pm" | "P.M." | "p.m.")
    );
    let am = matches!(
        meridiem,
        Some("上午" | "凌晨" | "AM" | "am" | "A.M." | "a.m.")
    );
    match (am, pm, hour) {
        (_, _, h) if h > 23 => None,
        (_, true, h) if h < 12 => Some(h + 12),
        (true, _, 12) => Some(0),
        (_, _, h) => Some(h),
    }
}

/// Turns the digits after the decimal point into nanoseconds (`495000` → 495 000 000).
fn fraction_nanos(digits: &str) -> u32 {
    let mut padded = [b'0'; 9];
    for (slot, b) in padded.iter_mut().zip(digits.bytes()) {
        *slot = b;
    }
    std::str::from_utf8(&padded)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// `+0800`, `+08:00`, `-05`, `+8` → seconds east of UTC.
fn numeric_offset(z: &str) -> Option<i32> {
    let (sign, rest) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

fn to_utc(local: NaiveDateTime, offset_secs: i32) -> Option<DateTime<Utc>> {
    let tz = FixedOffset::east_opt(offset_secs)?;
    tz.from_local_datetime(&local)
        .single()
        .map(|d| d.with_timezone(&Utc))
}

#[allow(clippy::expect_used, reason = "literal pattern, not input")]
static COLON: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*:\s*").expect("static regex"));

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// RFC 2822 zone names (section 4.3, obsolete but still sent) and the few others seen in mail.
const ZONES: &[(&str, i32)] = &[
    ("UT", 0),
    ("UTC", 0),
    ("GMT", 0),
    ("Z", 0),
    ("EST", -5),
    ("EDT", -4),
    ("CST", -6),
    ("CDT", -5),
    ("MST", -7),
    ("MDT", -6),
    ("PST", -8),
    ("PDT", -7),
    ("CET", 1),
    ("CEST", 2),
    ("BST", 1),
    ("JST", 9),
    ("HKT", 8),
    ("SGT", 8),
];

/// A token-by-token reading of RFC 2822 and its broken cousins: each token is classified on its
/// own (day name, day, month, year, time, meridiem, zone), so order and punctuation do not
/// matter. Comments in parentheses are dropped (`+0800 (CST)` keeps the number).
fn parse_rfc2822ish(s: &str) -> Option<DateTime<Utc>> {
    let mut cleaned = String::with_capacity(s.len());
    let mut depth = 0usize;
    for ch in s.chars() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => cleaned.push(' '),
            c if depth == 0 => cleaned.push(c),
            _ => {}
        }
    }
    // Obsolete syntax allows blanks (and comments, now blanks) around the colons of the time:
    // `09(comment):   55  :  06` (RFC 5322 appendix A.6.3).
    let cleaned = COLON.replace_all(&cleaned, ":");
    let (mut day, mut month, mut year) = (None::<u32>, None::<u32>, None::<i32>);
    let mut time: Option<(u32, u32, u32, u32)> = None;
    let mut meridiem: Option<&str> = None;
    let mut offset: Option<i32> = None;
    let mut bare_numbers: Vec<u32> = Vec::new();
    for raw in cleaned.split_whitespace() {
        for tok in split_dashed_date(raw) {
            let lower = tok.to_ascii_lowercase();
            if let Some(t) = parse_clock(tok, &mut offset) {
                time = Some(t);
            } else if matches!(lower.as_str(), "am" | "pm" | "a.m." | "p.m.") {
                meridiem = Some(if lower.starts_with('p') { "PM" } else { "AM" });
            } else if let Some(z) = zone_offset(tok) {
                offset = Some(z);
            } else if time.is_some()
                && offset.is_none()
                && tok.len() <= 5
                && tok.bytes().all(|b| b.is_ascii_alphabetic())
            {
                // RFC 5322 §4.3: military zones (one letter) were defined with the wrong sign
                // and other unknown zone names carry no information; both mean -0000.
                offset = Some(0);
            } else if let Some(m) = month_number(&lower) {
                month = Some(m);
            } else if tok.bytes().all(|b| b.is_ascii_digit()) {
                match tok.len() {
                    4 => year = tok.parse().ok(),
                    1 | 2 => bare_numbers.push(tok.parse().ok()?),
                    _ => return None,
                }
            } else if is_day_name(&lower) || lower == "at" {
                continue;
            } else {
                return None;
            }
        }
    }
    // Bare numbers: the first is the day, a second one is a two-digit year; with no month name,
    // three numbers are day, month, year (`20 11 79`, seen in RFC 822-era mail).
    if month.is_none() && bare_numbers.len() == 3 {
        month = Some(bare_numbers.remove(1));
    }
    let mut nums = bare_numbers.into_iter();
    if let Some(d) = nums.next() {
        day = Some(d);
    }
    if let Some(y) = nums.next() {
        if year.is_none() {
            // RFC 2822 4.3: two-digit years below 50 are 20xx, others 19xx.
            year = Some(if y < 50 {
                2000 + y as i32
            } else {
                1900 + y as i32
            });
        } else {
            return None;
        }
    }
    let (h, mi, se, nanos) = time?;
    let hour = apply_meridiem(h, meridiem)?;
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let t = NaiveTime::from_hms_nano_opt(hour, mi, se.min(59), nanos)?;
    to_utc(date.and_time(t), offset.unwrap_or(0))
}

/// `11-Jul-2022` (seen in some mbox `From ` lines and old mailers) → its three parts.
fn split_dashed_date(tok: &str) -> Vec<&str> {
    if tok.matches('-').count() == 2 && tok.bytes().any(|b| b.is_ascii_alphabetic()) {
        tok.split('-').collect()
    } else {
        vec![tok]
    }
}

/// `17:12`, `17:12:56`, `17:12:56.495`, and a zone glued on (`17:12:56+0800`, `17:12Z`).
fn parse_clock(tok: &str, offset: &mut Option<i32>) -> Option<(u32, u32, u32, u32)> {
    if !tok.contains(':') || !tok.as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    let (clock, zone) = match tok.find(['+', '-', 'Z']) {
        Some(i) => (&tok[..i], Some(&tok[i..])),
        None => (tok, None),
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let (s, nanos) = match parts.next() {
        None => (0, 0),
        Some(sec) => match sec.split_once(['.', ',']) {
            Some((s, frac)) => (s.parse().ok()?, fraction_nanos(frac)),
            None => (sec.parse().ok()?, 0),
        },
    };
    if parts.next().is_some() || m > 59 || s > 60 {
        return None;
    }
    if let Some(z) = zone {
        *offset = Some(if z == "Z" { 0 } else { numeric_offset(z)? });
    }
    Some((h, m, s, nanos))
}

/// Numeric offsets, zone names, and `GMT+8` / `UTC+08:00` (Chinese Outlook and Foxmail).
fn zone_offset(tok: &str) -> Option<i32> {
    if tok.starts_with(['+', '-']) {
        return numeric_offset(tok);
    }
    let upper = tok.to_ascii_uppercase();
    for prefix in ["GMT", "UTC", "UT"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return numeric_offset(rest);
            }
        }
    }
    // POSIX names (`EST5EDT`): the standard zone's name comes first.
    let name = upper.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let name = if name.len() < upper.len() && name.bytes().any(|b| b.is_ascii_digit()) {
        name.trim_end_matches(|c: char| c.is_ascii_digit())
    } else {
        upper.as_str()
    };
    ZONES
        .iter()
        .find(|(zone, _)| *zone == name)
        .map(|(_, h)| h * 3600)
}

fn month_number(lower: &str) -> Option<u32> {
    if lower.len() < 3 || !lower.bytes().all(|b| b.is_ascii_alphabetic() || b == b'.') {
        return None;
    }
    let key = &lower[..3];
    MONTHS
        .iter()
        .position(|m| *m == key)
        .map(|i| i as u32 + 1)
        .filter(|_| full_month_prefix(lower))
}

/// `jul`, `july`, `jul.` are months; `julius` is not.
fn full_month_prefix(lower: &str) -> bool {
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = lower.trim_end_matches('.');
    FULL.iter().any(|f| f.starts_with(word)) || word == "sept"
}

fn is_day_name(lower: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    // ASCII first: slicing a multi-byte string at 3 could split a character.
    lower.len() >= 3
        && lower.bytes().all(|b| b.is_ascii_alphabetic() || b == b'.')
        && DAYS.contains(&&lower[..3])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::format_date;

    fn p(s: &str) -> Option<String> {
        parse_date(s).map(|d| format_date(&d))
    }

    #[test]
    fn export_format_keeps_milliseconds() {
        assert_eq!(
            p("2022-07-11 17:12:56.495000+00:00").as_deref(),
            Some("2022-07-11T17:12:56.495Z")
        );
        assert_eq!(
            p("2022-08-01 17:12:26.999000+00:00").as_deref(),
            Some("2022-08-01T17:12:26.999Z")
        );
    }

    #[test]
    fn iso_8601_variants() {
        assert_eq!(
            p("2023-03-01T09:15:00Z").as_deref(),
            Some("2023-03-01T09:15:00Z")
        );
        assert_eq!(
            p("2023-03-01T17:15:00+08:00").as_deref(),
            Some("2023-03-01T09:15:00Z")
        );
        assert_eq!(
            p("2023/03/01 09:15").as_deref(),
            Some("2023-03-01T09:15:00Z")
        );
        assert_eq!(p("2023-03-01").as_deref(), Some("2023-03-01T00:00:00Z"));
    }

    #[test]
    fn rfc2822_and_broken_variants() {
        let want = Some("2023-03-01T09:15:00Z");
        assert_eq!(p("Wed, 01 Mar 2023 09:15:00 +0000").as_deref(), want);
        assert_eq!(p("01 Mar 2023 17:15:00 +0800").as_deref(), want);
        assert_eq!(p("Wed, 1 Mar 23 17:15:00 +0800").as_deref(), want);
        assert_eq!(p("Wed, 01 Mar 2023 17:15:00 GMT+8").as_deref(), want);
        assert_eq!(p("Wed, 01 Mar 2023 17:15:00 +0800 (CST)").as_deref(), want);
        assert_eq!(p("Wed,  1  Mar  2023   17:15 +0800").as_deref(), want);
        assert_eq!(p("Wed, 01 Mar 2023 04:15:00 EST").as_deref(), want);
        assert_eq!(p("Wed, 01 Mar 2023 09:15:00").as_deref(), want);
        assert_eq!(p("Wednesday, March 1, 2023 5:15 PM +0800").as_deref(), want);
        assert_eq!(
            p("Wed, 01 Mar 99 09:15:00 +0000").as_deref(),
            Some("1999-03-01T09:15:00Z")
        );
        // Obsolete zones (RFC 5322 §4.3): POSIX names, military letters, unknown names.
        assert_eq!(p("Wed, 01 Mar 2023 04:15:00 EST5EDT").as_deref(), want);
        assert_eq!(p("Wed, 01 Mar 2023 09:15:00 A").as_deref(), want);
        assert_eq!(p("Wed, 01 Mar 2023 09:15:00 ZZZZ").as_deref(), want);
        // Comments anywhere, nested, across folds; numeric month.
        assert_eq!(
            p("Wed, 1 Mar 2023 ((a)\n b) 09:15:00 +0000").as_deref(),
            want
        );
        assert_eq!(p("01 03 (x (y)) 23 09:15:00 +0000").as_deref(), want);
        assert_eq!(
            p("Wed, 01 Mar 2023 09(c):   15  :  00 +0000").as_deref(),
            want
        );
    }

    #[test]
    fn chinese_forms_are_china_standard_time() {
        assert_eq!(
            p("2022年7月6日 16:28").as_deref(),
            Some("2022-07-06T08:28:00Z")
        );
        assert_eq!(
            p("2022年7月6日 星期三 下午4:28").as_deref(),
            Some("2022-07-06T08:28:00Z")
        );
        assert_eq!(p("2022年7月6日").as_deref(), Some("2022-07-05T16:00:00Z"));
        assert_eq!(
            p("2022年7月6日 16:28:05 +0000").as_deref(),
            Some("2022-07-06T16:28:05Z")
        );
        assert_eq!(
            p("2022年7月6日 16:28 GMT+8").as_deref(),
            Some("2022-07-06T08:28:00Z")
        );
    }

    #[test]
    fn non_ascii_tokens_do_not_panic() {
        assert_eq!(p("星期三 01 Mar 2023 10:00"), None);
        assert_eq!(p("ñññ, 01 Mar 2023 10:00"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_not_without_panicking(s in "\\PC{0,40}") {
            let _ = parse_date(&s);
        }

        #[test]
        fn date_like_noise_never_panics(
            s in "[0-9A-Za-z年月日时分秒星期上下午:：+\\-., ()]{0,40}"
        ) {
            let _ = parse_date(&s);
        }
    }

    #[test]
    fn nonsense_is_none() {
        for s in [
            "",
            "yesterday",
            "32 Mar 2023 10:00",
            "Wed, 01 Foo 2023 10:00",
            "2023-13-01",
            "99:99",
        ] {
            assert_eq!(p(s), None, "{s:?}");
        }
    }
}
