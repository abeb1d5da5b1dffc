"""A step of the flow that fails says which one it was: `load_tables failed: ...`, one line,
in whatever process the step ran (the error is made of strings, so it crosses processes)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

Step = TypeVar("Step", bound=Callable)


class StepFailed(RuntimeError):
    def __init__(self, step: str, detail: str):
        super().__init__(step, detail)
        self.step, self.detail = step, detail

    def __str__(self) -> str:
        return f"{self.step} failed: {self.detail}"


def _detail(error: BaseException) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())


@contextmanager
def step(name: str, passing: tuple[type[BaseException], ...] = ()):
    """Errors inside become StepFailed(name); `passing` ones (a busy warehouse, which the command
    tells apart) and already named ones go through as they are."""
    try:
        yield
    except (StepFailed, *passing):
        raise
    except Exception as error:
        raise StepFailed(name, _detail(error)) from error


def named(passing: tuple[type[BaseException], ...] = ()) -> Callable[[Step], Step]:
    """The decorator form of `step`, named after the function (put it under Prefect's `@task`)."""

    def decorate(function: Step) -> Step:
        @functools.wraps(function)
        def run(*args, **kwargs):
            with step(function.__name__, passing):
                return function(*args, **kwargs)

        return run  # type: ignore[return-value]

    return decorate
