"""Figures about a run's batch as a whole (coverage, yield), validated like a table. Pure."""

from __future__ import annotations

import polars as pl

from flows.schemas import RUN_METRICS, conform

_PLAUSIBLE_CHANGE = 3.0  # a per-article yield a third or three times the last run's is suspect


def run_metrics(
    articles: int, articles_with_entities: int, articles_with_events: int, mentions: int, events: int,
    files_processed: int, files_quarantined: int,
) -> pl.DataFrame:  # fmt: skip
    """One row: how many of the run's articles have entities and events, and their yield."""
    return conform(
        pl.DataFrame(
            [
                {
                    "count_articles": articles,
                    "share_articles_without_entities": (1 - articles_with_entities / articles) if articles else None,
                    "share_articles_without_events": (1 - articles_with_events / articles) if articles else None,
                    "share_files_quarantined": (files_quarantined / files_processed) if files_processed else None,
                    "mentions_per_article": (mentions / articles) if articles else None,
                    "events_per_article": (events / articles) if articles else None,
                }
            ]
        ),
        RUN_METRICS,
    )


def metric_bounds(previous: dict | None) -> dict[str, float | None]:
    """Suite parameters: the range of per-article yields that is plausible after `previous`."""
    bounds = {}
    for name, column in (("mentions_per_article", "count_entity_mentions"), ("events_per_article", "count_events")):
        if previous and previous["count_articles"]:
            last = previous[column] / previous["count_articles"]
            bounds[f"min_{name}"], bounds[f"max_{name}"] = last / _PLAUSIBLE_CHANGE, last * _PLAUSIBLE_CHANGE
        else:
            bounds[f"min_{name}"], bounds[f"max_{name}"] = 0.0, None
    return bounds
