"""The package works installed, not only in a checkout: a real (non-editable) install of the
wheel runs the flow from another folder with the SQL, suites, dictionaries and assets it carries.

The wheel goes into a folder of its own (`pip install --target`) rather than a fresh venv (about
a minute and a gigabyte); the dependencies come from this venv. The test asserts the installed
copy is the one imported, so the editable install of the checkout cannot stand in for it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from .conftest import SAMPLES

CHECKOUT = Path(__file__).resolve().parents[1]
# What a checkout holds that is not the source: the build must not see or reuse it.
_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "build", "warehouse", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis")

_REPORT_INSTALLED = """
import sys
import flows, flows.paths as paths
print(flows.__file__)
missing = [str(p) for p in (paths.SQL / "ddl", paths.SQL / "dashboard", paths.EXPECTATIONS / "articles.json",
                            paths.SAMPLES, paths.DATA / "actors.tsv", paths.VENDOR / "vega.min.js") if not p.exists()]
assert not paths.IS_CHECKOUT and not missing, (paths.IS_CHECKOUT, missing)
from flows.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_installed_package_runs_the_flow_from_another_folder(tmp_path, prefect_server):
    source_tree = tmp_path / "source-tree"
    shutil.copytree(CHECKOUT, source_tree, ignore=_NOT_SOURCE)  # pip builds in the tree: not in the checkout
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(source_tree)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    shutil.rmtree(source_tree)
    samples, elsewhere = tmp_path / "samples", tmp_path / "elsewhere"
    shutil.copytree(SAMPLES, samples)
    elsewhere.mkdir()
    warehouse = tmp_path / "x.duckdb"

    run = subprocess.run(
        [sys.executable, "-c", _REPORT_INSTALLED, "run", "--source", str(samples), "--warehouse", str(warehouse)],
        cwd=elsewhere, env={**os.environ, "PYTHONPATH": str(site), "PREFECT_API_URL": prefect_server},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr[-3000:]
    imported_from = Path(run.stdout.splitlines()[0])
    assert imported_from.is_relative_to(site), f"imported {imported_from}, not the installed copy"
    assert "loaded     5 articles" in run.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from articles").fetchone() == (5,)
    assert not (elsewhere / "warehouse").exists() and (tmp_path / "x.data_docs" / "index.html").exists()
