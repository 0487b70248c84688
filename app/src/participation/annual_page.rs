//! Báo cáo năm: the annual report's tables and charts on a page, with the XLSX and PDF
//! downloads (organizers).

use super::server_fns::annual_view;
use crate::ui::{Loaded, Table, use_lang};
use crate::i18n::{fill, t};
use super::rates::percent;
use crate::numbers::group_digits;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;


/// An organizer's page (routes wrap it in `RequireOrganizer`).
#[component]
pub fn AnnualReport() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let year = move || query.read().get("year").and_then(|y| y.parse::<i64>().ok());
    let view_data = Resource::new(year, move |year| annual_view(year, lang.code().to_string()));
    view! {
        <Loaded resource=view_data let:v>
            <section class="card">
                <h1>{fill(&t(lang, "report.heading"), &[("year", &v.year.to_string())])}</h1>
                <form method="get" class="search-form">
                    <label for="f-year">{t(lang, "contests.year")}</label>
                    <input id="f-year" name="year" type="number" value=v.year/>
                    <button type="submit" class="button secondary">{t(lang, "part.show")}</button>
                </form>
                <p class="actions">
                    <a class="button" href=format!("/api/v1/reports/annual?year={}&format=xlsx", v.year) download>{t(lang, "report.xlsx")}</a>
                    <a class="button secondary" href=format!("/api/v1/reports/annual?year={}&format=pdf", v.year) download>{t(lang, "report.pdf")}</a>
                </p>
                <div class="table-wrap">
                    <table>
                        <tbody>
                            {v.statistics.iter().map(|(k, val)| view! { <tr><th scope="row">{k.clone()}</th><td class="num">{val.clone()}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="chart" inner_html=v.bar_svg.clone()></div>
                <div class="chart" inner_html=v.line_svg.clone()></div>
                <h2>{t(lang, "part.by_block")}</h2>
                <p class="explain">{t(lang, "part.by_block_explain")}</p>
                <Table heads=&["part.round", "part.block", "part.units", "part.block_eligible", "part.block_participated", "part.block_rate", "part.units_at_100"]>
                    {v.blocks.iter().map(|(round, block, units, eligible, participated, rate, full)| view! {
                        <tr><td>{round.clone()}</td><td>{t(lang, &format!("block.{block}"))}</td><td class="num">{*units}</td><td class="num">{group_digits(lang, *eligible)}</td>
                            <td class="num">{group_digits(lang, *participated)}</td><td class="num">{percent(lang, *rate)}</td><td class="num">{*full}</td></tr>
                    }).collect_view()}
                </Table>
                {(!v.merged.is_empty()).then(|| view! {
                    <h2>{t(lang, "report.merged")}</h2>
                    <ul>
                        {v.merged.iter().map(|(old, new, entries)| view! { <li>{format!("{old} → {new} ({})", group_digits(lang, *entries))}</li> }).collect_view()}
                    </ul>
                })}
            </section>
        </Loaded>
    }
}
