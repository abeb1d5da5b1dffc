import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = FIXTURES / "pages"
SAMPLES = Path(__file__).parent.parent / "data" / "samples"


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for every flow test (about 10 s once)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    import flows.pipeline  # noqa: F401  (sets Prefect's environment before Prefect is imported)

    with prefect_test_harness(server_startup_timeout=60):
        yield PREFECT_API_URL.value()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A copy of the hand-made fixture pages, which a test may change."""
    target = tmp_path / "source"
    shutil.copytree(PAGES, target)
    return target


@contextmanager
def events_reference_unknown_codes():
    """A table-level critical failure, which no input file can cause: the run's events refer to
    CAMEO codes the dictionary given to the suites lacks (a broken reference)."""
    from flows import pipeline

    real = pipeline._parameters
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "_parameters", lambda tables, now: {**real(tables, now), "cameo_codes": ["010"]})
        yield
