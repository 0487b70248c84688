//! Trang chủ: the rounds open now, upcoming and with published results, and the way in.

use crate::accounts::auth_ui::use_auth;
use crate::ui::tr;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let user = use_auth().user;
    view! {
        <section class="hero">
            <h1>{tr("home.heading")}</h1>
            <p>{tr("home.intro")}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let signed_in = matches!(user.await, Ok(Some(_)));
                    (!signed_in).then(|| view! {
                        <p class="actions">
                            <A href="/register" attr:class="button">{tr("nav.register")}</A>
                            <A href="/login" attr:class="button secondary">{tr("nav.login")}</A>
                        </p>
                    })
                })}
            </Transition>
        </section>
        <section class="card" aria-labelledby="current-contests">
            <h2 id="current-contests">{tr("home.current")}</h2>
            <crate::rounds::take::RoundList/>
        </section>
    }
}
