//! `Paging`: how a page of a list relates to the whole (Access and Web Form 2.0 alike).

use serde::{Deserialize, Serialize};

/// Pages count from 1. `totalCount` is the number of entries across all pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    pub page: i32,
    pub per_page: i32,
    pub page_count: i32,
    pub total_count: i64,
}
