//! `GET /api/v2/mandatorAdmin/getUserList`: every user of the mandator, active and deleted, filtered,
//! ordered by `userId`, paged (`perPage` at most 500).
//!
//! finAPI's rules copied here: dates are `YYYY-MM-DD` (months `YYYY-MM`); `min…Date` filters skip users
//! without that date, `max…Date` filters keep them; a deleted user shows a distorted id, `isLocked:
//! false`, and cannot be found by `userId`; `monthlyStats` only with `includeMonthlyStats=true`.

use super::Store;
use finapi::{MonthlyUserStats, PageableUserInfoList, Paging, UserInfo};
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 500;

/// A query parameter finAPI refuses (400); the message names it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{name}' {problem}")]
pub struct InvalidParameter {
    pub name: &'static str,
    pub problem: String,
    /// `perPage` out of range has its own code, `ILLEGAL_PAGE_SIZE`.
    pub is_page_size: bool,
}

fn invalid(name: &'static str, problem: impl Into<String>) -> InvalidParameter {
    InvalidParameter {
        name,
        problem: problem.into(),
        is_page_size: false,
    }
}

/// A calendar month, `YYYY-MM`.
type YearMonth = (i32, Month);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserListQuery {
    min_registration_date: Option<Date>,
    max_registration_date: Option<Date>,
    min_deletion_date: Option<Date>,
    max_deletion_date: Option<Date>,
    min_last_active_date: Option<Date>,
    max_last_active_date: Option<Date>,
    include_monthly_stats: bool,
    monthly_stats_start: Option<YearMonth>,
    monthly_stats_end: Option<YearMonth>,
    min_bank_connection_count: u32,
    user_id: Option<String>,
    is_deleted: Option<bool>,
    is_locked: Option<bool>,
    page: u32,
    per_page: u32,
    descending: bool,
}

impl UserListQuery {
    /// From the query string's pairs (a name may repeat, as `order` may). Unknown names are ignored.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, InvalidParameter> {
        let mut query = UserListQuery {
            min_registration_date: None,
            max_registration_date: None,
            min_deletion_date: None,
            max_deletion_date: None,
            min_last_active_date: None,
            max_last_active_date: None,
            include_monthly_stats: false,
            monthly_stats_start: None,
            monthly_stats_end: None,
            min_bank_connection_count: 0,
            user_id: None,
            is_deleted: None,
            is_locked: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            descending: false,
        };
        for (name, value) in pairs {
            query.set(name, value)?;
        }
        Ok(query)
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), InvalidParameter> {
        match name {
            "minRegistrationDate" => self.min_registration_date = Some(date("minRegistrationDate", value)?),
            "maxRegistrationDate" => self.max_registration_date = Some(date("maxRegistrationDate", value)?),
            "minDeletionDate" => self.min_deletion_date = Some(date("minDeletionDate", value)?),
            "maxDeletionDate" => self.max_deletion_date = Some(date("maxDeletionDate", value)?),
            "minLastActiveDate" => self.min_last_active_date = Some(date("minLastActiveDate", value)?),
            "maxLastActiveDate" => self.max_last_active_date = Some(date("maxLastActiveDate", value)?),
            "includeMonthlyStats" => self.include_monthly_stats = boolean("includeMonthlyStats", value)?,
            "monthlyStatsStartDate" => self.monthly_stats_start = Some(month("monthlyStatsStartDate", value)?),
            "monthlyStatsEndDate" => self.monthly_stats_end = Some(month("monthlyStatsEndDate", value)?),
            "minBankConnectionCountInMonthlyStats" => {
                self.min_bank_connection_count = value
                    .parse()
                    .map_err(|_| invalid("minBankConnectionCountInMonthlyStats", "must be a number ≥ 0"))?
            }
            "userId" => self.user_id = Some(value.to_owned()).filter(|id| !id.is_empty()),
            "isDeleted" => self.is_deleted = Some(boolean("isDeleted", value)?),
            "isLocked" => self.is_locked = Some(boolean("isLocked", value)?),
            "page" => {
                self.page = value
                    .parse()
                    .ok()
                    .filter(|page| *page >= 1 && i32::try_from(*page).is_ok())
                    .ok_or_else(|| invalid("page", "must be a number ≥ 1"))?
            }
            "perPage" => {
                self.per_page = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                    .ok_or_else(|| InvalidParameter {
                        is_page_size: true,
                        ..invalid("perPage", format!("must be between 1 and {MAX_PER_PAGE}"))
                    })?
            }
            "order" => self.descending = order(value)?,
            _ => {}
        }
        Ok(())
    }
}

fn date(name: &'static str, value: &str) -> Result<Date, InvalidParameter> {
    Date::parse(value, format_description!("[year]-[month]-[day]"))
        .map_err(|_| invalid(name, "must be a date in the format YYYY-MM-DD"))
}

fn month(name: &'static str, value: &str) -> Result<YearMonth, InvalidParameter> {
    let wrong = || invalid(name, "must be a month in the format YYYY-MM");
    let (year, month) = value.split_once('-').ok_or_else(wrong)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(wrong());
    }
    let year: i32 = year.parse().map_err(|_| wrong())?;
    let month: u8 = month.parse().map_err(|_| wrong())?;
    Ok((year, Month::try_from(month).map_err(|_| wrong())?))
}

fn boolean(name: &'static str, value: &str) -> Result<bool, InvalidParameter> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(invalid(name, "must be true or false")),
    }
}

/// `userId`, `userId,asc` or `userId,desc`: only `userId` can order this list. Returns "descending".
fn order(value: &str) -> Result<bool, InvalidParameter> {
    let (property, direction) = value.split_once(',').unwrap_or((value, "asc"));
    if property != "userId" {
        return Err(invalid("order", "can only order by 'userId'"));
    }
    match direction.to_ascii_lowercase().as_str() {
        "asc" => Ok(false),
        "desc" => Ok(true),
        _ => Err(invalid("order", "must be 'userId', 'userId,asc' or 'userId,desc'")),
    }
}

/// What the list shows of one user, active or deleted.
struct Entry<'a> {
    user_id: String,
    /// For the `userId` filter: deleted users have no original id any more.
    canonical_id: Option<String>,
    registered_at: OffsetDateTime,
    deleted_at: Option<OffsetDateTime>,
    last_active_at: Option<OffsetDateTime>,
    imports: &'a [OffsetDateTime],
    locked: bool,
}

impl Store {
    pub fn user_list(&self, query: &UserListQuery, now: OffsetDateTime) -> PageableUserInfoList {
        let active = self.users.values().map(|user| Entry {
            user_id: user.id.clone(),
            canonical_id: Some(user.id.to_ascii_lowercase()),
            registered_at: user.registered_at,
            deleted_at: None,
            last_active_at: user.last_active_at,
            imports: &user.bank_connection_imports,
            locked: user.locked,
        });
        let deleted = self.deleted_users.iter().map(|user| Entry {
            user_id: user.masked_id.clone(),
            canonical_id: None,
            registered_at: user.registered_at,
            deleted_at: Some(user.deleted_at),
            last_active_at: user.last_active_at,
            imports: &user.bank_connection_imports,
            locked: false,
        });
        let mut matching: Vec<(Entry, Option<Vec<MonthlyUserStats>>)> = active
            .chain(deleted)
            .filter(|entry| query.admits(entry))
            .map(|entry| {
                let stats = query.include_monthly_stats.then(|| query.monthly_stats(&entry, now));
                (entry, stats)
            })
            .filter(|(_, stats)| query.has_enough_bank_connections(stats.as_deref()))
            .collect();
        matching.sort_by(|(a, _), (b, _)| {
            let ordering = a
                .user_id
                .to_ascii_lowercase()
                .cmp(&b.user_id.to_ascii_lowercase())
                .then_with(|| a.user_id.cmp(&b.user_id));
            if query.descending {
                ordering.reverse()
            } else {
                ordering
            }
        });
        let total = matching.len();
        let per_page = query.per_page as usize;
        let users = matching
            .into_iter()
            .skip((query.page as usize - 1).saturating_mul(per_page))
            .take(per_page)
            .map(|(entry, stats)| entry.into_wire(stats))
            .collect();
        PageableUserInfoList {
            users,
            paging: Paging {
                page: i32::try_from(query.page).unwrap_or(i32::MAX),
                per_page: i32::try_from(query.per_page).unwrap_or(i32::MAX),
                page_count: i32::try_from(total.div_ceil(per_page)).unwrap_or(i32::MAX),
                total_count: i64::try_from(total).unwrap_or(i64::MAX),
            },
        }
    }
}

impl UserListQuery {
    fn admits(&self, entry: &Entry) -> bool {
        let registered = entry.registered_at.date();
        let deleted = entry.deleted_at.map(|at| at.date());
        let active = entry.last_active_at.map(|at| at.date());
        self.user_id
            .as_ref()
            .is_none_or(|id| entry.canonical_id.as_deref() == Some(id.to_ascii_lowercase().as_str()))
            && self.is_deleted.is_none_or(|wanted| wanted == deleted.is_some())
            && self.is_locked.is_none_or(|wanted| wanted == entry.locked)
            && self.min_registration_date.is_none_or(|min| registered >= min)
            && self.max_registration_date.is_none_or(|max| registered <= max)
            && self
                .min_deletion_date
                .is_none_or(|min| deleted.is_some_and(|d| d >= min))
            && self
                .max_deletion_date
                .is_none_or(|max| deleted.is_none_or(|d| d <= max))
            && self
                .min_last_active_date
                .is_none_or(|min| active.is_some_and(|d| d >= min))
            && self
                .max_last_active_date
                .is_none_or(|max| active.is_none_or(|d| d <= max))
    }

    /// "A value of X means that the service will return only those users which had at least X bank
    /// connections imported at any time within the returned monthly stats set."
    fn has_enough_bank_connections(&self, stats: Option<&[MonthlyUserStats]>) -> bool {
        match stats {
            Some(stats) if self.min_bank_connection_count > 0 => stats
                .iter()
                .any(|month| month.max_bank_connection_count >= to_i32(self.min_bank_connection_count as usize)),
            _ => true,
        }
    }

    /// One entry per month from the registration (or `monthlyStatsStartDate`) to now or the deletion (or
    /// `monthlyStatsEndDate`). Bank connections are never deleted in the emulator, so a month's minimum is
    /// the count at its start and its maximum the count at its end.
    fn monthly_stats(&self, entry: &Entry, now: OffsetDateTime) -> Vec<MonthlyUserStats> {
        let first = later(year_month(entry.registered_at.date()), self.monthly_stats_start);
        let last = earlier(
            year_month(entry.deleted_at.unwrap_or(now).date()),
            self.monthly_stats_end,
        );
        let mut stats = Vec::new();
        let mut month = first;
        while month <= last {
            let start = first_day(month);
            let next = next_month(month);
            let before = entry.imports.iter().filter(|at| at.date() < start).count();
            let by_end = entry.imports.iter().filter(|at| at.date() < first_day(next)).count();
            stats.push(MonthlyUserStats {
                month: format!("{:04}-{:02}", month.0, u8::from(month.1)),
                min_bank_connection_count: to_i32(before),
                max_bank_connection_count: to_i32(by_end),
            });
            month = next;
        }
        stats
    }
}

fn year_month(date: Date) -> YearMonth {
    (date.year(), date.month())
}

fn first_day((year, month): YearMonth) -> Date {
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}

fn next_month((year, month): YearMonth) -> YearMonth {
    match month {
        Month::December => (year + 1, Month::January),
        other => (year, other.next()),
    }
}

fn later(a: YearMonth, b: Option<YearMonth>) -> YearMonth {
    b.map_or(a, |b| {
        if (b.0, u8::from(b.1)) > (a.0, u8::from(a.1)) {
            b
        } else {
            a
        }
    })
}

fn earlier(a: YearMonth, b: Option<YearMonth>) -> YearMonth {
    b.map_or(a, |b| {
        if (b.0, u8::from(b.1)) < (a.0, u8::from(a.1)) {
            b
        } else {
            a
        }
    })
}

fn to_i32(count: usize) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}

/// `YYYY-MM-DD` in UTC.
pub fn wire_date(at: OffsetDateTime) -> String {
    let date = at.to_offset(time::UtcOffset::UTC).date();
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

impl Entry<'_> {
    fn into_wire(self, monthly_stats: Option<Vec<MonthlyUserStats>>) -> UserInfo {
        UserInfo {
            user_id: self.user_id,
            registration_date: wire_date(self.registered_at),
            deletion_date: self.deleted_at.map(wire_date),
            last_active_date: self.last_active_at.map(wire_date),
            bank_connection_count: to_i32(self.imports.len()),
            latest_bank_connection_import_date: self.imports.iter().max().copied().map(wire_date),
            latest_bank_connection_deletion_date: None,
            monthly_stats,
            is_locked: self.locked,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn parameters_are_checked_and_named() {
        assert!(UserListQuery::parse(&pairs(&[("perPage", "500"), ("order", "userId,DESC")])).is_ok());
        let error = UserListQuery::parse(&pairs(&[("perPage", "501")])).unwrap_err();
        assert!(error.is_page_size && error.name == "perPage");
        for (name, value) in [
            ("page", "0"),
            ("minRegistrationDate", "2026-13-01"),
            ("monthlyStatsStartDate", "2026-1"),
            ("isDeleted", "yes"),
            ("order", "registrationDate"),
        ] {
            let error = UserListQuery::parse(&pairs(&[(name, value)])).unwrap_err();
            assert_eq!(error.name, name);
        }
    }

    #[test]
    fn months_roll_over_the_year() {
        assert_eq!(next_month((2026, Month::December)), (2027, Month::January));
        assert_eq!(
            later((2026, Month::March), Some((2026, Month::May))),
            (2026, Month::May)
        );
        assert_eq!(
            earlier((2026, Month::March), Some((2026, Month::May))),
            (2026, Month::March)
        );
    }
}
