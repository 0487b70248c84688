//! Tỷ lệ tham gia: the participation page. Organizers see every unit; a unit manager sees their
//! subtree, the list of their staff who have not taken the round (with an XLSX download), a
//! reminder message ready to paste into a group chat, and the roster upload.

use super::model::*;
use super::rates::{Denominator, UnitRate};
use super::server_fns::{DecideUnrostered, SetDeclaredHeadcount, collective_view, participation_page};
use super::unrostered_page::UnrosteredList;
use super::settings_page::{CollectiveRuleForm, HeadcountForm};
use crate::ui::{Loaded, Table, use_lang};
use crate::i18n::{Lang, fill, t};
use super::rates::percent;
use super::reminder::{Reminder, ReminderFacts, reminder};
use crate::codes::Code;
use crate::numbers::group_digits;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;


#[component]
pub fn ParticipationPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let round = move || query.read().get("round").and_then(|r| r.parse::<i64>().ok());
    // A decision on the unrostered list or a new headcount changes the figures: load again.
    let decide = ServerAction::<DecideUnrostered>::new();
    let headcount = ServerAction::<SetDeclaredHeadcount>::new();
    let page = Resource::new(move || (round(), decide.version().get(), headcount.version().get()), |(round, _, _)| participation_page(round));
    view! {
        <Loaded resource=page let:p>
            {
                let chosen = p.report.as_ref().map(|r| r.round_id);
                view! {
                    <section class="card">
                        <h1>{t(lang, "part.heading")}</h1>
                        <form method="get" class="search-form">
                            <label for="f-round">{t(lang, "part.round")}</label>
                            <select id="f-round" name="round">
                                {p.rounds.iter().map(|r| view! {
                                    <option value=r.id selected=Some(r.id) == chosen>{format!("{} — {}", r.title, r.contest_title)}</option>
                                }).collect_view()}
                            </select>
                            <button type="submit" class="button secondary">{t(lang, "part.show")}</button>
                        </form>
                        {match p.report.clone() {
                            Some(report) => view! { <Report report/> }.into_any(),
                            None => view! { <p class="empty">{t(lang, "part.no_rounds")}</p> }.into_any(),
                        }}
                    </section>
                    {(p.managed_unit.is_none()).then(|| chosen.map(|round| view! { <Collective round/> <CollectiveRuleForm round/> }))}
                    {p.managed_unit.clone().zip(p.report.clone()).map(|((unit, name), report)| view! {
                        <Missing unit name report missing=p.missing.clone() public_url=p.public_url.clone() qr_svg=p.qr_svg.clone()/>
                    })}
                    {p.unrostered_unit.map(|unit| view! { <UnrosteredList unit people=p.unrostered.clone() decide/> })}
                    {p.managed_unit.clone().zip(p.declared_headcount).map(|((unit, _), declared)| {
                        let staff = p.report.as_ref().and_then(|r| r.units.iter().find(|u| u.unit_id == unit)).map(|u| (u.own_eligible, u.source));
                        view! { <HeadcountForm unit declared staff action=headcount/> }
                    })}
                    // The roster can be sent before any round exists.
                    {p.managed_unit.clone().map(|(unit, _)| view! { <RosterUpload unit/> })}
                }
            }
        </Loaded>
    }
}

#[component]
fn Report(report: ParticipationReport) -> impl IntoView {
    let lang = use_lang();
    let status = if report.frozen { t(lang, "part.frozen") } else { t(lang, "part.live") };
    let max_day = report.per_day.iter().map(|d| d.entries).max().unwrap_or(1).max(1);
    view! {
        <p class="hint">{status}</p>
        <p class="big-rate">{fill(&t(lang, "part.overall"), &[("rate", &percent(lang, report.rate)), ("p", &group_digits(lang, report.participated)), ("e", &group_digits(lang, report.eligible))])}</p>
        <h2 id="by-block">{t(lang, "part.by_block")}</h2>
        <p class="explain" id="by-block-explain">{t(lang, "part.by_block_explain")}</p>
        <Table heads=&["part.block", "part.units", "part.block_eligible", "part.block_participated", "part.block_rate", "part.units_at_100"] class="blocks stack">
            {report.blocks.iter().map(|b| view! {
                <tr>
                    <td data-label=t(lang, "part.block")>{t(lang, &b.block.label_key())}</td>
                    <td class="num" data-label=t(lang, "part.units")>{b.units}</td>
                    <td class="num" data-label=t(lang, "part.block_eligible")>{group_digits(lang, b.eligible)}</td>
                    <td class="num" data-label=t(lang, "part.block_participated")>{group_digits(lang, b.participated)}</td>
                    <td class="num" data-label=t(lang, "part.block_rate")>{percent(lang, b.rate)}</td>
                    <td class="num" data-label=t(lang, "part.units_at_100")>{b.units_at_100}</td>
                </tr>
            }).collect_view()}
        </Table>
        <h2 id="by-unit">{t(lang, "part.by_unit")}</h2>
        <p class="explain" id="by-unit-explain">{t(lang, "part.by_unit_explain")}</p>
        <p class="hint">{fill(&t(lang, "part.threshold_hint"), &[("t", &percent(lang, Some(report.threshold)))])}</p>
        <Table heads=&["part.unit", "part.subtree_eligible", "part.subtree_participated", "part.subtree_rate", "part.own_staff", "part.own_rate"] class="rates stack">
            {report.units.iter().map(|u| unit_row(lang, u, report.threshold)).collect_view()}
        </Table>
        <h2>{t(lang, "part.per_day")}</h2>
        {if report.per_day.is_empty() {
            view! { <p class="empty">{t(lang, "part.no_entries_yet")}</p> }.into_any()
        } else {
            view! {
                <ol class="histogram days">
                    {report.per_day.iter().map(|d| view! {
                        <li><span class="bar-label">{crate::vn_time::day_month(&d.day)}</span><span class="bar" style=format!("width: {}%", d.entries * 100 / max_day)></span><span class="num">{d.entries}</span></li>
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

fn unit_row(lang: Lang, u: &UnitRate, threshold: f64) -> impl IntoView + use<> {
    let full = u.eligible > 0 && u.participated >= u.eligible;
    let low = u.rate.is_some_and(|r| r < threshold);
    let class = if full { "full" } else if low { "low" } else { "" };
    let own = fill(&t(lang, "part.own_staff_value"), &[("p", &group_digits(lang, u.own_participated)), ("e", &staff_text(lang, u.own_eligible, u.source))]);
    view! {
        <tr class=class data-unit=u.unit_id>
            <td class="unit-name" style=format!("--depth: {}", u.depth) data-label=t(lang, "part.unit")>{u.name.clone()}{full.then(|| view! { <span class="badge ok">"100%"</span> })}</td>
            <td class="num" data-label=t(lang, "part.subtree_eligible")>{group_digits(lang, u.eligible)}</td>
            <td class="num" data-label=t(lang, "part.subtree_participated")>{group_digits(lang, u.participated)}</td>
            <td class="num" data-label=t(lang, "part.subtree_rate")>{percent(lang, u.rate)}</td>
            <td class="num own" data-label=t(lang, "part.own_staff")>{own}</td>
            <td class="num own" data-label=t(lang, "part.own_rate")>{percent(lang, super::rates::ratio(u.own_participated, u.own_eligible))}</td>
        </tr>
    }
}

/// A staff count with its source: "12 (danh sách)", "40 (khai báo)".
pub fn staff_text(lang: Lang, count: i64, source: Denominator) -> String {
    format!("{} ({})", group_digits(lang, count), t(lang, &format!("part.source_short_{}", source.code())))
}

#[component]
fn Missing(unit: i64, name: String, report: ParticipationReport, missing: Vec<NonParticipant>, public_url: String, qr_svg: String) -> impl IntoView {
    let lang = use_lang();
    let own = report.units.iter().find(|u| u.unit_id == unit).cloned();
    let rate = own.as_ref().map(|u| percent(lang, u.rate)).unwrap_or_default();
    let link = format!("{public_url}/thi/{}", report.round_id);
    let reminder = reminder(lang, &ReminderFacts {
        unit: &name,
        contest_title: &report.contest_title,
        round_title: &report.round_title,
        rate: &rate,
        missing: missing.len(),
        link: &link,
        round_closed: report.frozen,
    });
    let xlsx = format!("/api/v1/units/{unit}/non-participants?round={}&format=xlsx", report.round_id);
    view! {
        <section class="card" aria-labelledby="missing">
            <h2 id="missing">{fill(&t(lang, "part.missing_heading"), &[("n", &missing.len().to_string()), ("unit", &name)])}</h2>
            <p class="actions"><a class="button secondary" href=xlsx download>{t(lang, "part.missing_xlsx")}</a></p>
            <Table heads=&["rounds.name", "part.position", "part.unit", "part.phone", "part.email"]>
                {missing.into_iter().map(|p| view! {
                    <tr>
                        <td>{p.full_name}{(!p.has_account).then(|| view! { <span class="hint">{format!(" ({})", t(lang, "part.no_account"))}</span> })}</td>
                        <td>{p.position}</td>
                        <td>{p.unit_name}</td>
                        <td>{p.phone.map(|ph| ph.shown()).map(|ph| view! { <a href=format!("tel:{ph}")>{ph.clone()}</a> })}</td>
                        <td>{p.email}</td>
                    </tr>
                }).collect_view()}
            </Table>
            <h3>{t(lang, "part.reminder")}</h3>
            {match reminder {
                Reminder::Send(text) => view! { <ReminderBox text/> }.into_any(),
                Reminder::Complete => view! { <p class="notice">{t(lang, "part.reminder_complete")}</p> }.into_any(),
                Reminder::Closed => view! { <p class="hint" id="reminder-closed">{t(lang, "part.reminder_closed")}</p> }.into_any(),
            }}
            <h3>{t(lang, "part.qr")}</h3>
            <div class="qr" inner_html=qr_svg></div>
            <p class="hint">{link.clone()}</p>
        </section>
    }
}

/// The reminder, selectable by hand, with a copy button once the page runs in the browser.
#[component]
fn ReminderBox(text: String) -> impl IntoView {
    let lang = use_lang();
    let hydrated = crate::ui::use_hydrated();
    // None: not tried yet; Some(true): copied; Some(false): the browser refused (the text
    // can still be selected and copied by hand).
    let copied = RwSignal::new(None::<bool>);
    let for_copy = text.clone();
    view! {
        <label class="visually-hidden" for="f-reminder">{t(lang, "part.reminder")}</label>
        <textarea id="f-reminder" rows="6" readonly>{text}</textarea>
        <p class="actions">
            <button type="button" class="button secondary" id="copy-reminder" hidden=move || !hydrated.get() on:click=move |_| {
                #[cfg(feature = "hydrate")]
                if let Some(window) = web_sys::window() {
                    let promise = window.navigator().clipboard().write_text(&for_copy);
                    leptos::task::spawn_local(async move {
                        copied.set(Some(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()));
                    });
                }
                #[cfg(not(feature = "hydrate"))]
                let _ = (&for_copy, copied);
            }>{t(lang, "part.reminder_copy")}</button>
            <span class="notice" role="status" id="reminder-copied" hidden=move || copied.get() != Some(true)>{t(lang, "part.reminder_copied")}</span>
            <span class="form-error" role="status" hidden=move || copied.get() != Some(false)>{t(lang, "part.reminder_copy_failed")}</span>
        </p>
    }
}

#[component]
fn RosterUpload(unit: i64) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="roster">
            <h2 id="roster">{t(lang, "part.roster_heading")}</h2>
            <p>{t(lang, "part.roster_help")}</p>
            <form method="post" action=format!("/don-vi/{unit}/danh-sach") enctype="multipart/form-data" class="form grid-form">
                <div class="field">
                    <label for="f-roster-file">{t(lang, "units.import_file")}</label>
                    <input id="f-roster-file" type="file" name="file" required/>
                    <crate::ui::forms::UploadError id="err-roster-file"/>
                </div>
                <button type="submit" class="button">{t(lang, "units.import_preview")}</button>
            </form>
            <p><a href=format!("/api/v1/units/{unit}/roster/template") download>{t(lang, "units.template")}</a></p>
        </section>
    }
}

/// Giải tập thể: each block's ranking by the contest's formula, with every unit's computation.
#[component]
fn Collective(round: i64) -> impl IntoView {
    let lang = use_lang();
    let ranking = Resource::new(move || round, collective_view);
    view! {
        <section class="card" aria-labelledby="collective">
            <h2 id="collective">{t(lang, "part.collective")}</h2>
            <p class="hint">{t(lang, "part.collective_help")}</p>
            <Loaded resource=ranking let:blocks>
                {blocks.into_iter().filter(|b| b.block != crate::units::model::Block::City.code()).map(|b| view! {
                    <h3>{t(lang, &format!("block.{}", b.block))}</h3>
                    <Table heads=&["rounds.place", "rounds.prize", "part.unit", "part.computation"]>
                        {b.entries.iter().map(|e| view! {
                            <tr class=if e.excluded { "inactive" } else { "" }>
                                <td class="num">{e.place}</td>
                                <td>{e.prize.clone()}</td>
                                <td>{e.unit.name.clone()}</td>
                                <td>{super::collective::computation_text(lang, &e.unit, e.excluded, &b.rule)}</td>
                            </tr>
                        }).collect_view()}
                    </Table>
                }).collect_view()}
            </Loaded>
        </section>
    }
}
