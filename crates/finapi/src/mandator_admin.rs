//! Mandator administration (`/api/v2/mandatorAdmin/…`, mandator admin client only): the user list and
//! deleting users.

use crate::paging::Paging;
use serde::{Deserialize, Serialize};

/// `PageableUserInfoList` (`GET /api/v2/mandatorAdmin/getUserList`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageableUserInfoList {
    pub users: Vec<UserInfo>,
    pub paging: Paging,
}

/// `UserInfo`. Dates are `YYYY-MM-DD`. A deleted user's id is distorted (`user` → `uXXr`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub user_id: String,
    pub registration_date: String,
    pub deletion_date: Option<String>,
    pub last_active_date: Option<String>,
    pub bank_connection_count: i32,
    pub latest_bank_connection_import_date: Option<String>,
    pub latest_bank_connection_deletion_date: Option<String>,
    /// Only with `includeMonthlyStats=true`.
    pub monthly_stats: Option<Vec<MonthlyUserStats>>,
    /// Always false for a deleted user.
    pub is_locked: bool,
}

/// `MonthlyUserStats`: `month` is `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthlyUserStats {
    pub month: String,
    pub min_bank_connection_count: i32,
    pub max_bank_connection_count: i32,
}

/// `UserIdentifiersParams` (`POST /api/v2/mandatorAdmin/deleteUsers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentifiersParams {
    pub user_ids: Vec<String>,
}

/// `UserIdentifiersList`: both lists in ascending order; unknown ids appear in neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdentifiersList {
    pub deleted_users: Vec<String>,
    pub non_deleted_users: Vec<String>,
}
