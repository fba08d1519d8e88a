//! Rule 8: `GET /api/v2/mandatorAdmin/getUserList` and `POST /api/v2/mandatorAdmin/deleteUsers`.

mod common;

use common::*;
use finapi::{ErrorCode, PageableUserInfoList, UserIdentifiersList};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const LIST: &str = "/api/v2/mandatorAdmin/getUserList";
const DELETE: &str = "/api/v2/mandatorAdmin/deleteUsers";
const DAY: u64 = 24 * 60 * 60;

/// Tokens that never expire, so a test can move the clock by days.
async fn start_timeless() -> TestEmulator {
    start_with_app_config(|c| {
        c.client_access_tokens_validity_period = 0;
        c.user_access_tokens_validity_period = 0;
    })
    .await
}

async fn list(emu: &TestEmulator, admin: &str, query: &str) -> PageableUserInfoList {
    let response = emu.get(&format!("{LIST}{query}"), Some(admin)).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json().await.unwrap()
}

fn ids(list: &PageableUserInfoList) -> Vec<&str> {
    list.users.iter().map(|user| user.user_id.as_str()).collect()
}

async fn delete_users(emu: &TestEmulator, admin: &str, user_ids: Value) -> reqwest::Response {
    emu.send(Method::POST, DELETE, Some(admin), Some(json!({ "userIds": user_ids })))
        .await
}

#[tokio::test]
async fn the_list_shows_active_and_deleted_users_with_deleted_ids_distorted() {
    let emu = start_timeless().await;
    let admin = emu.admin_token().await;
    emu.new_user_token("jane", "secret1").await; // logged in: lastActiveDate
    emu.create_user_ok("user", "secret1").await;
    emu.create_user_ok("Bob", "secret1").await;
    emu.advance(DAY);
    let deleted: UserIdentifiersList = delete_users(&emu, &admin, json!(["USER"])).await.json().await.unwrap();
    assert_eq!(deleted.deleted_users, ["user"]);

    let all = list(&emu, &admin, "").await;
    assert_eq!(
        ids(&all),
        ["Bob", "jane", "uXXr"],
        "ordered by userId, deleted id distorted"
    );
    assert_eq!(all.paging.total_count, 3);
    let jane = &all.users[1];
    assert_eq!(jane.registration_date, "2026-11-23");
    assert_eq!(jane.last_active_date.as_deref(), Some("2026-11-23"));
    assert_eq!(jane.deletion_date, None);
    assert_eq!(jane.monthly_stats, None, "only with includeMonthlyStats");
    let gone = &all.users[2];
    assert_eq!(gone.deletion_date.as_deref(), Some("2026-11-24"));
    assert!(!gone.is_locked);
    assert_eq!(all.users[0].last_active_date, None, "never logged in");

    assert_eq!(ids(&list(&emu, &admin, "?isDeleted=true").await), ["uXXr"]);
    assert_eq!(ids(&list(&emu, &admin, "?isDeleted=false").await), ["Bob", "jane"]);
    assert_eq!(ids(&list(&emu, &admin, "?userId=JANE").await), ["jane"]);
    assert!(
        list(&emu, &admin, "?userId=user").await.users.is_empty(),
        "a deleted id is gone"
    );
    assert_eq!(
        ids(&list(&emu, &admin, "?order=userId,desc").await),
        ["uXXr", "jane", "Bob"]
    );
}

#[tokio::test]
async fn the_list_filters_by_lock_and_dates() {
    let emu = start_timeless().await;
    let admin = emu.admin_token().await;
    emu.create_user_ok("early", "secret1").await;
    emu.advance(10 * DAY); // 2026-12-03
    emu.create_user_ok("late", "secret1").await;
    for _ in 0..3 {
        emu.password_grant("late", "wrong").await;
    }
    emu.new_user_token("active", "secret1").await;
    emu.advance(DAY); // 2026-12-04
    delete_users(&emu, &admin, json!(["active"])).await;

    assert_eq!(ids(&list(&emu, &admin, "?isLocked=true").await), ["late"]);
    assert_eq!(ids(&list(&emu, &admin, "?isLocked=false").await), ["aXXXXe", "early"]);
    assert_eq!(
        ids(&list(&emu, &admin, "?minRegistrationDate=2026-12-01").await),
        ["aXXXXe", "late"]
    );
    assert_eq!(
        ids(&list(&emu, &admin, "?maxRegistrationDate=2026-11-30").await),
        ["early"]
    );
    assert_eq!(
        ids(&list(&emu, &admin, "?minDeletionDate=2026-12-04").await),
        ["aXXXXe"]
    );
    assert_eq!(
        ids(&list(&emu, &admin, "?maxDeletionDate=2026-12-03").await),
        ["early", "late"],
        "users without a deletion date pass a max filter"
    );
    assert_eq!(
        ids(&list(&emu, &admin, "?minLastActiveDate=2026-12-03").await),
        ["aXXXXe"]
    );
    assert_eq!(
        ids(&list(&emu, &admin, "?maxLastActiveDate=2026-12-02").await),
        ["early", "late"]
    );
}

#[tokio::test]
async fn the_list_is_paged_with_at_most_500_per_page() {
    let emu = start().await;
    let admin = emu.admin_token().await;
    for i in 0..5 {
        emu.create_user_ok(&format!("user{i}"), "secret1").await;
    }
    let page = list(&emu, &admin, "?page=2&perPage=2").await;
    assert_eq!(ids(&page), ["user2", "user3"]);
    assert_eq!((page.paging.page, page.paging.per_page), (2, 2));
    assert_eq!((page.paging.page_count, page.paging.total_count), (3, 5));
    assert!(list(&emu, &admin, "?page=4&perPage=2").await.users.is_empty());
    let default = list(&emu, &admin, "").await;
    assert_eq!((default.paging.page, default.paging.per_page), (1, 20));
    assert_eq!(list(&emu, &admin, "?perPage=500").await.paging.per_page, 500);
    let too_many = expect_error(
        emu.get(&format!("{LIST}?perPage=501"), Some(&admin)).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(too_many.code(), Some(ErrorCode::IllegalPageSize));
    for query in [
        "?page=0",
        "?perPage=0",
        "?order=registrationDate",
        "?minRegistrationDate=23.11.2026",
        "?isLocked=1",
    ] {
        let error = expect_error(
            emu.get(&format!("{LIST}{query}"), Some(&admin)).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        let name = query[1..].split('=').next().unwrap();
        assert!(error.errors[0].message.as_deref().unwrap().contains(name), "{query}");
    }
}

#[tokio::test]
async fn monthly_stats_count_bank_connections_per_month() {
    let emu = start_timeless().await;
    let admin = emu.admin_token().await;
    let user = emu.new_user_token("jane", "secret1").await;
    emu.create_user_ok("john", "secret1").await;
    emu.advance(10 * DAY); // December 2026
    let form: Value = emu
        .send(Method::POST, "/api/webForms/bankConnectionImport", Some(&user), None)
        .await
        .json()
        .await
        .unwrap();
    let id = form["id"].as_str().unwrap();
    emu.http.get(emu.url(&format!("/wf/{id}"))).send().await.unwrap();
    emu.http
        .post(emu.url(&format!("/wf/{id}")))
        .form(&[("action", "connect"), ("login", "demo"), ("pin", "demo")])
        .send()
        .await
        .unwrap();
    let all = list(&emu, &admin, "?includeMonthlyStats=true").await;
    let jane = all.users.iter().find(|u| u.user_id == "jane").unwrap();
    assert_eq!(jane.bank_connection_count, 1);
    assert_eq!(jane.latest_bank_connection_import_date.as_deref(), Some("2026-12-03"));
    let stats = jane.monthly_stats.as_ref().unwrap();
    let months: Vec<(&str, i32, i32)> = stats
        .iter()
        .map(|m| {
            (
                m.month.as_str(),
                m.min_bank_connection_count,
                m.max_bank_connection_count,
            )
        })
        .collect();
    assert_eq!(months, [("2026-11", 0, 0), ("2026-12", 0, 1)]);
    let only_december = list(&emu, &admin, "?includeMonthlyStats=true&monthlyStatsStartDate=2026-12").await;
    assert_eq!(only_december.users[0].monthly_stats.as_ref().unwrap().len(), 1);
    let with_connections = list(
        &emu,
        &admin,
        "?includeMonthlyStats=true&minBankConnectionCountInMonthlyStats=1",
    )
    .await;
    assert_eq!(ids(&with_connections), ["jane"]);
}

#[tokio::test]
async fn delete_users_deletes_known_users_and_ignores_unknown_ones() {
    let emu = start().await;
    let admin = emu.admin_token().await;
    let jane = emu.new_user_token("jane", "secret1").await;
    emu.create_user_ok("Bob", "secret1").await;
    emu.create_user_ok("carl", "secret1").await;
    let response = delete_users(&emu, &admin, json!(["jane", "nobody", "BOB"])).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"deletedUsers": ["Bob", "jane"], "nonDeletedUsers": []}));
    expect_invalid_token(emu.get("/api/v2/users", Some(&jane)).await).await;
    expect_error(emu.password_grant("jane", "secret1").await, StatusCode::BAD_REQUEST).await;
    assert_eq!(emu.password_grant("carl", "secret1").await.status(), StatusCode::OK);
    let empty: Value = delete_users(&emu, &admin, json!([])).await.json().await.unwrap();
    assert_eq!(empty, json!({"deletedUsers": [], "nonDeletedUsers": []}));
    let bad = emu
        .send(Method::POST, DELETE, Some(&admin), Some(json!({"userIds": "jane"})))
        .await;
    expect_error(bad, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn mandator_administration_is_for_the_mandator_admin_client_only() {
    let emu = start().await;
    let app = emu.client_token().await;
    let user = emu.new_user_token("jane", "secret1").await;
    for token in [app.as_str(), user.as_str()] {
        let refused = expect_error(emu.get(LIST, Some(token)).await, StatusCode::FORBIDDEN).await;
        assert_eq!(refused.code(), Some(ErrorCode::UnauthorizedAccess));
        let refused = expect_error(delete_users(&emu, token, json!(["jane"])).await, StatusCode::FORBIDDEN).await;
        assert_eq!(refused.code(), Some(ErrorCode::UnauthorizedAccess));
    }
    expect_invalid_token(emu.get(LIST, None).await).await;
    assert_eq!(
        emu.password_grant("jane", "secret1").await.status(),
        StatusCode::OK,
        "nothing was deleted"
    );
}
