//! A button offering the way on from a problem or an outcome, e.g. "Reset your password" for a locked
//! account: shown while `shown`. One component for every such offer keeps the wasm small.

use leptos::prelude::*;

#[component]
pub fn Offer(
    id: &'static str,
    label: &'static str,
    #[prop(into)] shown: Signal<bool>,
    #[prop(into)] on_click: Callback<()>,
) -> impl IntoView {
    move || {
        shown.get().then(|| {
            view! {
                <p class="offer">
                    <button type="button" class="button" id=id on:click=move |_| on_click.run(())>
                        {label}
                    </button>
                </p>
            }
        })
    }
}
