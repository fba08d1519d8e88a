//! The finAPI onboarding form: create account → log in → done (hand off to the partner).
//!
//! A Leptos CSR app built by Trunk. It talks only to our proxy under `/api` ([`api`]); the JSON contract
//! and the sign-up rules are `onboarding_api`'s, so the form and the proxy check the same things.

pub mod api;
pub mod components;
pub mod embed;
pub mod i18n;
pub mod json;
pub mod onboarding;
pub mod page;
pub mod problem;
pub mod redirect;
pub mod steps;

use components::{LanguageSwitch, Offer};
use i18n::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding::Onboarding;
use onboarding_api::password_reset::RESET_FRAGMENT_KEY;
use onboarding_api::{ApiErrorCode, FormSettings, TenantSettings};

/// Where loading the settings stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SettingsState {
    Loading,
    Failed(StartFailure),
    Loaded(FormSettings),
}

/// Why the form cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StartFailure {
    /// The proxy cannot be reached: trying again may help.
    Unavailable,
    /// The address names a tenant the proxy does not know; trying again will not help.
    UnknownTenant,
    /// Redirect mode with a `return_url` the tenant does not allow: the form does not start, so that it
    /// cannot lead anywhere else.
    ReturnUrlNotAllowed,
}

impl StartFailure {
    fn of(error: &api::CallError) -> StartFailure {
        match error {
            api::CallError::Api(e) if e.error == ApiErrorCode::UnknownTenant => StartFailure::UnknownTenant,
            api::CallError::Api(e) if e.error == ApiErrorCode::ReturnUrlNotAllowed => StartFailure::ReturnUrlNotAllowed,
            _ => StartFailure::Unavailable,
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    // A language not compiled in is fetched first; until then the page waits, in English.
    let chosen = Lang::for_this_page();
    let lang = RwSignal::new(if chosen.is_built_in() { chosen } else { Lang::En });
    let language_ready = RwSignal::new(chosen.is_built_in());
    if !chosen.is_built_in() {
        spawn_local(async move {
            if i18n::load(chosen).await.is_ok() {
                lang.set(chosen);
            }
            language_ready.set(true);
        });
    }
    Effect::new(move |previous: Option<Lang>| {
        let current = lang.get();
        page::set_language(current.code());
        if previous.is_some() {
            page::remember_language(current.code());
        }
        current
    });

    // The look the partner asked for in the address, at once; the tenant's theme joins it once loaded.
    page::apply_appearance(&page::embed_appearance());
    // A reset link's code, taken out of the address at once.
    let reset_code = StoredValue::new(page::take_fragment_value(RESET_FRAGMENT_KEY));
    // Redirect mode: where to send the person back, once the proxy has allowed it.
    let return_to = StoredValue::new(redirect::ReturnTo::from_page_address());
    let tenant = RwSignal::new(None::<TenantSettings>);
    let state = RwSignal::new(SettingsState::Loading);
    let load = move || {
        state.set(SettingsState::Loading);
        if tenant.with_untracked(Option::is_none) {
            spawn_local(async move {
                if let Ok(settings) = api::fetch_tenant().await {
                    // The tenant's theme, each setting the embed options name overriding it.
                    let tenant_look = settings.theme.appearance().unwrap_or_default();
                    page::apply_appearance(&tenant_look.overridden_by(page::embed_appearance()));
                    tenant.set(Some(settings));
                }
            });
        }
        spawn_local(async move {
            let checked = match return_to.get_value() {
                Some(return_to) => api::check_return_url(return_to.url()).await,
                None => Ok(()),
            };
            let settings = match checked {
                Ok(()) => api::fetch_settings().await,
                Err(error) => Err(error),
            };
            state.set(match settings {
                Ok(settings) => SettingsState::Loaded(settings),
                Err(error) => SettingsState::Failed(StartFailure::of(&error)),
            });
        });
    };
    load();

    let content = move || match (language_ready.get(), state.get()) {
        (false, _) | (_, SettingsState::Loading) => view! {
            <p class="loading" role="status">
                {move || lang.get().texts().loading}
            </p>
        }
        .into_any(),
        (true, SettingsState::Failed(failure)) => {
            let retry = move |()| load();
            (move || {
                let t = lang.get().texts();
                let message = match failure {
                    StartFailure::Unavailable => t.settings_unavailable,
                    StartFailure::UnknownTenant => t.unknown_tenant,
                    StartFailure::ReturnUrlNotAllowed => t.return_url_not_allowed,
                };
                view! {
                    <div class="step">
                        <h1 class="step__title">{t.create_account_title}</h1>
                        <div class="notice notice--error" id="settings-error" role="alert">
                            <p>{message}</p>
                        </div>
                        <Offer
                            id="retry"
                            label=t.try_again
                            shown=failure == StartFailure::Unavailable
                            on_click=retry
                        />
                    </div>
                }
            })
            .into_any()
        }
        (true, SettingsState::Loaded(settings)) => {
            let reset_code = reset_code.get_value();
            let return_to = return_to.get_value();
            view! { <Onboarding lang settings tenant reset_code return_to /> }.into_any()
        }
    };

    view! {
        <div class="page">
            <header class="page__header">
                <span class="brand">"finAPI"</span>
                <LanguageSwitch lang />
            </header>
            <main class="card" id="main">
                {content}
            </main>
        </div>
    }
}
