"""Where Wirehouse's own files are: the SQL, the suites, the dictionaries, the bundled samples
and the default warehouse. Imports nothing heavy, so `wirehouse query` and `--help` start fast.

In a checkout they are the repository's top-level folders; an installed package carries the
same files inside `flows/` (see `[tool.setuptools]` in pyproject.toml).
"""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE.parent
IS_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "sql" / "ddl").is_dir()

SQL = _CHECKOUT / "sql" if IS_CHECKOUT else PACKAGE / "sql"
EXPECTATIONS = _CHECKOUT / "expectations" if IS_CHECKOUT else PACKAGE / "expectations"
SAMPLES = _CHECKOUT / "data" / "samples" if IS_CHECKOUT else PACKAGE / "samples"
DATA = PACKAGE / "data"
VENDOR = PACKAGE / "assets" / "vendor"
# A checkout keeps its warehouse in warehouse/ (git-ignored); an installed command, where it is run.
WAREHOUSE = (_CHECKOUT if IS_CHECKOUT else Path.cwd()) / "warehouse" / "news.duckdb"


WORKING_FOLDERS = ("staging", "data_docs", "dashboard")


def warehouse_files(warehouse: Path) -> list[Path]:
    """Everything a warehouse writes: its file, WAL and lock, and its working folders. A
    warehouse kept inside its own source folder must not read these as articles."""
    return [warehouse, *(warehouse.with_name(warehouse.name + suffix) for suffix in (".wal", ".lock"))] + [
        working_folder(warehouse, kind) for kind in WORKING_FOLDERS
    ]


def working_folder(warehouse: Path, kind: str) -> Path:
    """A warehouse's own folder beside it (`news.staging/`, `news.data_docs/`, `news.dashboard/`
    for `news.duckdb`): two warehouses in one folder never share, or clear, each other's files."""
    return warehouse.parent / f"{warehouse.stem}.{kind}"


def installed_version() -> str:
    """The installed package's version (its metadata, so `pip install` and `--version` agree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wirehouse")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"
