//! Charts of the annual report page, drawn on the server as SVG: a bar chart of unit rates and
//! a line chart of entries over time. The PDF lays out its own, compact charts from the same
//! figures (`annual_pdf`).

/// One horizontal bar: label, value 0–1.
pub struct Bar<'a> {
    pub label: &'a str,
    pub value: f64,
}

pub const BAR_HEIGHT: f64 = 16.0;
pub const LABEL_WIDTH: f64 = 260.0;
pub const BAR_WIDTH: f64 = 360.0;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Horizontal bars, one per unit, with the rate printed after each bar.
/// `lang`: how the rates are written ("66,7%" or "66.7%").
pub fn bar_chart_svg(lang: crate::i18n::Lang, title: &str, bars: &[Bar]) -> String {
    let height = 30.0 + bars.len() as f64 * (BAR_HEIGHT + 4.0);
    let width = LABEL_WIDTH + BAR_WIDTH + 60.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{t}" font-family="DejaVu Sans, sans-serif" font-size="11"><text x="0" y="14" font-weight="bold">{t}</text>"#,
        t = escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 24.0 + i as f64 * (BAR_HEIGHT + 4.0);
        let w = (b.value.clamp(0.0, 1.0) * BAR_WIDTH).max(1.0);
        let color = if b.value >= 1.0 {
            "#146c2e"
        } else if b.value < 0.8 {
            "#b42318"
        } else {
            "#9b1c1c"
        };
        svg.push_str(&format!(
            r##"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{x}" y="{y}" width="{w:.1}" height="{h}" fill="{color}"/><text x="{vx:.1}" y="{ty}">{v}%</text>"##,
            lx = LABEL_WIDTH - 6.0,
            ty = y + BAR_HEIGHT - 4.0,
            label = escape(b.label),
            x = LABEL_WIDTH,
            h = BAR_HEIGHT,
            vx = LABEL_WIDTH + w + 4.0,
            v = crate::numbers::fixed(lang, b.value * 100.0, 1)
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub const LINE_WIDTH: f64 = 620.0;
pub const LINE_HEIGHT: f64 = 180.0;

/// Points of the entries-over-time line in a `LINE_WIDTH` × `LINE_HEIGHT` box (y down).
pub fn line_points(values: &[i64]) -> Vec<(f64, f64)> {
    let max = values.iter().copied().max().unwrap_or(0).max(1) as f64;
    let step = if values.len() > 1 { LINE_WIDTH / (values.len() - 1) as f64 } else { 0.0 };
    values.iter().enumerate().map(|(i, v)| (i as f64 * step, LINE_HEIGHT - *v as f64 / max * LINE_HEIGHT)).collect()
}

/// Entries per day as a line, with the first and last day and the peak labelled.
pub fn line_chart_svg(title: &str, days: &[(String, i64)]) -> String {
    let values: Vec<i64> = days.iter().map(|(_, v)| *v).collect();
    let points = line_points(&values);
    let (ox, oy) = (40.0, 30.0);
    let path: Vec<String> = points.iter().map(|(x, y)| format!("{:.1},{:.1}", x + ox, y + oy)).collect();
    let peak = values.iter().copied().max().unwrap_or(0);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{t}" font-family="DejaVu Sans, sans-serif" font-size="11"><text x="0" y="14" font-weight="bold">{t}</text><line x1="{ox}" y1="{by}" x2="{rx}" y2="{by}" stroke="#8a949e"/><line x1="{ox}" y1="{oy}" x2="{ox}" y2="{by}" stroke="#8a949e"/><text x="{lx}" y="{ly}" text-anchor="end">{peak}</text><text x="{lx}" y="{by}" text-anchor="end">0</text>"##,
        w = LINE_WIDTH + ox + 20.0,
        h = LINE_HEIGHT + oy + 30.0,
        t = escape(title),
        by = LINE_HEIGHT + oy,
        rx = LINE_WIDTH + ox,
        lx = ox - 4.0,
        ly = oy + 4.0,
    );
    if !path.is_empty() {
        svg.push_str(&format!(r##"<polyline points="{}" fill="none" stroke="#9b1c1c" stroke-width="2"/>"##, path.join(" ")));
    }
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        svg.push_str(&format!(
            r#"<text x="{ox}" y="{y}">{}</text><text x="{rx}" y="{y}" text-anchor="end">{}</text>"#,
            escape(&first.0),
            escape(&last.0),
            y = LINE_HEIGHT + oy + 18.0,
            rx = LINE_WIDTH + ox
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_carry_their_figures_and_escape_names() {
        let svg = bar_chart_svg(crate::i18n::Lang::En, "Tỷ lệ tham gia", &[Bar { label: "Sở Y tế", value: 1.0 }, Bar { label: "A & B <x>", value: 0.5 }]);
        assert!(svg.contains("Sở Y tế") && svg.contains("100.0%") && svg.contains("50.0%"));
        let vi = bar_chart_svg(crate::i18n::Lang::Vi, "Tỷ lệ", &[Bar { label: "X", value: 2.0 / 3.0 }]);
        assert!(vi.contains(">66,7%<"), "{vi}");
        assert!(svg.contains("A &amp; B &lt;x&gt;"));
        assert_eq!(svg.matches("<rect").count(), 2);
        let points = line_points(&[0, 5, 10]);
        assert_eq!(points, vec![(0.0, LINE_HEIGHT), (LINE_WIDTH / 2.0, LINE_HEIGHT / 2.0), (LINE_WIDTH, 0.0)]);
        let line = line_chart_svg("Bài nộp theo ngày", &[("2026-11-01".into(), 3), ("2026-11-02".into(), 7)]);
        assert!(line.contains("<polyline") && line.contains("2026-11-01") && line.contains(">7<"));
    }
}
