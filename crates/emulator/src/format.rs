//! The two timestamp formats finAPI uses on the wire.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Access V2 `ErrorMessage.date`: RFC 3339 with milliseconds, e.g. `2020-11-19T16:54:06.854+01:00`.
const RFC3339_MILLIS: &[FormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory]:[offset_minute]"
);

/// Web Form 2.0 timestamps: `yyyy-MM-dd'T'HH:mm:ss.SSSZ`, always UTC, e.g. `2021-03-09T08:36:15.000+0000`.
const WEB_FORM: &[FormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory][offset_minute]"
);

pub fn rfc3339_millis(at: OffsetDateTime) -> String {
    at.format(RFC3339_MILLIS).expect("a date in range formats as RFC 3339")
}

pub fn web_form_timestamp(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(WEB_FORM)
        .expect("a date in range formats")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;
    use time::macros::datetime;

    #[test]
    fn error_dates_are_rfc3339_with_milliseconds() {
        let text = rfc3339_millis(datetime!(2026-11-23 10:15:30.123456 UTC));
        assert_eq!(text, "2026-11-23T10:15:30.123+00:00");
        assert!(OffsetDateTime::parse(&text, &Rfc3339).is_ok());
    }

    #[test]
    fn web_form_timestamps_are_utc_without_colon() {
        assert_eq!(
            web_form_timestamp(datetime!(2021-03-09 09:36:15 +01:00)),
            "2021-03-09T08:36:15.000+0000"
        );
    }
}
