//! Dates as people read them. Formatted on the server (UTC) and sent as text, so the browser
//! build carries no calendar code and hydration sees the same string.

use chrono::{DateTime, Utc};

/// "12 May 2026".
pub fn day(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

/// "12 May 2026, 14:05 UTC".
pub fn moment(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|d| d.format("%-d %B %Y, %H:%M UTC").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_in_utc() {
        assert_eq!(super::day(1_778_544_000_000), "12 May 2026");
        assert_eq!(super::moment(1_778_594_700_000), "12 May 2026, 14:05 UTC");
    }
}
