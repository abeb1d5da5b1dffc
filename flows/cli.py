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

        if isinstance(error, QueryRefused):
            _error(str(error))
            return EXIT_FAILED_RUN
        if isinstance(error, WarehouseBusy):
            _error(f"{error}. Wait for it to finish (one writer at a time), then run again.")
            return EXIT_BUSY
        _error(f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''} "
               "(run again with --debug for the traceback)")  # fmt: skip
        return EXIT_FAILED_RUN


_ALLOW_EMPTY = "accept a source folder that has become empty (its known files are marked removed); without it that is an error"


def _parser() -> argparse.ArgumentParser:
    from flows.paths import SAMPLES, WAREHOUSE

    parser = argparse.ArgumentParser(
        prog="wirehouse", description="News articles in; a validated warehouse of articles, entities and events out."
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the ETL flow once over a folder of article files")
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
    run.set_defaults(handler=_run)

    query = commands.add_parser("query", help="ad-hoc SQL against the warehouse, read-only")
    query.add_argument("sql", nargs="?", help="the SQL to run")
    query.add_argument("--file", type=Path, help="read the SQL from this file instead")
    query.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    query.add_argument("--format", choices=["table", "csv", "json", "parquet"], default="table")
    query.add_argument("--output", type=Path, help="write the result here instead of standard output (required for parquet)")
    query.add_argument("--wait", type=float, default=10, metavar="SECONDS", help="how long to wait while a run is loading (default 10)")
    query.set_defaults(handler=_query)

    dashboard = commands.add_parser("dashboard", help="build the data-quality dashboard (one HTML file)")
    dashboard.add_argument("--warehouse", type=Path, default=WAREHOUSE)
    dashboard.add_argument("--out", type=Path, help="folder for index.html (default: <warehouse name>.dashboard/ beside the warehouse)")
    dashboard.set_defaults(handler=_dashboard)

    serve = commands.add_parser("serve", help="serve the flow as a Prefect deployment on a cron schedule")
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
    from flows.pipeline import etl, task_runner

    runner = task_runner(dask_address=args.dask_address, dask_workers=args.dask_local or 0, workers=args.workers)
    batching = {"batch_files": args.batch_files} if args.batch_files else {}
    state = etl.with_options(task_runner=runner)(
        source=args.source, warehouse=args.warehouse, full_refresh=args.full_refresh,
        lock_wait_seconds=args.wait, allow_empty=args.allow_empty, return_state=True, **batching,
    )  # fmt: skip
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, BaseException):
        raise summary
    print(summary.text())
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
            results.write(batches, args.format, sys.stdout.buffer)
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
    print(f"dashboard written to {page} (open it in a browser; it needs no network)")
    return 0


def _serve(args: argparse.Namespace) -> int:
    if _source_is_missing(args.source):
        return EXIT_USAGE
    from flows.pipeline import serve, server_problem

    problem = server_problem()
    if problem:
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
