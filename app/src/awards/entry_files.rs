//! The files of a draft entry on its page: the list with players and a delete button each, and
//! the upload field. Both work as plain form buttons of the entry form (posting what was typed
//! with them, so the draft is saved and nothing is lost), and, once the page is hydrated, in the
//! page itself: the file goes up with `XMLHttpRequest` and a progress bar, a file is deleted
//! through the API, and the text being typed above stays as it is.

use super::entry_pages::{FileItem, size_text};
use super::model::EntryFile;
use crate::i18n::{fill, t};
use crate::ui::use_lang;
use leptos::prelude::*;

/// Where an upload from the page stands (set only in the browser).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Upload {
    Idle,
    /// Percent sent.
    Sending(u32),
    Done(String),
    /// The message to show beside the field.
    Failed(String),
}

/// The file part of the draft entry form. `upload_error` / `note`: what a plain post's
/// redirect reported (`?loi=…`, `?tep=ok` / `?xoa=ok`).
#[component]
pub fn DraftFiles(
    entry_id: i64,
    files: Vec<EntryFile>,
    needs_file: bool,
    max_mb: i64,
    #[prop(into)] upload_error: Signal<Option<String>>,
    #[prop(into)] note: Signal<Option<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let files = RwSignal::new(files);
    let state = RwSignal::new(Upload::Idle);
    let deleted = RwSignal::new(false);
    let too_big = RwSignal::new(false);
    let limit_bytes = (max_mb * 1024 * 1024) as f64;
    let input = NodeRef::<leptos::html::Input>::new();
    let on_upload = move |ev: leptos::ev::MouseEvent| {
        // In the hydrated page the file goes up here, not with a page load.
        ev.prevent_default();
        if too_big.get_untracked() || matches!(state.get_untracked(), Upload::Sending(_)) {
            return;
        }
        deleted.set(false);
        #[cfg(feature = "hydrate")]
        send::upload(entry_id, input, files, state, lang);
    };
    let on_delete = move |id: i64| {
        deleted.set(false);
        state.set(Upload::Idle);
        #[cfg(feature = "hydrate")]
        send::delete(id, files, deleted, state, lang);
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let notice = move || match (state.get(), deleted.get(), note.get().as_deref()) {
        (Upload::Done(name), _, _) => {
            Some(fill(&t(lang, "aw.file_saved_named"), &[("name", &name)]))
        }
        (_, true, _) | (Upload::Idle, _, Some("xoa")) => Some(t(lang, "aw.file_deleted")),
        (Upload::Idle, _, Some("tep")) => Some(t(lang, "aw.file_saved")),
        _ => None,
    };
    view! {
        <fieldset class="files" id="files">
            <legend>{t(lang, "aw.files")}</legend>
            {move || notice().map(|text| view! { <div class="notice" role="status" id="file-notice">{text}</div> })}
            <ul class="file-list">
                <For each=move || files.get() key=|f| f.id let:f>
                    {
                        let (id, name) = (f.id, f.original_name.clone());
                        view! {
                            <FileItem file=f>
                                <button type="submit" class="link-button danger" formaction=format!("/tac-pham/{entry_id}/tep/{id}/xoa") formmethod="post" formnovalidate=true
                                    aria-label=fill(&t(lang, "aw.delete_file_named"), &[("name", &name)]) on:click=move |ev| { ev.prevent_default(); on_delete(id) }>{t(lang, "aw.delete_file")}</button>
                            </FileItem>
                        }
                    }
                </For>
            </ul>
            <div class="field">
                <label for="f-file">{t(lang, if needs_file { "aw.add_file_required" } else { "aw.add_file" })}</label>
                <p class="hint" id="file-hint">{fill(&t(lang, "aw.file_hint"), &[("mb", &max_mb.to_string())])}</p>
                <input id="f-file" name="file" type="file" accept=".mp3,.m4a,.wav,.mp4,.pdf,.jpg,.jpeg,.png,.webp" node_ref=input aria-describedby="file-hint"
                    aria-invalid=move || (upload_error.get().is_some() || too_big.get() || matches!(state.get(), Upload::Failed(_))).then_some("true")
                    on:change=move |ev| { state.set(Upload::Idle); too_big.set(chosen_size(&ev) > limit_bytes) }/>
                {move || too_big.get().then(|| view! { <p class="field-error" id="err-file-size" role="alert">{fill(&t(lang, "aw.file_too_big"), &[("mb", &max_mb.to_string())])}</p> })}
                {move || match state.get() {
                    Upload::Sending(pct) => view! {
                        <div class="upload-progress" role="status">
                            <label for="upload-progress">{fill(&t(lang, "aw.uploading"), &[("pct", &pct.to_string())])}</label>
                            <progress id="upload-progress" max="100" value=pct aria-label=t(lang, "aw.upload_progress")>{format!("{pct}%")}</progress>
                        </div>
                    }.into_any(),
                    Upload::Failed(message) => view! { <p class="field-error" id="err-file" role="alert">{message}</p> }.into_any(),
                    _ => upload_error.get().map(|key| view! { <p class="field-error" id="err-file" role="alert">{t(lang, &key)}</p> }).into_any(),
                }}
            </div>
            <button type="submit" class="button secondary" id="upload-button" formaction=format!("/tac-pham/{entry_id}/tep") formmethod="post" formenctype="multipart/form-data" formnovalidate=true
                on:click=on_upload disabled=move || matches!(state.get(), Upload::Sending(_))>{t(lang, "aw.upload")}</button>
        </fieldset>
    }
}

/// The size in bytes of the file chosen in a file input (0 before the WASM runs).
pub fn chosen_size(ev: &leptos::ev::Event) -> f64 {
    #[cfg(feature = "hydrate")]
    {
        let input: web_sys::HtmlInputElement = event_target(ev);
        input
            .files()
            .and_then(|f| f.get(0))
            .map(|f| f.size())
            .unwrap_or(0.0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        0.0
    }
}

/// A file's size for the list, also used by the plain list.
pub fn file_label(f: &EntryFile) -> String {
    format!("{} ({})", f.original_name, size_text(f.size_bytes))
}

#[cfg(feature = "hydrate")]
mod send {
    //! The requests, over `XMLHttpRequest` (the one browser API that reports upload progress).
    use super::Upload;
    use crate::awards::model::EntryFile;
    use crate::i18n::{Lang, t};
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{FormData, ProgressEvent, XmlHttpRequest};

    /// The message of an API refusal: the file field's, else the general one.
    fn refusal(xhr: &XmlHttpRequest, lang: Lang) -> String {
        let body: Option<serde_json::Value> = xhr
            .response_text()
            .ok()
            .flatten()
            .and_then(|text| serde_json::from_str(&text).ok());
        body.and_then(|b| {
            b["fields"]["file"]["message"]
                .as_str()
                .or(b["message"].as_str())
                .map(String::from)
        })
        .unwrap_or_else(|| t(lang, "aw.upload_failed"))
    }

    pub fn upload(
        entry_id: i64,
        input: NodeRef<leptos::html::Input>,
        files: RwSignal<Vec<EntryFile>>,
        state: RwSignal<Upload>,
        lang: Lang,
    ) {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let Some(file) = el.files().and_then(|f| f.get(0)) else {
            state.set(Upload::Failed(t(lang, "err.import_empty")));
            return;
        };
        let (Ok(xhr), Ok(data)) = (XmlHttpRequest::new(), FormData::new()) else {
            return;
        };
        if data
            .append_with_blob_and_filename("file", &file, &file.name())
            .is_err()
            || xhr
                .open("POST", &format!("/api/v1/award-entries/{entry_id}/files"))
                .is_err()
        {
            state.set(Upload::Failed(t(lang, "aw.upload_failed")));
            return;
        }
        state.set(Upload::Sending(0));
        let progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                // 99 at most until the server has answered: the file is stored, not just sent.
                state.set(Upload::Sending(
                    ((e.loaded() / e.total()) * 100.0).min(99.0) as u32,
                ));
            }
        });
        if let Ok(up) = xhr.upload() {
            up.set_onprogress(Some(progress.as_ref().unchecked_ref()));
        }
        progress.forget();
        let answered = xhr.clone();
        let done = Closure::once_into_js(move || match answered.status().unwrap_or(0) {
            201 => match answered
                .response_text()
                .ok()
                .flatten()
                .and_then(|text| serde_json::from_str::<EntryFile>(&text).ok())
            {
                Some(f) => {
                    let name = f.original_name.clone();
                    files.update(|list| list.push(f));
                    el.set_value("");
                    state.set(Upload::Done(name));
                }
                None => state.set(Upload::Failed(t(lang, "aw.upload_failed"))),
            },
            0 => state.set(Upload::Failed(t(lang, "aw.upload_failed"))),
            _ => state.set(Upload::Failed(refusal(&answered, lang))),
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
        if xhr.send_with_opt_form_data(Some(&data)).is_err() {
            state.set(Upload::Failed(t(lang, "aw.upload_failed")));
        }
    }

    pub fn delete(
        id: i64,
        files: RwSignal<Vec<EntryFile>>,
        deleted: RwSignal<bool>,
        state: RwSignal<Upload>,
        lang: Lang,
    ) {
        let Ok(xhr) = XmlHttpRequest::new() else {
            return;
        };
        if xhr
            .open("DELETE", &format!("/api/v1/award-files/{id}"))
            .is_err()
        {
            return;
        }
        let answered = xhr.clone();
        let done = Closure::once_into_js(move || match answered.status().unwrap_or(0) {
            204 | 404 => {
                files.update(|list| list.retain(|f| f.id != id));
                deleted.set(true);
            }
            0 => state.set(Upload::Failed(t(lang, "aw.upload_failed"))),
            _ => state.set(Upload::Failed(refusal(&answered, lang))),
        });
        xhr.set_onloadend(Some(done.unchecked_ref()));
        let _ = xhr.send();
    }
}
