//! Step 3: logged in and handed off. At top level, on to the finAPI Web Form to connect a bank account,
//! and, back from it, how that ended.

use crate::api::ApiCall;
use crate::i18n::{Lang, Texts};
use finapi::WebFormStatus;
use leptos::leptos_dom::helpers::{window_event_listener_untyped, IntervalHandle};
use leptos::prelude::*;
use leptos::task::spawn_local;
use onboarding_api::{Handoff, WebFormProgress};
use std::time::Duration;

/// Checks of the Web Form's status: at most one per this many milliseconds.
const CHECK_INTERVAL_MS: u32 = 2000;

/// The Web Form id: the last path segment of its address (`…/wf/<id>` → `<id>`).
pub fn web_form_id(url: &str) -> Option<&str> {
    // Bytes, not `str` patterns: the searchers those pull in are bigger than this.
    let bytes = url.as_bytes();
    let end = bytes
        .iter()
        .position(|b| matches!(b, b'?' | b'#'))
        .unwrap_or(bytes.len());
    let host = bytes.windows(3).position(|w| w == b"://")? + 3;
    let path = host + bytes[host..end].iter().position(|b| *b == b'/')?;
    let mut end = end;
    while end > path && bytes[end - 1] == b'/' {
        end -= 1;
    }
    let start = path + bytes[path..end].iter().rposition(|b| *b == b'/')? + 1;
    (start < end).then(|| &url[start..end])
}

/// How a finished Web Form is told; `None` while it is not finished.
fn status_text(status: WebFormStatus, t: &Texts) -> Option<&'static str> {
    match status {
        WebFormStatus::Completed => Some(t.web_form_completed),
        WebFormStatus::CompletedWithError => Some(t.web_form_completed_with_error),
        WebFormStatus::Aborted | WebFormStatus::Cancelled => Some(t.web_form_aborted),
        WebFormStatus::Expired => Some(t.web_form_expired),
        WebFormStatus::NotYetOpened | WebFormStatus::InProgress => None,
    }
}

/// The checks of one Web Form's status.
struct Polling {
    id: String,
    /// When the last check was sent (`Date.now()`).
    last_check: f64,
    /// While the Web Form is open: the checks every [`CHECK_INTERVAL_MS`].
    interval: Option<IntervalHandle>,
}

#[component]
pub fn Done(
    #[prop(into)] lang: Signal<Lang>,
    handoff: Handoff,
    /// The partner page's host, when the form runs in its iframe and the handoff was posted to it.
    #[prop(default = None)]
    partner_host: Option<String>,
    /// Redirect mode: the host of the partner the person is being sent back to, with the handoff code.
    #[prop(default = None)]
    returning_to: Option<String>,
    /// `GET /api/web-forms/{id}` in the app, a stand-in in tests; without it the status is not shown.
    #[prop(optional)]
    web_form_progress: Option<ApiCall<String, WebFormProgress>>,
    /// "Start again" after a cancelled or expired Web Form.
    #[prop(optional)]
    on_start_again: Option<Callback<()>>,
) -> impl IntoView {
    super::keep_title(lang, |t| t.done_title, None);
    let Handoff {
        user_id, web_form_url, ..
    } = handoff;
    // Only a web address: never `javascript:` or the like. Framed, the partner page takes over.
    let web_form_url = web_form_url
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .filter(|_| partner_host.is_none() && returning_to.is_none());
    let status = RwSignal::new(None::<WebFormStatus>);
    let mut start_polling = None;

    let id = web_form_url.as_deref().and_then(web_form_id).map(str::to_owned);
    if let (Some(call), Some(id)) = (web_form_progress, id) {
        let polling = StoredValue::new(Polling {
            id,
            last_check: f64::MIN,
            interval: None,
        });
        let stop_polling = move || {
            if let Some(Some(interval)) = polling.try_update_value(|p| p.interval.take()) {
                interval.clear();
            }
        };
        let check = move || {
            let finished = status
                .try_get_untracked()
                .flatten()
                .is_some_and(WebFormStatus::is_final);
            let now = js_sys::Date::now();
            let due = polling.try_update_value(|p| {
                (!finished && now - p.last_check >= CHECK_INTERVAL_MS as f64).then(|| {
                    p.last_check = now;
                    p.id.clone()
                })
            });
            let Some(Some(id)) = due else {
                return;
            };
            let answer = call.run(id);
            spawn_local(async move {
                if let Ok(progress) = answer.await {
                    if progress.status.is_some_and(WebFormStatus::is_final) {
                        stop_polling();
                    }
                    _ = status.try_set(progress.status);
                }
            });
        };
        // Back from the Web Form (another tab, or this one from the back-forward cache).
        let listeners = ["focus", "visibilitychange", "pageshow"].map(|event| {
            window_event_listener_untyped(event, move |_| {
                if !document().hidden() {
                    check();
                }
            })
        });
        on_cleanup(move || {
            stop_polling();
            listeners.into_iter().for_each(|listener| listener.remove());
        });
        // While the Web Form is open.
        start_polling = Some(move || {
            polling.update_value(|p| {
                if p.interval.is_none() {
                    p.interval = set_interval_with_handle(check, Duration::from_millis(CHECK_INTERVAL_MS.into())).ok();
                }
            })
        });
    }

    let content = move || {
        let t = lang.get().texts();
        let partner = partner_host
            .as_ref()
            .map(|host| view! { <p class="done__partner">{t.passed_to_partner(host)}</p> });
        view! {
            <div class="done__mark" aria-hidden="true"></div>
            <h1 class="step__title" id="done-title" tabindex="-1">
                {t.done_title}
            </h1>
            <p>{t.signed_in_as(&user_id)}</p>
            {partner}
            {returning_to
                .as_ref()
                .map(|host| view! { <p class="done__partner" id="returning" role="status">{t.returning_to_partner(host)}</p> })}
        }
    };
    // Built again when the language or the status changes; the elements stay (the live region too).
    let bank = web_form_url.map(|url| {
        move || {
            let t = lang.get().texts();
            let status = status.get();
            let finished = status.is_some_and(WebFormStatus::is_final);
            // A cancelled or expired Web Form cannot be opened again: a new one needs a new log-in.
            let again = on_start_again.filter(|_| {
                matches!(
                    status,
                    Some(WebFormStatus::Aborted | WebFormStatus::Cancelled | WebFormStatus::Expired)
                )
            });
            view! {
                <p class="done__status message" id="web-form-status" aria-live="polite">
                    {status.and_then(|status| status_text(status, t))}
                </p>
                {again
                    .map(|start| {
                        view! {
                            <p class="offer">
                                <button type="button" class="button" id="start-again" on:click=move |_| start.run(())>
                                    {t.start_again}
                                </button>
                            </p>
                        }
                    })}
                {(!finished)
                    .then(|| {
                        view! {
                            <p>
                                <a
                                    class="button button--start"
                                    id="continue-to-bank"
                                    href=url.clone()
                                    on:click=move |_| start_polling.iter().for_each(|start| start())
                                >
                                    {t.continue_to_bank}
                                </a>
                            </p>
                            <p class="step__hint">{t.continue_to_bank_hint}</p>
                            // Or next to this page: the status shows here when the person comes back to it.
                            <p>
                                <a
                                    id="continue-to-bank-new-window"
                                    href=url.clone()
                                    target="_blank"
                                    rel="noopener noreferrer"
                                    on:click=move |_| start_polling.iter().for_each(|start| start())
                                >
                                    {t.open_bank_in_new_window}
                                    <span class="visually-hidden">" " {t.new_window_hint}</span>
                                </a>
                            </p>
                        }
                    })}
            }
        }
    });
    view! {
        <section class="step done" id="done" aria-labelledby="done-title">
            {content}
            {bank}
        </section>
    }
}
