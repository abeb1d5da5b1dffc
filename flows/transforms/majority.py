"""An entity's attributes chosen by its mentions: the answer most of them give. Pure.

The same choice names a batch's entities (entities.py) and, over every mention stored in the
warehouse, the warehouse's (load.py): one run of 300 files and two runs of 150 agree.
"""

from __future__ import annotations

import polars as pl


def majority_attributes(votes: pl.DataFrame) -> pl.DataFrame:
    """One row per entity: the name and the country most of its mentions give (the first in sort
    order on a tie; a mention without one casts no vote). `votes` counts mentions per
    (entity_id, name, country). Over a batch it names the batch's entities; over the whole
    warehouse (load.py) it makes the choice independent of how files were split into runs."""

    def majority(column: str) -> pl.DataFrame:
        return (
            votes.drop_nulls(column)
            .group_by("entity_id", column)
            .agg(pl.col("count_mentions").sum())
            .sort("entity_id", "count_mentions", column, descending=[False, True, False])
            .unique("entity_id", keep="first", maintain_order=True)
            .select("entity_id", column)
        )

    return (
        votes.select("entity_id")
        .unique()
        .join(majority("name"), on="entity_id", how="left")
        .join(majority("country"), on="entity_id", how="left")
        .sort("entity_id")
    )
