//! A form's submit button: disabled, and saying so, while its request runs.

use leptos::prelude::*;

#[component]
pub fn SubmitButton(
    id: &'static str,
    label: &'static str,
    /// Shown while `pending`, e.g. "Creating account…".
    pending_label: &'static str,
    pending: Signal<bool>,
) -> impl IntoView {
    view! {
        <button type="submit" class="button" id=id disabled=pending>
            {move || if pending.get() { pending_label } else { label }}
        </button>
    }
}
