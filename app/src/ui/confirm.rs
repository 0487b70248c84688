//! Asking twice before a public or destructive action (publishing results, announcing or
//! deleting a draft, disqualifying after publication). The button opens a box that says what
//! will happen, with the form's real submit button (**Xác nhận**) and **Huỷ**.
//!
//! It is a `<details>` element, so it works before the page's WASM has loaded; once hydrated,
//! opening it moves focus to the confirm button and **Huỷ** closes it.

use crate::i18n::t;
use leptos::html;
use leptos::prelude::*;

/// Place inside the action's form, after its hidden inputs. `id` names the box (tests and
/// `aria-describedby` use it); `message` says what confirming will do.
#[component]
pub fn Confirm(id: &'static str, label: String, message: String, #[prop(optional)] danger: bool) -> impl IntoView {
    let lang = super::use_lang();
    let details = NodeRef::<html::Details>::new();
    let confirm = NodeRef::<html::Button>::new();
    let class = if danger { "button danger" } else { "button" };
    let message_id = format!("{id}-message");
    let on_toggle = move |_| {
        if details.get().is_some_and(|d| d.open()) {
            if let Some(button) = confirm.get() {
                let _ = button.focus();
            }
        }
    };
    let cancel = move |_| {
        if let Some(d) = details.get() {
            d.set_open(false);
        }
    };
    view! {
        <details class="confirm" id=id node_ref=details on:toggle=on_toggle>
            <summary class=class>{label}</summary>
            <div class="confirm-box" role="group" aria-describedby=format!("{id}-message")>
                <p id=message_id>{message}</p>
                <p class="actions">
                    <button type="submit" class=class node_ref=confirm>{t(lang, "confirm.confirm")}</button>
                    <button type="button" class="button secondary" on:click=cancel>{t(lang, "confirm.cancel")}</button>
                </p>
            </div>
        </details>
    }
}
