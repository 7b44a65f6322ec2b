//! Dates as people read them. Formatted on the server (UTC) and sent as text, so the browser
//! build carries no calendar code. Compact, so a table row stays one line.

use chrono::{DateTime, Datelike, Timelike, Utc};

// A page shows hundreds of dates: fields and a month table, not a strftime pattern parsed anew
// for each one.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// "12 May 2026".
pub fn day(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()))
        .unwrap_or_default()
}

/// "12 May 2026, 14:05 UTC".
pub fn moment(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| format!("{}, {:02}:{:02} UTC", day(ms), d.hour(), d.minute()))
        .unwrap_or_default()
}

/// A deadline seen from `now`: "in 7 days", "in 5 hours", "expired 2 days ago".
pub fn until(deadline: i64, now: i64) -> String {
    let left = deadline - now;
    let span = |ms: i64| {
        let (n, unit) = if ms >= DAY_MS {
            (ms / DAY_MS, "day")
        } else if ms >= 60 * 60 * 1000 {
            (ms / (60 * 60 * 1000), "hour")
        } else {
            ((ms / 60_000).max(1), "minute")
        };
        format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
    };
    if left > 0 {
        format!("in {}", span(left))
    } else {
        format!("expired {} ago", span(-left))
    }
}

/// A calendar day written YYYY-MM-DD, as Unix milliseconds at its UTC midnight.
pub fn parse_day(raw: &str) -> Option<i64> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_utc() {
        assert_eq!(day(1_778_544_000_000), "12 May 2026");
        assert_eq!(moment(1_778_594_700_000), "12 May 2026, 14:05 UTC");
        assert_eq!(day(1_767_225_599_000), "31 Dec 2025");
        assert_eq!(moment(1_767_225_600_000), "1 Jan 2026, 00:00 UTC");
    }

    #[test]
    fn deadlines_read_from_now() {
        let now = 1_778_544_000_000;
        assert_eq!(until(now + 7 * DAY_MS, now), "in 7 days");
        assert_eq!(until(now + DAY_MS + 5, now), "in 1 day");
        assert_eq!(until(now + 5 * 3_600_000, now), "in 5 hours");
        assert_eq!(until(now + 1_000, now), "in 1 minute");
        assert_eq!(until(now - 2 * DAY_MS, now), "expired 2 days ago");
        assert_eq!(until(now, now), "expired 1 minute ago");
    }
}
