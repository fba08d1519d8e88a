//! A labelled text input (user id, email, phone).

use super::field::{described_by, FieldHead};
use crate::i18n::Texts;
use leptos::prelude::*;

#[component]
pub fn TextField(
    /// The input's id; its hint and error get `<id>-hint` and `<id>-error`.
    id: &'static str,
    texts: &'static Texts,
    label: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    /// The message under the field, while there is a problem with it.
    error: Signal<Option<String>>,
    value: RwSignal<String>,
    /// `type`: `text`, `email` or `tel`.
    #[prop(default = "text")]
    input_type: &'static str,
    autocomplete: &'static str,
    /// Marked "(optional)" in the label.
    #[prop(optional)]
    optional: bool,
    /// An identifier, not prose: no spell checking, no automatic capitals.
    #[prop(optional)]
    identifier: bool,
) -> impl IntoView {
    let has_hint = hint.is_some();
    let has_error = move || error.with(Option::is_some);
    view! {
        <div class="field" class:field--error=has_error>
            <FieldHead id texts label optional hint error />
            <input
                class="field__input"
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                spellcheck=identifier.then_some("false")
                autocapitalize=identifier.then_some("off")
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || described_by(id, has_hint, has_error())
                prop:value=value
                on:input:target=move |event| value.set(event.target().value())
            />
        </div>
    }
}
