//! The judge's pages: their assignments, and the scoring page with the player and the script
//! side by side, the rubric, a draft save, the final score and recusal.

use super::entry_pages::{FileList, genre_key};
use super::forms::duration_text;
use super::model::AssignmentStatus;
use super::server_fns::{RecuseAssignment, SaveScore, load_assignment, my_assignments};
use crate::codes::Code;
use crate::ui::{Loaded, TableOf, param_id, use_lang};
use crate::i18n::{fill, t};
use crate::ui::forms::{FieldError, FormError, action_error};
use leptos::prelude::*;
use leptos_router::components::A;

/// Points in hundredths as typed back into the form ("35,5").
fn points_text(hundredths: i64) -> String {
    let s = format!("{:.2}", hundredths as f64 / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').replace('.', ",")
}

fn assignment_status_key(status: AssignmentStatus) -> String {
    format!("aw.assignment_{}", status.code())
}

#[component]
pub fn JudgeHomePage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| my_assignments());
    view! {
        <section class="card">
            <h1>{t(lang, "aw.judge_home")}</h1>
            <TableOf resource=list empty="aw.no_assignments" heads=&["aw.code", "aw.title", "aw.genre", "aw.stage", "aw.status", "aw.total"] let:a>
                <tr>
                    <td>{a.entry.code.clone()}</td>
                    <td><A href=format!("/giam-khao/{}", a.id)>{a.entry.title.clone()}</A></td>
                    <td>{t(lang, &genre_key(a.entry.genre))}</td>
                    <td>{t(lang, &format!("aw.stage_{}", a.stage.code()))}</td>
                    <td>{t(lang, &assignment_status_key(a.status))}</td>
                    <td>{a.total.map(points_text).unwrap_or_default()}</td>
                </tr>
            </TableOf>
        </section>
    }
}

#[component]
pub fn ScorePage() -> impl IntoView {
    let lang = use_lang();
    let id = param_id("id");
    let save = ServerAction::<SaveScore>::new();
    let recuse = ServerAction::<RecuseAssignment>::new();
    let err = action_error(save.value());
    let recuse_err = action_error(recuse.value());
    let saved = move || save.value().get().and_then(|r| r.ok()).map(|a| a.status);
    // Reload only after a save succeeded: refused points stay in the fields to be corrected.
    let assignment = Resource::new(move || (id(), save.value().get().and_then(|r| r.ok())), |(id, _)| load_assignment(id));
    view! {
        <Loaded resource=assignment let:a>
            {
                let open = !a.panel_closed && a.status != AssignmentStatus::Recused;
                let max_total: i64 = a.rubric.iter().map(|c| c.max).sum();
                let e = a.entry.clone();
                view! {
                    <section class="card">
                        <p><A href="/giam-khao">{a.competition_title.clone()}</A>" · "{t(lang, &format!("aw.stage_{}", a.stage.code()))}</p>
                        <h1>{format!("{} — {}", e.code, e.title)}</h1>
                        <p>
                            <span class="badge">{t(lang, &assignment_status_key(a.status))}</span>
                            {e.authors.is_none().then(|| view! { <span class="hint">" "{t(lang, "aw.blind_note")}</span> })}
                        </p>
                    </section>
                    <div class="judge-layout">
                        <section class="card judge-media" aria-labelledby="work">
                            <h2 id="work">{t(lang, "aw.work")}</h2>
                            <dl class="facts">
                                <dt>{t(lang, "aw.genre")}</dt><dd>{t(lang, &genre_key(e.genre))}</dd>
                                {e.authors.clone().map(|authors| view! { <dt>{t(lang, "aw.authors")}</dt><dd>{authors.iter().map(|x| x.full_name.clone()).collect::<Vec<_>>().join(", ")}</dd> })}
                                {e.unit_name.clone().map(|u| view! { <dt>{t(lang, "aw.unit")}</dt><dd>{u}</dd> })}
                                {e.outlet.clone().map(|o| view! { <dt>{t(lang, "aw.outlet")}</dt><dd>{o}</dd> })}
                                <dt>{t(lang, "aw.published_on")}</dt><dd>{crate::vn_time::iso_date_text(&e.published_on)}</dd>
                                <dt>{t(lang, "aw.duration")}</dt><dd>{duration_text(e.duration_secs)}</dd>
                            </dl>
                            <FileList files=e.files.clone()/>
                        </section>
                        <section class="card judge-script" aria-labelledby="script">
                            <h2 id="script">{t(lang, "aw.script")}</h2>
                            <div class="script">{e.script.clone()}</div>
                        </section>
                    </div>
                    <section class="card" aria-labelledby="rubric">
                        <h2 id="rubric">{fill(&t(lang, "aw.rubric_total"), &[("max", &max_total.to_string())])}</h2>
                        <p class="hint" id="score-hint">{t(lang, "aw.score_decimals")}</p>
                        {move || saved().map(|s| view! { <div class="notice" role="status">{t(lang, if s == AssignmentStatus::Scored { "aw.score_submitted" } else { "aw.draft_saved" })}</div> })}
                        <ActionForm action=save attr:class="form grid-form" attr:novalidate=true>
                            <FormError err/>
                            <input type="hidden" name="form[assignment_id]" value=a.id/>
                            {a.rubric.iter().map(|c| {
                                let name = format!("form[{}]", c.code);
                                let field = format!("criteria.{}", c.code);
                let invalid_field = field.clone();
                                let id = format!("f-{}", c.code);
                                let value = a.criteria.get(&c.code).map(|p| points_text(*p)).unwrap_or_default();
                                view! {
                                    <div class="field">
                                        <label for=id.clone()>{format!("{} (0–{})", c.label, c.max)}</label>
                                        <input id=id name=name type="text" inputmode="decimal" value=value disabled=!open
                                            aria-invalid=move || crate::ui::forms::field_error(&err.get(), &invalid_field).map(|_| "true")/>
                                        <FieldError err field=field/>
                                    </div>
                                }
                            }).collect_view()}
                            {open.then(|| view! {
                                <p class="actions">
                                    <button type="submit" name="form[action]" value="draft" class="button secondary">{t(lang, "aw.save_score_draft")}</button>
                                    <button type="submit" name="form[action]" value="submit" class="button">{t(lang, "aw.submit_score")}</button>
                                </p>
                            })}
                        </ActionForm>
                        {a.total.map(|total| view! { <p><strong>{fill(&t(lang, "aw.your_total"), &[("t", &points_text(total))])}</strong></p> })}
                    </section>
                    {(open && a.status != AssignmentStatus::Scored).then(|| view! {
                        <section class="card">
                            <h2>{t(lang, "aw.recuse")}</h2>
                            <p class="hint">{t(lang, "aw.recuse_hint")}</p>
                            <ActionForm action=recuse attr:class="form">
                                <FormError err=recuse_err/>
                                <input type="hidden" name="assignment_id" value=a.id/>
                                <div class="field">
                                    <label for="f-reason">{t(lang, "aw.reason")}</label>
                                    <input id="f-reason" name="reason" type="text"/>
                                    <FieldError err=recuse_err field="reason"/>
                                </div>
                                <button type="submit" class="button danger">{t(lang, "aw.recuse")}</button>
                            </ActionForm>
                        </section>
                    })}
                    {(a.status == AssignmentStatus::Recused).then(|| view! { <section class="card"><p>{fill(&t(lang, "aw.reason_is"), &[("r", &a.recusal_reason)])}</p></section> })}
                }
            }
        </Loaded>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn points_read_back_as_typed() {
        assert_eq!(super::points_text(3550), "35,5");
        assert_eq!(super::points_text(3000), "30");
        assert_eq!(super::points_text(3525), "35,25");
    }
}
