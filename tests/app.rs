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
    // No `?lang=`: the browser's first language (headless Chromium's is English), else German.
    let browser_first = leptos::prelude::window().navigator().languages().get(0).as_string();
    let expected = browser_first
        .as_deref()
        .and_then(onboarding_form::i18n::Lang::from_tag)
        .unwrap_or_default();
    assert_eq!(
        html_lang().as_deref(),
        Some(expected.code()),
        "the browser's language ({browser_first:?})"
    );
    assert_eq!(chosen_language(), expected.code(), "the menu shows the language in use");

    choose_language("de");
    settle().await;
    wait_until("the settings error", || exists("settings-error")).await;
    assert_eq!(html_lang().as_deref(), Some("de"));
    assert_eq!(attribute("settings-error", "role").as_deref(), Some("alert"));
    assert_eq!(
        text("settings-error"),
        "Der Dienst ist gerade nicht erreichbar. Bitte versuchen Sie es in ein paar Minuten noch einmal."
    );
    assert_eq!(text("retry"), "Erneut versuchen");
    assert!(!exists("create-account"));
    assert!(
        leptos::prelude::window()
            .location()
            .search()
            .unwrap()
            .contains("lang=de"),
        "a reload keeps the language"
    );

    choose_language("en");
    settle().await;
    assert_eq!(html_lang().as_deref(), Some("en"));
    assert_eq!(
        text("settings-error"),
        "The service can't be reached right now. Please try again in a few minutes."
    );

    click("retry");
    settle().await;
    wait_until("the settings error again", || exists("settings-error")).await;
    assert_eq!(text("retry"), "Try again");
}
