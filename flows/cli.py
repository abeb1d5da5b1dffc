"""The `wirehouse` command: run, query, serve. Errors are one line, never a traceback
(`--debug` shows it)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_FAILED_RUN = 1
EXIT_USAGE = 2
EXIT_BUSY = 3


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        _error("interrupted; the warehouse keeps its last completed run")
        return 130
    except Exception as error:  # the one place every failure becomes one readable line
        if args.debug:
            raise
        from flows.load import QueryRefused, WarehouseBusy
        from flows.steps import StepFailed

        if isinstance(error, StepFailed):  # already says which step and what went wrong
            _error(f"{_one_line(str(error))} (run again with --debug for the traceback)")
            return EXIT_FAILED_RUN
        if isinstance(error, QueryRefused):
            _error(str(error))
            return EXIT_FAILED_RUN
        if isinstance(error, WarehouseBusy):
            _error(f"{error}. Wait for it to finish (one writer at a time), then run again.")
            return EXIT_BUSY
        _error(f"{type(error).__name__}: {_one_line(str(error))} (run again with --debug for the traceback)")
        return EXIT_FAILED_RUN


_ALLOW_EMPTY = "accept a source folder that has become empty (its known files are marked removed); without it that is an error"


def _one_line(message: str) -> str:
    """The whole message on one line (DuckDB puts its `Did you mean ...` hint on the next one),
    without the caret line that points into the SQL."""
    return " ".join(line.strip() for line in message.splitlines() if line.strip() and line.strip() != "^")


def _out(text: str) -> None:
    """Standard output that a reader may close early (`| head`): the command carries on and
    exits as it would have, and nothing complains at exit."""
    try:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _parser() -> argparse.ArgumentParser:
    from flows.paths import SAMPLES, WAREHOUSE, installed_version

    parser = argparse.ArgumentParser(
        prog="wirehouse", description="News articles in; a validated warehouse of articles, entities and events out."
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    parser.add_argument("--version", action="version", version=f"wirehouse {installed_version()}")
    # Every subcommand takes --debug too (the error lines say "run again with --debug"); SUPPRESS
    # keeps a flag given before the subcommand from being reset by the subcommand's default.
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show full tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", parents=[debug], help="run the ETL flow once over a folder of article files")
    run.add_argument(
        "--source", type=Path, default=SAMPLES, help="folder of article files, read recursively (default: the bundled samples)"
    )
    run.add_argument("--warehouse", type=Path, default=WAREHOUSE, help="DuckDB file (default: warehouse/news.duckdb)")
    run.add_argument("--full-refresh", action="store_true", help="reprocess every file, not only new or changed ones")
    run.add_argument("--allow-empty", action="store_true", help=_ALLOW_EMPTY)
    run.add_argument(
        "--wait", type=float, default=10, metavar="SECONDS", help="how long to wait for another run on the same warehouse (default 10)"
    )
    where = run.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N", help="local worker processes for the transform (default: one per core)")
    where.add_argument(
        "--dask-address", metavar="ADDRESS", help="run the transform on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786)"
    )
    where.add_argument("--dask-local", type=int, metavar="N", help="start a local Dask cluster of N worker processes for the transform")
    run.add_argument("--batch-files", type=int, metavar="N", help="files per transform batch (default 1000)")
    run.add_argument(
        "--log-every", type=float, default=5.0, metavar="SECONDS",
        help="when stderr is not a terminal, a progress line every SECONDS at most (default 5)",
    )  # fmt: skip
    run.set_defaults(handler=_run)

    query = commands.add_parser("query", parents=[debug], help="ad-hoc SQL against the warehouse, read-only")
    query.add_argument("sql", nargs="?", help="the SQL to run")
    query.add_argument("--file", type=Path, help="read the SQL from this file instead")
    query.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    query.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    query.add_argument("--output", type=Path, help="write the result here instead of standard output (required for parquet)")
    query.add_argument("--wait", type=float, default=10, metavar="SECONDS", help="how long to wait while a run is loading (default 10)")
    query.set_defaults(handler=_query)

    dashboard = commands.add_parser("dashboard", parents=[debug], help="build the data-quality dashboard (one HTML file)")
    dashboard.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    dashboard.add_argument("--out", type=Path, help="folder for index.html (default: <warehouse name>.dashboard/ beside the warehouse)")
    dashboard.set_defaults(handler=_dashboard)

    export = commands.add_parser("export", parents=[debug], help="the events in GDELT's, POLECAT's or PLOVER's layout, read-only")
    export.add_argument("--format", choices=["gdelt", "polecat", "plover"], required=True)
    export.add_argument("--output", type=Path, required=True, help="file to write")
    export.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    export.add_argument(
        "--since", metavar="DATE|RUN", help="only events published or loaded since DATE (YYYY-MM-DD), or loaded by RUN or later"
    )
    export.set_defaults(handler=_export)

    describe = commands.add_parser("describe", parents=[debug], help="the warehouse's tables and columns with their descriptions")
    describe.add_argument("table", nargs="?", help="only this table")
    describe.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    describe.set_defaults(handler=_describe)

    status = commands.add_parser("status", parents=[debug], help="last runs, freshness, quarantined files and failing expectations")
    status.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    status.set_defaults(handler=_status)

    serve = commands.add_parser("serve", parents=[debug], help="serve the flow as a Prefect deployment on a cron schedule")
    serve.add_argument("--source", type=Path, default=SAMPLES)
    serve.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    serve.add_argument("--cron", required=True, help='a cron expression, e.g. "*/15 * * * *"')
    serve.add_argument("--name", default="wirehouse-scheduled")
    serve.add_argument("--allow-empty", action="store_true", help=_ALLOW_EMPTY)
    serve.set_defaults(handler=_serve)
    return parser


def _source_is_missing(source: Path) -> bool:
    if source.is_dir():
        return False
    _error(f"source folder {source} does not exist or is not a folder")
    return True


def _run(args: argparse.Namespace) -> int:
    if _source_is_missing(args.source):
        return EXIT_USAGE
    if not args.debug:
        # Prefect logs every failure with its traceback to the console, before the one line this
        # command ends with; the Prefect UI keeps the full log, and --debug shows it here.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    from flows.progress import say

    # Said before the imports below, which take seconds (Prefect, spaCy, Great Expectations).
    say("loading the pipeline")
    from flows.pipeline import etl, prefect_server, task_runner

    say(prefect_server())

    runner = task_runner(dask_address=args.dask_address, dask_workers=args.dask_local or 0, workers=args.workers)
    batching = {"batch_files": args.batch_files} if args.batch_files else {}
    state = etl.with_options(task_runner=runner)(
        source=args.source, warehouse=args.warehouse, full_refresh=args.full_refresh,
        lock_wait_seconds=args.wait, allow_empty=args.allow_empty, log_every_seconds=args.log_every, return_state=True, **batching,
    )  # fmt: skip
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, BaseException):
        raise summary
    _out(summary.text())
    if state.is_failed():
        _error(f"run failed, nothing loaded: {state.message}")
        return EXIT_FAILED_RUN
    return 0


def _query(args: argparse.Namespace) -> int:
    if bool(args.sql) == bool(args.file):
        _error("give the SQL either as an argument or with --file, not both or neither")
        return EXIT_USAGE
    if args.format == "parquet" and not args.output:
        _error("--format parquet needs --output PATH")
        return EXIT_USAGE
    if args.output and _is_part_of(args.output, args.warehouse):
        _error(f"--output {args.output} is the warehouse or one of its files; write the result somewhere else")
        return EXIT_USAGE
    from flows import results
    from flows.load import stream_query

    sql = args.sql or args.file.read_text(encoding="utf-8")
    with stream_query(args.warehouse, sql, wait_seconds=args.wait) as batches:
        if not args.output:
            try:
                results.write(batches, args.format, sys.stdout.buffer)
                sys.stdout.flush()
            except BrokenPipeError:  # the reader (`| head`) has what it wanted
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
        # Written beside the target and renamed at the end, so a failed query leaves no half file.
        partial = args.output.with_name(f".{args.output.name}.partial")
        try:
            with open(partial, "wb") as out:
                rows = results.write(batches, args.format, out)
            partial.replace(args.output)
        finally:
            partial.unlink(missing_ok=True)
    print(f"wrote {rows} rows to {args.output}", file=sys.stderr)
    return 0


def _is_part_of(output: Path, warehouse: Path) -> bool:
    """Whether writing `output` would overwrite the warehouse file, its WAL or its lock (by any
    path to them: a link or another spelling)."""
    for part in (warehouse, *(warehouse.with_name(warehouse.name + suffix) for suffix in (".wal", ".lock"))):
        if output.resolve() == part.resolve() or (output.exists() and part.exists() and output.samefile(part)):
            return True
    return False


def _dashboard(args: argparse.Namespace) -> int:
    from flows.dashboard import build_dashboard
    from flows.paths import working_folder

    page = build_dashboard(args.warehouse, args.out or working_folder(args.warehouse, "dashboard"))
    _out(f"dashboard written to {page} (open it in a browser; it needs no network)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from flows.export import export

    count = export(args.warehouse, args.format, args.output, args.since)
    print(f"wrote {count} events to {args.output} ({args.format})", file=sys.stderr)
    return 0


def _describe(args: argparse.Namespace) -> int:
    from flows.load import describe

    tables, columns = describe(args.warehouse)
    names = tables["table_name"].to_list()
    if args.table and args.table not in names:
        _error(f"no table {args.table!r} in {args.warehouse}; its tables: {', '.join(names)}")
        return EXIT_USAGE
    lines = []
    for table, about in tables.iter_rows():
        if args.table and table != args.table:
            continue
        rows = columns.filter(columns["table_name"] == table).select("column_name", "data_type", "comment").rows()
        width = max(len(name) for name, _, _ in rows)
        lines += [f"{table}: {about or ''}", *(f"  {name:<{width}}  {kind:<9}  {meaning or ''}" for name, kind, meaning in rows), ""]
    _out("\n".join(lines))
    return 0


def _status(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from flows.load import status

    report = status(args.warehouse)
    fresh = report["freshness"].row(0, named=True)
    when = fresh["last_completed_at"]
    ago = f"{_age(datetime.now(UTC).replace(tzinfo=None) - when)} ago" if when else ""
    newest = fresh["newest_published_at"]
    freshness = (
        f"last completed run {fresh['last_completed_run_id'][:8]} finished {when:%Y-%m-%d %H:%M} UTC ({ago})"
        if when
        else "no completed run"
    )
    if newest:
        freshness += f"; newest publication {newest:%Y-%m-%d}"
    lines = [
        f"warehouse  {args.warehouse}: {fresh['count_articles']} articles, {fresh['count_events']} events",
        f"freshness  {freshness}",
        "runs       (newest first)",
    ]
    for run in report["runs"].iter_rows(named=True):
        counts = f"{run['count_files_new'] or 0} new files · {run['count_articles'] or 0} articles · {run['count_events'] or 0} events"
        lines.append(f"  {run['run_id'][:8]}  {run['started_at']:%Y-%m-%d %H:%M}  {run['status']:<9}  {counts}  {run['message'] or ''}")
    quarantined = report["quarantine"]
    lines.append(f"quarantine {quarantined.height} file(s)" + ("" if quarantined.is_empty() else ", first ones:"))
    lines += [f"  {row['source_file']} ({row['stage']}): {row['reason']}" for row in quarantined.head(5).iter_rows(named=True)]
    failing = report["failing"]
    last_run = report["runs"]["run_id"][0][:8] if report["runs"].height else "none"
    lines.append(f"failing    {failing.height} expectation(s) in the last run ({last_run})" + (":" if failing.height else ""))
    lines += [
        f"  {row['severity']:<8} {row['table_name']}: {row['expectation']} ({row['unexpected_count'] or 0} unexpected)"
        for row in failing.iter_rows(named=True)
    ]
    _out("\n".join(lines))
    return 0


def _age(elapsed) -> str:
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // 1440} days"


def _serve(args: argparse.Namespace) -> int:
    if _source_is_missing(args.source):
        return EXIT_USAGE
    from flows.pipeline import cron_problem, serve, server_problem

    if problem := cron_problem(args.cron):
        _error(f"--cron: {problem}")
        return EXIT_USAGE
    if problem := server_problem():
        _error(problem)
        return EXIT_USAGE
    print(f"serving deployment {args.name!r} on cron {args.cron!r}, one run at a time; Ctrl-C stops it", file=sys.stderr)
    serve(
        args.name,
        args.cron,
        {"source": str(args.source.resolve()), "warehouse": str(args.warehouse.resolve()), "allow_empty": args.allow_empty},
    )
    return 0


def _error(message: str) -> None:
    print(f"wirehouse: error: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
