//! The page around the form: its address, title, language and focus.

use leptos::prelude::*;
use onboarding_api::appearance::Appearance;
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

/// The value of `key` in the address fragment (`#key=value`, e.g. a reset link's code). The fragment is
/// then removed from the address (without reloading), so that the value does not linger in the history.
pub fn take_fragment_value(key: &str) -> Option<String> {
    let location = window().location();
    let hash = location.hash().ok()?;
    let value = web_sys::UrlSearchParams::new_with_str(hash.strip_prefix('#')?)
        .ok()?
        .get(key)?;
    let address = format!("{}{}", location.pathname().ok()?, location.search().ok()?);
    if let Ok(history) = window().history() {
        _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
    Some(value).filter(|value| !value.is_empty())
}

/// The look the embed options ask for (`?theme=dark&brand=%23…`, as the loader script writes them).
/// A value off the safe list is left out (and said on the console); the others still apply.
pub fn embed_appearance() -> Appearance {
    use onboarding_api::appearance::option_names::*;
    let mut appearance = Appearance::default();
    for name in [BASE, BRAND, TEXT, BACKGROUND, RADIUS, FONT, SPACING] {
        if let Some(value) = query_parameter(name) {
            if let Err(error) = appearance.set(name, &value) {
                leptos::logging::warn!("finapi-onboarding: {error}");
            }
        }
    }
    appearance
}

/// Puts a look on the page: `data-theme` on the root picks the base palette in style/main.css, and the
/// custom properties override it. Through the CSSOM, which the page's CSP allows (a `style` attribute
/// it would not).
pub fn apply_appearance(appearance: &Appearance) {
    let resolved = appearance.resolve();
    let Some(root) = document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    _ = root.set_attribute("data-theme", resolved.base.as_str());
    let style = root.style();
    for (property, value) in &resolved.variables {
        _ = style.set_property(property, value);
    }
}

/// A new entry in the browser's session history for the step at `depth`, at the same address: the back
/// button then returns to the step before (see `onboarding::Onboarding`).
pub fn push_history_entry(depth: usize) {
    if let Ok(history) = window().history() {
        _ = history.push_state(&wasm_bindgen::JsValue::from(depth as f64), "");
    }
}

/// The depth a `popstate` event returns to: what [`push_history_entry`] stored, 0 for the first entry.
pub fn history_depth(event: &web_sys::Event) -> usize {
    js_sys::Reflect::get(event, &wasm_bindgen::JsValue::from_str("state"))
        .ok()
        .and_then(|state| state.as_f64())
        .map_or(0, |depth| depth as usize)
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
