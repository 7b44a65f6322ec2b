//! Money as integer minor units of an ISO 4217 currency (issue 10: never floating point).
//! Currencies and their minor units come from `iso_currency`; amounts are formatted here, on
//! the server, so the browser build carries no currency table.

use iso_currency::Currency;

/// A currency code the back office may bill in: ISO 4217, with minor units.
pub fn currency(code: &str) -> Result<&'static str, String> {
    let c = Currency::from_code(code.trim())
        .ok_or_else(|| format!("“{code}” is not an ISO 4217 currency code (such as EUR)."))?;
    if c.exponent().is_none() {
        return Err(format!("{} has no minor unit to bill in.", c.code()));
    }
    Ok(c.code())
}

/// "EUR 1,234.50", "JPY 1,200", "EUR −5.00".
pub fn format(minor: i64, code: &str) -> String {
    let exponent = Currency::from_code(code)
        .and_then(|c| c.exponent())
        .unwrap_or(2) as u32;
    let factor = 10u64.pow(exponent);
    let abs = minor.unsigned_abs();
    let (major, fraction) = (abs / factor, abs % factor);
    let digits = major.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(d);
    }
    let sign = if minor < 0 { "−" } else { "" };
    if exponent == 0 {
        format!("{code} {sign}{grouped}")
    } else {
        format!(
            "{code} {sign}{grouped}.{fraction:0width$}",
            width = exponent as usize
        )
    }
}

/// The sum of `amounts`, or `None` if it would not fit (an error, never a wrapped total).
pub fn sum(amounts: impl IntoIterator<Item = i64>) -> Option<i64> {
    amounts
        .into_iter()
        .try_fold(0i64, |total, a| total.checked_add(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_the_currency_minor_unit() {
        assert_eq!(format(123_450, "EUR"), "EUR 1,234.50");
        assert_eq!(format(5, "EUR"), "EUR 0.05");
        assert_eq!(format(-500, "EUR"), "EUR −5.00");
        assert_eq!(format(1_200, "JPY"), "JPY 1,200");
        assert_eq!(format(1_000_000_000, "USD"), "USD 10,000,000.00");
        assert_eq!(format(1_234, "BHD"), "BHD 1.234");
        assert_eq!(format(i64::MIN, "EUR"), "EUR −92,233,720,368,547,758.08");
    }

    #[test]
    fn currencies() {
        assert_eq!(currency("EUR"), Ok("EUR"));
        assert_eq!(currency(" EUR "), Ok("EUR"));
        assert!(currency("EURO").is_err());
        assert!(currency("XAU").is_err(), "gold has no minor unit");
    }

    #[test]
    fn sums_never_wrap() {
        assert_eq!(sum([1_000, 2_500, -500]), Some(3_000));
        assert_eq!(sum([i64::MAX, 1]), None);
        assert_eq!(sum([]), Some(0));
    }
}
