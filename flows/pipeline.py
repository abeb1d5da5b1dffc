"""The Wirehouse ETL as a Prefect flow: the only module that imports Prefect.

files -> inventory (new, changed, unchanged, removed)
      -> batches, in parallel: read -> clean -> parse -> entities -> events -> Parquet
      -> validation of each batch and of the run's figures
      -> one load of every batch into DuckDB (a single writer)
"""

from __future__ import annotations

import os

# Settings Prefect reads at import: no telemetry from client or server, quiet logs.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
# Dask's scheduler, nannies and workers (which inherit this environment) announce every step.
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")

import logging  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import types  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from contextlib import ExitStack, contextmanager, suppress  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

import polars as pl  # noqa: E402
from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.context import FlowRunContext  # noqa: E402
from prefect.exceptions import MissingContextError  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.logging import get_run_logger  # noqa: E402
from prefect.logging.handlers import APILogHandler  # noqa: E402
from prefect.logging.loggers import PrefectLogAdapter  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.settings import get_current_settings  # noqa: E402
from prefect.states import Completed, Failed  # noqa: E402
from prefect.task_runners import ProcessPoolTaskRunner  # noqa: E402

from flows import batch, dashboard, extract, inventory, lifeline, load, validate  # noqa: E402
from flows.paths import SAMPLES, WAREHOUSE, warehouse_files, working_folder  # noqa: E402
from flows.progress import Log, progress, say  # noqa: E402
from flows.schemas import RUN_COUNTED_TABLES  # noqa: E402
from flows.steps import StepFailed, named, step  # noqa: E402
from flows.summary import RunSummary  # noqa: E402
from flows.transforms import dictionaries, run_metrics  # noqa: E402

# A failing step says its name; a busy warehouse stays itself (the command exits 3 for it).
_step = named(passing=(load.WarehouseBusy,))

# The parts of the flow body between the tasks, named like them when they fail: the warehouse
# read before the work, and what the run writes about itself after it.
known_files = _step(load.known_files)
previous_run = _step(load.previous_run)
table_counts = _step(load.table_counts)


def _run_log() -> Log | None:
    """The run's own log, which the Prefect UI shows (a served run's too), and only that: the
    console has these lines from flows.progress already, without Prefect's format around them."""
    try:
        extra = get_run_logger().extra
    except MissingContextError:
        return None
    logger = logging.getLogger("prefect.flow_runs.wirehouse")
    if not logger.handlers:
        logger.addHandler(APILogHandler())
        logger.setLevel(logging.INFO)  # Prefect's loggers are at WARNING (quiet logs, above)
        logger.propagate = False
    return PrefectLogAdapter(logger, extra).info


def prefect_server() -> str:
    """Where this run's Prefect server is, said before it starts (a temporary one takes seconds)."""
    url = os.environ.get("PREFECT_API_URL") or get_current_settings().api.url
    return f"running on the Prefect server at {url}" if url else "starting a temporary Prefect server (PREFECT_API_URL names a lasting one)"


@task(retries=2, retry_delay_seconds=1)
@_step
def scan_files(source: Path, max_file_bytes: int, warehouse: Path, log_every: float = 5.0) -> pl.DataFrame:
    files = extract.list_source_files(source, excluded=warehouse_files(warehouse))
    log = _run_log()
    say(f"reading {len(files)} files from {source}", log)
    frames = []
    with progress("reading files", len(files), log, log_every) as read:
        for frame in extract.scan_files(files, max_file_bytes):
            frames.append(frame)
            read.advance(frame.height)
    return pl.concat(frames) if frames else extract.read_raw_documents([]).drop("raw_bytes")


@task
@_step
def transform_batch(source: Path, files: list[str], directory: Path, run_id: str, max_file_bytes: int) -> batch.Staged:
    tables, seconds = batch.transform_files(source, files, run_id, max_file_bytes, batch.tally_in(directory))
    return batch.stage(tables, directory, len(files), seconds)


@task
@_step
def validate_batch(source: Path, run_id: str, staged: batch.Staged, now: datetime) -> tuple[batch.Staged, validate.ValidationReport]:
    """Validates a batch; an article failing a critical row-level expectation goes to quarantine
    with the expectation's name, and the rest of the batch is validated again without it."""
    tables = batch.read_staged(staged.directory)
    report = validate.validate_tables(run_id, tables, _parameters(tables, now))
    if report.critical_failures.filter(pl.col("table_name") == "articles").is_empty():
        return staged, report
    articles = tables["articles"]
    failing = validate.failing_rows("articles", articles, _parameters(tables, now), run_id)
    if not failing:
        return staged, report
    ids = articles["article_id"].to_list()
    staged = batch.quarantine_articles(
        source, staged, {ids[row]: f"failed the critical expectation articles.{name}" for row, name in sorted(failing.items())}
    )
    tables = batch.read_staged(staged.directory)
    return staged, validate.validate_tables(run_id, tables, _parameters(tables, now))


def _parameters(tables: dict[str, pl.DataFrame], now: datetime) -> dict:
    return {
        "article_ids": tables["articles"]["article_id"].to_list(),
        "entity_ids": tables["entities"]["entity_id"].to_list(),
        "iso3_codes": dictionaries.countries()["iso3"].to_list(),
        "cameo_codes": dictionaries.cameo_codes()["cameo_code"].to_list(),
        "now": now,
    }


@task
@_step
def validate_run_metrics(run_id: str, metrics: pl.DataFrame, previous: dict | None) -> validate.ValidationReport:
    return validate.validate_tables(run_id, {"run_metrics": metrics}, run_metrics.metric_bounds(previous))


@task
@_step
def publish_data_docs(warehouse: Path) -> Path:
    return validate.build_data_docs(working_folder(warehouse, "data_docs"))


@task
def publish_dashboard(warehouse: Path) -> str:
    """The dashboard rebuilt with this run in it, where `wirehouse dashboard` writes it. The run
    has loaded (or not) by now: a dashboard that cannot be drawn is said in the summary, and
    does not turn the run it reports on into a failure."""
    try:
        return str(dashboard.build_dashboard(warehouse, working_folder(warehouse, "dashboard")))
    except Exception as error:  # noqa: BLE001 (the run's outcome is already decided and recorded)
        return f"not rebuilt ({type(error).__name__}: {error}); try `wirehouse dashboard --warehouse {warehouse}`"


@task
@_step
def load_tables(
    warehouse: Path, root: str, staged: list[batch.Staged], removed: pl.DataFrame, run: pl.DataFrame,
    report: validate.ValidationReport,
) -> dict[str, int]:  # fmt: skip
    if not report.passed:
        load.record_run(warehouse, run, report.results)
        return {}
    return load.load_staged(warehouse, root, [s.directory for s in staged], removed, run, report.results)


def serve(name: str, cron: str, parameters: dict) -> None:
    """Serves the flow as a deployment on `cron`, one run at a time: the deployment's
    concurrency limit, and this process never starts a second run while one is going."""
    etl.serve(name=name, cron=cron, parameters=parameters, global_limit=1, limit=1)


def server_problem() -> str | None:
    """Why `serve` cannot work here (no Prefect server configured, or none answering), or None.
    Without a server, serving would idle forever: a temporary server keeps no schedule."""
    url = get_current_settings().api.url
    if not url:
        return "serving needs a Prefect server: start one and set PREFECT_API_URL (README, Operations)"
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=5):
            return None
    except urllib.error.HTTPError:  # a server answered, if not to this path (Prefect Cloud)
        return None
    except OSError as error:
        return f"no Prefect server answers at {url} ({getattr(error, 'reason', error)}): start it, or point PREFECT_API_URL at one"


_CRON_FIELDS = (("minute", "0-59"), ("hour", "0-23"), ("day-of-month", "1-31"), ("month", "1-12"), ("day-of-week", "0-6"))


def cron_problem(expression: str) -> str | None:
    """What is wrong with a cron expression for `serve`, naming the field; None when Prefect's
    CronSchedule takes it. Checked before serving, since `serve` reports a bad one only after
    it has announced the deployment."""
    from prefect._vendor.croniter import croniter
    from prefect.client.schemas.schedules import CronSchedule

    fields = expression.split()
    if len(fields) != len(_CRON_FIELDS):
        return f"{expression!r} has {len(fields)} field(s); a cron expression has 5: minute hour day-of-month month day-of-week"
    for index, (name, allowed) in enumerate(_CRON_FIELDS):
        alone = " ".join(field if position == index else "*" for position, field in enumerate(fields))
        if not croniter.is_valid(alone):
            return f"the {name} field {fields[index]!r} of {expression!r} is not valid (values {allowed}, lists, ranges, */steps)"
    try:
        CronSchedule(cron=expression)
    except ValueError as error:  # pydantic's ValidationError: keep Prefect's own reason
        return f"{expression!r}: {error.errors()[0]['msg'] if hasattr(error, 'errors') else error}"
    return None


def task_runner(dask_address: str | None = None, dask_workers: int = 0, workers: int | None = None):
    """Where the batches run: a Dask cluster at `dask_address`, a local Dask cluster of
    `dask_workers` processes, or (the default) a pool of `workers` local processes."""
    if dask_address or dask_workers:
        from prefect_dask import DaskTaskRunner

        if dask_address:
            return DaskTaskRunner(address=dask_address)
        # No diagnostics dashboard: it needs bokeh, which is not installed.
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": dask_workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
        )
    # Each worker dies with the process that started the pool, even when that one is SIGKILLed.
    return ProcessPoolTaskRunner(max_workers=workers or os.cpu_count() or 1, initializer=lifeline.pool_worker, initargs=(os.getpid(),))


def _temporary_server_dies_with_this_process() -> None:
    """Prefect starts its temporary server (when no server is configured) as a plain child
    process, which outlives a run killed outright. Started through `flows.lifeline` instead,
    it gets SIGTERM when this process dies. Only for a start from the main thread: the kernel
    signals when the starting thread ends, and the main thread ends with the process."""
    if os.environ.get("PREFECT_API_URL") or get_current_settings().api.url:
        return
    from prefect.server.api import server as prefect_server

    class Popen(subprocess.Popen):
        def __init__(self, args, *more, **options):
            if threading.current_thread() is threading.main_thread() and list(args[:3]) == [sys.executable, "-m", "uvicorn"]:
                args = [sys.executable, "-m", "flows.lifeline", str(os.getpid()), *args]
            super().__init__(args, *more, **options)

    prefect_server.subprocess = types.SimpleNamespace(**{**vars(subprocess), "Popen": Popen})


_temporary_server_dies_with_this_process()


@flow(name="wirehouse-etl", log_prints=False, task_runner=task_runner())
def etl(
    source: Path = SAMPLES,
    warehouse: Path = WAREHOUSE,
    full_refresh: bool = False,
    max_file_bytes: int = extract.MAX_FILE_BYTES,
    lock_wait_seconds: float = 10,
    batch_files: int = batch.BATCH_FILES,
    allow_empty: bool = False,
    log_every_seconds: float = 5.0,
):
    """Extract every file under `source`, transform, validate, and load into `warehouse`.

    One run at a time per warehouse: a second run waits up to `lock_wait_seconds` for the
    first, then fails as busy without touching anything. Files are transformed in batches of
    at most `batch_files` on the flow's task runner. A source with no files where the warehouse
    knows some (an unmounted share) fails the run, unless `allow_empty` (then they are removed).
    Progress goes to stderr and the run's log, a line every `log_every_seconds` at most.
    """
    source, warehouse = Path(source).resolve(), Path(warehouse).resolve()
    try:
        with ExitStack() as held:
            with step("lock_warehouse", passing=(load.WarehouseBusy,)):
                died = held.enter_context(load.run_lock(warehouse, lock_wait_seconds, holder=str(flow_run.get_id() or "")))
            with step("mark_crashed_run"):
                _mark_crashed(died)
            load.failpoint("run:locked")
            started = datetime.now(UTC).replace(tzinfo=None)
            run_id = str(flow_run.get_id() or uuid.uuid4())
            try:
                # What no part below names is the flow body's own: said as the flow's, still one line.
                with step("wirehouse-etl", passing=(load.WarehouseBusy, SourceUnavailable)):
                    return _etl(
                        source, warehouse, full_refresh, max_file_bytes, batch_files, allow_empty, run_id, started, log_every_seconds
                    )
            except Exception as error:
                _record_failure(run_id, source, warehouse, started, error)
                raise
    except load.WarehouseBusy as busy:
        return Failed(message=str(busy), data=busy)


def _mark_crashed(flow_run_id: str) -> None:
    """The run that died holding the warehouse's lock (SIGKILL, the OOM killer) could not say so
    itself: on a lasting server it would show as running for ever."""
    if not flow_run_id:
        return
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect.states import Crashed

    with get_client(sync_client=True) as client:
        try:
            died = client.read_flow_run(uuid.UUID(flow_run_id))
        except (ObjectNotFound, ValueError):  # a run of another server (a temporary one, gone with its process)
            return
        if died.state and died.state.is_running():
            client.set_flow_run_state(died.id, Crashed(message="its process died; a later run found its lock free"), force=True)


class SourceUnavailable(RuntimeError):
    """The source folder is missing, or empty where the warehouse knows files from it."""


def _record_failure(run_id: str, source: Path, warehouse: Path, started: datetime, error: Exception) -> None:
    """A run that stopped on an error is still a run: `runs` says so and why."""
    summary = RunSummary(run_id=run_id, status="failed", source=str(source), warehouse=str(warehouse))
    summary.verdict = str(error) if isinstance(error, StepFailed) else f"{type(error).__name__}: {str(error).strip()}"
    with suppress(Exception):  # the error being reported matters more than a failure to record it
        load.record_run(warehouse, summary.run_row(started, datetime.now(UTC).replace(tzinfo=None), {}), validate.combine([]).results)
        publish_dashboard.fn(warehouse)  # the page shows the failure too


def _etl(
    source: Path, warehouse: Path, full_refresh: bool, max_file_bytes: int, batch_files: int, allow_empty: bool, run_id: str,
    started: datetime, log_every: float,
):  # fmt: skip
    clock = time.monotonic()
    root = str(source)
    log = _run_log()

    if not source.is_dir():
        raise SourceUnavailable(f"source folder {source} does not exist or is not a folder")
    scanned = scan_files(source, max_file_bytes, warehouse, log_every)
    known = known_files(warehouse, root)
    current = known.filter(pl.col("status") != "removed")
    if scanned.is_empty() and not current.is_empty() and not allow_empty:
        raise SourceUnavailable(
            f"source folder {source} is empty, but the warehouse knows {inventory.count_files(current)} files from it "
            "(an unmounted share?); nothing was marked removed. Pass --allow-empty if the folder really is empty now."
        )
    with step("take_inventory"):
        seen = inventory.take_inventory(scanned, known, full_refresh)
        removed = inventory.removed_file_rows(root, run_id, seen.removed)
    with staging_area(warehouse, run_id) as staging:
        say(
            f"{seen.to_process.height} new or changed, {seen.unchanged.height} unchanged, {inventory.count_files(seen.removed)} removed",
            log,
        )
        with step("transform_and_validate"):  # the batches' own steps name themselves
            staged, reports = _transform_and_validate(
                source, seen.to_process["source_file"].to_list(), staging, run_id, max_file_bytes, batch_files, started, log, log_every
            )
        load.failpoint("run:transformed")
        with step("measure_run"):
            articles = sum(s.rows["articles"] for s in staged)
            quarantined = [item for s in staged for item in s.quarantined]
            metrics = run_metrics.run_metrics(
                articles,
                sum(s.articles_with_entities for s in staged),
                sum(s.articles_with_events for s in staged),
                sum(s.rows["entity_mentions"] for s in staged),
                sum(s.rows["events"] for s in staged),
                seen.to_process.height,
                len(quarantined),
            )
        if articles or quarantined:
            reports.append(validate_run_metrics(run_id, metrics, previous_run(warehouse)))
        with step("combine_validations"):
            report = validate.combine(reports)
        docs = publish_data_docs(warehouse) if not report.results.is_empty() else None

        summary = RunSummary(
            run_id=run_id,
            status="completed" if report.passed else "failed",
            source=root,
            warehouse=str(warehouse),
            files_seen=scanned.height,
            files_new=seen.to_process.height,
            files_unchanged=seen.unchanged.height,
            files_removed=inventory.count_files(seen.removed),
            files_quarantined=len(quarantined),
            verdict=report.verdict(),
            quarantined=quarantined,
            data_docs=str(docs) if docs else "",
            step_seconds={step: sum(s.seconds.get(step, 0.0) for s in staged) for step in (staged[0].seconds if staged else {})},
        )
        produced = {t: sum(s.rows[t] for s in staged) for t in RUN_COUNTED_TABLES}
        summary.seconds = time.monotonic() - clock
        run = summary.run_row(started, datetime.now(UTC).replace(tzinfo=None), produced)
        say(f"loading into {warehouse}" if report.passed else f"not loading: {report.verdict()}", log)
        loaded = load_tables(warehouse, root, staged, removed, run, report)
    summary.loaded = {t: loaded[t] for t in (*RUN_COUNTED_TABLES, "quarantine")} if loaded else {}
    summary.loaded_by_table = dict(loaded or {})
    if not report.passed:
        summary.message = "nothing was loaded: the warehouse is as it was before this run"
    summary.totals = table_counts(warehouse)
    summary.dashboard = publish_dashboard(warehouse)
    if log:  # a served run has no terminal: its log ends with what the terminal would have shown
        log(summary.text())
    with step("publish_summary"):
        create_markdown_artifact(key="wirehouse-run-summary", markdown=summary.markdown(), description="Wirehouse run summary")
    if not report.passed:
        return Failed(message=report.verdict(), data=summary)
    return Completed(message=report.verdict(), data=summary)


def _transform_and_validate(
    source: Path, files: list[str], staging: Path, run_id: str, max_file_bytes: int, batch_files: int, now: datetime,
    log: Log | None, log_every: float,
) -> tuple[list[batch.Staged], list[validate.ValidationReport]]:  # fmt: skip
    """Transforms the batches on the task runner and validates each as it arrives, here, while
    the others are still being transformed. With a single batch on the local pool the batch
    runs in this process: starting workers would cost more than it saves."""
    runner = FlowRunContext.get().task_runner
    local = isinstance(runner, ProcessPoolTaskRunner)
    if local:
        _share_temporary_server()
        # Two batches per worker, so that validating one batch here overlaps transforming the next;
        # more would add Great Expectations' fixed cost per validated batch (about a second).
        workers = getattr(runner, "_max_workers", None) or os.cpu_count() or 1  # the pool's size (`--workers`)
        batches = batch.plan_batches(files, 2 * workers, batch_files, batch.MIN_PARALLEL_FILES)
    else:
        batches = batch.plan_batches(files, 1, batch_files)
    directories = [staging / f"batch-{index:05d}" for index in range(len(batches))]
    staged: list[batch.Staged | None] = [None] * len(batches)
    reports = []
    if batches:
        say(f"transforming {len(files)} files in {len(batches)} batch(es), validating each as it is done", log)

    def through() -> int:  # files through the model: whole batches done, and the others' tallies
        return sum(
            len(files_of) if staged[i] else min(len(files_of), batch.files_through(directories[i])) for i, files_of in enumerate(batches)
        )

    with progress("transforming files", len(files), log, log_every) as transformed:
        transformed.follow(through)
        if local and len(batches) == 1:
            arrivals = iter([(0, transform_batch(source, batches[0], directories[0], run_id, max_file_bytes))])
        else:
            futures = {
                transform_batch.submit(source, files_of_batch, directory, run_id, max_file_bytes): index
                for index, (files_of_batch, directory) in enumerate(zip(batches, directories))
            }
            arrivals = ((futures[future], future.result()) for future in as_completed(list(futures)))
        for index, done in arrivals:
            staged[index], report = validate_batch(source, run_id, done, now)
            reports.append(report)
            transformed.update(through())
    return staged, reports


def _share_temporary_server() -> None:
    """Worker processes inherit this process's environment, not its temporary Prefect server
    (started when no server is configured): without its address each worker would start a
    server of its own, at a few seconds of CPU and 200 MB apiece. The server lives as long as
    this process, so the address stays valid for later runs in it."""
    if os.environ.get("PREFECT_API_URL") or get_current_settings().api.url:
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer._instances.get(None)
    if server is not None and server.port:
        os.environ["PREFECT_API_URL"] = server.api_url


@contextmanager
def staging_area(warehouse: Path, run_id: str) -> Iterator[Path]:
    """The warehouse's own staging folder (`<name>.staging/`, so another warehouse beside it
    never touches it) with a folder for this run's batches, removed when the run ends however
    it ends; the staging folder too if this run created it. A run killed outright leaves its
    batches, and the next run on the warehouse clears them: only run folders, nothing else."""
    with step("prepare_staging"):
        root = working_folder(warehouse, "staging")
        created = not root.exists()
        for leftover in root.iterdir() if not created else []:
            if leftover.is_dir() and _RUN_FOLDER.fullmatch(leftover.name):
                shutil.rmtree(leftover, ignore_errors=True)
        folder = root / run_id
        folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(root if created else folder, ignore_errors=True)


_RUN_FOLDER = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
