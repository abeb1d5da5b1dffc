"""Batches on worker processes and on a Dask cluster give the same warehouse as one process."""

import shutil

import polars as pl
import pytest
from prefect_dask import DaskTaskRunner

from flows.batch import plan_batches
from flows.pipeline import etl, task_runner
from flows.validate import ValidationReport, combine

from .warehouse_state import scalar, snapshot


def test_batches_are_consecutive_slices_one_per_worker_when_there_is_little_work():
    files = [f"f{i}" for i in range(10)]
    assert plan_batches(files, workers=2, batch_files=4) == [files[0:4], files[4:8], files[8:10]]
    assert plan_batches(files, workers=2, batch_files=1000) == [files[0:5], files[5:10]]
    assert plan_batches(files, workers=2, batch_files=1000, min_files=200) == [files]
    assert plan_batches([], workers=2) == []


def test_validation_over_batches_fails_if_any_batch_failed_and_adds_up_unexpected_rows():
    def result(success: bool, unexpected: int | None, observed: str, files: str | None = None) -> ValidationReport:
        row = {"run_id": "run", "table_name": "articles", "expectation": "expect_x(body)", "severity": "critical"}
        row |= {"success": success, "observed_value": observed, "unexpected_count": unexpected, "unexpected_source_files": files}
        return ValidationReport(pl.DataFrame([row], schema=combine([]).results.schema))

    combined = combine(
        [result(True, 0, "first"), result(False, 3, "second", '["b.txt", "a.txt"]'), result(False, 1, "third", '["a.txt", "c.txt"]')]
    ).results
    assert combined.select("success", "unexpected_count", "observed_value").rows() == [(False, 4, "second")]
    assert combined["unexpected_source_files"].to_list() == ['["b.txt", "a.txt", "c.txt"]']
    assert combine([result(True, None, "a"), result(True, None, "b")]).results["unexpected_count"].to_list() == [None]


@pytest.fixture
def source_with_copy(source):
    """The fixture pages plus a second file with the text of another, sorted into a later batch."""
    shutil.copy(source / "dateline_with_seconds.txt", source / "zz copy of dateline_with_seconds.txt")
    return source


def test_a_local_dask_cluster_of_two_workers_loads_the_same_tables_as_local_processes(source_with_copy, tmp_path, prefect_server):
    single, local, dask = (tmp_path / name / "w.duckdb" for name in ("single", "local", "dask"))
    state = etl(source=source_with_copy, warehouse=single, return_state=True)  # one batch, in this process
    assert state.is_completed(), state.message
    # Two files per batch: the fourteen files make seven batches, spread over the workers.
    state = etl.with_options(task_runner=task_runner(workers=2))(source=source_with_copy, warehouse=local, batch_files=2, return_state=True)
    assert state.is_completed(), state.message
    runner = task_runner(dask_workers=2)
    assert isinstance(runner, DaskTaskRunner)
    state = etl.with_options(task_runner=runner)(source=source_with_copy, warehouse=dask, batch_files=2, return_state=True)
    assert state.is_completed(), state.message

    assert snapshot(dask, ignore_run_ids=True) == snapshot(local, ignore_run_ids=True)
    # On these pages batching changes nothing at all: entities merged across batches, the
    # duplicate across batches and the quarantine come out as from one batch.
    assert snapshot(dask, ignore_run_ids=True) == snapshot(single, ignore_run_ids=True)
    assert scalar(dask, "select count(*) from articles") == 9
    assert scalar(dask, "select count(*) from quarantine") == 4
    # The copy sits in another batch than its original and is still one article.
    statuses = scalar(
        dask, "select list(status order by source_file) from source_files where source_file like '%dateline_with_seconds.txt'"
    )
    assert statuses == ["loaded", "duplicate"]
    assert not (dask.parent / "w.staging").exists()  # the run's Parquet batches are gone, and the folder it made for them
