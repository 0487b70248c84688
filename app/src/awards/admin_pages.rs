//! The organizer's pages: editions and the new-edition form, and an edition's control room
//! that walks from the call for entries to publication: eligibility, panels and assignment,
//! judges' progress, stage results with ties, the shortlist, the allocation with the
//! council's decisions, documents and publication.

use crate::vn_time::show_secs;
use super::entry_pages::{deadline_window, genre_key, phase_key, status_key};
use super::model::*;
use super::server_fns::*;
use crate::codes::Code;
use super::council_pages::{AllocationSection, PublishStep};
use crate::ui::{Confirm, Loaded, Table, param_id, use_lang};
use crate::i18n::{Lang, fill, t};
use crate::ui::forms::{FormError, action_error, form_area, form_input};
use leptos::prelude::*;
use leptos_router::components::A;

fn check(lang: Lang, name: &'static str, label: &str, checked: bool) -> impl IntoView + use<> {
    let text = t(lang, label);
    view! { <label class="check"><input type="checkbox" name=format!("form[{name}]") checked=checked/>" "{text}</label> }
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn AwardsAdmin() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateAward>::new();
    let err = action_error(create.value());
    let home = Resource::new(|| (), |_| awards_home());
    view! {
        <section class="card">
            <h1>{t(lang, "aw.manage")}</h1>
            <Loaded resource=home let:h>
                <ul class="round-list">
                    {h.competitions.into_iter().map(|c| view! {
                        <li><span class="badge">{t(lang, &phase_key(c.phase))}</span>
                            <A href=format!("/admin/giai-thuong/{}", c.id)>{c.settings.title.clone()}</A>
                            <span class="hint">{fill(&t(lang, "aw.entries_count"), &[("n", &c.entries_submitted.to_string())])}</span></li>
                    }).collect_view()}
                </ul>
            </Loaded>
        </section>
        <section class="card" aria-labelledby="new-award">
            <h2 id="new-award">{t(lang, "aw.new_competition")}</h2>
            <Loaded resource=home let:h>
            {
            let defaults = super::forms::NewEditionDefaults::from_today(h.today);
            view! {
            <ActionForm action=create attr:class="form" attr:novalidate=true>
                <FormError err/>
                {form_input(lang, err, "title", "aw.competition_title", "text", String::new(), "title")}
                {form_input(lang, err, "edition", "aw.edition", "text", defaults.edition.clone(), "edition")}
                {form_area(lang, err, "description", "aw.description", "", String::new(), "description", 2)}
                <fieldset>
                    <legend>{t(lang, "aw.genres")}</legend>
                    {Genre::ALL.iter().map(|g| {
                        let name: &'static str = match g { Genre::Radio => "genre_radio", Genre::Tv => "genre_tv", Genre::Print => "genre_print", Genre::Online => "genre_online", Genre::Photo => "genre_photo" };
                        check(lang, name, &genre_key(*g), *g == Genre::Radio)
                    }).collect_view()}
                    <crate::ui::forms::FieldError err field="genres"/>
                </fieldset>
                {form_input(lang, err, "window_from", "aw.window_from", "date", defaults.window_from.clone(), "window_from")}
                {form_input(lang, err, "window_to", "aw.window_to", "date", defaults.window_to.clone(), "window_to")}
                {form_input(lang, err, "deadline", "aw.deadline", "datetime-local", defaults.deadline.clone(), "deadline")}
                {form_input(lang, err, "max_entries_per_author", "aw.max_entries", "text", "3".into(), "max_entries_per_author")}
                {form_input(lang, err, "max_file_mb", "aw.max_file_mb", "text", "500".into(), "max_file_mb")}
                <fieldset>
                    <legend>{t(lang, "aw.required_fields")}</legend>
                    {check(lang, "require_outlet", "aw.outlet", true)}
                    {check(lang, "require_duration", "aw.duration", false)}
                    {check(lang, "require_script", "aw.script", true)}
                    {check(lang, "require_file", "aw.file", true)}
                </fieldset>
                <div class="field">
                    <label for="f-prize_scope">{t(lang, "aw.prize_scope")}</label>
                    <select id="f-prize_scope" name="form[prize_scope]">
                        <option value="overall">{t(lang, "aw.scope_overall")}</option>
                        <option value="genre">{t(lang, "aw.scope_genre")}</option>
                    </select>
                </div>
                {form_area(lang, err, "prize_plan", "aw.prize_plan", "aw.prize_plan_hint", "Giải A | 2\nGiải B | 3\nGiải C | 4\nGiải Khuyến khích | 10".into(), "prize_plan", 4)}
                {form_area(lang, err, "rubric_preliminary", "aw.rubric_preliminary", "aw.rubric_hint", "Nội dung | 40\nHình thức | 30\nHiệu quả | 30".into(), "rubric_preliminary", 3)}
                {form_area(lang, err, "rubric_final", "aw.rubric_final", "aw.rubric_hint", "Nội dung | 40\nHình thức | 30\nHiệu quả | 30".into(), "rubric_final", 3)}
                {form_input(lang, err, "judges_per_entry", "aw.judges_per_entry", "text", "3".into(), "judges_per_entry")}
                <div class="field">
                    <label for="f-aggregation">{t(lang, "aw.aggregation")}</label>
                    <select id="f-aggregation" name="form[aggregation]">
                        <option value="mean">{t(lang, "aw.agg_mean")}</option>
                        <option value="trimmed">{t(lang, "aw.agg_trimmed")}</option>
                    </select>
                </div>
                {form_input(lang, err, "trim_each_side", "aw.trim_each_side", "text", "1".into(), "trim_each_side")}
                {check(lang, "normalise", "aw.normalise", false)}
                <div class="field">
                    <label for="f-shortlist_rule">{t(lang, "aw.shortlist_rule")}</label>
                    <select id="f-shortlist_rule" name="form[shortlist_rule]">
                        <option value="top">{t(lang, "aw.shortlist_top")}</option>
                        <option value="threshold">{t(lang, "aw.shortlist_threshold")}</option>
                    </select>
                </div>
                {form_input(lang, err, "shortlist_value", "aw.shortlist_value", "text", "10".into(), "shortlist_value")}
                {check(lang, "blind", "aw.blind", true)}
                <button type="submit" class="button">{t(lang, "aw.create_competition")}</button>
            </ActionForm>
            }
            }
            </Loaded>
        </section>
    }
}

#[component]
fn StageTable(results: StageResults) -> impl IntoView {
    let lang = use_lang();
    view! {
        {(!results.complete).then(|| view! { <p class="hint">{t(lang, "aw.confidential")}</p> })}
        {results.pools.into_iter().map(|pool| view! {
            <h4>{super_pool_name(lang, &pool.pool)}</h4>
            <Table heads=&["aw.rank", "aw.code", "aw.title", "aw.genre", "aw.judge_count", "aw.mean", "aw.final_score", "aw.finalist"] class="stage-results">
                {pool.rows.into_iter().map(|r| view! {
                    <tr class:tied=r.tied>
                        <td>{r.rank.map(|k| if r.tied { format!("{k} ({})", t(lang, "aw.tie")) } else { k.to_string() }).unwrap_or_default()}</td>
                        <td>{entry_code(r.entry_id)}</td>
                        <td>{r.title}</td>
                        <td>{t(lang, &genre_key(r.genre))}</td>
                        <td>{r.judge_count}</td>
                        <td>{points_vi(r.mean_score)}</td>
                        <td>{points_vi(r.final_score)}</td>
                        <td>{r.finalist.then_some("✓")}</td>
                    </tr>
                }).collect_view()}
            </Table>
        }).collect_view()}
    }
}

pub(super) fn super_pool_name(lang: Lang, pool: &str) -> String {
    Genre::from_code(pool).map(|g| t(lang, &genre_key(g))).unwrap_or_else(|| t(lang, "aw.pool_all"))
}

/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn AwardAdmin() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let close_call = ServerAction::<CloseAwardCall>::new();
    let reopen_call = ServerAction::<ReopenAwardCall>::new();
    let eligibility = ServerAction::<DecideEligibility>::new();
    let auto = ServerAction::<AutoAssignStage>::new();
    let close_panel = ServerAction::<CloseAwardPanel>::new();
    let shortlist = ServerAction::<ShortlistFinalists>::new();
    let decide = ServerAction::<CouncilDecision>::new();
    let publish = ServerAction::<PublishAward>::new();
    let errors = [action_error(close_call.value()), action_error(reopen_call.value()), action_error(eligibility.value()), action_error(auto.value()), action_error(close_panel.value()), action_error(shortlist.value()), action_error(publish.value())];
    let step_err = Signal::derive(move || errors.iter().find_map(|e| e.get()));
    let decide_err = action_error(decide.value());
    let auto_report = move || auto.value().get().and_then(|r| r.ok());
    let versions = move || (close_call.version().get(), reopen_call.version().get(), eligibility.version().get(), auto.version().get(), close_panel.version().get(), shortlist.version().get(), decide.version().get(), publish.version().get());
    let data = Resource::new(move || (id(), versions()), |(id, _)| award_dashboard(id));
    // The panel form is a plain form: its refusal comes back in the address.
    let query = leptos_router::hooks::use_query_map();
    let panel_error = move || query.read().get("loi");
    view! {
        <Loaded resource=data let:d>
            {
                let c = d.overview.competition.clone();
                let cid = c.id;
                let phase = c.phase;
                let s = c.settings.clone();
                view! {
                    <section class="card">
                        <p><A href="/admin/giai-thuong">{t(lang, "aw.manage")}</A></p>
                        <h1>{s.title.clone()}</h1>
                        <p><span class="badge" id="phase">{t(lang, &phase_key(phase))}</span></p>
                        <p class="hint">{deadline_window(lang, &s)}</p>
                        <FormError err=step_err/>
                        {move || auto_report().map(|r| view! { <div class="notice" role="status">{fill(&t(lang, "aw.auto_report"), &[("n", &r.created.to_string()), ("short", &r.short.len().to_string())])}</div> })}
                        <div class="actions">
                            <CallStep competition=c.clone() entries=d.overview.entries.clone() assigned=d.overview.panels.iter().flat_map(|p| &p.judges).map(|j| j.assigned).sum() now=d.now close_call reopen_call/>
                            {matches!(phase, Phase::Preliminary | Phase::Final).then(|| {
                                let stage = if phase == Phase::Preliminary { "preliminary" } else { "final" };
                                view! {
                                    <ActionForm action=auto attr:class="inline-form"><input type="hidden" name="competition_id" value=cid/><input type="hidden" name="stage" value=stage/>
                                        <button type="submit" class="button">{t(lang, "aw.auto_assign")}</button></ActionForm>
                                }
                            })}
                            {(phase == Phase::Preliminary).then(|| view! {
                                <ActionForm action=shortlist attr:class="inline-form"><input type="hidden" name="competition_id" value=cid/>
                                    <button type="submit" class="button">{t(lang, "aw.shortlist")}</button></ActionForm>
                            })}
                            {matches!(phase, Phase::Council | Phase::Published).then(|| view! {
                                <a class="button secondary" href=format!("/api/v1/award-competitions/{cid}/minutes.pdf") rel="external">{t(lang, "aw.minutes_pdf")}</a>
                            })}
                            <PublishStep phase allocation=d.allocation.clone() publish cid/>
                            {(phase == Phase::Published).then(|| view! {
                                <A href=format!("/giai-thuong/{cid}/ket-qua") attr:class="button secondary">{t(lang, "aw.public_page")}</A>
                                <a class="button secondary" href=format!("/api/v1/award-competitions/{cid}/certificates.pdf") rel="external">{t(lang, "aw.all_certificates")}</a>
                            })}
                            <a class="button secondary" href=format!("/api/v1/award-competitions/{cid}/judging.csv") rel="external" download>{t(lang, "aw.judging_csv")}</a>
                        </div>
                    </section>
                    <EntriesSection entries=d.overview.entries.clone() phase eligibility/>
                    <section class="card" id="panels" aria-labelledby="panels-h">
                        <h2 id="panels-h">{t(lang, "aw.panels")}</h2>
                        {move || panel_error().map(|key| view! { <p class="form-error" role="alert" id="panel-error">{t(lang, &key)}</p> })}
                        {[Stage::Preliminary, Stage::Final].into_iter().flat_map(|stage| s.genres.clone().into_iter().map(move |g| (stage, g))).map(|(stage, genre)| {
                            let panel = d.overview.panels.iter().find(|p| p.stage == stage && p.genre == genre).cloned();
                            let members: Vec<i64> = panel.as_ref().and_then(|p| d.members.iter().find(|(id, _)| *id == p.id)).map(|(_, m)| m.clone()).unwrap_or_default();
                            let closed = panel.as_ref().is_some_and(|p| p.closed_at.is_some());
                            view! {
                                <div class="panel">
                                    <h3>{format!("{} — {}", t(lang, &format!("aw.stage_{}", stage.code())), t(lang, &genre_key(genre)))}{closed.then(|| format!(" ({})", t(lang, "aw.panel_closed")))}</h3>
                                    {panel.clone().map(|p| view! {
                                        <Table heads=&["aw.judge", "aw.unit", "aw.assigned", "aw.drafts", "aw.scored", "aw.recused"] class="progress">
                                            {p.judges.iter().map(|j| view! {
                                                <tr><td>{j.full_name.clone()}</td><td>{j.unit_name.clone().unwrap_or_default()}</td><td>{j.assigned}</td><td>{j.drafts}</td><td>{j.scored}</td><td>{j.recused}</td></tr>
                                            }).collect_view()}
                                        </Table>
                                        {(p.entries_short_of_judges > 0).then(|| view! { <p class="form-error">{fill(&t(lang, "aw.short_of_judges"), &[("n", &p.entries_short_of_judges.to_string())])}</p> })}
                                        {(p.closed_at.is_none()).then(|| view! {
                                            <ActionForm action=close_panel attr:class="inline-form"><input type="hidden" name="panel_id" value=p.id/>
                                                <button type="submit" class="button secondary">{t(lang, "aw.close_panel")}</button></ActionForm>
                                        })}
                                    })}
                                    {(!closed).then(|| view! {
                                        <form method="post" action=format!("/admin/giai-thuong/{cid}/tieu-ban") class="form judges-form">
                                            <input type="hidden" name="stage" value=stage.code()/>
                                            <input type="hidden" name="genre" value=genre.code()/>
                                            <fieldset><legend>{t(lang, "aw.panel_judges")}</legend>
                                                {d.judges.iter().map(|j| view! {
                                                    <label class="check"><input type="checkbox" name="judges" value=j.id checked=members.contains(&j.id)/>
                                                        " "{format!("{}{}", j.full_name, j.unit_name.as_ref().map(|u| format!(" — {u}")).unwrap_or_default())}</label>
                                                }).collect_view()}
                                            </fieldset>
                                            <button type="submit" class="button secondary">{t(lang, "aw.save_panel")}</button>
                                        </form>
                                    })}
                                </div>
                            }
                        }).collect_view()}
                        {(!d.overview.recusals.is_empty()).then(|| view! {
                            <h3>{t(lang, "aw.recusals")}</h3>
                            <ul>{d.overview.recusals.iter().map(|r| view! { <li>{format!("{} — {} ({}): {}", r.judge_name, entry_code(r.entry_id), show_secs(r.at), r.reason)}</li> }).collect_view()}</ul>
                        })}
                    </section>
                    <section class="card" aria-labelledby="prelim-h">
                        <h2 id="prelim-h">{t(lang, "aw.results_preliminary")}</h2>
                        <StageTable results=d.preliminary.clone()/>
                    </section>
                    {matches!(phase, Phase::Final | Phase::Council | Phase::Published).then(|| view! {
                        <section class="card" aria-labelledby="final-h">
                            <h2 id="final-h">{t(lang, "aw.results_final")}</h2>
                            <StageTable results=d.final_results.clone()/>
                        </section>
                    })}
                    {d.allocation.clone().map(|a| view! { <AllocationSection allocation=a phase decide decide_err cid/> })}
                }
            }
        </Loaded>
    }
}

#[component]
fn EntriesSection(entries: Vec<Entry>, phase: Phase, eligibility: ServerAction<DecideEligibility>) -> impl IntoView {
    let lang = use_lang();
    let can_decide = matches!(phase, Phase::Entries | Phase::Preliminary);
    view! {
        <section class="card" id="entries" aria-labelledby="entries-h">
            <h2 id="entries-h">{fill(&t(lang, "aw.entries_heading"), &[("n", &entries.iter().filter(|e| e.status != EntryStatus::Draft).count().to_string())])}</h2>
            <Table heads=&["aw.code", "aw.title", "aw.genre", "aw.unit", "aw.published_on", "aw.files", "aw.status", "aw.eligibility"]>
                {entries.into_iter().filter(|e| e.status != EntryStatus::Draft).map(|e| view! {
                    <tr>
                        <td>{entry_code(e.id)}</td>
                        <td>{e.input.title.clone()}<br/><span class="hint">{e.input.authors.iter().map(|a| a.full_name.clone()).collect::<Vec<_>>().join(", ")}</span></td>
                        <td>{t(lang, &genre_key(e.input.genre))}</td>
                        <td>{e.unit_name.clone().unwrap_or_default()}</td>
                        <td>{crate::vn_time::iso_date_text(&e.input.published_on)}</td>
                        <td>{e.files.iter().map(|f| view! { <a href=format!("/api/v1/award-files/{}", f.id) rel="external">{t(lang, &format!("aw.kind_{}", f.kind.code()))}</a>" " }).collect_view()}</td>
                        <td>{t(lang, &status_key(e.status))}{(!e.status_reason.is_empty()).then(|| format!(": {}", e.status_reason))}</td>
                        <td>{(can_decide && matches!(e.status, EntryStatus::Submitted | EntryStatus::Eligible | EntryStatus::Ineligible)).then(|| view! {
                            <ActionForm action=eligibility attr:class="inline-form">
                                <input type="hidden" name="entry_id" value=e.id/>
                                <input type="hidden" name="eligible" value=(e.status == EntryStatus::Ineligible).to_string()/>
                                {(e.status != EntryStatus::Ineligible).then(|| view! {
                                    <label class="visually-hidden" for=format!("inel-{}", e.id)>{t(lang, "aw.reason")}</label>
                                    <input id=format!("inel-{}", e.id) name="reason" type="text" placeholder=t(lang, "aw.reason")/>
                                })}
                                {(e.status == EntryStatus::Ineligible).then(|| view! { <input type="hidden" name="reason" value=""/> })}
                                <button type="submit" class="link-button">{t(lang, if e.status == EntryStatus::Ineligible { "aw.make_eligible" } else { "aw.make_ineligible" })}</button>
                            </ActionForm>
                        })}</td>
                    </tr>
                }).collect_view()}
            </Table>
        </section>
    }
}

/// Khóa nhận tác phẩm, and its undo: closing the call (early or at the deadline) behind a
/// confirmation that counts what it does, and reopening while the original deadline has not
/// passed and no judge has been assigned.
#[component]
fn CallStep(competition: Competition, entries: Vec<Entry>, assigned: i64, now: i64, close_call: ServerAction<CloseAwardCall>, reopen_call: ServerAction<ReopenAwardCall>) -> impl IntoView {
    let lang = use_lang();
    let cid = competition.id;
    let deadline = show_secs(competition.settings.deadline);
    let count = move |s: EntryStatus| entries.iter().filter(|e| e.status == s).count().to_string();
    let early = now < competition.settings.deadline;
    match competition.phase {
        Phase::Entries => view! {
            <Confirm id="close-call" label=t(lang, "aw.close_call") title=t(lang, if early { "aw.close_early_title" } else { "aw.close_call_title" })>
                {early.then(|| view! { <p>{fill(&t(lang, "aw.close_early_body"), &[("deadline", &deadline)])}</p> })}
                <p>{fill(&t(lang, "aw.close_call_counts"), &[("submitted", &count(EntryStatus::Submitted)), ("drafts", &count(EntryStatus::Draft))])}</p>
                <p class="hint">{if early { fill(&t(lang, "aw.close_call_undo"), &[("deadline", &deadline)]) } else { t(lang, "aw.close_call_final") }}</p>
                <ActionForm action=close_call attr:class="inline-form"><input type="hidden" name="competition_id" value=cid/>
                    <button type="submit" class="button">{t(lang, "aw.close_call_confirm")}</button></ActionForm>
            </Confirm>
        }.into_any(),
        Phase::Preliminary if early && assigned == 0 => view! {
            <ActionForm action=reopen_call attr:class="inline-form"><input type="hidden" name="competition_id" value=cid/>
                <button type="submit" class="button secondary" aria-describedby="reopen-hint">{t(lang, "aw.reopen_call")}</button>
                <span class="hint" id="reopen-hint">{fill(&t(lang, "aw.reopen_call_hint"), &[("deadline", &deadline)])}</span></ActionForm>
        }.into_any(),
        _ => ().into_any(),
    }
}
