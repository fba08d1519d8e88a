//! The GOV.UK error summary: at the top of the step, one link per problem to the field to fix, in the
//! same words as under the field. [`show`] puts problems in it and moves focus to it.

use crate::i18n::Lang;
use crate::page;
use crate::problem::Problem;
use leptos::prelude::*;
use onboarding_api::FormField;

/// The id of the summary.
pub const ERROR_SUMMARY_ID: &str = "error-summary";

/// Shows the problems a submit found; if there are any, focus moves to the summary (once it is in the
/// page), so that screen reader users hear them first.
pub fn show(problems: RwSignal<Vec<Problem>>, found: Vec<Problem>) {
    let any = !found.is_empty();
    problems.set(found);
    if any {
        page::focus_after_render(ERROR_SUMMARY_ID);
    }
}

#[component]
pub fn ErrorSummary(
    #[prop(into)] lang: Signal<Lang>,
    #[prop(into)] problems: Signal<Vec<Problem>>,
    /// The input id of each field of this step.
    field_id: fn(FormField) -> &'static str,
) -> impl IntoView {
    move || {
        let texts = lang.get().texts();
        let problems = problems.get();
        (!problems.is_empty()).then(|| {
            let items = problems
                .into_iter()
                .map(|problem| {
                    // Problems that no field can fix (e.g. "service unreachable") are no link.
                    let target = problem.summary_target().map(field_id);
                    view! {
                        <li>
                            <a
                                href=target.map(|target| format!("#{target}"))
                                on:click=move |event| {
                                    if let Some(target) = target {
                                        event.prevent_default();
                                        page::focus(target);
                                    }
                                }
                            >
                                {problem.message(texts)}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div
                    class="error-summary"
                    id=ERROR_SUMMARY_ID
                    role="alert"
                    tabindex="-1"
                    aria-labelledby="error-summary-title"
                >
                    <h2 class="error-summary__title" id="error-summary-title">
                        {texts.error_summary_title}
                    </h2>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}
