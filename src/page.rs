//! The page around the form: its address, title, language and focus.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A parameter of the page address, e.g. `lang` in `?lang=en`.
pub fn query_parameter(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// Puts `?lang=<code>` into the address without reloading, so a reload keeps the language. Other
/// parameters (e.g. `parent`) stay.
pub fn remember_language(code: &str) {
    let location = window().location();
    let (Ok(search), Ok(path), Ok(hash)) = (location.search(), location.pathname(), location.hash()) else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    params.set("lang", code);
    let address = format!("{path}?{}{hash}", String::from(params.to_string()));
    if let Ok(history) = window().history() {
        _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// `<html lang>`: screen readers pick their voice from it.
pub fn set_language(code: &str) {
    if let Some(html) = document().document_element() {
        _ = html.set_attribute("lang", code);
    }
}

pub fn set_title(title: &str) {
    document().set_title(title);
}

/// Moves keyboard focus to the element with this id, if there is one.
pub fn focus(id: &str) {
    if let Some(element) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        _ = element.focus();
    }
}

/// Moves keyboard focus to the first element matching a CSS selector, if there is one.
pub fn focus_first(selector: &str) {
    if let Some(element) = document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        _ = element.focus();
    }
}

/// Moves focus to the element with this id once the changes just made to signals are in the page.
///
/// Setting a signal queues the views that read it; a task spawned afterwards runs after them.
pub fn focus_after_render(id: &'static str) {
    leptos::task::spawn_local(async move {
        leptos::task::tick().await;
        focus(id);
    });
}
