//! Step 3: logged in and handed off.

use crate::i18n::Lang;
use leptos::prelude::*;
use onboarding_api::Handoff;

#[component]
pub fn Done(
    #[prop(into)] lang: Signal<Lang>,
    handoff: Handoff,
    /// The partner page's host, when the form runs in its iframe and the handoff was posted to it.
    #[prop(default = None)]
    partner_host: Option<String>,
) -> impl IntoView {
    super::keep_title(lang, |t| t.done_title, None);
    let Handoff {
        user_id, web_form_url, ..
    } = handoff;
    // Only a web address: never `javascript:` or the like.
    let web_form_url = web_form_url.filter(|url| url.starts_with("https://") || url.starts_with("http://"));
    let content = move || {
        let t = lang.get().texts();
        // Framed: the partner page takes over. At top level: on to connecting a bank account.
        let partner = partner_host
            .as_ref()
            .map(|host| view! { <p class="done__partner">{(t.passed_to_partner)(host)}</p> });
        let bank = web_form_url.as_ref().filter(|_| partner_host.is_none()).map(|url| {
            view! {
                <p>
                    <a class="button button--start" id="continue-to-bank" href=url.clone()>
                        {t.continue_to_bank}
                    </a>
                </p>
                <p class="step__hint">{t.continue_to_bank_hint}</p>
            }
        });
        view! {
            <div class="done__mark" aria-hidden="true"></div>
            <h1 class="step__title" id="done-title" tabindex="-1">
                {t.done_title}
            </h1>
            <p>{(t.signed_in_as)(&user_id)}</p>
            {partner}
            {bank}
        }
    };
    view! {
        <section class="step done" id="done" aria-labelledby="done-title">
            {content}
        </section>
    }
}
