"""The data-quality dashboard: one self-contained HTML file built from the warehouse by the
queries in `sql/dashboard/`.

Charts are Vega-Lite 5 specs rendered by the shipped Vega scripts, inlined into the page, so
it opens from file:// with no network.
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from flows.load import connect
from flows.offline_assets import script
from flows.paths import SQL, working_folder

# One query per chart or table of the page, in sql/dashboard/<name>.sql.
_QUERIES = SQL / "dashboard"


def build_dashboard(warehouse: Path, out: Path) -> Path:
    """Writes out/index.html and returns its path."""
    with connect(warehouse, read_only=True) as con:
        span = con.sql(_sql(_QUERIES / "history_grain.sql")).pl()
        grain = span["grain"][0]
        if grain not in _GRAINS:  # the one value spliced into SQL: only ever one of the query's own words
            raise ValueError(f"history_grain.sql chose {grain!r}, not one of {', '.join(_GRAINS)}")
        prepare_queries(con, grain)
        data = {query.stem: con.sql(_sql(query)).pl() for query in sorted(_QUERIES.glob("*.sql")) if query.stem != "history_grain"}
        data["history_grain"] = span
        # The same freshness `wirehouse status` prints, so the page and the command agree.
        data["freshness"] = con.sql(_sql(SQL / "status" / "freshness.sql")).pl()
    out.mkdir(parents=True, exist_ok=True)
    page = out / "index.html"
    docs = working_folder(warehouse, "data_docs") / "index.html"
    docs_link = os.path.relpath(docs, out) if docs.exists() else None
    _replace(page, _page(data, warehouse, docs_link))
    return page


def _replace(page: Path, text: str) -> None:
    """Writes `page` whole or not at all: a browser, or a reader following the page on a share,
    opens either the previous page or the new one, never one cut off mid-write (a run rebuilds
    it at its end while someone may have it open). The partial file is named after this
    process, so two builders of one page (a run and `wirehouse dashboard`) never share one."""
    partial = page.with_name(f".{page.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, page)
    finally:
        partial.unlink(missing_ok=True)


_GRAINS = {"run": "run", "day": "day", "week": "week starting", "month": "month"}


def prepare_queries(con, grain: str) -> None:
    """What the page's queries read besides the tables: the history's grain and each run's
    number and period (sql/dashboard/views/run_periods.sql), shared by the history charts."""
    con.execute(f"set variable dashboard_grain = '{grain}'")
    con.execute(f"create or replace temp view run_periods as {_sql(_QUERIES / 'views' / 'run_periods.sql')}")


def _sql(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _page(data: dict[str, pl.DataFrame], warehouse: Path, docs_link: str | None) -> str:
    runs, span = data["runs"], data["history_grain"].row(0, named=True)
    grain = span["grain"]
    last = runs.row(0, named=True) if runs.height else None
    history = _periods(data["run_history"], grain)
    charts = {
        "chart-runs": _runs_chart(history, grain),
        "chart-files": _files_chart(history, grain),
        "chart-pass-rates": _per_period_lines(
            _periods(data["pass_rates"], grain),
            grain,
            {"field": "pass_rate", "title": "expectations passed", "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
            "suite",
            "suite",
            f"Share of expectations passed, per suite and {grain}",
        ),
        "chart-row-counts": _per_period_lines(
            _periods(data["row_counts"], grain),
            grain,
            {
                "field": "count_rows",
                "title": "rows",
                "scale": {"type": "symlog"},
                "axis": _count_axis(data["row_counts"]["count_rows"].max()),
            },
            "table_name",
            "table",
            "Rows in each table after each run" if grain == "run" else f"Rows in each table after the last run of each {grain}",
        ),
        "chart-quad-classes": _quad_class_chart(data["quad_classes"]),
    }
    coverage = data["coverage"].row(0, named=True)
    share = lambda part: f"{part / coverage['articles']:.0%}" if coverage["articles"] else "n/a"  # noqa: E731
    status = f"<span class='status {last['status']}'>{last['status']}</span>" if last else "no runs yet"
    docs = f"<a href='{html.escape(docs_link)}'>Great Expectations Data Docs</a>" if docs_link else "Data Docs not built yet"
    fresh = data["freshness"].row(0, named=True)
    completed, newest = fresh["last_completed_at"], fresh["newest_published_at"]
    cards = "".join(
        f"<div class='card'><div class='figure'>{value}</div><div class='label'>{label}</div></div>"
        for value, label in [
            (_age(datetime.now(UTC).replace(tzinfo=None) - completed) if completed else "never", "since the last completed run"),
            (f"{newest:%Y-%m-%d}" if newest else "none", "newest publication"),
            (span["count_runs"], "runs"),
            (coverage["articles"], "articles"),
            (share(coverage["with_entities"]), "articles with entities"),
            (share(coverage["with_events"]), "articles with events"),
            (data["failing_now"].filter(pl.col("run") == pl.col("run").max()).height, "expectations failing now"),
            (coverage["quarantined_files"], "files in quarantine"),
        ]
    )
    grouped = "" if grain == "run" else f" ({span['count_runs']} runs, one point per {grain})"
    quarantined = coverage["quarantined_files"]
    sections = f"""
    <section><h2>Runs over time{grouped}</h2><div class='pair'><div id='chart-runs'></div><div id='chart-files'></div></div></section>
    <section><h2>Validation pass rate per suite</h2><div id='chart-pass-rates'></div></section>
    <section><h2>Expectations failing in the last five validated runs</h2>{_table(data["failing_now"], "Every expectation passed.")}</section>
    <section id='failing-files'><h2>Source files of the failing rows</h2>
    {_table(data["failing_files"], "No failing row leads to a source file.")}</section>
    <section><h2>Rows per table over time</h2><div id='chart-row-counts'></div></section>
    <section><h2>Events by quad class and modality</h2><div id='chart-quad-classes'></div></section>
    <section><h2>Quarantine{f" (the first 200 of {quarantined})" if quarantined > 200 else ""}</h2>
    {_table(data["quarantine"], "No file is in quarantine.")}</section>
    <section><h2>Runs{f" (the latest {runs.height} of {span['count_runs']})" if span["count_runs"] > runs.height else ""}</h2>
    {_table(runs.drop("run_number"), "No runs yet.")}</section>
    """
    embeds = _EMBED.replace("CHARTS", json.dumps(list(charts.items()), default=str).replace("</", "<\\/"))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Wirehouse data quality</title>
<style>{_CSS}</style>
<script>{script("vega.min.js")}</script>
<script>{script("vega-lite.min.js")}</script>
<script>{script("vega-embed.min.js")}</script>
</head><body>
<header><h1>Wirehouse data quality</h1>
<p>Warehouse <code>{html.escape(str(warehouse))}</code> · last run {status}
{html.escape(str(last["started_at"])) if last else ""} · {docs} · built {datetime.now():%Y-%m-%d %H:%M}</p></header>
<div class='cards'>{cards}</div>
{sections}
<script>{embeds}</script>
</body></html>
"""


def _periods(frame: pl.DataFrame, grain: str) -> pl.DataFrame:
    """The x value of each point: the run's number, or the day, week or month it starts."""
    label = (
        pl.col("run_number").cast(pl.String)
        if grain == "run"
        else pl.col("period_start").dt.strftime("%Y-%m" if grain == "month" else "%Y-%m-%d")
    )
    return frame.with_columns(period=label).drop("period_start")


def _age(elapsed: timedelta) -> str:
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h" if minutes < 48 * 60 else f"{minutes // 1440} days"


def _spec(values: pl.DataFrame, mark: dict, encoding: dict, title: str, width: int | str = "container") -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": title,
        "width": width,
        "height": 220,
        "data": {"values": values.to_dicts()},
        "mark": mark,
        "encoding": encoding,
        "config": {"view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 12}},
    }


_STATUS_COLOURS = {"domain": ["completed", "failed"], "range": ["#2e7d32", "#c62828"]}


def _count_axis(largest: int | None) -> dict:
    """An axis of whole numbers: no tick at 0.5 files. Vega's tick count is only a hint (it
    ticks 0, 0.5, 1 for a count of 1 despite tickMinStep); up to 5 it is exact, so a small
    count asks for one tick per unit."""
    return {"format": "d", "tickMinStep": 1, "tickCount": max(1, min(5, int(largest or 0)))}


def _largest_stack(frame: pl.DataFrame, by: str, value: str) -> int | None:
    return frame.group_by(by).agg(pl.col(value).sum())[value].max() if frame.height else None


def _x(grain: str) -> dict:
    """Periods in time order: runs by number, days and weeks by their ISO date (which sorts)."""
    axis = {"labelOverlap": "greedy"} | ({} if grain == "run" else {"labelAngle": -45})
    return {"field": "period", "type": "ordinal", "title": _GRAINS[grain], "sort": {"field": "run_number", "op": "min"}, "axis": axis}


def _runs_chart(history: pl.DataFrame, grain: str) -> dict:
    if grain == "run":
        y = {"field": "seconds", "type": "quantitative", "title": "duration (s)"}
        title = "Status and duration of each run"
    else:
        axis = _count_axis(_largest_stack(history, "period", "count_runs"))
        y = {"field": "count_runs", "type": "quantitative", "title": "runs", "stack": True, "axis": axis}
        title = f"Runs per {grain} by status (tooltip: mean duration in seconds)"
    return _spec(
        history.select("period", "run_number", "status", "count_runs", "seconds", "message"),
        {"type": "bar", "tooltip": True},
        {"x": _x(grain), "y": y, "color": {"field": "status", "type": "nominal", "scale": _STATUS_COLOURS}},
        title,
    )


def _files_chart(history: pl.DataFrame, grain: str) -> dict:
    files = (
        history.group_by("period")
        .agg(
            pl.col("run_number").min(),
            new=pl.col("count_files_new").sum(),
            unchanged=pl.col("count_files_unchanged").sum(),
            quarantined=pl.col("count_files_quarantined").sum(),
        )
        .unpivot(index=["period", "run_number"], variable_name="files", value_name="count")
        .sort("run_number", "files")
    )
    return _spec(
        files,
        {"type": "bar", "tooltip": True},
        {
            "x": _x(grain),
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": "files",
                "stack": True,
                "axis": _count_axis(_largest_stack(files, "period", "count")),
            },
            "color": {
                "field": "files",
                "type": "nominal",
                "scale": {"domain": ["new", "unchanged", "quarantined"], "range": ["#1565c0", "#90a4ae", "#ef6c00"]},
            },
        },
        "Files new, unchanged and quarantined per run" if grain == "run" else f"Files new, unchanged and quarantined per {grain}",
    )


def _per_period_lines(values: pl.DataFrame, grain: str, y: dict, series: str, series_title: str, title: str) -> dict:
    """One line per `series` across the periods."""
    return _spec(
        values,
        {"type": "line", "point": True, "tooltip": True},
        {"x": _x(grain), "y": {"type": "quantitative", **y}, "color": {"field": series, "type": "nominal", "title": series_title}},
        title,
    )


def _quad_class_chart(quads: pl.DataFrame) -> dict:
    return _spec(
        quads,
        {"type": "bar", "tooltip": True},
        {
            "y": {
                "field": "quad_name",
                "type": "nominal",
                "title": None,
                "sort": ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"],
            },
            "x": {
                "field": "events",
                "type": "quantitative",
                "title": "events",
                "stack": True,
                "axis": _count_axis(_largest_stack(quads, "quad_name", "events")),
            },
            "color": {
                "field": "modality",
                "type": "nominal",
                "scale": {"domain": ["asserted", "hypothetical", "negated"], "range": ["#37474f", "#8e24aa", "#f9a825"]},
            },
        },
        "Events by quad class and modality",
    )


# Columns of paths, which may break anywhere (a long file name has no space to break at);
# timestamps (`*_at`) stay on one line; every other cell breaks only between words.
_PATH_COLUMNS = {"source_file"}


def _cell_kind(column: str) -> str:
    return "path" if column in _PATH_COLUMNS else "when" if column.endswith("_at") else "text"


def _table(frame: pl.DataFrame, empty: str) -> str:
    if frame.is_empty():
        return f"<p class='empty'>{html.escape(empty)}</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    kinds = [_cell_kind(c) for c in frame.columns]
    rows = "".join(
        "<tr>" + "".join(f"<td class='{kind}'>{html.escape('' if v is None else str(v))}</td>" for kind, v in zip(kinds, row)) + "</tr>"
        for row in frame.head(200).iter_rows()
    )
    # In a box of its own that scrolls sideways: a table wider than the page (the runs, with their
    # messages) scrolls inside it instead of widening the whole page.
    return f"<div class='table-box'><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"


_EMBED = """
CHARTS.forEach(function (chart) {
  vegaEmbed('#' + chart[0], chart[1], {actions: false, renderer: 'svg'}).catch(function (error) {
    document.getElementById(chart[0]).textContent = 'chart failed: ' + error;
    console.error(error);
  });
});
"""

_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #263238; }
h1 { margin: 0 0 .25rem; } h2 { font-size: 1.1rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #cfd8dc; padding-bottom: .25rem; }
header p { color: #546e7a; margin: 0; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: .75rem; margin-top: 1.25rem; }
.card { background: #f5f7f8; border-radius: 6px; padding: .75rem; } .figure { font-size: 1.6rem; font-weight: 600; } .label { color: #607d8b; font-size: .85rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
#chart-pass-rates, #chart-row-counts, #chart-quad-classes, .pair > div { width: 100%; }
.table-box { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; } th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eceff1; vertical-align: top; }
th { background: #eceff1; } td { max-width: 28rem; overflow-wrap: normal; word-break: normal; } td.path { overflow-wrap: anywhere; } td.when { white-space: nowrap; }
.status { font-weight: 600; } .status.completed { color: #2e7d32; } .status.failed { color: #c62828; }
.empty { color: #607d8b; font-style: italic; }
"""
