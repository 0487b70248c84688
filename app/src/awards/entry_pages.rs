//! The entrant's pages: the awards home (editions, own entries, a new entry), the entry page
//! (fields, files with players, submission, withdrawal) and the public results.

use crate::vn_time::show_secs;
use super::model::*;
use super::forms::{authors_text, duration_text};
use super::server_fns::{NewEntry, SaveEntry, SubmitAwardEntry, WithdrawAwardEntry, award_results, awards_home, load_entry_page};
use crate::codes::Code;
use crate::ui::{Loaded, Table, param_id, use_lang};
use crate::error::AppError;
use crate::i18n::{Lang, fill, t};
use super::entry_files::DraftFiles;
use crate::ui::forms::{FieldError, FormError, action_error, form_area, form_input};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

pub fn genre_key(g: Genre) -> String {
    format!("aw.genre_{}", g.code())
}

pub fn status_key(s: EntryStatus) -> String {
    format!("aw.status_{}", s.code())
}

pub fn phase_key(p: Phase) -> String {
    format!("aw.phase_{}", p.code())
}

/// "Hạn nộp: … Tác phẩm phát sóng/đăng tải từ … đến …", shown wherever an edition is.
pub fn deadline_window(lang: Lang, c: &CompetitionInput) -> String {
    fill(&t(lang, "aw.deadline_window"), &[("deadline", &show_secs(c.deadline)), ("from", &crate::vn_time::iso_date_text(&c.window_from)), ("to", &crate::vn_time::iso_date_text(&c.window_to))])
}

pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 { format!("{:.1} MB", bytes as f64 / 1048576.0).replace('.', ",") } else { format!("{} KB", (bytes + 1023) / 1024) }
}

/// One file of an entry: its player (audio and video play, and seek, in the page), its link
/// with name and size, and its kind, as separate items; `children` adds actions (delete).
#[component]
pub fn FileItem(file: EntryFile, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let lang = use_lang();
    let f = file;
    let src = format!("/api/v1/award-files/{}", f.id);
    let label = super::entry_files::file_label(&f);
    let player = match f.kind {
        FileKind::Audio => view! { <audio controls preload="metadata" src=src.clone() aria-label=label.clone()></audio> }.into_any(),
        FileKind::Video => view! { <video controls preload="metadata" src=src.clone() aria-label=label.clone() width="100%"></video> }.into_any(),
        FileKind::Image => view! { <img src=src.clone() alt=label.clone() loading="lazy"/> }.into_any(),
        FileKind::Pdf => ().into_any(),
    };
    view! {
        <li class=format!("file file-{}", f.kind.code())>
            {player}
            <span class="file-meta">
                <a href=src rel="external" target="_blank">{label}</a>
                " · "
                <span class="hint">{t(lang, &format!("aw.kind_{}", f.kind.code()))}</span>
                {children.map(|c| view! { " · " {c()} })}
            </span>
        </li>
    }
}

/// The players and links of an entry's files.
#[component]
pub fn FileList(files: Vec<EntryFile>) -> impl IntoView {
    view! {
        <ul class="file-list">
            {files.into_iter().map(|f| view! { <FileItem file=f/> }).collect_view()}
        </ul>
    }
}

#[component]
pub fn AwardsPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<NewEntry>::new();
    let err = action_error(create.value());
    let home = Resource::new(|| (), |_| awards_home());
    view! {
        <Loaded resource=home let:data>
            {
                let open: Vec<Competition> = data.competitions.iter().filter(|c| c.phase == Phase::Entries).cloned().collect();
                view! {
                    <section class="card">
                        <h1>{t(lang, "aw.heading")}</h1>
                        <p class="actions">
                            {data.judge.then(|| view! { <A href="/giam-khao" attr:class="button secondary">{t(lang, "aw.judge_home")}</A> })}
                            {data.organizer.then(|| view! { <A href="/admin/giai-thuong" attr:class="button secondary">{t(lang, "aw.manage")}</A> })}
                        </p>
                        <ul class="round-list">
                            {data.competitions.clone().into_iter().map(|c| {
                                let href = if c.phase == Phase::Published { format!("/giai-thuong/{}/ket-qua", c.id) } else { String::new() };
                                let window = deadline_window(lang, &c.settings);
                                let title = c.settings.title;
                                view! {
                                    <li>
                                        <span class="badge">{t(lang, &phase_key(c.phase))}</span>
                                        " "
                                        {if href.is_empty() { view! { <strong>{title}</strong> }.into_any() } else { view! { <A href=href>{title}</A> }.into_any() }}
                                        " "
                                        <span class="hint edition-window">{window}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                    <section class="card" aria-labelledby="my-entries">
                        <h2 id="my-entries">{t(lang, "aw.my_entries")}</h2>
                        {if data.entries.is_empty() {
                            view! { <p class="empty">{t(lang, "aw.no_entries")}</p> }.into_any()
                        } else {
                            view! {
                                <Table heads=&["aw.title", "aw.genre", "aw.competition", "aw.status"]>
                                    {data.entries.clone().into_iter().map(|e| view! {
                                        <tr>
                                            <td><A href=format!("/tac-pham/{}", e.id)>{e.input.title.clone()}</A></td>
                                            <td>{t(lang, &genre_key(e.input.genre))}</td>
                                            <td>{e.competition_title.clone()}</td>
                                            <td>{t(lang, &status_key(e.status))}{e.prize.clone().map(|p| format!(" — {p}"))}</td>
                                        </tr>
                                    }).collect_view()}
                                </Table>
                            }.into_any()
                        }}
                    </section>
                    {(!open.is_empty()).then(move || view! {
                        <section class="card" aria-labelledby="new-entry">
                            <h2 id="new-entry">{t(lang, "aw.new_entry")}</h2>
                            <ActionForm action=create attr:class="form">
                                <FormError err/>
                                <div class="field">
                                    <label for="f-competition">{t(lang, "aw.competition")}</label>
                                    <select id="f-competition" name="competition_id">
                                        {open.iter().map(|c| view! { <option value=c.id>{c.settings.title.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="f-genre">{t(lang, "aw.genre")}</label>
                                    <select id="f-genre" name="genre">
                                        // Every genre of the open editions; the server refuses one the chosen edition lacks.
                                        {Genre::ALL.iter().copied().filter(|g| open.iter().any(|c| c.settings.genres.contains(g))).map(|g| view! { <option value=g.code()>{t(lang, &genre_key(g))}</option> }).collect_view()}
                                    </select>
                                    <FieldError err field="genre"/>
                                </div>
                                <div class="field">
                                    <label for="f-title">{t(lang, "aw.title")}</label>
                                    <input id="f-title" name="title" type="text" required/>
                                    <FieldError err field="title"/>
                                </div>
                                <button type="submit" class="button">{t(lang, "aw.create_draft")}</button>
                            </ActionForm>
                        </section>
                    })}
                }
            }
        </Loaded>
    }
}

#[component]
pub fn EntryPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let save = ServerAction::<SaveEntry>::new();
    let submit = ServerAction::<SubmitAwardEntry>::new();
    let withdraw = ServerAction::<WithdrawAwardEntry>::new();
    let (save_err, submit_err, withdraw_err) = (action_error(save.value()), action_error(submit.value()), action_error(withdraw.value()));
    // The submission's field problems show beside the fields, like the save's; a new save
    // clears the last submission's problems so they do not linger once fixed.
    let err = Signal::derive(move || submit_err.get().or_else(|| save_err.get()));
    Effect::new(move |_| {
        if save.pending().get() {
            submit.value().set(None);
        }
    });
    let query = use_query_map();
    let upload_error = Signal::derive(move || query.read().get("loi"));
    // What a plain post (no JavaScript) reported on its way back: a file stored or deleted, or
    // the draft saved with it.
    let file_note = Signal::derive(move || ["tep", "xoa"].into_iter().find(|k| query.read().get(k).is_some()).map(String::from));
    let saved_plain = move || query.read().get("luu").is_some();
    let saved = move || save.value().get().is_some_and(|r| r.is_ok()) || saved_plain();
    // Reload only after a change succeeded: a refused save keeps what was typed on the page.
    let changed = move || {
        let ok = |v: Option<Result<Entry, AppError>>| v.and_then(|r| r.ok()).map(|e| e.updated_at);
        (ok(save.value().get()), ok(submit.value().get()), ok(withdraw.value().get()))
    };
    let data = Resource::new(move || (id(), changed()), |(id, _)| load_entry_page(id));
    view! {
        <Loaded resource=data let:d>
            {
                let EntryPageData { entry, competition } = d;
                let draft = entry.status == EntryStatus::Draft && competition.phase == Phase::Entries;
                let c = competition.settings.clone();
                let required = c.required_fields.clone();
                let needs = move |f: &str| required.iter().any(|r| r == f);
                let needs_file = needs("file");
                let max_mb = c.max_file_mb;
                let saved_at = crate::vn_time::clock_of_ms(entry.updated_at * 1000)[..5].to_string();
                let submitted_at = entry.submitted_at.map(show_secs);
                let (draft_files, final_files) = (entry.files.clone(), entry.files.clone());
                view! {
                    <section class="card">
                        <p><A href="/giai-thuong">{competition.settings.title.clone()}</A></p>
                        <h1>{entry.input.title.clone()}</h1>
                        <p>
                            <span class=format!("badge status-{}", entry.status.code())>{t(lang, &status_key(entry.status))}</span>
                            {(!entry.status_reason.is_empty()).then(|| view! { <span class="form-error inline">{fill(&t(lang, "aw.reason_is"), &[("r", &entry.status_reason)])}</span> })}
                            {entry.prize.clone().map(|p| view! { <strong>{format!(" {p}")}</strong> })}
                        </p>
                        <p class="hint">{deadline_window(lang, &c)}</p>
                        {(entry.status == EntryStatus::Submitted).then(|| view! {
                            <div class="notice" role="status" id="entry-state">{fill(&t(lang, "aw.submitted_banner"), &[("at", &submitted_at.clone().unwrap_or_default())])}</div>
                        })}
                        {if draft {
                            view! {
                                <ActionForm action=save attr:class="form" attr:id="entry-form">
                                    <FormError err/>
                                    <input type="hidden" name="form[id]" value=entry.id/>
                                    <div class="field">
                                        <label for="f-genre">{t(lang, "aw.genre")}</label>
                                        <select id="f-genre" name="form[genre]">
                                            {c.genres.iter().map(|g| view! { <option value=g.code() selected=*g == entry.input.genre>{t(lang, &genre_key(*g))}</option> }).collect_view()}
                                        </select>
                                        <FieldError err field="genre"/>
                                    </div>
                                    {form_input(lang, err, "title", "aw.title", "text", entry.input.title.clone(), "title")}
                                    {form_area(lang, err, "authors", "aw.authors", "aw.authors_hint", authors_text(&entry.input.authors), "authors", 3)}
                                    {form_input(lang, err, "outlet", if needs("outlet") { "aw.outlet_required" } else { "aw.outlet" }, "text", entry.input.outlet.clone(), "outlet")}
                                    {form_input(lang, err, "published_on", "aw.published_on", "date", entry.input.published_on.clone(), "published_on")}
                                    {form_input(lang, err, "duration", "aw.duration", "text", duration_text(entry.input.duration_secs), "duration_secs")}
                                    {form_area(lang, err, "script", "aw.script", "", entry.input.script.clone(), "script", 8)}
                                    <p class="actions">
                                        <button type="submit" class="button secondary" id="save-draft">{t(lang, "aw.save_draft")}</button>
                                        {move || saved().then(|| view! { <span class="notice inline" role="status" id="draft-saved">{fill(&t(lang, "aw.draft_saved_at"), &[("at", &saved_at)])}</span> })}
                                    </p>
                                    <DraftFiles entry_id=entry.id files=draft_files needs_file max_mb upload_error note=file_note/>
                                    <FieldError err field="file"/>
                                </ActionForm>
                            }.into_any()
                        } else {
                            view! { <EntryFacts entry=entry.clone()/> }.into_any()
                        }}
                    </section>
                    {(!draft).then(|| view! {
                        <section class="card" id="files" aria-labelledby="files-h">
                            <h2 id="files-h">{t(lang, "aw.files")}</h2>
                            <FileList files=final_files/>
                        </section>
                    })}
                    {draft.then(|| view! {
                        <section class="card">
                            <ActionForm action=submit>
                                <input type="hidden" name="id" value=entry.id/>
                                <FormError err=submit_err/>
                                <button type="submit" class="button">{t(lang, "aw.submit")}</button>
                            </ActionForm>
                        </section>
                    })}
                    {(matches!(entry.status, EntryStatus::Draft | EntryStatus::Submitted) && competition.phase == Phase::Entries).then(|| view! {
                        <section class="card">
                            <ActionForm action=withdraw attr:class="form inline-form">
                                <FormError err=withdraw_err/>
                                <input type="hidden" name="id" value=entry.id/>
                                <label for="f-withdraw">{t(lang, "aw.withdraw_reason")}</label>
                                <input id="f-withdraw" name="reason" type="text"/>
                                <button type="submit" class="button danger">{t(lang, "aw.withdraw")}</button>
                            </ActionForm>
                        </section>
                    })}
                }
            }
        </Loaded>
    }
}

use super::server_fns::EntryPageData;

#[component]
fn EntryFacts(entry: Entry) -> impl IntoView {
    let lang = use_lang();
    let e = entry.input;
    let authors = e.authors.iter().map(|a| format!("{} ({}%)", a.full_name, a.share_percent)).collect::<Vec<_>>().join(", ");
    view! {
        <dl class="facts wide">
            <dt>{t(lang, "aw.genre")}</dt><dd>{t(lang, &genre_key(e.genre))}</dd>
            <dt>{t(lang, "aw.authors")}</dt><dd>{authors}</dd>
            <dt>{t(lang, "aw.unit")}</dt><dd>{entry.unit_name.unwrap_or_default()}</dd>
            <dt>{t(lang, "aw.outlet")}</dt><dd>{e.outlet}</dd>
            <dt>{t(lang, "aw.published_on")}</dt><dd>{crate::vn_time::iso_date_text(&e.published_on)}</dd>
            <dt>{t(lang, "aw.duration")}</dt><dd>{duration_text(e.duration_secs)}</dd>
            <dt>{t(lang, "aw.submitted_at")}</dt><dd>{entry.submitted_at.map(show_secs).unwrap_or_default()}</dd>
        </dl>
        {(!e.script.is_empty()).then(|| view! { <details><summary>{t(lang, "aw.script")}</summary><div class="script">{e.script}</div></details> })}
    }
}

/// Kết quả giải: published winners, tier by tier, with their certificates (no sign-in).
#[component]
pub fn AwardResultsPage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let results = Resource::new(id, award_results);
    view! {
        <Loaded resource=results let:r>
            <section class="card">
                <h1>{r.title.clone()}</h1>
                <p class="hint">{fill(&t(lang, "aw.published_at"), &[("at", &show_secs(r.published_at))])}</p>
                <p class="actions"><a class="button secondary" href=format!("/api/v1/award-competitions/{}/certificates.pdf", r.competition_id) rel="external">{t(lang, "aw.all_certificates")}</a></p>
                <Table heads=&["aw.prize", "aw.title", "aw.genre", "aw.authors", "aw.unit", "aw.certificate"] class="results">
                    {r.winners.into_iter().map(|w| view! {
                        <tr>
                            <td><strong>{w.prize.clone()}</strong></td>
                            <td>{w.title.clone()}</td>
                            <td>{t(lang, &genre_key(w.genre))}</td>
                            <td>{w.authors.iter().map(|a| a.full_name.clone()).collect::<Vec<_>>().join(", ")}</td>
                            <td>{w.unit_name.clone().unwrap_or_default()}</td>
                            <td><a href=format!("/api/v1/award-entries/{}/certificate.pdf", w.entry_id) rel="external">{t(lang, "aw.certificate_pdf")}</a></td>
                        </tr>
                    }).collect_view()}
                </Table>
            </section>
        </Loaded>
    }
}
