//! The council's part of an edition's control room: the allocation with the council's
//! decisions, a tie at a prize cut-off laid out for the council to resolve or accept, and
//! publication behind a confirmation.

use super::admin_pages::super_pool_name;
use super::model::*;
use super::server_fns::*;
use crate::i18n::{Lang, fill, t};
use crate::prizes::PrizeTier;
use crate::ui::forms::FormError;
use crate::ui::{Confirm, Table, use_lang};
use crate::vn_time::show_secs;
use leptos::prelude::*;

fn counts_text(counts: &[PrizeTier]) -> String {
    counts
        .iter()
        .map(|t| format!("{} {}", t.count, t.name))
        .collect::<Vec<_>>()
        .join(", ")
}

fn decision_text(lang: Lang, d: &Decision) -> String {
    match d.kind {
        DecisionKind::Move => format!(
            "{} → {}",
            d.entry_id.map(entry_code).unwrap_or_default(),
            d.tier
                .clone()
                .filter(|x| !x.is_empty())
                .unwrap_or_else(|| t(lang, "aw.no_prize"))
        ),
        DecisionKind::TierCounts => counts_text(&d.counts.clone().unwrap_or_default()),
        DecisionKind::AcceptTie => fill(
            &t(lang, "aw.tie_accepted_decision"),
            &[("pool", &super_pool_name(lang, &d.pool))],
        ),
    }
}

/// Đồng điểm tại ngưỡng giải: which entries tie at which cut-off, the counts in force against
/// what the tie gives, and, while the council sits and has not settled it, what it can do,
/// with the form to accept the result as it is.
#[component]
fn TieBox(
    tie: TieAtCutoff,
    pool: String,
    rows: Vec<AllocationRow>,
    council: bool,
    decide: ServerAction<CouncilDecision>,
    cid: i64,
) -> impl IntoView {
    let lang = use_lang();
    let open = tie.open();
    let tied: Vec<AllocationRow> = tie
        .entry_ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| r.entry_id == *id).cloned())
        .collect();
    let state = match (&tie.accepted, tie.resolved) {
        (_, true) => view! { <p class="notice" role="status">{t(lang, "aw.tie_resolved")}</p> }.into_any(),
        (Some(reason), false) => view! { <p class="notice" role="status">{fill(&t(lang, "aw.tie_accepted"), &[("reason", reason)])}</p> }.into_any(),
        (None, false) => view! { <p class="form-error tie-open">{t(lang, "aw.tie_needs_council")}</p> }.into_any(),
    };
    let reason_id = format!("tie-reason-{pool}");
    let (box_id, heading_id, labelled_by) = (
        format!("tie-{pool}"),
        format!("tie-h-{pool}"),
        format!("tie-h-{pool}"),
    );
    view! {
        <div class="tie-box" id=box_id class:open=open role="region" aria-labelledby=labelled_by>
            <h4 id=heading_id>{fill(&t(lang, "aw.tie_heading"), &[("tiers", &tie.tiers.join(", "))])}</h4>
            <ul class="tied-entries">
                {tied.into_iter().map(|r| view! {
                    <li><strong>{entry_code(r.entry_id)}</strong>" — "{r.title}" — "{fill(&t(lang, "aw.tie_score"), &[("score", &points_vi(r.final_score)), ("prize", &r.decided.unwrap_or_else(|| t(lang, "aw.no_prize")))])}</li>
                }).collect_view()}
            </ul>
            <p class="tie-counts">{fill(&t(lang, "aw.tie_counts"), &[("planned", &counts_text(&tie.planned)), ("resulting", &counts_text(&tie.resulting))])}</p>
            {state}
            {(council && open).then(|| view! {
                <ActionForm action=decide attr:class="form tie-accept">
                    <input type="hidden" name="competition_id" value=cid/><input type="hidden" name="kind" value="accept_tie"/>
                    <input type="hidden" name="pool" value=pool.clone()/><input type="hidden" name="counts" value=""/>
                    <input type="hidden" name="entry_id" value=""/><input type="hidden" name="tier" value=""/>
                    <div class="field"><label for=reason_id.clone()>{t(lang, "aw.tie_accept_reason")}</label>
                        <input id=reason_id name="reason" type="text"/></div>
                    <button type="submit" class="button secondary">{fill(&t(lang, "aw.tie_accept"), &[("resulting", &counts_text(&tie.resulting))])}</button>
                </ActionForm>
            })}
        </div>
    }
}

/// Công bố / thu hồi: publication and its undo, each behind a confirmation saying what it does.
/// While a tie at a cut-off is open, publication is not offered (the server refuses it too).
#[component]
pub(super) fn PublishStep(
    phase: Phase,
    allocation: Option<Allocation>,
    publish: ServerAction<PublishAward>,
    cid: i64,
) -> impl IntoView {
    let lang = use_lang();
    let prizes = allocation
        .as_ref()
        .map(|a| {
            a.pools
                .iter()
                .flat_map(|p| &p.rows)
                .filter(|r| r.decided.is_some())
                .count()
        })
        .unwrap_or(0);
    let open_ties = allocation
        .as_ref()
        .map(|a| !a.open_ties().is_empty())
        .unwrap_or(false);
    let form = move |publishing: bool, label: &'static str| {
        view! {
            <ActionForm action=publish attr:class="inline-form"><input type="hidden" name="competition_id" value=cid/>
                <input type="hidden" name="publish" value=publishing.to_string()/>
                <button type="submit" class=if publishing { "button" } else { "button danger" }>{t(lang, label)}</button></ActionForm>
        }
    };
    match phase {
        Phase::Council if open_ties => view! { <p class="form-error" id="publish-blocked">{t(lang, "err.award_tie_open")}</p> }.into_any(),
        Phase::Council => view! {
            <Confirm id="publish" label=t(lang, "aw.publish") title=t(lang, "aw.publish_confirm_title")>
                <p>{fill(&t(lang, "aw.publish_confirm_body"), &[("n", &prizes.to_string())])}</p>
                <p class="hint">{t(lang, "aw.publish_confirm_undo")}</p>
                {form(true, "aw.publish_confirm")}
            </Confirm>
        }.into_any(),
        Phase::Published => view! {
            <Confirm id="unpublish" label=t(lang, "aw.unpublish") danger=true title=t(lang, "aw.unpublish_confirm_title")>
                <p>{t(lang, "aw.unpublish_confirm_body")}</p>
                {form(false, "aw.unpublish_confirm")}
            </Confirm>
        }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
pub(super) fn AllocationSection(
    allocation: Allocation,
    phase: Phase,
    decide: ServerAction<CouncilDecision>,
    decide_err: Signal<Option<crate::error::AppError>>,
    cid: i64,
) -> impl IntoView {
    let lang = use_lang();
    let council = phase == Phase::Council;
    view! {
        <section class="card" id="allocation" aria-labelledby="alloc-h">
            <h2 id="alloc-h">{t(lang, "aw.allocation")}</h2>
            <FormError err=decide_err/>
            {allocation.pools.into_iter().map(|pool| {
                let counts_text = crate::prizes::plan_text(&pool.counts);
                let tiers = pool.counts.clone();
                let finalists: Vec<(i64, String)> = pool.rows.iter().map(|r| (r.entry_id, r.title.clone())).collect();
                let pname = pool.pool.clone();
                view! {
                    <h3>{super_pool_name(lang, &pool.pool)}</h3>
                    <p>{fill(&t(lang, "aw.counts_in_force"), &[("plan", &pool.planned.iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", ")), ("now", &pool.counts.iter().map(|t| format!("{} {}", t.count, t.name)).collect::<Vec<_>>().join(", "))])}
                        {pool.counts_reason.clone().map(|r| view! { <span class="hint">{format!(" — {r}")}</span> })}</p>
                    {pool.tie.clone().map(|tie| view! { <TieBox tie pool=pool.pool.clone() rows=pool.rows.clone() council decide cid/> })}
                    <Table heads=&["aw.rank", "aw.code", "aw.title", "aw.final_score", "aw.proposed", "aw.decided", "aw.reason"] class="allocation">
                        {pool.rows.into_iter().map(|r| view! {
                            <tr class:tied=r.tied class:moved=r.reason.is_some()>
                                <td>{r.rank.map(|k| if r.tied { format!("{k} ({})", t(lang, "aw.tie")) } else { k.to_string() }).unwrap_or_default()}</td>
                                <td>{entry_code(r.entry_id)}</td>
                                <td>{r.title.clone()}</td>
                                <td>{points_vi(r.final_score)}</td>
                                <td>{r.proposed.clone().unwrap_or_default()}</td>
                                <td><strong>{r.decided.clone().unwrap_or_default()}</strong></td>
                                <td>{r.reason.clone().unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
                    {council.then(move || { let (p1, p2) = (pname.clone(), pname.clone()); view! {
                        <div class="council-forms">
                            <ActionForm action=decide attr:class="form">
                                <h4>{t(lang, "aw.change_counts")}</h4>
                                <input type="hidden" name="competition_id" value=cid/><input type="hidden" name="kind" value="counts"/>
                                <input type="hidden" name="pool" value=p1.clone()/><input type="hidden" name="entry_id" value=""/><input type="hidden" name="tier" value=""/>
                                <div class="field"><label for=format!("counts-{p1}")>{t(lang, "aw.prize_plan")}</label>
                                    <textarea id=format!("counts-{p1}") name="counts" rows="4">{counts_text}</textarea></div>
                                <div class="field"><label for=format!("creason-{p1}")>{t(lang, "aw.reason")}</label>
                                    <input id=format!("creason-{p1}") name="reason" type="text"/></div>
                                <button type="submit" class="button secondary">{t(lang, "aw.apply_counts")}</button>
                            </ActionForm>
                            <ActionForm action=decide attr:class="form">
                                <h4>{t(lang, "aw.move_entry")}</h4>
                                <input type="hidden" name="competition_id" value=cid/><input type="hidden" name="kind" value="move"/>
                                <input type="hidden" name="pool" value=p2.clone()/><input type="hidden" name="counts" value=""/>
                                <div class="field"><label for=format!("mentry-{p2}")>{t(lang, "aw.entry")}</label>
                                    <select id=format!("mentry-{p2}") name="entry_id">
                                        {finalists.iter().map(|(id, title)| view! { <option value=*id>{format!("{} — {title}", entry_code(*id))}</option> }).collect_view()}
                                    </select></div>
                                <div class="field"><label for=format!("mtier-{p2}")>{t(lang, "aw.tier")}</label>
                                    <select id=format!("mtier-{p2}") name="tier">
                                        {tiers.iter().map(|tier| view! { <option value=tier.name.clone()>{tier.name.clone()}</option> }).collect_view()}
                                        <option value="">{t(lang, "aw.no_prize")}</option>
                                    </select></div>
                                <div class="field"><label for=format!("mreason-{p2}")>{t(lang, "aw.reason")}</label>
                                    <input id=format!("mreason-{p2}") name="reason" type="text"/></div>
                                <button type="submit" class="button secondary">{t(lang, "aw.apply_move")}</button>
                            </ActionForm>
                        </div>
                    }})}
                }
            }).collect_view()}
            {(!allocation.decisions.is_empty()).then(|| view! {
                <h3>{t(lang, "aw.decisions")}</h3>
                <ol>{allocation.decisions.iter().map(|d| view! { <li>{format!("{} — {} ({}, {})", decision_text(lang, d), d.reason, d.decided_by, show_secs(d.decided_at))}</li> }).collect_view()}</ol>
            })}
        </section>
    }
}
