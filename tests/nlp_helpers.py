from datetime import datetime

import polars as pl

from flows.schemas import ARTICLES, conform
from flows.transforms.entities import entity_tables
from flows.transforms.events import events_table
from flows.transforms.nlp import parse_bodies


def articles_from(*bodies: str, published_at: datetime | None = None) -> pl.DataFrame:
    return conform(
        pl.DataFrame(
            {
                "article_id": [f"{i:016x}" for i in range(len(bodies))],
                "body": list(bodies),
                "published_at": [published_at] * len(bodies),
            },
            schema_overrides={"published_at": pl.Datetime("us")},
        ),
        ARTICLES,
    )


def run_nlp(*bodies: str, published_at: datetime | None = None):
    articles = articles_from(*bodies, published_at=published_at)
    parsed = parse_bodies(articles)
    found = entity_tables(articles, parsed.mentions)
    return articles, found, events_table(articles, parsed, found.resolved)
