"""What a run did, for the terminal and for the Prefect UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from flows.schemas import RUNS, conform


@dataclass
class RunSummary:
    run_id: str
    status: str
    source: str
    warehouse: str
    seconds: float = 0.0
    files_seen: int = 0
    files_new: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    files_quarantined: int = 0
    loaded: dict[str, int] = field(default_factory=dict)  # rows this run wrote, per counted table (the terminal line)
    loaded_by_table: dict[str, int] = field(default_factory=dict)  # rows this run wrote, every table the load reports
    totals: dict[str, int] = field(default_factory=dict)  # rows in the warehouse after the run
    verdict: str = ""
    message: str = ""
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    data_docs: str = ""
    dashboard: str = ""  # the rebuilt dashboard's index.html (absolute path), or why it was not rebuilt
    step_seconds: dict[str, float] = field(default_factory=dict)  # transform steps, summed over batches

    def text(self) -> str:
        lines = [
            f"Wirehouse run {self.run_id[:8]}: {self.status.upper()} in {self.seconds:.1f}s",
            f"  files      {self.files_seen} seen · {self.files_new} new or changed · {self.files_unchanged} unchanged"
            f" · {self.files_quarantined} quarantined · {self.files_removed} removed",
            "  loaded     " + " · ".join(f"{n} {t}" for t, n in self.loaded.items()),
            "  warehouse  " + " · ".join(f"{n} {t}" for t, n in self.totals.items()),
            f"  validation {self.verdict}",
        ]
        if self.data_docs:
            lines.append(f"  data docs  {self.data_docs}")
        if self.dashboard:
            lines.append(f"  dashboard  {self.dashboard}")
        lines += [f"  quarantined {name}: {reason}" for name, reason in self.quarantined[:10]]
        if len(self.quarantined) > 10:
            lines.append(f"  ... and {len(self.quarantined) - 10} more (wirehouse query 'select * from quarantine')")
        if self.message:
            lines.append(f"  {self.message}")
        return "\n".join(lines)

    def run_row(self, started_at: datetime, finished_at: datetime, produced: dict[str, int]) -> pl.DataFrame:
        """The run as a `runs` row; `produced` counts the rows the run made, loaded or not."""
        row = {
            "run_id": self.run_id,
            "started_at": started_at,
            "finished_at": finished_at,
            "status": self.status,
            "source_dir": self.source,
            "count_files_seen": self.files_seen,
            "count_files_new": self.files_new,
            "count_files_unchanged": self.files_unchanged,
            "count_files_quarantined": self.files_quarantined,
            "message": self.verdict,
            **{f"count_{table}": count for table, count in produced.items()},
        }
        return conform(pl.DataFrame([row]), RUNS)

    def markdown(self) -> str:
        rows = "\n".join(
            f"| {t} | {self.loaded_by_table.get(t, self.loaded.get(t, 0))} | {self.totals.get(t, '')} |" for t in self.totals or self.loaded
        )
        quarantined = "\n".join(f"- `{name}`: {reason}" for name, reason in self.quarantined) or "none"
        return (
            f"# Wirehouse run: {self.status}\n\n"
            f"Source `{self.source}` → warehouse `{self.warehouse}` in {self.seconds:.1f}s.\n\n"
            f"**Files:** {self.files_seen} seen, {self.files_new} new or changed, {self.files_unchanged} unchanged, "
            f"{self.files_quarantined} quarantined, {self.files_removed} removed.\n\n"
            f"**Validation:** {self.verdict}{f' (Data Docs: `{self.data_docs}`)' if self.data_docs else ''}\n\n"
            f"{self._dashboard_markdown()}"
            f"| table | rows loaded | rows in warehouse |\n|---|---|---|\n{rows}\n\n"
            f"**Quarantined:**\n{quarantined}\n" + (f"\n**{self.message}**\n" if self.message else "")
        )

    def _dashboard_markdown(self) -> str:
        if not self.dashboard:
            return ""
        page = Path(self.dashboard)
        shown = f"[{page.name}]({page.as_uri()}) (`{page}`)" if page.is_absolute() else self.dashboard
        return f"**Dashboard:** {shown}\n\n"
