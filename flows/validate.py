"""Great Expectations over the transformed tables: the only module that imports GX.

Suites live in `expectations/<table>.json`. Each expectation carries GX's `severity`
(`critical` stops the load; `warning` loads and records) and a `meta.why`. Reference
checks between tables take the batch's keys as suite parameters (`$PARAMETER`).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path

import polars as pl

from flows.offline_assets import localise_site
from flows.paths import EXPECTATIONS
from flows.schemas import VALIDATION_RESULTS, conform

_EXAMPLES = 5
# Files named per failing expectation and run: enough to open the first ones; the count says how many rows.
FAILING_FILES = 20


@dataclass(frozen=True)
class ValidationReport:
    results: pl.DataFrame  # VALIDATION_RESULTS rows

    @property
    def critical_failures(self) -> pl.DataFrame:
        return self.results.filter((pl.col("severity") == "critical") & ~pl.col("success"))

    @property
    def warnings(self) -> pl.DataFrame:
        return self.results.filter((pl.col("severity") != "critical") & ~pl.col("success"))

    @property
    def passed(self) -> bool:
        return self.critical_failures.is_empty()

    def verdict(self) -> str:
        total, failed = self.results.height, self.results.filter(~pl.col("success")).height
        if total == 0:
            return "nothing new to validate"
        if not self.passed:
            first = self.critical_failures.row(0, named=True)
            return (
                f"FAILED: critical expectation {first['table_name']}.{first['expectation']} "
                f"({first['unexpected_count']} unexpected, e.g. {first['unexpected_examples']})"
            )
        return f"passed {total - failed} of {total} expectations" + (f", {failed} warning(s): {self._named_warnings()}" if failed else "")

    def _named_warnings(self, shown: int = 3) -> str:
        """Which warnings, so a summary that says there are some also says what to look at."""
        named = [
            f"{w['table_name']}.{w['expectation']} ({w['unexpected_count'] or 0} unexpected)"
            for w in self.warnings.head(shown).iter_rows(named=True)
        ]
        more = self.warnings.height - shown
        return "; ".join(named) + (f"; and {more} more (wirehouse status)" if more > 0 else "")


def combine(reports: list[ValidationReport]) -> ValidationReport:
    """One result per expectation over all of a run's batches: it succeeds if it succeeded on
    every batch; unexpected rows add up; the observed value and examples come from the first
    batch (in the order they were validated) it failed on, else from the first batch."""
    frames = [report.results for report in reports if not report.results.is_empty()]
    if not frames:
        return ValidationReport(pl.DataFrame(schema=VALIDATION_RESULTS))
    keys = ["run_id", "table_name", "expectation", "severity"]
    combined = (
        pl.concat(frames)
        .with_columns(order=pl.int_range(pl.len()))
        .sort(pl.col("success"), "order")  # failures first, each in batch order
        .group_by(keys, maintain_order=True)
        .agg(
            pl.col("success").all(),
            pl.col("observed_value").first(),
            pl.when(pl.col("unexpected_count").is_not_null().any()).then(pl.col("unexpected_count").sum()),
            pl.col("unexpected_examples").first(),
            pl.col("unexpected_source_files").drop_nulls().alias("_files"),
            pl.col("order").min(),
        )
        .with_columns(unexpected_source_files=pl.col("_files").map_elements(_merge_file_lists, return_dtype=pl.String))
    )
    return ValidationReport(conform(combined.sort("order"), VALIDATION_RESULTS))


def _merge_file_lists(lists: pl.Series) -> str | None:
    files = list(dict.fromkeys(name for text in lists for name in json.loads(text)))[:FAILING_FILES]
    return json.dumps(files, ensure_ascii=False) if files else None


def suite_names() -> list[str]:
    return sorted(path.stem for path in EXPECTATIONS.glob("*.json"))


def load_suite_json(table: str) -> dict:
    return json.loads((EXPECTATIONS / f"{table}.json").read_text(encoding="utf-8"))


def validate_tables(run_id: str, tables: dict[str, pl.DataFrame], parameters: dict) -> ValidationReport:
    """Runs each table's suite on its frame; one result row per expectation. A run with no
    new rows at all has nothing to validate (and skips Great Expectations' start-up). A table
    without a suite is an error: skipping it would pass it unchecked."""
    rows = []
    if all(frame.is_empty() for frame in tables.values()):
        return ValidationReport(pl.DataFrame(schema=VALIDATION_RESULTS))
    articles = tables.get("articles")
    files = dict(articles.select("article_id", "source_file").iter_rows()) if articles is not None else {}
    for table, frame in tables.items():
        rows.extend(_validate_one(run_id, table, frame, parameters, files))
    return ValidationReport(pl.DataFrame(rows, schema=VALIDATION_RESULTS))


def build_data_docs(site: Path) -> Path:
    """Great Expectations' Data Docs for the suites and this process's validations, written to
    `site` and rewritten to use the shipped assets, so they open offline. Returns index.html."""
    context = _context()
    name = _docs_site(str(site.resolve()))
    context.build_data_docs(site_names=[name])
    localise_site(site)
    return site / "index.html"


@cache
def _docs_site(directory: str) -> str:
    name = f"site_{len(_context().get_config().data_docs_sites or {})}"
    _context().add_data_docs_site(
        site_name=name,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": directory},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    return name


def failing_rows(table: str, frame: pl.DataFrame, parameters: dict, run_id: str | None = None) -> dict[int, str]:
    """Rows of `frame` (by position) that fail a critical row-level expectation of the table's
    suite, each with the first such expectation's name: what can be quarantined alone, while a
    table-level failure (a row count, a reference to another table's keys) stops the load."""
    failing: dict[int, str] = {}
    for name, severity, outcome in _outcomes(table, frame, parameters, {"result_format": "COMPLETE"}, run_id):
        if severity == "critical" and not outcome.success:
            for position in (outcome.result or {}).get("unexpected_index_list") or []:
                if isinstance(position, int):
                    failing.setdefault(position, name)
    return failing


def _outcomes(table: str, frame: pl.DataFrame, parameters: dict, result_format: dict, run_id: str | None):
    """(unique expectation name, severity, GX result) of each expectation of the table's suite.
    Data Docs name the validation after `run_id` (the `runs` row) and the table."""
    definition = _validation_definition(table)
    pandas_frame = frame.drop([c for c, t in frame.schema.items() if t == pl.Binary]).to_pandas()
    run = _run_identifier(run_id) if run_id else None
    result = definition.run(
        batch_parameters={"dataframe": pandas_frame}, expectation_parameters=parameters, result_format=result_format, run_id=run
    )
    _name_the_asset(table, result)
    seen = set()
    for outcome in result.results:
        config = outcome.expectation_config
        name = _expectation_name(config.type, config.kwargs)
        while name in seen:
            name += "'"
        seen.add(name)
        yield name, str(config.severity.value if hasattr(config.severity, "value") else config.severity), outcome


def _name_the_asset(table: str, result) -> None:
    """A pandas batch's spec carries no asset name, and the validation page of Data Docs reads
    it from there (showing `None`): the stored result is rewritten with the table's name, under
    the key GX stored it by (one per table and run, see `_run_identifier`)."""
    result.meta["batch_spec"] = {**(result.meta.get("batch_spec") or {}), "data_asset_name": table}
    run = result.meta["run_id"]
    store = _context().validation_results_store
    for key in store.list_keys():
        if key.expectation_suite_identifier.name == table and key.run_id.to_tuple() == run.to_tuple():
            store.set(key, result)


@lru_cache(maxsize=8)
def _run_identifier(run_id: str):
    """One GX run identifier per Wirehouse run. GX keys a stored result by suite, run name, run
    time and batch, and gives an identifier without a time the moment it validates: each batch
    of a run and each re-validation after a quarantine would add a result to the store (and a
    page to the Data Docs), so a long process's store grew with every batch it validated. With
    one time per run the key repeats and replaces the earlier result: one per table and run."""
    from great_expectations.core.run_identifier import RunIdentifier

    return RunIdentifier(run_name=run_id, run_time=datetime.now(UTC))


def _row_key(frame: pl.DataFrame) -> str | None:
    """The column that leads a failing row back to its file: the file itself, else its article."""
    return next((column for column in ("source_file", "article_id") if column in frame.columns), None)


def _validate_one(run_id: str, table: str, frame: pl.DataFrame, parameters: dict, files: dict[str, str]) -> list[dict]:
    rows = []
    key = _row_key(frame)
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": FAILING_FILES}
    if key:
        result_format["unexpected_index_column_names"] = [key]
    for name, severity, outcome in _outcomes(table, frame, parameters, result_format, run_id):
        detail = outcome.result or {}
        observed = detail.get("observed_value")
        error = (outcome.exception_info or {}).get("exception_message")
        if error:  # an expectation that could not be evaluated has failed, and says why
            observed = f"could not evaluate: {error}"
        if observed is None and "element_count" in detail:
            observed = f"{detail.get('unexpected_count', 0)} of {detail['element_count']} rows unexpected"
        examples = detail.get("partial_unexpected_list") or []
        rows.append(
            {
                "run_id": run_id,
                "table_name": table,
                "expectation": name,
                "severity": severity,
                "success": bool(outcome.success),
                "observed_value": None if observed is None else str(observed),
                "unexpected_count": detail.get("unexpected_count"),
                "unexpected_examples": json.dumps(examples[:_EXAMPLES], default=str, ensure_ascii=False) if examples else None,
                "unexpected_source_files": _source_files(detail, key, files) if not outcome.success else None,
            }
        )
    return rows


def _source_files(detail: dict, key: str | None, files: dict[str, str]) -> str | None:
    """The files the failing rows came from (as GX lists the rows: by `key`), as a JSON list."""
    rows = detail.get("partial_unexpected_index_list") or []
    found = [row.get(key) for row in rows if isinstance(row, dict)]
    names = [name if key == "source_file" else files.get(name) for name in found]
    unique = list(dict.fromkeys(name for name in names if name))[:FAILING_FILES]
    return json.dumps(unique, ensure_ascii=False) if unique else None


def _expectation_name(kind: str, kwargs: dict) -> str:
    columns = kwargs.get("column") or kwargs.get("column_list") or [kwargs.get("column_A"), kwargs.get("column_B")]
    if isinstance(columns, list):
        columns = ",".join(str(c) for c in columns if c)
    return f"{kind}({columns})"


@cache
def _validation_definition(table: str):
    import great_expectations as gx

    context = _context()
    suite = context.suites.add(gx.ExpectationSuite(**load_suite_json(table)))
    asset = context.data_sources.get("frames").add_dataframe_asset(table)
    batch = asset.add_batch_definition_whole_dataframe(table)
    return context.validation_definitions.add(gx.ValidationDefinition(name=table, data=batch, suite=suite))


@lru_cache(maxsize=1)
def _context():
    os.environ["GX_ANALYTICS_ENABLED"] = "False"  # no usage reports leave this machine
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # Some GX modules set their own INFO level; their chatter is not the user's business.
    for name in [n for n in logging.root.manager.loggerDict if n.startswith("great_expectations")]:
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("frames")
    return context
