//! Time as the platform stores and shows it. Stored times are UTC: Unix **seconds** for what
//! people set or see to the minute (round opening and closing, sessions, audit), Unix
//! **milliseconds** for what is measured (an answer's save, an attempt's deadline and time
//! taken). Every function says which it takes in its name (`_secs`, `_ms`). Everything shown
//! is in Asia/Ho_Chi_Minh, which is UTC+7 all year (no daylight saving), so a fixed offset is
//! exact and no time-zone database is needed, on the server or in the browser.

/// Vietnam's offset from UTC, in seconds.
pub const VN_OFFSET_SECS: i64 = 7 * 3600;
const DAY_SECS: i64 = 86_400;
const DAY_MS: i64 = DAY_SECS * 1000;

/// Now, in Unix seconds (server side).
#[cfg(feature = "ssr")]
pub fn now_secs() -> i64 {
    now_ms().div_euclid(1000)
}

/// Now, in Unix milliseconds (server side).
#[cfg(feature = "ssr")]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number (days since 1970-01-01).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + if month <= 2 { 1 } else { 0 }, month, day)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(y + (m == 12) as i64, m % 12 + 1, 1) - days_from_civil(y, m, 1)
}

/// The Vietnam-time calendar day (days since 1970-01-01) of a moment in milliseconds.
pub fn day_of_ms(ms: i64) -> i64 {
    (ms + VN_OFFSET_SECS * 1000).div_euclid(DAY_MS)
}

/// A day number as `2026-11-22`.
pub fn day_iso(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A day number as a Vietnamese reader writes it: `22/11/2026`.
pub fn day_text(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{d:02}/{m:02}/{y}")
}

/// A stored date (`2026-03-05`) as Vietnamese documents write it (`05/03/2026`); anything
/// else is shown as it is.
pub fn iso_date_text(text: &str) -> String {
    match parse_date_days(text) {
        Some(day) => day_text(day),
        None => text.to_string(),
    }
}

/// A stored day (`2026-10-05`) as a short chart label, day first as Vietnamese readers read
/// it: `05/10` (never `10-05`, which reads as 10 May). Anything else is shown as it is.
pub fn day_month(text: &str) -> String {
    match parse_date_days(text) {
        Some(day) => {
            let (_, m, d) = civil_from_days(day);
            format!("{d:02}/{m:02}")
        }
        None => text.to_string(),
    }
}

/// Unix seconds as `22/11/2026 21:40` in Vietnam time.
pub fn show_secs(secs: i64) -> String {
    let local = secs + VN_OFFSET_SECS;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY_SECS));
    let s = local.rem_euclid(DAY_SECS);
    format!("{d:02}/{m:02}/{y} {:02}:{:02}", s / 3600, (s % 3600) / 60)
}

/// Unix milliseconds as the clock time `21:40:06` in Vietnam time (an answer's "saved at").
pub fn clock_of_ms(ms: i64) -> String {
    let s = (ms.div_euclid(1000) + VN_OFFSET_SECS).rem_euclid(DAY_SECS);
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// Unix milliseconds as ISO 8601 in Vietnam time: `2026-11-22T21:40:06.123+07:00`.
pub fn iso_of_ms(ms: i64) -> String {
    let local = ms + VN_OFFSET_SECS * 1000;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY_MS));
    let in_day = local.rem_euclid(DAY_MS);
    let (s, milli) = (in_day / 1000, in_day % 1000);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}+07:00", s / 3600, s % 3600 / 60, s % 60)
}

/// `2026-11-22T08:30` (an `<input type="datetime-local">`, or with a space) in Vietnam time →
/// Unix seconds, if it is a real date and time.
pub fn parse_local_secs(text: &str) -> Option<i64> {
    let (date, clock) = text.trim().split_once(['T', ' '])?;
    let day = parse_date_days(date)?;
    let mut c = clock.split(':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (c.next()??, c.next()??);
    if !(0..24).contains(&h) || !(0..60).contains(&min) {
        return None;
    }
    Some(day * DAY_SECS + h * 3600 + min * 60 - VN_OFFSET_SECS)
}

/// Unix seconds → the value of an `<input type="datetime-local">` in Vietnam time.
pub fn local_input_of_secs(secs: i64) -> String {
    let local = secs + VN_OFFSET_SECS;
    let s = local.rem_euclid(DAY_SECS);
    format!("{}T{:02}:{:02}", day_iso(local.div_euclid(DAY_SECS)), s / 3600, (s % 3600) / 60)
}

/// `YYYY-MM-DD` → days since 1970-01-01, if it is a real calendar date (years 1900–2200).
pub fn parse_date_days(text: &str) -> Option<i64> {
    let mut parts = text.trim().split('-');
    let (y, m, d) = (parts.next()?.parse::<i64>().ok()?, parts.next()?.parse::<i64>().ok()?, parts.next()?.parse::<i64>().ok()?);
    if parts.next().is_some() || !(1900..=2200).contains(&y) || !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_in_vietnam_time() {
        // (Unix seconds, shown, datetime-local)
        let cases = [
            (0, "01/01/1970 07:00", "1970-01-01T07:00"),
            // 2026-11-22 17:30 UTC is 23/11 00:30 in Hải Phòng.
            (1_795_368_600, "23/11/2026 00:30", "2026-11-23T00:30"),
            // Leap day.
            (1_709_222_400 - VN_OFFSET_SECS, "29/02/2024 16:00", "2024-02-29T16:00"),
        ];
        for (secs, shown, input) in cases {
            assert_eq!(show_secs(secs), shown);
            assert_eq!(local_input_of_secs(secs), input);
            assert_eq!(parse_local_secs(input), Some(secs), "{input}");
        }
    }

    #[test]
    fn milliseconds_as_iso_clock_and_day() {
        assert_eq!(iso_of_ms(0), "1970-01-01T07:00:00.000+07:00");
        assert_eq!(iso_of_ms(1_795_000_000_123), "2026-11-18T18:06:40.123+07:00");
        assert_eq!(clock_of_ms(1_795_000_000_123), "18:06:40");
        // 23:59:59 UTC on 30/09 is already 01/10 in Vietnam.
        let ms = (days_from_civil(2026, 9, 30) * 86_400 + 86_399) * 1000;
        assert_eq!(day_iso(day_of_ms(ms)), "2026-10-01");
        assert_eq!(day_text(day_of_ms(ms)), "01/10/2026");
    }

    #[test]
    fn only_real_dates_and_times_parse() {
        for bad in ["2026-02-30T08:00", "2026-13-01T08:00", "2026-01-01T24:00", "2026-01-01T08:60", "2026-01-01", "hôm nay", "1899-12-31T00:00"] {
            assert_eq!(parse_local_secs(bad), None, "{bad}");
        }
        assert_eq!(parse_date_days("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_date_days("2023-02-29"), None);
        assert_eq!(parse_date_days("2026-1-5"), Some(days_from_civil(2026, 1, 5)));
        assert_eq!(parse_date_days("1970-01-02"), Some(1));
        assert_eq!(parse_date_days("01/02/2026"), None);
        assert_eq!(iso_date_text("2026-03-05"), "05/03/2026");
        assert_eq!(iso_date_text("không rõ"), "không rõ");
        assert_eq!(day_month("2026-10-05"), "05/10");
        assert_eq!(day_month("2026-12-31"), "31/12");
        assert_eq!(day_month("?"), "?");
        for day in [-800_000, -1, 0, 1, 19_000, 60_000] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
    }
}
