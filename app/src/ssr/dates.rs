//! Dates as people read them. Formatted on the server (UTC) and sent as text, so the browser
//! build carries no calendar code.

use chrono::{DateTime, Datelike, Timelike, Utc};

// A page shows hundreds of dates: fields and a month table, not a strftime pattern parsed anew
// for each one.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

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

#[cfg(test)]
mod tests {
    #[test]
    fn formats_in_utc() {
        assert_eq!(super::day(1_778_544_000_000), "12 May 2026");
        assert_eq!(super::moment(1_778_594_700_000), "12 May 2026, 14:05 UTC");
        assert_eq!(super::day(1_767_225_599_000), "31 December 2025");
        assert_eq!(
            super::moment(1_767_225_600_000),
            "1 January 2026, 00:00 UTC"
        );
    }
}
