//! Numbers as people read them in maps, tables and the console: thousands separated by
//! commas, kilometres with at most one decimal. One implementation, so band names, the
//! legend, titles and the console agree.

/// Formats an integer with comma thousands separators.
///
/// # Example
/// ```
/// assert_eq!(infrange::numbers::group_thousands(1_234_567), "1,234,567");
/// assert_eq!(infrange::numbers::group_thousands(-999), "-999");
/// ```
pub fn group_thousands(v: i64) -> String {
    let out = group_count(v.unsigned_abs());
    if v < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A count (cities, people) with comma thousands separators.
///
/// # Example
/// ```
/// assert_eq!(infrange::numbers::group_count(18_446_744_073_709_551_615), "18,446,744,073,709,551,615");
/// ```
pub fn group_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Kilometres for people: thousands separated, at most one decimal (`500`, `2,350`,
/// `5,500.3`).
///
/// # Example
/// ```
/// assert_eq!(infrange::numbers::format_km_grouped(2350.0), "2,350");
/// assert_eq!(infrange::numbers::format_km_grouped(5500.25), "5,500.3");
/// ```
pub fn format_km_grouped(km: f64) -> String {
    let tenths = (km * 10.0).round() as i64;
    let whole = group_thousands(tenths / 10);
    let sign = if tenths < 0 && tenths / 10 == 0 {
        "-"
    } else {
        ""
    };
    match (tenths % 10).abs() {
        0 => format!("{sign}{whole}"),
        d => format!("{sign}{whole}.{d}"),
    }
}
