//! A two-step confirmation for actions that are hard to take back (closing a call, publishing):
//! the first button opens a box that says what will happen, with the real button and a cancel.
//! It is a `<details>` disclosure, so it works before and without the WASM too; once hydrated,
//! opening moves the focus into the box and Cancel closes it and returns the focus.

use super::use_lang;
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn Confirm(
    /// The element id (the box is `{id}-box`, its heading `{id}-title`).
    #[prop(into)]
    id: String,
    /// What the first button says.
    #[prop(into)]
    label: String,
    /// A red first button (undoing something public).
    #[prop(optional)]
    danger: bool,
    /// The box's heading.
    #[prop(into)]
    title: String,
    /// What will happen, and the form with the button that does it.
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let details = NodeRef::<leptos::html::Details>::new();
    let panel = NodeRef::<leptos::html::Div>::new();
    let summary = NodeRef::<leptos::html::Summary>::new();
    let on_toggle = move |_| {
        if let (Some(d), Some(p)) = (details.get_untracked(), panel.get_untracked())
            && d.has_attribute("open")
        {
            let _ = p.focus();
        }
    };
    let cancel = move |_| {
        if let Some(d) = details.get_untracked() {
            let _ = d.remove_attribute("open");
        }
        if let Some(s) = summary.get_untracked() {
            let _ = s.focus();
        }
    };
    let (box_id, title_id, labelled_by) = (
        format!("{id}-box"),
        format!("{id}-title"),
        format!("{id}-title"),
    );
    view! {
        <details class="confirm" id=id node_ref=details on:toggle=on_toggle>
            <summary class=if danger { "button danger" } else { "button" } node_ref=summary>{label}</summary>
            <div class="confirm-box" id=box_id role="alertdialog" aria-labelledby=labelled_by tabindex="-1" node_ref=panel>
                <h3 id=title_id>{title}</h3>
                {children()}
                <button type="button" class="button secondary confirm-cancel" on:click=cancel>{t(lang, "common.cancel")}</button>
            </div>
        </details>
    }
}

/// The common case inside a form whose fields are already on the page (publishing results,
/// announcing or deleting a draft, disqualifying after publication): the box says `message`
/// and its button submits the form around it.
#[component]
pub fn ConfirmSubmit(
    /// The element id, as for [`Confirm`].
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    /// What confirming will do, and how to undo it where it can be undone.
    #[prop(into)]
    message: String,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let lang = use_lang();
    let class = if danger { "button danger" } else { "button" };
    view! {
        <Confirm id label=label.clone() danger title=label>
            <p>{message}</p>
            <button type="submit" class=class>{t(lang, "confirm.confirm")}</button>
        </Confirm>
    }
}
