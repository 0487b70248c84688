//! The attempt page on the server: loads the attempt (submitting it first if its time ran out)
//! and renders the attempt island, or the way to the result of a submitted one.

use super::attempt_island::{AttemptIsland, TEXT_KEYS};
use super::server_fns::get_attempt;
use crate::ui::param_id;
use crate::ui::load_error;
use crate::i18n::{Texts, t};
use crate::ui::forms::loading;
use crate::ui::use_lang;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AttemptPage() -> impl IntoView {
    let id = param_id("id");
    let lang = use_lang();
    let query = use_query_map();
    let attempt = Resource::new(id, get_attempt);
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match attempt.await {
                    Ok(a) if a.status == super::model::AttemptStatus::Open => {
                        // The plain form's outcome comes back in the address (`?saved=1`, `?err=…`).
                        let notice = query.with_untracked(|q| {
                            q.get("err").filter(|k| k.starts_with("err.")).map(|k| (true, t(lang, &k)))
                                .or_else(|| q.get("saved").map(|_| (false, t(lang, "rounds.saved_all"))))
                        });
                        view! { <AttemptIsland attempt=a texts=Texts::pick(lang, TEXT_KEYS) notice/> }.into_any()
                    }
                    Ok(a) => view! { <AttemptClosed id=a.id/> }.into_any(),
                    Err(e) => load_error(e),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AttemptClosed(id: i64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card narrow">
            <p>{t(lang, "rounds.already_submitted")}</p>
            <p><a class="button" href=format!("/bai-thi/{id}/ket-qua")>{t(lang, "rounds.view_result")}</a></p>
        </section>
    }
}
