//! The whole app in a browser where no proxy answers (the test server has no `/api`): the person
//! must get an error they can act on, in their language, with a way to try again.

#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn without_settings_the_app_says_what_to_do() {
    let _mounted = mount(onboarding_form::App);
    settle().await;
    let html_lang = || {
        leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
    };
    assert_eq!(html_lang().as_deref(), Some("de"), "German by default");

    wait_until("the settings error", || exists("settings-error")).await;
    assert_eq!(attribute("settings-error", "role").as_deref(), Some("alert"));
    assert_eq!(
        text("settings-error"),
        "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten noch einmal."
    );
    assert_eq!(text("retry"), "Erneut versuchen");
    assert!(!exists("create-account"));

    click("language-switch");
    settle().await;
    assert_eq!(html_lang().as_deref(), Some("en"));
    assert_eq!(
        text("settings-error"),
        "The service can't be reached right now. Please try again in a few minutes."
    );
    assert!(
        leptos::prelude::window()
            .location()
            .search()
            .unwrap()
            .contains("lang=en"),
        "a reload keeps the language"
    );

    click("retry");
    settle().await;
    wait_until("the settings error again", || exists("settings-error")).await;
    assert_eq!(text("retry"), "Try again");
}
