//! What every field has around its input: a label, an optional hint and, after a failed submit, an error
//! message, tied to the input by `aria-describedby`.

use crate::i18n::Texts;
use leptos::prelude::*;

/// The id of a field's hint.
pub fn hint_id(id: &str) -> String {
    format!("{id}-hint")
}

/// The id of a field's error message.
pub fn error_id(id: &str) -> String {
    format!("{id}-error")
}

/// `aria-describedby` of an input: its hint and, while there is one, its error.
pub fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    match (has_hint, has_error) {
        (true, true) => Some(format!("{} {}", hint_id(id), error_id(id))),
        (true, false) => Some(hint_id(id)),
        (false, true) => Some(error_id(id)),
        (false, false) => None,
    }
}

/// The label, hint and error message of the input `id`, in this order (GOV.UK).
#[component]
pub fn FieldHead(
    id: &'static str,
    texts: &'static Texts,
    label: &'static str,
    /// "(optional)" after the label.
    optional: bool,
    hint: Option<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <label class="field__label" for=id>
            {label}
            {optional.then(|| view! { " " <span class="field__optional">{texts.optional}</span> })}
        </label>
        {hint.map(|hint| view! { <p class="field__hint" id=hint_id(id)>{hint}</p> })}
        {move || {
            error
                .get()
                .map(|message| {
                    view! {
                        <p class="field__error" id=error_id(id)>
                            <span class="visually-hidden">{texts.error_title_prefix}</span>
                            {message}
                        </p>
                    }
                })
        }}
    }
}
