//! A single checkbox with its label to the right and an optional hint.

use super::field::hint_id;
use leptos::prelude::*;

#[component]
pub fn CheckboxField(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    checked: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <div class="checkbox">
            <input
                class="checkbox__input"
                type="checkbox"
                id=id
                name=id
                aria-describedby=hint.map(|_| hint_id(id))
                prop:checked=checked
                on:change:target=move |event| checked.set(event.target().checked())
            />
            <label class="checkbox__label" for=id>
                {label}
            </label>
            {hint.map(|hint| view! { <p class="checkbox__hint" id=hint_id(id)>{hint}</p> })}
        </div>
    }
}
